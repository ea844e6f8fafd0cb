//! Statistics by type for every field and period, with no code per survey: money, counts and
//! numbers get n, total, lowest, quartiles, median, highest and fold; yes/no questions the
//! yes count, the number answering and the percent with its 95% Wilson interval; categories the
//! count and share of each code with intervals. Keys `fields.<id>[.<period>].*` in summary.json.

use super::{Analysis, insert_distribution, insert_interval, round2};
use crate::observation::{Observation, Status, Value};
use crate::schema::{FieldType, Schema, Unit};
use serde_json::json;
use std::collections::BTreeMap;

/// One field and period's statistics, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStat {
    pub field: String,
    pub period: String,
    /// The summary key prefix: `fields.<id>` or `fields.<id>.<period>`.
    pub key: String,
    pub kind: FieldType,
    /// Cells by status (every surveyed body has one).
    pub statuses: BTreeMap<&'static str, u32>,
    /// Answered numbers, sorted by value.
    pub values: Vec<f64>,
    /// Whether a total means something: money, counts, numbers of people or items (not weeks or
    /// percentages).
    pub additive: bool,
    /// Answered codes in the schema's order (yes/no: "yes", "no"), with their counts.
    pub codes: Vec<(String, u32)>,
}

impl FieldStat {
    /// How many bodies gave an answer the statistics use.
    pub fn answered(&self) -> u32 {
        if self.kind.is_numeric() {
            self.values.len() as u32
        } else {
            self.codes.iter().map(|c| c.1).sum()
        }
    }
}

/// The key prefix of one field and period.
pub fn key(field: &str, period: &str) -> String {
    if period.is_empty() {
        format!("fields.{field}")
    } else {
        format!("fields.{field}.{period}")
    }
}

pub fn by_type(observations: &[Observation], schema: &Schema, a: &mut Analysis) {
    for f in &schema.fields {
        for period in f.period_keys() {
            let mut stat = FieldStat {
                field: f.id.clone(),
                key: key(&f.id, &period),
                period,
                kind: f.kind,
                additive: match f.kind {
                    FieldType::Money | FieldType::Count => true,
                    FieldType::Number => matches!(f.unit, Some(Unit::People | Unit::Items)),
                    _ => false,
                },
                statuses: BTreeMap::new(),
                values: Vec::new(),
                codes: match f.kind {
                    FieldType::YesNo => vec![("yes".into(), 0), ("no".into(), 0)],
                    FieldType::Category => f.codes.iter().map(|c| (c.code.clone(), 0)).collect(),
                    _ => Vec::new(),
                },
            };
            for o in observations
                .iter()
                .filter(|o| o.field == f.id && o.period == stat.period)
            {
                *stat.statuses.entry(o.status.as_str()).or_default() += 1;
                match (o.status, &o.value) {
                    (Status::Answered, Some(Value::Number(n))) if f.kind.is_numeric() => {
                        stat.values.push(*n)
                    }
                    (Status::Answered, Some(Value::Code(c))) if !f.kind.is_numeric() => {
                        match stat.codes.iter_mut().find(|(k, _)| k == c) {
                            Some(slot) => slot.1 += 1,
                            None => stat.codes.push((c.clone(), 1)),
                        }
                    }
                    _ => {}
                }
            }
            stat.values.sort_by(f64::total_cmp);
            insert(&stat, a);
            a.fields.push(stat);
        }
    }
}

fn insert(stat: &FieldStat, a: &mut Analysis) {
    let key = &stat.key;
    for (status, n) in &stat.statuses {
        a.summary.insert(format!("{key}.status.{status}"), json!(n));
    }
    let answered = stat.answered();
    a.summary.insert(format!("{key}.answered"), json!(answered));
    if stat.kind.is_numeric() {
        insert_distribution(&mut a.summary, key, &stat.values, stat.additive);
        return;
    }
    for (code, k) in &stat.codes {
        let prefix = format!("{key}.{code}");
        a.summary.insert(format!("{prefix}.count"), json!(k));
        if answered > 0 {
            a.summary.insert(
                format!("{prefix}.percent"),
                json!(round2(100.0 * *k as f64 / answered as f64)),
            );
        }
        insert_interval(&mut a.summary, &format!("{prefix}.percent"), *k, answered);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::Observation;

    fn obs(
        body: &str,
        field: &str,
        period: &str,
        status: Status,
        value: Option<Value>,
    ) -> Observation {
        Observation {
            body: body.into(),
            field: field.into(),
            period: period.into(),
            status,
            value,
            provenance: Vec::new(),
            rule: "test".into(),
            confidence: 1.0,
            note: String::new(),
        }
    }

    const SCHEMA: &str = "name='t'\ntitle='t'\n[[field]]\nid='spend'\ntype='money'\nperiods=['2016-17']\nquestion='q'\nlabels=['spend']\n\
        [[field]]\nid='model'\ntype='category'\nquestion='q'\nlabels=['model']\ncodes=[{code='in_house',patterns=['house']},{code='outsourced',patterns=['out']}]\n";

    #[test]
    fn every_field_gets_statistics_by_its_type() {
        let schema = Schema::parse(SCHEMA, std::path::Path::new("t.toml")).unwrap();
        let n = |v: f64| Some(Value::Number(v));
        let c = |v: &str| Some(Value::Code(v.into()));
        let observations = vec![
            obs("A", "spend", "2016-17", Status::Answered, n(100.0)),
            obs("B", "spend", "2016-17", Status::Answered, n(300.0)),
            obs("C", "spend", "2016-17", Status::Unclear, None),
            obs("A", "model", "", Status::Answered, c("in_house")),
            obs("B", "model", "", Status::Answered, c("in_house")),
            obs("C", "model", "", Status::Answered, c("outsourced")),
        ];
        let mut a = Analysis::default();
        by_type(&observations, &schema, &mut a);
        let get = |k: &str| {
            a.summary
                .get(k)
                .cloned()
                .unwrap_or_else(|| panic!("no key {k}"))
        };
        assert_eq!(get("fields.spend.2016-17.n"), json!(2));
        assert_eq!(get("fields.spend.2016-17.total"), json!(400.0));
        assert_eq!(get("fields.spend.2016-17.median"), json!(200.0));
        assert_eq!(get("fields.spend.2016-17.fold"), json!(3.0));
        assert_eq!(get("fields.spend.2016-17.status.unclear"), json!(1));
        assert_eq!(get("fields.model.in_house.count"), json!(2));
        assert_eq!(get("fields.model.in_house.percent"), json!(66.67));
        assert_eq!(get("fields.model.outsourced.count"), json!(1));
        assert!(
            a.summary
                .contains_key("fields.model.outsourced.percent.ci95_low")
        );
    }
}
