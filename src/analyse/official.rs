//! FOI answers against official figures: what a body told the FOI request beside what it
//! reported to NHS England, for the same body and period, as the schema declares it
//! (`[[official]]`: the field, the import recipe of the official table, the tolerance). The
//! official table may be on later boundaries (the 2021/22 CCGs): a body is followed through the
//! register's successions to the first code the table holds. Where one body became that code the
//! two figures are compared directly; where several merged into it, the sum of their answers is
//! compared, and only when every one of them gave a figure (otherwise the group is listed as not
//! comparable, never compared on a partial sum).

use super::Analysis;
use crate::observation::{Observation, Status, Value};
use crate::reference::{self, Recipe};
use crate::register::{Body, Register};
use crate::round::Round;
use crate::schema::Schema;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One `[[official]]` entry of a schema, typed and checked when the schema loads.
pub use crate::schema::Official as Declared;

/// One body (or group of merged bodies) with both figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The code the official table uses.
    pub official_code: String,
    /// The round's bodies whose answers make the FOI figure (one, or those merged).
    pub bodies: Vec<String>,
    /// How the body was matched: `same code`, `successor 97R`, `3 merged into A3A8R`.
    pub mapping: String,
    pub foi: f64,
    pub official: f64,
    pub ratio: f64,
    pub agree: bool,
    /// (body, file, location) of each answer used.
    pub foi_evidence: Vec<(String, String, String)>,
    /// (file, location, heading path) of the official figure.
    pub official_evidence: (String, String, String),
    /// A declared check of the recipe that the official figure failed.
    pub official_flag: String,
}

/// One declared comparison for one period.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    pub key: String,
    pub field: String,
    pub period: String,
    pub title: String,
    pub meaning: String,
    pub published_by: String,
    pub tolerance: f64,
    pub pairs: Vec<Pair>,
    /// Bodies that answered but could not be compared: (bodies, why).
    pub not_comparable: Vec<(String, String)>,
    /// Why the comparison could not be made at all (the recipe or its file unreadable).
    pub error: String,
}

impl Comparison {
    pub fn agreeing(&self) -> usize {
        self.pairs.iter().filter(|p| p.agree).count()
    }

    pub fn median_ratio(&self) -> Option<f64> {
        let mut r: Vec<f64> = self.pairs.iter().map(|p| p.ratio).collect();
        r.sort_by(f64::total_cmp);
        (!r.is_empty()).then(|| super::quantile(&r, 0.5))
    }

    /// The pairs furthest apart (by how many times one figure is the other), most first.
    pub fn furthest(&self, n: usize) -> Vec<&Pair> {
        let mut v: Vec<&Pair> = self.pairs.iter().collect();
        v.sort_by(|a, b| {
            b.ratio
                .ln()
                .abs()
                .total_cmp(&a.ratio.ln().abs())
                .then(a.official_code.cmp(&b.official_code))
        });
        v.truncate(n);
        v
    }
}

fn number(o: &Observation) -> Option<f64> {
    match (&o.status, &o.value) {
        (Status::Answered, Some(Value::Number(n))) => Some(*n),
        _ => None,
    }
}

/// Every row of the round's register file, closed bodies included: their successors.
fn successors(round: &Round) -> HashMap<String, String> {
    let dirs = crate::pipeline::schema_dirs(&round.dir, None);
    let Some(path) = dirs
        .iter()
        .map(|d| d.join(format!("bodies/{}.csv", round.bodies)))
        .find(|p| p.is_file())
    else {
        return HashMap::new();
    };
    let Ok(mut reader) = csv::Reader::from_path(&path) else {
        return HashMap::new();
    };
    reader
        .deserialize::<Body>()
        .filter_map(Result::ok)
        .map(|b| (b.code, b.successor))
        .collect()
}

/// The first code on the body's line of successions that the official table holds.
fn official_code(
    code: &str,
    successors: &HashMap<String, String>,
    held: &BTreeSet<String>,
) -> Option<String> {
    let mut c = code.to_owned();
    for _ in 0..16 {
        if held.contains(&c) {
            return Some(c);
        }
        match successors.get(&c) {
            Some(next) if !next.is_empty() && *next != c => c = next.clone(),
            _ => return None,
        }
    }
    None
}

/// Hook for analyse: every declared comparison, its pairs kept in `a.official` and its counts in
/// the summary.
pub fn compare_all(
    observations: &[Observation],
    schema: &Schema,
    round: &Round,
    register: &Register,
    a: &mut Analysis,
) {
    for declared in &schema.official {
        for c in compare(observations, schema, round, register, declared) {
            let k = format!("official.{}.{}", c.key, c.period);
            if c.error.is_empty() {
                a.summary
                    .insert(format!("{k}.compared"), json!(c.pairs.len()));
                a.summary.insert(format!("{k}.agree"), json!(c.agreeing()));
                a.summary
                    .insert(format!("{k}.not_comparable"), json!(c.not_comparable.len()));
                if let Some(m) = c.median_ratio() {
                    a.summary.insert(
                        format!("{k}.median_ratio"),
                        json!((m * 1000.0).round() / 1000.0),
                    );
                }
            }
            a.official.push(c);
        }
    }
}

/// One declared comparison, one entry per period both the round's field and the table have.
pub fn compare(
    observations: &[Observation],
    schema: &Schema,
    round: &Round,
    register: &Register,
    d: &Declared,
) -> Vec<Comparison> {
    let Some(field) = schema.field(&d.field) else {
        return Vec::new();
    };
    let fail = |error: String| {
        vec![Comparison {
            key: d.key.clone(),
            field: d.field.clone(),
            error,
            ..Comparison::default()
        }]
    };
    let dirs = crate::pipeline::schema_dirs(&round.dir, None);
    let Some(path) = dirs
        .iter()
        .map(|dir| dir.join(&d.recipe))
        .find(|p| p.is_file())
    else {
        return fail(format!(
            "schema {}: official `{}`: no recipe {} in the schema folders",
            schema.name,
            d.key,
            d.recipe.display()
        ));
    };
    let imported =
        match Recipe::load(&path).and_then(|r| reference::import(&r, None).map(|i| (r, i))) {
            Ok(x) => x,
            Err(e) => return fail(e.to_string()),
        };
    let (recipe, imported) = imported;
    let figures: HashMap<(String, String), &reference::Row> = imported
        .rows
        .iter()
        .map(|r| ((r.body_code.clone(), r.period.clone()), r))
        .collect();
    let held: BTreeSet<String> = imported.rows.iter().map(|r| r.body_code.clone()).collect();
    let flags: HashMap<(String, String), String> = imported
        .report
        .check_failures
        .iter()
        .map(|i| {
            (
                (i.body.clone(), i.period.clone()),
                format!("{}: {}", i.kind.short_name(), i.evidence),
            )
        })
        .collect();
    let succ = successors(round);
    // Round bodies grouped by the official code they become.
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unmatched: Vec<String> = Vec::new();
    for b in &register.bodies {
        match official_code(&b.code, &succ, &held) {
            Some(code) => groups.entry(code).or_default().push(b.code.clone()),
            None => unmatched.push(b.code.clone()),
        }
    }
    let answers: HashMap<(&str, &str), &Observation> = observations
        .iter()
        .filter(|o| o.field == d.field)
        .map(|o| ((o.body.as_str(), o.period.as_str()), o))
        .collect();
    let periods: BTreeSet<&String> = imported.rows.iter().map(|r| &r.period).collect();
    let mut out = Vec::new();
    for period in field.periods.iter().filter(|p| periods.contains(p)) {
        let mut c = Comparison {
            key: d.key.clone(),
            field: d.field.clone(),
            period: period.clone(),
            title: recipe.title.clone(),
            meaning: recipe.meaning.clone(),
            published_by: recipe.published_by.clone(),
            tolerance: d.tolerance,
            ..Comparison::default()
        };
        let answered = |b: &str| {
            answers
                .get(&(b, period.as_str()))
                .and_then(|o| number(o).map(|v| (v, *o)))
        };
        for code in &unmatched {
            if answered(code).is_some() {
                c.not_comparable.push((
                    code.clone(),
                    format!(
                        "no body on its line of successions is in the official table ({})",
                        recipe.name
                    ),
                ));
            }
        }
        for (code, members) in &groups {
            let given: Vec<(&String, f64, &Observation)> = members
                .iter()
                .filter_map(|m| answered(m).map(|(v, o)| (m, v, o)))
                .collect();
            if given.is_empty() {
                continue;
            }
            let Some(row) = figures.get(&(code.clone(), period.clone())) else {
                c.not_comparable.push((
                    members.join("+"),
                    format!("the official table has no {period} figure for {code}"),
                ));
                continue;
            };
            if given.len() < members.len() {
                c.not_comparable.push((
                    members.join("+"),
                    format!("{} bodies merged into {code}; {} of them gave a {period} figure, so their sum is not {code}'s", members.len(), given.len()),
                ));
                continue;
            }
            let foi: f64 = given.iter().map(|(_, v, _)| v).sum();
            if row.value <= 0.0 || foi <= 0.0 {
                c.not_comparable.push((
                    members.join("+"),
                    format!(
                        "a figure of zero or less (FOI {foi}, official {})",
                        row.value
                    ),
                ));
                continue;
            }
            let ratio = foi / row.value;
            let mapping = match members.as_slice() {
                [one] if one == code => "same code".to_owned(),
                [_] => format!("successor {code}"),
                many => format!("{} merged into {code}", many.len()),
            };
            c.pairs.push(Pair {
                official_code: code.clone(),
                bodies: members.clone(),
                mapping,
                foi,
                official: row.value,
                ratio,
                agree: (ratio - 1.0).abs() <= d.tolerance,
                foi_evidence: given
                    .iter()
                    .map(|(b, _, o)| {
                        let p = o.provenance.first();
                        (
                            (*b).clone(),
                            p.map(|p| p.source.clone()).unwrap_or_default(),
                            p.map(|p| p.location.clone()).unwrap_or_default(),
                        )
                    })
                    .collect(),
                official_evidence: (
                    row.source.clone(),
                    row.location.clone(),
                    row.heading.clone(),
                ),
                official_flag: flags
                    .get(&(code.clone(), period.clone()))
                    .cloned()
                    .unwrap_or_default(),
            });
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_followed_to_the_first_code_the_table_holds() {
        let succ: HashMap<String, String> = [
            ("09F", "97R"),
            ("97R", "QNX"),
            ("00R", "QE1"),
            ("07L", "A3A8R"),
        ]
        .iter()
        .map(|(a, b)| ((*a).into(), (*b).into()))
        .collect();
        let held: BTreeSet<String> = ["97R", "00R", "QE1"].iter().map(|s| (*s).into()).collect();
        assert_eq!(official_code("09F", &succ, &held).as_deref(), Some("97R"));
        // Held under its own code: not moved on to its later successor.
        assert_eq!(official_code("00R", &succ, &held).as_deref(), Some("00R"));
        assert_eq!(official_code("07L", &succ, &held), None);
    }
}
