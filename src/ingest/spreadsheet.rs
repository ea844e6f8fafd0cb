//! Workbooks through calamine (xlsx, xlsb, xls, ods): every sheet as a grid, hidden sheets kept
//! but marked, so extract can skip drafts and say so.

use super::document::{Cell, Format, Sheet};
use calamine::{Data, Reader, SheetVisible};
use std::io::Cursor;

/// The most cells one sheet may spread over; beyond it only the cells that hold something
/// within the first rows and columns are read.
const MAX_ROWS: usize = 100_000;
const MAX_COLS: usize = 1_000;

/// Read every sheet; a sheet that fails is reported in `problems` and the others are kept.
pub fn read(bytes: &[u8], format: Format) -> Result<(Vec<Sheet>, Vec<String>), String> {
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xlsx => sheets(calamine::Xlsx::new(cursor).map_err(|e| describe(&e.to_string()))?),
        Format::Xlsb => sheets(calamine::Xlsb::new(cursor).map_err(|e| describe(&e.to_string()))?),
        Format::Xls => sheets(calamine::Xls::new(cursor).map_err(|e| describe(&e.to_string()))?),
        Format::Ods => sheets(calamine::Ods::new(cursor).map_err(|e| describe(&e.to_string()))?),
        other => Err(format!("not a workbook: {}", other.as_str())),
    }
}

/// Say "password-protected" where the reader says so in its own words.
fn describe(message: &str) -> String {
    let lower = message.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        format!("password-protected: {message}")
    } else {
        message.to_owned()
    }
}

fn sheets<R, RS>(mut workbook: R) -> Result<(Vec<Sheet>, Vec<String>), String>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
    R::Error: std::fmt::Display,
{
    let meta: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (name, hidden) in meta {
        match workbook.worksheet_range(&name) {
            Ok(range) => {
                let (r0, c0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
                let mut rows: Vec<Vec<Cell>> = Vec::new();
                for (r, c, data) in range.used_cells() {
                    let (row, col) = (r0 + r, c0 + c);
                    if row >= MAX_ROWS || col >= MAX_COLS {
                        problems.push(format!("sheet '{name}': cells beyond row {MAX_ROWS} or column {MAX_COLS} not read"));
                        continue;
                    }
                    let cell = convert(data);
                    if cell.is_empty() {
                        continue;
                    }
                    if rows.len() <= row {
                        rows.resize_with(row + 1, Vec::new);
                    }
                    if rows[row].len() <= col {
                        rows[row].resize(col + 1, Cell::Empty);
                    }
                    rows[row][col] = cell;
                }
                out.push(Sheet { name, hidden, rows, place: String::new() });
            }
            Err(e) => problems.push(format!("sheet '{name}': {}", describe(&e.to_string()))),
        }
    }
    problems.dedup();
    Ok((out, problems))
}

fn convert(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Text(if *b { "Yes".into() } else { "No".into() }),
        Data::DateTime(d) => Cell::Text(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        // A formula error is kept as written so that standardise flags it, never read as a number.
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}
