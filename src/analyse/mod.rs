//! Analyse: the statistics researchers publish, computed with polars from the reconciled
//! observations, by the rules the schema declares (per-patient budgets, yes/no shares, whether
//! CAMHS budgets kept pace with new money), each with the bodies it used.

pub mod claims;
pub mod official;

use crate::observation::{Observation, Status, Value};
use crate::register::Register;
use crate::round::Round;
use crate::schema::{FieldType, Schema};
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
    Derived { schema: String, name: String, message: String },
}

/// One body's per-patient budget and its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct PerPatient {
    pub body: String,
    pub budget: f64,
    pub patients: f64,
    pub per_patient: f64,
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

/// One yes/no field's count.
#[derive(Debug, Clone, PartialEq)]
pub struct YesShare {
    pub field: String,
    pub yes: u32,
    pub answered: u32,
}

#[derive(Debug, Default)]
pub struct Analysis {
    /// Flat keys, as SPEC.md's headline: `replies.full`, `seven_day_beds.percent`, ...
    pub summary: BTreeMap<String, Json>,
    pub per_patient: Vec<PerPatient>,
    pub kept_pace: Vec<KeptPace>,
    pub yes_shares: Vec<YesShare>,
    /// Published claims checked against these statistics.
    pub claims: Vec<claims::Verdict>,
    /// Value and denominator per body, by period, for the declared per-head statistic.
    pub per_head: BTreeMap<String, Vec<(String, f64, f64)>>,
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
    /// FOI answers against official tables, per declaration and period (`[[official]]`).
    pub official: Vec<official::Comparison>,
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
    Some((100.0 * (centre - half).max(0.0), 100.0 * (centre + half).min(1.0)))
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

pub fn analyse(
    observations: &[Observation],
    replies: &BTreeMap<String, Reply>,
    schema: &Schema,
    round: &Round,
    register: &Register,
) -> Result<Analysis, AnalyseError> {
    let polars_err = |source| AnalyseError::Polars { round: round.name.clone(), source };
    let mut a = Analysis::default();
    let count = |r: Reply| replies.values().filter(|&&x| x == r).count();
    a.summary.insert("bodies.contacted".into(), json!(replies.len()));
    a.summary.insert("bodies.replied".into(), json!(replies.len() - count(Reply::NoResponse)));
    for r in [Reply::Full, Reply::Partial, Reply::Refused, Reply::NotHeld, Reply::NoResponse] {
        a.summary.insert(format!("replies.{}", r.as_str()), json!(count(r)));
    }
    let df = frame(observations).map_err(polars_err)?;
    yes_no(&df, schema, &mut a).map_err(polars_err)?;
    if let Some(t) = schema.derived.get("per_patient").and_then(|v| v.as_table()) {
        per_patient(&df, schema, t, &mut a)?;
    }
    if let Some(t) = schema.derived.get("kept_pace").and_then(|v| v.as_table()) {
        kept_pace(observations, schema, round, t, &mut a)?;
    }
    if let Some(t) = schema.derived.get("per_head").and_then(|v| v.as_table()) {
        let field = text(t, "field", schema, "per_head")?;
        let denominator = text(t, "denominator", schema, "per_head")?;
        let key = t.get("key").and_then(|v| v.as_str()).unwrap_or("per_head").to_owned();
        a.per_head_key = key.clone();
        a.per_head_field = field.to_owned();
        a.per_head_denominator = denominator.to_owned();
        let heads = |body: &str| -> Option<f64> {
            match denominator {
                "registered_patients" => register.get(body).and_then(|b| b.registered_patients),
                "population_0_17" => register.get(body).and_then(|b| b.population_0_17),
                other => round.reference.get(other).and_then(|r| r.iter().find(|((b, _), _)| b == body).map(|(_, v)| *v)),
            }
        };
        for (period, rows) in per_head(observations, field, &heads) {
            let mut v: Vec<f64> = rows.iter().map(|(_, x, h)| x / h).collect();
            v.sort_by(f64::total_cmp);
            let k = if period.is_empty() { key.clone() } else { format!("{key}.{period}") };
            a.summary.insert(format!("{k}.n"), json!(v.len()));
            a.summary.insert(format!("{k}.min"), json!(round2(v[0])));
            a.summary.insert(format!("{k}.median"), json!(round2(quantile(&v, 0.5))));
            a.summary.insert(format!("{k}.max"), json!(round2(v[v.len() - 1])));
            a.per_head.insert(period, rows);
        }
    }
    official::compare_all(observations, schema, round, register, &mut a);
    let published = claims::load(&round.dir)?;
    a.claims = claims::check(&published, &a.summary);
    for (i, v) in a.claims.iter().enumerate() {
        a.summary.insert(format!("claims.{}.reproduced", i + 1), json!(v.reproduced));
    }
    Ok(a)
}

/// For each yes/no field: how many answered, how many said yes, and the percent.
fn yes_no(df: &DataFrame, schema: &Schema, a: &mut Analysis) -> PolarsResult<()> {
    let yn_fields: Vec<&str> = schema.fields.iter().filter(|f| f.kind == FieldType::YesNo).map(|f| f.id.as_str()).collect();
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
            col("code").eq(lit("yes")).cast(DataType::UInt32).sum().alias("yes"),
        ])
        .sort(["field"], SortMultipleOptions::default())
        .collect()?;
    let fields = out.column("field")?.str()?.clone();
    let answered = out.column("answered")?.cast(&DataType::UInt32)?;
    let answered = answered.u32()?;
    let yes = out.column("yes")?.u32()?.clone();
    for f in &yn_fields {
        let idx = fields.iter().position(|x| x == Some(*f));
        let (y, n) = idx.map(|i| (yes.get(i).unwrap_or(0), answered.get(i).unwrap_or(0))).unwrap_or((0, 0));
        a.summary.insert(format!("{f}.yes"), json!(y));
        a.summary.insert(format!("{f}.answered"), json!(n));
        a.summary.insert(format!("{f}.percent"), if n > 0 { json!(round2(100.0 * y as f64 / n as f64)) } else { Json::Null });
        insert_interval(&mut a.summary, f, y, n);
        a.yes_shares.push(YesShare { field: (*f).to_owned(), yes: y, answered: n });
    }
    Ok(())
}

fn text<'t>(t: &'t toml::Table, key: &str, schema: &Schema, name: &str) -> Result<&'t str, AnalyseError> {
    t.get(key).and_then(|v| v.as_str()).ok_or_else(|| AnalyseError::Derived {
        schema: schema.name.clone(),
        name: name.to_owned(),
        message: format!("missing string key `{key}`"),
    })
}

/// numerator / denominator for bodies that answered both (and a denominator above zero).
fn per_patient(df: &DataFrame, schema: &Schema, t: &toml::Table, a: &mut Analysis) -> Result<(), AnalyseError> {
    let num = text(t, "numerator", schema, "per_patient")?;
    let num_period = t.get("numerator_period").and_then(|v| v.as_str()).unwrap_or("");
    let den = text(t, "denominator", schema, "per_patient")?;
    let key = t.get("key").and_then(|v| v.as_str()).unwrap_or("per_patient").to_owned();
    a.per_patient_key = key.clone();
    a.per_patient_fields = (num.to_owned(), num_period.to_owned(), den.to_owned());
    let run = || -> PolarsResult<DataFrame> {
        let numerator = df
            .clone()
            .lazy()
            .filter(col("field").eq(lit(num)).and(col("period").eq(lit(num_period))).and(col("number").is_not_null()))
            .select([col("body"), col("number").alias("budget")]);
        let denominator = df
            .clone()
            .lazy()
            .filter(col("field").eq(lit(den)).and(col("number").gt(lit(0.0))))
            .select([col("body"), col("number").alias("patients")]);
        numerator
            .join(denominator, [col("body")], [col("body")], JoinArgs::new(JoinType::Inner))
            .with_column((col("budget") / col("patients")).alias("per_patient"))
            .sort(["body"], SortMultipleOptions::default())
            .collect()
    };
    let pp = run().map_err(|source| AnalyseError::Polars { round: schema.name.clone(), source })?;
    let series = |name: &str| -> Vec<f64> {
        pp.column(name).ok().and_then(|c| c.f64().ok().map(|x| x.into_no_null_iter().collect())).unwrap_or_default()
    };
    let bodies: Vec<String> = pp
        .column("body")
        .ok()
        .and_then(|c| c.str().ok().map(|s| s.into_no_null_iter().map(str::to_owned).collect()))
        .unwrap_or_default();
    let (budget, patients, values) = (series("budget"), series("patients"), series("per_patient"));
    for i in 0..bodies.len() {
        a.per_patient.push(PerPatient { body: bodies[i].clone(), budget: budget[i], patients: patients[i], per_patient: values[i] });
    }
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    a.summary.insert(format!("{key}.n"), json!(sorted.len()));
    if let (Some(min), Some(max)) = (sorted.first(), sorted.last()) {
        a.summary.insert(format!("{key}.min"), json!(round2(*min)));
        a.summary.insert(format!("{key}.max"), json!(round2(*max)));
        a.summary.insert(format!("{key}.median"), json!(round2(median(&sorted))));
        a.summary.insert(format!("{key}.q1"), json!(round2(quantile(&sorted, 0.25))));
        a.summary.insert(format!("{key}.q3"), json!(round2(quantile(&sorted, 0.75))));
        if *min > 0.0 {
            a.summary.insert(format!("{key}.fold"), json!(round2(max / min)));
        }
    }
    Ok(())
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 }
}

/// The two rules of SPEC.md for whether a budget kept pace with new money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaceRule {
    /// increase on the year before >= allocation rise on the year before.
    #[default]
    YearOnYear,
    /// increase on the first year >= the year's allocation.
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
        if n > 0 { json!((1000.0 * c.kept as f64 / n as f64).round() / 10.0) } else { Json::Null },
    );
    insert_interval(summary, &format!("{key}.percent_kept_pace"), c.kept, n);
}

/// SPEC.md's kept-pace rules: the budget's rise against the new money, per body and year, under
/// both rules, with a sensitivity count that leaves out bodies with any `unclear` value, and the
/// spend per child under 18 where the register knows the child population.
fn kept_pace(observations: &[Observation], schema: &Schema, round: &Round, t: &toml::Table, a: &mut Analysis) -> Result<(), AnalyseError> {
    let budget = text(t, "budget", schema, "kept_pace")?;
    let allocation = text(t, "allocation", schema, "kept_pace")?;
    let key = t.get("key").and_then(|v| v.as_str()).unwrap_or(schema.name.as_str()).to_owned();
    a.kept_pace_key = key.clone();
    a.kept_pace_fields = (budget.to_owned(), allocation.to_owned());
    let default_rule = match t.get("rule").and_then(|v| v.as_str()) {
        Some("baseline") => PaceRule::Baseline,
        _ => PaceRule::YearOnYear,
    };
    a.kept_pace_rule = default_rule;
    // The years compared are the budget's periods in this round: the first is the base, each
    // later one is compared with the one before it (or with the base, under `baseline`).
    let budget_periods = schema.field(budget).map(|f| f.periods.clone()).unwrap_or_default();
    let Some(first_year) = budget_periods.first().cloned() else { return Ok(()) };
    let first_year = first_year.as_str();
    let declared_years: Option<Vec<String>> = t
        .get("years")
        .and_then(|v| v.as_array())
        .map(|v| v.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect());
    let years: Vec<String> = budget_periods
        .iter()
        .skip(1)
        .filter(|y| declared_years.as_ref().is_none_or(|d| d.contains(*y)))
        .cloned()
        .collect();
    // New money began in `allocation_starts`: before it the allocation is nothing, not unknown.
    let allocation_starts = t.get("allocation_starts").and_then(|v| v.as_str()).map(str::to_owned);
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
        if allocation_starts.as_deref().is_some_and(|start| year < start) {
            return Some((0.0, "none"));
        }
        if let Some(v) = answered.get(&(body, allocation, year)) {
            return Some((*v, "stated"));
        }
        reference.and_then(|r| r.get(&(body.to_owned(), year.to_owned()))).map(|v| (*v, "reference"))
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
                let (Some(b1), Some(b0)) = (answered.get(&(*body, budget, year.as_str())), answered.get(&(*body, budget, base))) else { continue };
                let Some((a1, s1)) = alloc(body, year) else { continue };
                // Against the base year's own allocation under both rules (0 before new money
                // began, so `baseline` over 2014-15 is SPEC.md's budget rise >= allocation[Y]).
                let Some((a0, s0)) = alloc(body, base) else { continue };
                let increase = b1 - b0;
                let new_money = a1 - a0;
                let ok = increase >= new_money;
                for c in [Some(&mut all), (!has_unclear.contains(body)).then_some(&mut clean)].into_iter().flatten() {
                    if ok { c.kept += 1 } else { c.backfilled += 1 }
                }
                let source = if s0 == "none" || s0 == s1 { s1.to_owned() } else { format!("{s0}+{s1}") };
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
                insert_pace(&mut a.summary, &format!("{key}.{year}.excluding_unclear"), &clean);
            }
            insert_pace(&mut a.summary, &format!("{key}.{year}.{}", rule.as_str()), &all);
        }
        prev = year.clone();
    }
    Ok(())
}

/// Spend per head of a denominator (e.g. CAMHS budget per child under 18), per period.
pub fn per_head(observations: &[Observation], field: &str, heads: &dyn Fn(&str) -> Option<f64>) -> BTreeMap<String, Vec<(String, f64, f64)>> {
    let mut out: BTreeMap<String, Vec<(String, f64, f64)>> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.field == field) {
        if let (Status::Answered, Some(Value::Number(v)), Some(h)) = (o.status, &o.value, heads(&o.body))
            && h > 0.0 {
                out.entry(o.period.clone()).or_default().push((o.body.clone(), *v, h));
            }
    }
    out
}
