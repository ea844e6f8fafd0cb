//! Totals per body, financial year and category, and the cross-check (README: Spend over £25,000 rounds): per body and
//! year, the payments in a topic's categories against the FOI answer they bear on. Published
//! payments over £25,000 are a lower bound of spend, so, in this order: not comparable when the
//! FOI value is not answered; `exceeds` above FOI x (1 + tolerance) (a contradiction); within
//! the tolerance `consistent`; lower with a month unpublished: not comparable; else `below`.
//!
//! The FOI answers come from running the FOI round named in `round.toml` in-process, without
//! writing anything (`pipeline::run` with `write: false`): the figures are the ones a run of that
//! round would publish, and never a stale `responses.csv` left from an older program.

use crate::observation::{Status, Value};
use crate::pipeline::{self, RunOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One FOI answer for a body, field and period.
#[derive(Debug, Clone)]
pub struct FoiAnswer {
    pub status: Status,
    pub value: Option<f64>,
    pub source: String,
    pub location: String,
    pub raw: String,
}

/// The answers of one FOI round to one field: (body, period) -> answer; and the periods the
/// round holds for that field.
#[derive(Debug, Default)]
pub struct FoiField {
    pub answers: BTreeMap<(String, String), FoiAnswer>,
    pub periods: Vec<String>,
}

/// Run the FOI round at `dir` (nothing written) and take its answers to `field`.
pub fn foi_field(dir: &Path, field: &str, schemas: Option<&Path>) -> Result<FoiField, String> {
    let opts = RunOptions {
        write: false,
        out: None,
        schemas: schemas.map(PathBuf::from),
        progress: false,
        limits: Vec::new(),
        cache: false,
    };
    let summary = pipeline::run(dir, &opts).map_err(|e| e.to_string())?;
    let mut out = FoiField::default();
    for o in summary.cells.iter().filter(|o| o.field == field) {
        if !o.period.is_empty() && !out.periods.contains(&o.period) {
            out.periods.push(o.period.clone());
        }
        let first = o.provenance.first();
        out.answers.insert(
            (o.body.clone(), o.period.clone()),
            FoiAnswer {
                status: o.status,
                value: match &o.value {
                    Some(Value::Number(n)) => Some(*n),
                    _ => None,
                },
                source: first.map(|p| p.source.clone()).unwrap_or_default(),
                location: first.map(|p| p.location.clone()).unwrap_or_default(),
                raw: first.map(|p| p.raw.clone()).unwrap_or_default(),
            },
        );
    }
    out.periods.sort();
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    FoiNotAnswered,
    MonthsMissing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    NotComparable(Reason),
    Exceeds,
    Consistent,
    Below,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotComparable(_) => "not_comparable",
            Verdict::Exceeds => "exceeds",
            Verdict::Consistent => "consistent",
            Verdict::Below => "below",
        }
    }

    pub fn reason(self) -> &'static str {
        match self {
            Verdict::NotComparable(Reason::FoiNotAnswered) => "foi_not_answered",
            Verdict::NotComparable(Reason::MonthsMissing) => "months_missing",
            _ => "",
        }
    }
}

/// The verdict, its rules taken in their order (README: Spend over £25,000 rounds).
pub fn verdict(payments: f64, foi: Option<f64>, months_missing: bool, tolerance: f64) -> Verdict {
    let Some(foi) = foi else {
        return Verdict::NotComparable(Reason::FoiNotAnswered);
    };
    if payments > foi * (1.0 + tolerance) {
        Verdict::Exceeds
    } else if payments >= foi * (1.0 - tolerance) {
        Verdict::Consistent
    } else if months_missing {
        Verdict::NotComparable(Reason::MonthsMissing)
    } else {
        Verdict::Below
    }
}

/// The months of a financial year, `2015-16` -> `2015-04` .. `2016-03`.
pub fn months_of_fy(fy: &str) -> Vec<String> {
    let Ok(start) = fy.get(..4).unwrap_or("").parse::<i32>() else {
        return Vec::new();
    };
    (0..12)
        .map(|i| {
            let m = (3 + i) % 12 + 1;
            let y = if m >= 4 { start } else { start + 1 };
            format!("{y:04}-{m:02}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_in_spec_order() {
        assert_eq!(
            verdict(100.0, None, true, 0.02),
            Verdict::NotComparable(Reason::FoiNotAnswered)
        );
        assert_eq!(verdict(103.0, Some(100.0), true, 0.02), Verdict::Exceeds);
        assert_eq!(
            verdict(102.0, Some(100.0), false, 0.02),
            Verdict::Consistent
        );
        assert_eq!(verdict(98.0, Some(100.0), true, 0.02), Verdict::Consistent);
        assert_eq!(
            verdict(50.0, Some(100.0), true, 0.02),
            Verdict::NotComparable(Reason::MonthsMissing)
        );
        assert_eq!(verdict(50.0, Some(100.0), false, 0.02), Verdict::Below);
    }

    #[test]
    fn months_of_a_financial_year() {
        let m = months_of_fy("2015-16");
        assert_eq!(m.first().map(String::as_str), Some("2015-04"));
        assert_eq!(m.last().map(String::as_str), Some("2016-03"));
        assert_eq!(m.len(), 12);
    }
}
