//! Report: the files researchers and the scorer read, written into the round's output folder
//! and nowhere else: `responses.csv` (and its `.xlsx` and `.parquet` twins), `bodies.csv`,
//! `manifest.csv`, `issues.csv`, `summary.json`, `report.md`, `report.html` and
//! `datapackage.json`.

pub mod datapackage;
pub mod html;
pub mod markdown;
pub mod official;
pub mod parquet;
pub mod xlsx;

use crate::analyse::Analysis;
use crate::ingest::ManifestEntry;
use crate::observation::Observation;
use crate::register::Register;
use crate::validate::{Issue, Reply};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: cannot write: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: cannot write: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{path}: cannot write: {source}")]
    Xlsx { path: PathBuf, source: rust_xlsxwriter::XlsxError },
    #[error("{path}: cannot write: {source}")]
    Parquet { path: PathBuf, source: ::parquet::errors::ParquetError },
}

/// The columns of `responses.csv` (SPEC.md: extend, never rename).
pub const RESPONSES_HEADER: [&str; 12] =
    ["body_code", "field", "period", "status", "value", "body_name", "source", "location", "raw", "rule", "confidence", "note"];

/// What a body's row in `bodies.csv` says beside its code and name.
#[derive(Debug, Clone, Default)]
pub struct BodyRow {
    pub files: Vec<String>,
    pub flags: Vec<String>,
    pub linked_by: String,
}

/// A value that would run as a formula in a spreadsheet (`=`, `+`, `-`, `@`) is kept as text.
pub fn neutralise(s: &str) -> String {
    let looks_numeric = s.parse::<f64>().is_ok();
    match s.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => format!("'{s}"),
        Some('-') if !looks_numeric => format!("'{s}"),
        _ => s.to_owned(),
    }
}

fn writer(path: &Path) -> Result<csv::Writer<std::fs::File>, ReportError> {
    csv::Writer::from_path(path).map_err(|source| ReportError::Csv { path: path.to_owned(), source })
}

pub fn write_rows(path: &Path, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<(), ReportError> {
    let mut w = writer(path)?;
    let err = |source| ReportError::Csv { path: path.to_owned(), source };
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(row.iter().map(|s| neutralise(s))).map_err(err)?;
    }
    w.flush().map_err(|source| ReportError::Io { path: path.to_owned(), source })
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts.collect::<Vec<_>>().join(" | ")
}

#[allow(clippy::too_many_arguments)]
pub fn write_all(
    out: &Path,
    title: &str,
    schema: &crate::schema::Schema,
    observations: &[Observation],
    register: &Register,
    replies: &BTreeMap<String, Reply>,
    bodies: &BTreeMap<String, BodyRow>,
    manifest: &[ManifestEntry],
    issues: &[Issue],
    analysis: &Analysis,
) -> Result<(), ReportError> {
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io { path: out.to_owned(), source })?;
    let name = |code: &str| register.get(code).map(|b| b.name.clone()).unwrap_or_default();
    let responses: Vec<Vec<String>> = observations
        .iter()
        .map(|o| {
            vec![
                o.body.clone(),
                o.field.clone(),
                o.period.clone(),
                o.status.to_string(),
                o.value.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                name(&o.body),
                join(o.provenance.iter().map(|p| p.source.as_str())),
                join(o.provenance.iter().map(|p| p.location.as_str())),
                join(o.provenance.iter().map(|p| p.raw.as_str())),
                o.rule.clone(),
                format!("{:.2}", o.confidence),
                o.note.clone(),
            ]
        })
        .collect();
    write_rows(&out.join("responses.csv"), &RESPONSES_HEADER, responses.iter().cloned())?;
    // In the workbook a numeric answer is a number (a code such as "yes" stays text), and so is
    // the confidence.
    xlsx::write(&out.join("responses.xlsx"), "responses", &RESPONSES_HEADER, &responses, |r, c| {
        (c == 4 && observations.get(r).is_some_and(|o| matches!(o.value, Some(crate::observation::Value::Number(_))))) || c == 10
    })?;
    parquet::write(&out.join("responses.parquet"), observations, &responses)?;
    let empty = BodyRow::default();
    write_rows(
        &out.join("bodies.csv"),
        &["body_code", "body_name", "reply", "files", "linked_by", "flags"],
        register.bodies.iter().map(|b| {
            let row = bodies.get(&b.code).unwrap_or(&empty);
            vec![
                b.code.clone(),
                b.name.clone(),
                replies.get(&b.code).map(|r| r.as_str()).unwrap_or("no_response").to_owned(),
                row.files.join(" | "),
                row.linked_by.clone(),
                row.flags.join(" | "),
            ]
        }),
    )?;
    write_rows(
        &out.join("manifest.csv"),
        &["path", "blake3", "bytes", "format", "status", "reason"],
        manifest.iter().map(|m| {
            vec![m.path.clone(), m.blake3.clone(), m.bytes.to_string(), m.format.as_str().to_owned(), m.status.as_str().to_owned(), m.reason.clone()]
        }),
    )?;
    write_rows(
        &out.join("issues.csv"),
        &["body_code", "field", "period", "kind", "source", "location", "evidence"],
        issues.iter().map(|i| {
            vec![i.body.clone(), i.field.clone(), i.period.clone(), i.kind.clone(), i.source.clone(), i.location.clone(), i.evidence.clone()]
        }),
    )?;
    let summary_path = out.join("summary.json");
    let json = serde_json::to_string_pretty(&analysis.summary).unwrap_or_else(|_| "{}".into());
    std::fs::write(&summary_path, json + "\n").map_err(|source| ReportError::Io { path: summary_path, source })?;
    let md_path = out.join("report.md");
    let md = markdown::render(title, observations, register, analysis);
    std::fs::write(&md_path, md).map_err(|source| ReportError::Io { path: md_path, source })?;
    let dp_path = out.join("datapackage.json");
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    std::fs::write(&dp_path, datapackage::render(title, &name)).map_err(|source| ReportError::Io { path: dp_path, source })?;
    let html_path = out.join("report.html");
    let html = html::render(title, schema, observations, register, replies, analysis);
    std::fs::write(&html_path, html).map_err(|source| ReportError::Io { path: html_path, source })?;
    Ok(())
}
