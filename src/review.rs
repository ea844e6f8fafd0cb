//! The review ledger: every item flagged for a person goes to `review.csv` (and an .xlsx twin)
//! with its evidence and empty decision columns; a filled `reviews.csv` in the round folder is
//! applied on every run, unless the evidence file changed since the decision (then it is
//! reported stale and not applied).

use crate::ingest::ManifestEntry;
use crate::observation::{Observation, Provenance, Status, Value};
use crate::report::columns::ReviewLine;
use crate::validate::{Issue, IssueKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{path}: line {line}: {message}")]
    Row {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{path}: {message}")]
    Xlsx { path: PathBuf, message: String },
}

/// One decision a person wrote in `reviews.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct Decision {
    pub body_code: String,
    pub field: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_blake3: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub reviewer: String,
    #[serde(default)]
    pub note: String,
}

/// The decisions of `<round>/reviews.csv`, if the file exists.
pub fn load(round_dir: &Path) -> Result<Vec<Decision>, ReviewError> {
    let path = round_dir.join("reviews.csv");
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let mut reader = csv::Reader::from_path(&path).map_err(|source| ReviewError::Csv {
        path: path.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for row in reader.deserialize::<Decision>() {
        let d = row.map_err(|e| ReviewError::Row {
            path: path.clone(),
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        if !d.status.trim().is_empty() {
            out.push(d);
        }
    }
    Ok(out)
}

/// Apply decisions to the observations; returns (applied, stale). Stale and malformed decisions
/// become issues.
pub fn apply(
    observations: &mut [Observation],
    decisions: &[Decision],
    manifest: &[ManifestEntry],
    issues: &mut Vec<Issue>,
) -> (usize, usize) {
    let hashes: BTreeMap<&str, &str> = manifest
        .iter()
        .map(|m| (m.path.as_str(), m.blake3.as_str()))
        .collect();
    let (mut applied, mut stale) = (0, 0);
    for d in decisions {
        let issue = |kind: IssueKind, evidence: String| Issue {
            body: d.body_code.clone(),
            field: d.field.clone(),
            period: d.period.clone(),
            kind,
            source: "reviews.csv".into(),
            location: String::new(),
            evidence,
        };
        if !d.source.is_empty()
            && !d.source_blake3.is_empty()
            && hashes
                .get(d.source.as_str())
                .is_some_and(|h| *h != d.source_blake3)
        {
            stale += 1;
            issues.push(issue(
                IssueKind::StaleReview,
                format!(
                    "{} changed since the decision ({}): not applied",
                    d.source, d.note
                ),
            ));
            continue;
        }
        let Some(status) = Status::parse(&d.status) else {
            issues.push(issue(
                IssueKind::BadReview,
                format!("unknown status \"{}\"", d.status),
            ));
            continue;
        };
        let Some(o) = observations
            .iter_mut()
            .find(|o| o.body == d.body_code && o.field == d.field && o.period == d.period)
        else {
            issues.push(issue(
                IssueKind::BadReview,
                "no such body, field and period in this round".into(),
            ));
            continue;
        };
        let value = if status == Status::Answered {
            let v = d.value.trim();
            match v.replace([',', '£'], "").parse::<f64>() {
                Ok(n) => Some(Value::Number(n)),
                Err(_) if !v.is_empty() => Some(Value::Code(v.to_lowercase())),
                Err(_) => {
                    issues.push(issue(
                        IssueKind::BadReview,
                        "status answered without a value".into(),
                    ));
                    continue;
                }
            }
        } else {
            None
        };
        o.status = status;
        o.value = value;
        o.provenance.push(Provenance {
            source: "review".into(),
            location: d.reviewer.clone(),
            raw: d.note.clone(),
        });
        o.rule = "review".into();
        o.confidence = 1.0;
        o.note = format!(
            "decided by {}: {}",
            if d.reviewer.is_empty() {
                "a reviewer"
            } else {
                &d.reviewer
            },
            d.note
        );
        applied += 1;
    }
    (applied, stale)
}

/// The rows of `review.csv` (columns in `report::columns::review`): each flagged item about a
/// body's answer, with its evidence file's hash.
pub fn lines<'a>(issues: &'a [Issue], manifest: &[ManifestEntry]) -> Vec<ReviewLine<'a>> {
    let hashes: BTreeMap<&str, &str> = manifest
        .iter()
        .map(|m| (m.path.as_str(), m.blake3.as_str()))
        .collect();
    issues
        .iter()
        .filter(|i| !i.body.is_empty() && !i.field.is_empty())
        .map(|i| ReviewLine {
            issue: i,
            source_blake3: hashes
                .get(i.source.as_str())
                .map(|s| s.to_string())
                .unwrap_or_default(),
        })
        .collect()
}
