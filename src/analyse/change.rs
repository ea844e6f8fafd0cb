//! A declared `change` statistic: one field between two periods, per body (absolute and percent)
//! and summarised (totals, medians, how many rose and fell), worded from the schema.

use super::{insert_distribution, round2};
use crate::observation::{Observation, Status, Value};
use crate::schema::Schema;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

/// One body's figure in both periods.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyChange {
    pub body: String,
    pub from: f64,
    pub to: f64,
}

impl BodyChange {
    pub fn absolute(&self) -> f64 {
        self.to - self.from
    }

    /// The change in percent of the first figure (none when it was 0).
    pub fn percent(&self) -> Option<f64> {
        (self.from > 0.0).then(|| 100.0 * (self.to - self.from) / self.from)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub name: String,
    pub key: String,
    pub title: String,
    pub field: String,
    pub from: String,
    pub to: String,
    /// Bodies that answered in both periods, sorted by body.
    pub bodies: Vec<BodyChange>,
}

/// The change of `field` from `from` to `to` (default: its first and last period in this round);
/// `None` when the field has fewer than two periods here.
#[allow(clippy::too_many_arguments)]
pub fn change(
    observations: &[Observation],
    schema: &Schema,
    name: &str,
    key: &str,
    field: &str,
    from: Option<&str>,
    to: Option<&str>,
    title: Option<&str>,
) -> Option<Change> {
    let f = schema.field(field)?;
    let from = from
        .map(str::to_owned)
        .or_else(|| f.periods.first().cloned())?;
    let to = to
        .map(str::to_owned)
        .or_else(|| f.periods.last().cloned())?;
    if from == to || !f.periods.contains(&from) || !f.periods.contains(&to) {
        return None;
    }
    let mut figures: BTreeMap<&str, (Option<f64>, Option<f64>)> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.field == field) {
        if let (Status::Answered, Some(Value::Number(n))) = (o.status, &o.value) {
            let slot = figures.entry(o.body.as_str()).or_default();
            if o.period == from {
                slot.0 = Some(*n);
            } else if o.period == to {
                slot.1 = Some(*n);
            }
        }
    }
    let bodies = figures
        .into_iter()
        .filter_map(|(body, pair)| match pair {
            (Some(a), Some(b)) => Some(BodyChange {
                body: body.to_owned(),
                from: a,
                to: b,
            }),
            _ => None,
        })
        .collect();
    let title = title
        .map(str::to_owned)
        .unwrap_or_else(|| format!("Change in {}, {from} to {to}", f.display()));
    Some(Change {
        name: name.to_owned(),
        key: key.to_owned(),
        title,
        field: field.to_owned(),
        from,
        to,
        bodies,
    })
}

/// `<key>.from`, `.to`, `.n`, totals in both periods and their change (absolute and percent),
/// how many rose, fell and stayed, and the distribution of the change (`.absolute.*`,
/// `.percent.*`).
pub fn insert_summary(c: &Change, summary: &mut BTreeMap<String, Json>) {
    let k = &c.key;
    summary.insert(format!("{k}.from"), json!(c.from));
    summary.insert(format!("{k}.to"), json!(c.to));
    summary.insert(format!("{k}.n"), json!(c.bodies.len()));
    let total_from: f64 = c.bodies.iter().map(|b| b.from).sum();
    let total_to: f64 = c.bodies.iter().map(|b| b.to).sum();
    summary.insert(format!("{k}.total_from"), json!(round2(total_from)));
    summary.insert(format!("{k}.total_to"), json!(round2(total_to)));
    summary.insert(
        format!("{k}.total_change"),
        json!(round2(total_to - total_from)),
    );
    summary.insert(
        format!("{k}.total_change_percent"),
        if total_from > 0.0 {
            json!(round2(100.0 * (total_to - total_from) / total_from))
        } else {
            Json::Null
        },
    );
    summary.insert(
        format!("{k}.rose"),
        json!(c.bodies.iter().filter(|b| b.to > b.from).count()),
    );
    summary.insert(
        format!("{k}.fell"),
        json!(c.bodies.iter().filter(|b| b.to < b.from).count()),
    );
    summary.insert(
        format!("{k}.unchanged"),
        json!(c.bodies.iter().filter(|b| b.to == b.from).count()),
    );
    let absolute: Vec<f64> = c.bodies.iter().map(BodyChange::absolute).collect();
    let percent: Vec<f64> = c.bodies.iter().filter_map(BodyChange::percent).collect();
    insert_distribution(summary, &format!("{k}.absolute"), &absolute, false);
    insert_distribution(summary, &format!("{k}.percent"), &percent, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_per_body_and_summarised() {
        let c = Change {
            name: "c".into(),
            key: "derived.c".into(),
            title: "t".into(),
            field: "f".into(),
            from: "2015-16".into(),
            to: "2016-17".into(),
            bodies: vec![
                BodyChange {
                    body: "A".into(),
                    from: 100.0,
                    to: 150.0,
                },
                BodyChange {
                    body: "B".into(),
                    from: 200.0,
                    to: 100.0,
                },
            ],
        };
        let mut s = BTreeMap::new();
        insert_summary(&c, &mut s);
        assert_eq!(s["derived.c.total_change"], json!(-50.0));
        assert_eq!(s["derived.c.total_change_percent"], json!(-16.67));
        assert_eq!(s["derived.c.rose"], json!(1));
        assert_eq!(s["derived.c.fell"], json!(1));
        assert_eq!(s["derived.c.percent.median"], json!(0.0));
    }
}
