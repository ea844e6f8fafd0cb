//! `datapackage.json`: a Frictionless Data Package describing every table the run writes (the
//! CSVs and the `.xlsx` and `.parquet` twins), with a Table Schema (names, types, the status
//! codes) so the tidy data loads typed in any tool.

use serde_json::{Value, json};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn field(name: &str, kind: &str, description: &str) -> Value {
    json!({"name": name, "type": kind, "description": description})
}

pub fn render(title: &str, round: &str) -> String {
    let statuses = ["answered", "not_held", "refused", "exempt", "not_applicable", "no_response", "unclear"];
    let mut status = field("status", "string", "value status (README: Statuses)");
    status["constraints"] = json!({"required": true, "enum": statuses});
    let fields = vec![
        field("body_code", "string", "ODS code of the body"),
        field("field", "string", "field id of the survey schema"),
        field("period", "string", "financial year YYYY-YY, empty where the field has none"),
        status,
        field("value", "any", "money in pounds, a count, or a code (yes/no, category)"),
        field("body_name", "string", "the body's registered name"),
        field("source", "string", "file(s) the value was read from, relative to the round folder"),
        field("location", "string", "sheet!cell, line or page in each source"),
        field("raw", "string", "the text as written"),
        field("rule", "string", "the extraction rule that produced the value"),
        field("confidence", "number", "0..1"),
        field("note", "string", "why a person may want to look"),
    ];
    let table = |name: &str, path: &str, format: &str, mediatype: &str, fields: &[Value]| {
        let mut r = json!({
            "name": name,
            "path": path,
            "format": format,
            "mediatype": mediatype,
            "schema": {"fields": fields, "primaryKey": ["body_code", "field", "period"], "missingValues": [""]}
        });
        if format == "csv" {
            r["encoding"] = json!("utf-8");
        }
        r
    };
    let responses = table("responses", "responses.csv", "csv", "text/csv", &fields);
    let responses_xlsx = table("responses-xlsx", "responses.xlsx", "xlsx", XLSX, &fields);
    // Parquet: `value` holds the numbers only, `value_text` every value as the CSV writes it.
    let mut parquet_fields = fields.clone();
    parquet_fields[4] = field("value", "number", "money in pounds or a count; empty where the value is a code or there is none");
    parquet_fields.insert(5, field("value_text", "string", "the value as responses.csv writes it: a number or a code"));
    let responses_parquet = table("responses-parquet", "responses.parquet", "parquet", "application/vnd.apache.parquet", &parquet_fields);
    let simple = |name: &str, cols: &[(&str, &str)]| {
        json!({
            "name": name,
            "path": format!("{name}.csv"),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": cols.iter().map(|(n, t)| json!({"name": n, "type": t})).collect::<Vec<_>>(), "missingValues": [""]}
        })
    };
    let review_cols = [
        ("body_code", "string"),
        ("field", "string"),
        ("period", "string"),
        ("kind", "string"),
        ("source", "string"),
        ("location", "string"),
        ("evidence", "string"),
        ("source_blake3", "string"),
        ("status", "string"),
        ("value", "string"),
        ("reviewer", "string"),
        ("note", "string"),
    ];
    let mut review_xlsx = simple("review", &review_cols);
    review_xlsx["name"] = json!("review-xlsx");
    review_xlsx["path"] = json!("review.xlsx");
    review_xlsx["format"] = json!("xlsx");
    review_xlsx["mediatype"] = json!(XLSX);
    if let Some(r) = review_xlsx.as_object_mut() {
        r.remove("encoding");
    }
    let mut resources = vec![responses, responses_xlsx, responses_parquet];
    resources.extend([
        simple("bodies", &[("body_code", "string"), ("body_name", "string"), ("reply", "string"), ("files", "string"), ("linked_by", "string"), ("flags", "string")]),
        simple("manifest", &[("path", "string"), ("blake3", "string"), ("bytes", "integer"), ("format", "string"), ("status", "string"), ("reason", "string")]),
        simple("issues", &[("body_code", "string"), ("field", "string"), ("period", "string"), ("kind", "string"), ("source", "string"), ("location", "string"), ("evidence", "string")]),
        simple("review", &review_cols),
        review_xlsx,
    ]);
    let package = json!({
        "profile": "tabular-data-package",
        "name": round.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' }).collect::<String>(),
        "title": title,
        "resources": resources,
    });
    serde_json::to_string_pretty(&package).unwrap_or_default() + "\n"
}
