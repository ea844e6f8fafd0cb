//! The panel and the like-for-like series: every body, field and period across the rounds, with
//! the body as it was then and the body that stands for it at the latest round; then, per latest
//! body, one value for each field and period (the later round's where rounds overlap; the sum of
//! its predecessors' figures where it did not exist yet, only when every predecessor answered).

use super::restated::{self, Agreement};
use super::rounds::SeriesRound;
use crate::observation::{Observation, Status, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One row of `panel.csv`.
#[derive(Debug, Clone)]
pub struct PanelRow<'a> {
    pub round: &'a str,
    pub as_of: &'a str,
    pub body_code_latest: String,
    pub observation: &'a Observation,
}

/// The panel: every round's rows, in round order (by `as_of`), then body, field and period.
pub fn panel(rounds: &[SeriesRound]) -> Vec<PanelRow<'_>> {
    let Some(latest) = rounds.last() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for r in rounds {
        let mut obs: Vec<&Observation> = r.observations.iter().collect();
        obs.sort_by(|a, b| (&a.body, &a.field, &a.period).cmp(&(&b.body, &b.field, &b.period)));
        for o in obs {
            rows.push(PanelRow {
                round: r.name(),
                as_of: &r.round.as_of,
                body_code_latest: latest
                    .register
                    .body_on(&o.body, &latest.round.as_of)
                    .unwrap_or_default(),
                observation: o,
            });
        }
    }
    rows
}

/// Where a series value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The body's own figure in that round.
    Reported,
    /// The sum of the figures of the bodies it was formed from, all of which answered.
    SumOfPredecessors,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Reported => "reported",
            Basis::SumOfPredecessors => "sum_of_predecessors",
        }
    }
}

/// One value of the like-for-like series.
#[derive(Debug, Clone)]
pub struct SeriesValue {
    pub body: String,
    pub field: String,
    pub period: String,
    pub status: Status,
    pub value: Option<Value>,
    pub round: String,
    pub basis: Basis,
    /// The codes the value stands on (the body itself, or its predecessors).
    pub from: Vec<String>,
    pub sources: String,
    pub note: String,
}

/// Which round wins where two give the same body, field and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    Later,
    Earlier,
}

/// The bodies of round `r` that stand for each latest body.
pub fn predecessors(r: &SeriesRound, latest: &SeriesRound) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for b in &r.register.bodies {
        if let Some(l) = latest.register.body_on(&b.code, &latest.round.as_of) {
            map.entry(l).or_default().push(b.code.clone());
        }
    }
    map
}

/// One round's figure for a latest body: its own, or its predecessors' summed (or why not).
fn from_round(
    r: &SeriesRound,
    body: &str,
    preds: &[String],
    field: &str,
    period: &str,
) -> Option<SeriesValue> {
    let value = |status, value, basis, note: String, sources: String| SeriesValue {
        body: body.to_owned(),
        field: field.to_owned(),
        period: period.to_owned(),
        status,
        value,
        round: r.name().to_owned(),
        basis,
        from: preds.to_vec(),
        sources,
        note,
    };
    let obs: Vec<(&String, &Observation)> = preds
        .iter()
        .filter_map(|p| r.get(p, field, period).map(|o| (p, o)))
        .collect();
    if obs.is_empty() {
        return None;
    }
    let source_of = |o: &Observation| {
        o.provenance
            .iter()
            .map(|p| format!("{} {}", p.source, p.location).trim().to_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    if let [(code, o)] = obs.as_slice()
        && preds.len() == 1
        && code.as_str() == body
    {
        return Some(value(
            o.status,
            o.value.clone(),
            Basis::Reported,
            String::new(),
            source_of(o),
        ));
    }
    let numbers: Vec<Option<f64>> = obs
        .iter()
        .map(|(_, o)| match (o.status, &o.value) {
            (Status::Answered, Some(Value::Number(n))) => Some(*n),
            _ => None,
        })
        .collect();
    let missing: Vec<String> = preds
        .iter()
        .filter(|p| {
            !obs.iter().any(|(c, o)| {
                c == p && o.status == Status::Answered && matches!(o.value, Some(Value::Number(_)))
            })
        })
        .map(|p| {
            let st = r
                .get(p, field, period)
                .map(|o| o.status.as_str())
                .unwrap_or("not surveyed");
            format!("{p} ({st})")
        })
        .collect();
    let sources = obs
        .iter()
        .map(|(c, o)| format!("{c}: {}", source_of(o)))
        .collect::<Vec<_>>()
        .join("; ");
    let list = preds.join(", ");
    if missing.is_empty() && numbers.len() == preds.len() {
        let total: f64 = numbers.iter().flatten().sum();
        return Some(value(
            Status::Answered,
            Some(Value::Number(total)),
            Basis::SumOfPredecessors,
            format!("sum of {list} in {}", r.name()),
            sources,
        ));
    }
    let answered = numbers.iter().filter(|n| n.is_some()).count();
    if answered == 0 {
        // Nobody answered: their common status, else unclear.
        let statuses: BTreeSet<Status> = obs.iter().map(|(_, o)| o.status).collect();
        let status = if statuses.len() == 1 && obs.len() == preds.len() {
            *statuses.iter().next()?
        } else {
            Status::Unclear
        };
        return Some(value(
            status,
            None,
            Basis::SumOfPredecessors,
            format!("no predecessor answered: {}", missing.join(", ")),
            sources,
        ));
    }
    Some(value(
        Status::Unclear,
        None,
        Basis::SumOfPredecessors,
        format!(
            "not like for like: predecessor {} gave no figure; {answered} of {} did",
            missing.join(", "),
            preds.len()
        ),
        sources,
    ))
}

/// The like-for-like series for every latest body, field and period any round asked.
pub fn series(rounds: &[SeriesRound], prefer: Prefer) -> Vec<SeriesValue> {
    let Some(latest) = rounds.last() else {
        return Vec::new();
    };
    let preds: Vec<BTreeMap<String, Vec<String>>> =
        rounds.iter().map(|r| predecessors(r, latest)).collect();
    let mut asked: BTreeSet<(String, String)> = BTreeSet::new();
    for r in rounds {
        for o in &r.observations {
            asked.insert((o.field.clone(), o.period.clone()));
        }
    }
    let mut out = Vec::new();
    for body in latest.register.bodies.iter().map(|b| b.code.as_str()) {
        for (field, period) in &asked {
            let mut candidates: Vec<(usize, SeriesValue)> = rounds
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    preds[i]
                        .get(body)
                        .and_then(|p| from_round(r, body, p, field, period))
                        .map(|v| (i, v))
                })
                .collect();
            if prefer == Prefer::Later {
                candidates.reverse();
            }
            let chosen = candidates
                .iter()
                .find(|(_, v)| v.status == Status::Answered)
                .or(candidates.first());
            let Some((i, chosen)) = chosen else { continue };
            let mut chosen = chosen.clone();
            // Another round's answered figure for the same thing: say whether it agrees.
            for (j, other) in &candidates {
                if j == i {
                    continue;
                }
                if let (
                    Some(Value::Number(a)),
                    Some(Value::Number(b)),
                    Status::Answered,
                    Status::Answered,
                ) = (&other.value, &chosen.value, other.status, chosen.status)
                {
                    let verdict = restated::agreement(*a, *b);
                    if verdict == Agreement::Restated {
                        let note = format!(
                            "{} gave {} ({}): restated",
                            other.round,
                            Value::Number(*a),
                            other.basis.as_str()
                        );
                        chosen.note = if chosen.note.is_empty() {
                            note
                        } else {
                            format!("{}; {note}", chosen.note)
                        };
                    }
                }
            }
            out.push(chosen);
        }
    }
    out
}

/// One difference between two rounds' figures for the same body, field and period.
#[derive(Debug, Clone)]
pub struct Restatement<'a> {
    pub earlier_round: &'a str,
    pub later_round: &'a str,
    pub earlier: &'a Observation,
    pub later: &'a Observation,
    pub earlier_value: f64,
    pub later_value: f64,
    pub agreement: Agreement,
}

/// Every body, field and period two rounds both answered with a number, compared: returns the
/// differing ones (rounding only or restated) and how many were compared.
pub fn restatements(rounds: &[SeriesRound]) -> (Vec<Restatement<'_>>, usize) {
    let mut out = Vec::new();
    let mut compared = 0;
    for (i, earlier) in rounds.iter().enumerate() {
        let index: BTreeMap<(&str, &str, &str), &Observation> = earlier
            .observations
            .iter()
            .map(|o| ((o.body.as_str(), o.field.as_str(), o.period.as_str()), o))
            .collect();
        for later in &rounds[i + 1..] {
            let mut obs: Vec<&Observation> = later.observations.iter().collect();
            obs.sort_by(|a, b| (&a.body, &a.field, &a.period).cmp(&(&b.body, &b.field, &b.period)));
            for l in obs {
                let Some(e) = index.get(&(l.body.as_str(), l.field.as_str(), l.period.as_str()))
                else {
                    continue;
                };
                let Some((a, b, agreement)) = restated::compare(e, l) else {
                    continue;
                };
                compared += 1;
                if agreement != Agreement::Same {
                    out.push(Restatement {
                        earlier_round: earlier.name(),
                        later_round: later.name(),
                        earlier: e,
                        later: l,
                        earlier_value: a,
                        later_value: b,
                        agreement,
                    });
                }
            }
        }
    }
    (out, compared)
}
