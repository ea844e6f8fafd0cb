//! Validate: reconcile every answer found for the same body, field and period into one
//! observation (agreeing sources merge, disagreeing ones become `unclear` with both pieces of
//! evidence), fill the cells nobody answered, and say what each body's reply amounted to.

pub mod checks;
pub mod issue_kind;

pub use issue_kind::{CheckKind, IssueKind};

use crate::extract::{Block, Found, ReplyNote};
use crate::observation::{Observation, Provenance, Status, Value};
use crate::register::Register;
use crate::schema::{Check, Schema};
use crate::standardise::Reading;
use std::collections::{BTreeMap, BTreeSet};

/// Below this confidence a value is not reported as answered.
pub const MIN_ANSWER_CONFIDENCE: f64 = 0.6;

/// Something a person should look at, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Issue {
    pub body: String,
    pub field: String,
    pub period: String,
    pub kind: IssueKind,
    pub source: String,
    pub location: String,
    pub evidence: String,
}

/// One answer found, standardised and linked to its body.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub body: String,
    pub found: Found,
    pub reading: Reading,
}

/// What a body's reply amounted to (the reply kinds of bodies.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reply {
    Full,
    Partial,
    Refused,
    NotHeld,
    NoResponse,
}

impl Reply {
    /// A body's reply: what `replies` says, else no response.
    pub fn of(replies: &BTreeMap<String, Reply>, code: &str) -> Reply {
        replies.get(code).copied().unwrap_or(Reply::NoResponse)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reply::Full => "full",
            Reply::Partial => "partial",
            Reply::Refused => "refused",
            Reply::NotHeld => "not_held",
            Reply::NoResponse => "no_response",
        }
    }
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x - y).abs() <= 0.5f64.max(x.abs() * 1e-9),
        (Value::Code(x), Value::Code(y)) => x == y,
        _ => false,
    }
}

fn provenance(c: &Candidate) -> Provenance {
    Provenance {
        source: c.found.source.clone(),
        location: c.found.location.clone(),
        raw: c.found.as_written(),
    }
}

fn describe(c: &Candidate) -> String {
    format!(
        "{} {}: \"{}\"",
        c.found.source,
        c.found.location,
        c.found.as_written()
    )
}

/// Keep, within one block of one file, the total line over its components.
fn prefer_totals(cands: Vec<Candidate>) -> Vec<Candidate> {
    let mut blocks_with_total: BTreeSet<(String, Block)> = BTreeSet::new();
    for c in &cands {
        if c.found.is_total {
            blocks_with_total.insert((c.found.source.clone(), c.found.block));
        }
    }
    cands
        .into_iter()
        .filter(|c| {
            c.found.is_total
                || !blocks_with_total.contains(&(c.found.source.clone(), c.found.block))
        })
        .collect()
}

/// A stated total against the sum of the lines stated under it in the same table: when they
/// differ by more than `tolerance` (a share of the total) a person is told, with both figures.
/// The total is still the answer (a reply may leave lines out); the flag says to look.
fn check_total_sum(
    body: &str,
    field: &str,
    period: &str,
    cands: &[Candidate],
    tolerance: f64,
    issues: &mut Vec<Issue>,
) {
    let number = |c: &Candidate| match &c.reading {
        Reading::Value {
            value: Value::Number(n),
            ..
        } => Some(*n),
        _ => None,
    };
    for total in cands.iter().filter(|c| c.found.is_total) {
        let Some(t) = number(total) else { continue };
        let parts: Vec<&Candidate> = cands
            .iter()
            .filter(|c| {
                !c.found.is_total
                    && c.found.source == total.found.source
                    && c.found.block == total.found.block
            })
            .collect();
        let values: Vec<f64> = parts.iter().filter_map(|c| number(c)).collect();
        // Only where every line is a figure: a "not held" line makes the sum unknowable.
        if values.len() < 2 || values.len() != parts.len() {
            continue;
        }
        let sum: f64 = values.iter().sum();
        if (sum - t).abs() > tolerance * t.abs().max(1.0) {
            issues.push(Issue {
                body: body.to_owned(),
                field: field.to_owned(),
                period: period.to_owned(),
                kind: IssueKind::Check(CheckKind::TotalIsSum),
                source: total.found.source.clone(),
                location: total.found.location.clone(),
                evidence: format!(
                    "the total {} is not the sum of its {} lines ({}): {}",
                    total.found.as_written(),
                    values.len(),
                    sum,
                    parts
                        .iter()
                        .map(|c| format!("{} \"{}\"", c.found.location, c.found.as_written()))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            });
        }
    }
}

/// One observation from every candidate for the same cell.
fn reconcile_cell(
    body: &str,
    field: &str,
    period: &str,
    cands: Vec<Candidate>,
    issues: &mut Vec<Issue>,
) -> Option<Observation> {
    let cands: Vec<Candidate> = prefer_totals(
        cands
            .into_iter()
            .filter(|c| c.reading != Reading::Nothing)
            .collect(),
    );
    let first = cands.first()?;
    let mut obs = Observation {
        body: body.to_owned(),
        field: field.to_owned(),
        period: period.to_owned(),
        status: Status::Unclear,
        value: None,
        provenance: cands.iter().map(provenance).collect(),
        rule: first.found.rule.clone(),
        confidence: 0.0,
        note: String::new(),
    };
    let agree = cands.iter().all(|c| match (&c.reading, &first.reading) {
        (Reading::Value { value: a, .. }, Reading::Value { value: b, .. }) => same_value(a, b),
        (Reading::Status { status: a, .. }, Reading::Status { status: b, .. }) => a == b,
        _ => false,
    });
    let issue = |kind: IssueKind, c: &Candidate, evidence: String| Issue {
        body: body.to_owned(),
        field: field.to_owned(),
        period: period.to_owned(),
        kind,
        source: c.found.source.clone(),
        location: c.found.location.clone(),
        evidence,
    };
    if !agree {
        let evidence = cands.iter().map(describe).collect::<Vec<_>>().join(" | ");
        obs.note = format!("sources disagree: {evidence}");
        issues.push(issue(IssueKind::Conflict, first, evidence));
        return Some(obs);
    }
    match &first.reading {
        Reading::Value {
            value,
            confidence,
            note,
        } => {
            let confidence = cands
                .iter()
                .map(|c| match c.reading {
                    Reading::Value { confidence, .. } => confidence,
                    _ => 0.0,
                })
                .fold(*confidence, f64::max);
            obs.confidence = confidence;
            obs.note = note.clone();
            if confidence < MIN_ANSWER_CONFIDENCE {
                obs.note = format!("low confidence ({confidence:.2}): {note}");
                issues.push(issue(IssueKind::LowConfidence, first, describe(first)));
            } else {
                obs.status = Status::Answered;
                obs.value = Some(value.clone());
            }
        }
        Reading::Status { status, reason } => {
            obs.status = *status;
            obs.confidence = 0.9;
            obs.note = reason.clone();
            if *status == Status::Unclear {
                issues.push(issue(
                    IssueKind::Unclear,
                    first,
                    format!("{reason} ({})", describe(first)),
                ));
            }
        }
        Reading::Nothing => return None,
    }
    Some(obs)
}

/// Did financial year `period` ("2016-17") end before `opened` (an ISO date)?
fn ended_before(period: &str, opened: &str) -> bool {
    let Some(start) = period.get(..4).and_then(|y| y.parse::<u32>().ok()) else {
        return false;
    };
    opened.len() >= 10 && format!("{}-03-31", start + 1).as_str() < &opened[..10]
}

/// The observations of a round: one per surveyed body, field and period.
pub fn reconcile(
    candidates: Vec<Candidate>,
    notes: &BTreeMap<String, Vec<ReplyNote>>,
    replied: &BTreeSet<String>,
    schema: &Schema,
    register: &Register,
    issues: &mut Vec<Issue>,
) -> Vec<Observation> {
    let mut cells: BTreeMap<(String, String, String), Vec<Candidate>> = BTreeMap::new();
    for c in candidates {
        cells
            .entry((
                c.body.clone(),
                c.found.field.clone(),
                c.found.period.clone(),
            ))
            .or_default()
            .push(c);
    }
    // Declared in the schema: `[[checks]] kind = "total_is_sum"` (optional `tolerance`, a share).
    let sum_tolerance = schema.checks.iter().find_map(|c| match c {
        Check::TotalIsSum { tolerance } => Some(tolerance.unwrap_or(0.005)),
        _ => None,
    });
    let mut found: BTreeMap<(String, String, String), Observation> = BTreeMap::new();
    for ((body, field, period), cands) in cells {
        if let Some(tolerance) = sum_tolerance {
            check_total_sum(&body, &field, &period, &cands, tolerance, issues);
        }
        if let Some(o) = reconcile_cell(&body, &field, &period, cands, issues) {
            found.insert((body, field, period), o);
        }
    }
    let answered_bodies: BTreeSet<String> = found.keys().map(|(b, _, _)| b.clone()).collect();
    let mut out = Vec::new();
    for body in &register.bodies {
        let answered = answered_bodies.contains(&body.code);
        let replied = replied.contains(&body.code);
        // A statement about the whole request (s12 refusal, nothing held) answers every cell
        // the reply did not answer one by one.
        let whole = notes.get(&body.code).and_then(|n| n.first());
        for field in &schema.fields {
            for period in field.period_keys() {
                let key = (body.code.clone(), field.id.clone(), period.clone());
                if let Some(o) = found.remove(&key) {
                    out.push(o);
                    continue;
                }
                let (status, note, prov) = match (whole, answered) {
                    // A body formed after the period ended: its statement about the whole
                    // request cannot cover a year before it existed.
                    (Some(n), false) if ended_before(&period, &body.opened) => (
                        Status::NotApplicable,
                        format!(
                            "the body opened on {} after this period; whole reply: {}",
                            body.opened, n.text
                        ),
                        vec![Provenance {
                            source: n.source.clone(),
                            location: n.location.clone(),
                            raw: n.text.clone(),
                        }],
                    ),
                    (Some(n), false) => (
                        n.status,
                        format!("whole reply: {}", n.text),
                        vec![Provenance {
                            source: n.source.clone(),
                            location: n.location.clone(),
                            raw: n.text.clone(),
                        }],
                    ),
                    (None, false) if !replied => (
                        Status::NoResponse,
                        "no reply found for this body".to_owned(),
                        Vec::new(),
                    ),
                    (_, answered) => {
                        let evidence = if answered {
                            "the reply answers other questions but none was found for this one"
                        } else {
                            "the body replied but no answer could be read from its reply"
                        };
                        issues.push(Issue {
                            body: body.code.clone(),
                            field: field.id.clone(),
                            period: period.clone(),
                            kind: IssueKind::Missing,
                            source: String::new(),
                            location: String::new(),
                            evidence: evidence.into(),
                        });
                        (Status::Unclear, evidence.to_owned(), Vec::new())
                    }
                };
                out.push(Observation {
                    body: body.code.clone(),
                    field: field.id.clone(),
                    period,
                    status,
                    value: None,
                    provenance: prov,
                    rule: "fill".into(),
                    confidence: 1.0,
                    note,
                });
            }
        }
    }
    // Answers for bodies outside the register (a closed body, a typo) are kept as issues.
    for ((body, field, period), o) in found {
        issues.push(Issue {
            body,
            field,
            period,
            kind: IssueKind::UnknownBody,
            source: o
                .provenance
                .first()
                .map(|p| p.source.clone())
                .unwrap_or_default(),
            location: o
                .provenance
                .first()
                .map(|p| p.location.clone())
                .unwrap_or_default(),
            evidence: "an answer for a body not surveyed in this round".into(),
        });
    }
    out
}

/// What each body's reply amounted to, from its observations.
pub fn reply_of(observations: &[Observation]) -> BTreeMap<String, Reply> {
    let mut statuses: BTreeMap<String, BTreeSet<Status>> = BTreeMap::new();
    for o in observations {
        statuses.entry(o.body.clone()).or_default().insert(o.status);
    }
    statuses
        .into_iter()
        .map(|(body, mut s)| {
            // Years a body did not exist in (or questions that did not apply) do not change
            // what its reply amounted to: "not held" plus N/A is a not-held reply.
            if s.len() > 1 {
                s.remove(&Status::NotApplicable);
            }
            let only = |st: Status| s.len() == 1 && s.contains(&st);
            let reply = if only(Status::NoResponse) {
                Reply::NoResponse
            } else if only(Status::Refused) {
                Reply::Refused
            } else if only(Status::NotHeld) {
                Reply::NotHeld
            } else if s.iter().any(|x| {
                matches!(
                    x,
                    Status::Refused | Status::Exempt | Status::Unclear | Status::NoResponse
                )
            }) {
                Reply::Partial
            } else {
                Reply::Full
            };
            (body, reply)
        })
        .collect()
}

#[cfg(test)]
mod tests;
