//! Report: the files researchers and the scorer read, written into the round's output folder
//! and nowhere else: `responses.csv` (and its `.xlsx` and `.parquet` twins), `bodies.csv`,
//! `manifest.csv`, `issues.csv`, `summary.json`, `report.md`, `report.html` and
//! `datapackage.json`.

pub mod columns;
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
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot write: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{path}: cannot write: {source}")]
    Xlsx {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
    #[error("{path}: cannot write: {source}")]
    Parquet {
        path: PathBuf,
        source: ::parquet::errors::ParquetError,
    },
}

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
    csv::Writer::from_path(path).map_err(|source| ReportError::Csv {
        path: path.to_owned(),
        source,
    })
}

pub fn write_rows(
    path: &Path,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<(), ReportError> {
    let mut w = writer(path)?;
    let err = |source| ReportError::Csv {
        path: path.to_owned(),
        source,
    };
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(row.iter().map(|s| neutralise(s)))
            .map_err(err)?;
    }
    w.flush().map_err(|source| ReportError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Write `rows` to `<out>/<table>.csv` under the table's header; returns their cells.
fn write_table<'r, R: 'r>(
    out: &Path,
    table: &columns::Table<R>,
    rows: impl IntoIterator<Item = &'r R>,
) -> Result<Vec<Vec<String>>, ReportError> {
    let cells = table.cells(rows);
    write_rows(
        &out.join(format!("{}.csv", table.name)),
        &table.header(),
        cells.iter().cloned(),
    )?;
    Ok(cells)
}

/// `review.csv` and `review.xlsx`: every flagged item about a body's answer, with empty
/// decision columns.
pub fn write_review(
    out: &Path,
    issues: &[Issue],
    manifest: &[ManifestEntry],
) -> Result<(), ReportError> {
    let table = columns::review();
    let lines = crate::review::lines(issues, manifest);
    let cells = write_table(out, &table, &lines)?;
    xlsx::write(&out.join("review.xlsx"), &table, &lines, &cells)
}

/// Everything a round's outputs are written from: the stages' results, borrowed.
#[derive(Clone, Copy)]
pub struct RoundOutputs<'a> {
    pub title: &'a str,
    pub schema: &'a crate::schema::Schema,
    pub observations: &'a [Observation],
    pub register: &'a Register,
    pub replies: &'a BTreeMap<String, Reply>,
    pub bodies: &'a BTreeMap<String, BodyRow>,
    pub manifest: &'a [ManifestEntry],
    pub issues: &'a [Issue],
    pub analysis: &'a Analysis,
}

/// Every table, export, statistic and report of a round into `out`.
pub fn write_all(out: &Path, outputs: &RoundOutputs) -> Result<(), ReportError> {
    let RoundOutputs {
        title,
        schema,
        observations,
        register,
        replies,
        bodies,
        manifest,
        issues,
        analysis,
    } = *outputs;
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io {
        path: out.to_owned(),
        source,
    })?;
    let name = |code: &str| {
        register
            .get(code)
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };
    let responses: Vec<columns::ResponseRow> = observations
        .iter()
        .map(|o| columns::ResponseRow {
            observation: o,
            body_name: name(&o.body),
        })
        .collect();
    let table = columns::responses();
    let cells = write_table(out, &table, &responses)?;
    // In the workbook and the Parquet file a numeric answer is a number (a code such as "yes"
    // stays text), and so is the confidence.
    xlsx::write(&out.join("responses.xlsx"), &table, &responses, &cells)?;
    parquet::write(&out.join("responses.parquet"), &table, &responses, &cells)?;
    let empty = BodyRow::default();
    let lines: Vec<columns::BodyLine> = register
        .bodies
        .iter()
        .map(|b| columns::BodyLine {
            body: b,
            reply: Reply::of(replies, &b.code).as_str(),
            row: bodies.get(&b.code).unwrap_or(&empty),
        })
        .collect();
    write_table(out, &columns::bodies(), &lines)?;
    write_table(out, &columns::manifest(), manifest)?;
    write_table(out, &columns::issues(), issues)?;
    let summary_path = out.join("summary.json");
    let json = serde_json::to_string_pretty(&analysis.summary).unwrap_or_else(|_| "{}".into());
    std::fs::write(&summary_path, json + "\n").map_err(|source| ReportError::Io {
        path: summary_path,
        source,
    })?;
    let md_path = out.join("report.md");
    let md = markdown::render(title, schema, register, analysis);
    std::fs::write(&md_path, md).map_err(|source| ReportError::Io {
        path: md_path,
        source,
    })?;
    let dp_path = out.join("datapackage.json");
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::write(&dp_path, datapackage::render(title, &name)).map_err(|source| {
        ReportError::Io {
            path: dp_path,
            source,
        }
    })?;
    let html_path = out.join("report.html");
    let html = html::render(title, schema, observations, register, replies, analysis);
    std::fs::write(&html_path, html).map_err(|source| ReportError::Io {
        path: html_path,
        source,
    })?;
    Ok(())
}
