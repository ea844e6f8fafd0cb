//! `foi compare`: rounds over time. Reads the output folders of rounds already run (each
//! round's `responses.csv`, running a round first only when it has none), follows every body
//! through the register's mergers to the body that stands for it at the latest round, and writes
//! the panel, the like-for-like series, the restated figures, kept pace per year, coverage and
//! national totals, with a report of the series.

pub mod parquet;
pub mod report;
pub mod restated;
pub mod rounds;
pub mod series;

use crate::validate::Reply;
use rounds::SeriesRound;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(transparent)]
    Round(#[from] crate::round::RoundError),
    #[error(transparent)]
    Schema(#[from] crate::schema::SchemaError),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
    #[error(transparent)]
    Analyse(#[from] crate::analyse::AnalyseError),
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    #[error("{round}: the round had no outputs and could not be run: {message}")]
    Run { round: PathBuf, message: String },
    #[error("{path}: line {line}: {message}")]
    Responses {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// The round, its schema or its register could not be loaded.
    #[error(transparent)]
    Inputs(#[from] crate::pipeline::RunError),
    #[error(
        "compare needs at least two rounds; `--outputs` must give one folder per round ({rounds} rounds, {outputs} outputs)"
    )]
    Arguments { rounds: usize, outputs: usize },
    #[error(
        "{later} and {earlier}: schemas differ ({later_schema} against {earlier_schema}): only rounds of one survey are compared"
    )]
    Schemas {
        earlier: String,
        later: String,
        earlier_schema: String,
        later_schema: String,
    },
}

/// What `foi compare` was asked.
#[derive(Debug, Default)]
pub struct CompareOptions {
    pub rounds: Vec<PathBuf>,
    /// One output folder per round, in the same order (default `reports/<round name>/`).
    pub outputs: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub schemas: Option<PathBuf>,
}

/// Kept pace for one year and rule, from the round that classifies it.
#[derive(Debug, Clone)]
pub struct PaceYear {
    pub year: String,
    pub round: String,
    pub rule: String,
    pub default_rule: bool,
    pub kept: u64,
    pub backfilled: u64,
    pub percent: Option<f64>,
    pub ci: Option<(f64, f64)>,
    /// Leaving out bodies with any `unclear` value (default rule only).
    pub excluding_unclear: Option<(u64, u64)>,
}

/// One latest body's replies round by round.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub body: String,
    pub name: String,
    /// Per round: the codes then and their replies (`00W full`), and whether any answered.
    pub rounds: Vec<(String, String, bool)>,
}

impl Coverage {
    pub fn every_round(&self) -> bool {
        self.rounds.iter().all(|r| r.2)
    }

    /// Answered in an earlier round, not in the latest.
    pub fn dropped_out(&self) -> bool {
        self.rounds.last().is_some_and(|r| !r.2) && self.rounds.iter().rev().skip(1).any(|r| r.2)
    }
}

/// A round's national totals for one year: the allocation table's, and the figures stated.
#[derive(Debug, Clone)]
pub struct Totals {
    pub round: String,
    pub period: String,
    pub bodies: usize,
    pub reference_bodies: usize,
    pub reference_total: f64,
    pub stated_n: usize,
    pub stated_total: f64,
    pub reference_for_stated: f64,
    pub budget_n: usize,
    pub budget_total: f64,
}

/// Everything `foi compare` found.
pub struct Comparison<'a> {
    pub rounds: &'a [SeriesRound],
    pub panel: Vec<series::PanelRow<'a>>,
    pub series: Vec<series::SeriesValue>,
    pub prefer: series::Prefer,
    pub restatements: Vec<series::Restatement<'a>>,
    pub compared: usize,
    pub pace: Vec<PaceYear>,
    pub coverage: Vec<Coverage>,
    pub totals: Vec<Totals>,
    /// Every earlier body and the latest body it maps to (empty when none).
    pub mapping: Vec<(String, String, String)>,
}

impl Comparison<'_> {
    /// Of the latest round's bodies: how many answered in every round, and which answered
    /// before but not in the latest round.
    pub fn coverage_counts(&self) -> (usize, Vec<&str>) {
        let every = self.coverage.iter().filter(|v| v.every_round()).count();
        let dropped = self
            .coverage
            .iter()
            .filter(|v| v.dropped_out())
            .map(|v| v.body.as_str())
            .collect();
        (every, dropped)
    }
}

/// What the command prints and how it exits.
#[derive(Debug)]
pub struct CompareSummary {
    pub out: PathBuf,
    pub lines: Vec<String>,
    /// Values left `unclear` for a person (a predecessor missing from a sum).
    pub unclear: usize,
}

/// Load the rounds, compare them and write the outputs.
pub fn run(opts: &CompareOptions) -> Result<CompareSummary, CompareError> {
    if opts.rounds.len() < 2
        || (!opts.outputs.is_empty() && opts.outputs.len() != opts.rounds.len())
    {
        return Err(CompareError::Arguments {
            rounds: opts.rounds.len(),
            outputs: opts.outputs.len(),
        });
    }
    let mut rounds = Vec::new();
    for (i, dir) in opts.rounds.iter().enumerate() {
        rounds.push(rounds::load(
            dir,
            opts.outputs.get(i).map(PathBuf::as_path),
            opts.schemas.as_deref(),
        )?);
    }
    rounds.sort_by(|a, b| {
        a.round
            .as_of
            .cmp(&b.round.as_of)
            .then(a.round.name.cmp(&b.round.name))
    });
    for pair in rounds.windows(2) {
        if pair[0].round.schema != pair[1].round.schema {
            return Err(CompareError::Schemas {
                earlier: pair[0].round.name.clone(),
                later: pair[1].round.name.clone(),
                earlier_schema: pair[0].round.schema.clone(),
                later_schema: pair[1].round.schema.clone(),
            });
        }
    }
    let names: Vec<&str> = rounds.iter().map(|r| r.name()).collect();
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("compare-{}", names.join("-"))));
    let comparison = compare(&rounds);
    report::write_all(&out, &comparison)?;
    let mut lines = Vec::new();
    for r in &rounds {
        let how = if r.ran { "run now" } else { "read" };
        lines.push(format!(
            "round {} (as of {}): {} ({how})",
            r.name(),
            r.round.as_of,
            r.out.display()
        ));
    }
    for p in comparison.pace.iter().filter(|p| p.default_rule) {
        lines.push(format!(
            "{}: kept pace {} of {} ({}), from {}",
            p.year,
            p.kept,
            p.kept + p.backfilled,
            p.percent
                .map(|x| format!("{x:.1}%"))
                .unwrap_or_else(|| "-".into()),
            p.round
        ));
    }
    let restated: Vec<String> = restated_bodies(&comparison);
    lines.push(format!(
        "restated: {} bodies ({}); {} figures differ by rounding only; {} compared",
        restated.len(),
        restated.join(", "),
        comparison
            .restatements
            .iter()
            .filter(|r| r.agreement == restated::Agreement::RoundingOnly)
            .count(),
        comparison.compared
    ));
    let unmapped = comparison.mapping.iter().filter(|m| m.2.is_empty()).count();
    lines.push(format!(
        "bodies mapped to the latest round: {} of {}",
        comparison.mapping.len() - unmapped,
        comparison.mapping.len()
    ));
    let unclear = comparison
        .series
        .iter()
        .filter(|v| {
            v.status == crate::observation::Status::Unclear
                && v.basis == series::Basis::SumOfPredecessors
        })
        .count();
    lines.push(format!("outputs: {}", out.display()));
    Ok(CompareSummary {
        out,
        lines,
        unclear,
    })
}

/// The bodies with a figure restated beyond rounding, in code order.
pub fn restated_bodies(c: &Comparison) -> Vec<String> {
    let mut v: Vec<String> = c
        .restatements
        .iter()
        .filter(|r| r.agreement == restated::Agreement::Restated)
        .map(|r| r.later.body.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The comparison itself, without writing anything.
pub fn compare(rounds: &[SeriesRound]) -> Comparison<'_> {
    let latest = rounds.last();
    let prefer = match latest.map(|l| l.schema.restated) {
        Some(crate::schema::Restated::Earlier) => series::Prefer::Earlier,
        _ => series::Prefer::Later,
    };
    let (restatements, compared) = series::restatements(rounds);
    let mut mapping = Vec::new();
    if let Some(l) = latest {
        for r in &rounds[..rounds.len() - 1] {
            for b in &r.register.bodies {
                mapping.push((
                    r.name().to_owned(),
                    b.code.clone(),
                    l.register
                        .body_on(&b.code, &l.round.as_of)
                        .unwrap_or_default(),
                ));
            }
        }
    }
    Comparison {
        rounds,
        panel: series::panel(rounds),
        series: series::series(rounds, prefer),
        prefer,
        restatements,
        compared,
        pace: pace(rounds),
        coverage: coverage(rounds),
        totals: totals(rounds),
        mapping,
    }
}

fn number(summary: &BTreeMap<String, Json>, key: &str) -> Option<f64> {
    summary.get(key).and_then(Json::as_f64)
}

/// Kept pace per year: each year from the latest round whose own analysis classifies it (the
/// figures of `summary.json`, computed by the same code).
pub fn pace(rounds: &[SeriesRound]) -> Vec<PaceYear> {
    let mut years: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in rounds.iter().enumerate() {
        for k in &r.analysis.kept_pace {
            years.insert(k.year.clone(), i);
        }
        let key = &r.analysis.kept_pace_key;
        if key.is_empty() {
            continue;
        }
        for s in r.analysis.summary.keys() {
            if let Some(year) = s
                .strip_prefix(&format!("{key}."))
                .and_then(|rest| rest.strip_suffix(".classifiable"))
                .filter(|y| !y.contains('.'))
            {
                years.insert(year.to_owned(), i);
            }
        }
    }
    let mut out = Vec::new();
    for (year, i) in years {
        let r = &rounds[i];
        let a = &r.analysis;
        for rule in [
            crate::analyse::PaceRule::YearOnYear,
            crate::analyse::PaceRule::Baseline,
        ] {
            let k = format!("{}.{year}.{}", a.kept_pace_key, rule.as_str());
            let kept = number(&a.summary, &format!("{k}.kept_pace")).unwrap_or(0.0) as u64;
            let backfilled = number(&a.summary, &format!("{k}.backfilled")).unwrap_or(0.0) as u64;
            let default_rule = rule == a.kept_pace_rule;
            let clean = format!("{}.{year}.excluding_unclear", a.kept_pace_key);
            out.push(PaceYear {
                year: year.clone(),
                round: r.name().to_owned(),
                rule: rule.as_str().to_owned(),
                default_rule,
                kept,
                backfilled,
                percent: number(&a.summary, &format!("{k}.percent_kept_pace")),
                ci: number(&a.summary, &format!("{k}.percent_kept_pace.ci95_low")).zip(number(
                    &a.summary,
                    &format!("{k}.percent_kept_pace.ci95_high"),
                )),
                excluding_unclear: default_rule.then(|| {
                    (
                        number(&a.summary, &format!("{clean}.kept_pace")).unwrap_or(0.0) as u64,
                        number(&a.summary, &format!("{clean}.backfilled")).unwrap_or(0.0) as u64,
                    )
                }),
            });
        }
    }
    out
}

/// Per latest body: who answered for it in each round.
pub fn coverage(rounds: &[SeriesRound]) -> Vec<Coverage> {
    let Some(latest) = rounds.last() else {
        return Vec::new();
    };
    let preds: Vec<_> = rounds
        .iter()
        .map(|r| series::predecessors(r, latest))
        .collect();
    latest
        .register
        .bodies
        .iter()
        .map(|b| Coverage {
            body: b.code.clone(),
            name: b.name.clone(),
            rounds: rounds
                .iter()
                .zip(&preds)
                .map(|(r, p)| {
                    let codes = p.get(&b.code).cloned().unwrap_or_default();
                    let replies: Vec<(String, Reply)> = codes
                        .iter()
                        .map(|c| {
                            (
                                c.clone(),
                                r.replies.get(c).copied().unwrap_or(Reply::NoResponse),
                            )
                        })
                        .collect();
                    let answered = replies
                        .iter()
                        .any(|(_, x)| matches!(x, Reply::Full | Reply::Partial));
                    let text = replies
                        .iter()
                        .map(|(c, x)| format!("{c} {}", x.as_str()))
                        .collect::<Vec<_>>()
                        .join("; ");
                    (
                        r.name().to_owned(),
                        if text.is_empty() {
                            "not yet open".to_owned()
                        } else {
                            text
                        },
                        answered,
                    )
                })
                .collect(),
        })
        .collect()
}

/// Per round and year: the allocation reference table's national total against the figures the
/// bodies stated, and the budget total of those that answered.
pub fn totals(rounds: &[SeriesRound]) -> Vec<Totals> {
    let mut out = Vec::new();
    for r in rounds {
        let (budget, allocation) = &r.analysis.kept_pace_fields;
        if allocation.is_empty() {
            continue;
        }
        let reference = r.round.reference.get(allocation);
        let periods = r
            .schema
            .field(allocation)
            .map(|f| f.periods.clone())
            .unwrap_or_default();
        for period in periods {
            let mut t = Totals {
                round: r.name().to_owned(),
                period: period.clone(),
                bodies: r.register.bodies.len(),
                reference_bodies: 0,
                reference_total: 0.0,
                stated_n: 0,
                stated_total: 0.0,
                reference_for_stated: 0.0,
                budget_n: 0,
                budget_total: 0.0,
            };
            for b in &r.register.bodies {
                let refv = reference
                    .and_then(|t| t.get(&(b.code.clone(), period.clone())))
                    .copied();
                if let Some(v) = refv {
                    t.reference_bodies += 1;
                    t.reference_total += v;
                }
                if let Some(crate::observation::Observation {
                    status: crate::observation::Status::Answered,
                    value: Some(crate::observation::Value::Number(v)),
                    ..
                }) = r.get(&b.code, allocation, &period)
                {
                    t.stated_n += 1;
                    t.stated_total += v;
                    t.reference_for_stated += refv.unwrap_or(0.0);
                }
                if let Some(crate::observation::Observation {
                    status: crate::observation::Status::Answered,
                    value: Some(crate::observation::Value::Number(v)),
                    ..
                }) = r.get(&b.code, budget, &period)
                {
                    t.budget_n += 1;
                    t.budget_total += v;
                }
            }
            out.push(t);
        }
    }
    out
}
