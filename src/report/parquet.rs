//! `responses.parquet`: the rows of `responses.csv`, typed, for analysts who load the data into
//! polars, pandas, R or DuckDB: `value` is a number where the answer is one (null otherwise),
//! `value_text` the value as `responses.csv` writes it, `confidence` a number; text is kept as
//! written (a formula is harmless here, so nothing is neutralised). Written with the Apache
//! `parquet` crate alone (no Arrow, no compression codecs): one row group, plain pages.

use super::ReportError;
use super::columns::{Number, Table};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::path::Path;
use std::sync::Arc;

/// One Parquet column: a column of the table as text or as a number.
enum Source<R> {
    /// The CSV cell of column `.0`.
    Text(usize),
    /// The number in the CSV cell of column `.0` where `.1` holds for the row (or always), else
    /// null.
    Number(usize, Option<fn(&R) -> bool>),
}

/// The Parquet columns of `table`, in order: a number column where the table's column is one
/// ([`Number`]), followed by its text twin where it is one only in some rows.
fn columns<R>(table: &Table<R>) -> Vec<(&'static str, Source<R>)> {
    let mut out = Vec::new();
    for (i, c) in table.columns.iter().enumerate() {
        match c.number {
            Number::Never => out.push((c.name, Source::Text(i))),
            Number::Always => out.push((c.name, Source::Number(i, None))),
            Number::When(is, twin) => {
                out.push((c.name, Source::Number(i, Some(is))));
                out.push((twin.text, Source::Text(i)));
            }
        }
    }
    out
}

fn schema<R>(name: &str, columns: &[(&str, Source<R>)]) -> String {
    let fields: Vec<String> = columns
        .iter()
        .map(|(name, source)| match source {
            Source::Text(_) => format!("  REQUIRED BYTE_ARRAY {name} (STRING);"),
            Source::Number(..) => format!("  OPTIONAL DOUBLE {name};"),
        })
        .collect();
    format!("message {name} {{\n{}\n}}", fields.join("\n"))
}

/// One row per row of `rows`; `cells` are the same rows' CSV cells (strings in the table's
/// column order), so both files say the same thing.
pub fn write<R>(
    path: &Path,
    table: &Table<R>,
    rows: &[R],
    cells: &[Vec<String>],
) -> Result<(), ReportError> {
    let file = std::fs::File::create(path).map_err(|source| ReportError::Io {
        path: path.to_owned(),
        source,
    })?;
    write_to(file, table, rows, cells).map_err(|source| ReportError::Parquet {
        path: path.to_owned(),
        source,
    })
}

fn write_to<R>(
    file: std::fs::File,
    table: &Table<R>,
    rows: &[R],
    cells: &[Vec<String>],
) -> Result<(), ParquetError> {
    let columns = columns(table);
    let schema = Arc::new(parse_message_type(&schema(table.name, &columns))?);
    // A fixed creator string: the bytes do not change with the crate's patch version.
    let props = Arc::new(
        WriterProperties::builder()
            .set_created_by(format!("foi-survey {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(file, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        let cell =
            |r: &Vec<String>, c: usize| r.get(c).map(String::as_str).unwrap_or("").to_owned();
        match columns.get(index).map(|(_, source)| source) {
            Some(Source::Text(c)) => {
                let values: Vec<ByteArray> = cells
                    .iter()
                    .map(|r| ByteArray::from(cell(r, *c).into_bytes()))
                    .collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, None, None)?;
            }
            Some(Source::Number(c, when)) => {
                let numbers: Vec<Option<f64>> = rows
                    .iter()
                    .zip(cells)
                    .map(|(row, r)| match when {
                        Some(is) if !is(row) => None,
                        _ => r.get(*c).and_then(|s| s.parse::<f64>().ok()),
                    })
                    .collect();
                let present: Vec<f64> = numbers.iter().flatten().copied().collect();
                let levels: Vec<i16> = numbers.iter().map(|n| i16::from(n.is_some())).collect();
                column
                    .typed::<DoubleType>()
                    .write_batch(&present, Some(&levels), None)?;
            }
            None => {
                return Err(ParquetError::General(format!(
                    "column {index} has no source"
                )));
            }
        }
        column.close()?;
        index += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}
