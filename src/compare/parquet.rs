//! `panel.parquet`: the panel's rows typed for analysts (polars, pandas, R, DuckDB), written
//! with the Apache `parquet` crate alone, as `responses.parquet` is: one row group, plain pages,
//! text columns as UTF-8 strings and numbers as optional doubles.

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::path::Path;
use std::sync::Arc;

/// One column's values.
pub enum Column {
    Text(Vec<String>),
    Number(Vec<Option<f64>>),
}

/// Write named columns (all the same length) as one Parquet table.
pub fn write(path: &Path, message: &str, columns: &[(&str, Column)]) -> Result<(), ParquetError> {
    let fields: Vec<String> = columns
        .iter()
        .map(|(name, c)| match c {
            Column::Text(_) => format!("  REQUIRED BYTE_ARRAY {name} (STRING);"),
            Column::Number(_) => format!("  OPTIONAL DOUBLE {name};"),
        })
        .collect();
    let schema = Arc::new(parse_message_type(&format!(
        "message {message} {{\n{}\n}}",
        fields.join("\n")
    ))?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_created_by(format!("foi-survey {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let file = std::fs::File::create(path)?;
    let mut writer = SerializedFileWriter::new(file, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        match columns.get(index).map(|(_, c)| c) {
            Some(Column::Text(values)) => {
                let values: Vec<ByteArray> = values
                    .iter()
                    .map(|v| ByteArray::from(v.as_bytes().to_vec()))
                    .collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, None, None)?;
            }
            Some(Column::Number(values)) => {
                let present: Vec<f64> = values.iter().flatten().copied().collect();
                let levels: Vec<i16> = values.iter().map(|n| i16::from(n.is_some())).collect();
                column
                    .typed::<DoubleType>()
                    .write_batch(&present, Some(&levels), None)?;
            }
            None => {
                return Err(ParquetError::General(format!(
                    "column {index} has no values"
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
