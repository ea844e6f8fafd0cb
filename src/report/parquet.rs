//! `responses.parquet`: the rows of `responses.csv`, typed, for analysts who load the data into
//! polars, pandas, R or DuckDB: `value` is a number where the answer is one (null otherwise),
//! `value_text` the value as `responses.csv` writes it, `confidence` a number; text is kept as
//! written (a formula is harmless here, so nothing is neutralised).

use super::ReportError;
use crate::observation::{Observation, Value};
use polars::prelude::*;
use std::path::Path;

/// The columns in order: those of `responses.csv`, with `value_text` after `value`.
pub const COLUMNS: [&str; 13] = [
    "body_code",
    "field",
    "period",
    "status",
    "value",
    "value_text",
    "body_name",
    "source",
    "location",
    "raw",
    "rule",
    "confidence",
    "note",
];

/// One row per observation; `rows` are the same observations' `responses.csv` rows (strings in
/// the CSV's column order), so both files say the same thing.
fn frame(observations: &[Observation], rows: &[Vec<String>]) -> PolarsResult<DataFrame> {
    let text = |c: usize| -> Vec<&str> { rows.iter().map(|r| r.get(c).map(String::as_str).unwrap_or("")).collect() };
    // The number the CSV shows (money rounded to pence), not a longer float behind it.
    let value: Vec<Option<f64>> = observations
        .iter()
        .zip(rows)
        .map(|(o, r)| match &o.value {
            Some(Value::Number(_)) => r.get(4).and_then(|s| s.parse::<f64>().ok()),
            _ => None,
        })
        .collect();
    let confidence: Vec<Option<f64>> = rows.iter().map(|r| r.get(10).and_then(|s| s.parse::<f64>().ok())).collect();
    DataFrame::new(vec![
        Column::new(COLUMNS[0].into(), text(0)),
        Column::new(COLUMNS[1].into(), text(1)),
        Column::new(COLUMNS[2].into(), text(2)),
        Column::new(COLUMNS[3].into(), text(3)),
        Column::new(COLUMNS[4].into(), value),
        Column::new(COLUMNS[5].into(), text(4)),
        Column::new(COLUMNS[6].into(), text(5)),
        Column::new(COLUMNS[7].into(), text(6)),
        Column::new(COLUMNS[8].into(), text(7)),
        Column::new(COLUMNS[9].into(), text(8)),
        Column::new(COLUMNS[10].into(), text(9)),
        Column::new(COLUMNS[11].into(), confidence),
        Column::new(COLUMNS[12].into(), text(11)),
    ])
}

pub fn write(path: &Path, observations: &[Observation], rows: &[Vec<String>]) -> Result<(), ReportError> {
    let err = |source: PolarsError| ReportError::Parquet { path: path.to_owned(), source };
    let mut df = frame(observations, rows).map_err(err)?;
    let file = std::fs::File::create(path).map_err(|source| ReportError::Io { path: path.to_owned(), source })?;
    // Columns serialised one after another: the bytes do not depend on the thread count.
    ParquetWriter::new(file).set_parallel(false).finish(&mut df).map_err(err)?;
    Ok(())
}
