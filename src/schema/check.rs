//! The declared plausibility checks of a schema (`[[checks]]`), typed: each kind names exactly
//! the keys it takes, so a misspelt kind or key is an error on load, not a check that never runs.

use serde::Deserialize;

/// What a failed check does besides raising an issue for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnFail {
    /// An issue in `issues.csv`; the value stays in the statistics.
    #[default]
    Issue,
    /// An issue, and the value is withdrawn (status `unclear`).
    Unclear,
}

/// One declared check, by `kind`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A "Total" line equals the lines above it (tolerance: a share of the total).
    TotalIsSum {
        #[serde(default)]
        tolerance: Option<f64>,
    },
    /// `field` ≤ `than` for the same body and period.
    NotGreater {
        field: String,
        than: String,
        #[serde(default)]
        on_fail: OnFail,
    },
    /// Consecutive periods of `field` within `max_factor` of each other.
    YearOnYearFactor {
        field: String,
        #[serde(default)]
        max_factor: Option<f64>,
        #[serde(default)]
        on_fail: OnFail,
    },
    /// `field` / `denominator` within `min`..`max`.
    PerHeadRange {
        field: String,
        denominator: String,
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
        #[serde(default)]
        allow_zero: bool,
        #[serde(default)]
        on_fail: OnFail,
    },
    /// `field` below `denominator`.
    BelowPopulation {
        field: String,
        denominator: String,
        #[serde(default)]
        on_fail: OnFail,
    },
    /// `field` within `min`..`max`.
    Range {
        field: String,
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
        #[serde(default)]
        on_fail: OnFail,
    },
}

impl Check {
    /// The field ids this check reads, with the key that names each.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        match self {
            Check::TotalIsSum { .. } => Vec::new(),
            Check::NotGreater { field, than, .. } => vec![("field", field), ("than", than)],
            Check::YearOnYearFactor { field, .. } | Check::Range { field, .. } => {
                vec![("field", field)]
            }
            Check::PerHeadRange { field, .. } | Check::BelowPopulation { field, .. } => {
                vec![("field", field)]
            }
        }
    }

    /// What a failure does besides the issue (a total's sum only ever raises the issue).
    pub fn on_fail(&self) -> OnFail {
        match self {
            Check::TotalIsSum { .. } => OnFail::Issue,
            Check::NotGreater { on_fail, .. }
            | Check::YearOnYearFactor { on_fail, .. }
            | Check::PerHeadRange { on_fail, .. }
            | Check::BelowPopulation { on_fail, .. }
            | Check::Range { on_fail, .. } => *on_fail,
        }
    }

    /// The denominator this check divides by, if any.
    pub fn denominator(&self) -> Option<&str> {
        match self {
            Check::PerHeadRange { denominator, .. }
            | Check::BelowPopulation { denominator, .. } => Some(denominator),
            _ => None,
        }
    }
}
