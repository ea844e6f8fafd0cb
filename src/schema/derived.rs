//! The declared derived statistics of a schema (`[derived.<name>]`), typed by `kind`: a ratio of
//! two figures, the change of a figure between two periods, and a comparison of one figure's
//! change against another's (kept pace), so a new survey declares its statistics, not codes them.

use serde::Deserialize;

/// How a `compare` rule picks the year each year is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaceRule {
    /// Each year against the year before.
    #[default]
    YearOnYear,
    /// Each year against the first year of the round.
    Baseline,
}

impl PaceRule {
    pub fn as_str(self) -> &'static str {
        match self {
            PaceRule::YearOnYear => "year_on_year",
            PaceRule::Baseline => "baseline",
        }
    }
}

/// One declared derived statistic, by `kind`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Derived {
    /// `numerator` over `denominator` (a field, a register column or a declared reference
    /// table) for each body that gave both, per period (or for `numerator_period` alone).
    Ratio {
        numerator: String,
        #[serde(default)]
        numerator_period: Option<String>,
        denominator: String,
        /// What one unit of the denominator is, for the wording: "patient" -> "per patient".
        #[serde(default)]
        per: Option<String>,
        /// The section heading (default: "<numerator label> per <per>").
        #[serde(default)]
        title: Option<String>,
        /// The summary.json key prefix (default: `derived.<name>`).
        #[serde(default)]
        key: Option<String>,
    },
    /// `field` in period `to` against period `from` (default: the round's first and last).
    Change {
        field: String,
        #[serde(default)]
        from: Option<String>,
        #[serde(default)]
        to: Option<String>,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        key: Option<String>,
    },
    /// Whether the rise of `field` was at least the rise of `against`, per body and year.
    Compare {
        field: String,
        against: String,
        /// `against` began this period: before it, it is 0, not unknown.
        #[serde(default)]
        against_starts: Option<String>,
        #[serde(default)]
        rule: PaceRule,
        /// Only these years (default: each of the round's years after the first).
        #[serde(default)]
        years: Option<Vec<String>>,
        #[serde(default)]
        title: Option<String>,
        /// Wording of the two verdicts (default "kept pace" and "backfilled").
        #[serde(default)]
        met: Option<String>,
        #[serde(default)]
        not_met: Option<String>,
        #[serde(default)]
        key: Option<String>,
    },
}

impl Derived {
    pub fn kind(&self) -> &'static str {
        match self {
            Derived::Ratio { .. } => "ratio",
            Derived::Change { .. } => "change",
            Derived::Compare { .. } => "compare",
        }
    }

    /// The summary.json key prefix: the declared `key`, or `derived.<name>`.
    pub fn key(&self, name: &str) -> String {
        let key = match self {
            Derived::Ratio { key, .. }
            | Derived::Change { key, .. }
            | Derived::Compare { key, .. } => key,
        };
        key.clone().unwrap_or_else(|| format!("derived.{name}"))
    }

    /// The field ids it reads, with the key naming each (the ratio's denominator is checked
    /// apart: it may also be a register column or a reference table).
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        match self {
            Derived::Ratio { numerator, .. } => vec![("numerator", numerator)],
            Derived::Change { field, .. } => vec![("field", field)],
            Derived::Compare { field, against, .. } => vec![("field", field), ("against", against)],
        }
    }

    /// The periods it names, with the key naming each.
    pub fn periods(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        match self {
            Derived::Ratio {
                numerator_period, ..
            } => out.extend(numerator_period.as_deref().map(|p| ("numerator_period", p))),
            Derived::Change { from, to, .. } => {
                out.extend(from.as_deref().map(|p| ("from", p)));
                out.extend(to.as_deref().map(|p| ("to", p)));
            }
            Derived::Compare {
                against_starts,
                years,
                ..
            } => {
                out.extend(against_starts.as_deref().map(|p| ("against_starts", p)));
                for y in years.iter().flatten() {
                    out.push(("years", y.as_str()));
                }
            }
        }
        out
    }
}
