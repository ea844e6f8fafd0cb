//! Analyse: the statistics researchers publish, computed with polars from the reconciled
//! observations, by the rules the schema declares (per-patient budgets, yes/no shares, whether
//! CAMHS budgets kept pace with new money), each with the bodies it used.

use crate::observation::{Observation, Status, Value};
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
    pub body: String,
    pub increase: f64,
    pub new_money: f64,
    pub kept_pace: bool,
    /// Where the allocations came from: `stated`, `reference` or both.
    pub allocation_source: String,
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
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
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
    }
    Ok(())
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 }
}

/// SPEC.md's `year_on_year` rule: the budget's rise against the rise in allocation.
fn kept_pace(observations: &[Observation], schema: &Schema, round: &Round, t: &toml::Table, a: &mut Analysis) -> Result<(), AnalyseError> {
    let budget = text(t, "budget", schema, "kept_pace")?;
    let allocation = text(t, "allocation", schema, "kept_pace")?;
    let first_year = text(t, "first_year", schema, "kept_pace")?;
    let key = t.get("key").and_then(|v| v.as_str()).unwrap_or(schema.name.as_str()).to_owned();
    let years: Vec<String> = t
        .get("years")
        .and_then(|v| v.as_array())
        .map(|v| v.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let mut answered: BTreeMap<(&str, &str, &str), f64> = BTreeMap::new();
    let mut bodies: Vec<&str> = Vec::new();
    for o in observations {
        if !bodies.contains(&o.body.as_str()) {
            bodies.push(&o.body);
        }
        if let (Status::Answered, Some(Value::Number(n))) = (o.status, &o.value) {
            answered.insert((o.body.as_str(), o.field.as_str(), o.period.as_str()), *n);
        }
    }
    let reference = round.reference.get(allocation);
    // A stated figure is the answer; the official table is used only where the body gave none.
    let alloc = |body: &str, year: &str| -> Option<(f64, &'static str)> {
        if year == first_year {
            return Some((0.0, "none"));
        }
        if let Some(v) = answered.get(&(body, allocation, year)) {
            return Some((*v, "stated"));
        }
        reference.and_then(|r| r.get(&(body.to_owned(), year.to_owned()))).map(|v| (*v, "reference"))
    };
    let mut prev = first_year.to_owned();
    for year in &years {
        let (mut kept, mut backfilled) = (0u32, 0u32);
        for body in &bodies {
            let (Some(b1), Some(b0)) = (answered.get(&(*body, budget, year.as_str())), answered.get(&(*body, budget, prev.as_str()))) else { continue };
            let (Some((a1, s1)), Some((a0, s0))) = (alloc(body, year), alloc(body, &prev)) else { continue };
            let increase = b1 - b0;
            let new_money = a1 - a0;
            let ok = increase >= new_money;
            if ok { kept += 1 } else { backfilled += 1 }
            let source = if s0 == "none" || s0 == s1 { s1.to_owned() } else { format!("{s0}+{s1}") };
            a.kept_pace.push(KeptPace { year: year.clone(), body: (*body).to_owned(), increase, new_money, kept_pace: ok, allocation_source: source });
        }
        let n = kept + backfilled;
        a.summary.insert(format!("{key}.{year}.classifiable"), json!(n));
        a.summary.insert(format!("{key}.{year}.kept_pace"), json!(kept));
        a.summary.insert(format!("{key}.{year}.backfilled"), json!(backfilled));
        a.summary.insert(
            format!("{key}.{year}.percent_kept_pace"),
            if n > 0 { json!((1000.0 * kept as f64 / n as f64).round() / 10.0) } else { Json::Null },
        );
        prev = year.clone();
    }
    Ok(())
}
