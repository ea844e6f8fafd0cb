//! `responses.parquet`: the rows of `responses.csv`, typed, for analysts who load the data into
//! polars, pandas, R or DuckDB: `value` is a number where the answer is one (null otherwise),
//! `value_text` the value as `responses.csv` writes it, `confidence` a number; text is kept as
//! written (a formula is harmless here, so nothing is neutralised). Written with the Apache
//! `parquet` crate alone (no Arrow, no compression codecs): one row group, plain pages.

use super::ReportError;
use crate::observation::{Observation, Value};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::path::Path;
use std::sync::Arc;

/// Where a Parquet column comes from: a text column of the CSV row, or a number.
enum Source {
    Text(usize),
    /// The number the CSV shows for a numeric answer (money rounded to pence), else null.
    Value,
    Confidence,
}

/// The columns in order, each with its source: those of `responses.csv`, with `value_text` after
/// `value`.
const COLUMNS: [(&str, Source); 13] = [
    ("body_code", Source::Text(0)),
    ("field", Source::Text(1)),
    ("period", Source::Text(2)),
    ("status", Source::Text(3)),
    ("value", Source::Value),
    ("value_text", Source::Text(4)),
    ("body_name", Source::Text(5)),
    ("source", Source::Text(6)),
    ("location", Source::Text(7)),
    ("raw", Source::Text(8)),
    ("rule", Source::Text(9)),
    ("confidence", Source::Confidence),
    ("note", Source::Text(11)),
];

fn schema() -> String {
    let fields: Vec<String> = COLUMNS
        .iter()
        .map(|(name, source)| match source {
            Source::Text(_) => format!("  REQUIRED BYTE_ARRAY {name} (STRING);"),
            Source::Value | Source::Confidence => format!("  OPTIONAL DOUBLE {name};"),
        })
        .collect();
    format!("message responses {{\n{}\n}}", fields.join("\n"))
}

/// One row per observation; `rows` are the same observations' `responses.csv` rows (strings in
/// the CSV's column order), so both files say the same thing.
pub fn write(path: &Path, observations: &[Observation], rows: &[Vec<String>]) -> Result<(), ReportError> {
    let file = std::fs::File::create(path).map_err(|source| ReportError::Io { path: path.to_owned(), source })?;
    write_to(file, observations, rows).map_err(|source| ReportError::Parquet { path: path.to_owned(), source })
}

fn write_to(file: std::fs::File, observations: &[Observation], rows: &[Vec<String>]) -> Result<(), ParquetError> {
    let schema = Arc::new(parse_message_type(&schema())?);
    // A fixed creator string: the bytes do not change with the crate's patch version.
    let props = Arc::new(WriterProperties::builder().set_created_by(format!("foi-survey {}", env!("CARGO_PKG_VERSION"))).build());
    let mut writer = SerializedFileWriter::new(file, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        let cell = |r: &Vec<String>, c: usize| r.get(c).map(String::as_str).unwrap_or("").to_owned();
        match COLUMNS.get(index).map(|(_, source)| source) {
            Some(Source::Text(c)) => {
                let values: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(cell(r, *c).into_bytes())).collect();
                column.typed::<ByteArrayType>().write_batch(&values, None, None)?;
            }
            Some(source @ (Source::Value | Source::Confidence)) => {
                let numbers: Vec<Option<f64>> = match source {
                    Source::Value => observations
                        .iter()
                        .zip(rows)
                        .map(|(o, r)| match &o.value {
                            Some(Value::Number(_)) => r.get(4).and_then(|s| s.parse::<f64>().ok()),
                            _ => None,
                        })
                        .collect(),
                    _ => rows.iter().map(|r| r.get(10).and_then(|s| s.parse::<f64>().ok())).collect(),
                };
                let present: Vec<f64> = numbers.iter().flatten().copied().collect();
                let levels: Vec<i16> = numbers.iter().map(|n| i16::from(n.is_some())).collect();
                column.typed::<DoubleType>().write_batch(&present, Some(&levels), None)?;
            }
            None => return Err(ParquetError::General(format!("column {index} has no source"))),
        }
        column.close()?;
        index += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}
