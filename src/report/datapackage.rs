//! `datapackage.json`: a Frictionless Data Package describing every table the run writes (the
//! CSVs and the `.xlsx` and `.parquet` twins), with a Table Schema (names, types, the status
//! codes) so the tidy data loads typed in any tool. The fields come from the column tables of
//! [`super::columns`], the ones the writers use. It passes `frictionless validate`.

use super::columns::{Column, Kind, Number, Table};
use serde_json::{Value, json};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn field(name: &str, kind: Kind, description: &str) -> Value {
    let mut f = json!({"name": name, "type": kind.as_str()});
    if !description.is_empty() {
        f["description"] = json!(description);
    }
    if let Kind::OneOf(codes) = kind {
        f["constraints"] = json!({"required": true, "enum": codes});
    }
    f
}

/// The Table Schema fields of a CSV or xlsx table.
fn fields<R>(table: &Table<R>) -> Vec<Value> {
    table
        .columns
        .iter()
        .map(|c: &Column<R>| field(c.name, c.kind, c.description))
        .collect()
}

/// The fields of the Parquet twin: a column that is a number in some rows is a number column
/// there, followed by its text (see `parquet.rs`).
fn parquet_fields<R>(table: &Table<R>) -> Vec<Value> {
    let mut out = Vec::new();
    for c in &table.columns {
        match c.number {
            Number::When(_, twin) => {
                out.push(field(c.name, Kind::Number, twin.description));
                out.push(field(twin.text, Kind::Text, twin.text_description));
            }
            Number::Always => out.push(field(c.name, Kind::Number, c.description)),
            Number::Never => out.push(field(c.name, c.kind, c.description)),
        }
    }
    out
}

/// Which file of a table a resource describes.
#[derive(Clone, Copy, PartialEq)]
enum File {
    Csv,
    Xlsx,
    Parquet,
}

fn resource<R>(table: &Table<R>, file: File) -> Value {
    let (suffix, format, mediatype, fields) = match file {
        File::Csv => ("", "csv", "text/csv", fields(table)),
        File::Xlsx => ("-xlsx", "xlsx", XLSX, fields(table)),
        File::Parquet => (
            "-parquet",
            "parquet",
            "application/vnd.apache.parquet",
            parquet_fields(table),
        ),
    };
    let mut schema = json!({"fields": fields, "missingValues": [""]});
    if !table.primary_key.is_empty() {
        schema["primaryKey"] = json!(table.primary_key);
    }
    let mut r = json!({
        "profile": "tabular-data-resource",
        "name": format!("{}{suffix}", table.name),
        "path": format!("{}.{format}", table.name),
        "format": format,
        "mediatype": mediatype,
        "schema": schema,
    });
    if file == File::Csv {
        r["encoding"] = json!("utf-8");
    }
    r
}

pub fn render(title: &str, round: &str) -> String {
    let responses = super::columns::responses();
    let review = super::columns::review();
    let resources = vec![
        resource(&responses, File::Csv),
        resource(&responses, File::Xlsx),
        resource(&responses, File::Parquet),
        resource(&super::columns::bodies(), File::Csv),
        resource(&super::columns::manifest(), File::Csv),
        resource(&super::columns::issues(), File::Csv),
        resource(&review, File::Csv),
        resource(&review, File::Xlsx),
    ];
    let package = json!({
        "profile": "tabular-data-package",
        "name": round.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' }).collect::<String>(),
        "title": title,
        "resources": resources,
    });
    serde_json::to_string_pretty(&package).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_is_a_tabular_resource_whose_fields_are_the_written_columns() {
        let package: Value =
            serde_json::from_str(&render("A round", "A Round 2016")).expect("json");
        assert_eq!(package["name"], "a-round-2016");
        let resources = package["resources"].as_array().expect("resources");
        assert_eq!(resources.len(), 8);
        assert!(
            resources
                .iter()
                .all(|r| r["profile"] == "tabular-data-resource")
        );
        let names = |name: &str| -> Vec<String> {
            let r = resources
                .iter()
                .find(|r| r["name"] == name)
                .expect("resource");
            r["schema"]["fields"]
                .as_array()
                .expect("fields")
                .iter()
                .map(|f| f["name"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        assert_eq!(
            names("responses"),
            super::super::columns::responses().header()
        );
        assert_eq!(
            names("review-xlsx"),
            super::super::columns::review().header()
        );
        assert_eq!(
            names("manifest"),
            super::super::columns::manifest().header()
        );
        let parquet = names("responses-parquet");
        assert_eq!(parquet[4..6], ["value", "value_text"]);
        assert_eq!(parquet.len(), names("responses").len() + 1);
    }
}
