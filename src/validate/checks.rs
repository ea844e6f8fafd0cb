//! Declared plausibility checks, read from the schema's `[[checks]]`: a failed check is an issue
//! with its evidence for a person, never an error that stops the run; a check declared with
//! `on_fail = "unclear"` also withdraws the value from the statistics.
//!
//! Kinds: `range` (value within min..max), `per_head_range` (value / a denominator within
//! min..max), `below_population` (value below a denominator), `not_greater` (field ≤ another
//! field for the same body and period), `year_on_year_factor` (consecutive periods within a
//! factor of each other: the mark of a thousands mix-up).

use super::{CheckKind, Issue, IssueKind};
use crate::observation::{Observation, Status, Value};
use crate::register::Register;
use crate::round::Reference;
use crate::schema::{Check, OnFail};
use std::collections::BTreeMap;

/// A denominator by name: a register column (`registered_patients`, `population_0_17`) or a
/// reference table of the round (`population`).
fn denominator(
    name: &str,
    body: &str,
    period: &str,
    register: &Register,
    reference: &BTreeMap<String, Reference>,
) -> Option<f64> {
    match name {
        "registered_patients" => register.get(body).and_then(|b| b.registered_patients),
        "population_0_17" => register.get(body).and_then(|b| b.population_0_17),
        other => reference.get(other).and_then(|t| {
            t.get(&(body.to_owned(), period.to_owned()))
                .or_else(|| t.get(&(body.to_owned(), String::new())))
                .or_else(|| t.iter().find(|((b, _), _)| b == body).map(|(_, v)| v))
                .copied()
        }),
    }
}

fn number(o: &Observation) -> Option<f64> {
    match (&o.status, &o.value) {
        (Status::Answered, Some(Value::Number(n))) => Some(*n),
        _ => None,
    }
}

/// What a failure of `check` is reported as.
fn kind_of(check: &Check) -> CheckKind {
    match check {
        Check::TotalIsSum { .. } => CheckKind::TotalIsSum,
        Check::NotGreater { .. } => CheckKind::NotGreater,
        Check::YearOnYearFactor { .. } => CheckKind::YearOnYearFactor,
        Check::PerHeadRange { .. } => CheckKind::PerHeadRange,
        Check::BelowPopulation { .. } => CheckKind::BelowPopulation,
        Check::Range { .. } => CheckKind::Range,
    }
}

/// Run every declared check over the observations; returns how many failed. (A total's sum is
/// checked where the total's lines are still apart: in reconcile.)
pub fn run(
    observations: &mut [Observation],
    checks: &[Check],
    register: &Register,
    reference: &BTreeMap<String, Reference>,
    issues: &mut Vec<Issue>,
) -> usize {
    let index: BTreeMap<(String, String, String), usize> = observations
        .iter()
        .enumerate()
        .map(|(i, o)| ((o.body.clone(), o.field.clone(), o.period.clone()), i))
        .collect();
    let mut failures: Vec<(usize, IssueKind, String)> = Vec::new(); // (observation, kind, evidence) + on_fail below
    let mut withdraw: Vec<usize> = Vec::new();
    for check in checks {
        let Some(&(_, field)) = check.fields().first() else {
            continue;
        };
        let kind = kind_of(check);
        let unclear = check.on_fail() == OnFail::Unclear;
        let mut fail = |i: usize, evidence: String| {
            failures.push((i, IssueKind::Check(kind), evidence));
            if unclear {
                withdraw.push(i);
            }
        };
        for (i, o) in observations
            .iter()
            .enumerate()
            .filter(|(_, o)| o.field == field)
        {
            let Some(v) = number(o) else { continue };
            let per_head = |name: &str| {
                denominator(name, &o.body, &o.period, register, reference).filter(|d| *d > 0.0)
            };
            match check {
                Check::Range { min, max, .. } => {
                    let (lo, hi) = (min.unwrap_or(f64::MIN), max.unwrap_or(f64::MAX));
                    if v < lo || v > hi {
                        fail(i, format!("{field} {v} outside {lo}..{hi}"));
                    }
                }
                Check::BelowPopulation { denominator, .. } => {
                    if let Some(d) = per_head(denominator)
                        && v >= d
                    {
                        fail(i, format!("{field} {v} is not below {denominator} {d}"));
                    }
                }
                Check::PerHeadRange {
                    denominator,
                    min,
                    max,
                    allow_zero,
                    ..
                } => {
                    let Some(d) = per_head(denominator) else {
                        continue;
                    };
                    let ratio = v / d;
                    let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(f64::MAX));
                    let zero_ok = *allow_zero && v == 0.0;
                    if !zero_ok && (ratio < lo || ratio > hi) {
                        fail(
                            i,
                            format!(
                                "{field} {v} is {ratio:.4} per head of {denominator} ({d}), outside {lo}..{hi}"
                            ),
                        );
                    }
                }
                Check::NotGreater { than, .. } => {
                    if let Some(w) = index
                        .get(&(o.body.clone(), than.to_owned(), o.period.clone()))
                        .and_then(|&j| number(&observations[j]))
                        && v > w
                    {
                        fail(
                            i,
                            format!("{field} {v} is greater than {than} {w} for {}", o.period),
                        );
                    }
                }
                Check::YearOnYearFactor { max_factor, .. } => {
                    let factor = max_factor.unwrap_or(10.0);
                    let next = observations
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| {
                            p.body == o.body && p.field == o.field && p.period > o.period
                        })
                        .min_by(|a, b| a.1.period.cmp(&b.1.period));
                    if let Some((j, p)) = next
                        && let Some(w) = number(p)
                        && v > 0.0
                        && w > 0.0
                        && (w / v > factor || v / w > factor)
                    {
                        let evidence = format!(
                            "{field} {v} in {} then {w} in {}: more than {factor}-fold",
                            o.period, p.period
                        );
                        fail(i, evidence.clone());
                        fail(j, evidence);
                    }
                }
                Check::TotalIsSum { .. } => {}
            }
        }
    }
    let n = failures.len();
    for (i, kind, evidence) in failures {
        let o = &observations[i];
        let p = o.provenance.first();
        issues.push(Issue {
            body: o.body.clone(),
            field: o.field.clone(),
            period: o.period.clone(),
            kind,
            source: p.map(|p| p.source.clone()).unwrap_or_default(),
            location: p.map(|p| p.location.clone()).unwrap_or_default(),
            evidence,
        });
    }
    withdraw.sort();
    withdraw.dedup();
    for i in withdraw {
        let o = &mut observations[i];
        o.note = format!(
            "failed a declared check; was {}: {}",
            o.value.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            o.note
        );
        o.status = Status::Unclear;
        o.value = None;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::Body;

    fn obs(body: &str, field: &str, period: &str, v: f64) -> Observation {
        Observation {
            body: body.into(),
            field: field.into(),
            period: period.into(),
            status: Status::Answered,
            value: Some(Value::Number(v)),
            provenance: Vec::new(),
            rule: "test".into(),
            confidence: 1.0,
            note: String::new(),
        }
    }

    fn register() -> Register {
        Register::from_bodies(vec![Body {
            code: "00A".into(),
            name: "NHS Test CCG".into(),
            opened: "2013-04-01".into(),
            closed: String::new(),
            successor: String::new(),
            registered_patients: Some(100_000.0),
            population_0_17: Some(20_000.0),
        }])
    }

    fn checks(toml_text: &str) -> Vec<Check> {
        #[derive(serde::Deserialize)]
        struct Checks {
            checks: Vec<Check>,
        }
        toml::from_str::<Checks>(toml_text).unwrap().checks
    }

    #[test]
    fn a_thousands_mix_up_fails_the_per_head_band_and_is_withdrawn() {
        let mut o = vec![
            obs("00A", "camhs_budget", "2015-16", 1_500_000.0),
            obs("00A", "camhs_budget", "2016-17", 1_650.0),
        ];
        let c = checks(
            "[[checks]]\nkind='per_head_range'\nfield='camhs_budget'\ndenominator='population_0_17'\nmin=5.0\nmax=1000.0\non_fail='unclear'\n",
        );
        let mut issues = Vec::new();
        assert_eq!(
            run(&mut o, &c, &register(), &BTreeMap::new(), &mut issues),
            1
        );
        assert_eq!(o[0].status, Status::Answered);
        assert_eq!(o[1].status, Status::Unclear);
        assert!(issues[0].evidence.contains("per head"), "{:?}", issues[0]);
    }

    #[test]
    fn a_jump_between_years_flags_both_and_a_relation_only_flags() {
        let mut o = vec![
            obs("00A", "mh_budget", "2014-15", 30_000_000.0),
            obs("00A", "mh_budget", "2015-16", 30_000.0),
            obs("00A", "camhs_budget", "2014-15", 40_000_000.0),
        ];
        let c = checks(
            "[[checks]]\nkind='year_on_year_factor'\nfield='mh_budget'\nmax_factor=5.0\non_fail='unclear'\n[[checks]]\nkind='not_greater'\nfield='camhs_budget'\nthan='mh_budget'\n",
        );
        let mut issues = Vec::new();
        assert_eq!(
            run(&mut o, &c, &register(), &BTreeMap::new(), &mut issues),
            3
        );
        assert_eq!(
            (o[0].status, o[1].status, o[2].status),
            (Status::Unclear, Status::Unclear, Status::Answered)
        );
        assert!(
            issues
                .iter()
                .any(|i| i.kind == IssueKind::Check(CheckKind::NotGreater))
        );
    }
}
