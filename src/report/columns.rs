//! The column table of every tabular output (responses, bodies, manifest, issues, review): each
//! column's name, type, description and how its cell is had from a row, in one place, so the CSV,
//! xlsx and Parquet writers and `datapackage.json` cannot disagree and a new column is one line.

use super::BodyRow;
use crate::ingest::ManifestEntry;
use crate::observation::{Observation, Status, Value};
use crate::register::Body;
use crate::validate::Issue;

/// A column's type in the Table Schema of `datapackage.json`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    Integer,
    Number,
    /// A number or a code.
    Any,
    /// One of these codes, always present.
    OneOf(&'static [&'static str]),
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text | Kind::OneOf(_) => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Any => "any",
        }
    }
}

/// Where a typed twin (xlsx, Parquet) holds a number rather than the CSV's text.
#[derive(Clone, Copy)]
pub enum Number<R> {
    /// Always text.
    Never,
    /// Always a number (a Parquet `DOUBLE`).
    Always,
    /// A number in the rows where this holds; in Parquet a `DOUBLE` (null elsewhere) followed
    /// by a text column holding the cell as the CSV writes it.
    When(fn(&R) -> bool, Twin),
}

/// The Parquet pair of a column that is sometimes a number.
#[derive(Debug, Clone, Copy)]
pub struct Twin {
    /// What the number column holds.
    pub description: &'static str,
    /// The text column's name and description.
    pub text: &'static str,
    pub text_description: &'static str,
}

/// One column of an output table.
pub struct Column<R> {
    pub name: &'static str,
    pub kind: Kind,
    /// For `datapackage.json`; empty for none.
    pub description: &'static str,
    /// The cell as the CSV writes it (before formulas are neutralised).
    pub cell: fn(&R) -> String,
    pub number: Number<R>,
}

/// An output table: its file stem, columns and primary key.
pub struct Table<R> {
    pub name: &'static str,
    pub columns: Vec<Column<R>>,
    pub primary_key: &'static [&'static str],
}

impl<R> Table<R> {
    pub fn header(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// Every row's cells, as the CSV writes them.
    pub fn cells<'r>(&self, rows: impl IntoIterator<Item = &'r R>) -> Vec<Vec<String>>
    where
        R: 'r,
    {
        rows.into_iter()
            .map(|r| self.columns.iter().map(|c| (c.cell)(r)).collect())
            .collect()
    }
}

fn text<R>(name: &'static str, description: &'static str, cell: fn(&R) -> String) -> Column<R> {
    Column {
        name,
        kind: Kind::Text,
        description,
        cell,
        number: Number::Never,
    }
}

/// " | " between the parts of a cell holding several.
fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts.collect::<Vec<_>>().join(" | ")
}

/// A row of `responses.csv`: an observation and its body's registered name.
pub struct ResponseRow<'a> {
    pub observation: &'a Observation,
    pub body_name: String,
}

/// `responses.csv` (the output contract: extend, never rename).
pub fn responses<'a>() -> Table<ResponseRow<'a>> {
    let value = Twin {
        description: "money in pounds or a count; empty where the value is a code or there is none",
        text: "value_text",
        text_description: "the value as responses.csv writes it: a number or a code",
    };
    Table {
        name: "responses",
        primary_key: &["body_code", "field", "period"],
        columns: vec![
            text("body_code", "ODS code of the body", |r| {
                r.observation.body.clone()
            }),
            text("field", "field id of the survey schema", |r| {
                r.observation.field.clone()
            }),
            text(
                "period",
                "financial year YYYY-YY, empty where the field has none",
                |r| r.observation.period.clone(),
            ),
            Column {
                name: "status",
                kind: Kind::OneOf(Status::NAMES),
                description: "value status (README: Statuses)",
                cell: |r| r.observation.status.to_string(),
                number: Number::Never,
            },
            Column {
                name: "value",
                kind: Kind::Any,
                description: "money in pounds, a count, or a code (yes/no, category)",
                cell: |r| {
                    r.observation
                        .value
                        .as_ref()
                        .map(|v| v.to_string())
                        .unwrap_or_default()
                },
                number: Number::When(
                    |r| matches!(r.observation.value, Some(Value::Number(_))),
                    value,
                ),
            },
            text("body_name", "the body's registered name", |r| {
                r.body_name.clone()
            }),
            text(
                "source",
                "file(s) the value was read from, relative to the round folder",
                |r| join(r.observation.provenance.iter().map(|p| p.source.as_str())),
            ),
            text("location", "sheet!cell, line or page in each source", |r| {
                join(r.observation.provenance.iter().map(|p| p.location.as_str()))
            }),
            text("raw", "the text as written", |r| {
                join(r.observation.provenance.iter().map(|p| p.raw.as_str()))
            }),
            text("rule", "the extraction rule that produced the value", |r| {
                r.observation.rule.clone()
            }),
            Column {
                name: "confidence",
                kind: Kind::Number,
                description: "0..1",
                cell: |r| format!("{:.2}", r.observation.confidence),
                number: Number::Always,
            },
            text("note", "why a person may want to look", |r| {
                r.observation.note.clone()
            }),
        ],
    }
}

/// A row of `bodies.csv`: a surveyed body, how it replied and what was found for it.
pub struct BodyLine<'a> {
    pub body: &'a Body,
    pub reply: &'a str,
    pub row: &'a BodyRow,
}

/// `bodies.csv`: every surveyed body.
pub fn bodies<'a>() -> Table<BodyLine<'a>> {
    Table {
        name: "bodies",
        primary_key: &[],
        columns: vec![
            text("body_code", "", |r| r.body.code.clone()),
            text("body_name", "", |r| r.body.name.clone()),
            text("reply", "", |r| r.reply.to_owned()),
            text("files", "", |r| r.row.files.join(" | ")),
            text("linked_by", "", |r| r.row.linked_by.clone()),
            text("flags", "", |r| r.row.flags.join(" | ")),
        ],
    }
}

/// `manifest.csv`: every input file.
pub fn manifest() -> Table<ManifestEntry> {
    Table {
        name: "manifest",
        primary_key: &[],
        columns: vec![
            text("path", "", |m| m.path.clone()),
            text("blake3", "", |m| m.blake3.clone()),
            Column {
                name: "bytes",
                kind: Kind::Integer,
                description: "",
                cell: |m| m.bytes.to_string(),
                number: Number::Never,
            },
            text("format", "", |m| m.format.as_str().to_owned()),
            text("status", "", |m| m.status.as_str().to_owned()),
            text("reason", "", |m| m.reason.clone()),
        ],
    }
}

/// `issues.csv`: everything flagged for a person.
pub fn issues() -> Table<Issue> {
    Table {
        name: "issues",
        primary_key: &[],
        columns: vec![
            text("body_code", "", |i| i.body.clone()),
            text("field", "", |i| i.field.clone()),
            text("period", "", |i| i.period.clone()),
            text("kind", "", |i| i.kind.to_string()),
            text("source", "", |i| i.source.clone()),
            text("location", "", |i| i.location.clone()),
            text("evidence", "", |i| i.evidence.clone()),
        ],
    }
}

/// A row of `review.csv`: a flagged item and the hash of its evidence file.
pub struct ReviewLine<'a> {
    pub issue: &'a Issue,
    pub source_blake3: String,
}

/// `review.csv`: the flagged items with empty decision columns for a reviewer to fill.
pub fn review<'a>() -> Table<ReviewLine<'a>> {
    Table {
        name: "review",
        primary_key: &[],
        columns: vec![
            text("body_code", "", |r| r.issue.body.clone()),
            text("field", "", |r| r.issue.field.clone()),
            text("period", "", |r| r.issue.period.clone()),
            text("kind", "", |r| r.issue.kind.to_string()),
            text("source", "", |r| r.issue.source.clone()),
            text("location", "", |r| r.issue.location.clone()),
            text("evidence", "", |r| r.issue.evidence.clone()),
            text("source_blake3", "", |r| r.source_blake3.clone()),
            text("status", "", |_| String::new()),
            text("value", "", |_| String::new()),
            text("reviewer", "", |_| String::new()),
            text("note", "", |_| String::new()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_names_each_column_once_and_keys_name_columns() {
        fn check<R>(t: &Table<R>) {
            let header = t.header();
            let mut sorted = header.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                header.len(),
                "{}: a column named twice",
                t.name
            );
            assert!(
                t.primary_key.iter().all(|k| header.contains(k)),
                "{}: a key names no column",
                t.name
            );
        }
        check(&responses());
        check(&bodies());
        check(&manifest());
        check(&issues());
        check(&review());
    }

    #[test]
    fn the_status_column_allows_exactly_the_statuses() {
        let t = responses();
        let status = t
            .columns
            .iter()
            .find(|c| c.name == "status")
            .expect("a status column");
        assert_eq!(
            status.kind,
            Kind::OneOf(&[
                "answered",
                "not_held",
                "refused",
                "exempt",
                "not_applicable",
                "no_response",
                "unclear"
            ])
        );
    }
}
