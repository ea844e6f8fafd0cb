//! Analyse: the statistics researchers publish, computed with polars from the reconciled
//! observations: by type for every field and period (fields.rs), and by the derived statistics
//! the schema declares (a ratio, a change between periods, a comparison such as kept pace),
//! each with the bodies it used. No code knows any one survey.

pub mod change;
pub mod claims;
pub mod fields;
pub mod funnel;
pub mod official;

use crate::observation::{Observation, Status, Value};
use crate::register::Register;
use crate::round::Round;
pub use crate::schema::PaceRule;
use crate::schema::{Derived, FieldType, Schema};
use crate::validate::Reply;
use polars::prelude::*;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum AnalyseError {
    #[error("analysis of round {round}: {source}")]
    Polars { round: String, source: PolarsError },
    #[error(transparent)]
    Claims(#[from] claims::ClaimsError),
    #[error("schema {schema}: derived.{name}: {message}")]
    Derived {
        schema: String,
        name: String,
        message: String,
    },
}

/// One body's per-patient budget and its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct PerPatient {
    pub body: String,
    pub budget: f64,
    pub patients: f64,
    pub per_patient: f64,
}

/// n, lowest, quartiles, median, highest and fold of `values` under `key` (nothing but n when empty).
pub(crate) fn insert_distribution(
    summary: &mut BTreeMap<String, Json>,
    key: &str,
    values: &[f64],
    with_total: bool,
) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    summary.insert(format!("{key}.n"), json!(sorted.len()));
    let (Some(min), Some(max)) = (sorted.first().copied(), sorted.last().copied()) else {
        return;
    };
    if with_total {
        summary.insert(
            format!("{key}.total"),
            json!(round2(sorted.iter().sum::<f64>())),
        );
    }
    summary.insert(format!("{key}.min"), json!(round2(min)));
    summary.insert(format!("{key}.q1"), json!(round2(quantile(&sorted, 0.25))));
    summary.insert(format!("{key}.median"), json!(round2(median(&sorted))));
    summary.insert(format!("{key}.q3"), json!(round2(quantile(&sorted, 0.75))));
    summary.insert(format!("{key}.max"), json!(round2(max)));
    if min > 0.0 {
        summary.insert(format!("{key}.fold"), json!(round2(max / min)));
    }
}

/// One body's verdict for one year under the kept-pace rule.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptPace {
    pub year: String,
    pub rule: PaceRule,
    /// The year the budget is compared against (the year before, or the baseline year).
    pub base: String,
    pub body: String,
    pub increase: f64,
    pub new_money: f64,
    pub kept_pace: bool,
    /// Where the allocations came from: `stated`, `reference` or both.
    pub allocation_source: String,
    /// The body has an `unclear` value somewhere: left out of the sensitivity count.
    pub has_unclear: bool,
}

/// One line of the kept-pace table: one year under one view (a rule, or the default rule
/// without the bodies that have an `unclear` value, the sensitivity line).
#[derive(Debug, Clone, PartialEq)]
pub struct PaceLine {
    pub year: String,
    /// The view as the reports name it: `year_on_year`, `baseline`, or the sensitivity line's
    /// words.
    pub label: &'static str,
    /// The part of its summary key after the year (`camhs.2015-16.<part>.percent_kept_pace`).
    pub part: &'static str,
    pub rule: PaceRule,
    /// The sensitivity line: bodies with any unclear value left out.
    pub sensitivity: bool,
    /// Bodies that kept pace, of those classifiable.
    pub kept: u32,
    pub total: u32,
    /// The 95% Wilson interval of the share that kept pace, in percent (none of no bodies).
    pub interval: Option<(f64, f64)>,
}

impl PaceLine {
    /// The share that kept pace, in percent (none of no bodies).
    pub fn percent(&self) -> Option<f64> {
        (self.total > 0).then(|| 100.0 * self.kept as f64 / self.total as f64)
    }
}

/// The kept-pace lines of every year (in the order the verdicts are listed) under each view:
/// both rules, then the default rule without bodies that have an unclear value.
fn pace_lines(kept_pace: &[KeptPace], default: PaceRule) -> Vec<PaceLine> {
    let mut years: Vec<&str> = kept_pace.iter().map(|k| k.year.as_str()).collect();
    years.dedup();
    let sensitivity = match default {
        PaceRule::YearOnYear => "year_on_year, leaving out bodies with any unclear value",
        PaceRule::Baseline => "baseline, leaving out bodies with any unclear value",
    };
    let views = [
        ("year_on_year", "year_on_year", PaceRule::YearOnYear, false),
        ("baseline", "baseline", PaceRule::Baseline, false),
        (sensitivity, "excluding_unclear", default, true),
    ];
    let mut lines = Vec::new();
    for year in years {
        for (label, part, rule, sensitivity) in views {
            let rows = kept_pace
                .iter()
                .filter(|k| k.year == year && k.rule == rule && !(sensitivity && k.has_unclear));
            let (kept, total) = rows.fold((0, 0), |(k, n), r| (k + u32::from(r.kept_pace), n + 1));
            lines.push(PaceLine {
                year: year.to_owned(),
                label,
                part,
                rule,
                sensitivity,
                kept,
                total,
                interval: wilson(kept, total),
            });
        }
    }
    lines
}

/// One yes/no field's count.
#[derive(Debug, Clone, PartialEq)]
pub struct YesShare {
    pub field: String,
    pub yes: u32,
    pub answered: u32,
}

#[derive(Debug, Default)]
pub struct Analysis {
    /// Flat keys: the headline (`replies.full`, `seven_day_beds.percent`, ...), `fields.*` by type, `derived.*`.
    pub summary: BTreeMap<String, Json>,
    pub per_patient: Vec<PerPatient>,
    /// The lowest and highest budget per patient (as computed, not rounded).
    pub per_patient_range: Option<(f64, f64)>,
    pub kept_pace: Vec<KeptPace>,
    /// Answers marked `unclear`, left out of every statistic for a person to resolve.
    pub unclear_answers: usize,
    /// The kept-pace table: each year under each view, counted.
    pub pace_lines: Vec<PaceLine>,
    pub yes_shares: Vec<YesShare>,
    /// Published claims checked against these statistics.
    pub claims: Vec<claims::Verdict>,
    /// Value and denominator per body, by period, for the declared per-head statistic.
    pub per_head: BTreeMap<String, Vec<(String, f64, f64)>>,
    /// The funnel plot's statistics of each period of `per_head` with three bodies or more.
    pub funnels: BTreeMap<String, funnel::Funnel>,
    /// The per-patient statistic's summary key (`palliative.per_patient`), and the numerator's
    /// field and period (`spc_budget`, `2015-16`) and the denominator's field.
    pub per_patient_key: String,
    pub per_patient_fields: (String, String, String),
    /// The per-head statistic's summary key (`camhs.spend_per_child`), field and denominator
    /// (`population_0_17`), for the report's wording and links.
    pub per_head_key: String,
    pub per_head_field: String,
    pub per_head_denominator: String,
    /// The kept-pace statistic's summary key (`camhs`), budget and allocation fields.
    pub kept_pace_key: String,
    pub kept_pace_fields: (String, String),
    /// The round's default rule: its figures are the headline and the sensitivity line's.
    pub kept_pace_rule: PaceRule,
    /// The kept-pace section's heading and the wording of its two verdicts, from the schema.
    pub kept_pace_title: String,
    pub kept_pace_words: (String, String),
    /// The per-patient and per-head sections' headings and their "per ..." words.
    pub per_patient_title: String,
    pub per_patient_per: String,
    pub per_head_title: String,
    /// Statistics of every field and period, by the field's type.
    pub fields: Vec<fields::FieldStat>,
    /// Declared `change` statistics.
    pub changes: Vec<change::Change>,
    /// Declared ratios beyond the first per-patient and per-head ones (shown as tables).
    pub ratios: Vec<Ratio>,
    /// FOI answers against official tables, per declaration and period (`[[official]]`).
    pub official: Vec<official::Comparison>,
}

/// A declared ratio: each body's numerator over its denominator, by period.
#[derive(Debug, Clone, Default)]
pub struct Ratio {
    pub name: String,
    pub key: String,
    pub title: String,
    pub numerator: String,
    pub denominator: String,
    /// Per period: (body, numerator, denominator), sorted by body.
    pub rows: BTreeMap<String, Vec<(String, f64, f64)>>,
    /// The summary key of each period's statistics (the key alone for a single declared period).
    pub keys: BTreeMap<String, String>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Wilson score interval (95%) for `k` successes of `n`, in percent.
pub fn wilson(k: u32, n: u32) -> Option<(f64, f64)> {
    use statrs::distribution::{ContinuousCDF, Normal};
    if n == 0 {
        return None;
    }
    let z = Normal::standard().inverse_cdf(0.975);
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    Some((
        100.0 * (centre - half).max(0.0),
        100.0 * (centre + half).min(1.0),
    ))
}

/// Linear-interpolation quantile of sorted values (the R-7 / numpy default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn insert_interval(summary: &mut BTreeMap<String, Json>, key: &str, k: u32, n: u32) {
    if let Some((lo, hi)) = wilson(k, n) {
        summary.insert(format!("{key}.ci95_low"), json!(round2(lo)));
        summary.insert(format!("{key}.ci95_high"), json!(round2(hi)));
    }
}

fn frame(observations: &[Observation]) -> PolarsResult<DataFrame> {
    let body: Vec<&str> = observations.iter().map(|o| o.body.as_str()).collect();
    let field: Vec<&str> = observations.iter().map(|o| o.field.as_str()).collect();
    let period: Vec<&str> = observations.iter().map(|o| o.period.as_str()).collect();
    let status: Vec<&str> = observations.iter().map(|o| o.status.as_str()).collect();
    let number: Vec<Option<f64>> = observations
        .iter()
        .map(|o| match (&o.status, &o.value) {
            (Status::Answered, Some(Value::Number(n))) => Some(*n),
            _ => None,
        })
        .collect();
    let code: Vec<Option<&str>> = observations
        .iter()
        .map(|o| match (&o.status, &o.value) {
            (Status::Answered, Some(Value::Code(c))) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    DataFrame::new(vec![
        Column::new("body".into(), body),
        Column::new("field".into(), field),
        Column::new("period".into(), period),
        Column::new("status".into(), status),
        Column::new("number".into(), number),
        Column::new("code".into(), code),
    ])
}

/// Every statistic of a round, from its observations and each body's reply; `published` are
/// the round's claims (claims.toml), checked against the statistics.
pub fn analyse(
    observations: &[Observation],
    replies: &BTreeMap<String, Reply>,
    schema: &Schema,
    round: &Round,
    register: &Register,
    published: &[claims::Claim],
) -> Result<Analysis, AnalyseError> {
    let polars_err = |source| AnalyseError::Polars {
        round: round.name.clone(),
        source,
    };
    let mut a = Analysis::default();
    let count = |r: Reply| replies.values().filter(|&&x| x == r).count();
    a.summary
        .insert("bodies.contacted".into(), json!(replies.len()));
    a.summary.insert(
        "bodies.replied".into(),
        json!(replies.len() - count(Reply::NoResponse)),
    );
    for r in [
        Reply::Full,
        Reply::Partial,
        Reply::Refused,
        Reply::NotHeld,
        Reply::NoResponse,
    ] {
        a.summary
            .insert(format!("replies.{}", r.as_str()), json!(count(r)));
    }
    // Of the partial replies, those that answered every item and left only figures a person
    // must read again (`unclear`): a full reply with items to review, not a body that withheld
    // part of what was asked. `replies.partial` keeps both (the reply-kind contract).
    let mut withheld: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for o in observations {
        if !matches!(
            o.status,
            Status::Answered | Status::Unclear | Status::NotApplicable
        ) {
            withheld.insert(o.body.as_str());
        }
    }
    let to_review = replies
        .iter()
        .filter(|(b, r)| **r == Reply::Partial && !withheld.contains(b.as_str()))
        .count();
    a.summary
        .insert("replies.partial_full_with_review".into(), json!(to_review));
    let df = frame(observations).map_err(polars_err)?;
    yes_no(&df, schema, &mut a).map_err(polars_err)?;
    fields::by_type(observations, schema, &mut a);
    for (name, d) in &schema.derived {
        let key = d.key(name);
        match d {
            Derived::Ratio {
                numerator,
                numerator_period,
                denominator,
                per,
                title,
                ..
            } => {
                let r = ratio(
                    observations,
                    schema,
                    round,
                    register,
                    name,
                    &key,
                    numerator,
                    numerator_period.as_deref(),
                    denominator,
                    title.as_deref(),
                    per.as_deref(),
                );
                ratio_summary(&r, numerator_period.is_some(), &mut a);
                let by_field = schema.field(denominator).is_some();
                if by_field && a.per_patient_key.is_empty() && numerator_period.is_some() {
                    per_patient_view(
                        &r,
                        numerator_period.as_deref().unwrap_or(""),
                        per.as_deref(),
                        &mut a,
                    );
                } else if !by_field && a.per_head_key.is_empty() {
                    a.per_head_key = r.key.clone();
                    a.per_head_field = r.numerator.clone();
                    a.per_head_denominator = r.denominator.clone();
                    a.per_head_title = r.title.clone();
                    a.per_head = r.rows.clone();
                    a.funnels = r
                        .rows
                        .iter()
                        .filter_map(|(p, rows)| Some((p.clone(), funnel::Funnel::of(rows)?)))
                        .collect();
                } else {
                    a.ratios.push(r);
                }
            }
            Derived::Change {
                field,
                from,
                to,
                title,
                ..
            } => {
                if let Some(c) = change::change(
                    observations,
                    schema,
                    name,
                    &key,
                    field,
                    from.as_deref(),
                    to.as_deref(),
                    title.as_deref(),
                ) {
                    change::insert_summary(&c, &mut a.summary);
                    a.changes.push(c);
                }
            }
            Derived::Compare { .. } => kept_pace(observations, schema, round, &key, d, &mut a),
        }
    }
    a.pace_lines = pace_lines(&a.kept_pace, a.kept_pace_rule);
    a.unclear_answers = observations
        .iter()
        .filter(|o| o.status == Status::Unclear)
        .count();
    official::compare_all(observations, schema, round, register, &mut a);
    a.claims = claims::check(published, &a.summary);
    for (i, v) in a.claims.iter().enumerate() {
        a.summary
            .insert(format!("claims.{}.reproduced", i + 1), json!(v.reproduced));
    }
    Ok(a)
}

/// For each yes/no field: how many answered, how many said yes, and the percent.
fn yes_no(df: &DataFrame, schema: &Schema, a: &mut Analysis) -> PolarsResult<()> {
    let yn_fields: Vec<&str> = schema
        .fields
        .iter()
        .filter(|f| f.kind == FieldType::YesNo)
        .map(|f| f.id.as_str())
        .collect();
    if yn_fields.is_empty() {
        return Ok(());
    }
    let out = df
        .clone()
        .lazy()
        .filter(col("code").is_not_null())
        .group_by([col("field")])
        .agg([
            len().alias("answered"),
            col("code")
                .eq(lit("yes"))
                .cast(DataType::UInt32)
                .sum()
                .alias("yes"),
        ])
        .sort(["field"], SortMultipleOptions::default())
        .collect()?;
    let fields = out.column("field")?.str()?.clone();
    let answered = out.column("answered")?.cast(&DataType::UInt32)?;
    let answered = answered.u32()?;
    let yes = out.column("yes")?.u32()?.clone();
    for f in &yn_fields {
        let idx = fields.iter().position(|x| x == Some(*f));
        let (y, n) = idx
            .map(|i| (yes.get(i).unwrap_or(0), answered.get(i).unwrap_or(0)))
            .unwrap_or((0, 0));
        a.summary.insert(format!("{f}.yes"), json!(y));
        a.summary.insert(format!("{f}.answered"), json!(n));
        a.summary.insert(
            format!("{f}.percent"),
            if n > 0 {
                json!(round2(100.0 * y as f64 / n as f64))
            } else {
                Json::Null
            },
        );
        insert_interval(&mut a.summary, f, y, n);
        a.yes_shares.push(YesShare {
            field: (*f).to_owned(),
            yes: y,
            answered: n,
        });
    }
    Ok(())
}

/// A denominator for one body and period: a numeric field's answer, a register column or a
/// round's reference table (that period's figure, else one without a period, else the
/// earliest).
fn denominator_of(
    observations: &BTreeMap<(&str, &str, &str), f64>,
    schema: &Schema,
    round: &Round,
    register: &Register,
    name: &str,
    body: &str,
    period: &str,
) -> Option<f64> {
    if let Some(f) = schema.field(name) {
        let p = if f.periods.is_empty() { "" } else { period };
        return observations.get(&(body, name, p)).copied();
    }
    match name {
        "registered_patients" => register.get(body).and_then(|b| b.registered_patients),
        "population_0_17" => register.get(body).and_then(|b| b.population_0_17),
        other => round.reference.get(other).and_then(|t| {
            t.get(&(body.to_owned(), period.to_owned()))
                .or_else(|| t.get(&(body.to_owned(), String::new())))
                .copied()
                .or_else(|| {
                    let mut own: Vec<(&String, &f64)> = t
                        .iter()
                        .filter(|((b, _), _)| b == body)
                        .map(|((_, p), v)| (p, v))
                        .collect();
                    own.sort_by(|x, y| x.0.cmp(y.0));
                    own.first().map(|(_, v)| **v)
                })
        }),
    }
}

/// Every body's numerator over its denominator (above zero), per period.
#[allow(clippy::too_many_arguments)]
fn ratio(
    observations: &[Observation],
    schema: &Schema,
    round: &Round,
    register: &Register,
    name: &str,
    key: &str,
    numerator: &str,
    numerator_period: Option<&str>,
    denominator: &str,
    title: Option<&str>,
    per: Option<&str>,
) -> Ratio {
    let answered: BTreeMap<(&str, &str, &str), f64> = observations
        .iter()
        .filter_map(|o| match (o.status, &o.value) {
            (Status::Answered, Some(Value::Number(n))) => {
                Some(((o.body.as_str(), o.field.as_str(), o.period.as_str()), *n))
            }
            _ => None,
        })
        .collect();
    let mut rows: BTreeMap<String, Vec<(String, f64, f64)>> = BTreeMap::new();
    for ((body, field, period), v) in &answered {
        if *field != numerator || numerator_period.is_some_and(|p| p != *period) {
            continue;
        }
        if let Some(d) = denominator_of(
            &answered,
            schema,
            round,
            register,
            denominator,
            body,
            period,
        )
        .filter(|d| *d > 0.0)
        {
            rows.entry((*period).to_owned())
                .or_default()
                .push(((*body).to_owned(), *v, d));
        }
    }
    let label = |id: &str| {
        schema
            .field(id)
            .map(|f| f.display().to_owned())
            .unwrap_or_else(|| id.replace('_', " "))
    };
    let title = title.map(str::to_owned).unwrap_or_else(|| match per {
        Some(p) => format!("{} per {p}", label(numerator)),
        None => format!("{} per {}", label(numerator), label(denominator)),
    });
    let keys = rows
        .keys()
        .map(|p| {
            (
                p.clone(),
                if numerator_period.is_some() || p.is_empty() {
                    key.to_owned()
                } else {
                    format!("{key}.{p}")
                },
            )
        })
        .collect();
    Ratio {
        name: name.to_owned(),
        key: key.to_owned(),
        title,
        numerator: numerator.to_owned(),
        denominator: denominator.to_owned(),
        rows,
        keys,
    }
}

fn ratio_summary(r: &Ratio, single: bool, a: &mut Analysis) {
    if single && r.rows.is_empty() {
        a.summary.insert(format!("{}.n", r.key), json!(0));
    }
    for (period, rows) in &r.rows {
        let values: Vec<f64> = rows.iter().map(|(_, v, d)| v / d).collect();
        insert_distribution(&mut a.summary, &r.keys[period], &values, false);
    }
}

/// The first single-period ratio over a field: the per-patient view of the report.
fn per_patient_view(r: &Ratio, period: &str, per: Option<&str>, a: &mut Analysis) {
    a.per_patient_key = r.key.clone();
    a.per_patient_fields = (
        r.numerator.clone(),
        period.to_owned(),
        r.denominator.clone(),
    );
    a.per_patient_title = r.title.clone();
    a.per_patient_per = per.unwrap_or("head").to_owned();
    for (body, v, d) in r.rows.get(period).into_iter().flatten() {
        a.per_patient.push(PerPatient {
            body: body.clone(),
            budget: *v,
            patients: *d,
            per_patient: v / d,
        });
    }
    let mut v: Vec<f64> = a.per_patient.iter().map(|p| p.per_patient).collect();
    v.sort_by(f64::total_cmp);
    a.per_patient_range = v.first().copied().zip(v.last().copied());
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Counts for one year and rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PaceCount {
    pub kept: u32,
    pub backfilled: u32,
}

fn insert_pace(summary: &mut BTreeMap<String, Json>, key: &str, c: &PaceCount) {
    let n = c.kept + c.backfilled;
    summary.insert(format!("{key}.classifiable"), json!(n));
    summary.insert(format!("{key}.kept_pace"), json!(c.kept));
    summary.insert(format!("{key}.backfilled"), json!(c.backfilled));
    summary.insert(
        format!("{key}.percent_kept_pace"),
        if n > 0 {
            json!((1000.0 * c.kept as f64 / n as f64).round() / 10.0)
        } else {
            Json::Null
        },
    );
    insert_interval(summary, &format!("{key}.percent_kept_pace"), c.kept, n);
}

/// A declared `compare` rule (kept pace): the budget's rise against the new money, per body and year, under
/// both rules, with a sensitivity count that leaves out bodies with any `unclear` value, and the
/// spend per child under 18 where the register knows the child population.
fn kept_pace(
    observations: &[Observation],
    schema: &Schema,
    round: &Round,
    key: &str,
    d: &Derived,
    a: &mut Analysis,
) {
    let Derived::Compare {
        field: budget,
        against: allocation,
        against_starts,
        rule,
        years: declared_years,
        title,
        met,
        not_met,
        ..
    } = d
    else {
        return;
    };
    let (budget, allocation) = (budget.as_str(), allocation.as_str());
    let key = key.to_owned();
    a.kept_pace_key = key.clone();
    a.kept_pace_fields = (budget.to_owned(), allocation.to_owned());
    let label = |id: &str| {
        schema
            .field(id)
            .map(|f| f.display().to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    a.kept_pace_title = title.clone().unwrap_or_else(|| {
        format!(
            "Did {} keep pace with {}?",
            label(budget),
            label(allocation)
        )
    });
    a.kept_pace_words = (
        met.clone().unwrap_or_else(|| "kept pace".into()),
        not_met.clone().unwrap_or_else(|| "backfilled".into()),
    );
    let default_rule = *rule;
    a.kept_pace_rule = default_rule;
    // The years compared are the budget's periods in this round: the first is the base, each
    // later one is compared with the one before it (or with the base, under `baseline`).
    let budget_periods = schema
        .field(budget)
        .map(|f| f.periods.clone())
        .unwrap_or_default();
    let Some(first_year) = budget_periods.first().cloned() else {
        return;
    };
    let first_year = first_year.as_str();
    let years: Vec<String> = budget_periods
        .iter()
        .skip(1)
        .filter(|y| declared_years.as_ref().is_none_or(|d| d.contains(*y)))
        .cloned()
        .collect();
    // New money began in `allocation_starts`: before it the allocation is nothing, not unknown.
    let allocation_starts = against_starts.clone();
    let mut answered: BTreeMap<(&str, &str, &str), f64> = BTreeMap::new();
    let mut bodies: Vec<&str> = Vec::new();
    let mut has_unclear: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for o in observations {
        if !bodies.contains(&o.body.as_str()) {
            bodies.push(&o.body);
        }
        if o.status == Status::Unclear {
            has_unclear.insert(&o.body);
        }
        if let (Status::Answered, Some(Value::Number(n))) = (o.status, &o.value) {
            answered.insert((o.body.as_str(), o.field.as_str(), o.period.as_str()), *n);
        }
    }
    let reference = round.reference.get(allocation);
    // A stated figure is the answer; the official table is used only where the body gave none.
    let alloc = |body: &str, year: &str| -> Option<(f64, &'static str)> {
        if allocation_starts
            .as_deref()
            .is_some_and(|start| year < start)
        {
            return Some((0.0, "none"));
        }
        if let Some(v) = answered.get(&(body, allocation, year)) {
            return Some((*v, "stated"));
        }
        reference
            .and_then(|r| r.get(&(body.to_owned(), year.to_owned())))
            .map(|v| (*v, "reference"))
    };
    let mut prev = first_year.to_owned();
    for year in &years {
        for rule in [PaceRule::YearOnYear, PaceRule::Baseline] {
            let base = match rule {
                PaceRule::YearOnYear => prev.as_str(),
                PaceRule::Baseline => first_year,
            };
            let (mut all, mut clean) = (PaceCount::default(), PaceCount::default());
            for body in &bodies {
                let (Some(b1), Some(b0)) = (
                    answered.get(&(*body, budget, year.as_str())),
                    answered.get(&(*body, budget, base)),
                ) else {
                    continue;
                };
                let Some((a1, s1)) = alloc(body, year) else {
                    continue;
                };
                // Against the base year's own allocation under both rules (0 before new money
                // began, so `baseline` over 2014-15 is the budget rise >= allocation[Y]).
                let Some((a0, s0)) = alloc(body, base) else {
                    continue;
                };
                let increase = b1 - b0;
                let new_money = a1 - a0;
                let ok = increase >= new_money;
                for c in [
                    Some(&mut all),
                    (!has_unclear.contains(body)).then_some(&mut clean),
                ]
                .into_iter()
                .flatten()
                {
                    if ok { c.kept += 1 } else { c.backfilled += 1 }
                }
                let source = if s0 == "none" || s0 == s1 {
                    s1.to_owned()
                } else {
                    format!("{s0}+{s1}")
                };
                a.kept_pace.push(KeptPace {
                    year: year.clone(),
                    rule,
                    base: base.to_owned(),
                    body: (*body).to_owned(),
                    increase,
                    new_money,
                    kept_pace: ok,
                    allocation_source: source,
                    has_unclear: has_unclear.contains(body),
                });
            }
            if rule == default_rule {
                insert_pace(&mut a.summary, &format!("{key}.{year}"), &all);
                insert_pace(
                    &mut a.summary,
                    &format!("{key}.{year}.excluding_unclear"),
                    &clean,
                );
            }
            insert_pace(
                &mut a.summary,
                &format!("{key}.{year}.{}", rule.as_str()),
                &all,
            );
        }
        prev = year.clone();
    }
}

/// Spend per head of a denominator (e.g. CAMHS budget per child under 18), per period.
pub fn per_head(
    observations: &[Observation],
    field: &str,
    heads: &dyn Fn(&str) -> Option<f64>,
) -> BTreeMap<String, Vec<(String, f64, f64)>> {
    let mut out: BTreeMap<String, Vec<(String, f64, f64)>> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.field == field) {
        if let (Status::Answered, Some(Value::Number(v)), Some(h)) =
            (o.status, &o.value, heads(&o.body))
            && h > 0.0
        {
            out.entry(o.period.clone())
                .or_default()
                .push((o.body.clone(), *v, h));
        }
    }
    out
}

#[cfg(test)]
mod tests;
