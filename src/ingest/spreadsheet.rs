//! Workbooks through calamine (xlsx, xlsb, xls, ods): every sheet as a grid, hidden sheets kept
//! but marked, so extract can skip drafts and say so.

use super::document::{Cell, Format, Sheet};
use super::limits::Limits;
use calamine::{Data, Reader, SheetVisible};
use std::io::Cursor;

/// Read every sheet; a sheet that fails is reported in `problems` and the others are kept.
pub fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<(Vec<Sheet>, Vec<String>), String> {
    let c = Cursor::new(bytes);
    match format {
        Format::Xlsx => xlsx_streamed(calamine::Xlsx::new(c).map_err(describe)?, limits),
        Format::Xlsb => sheets(calamine::Xlsb::new(c).map_err(describe)?, limits),
        Format::Xls => sheets(calamine::Xls::new(c).map_err(describe)?, limits),
        Format::Ods => sheets(calamine::Ods::new(c).map_err(describe)?, limits),
        other => Err(format!("not a workbook: {}", other.as_str())),
    }
}

/// Say "password-protected" where the reader says so in its own words.
fn describe(error: impl std::fmt::Display) -> String {
    let message = error.to_string();
    let lower = message.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        format!("password-protected: {message}")
    } else {
        message
    }
}

fn sheets<R, RS>(mut workbook: R, limits: &Limits) -> Result<(Vec<Sheet>, Vec<String>), String>
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
                let (r0, c0) = range
                    .start()
                    .map(|(r, c)| (r as usize, c as usize))
                    .unwrap_or((0, 0));
                let mut rows: Vec<Vec<Cell>> = Vec::new();
                for (r, c, data) in range.used_cells() {
                    place(
                        &mut rows,
                        r0 + r,
                        c0 + c,
                        convert(data),
                        &name,
                        &mut problems,
                        limits,
                    );
                }
                out.push(Sheet {
                    name,
                    hidden,
                    rows,
                    place: String::new(),
                });
            }
            Err(e) => problems.push(format!("sheet '{name}': {}", describe(e))),
        }
    }
    problems.dedup();
    Ok((out, problems))
}

/// Put one cell into a sparse-grown grid, within the limits.
/// Cells beyond the limits' rows and columns are not read, and the sheet says so.
fn place(
    rows: &mut Vec<Vec<Cell>>,
    row: usize,
    col: usize,
    cell: Cell,
    name: &str,
    problems: &mut Vec<String>,
    limits: &Limits,
) {
    if row >= limits.max_rows || col >= limits.max_cols {
        let p = format!(
            "sheet '{name}': cells beyond row {} or column {} not read",
            limits.max_rows, limits.max_cols
        );
        if !problems.contains(&p) {
            problems.push(p);
        }
        return;
    }
    if cell.is_empty() {
        return;
    }
    if rows.len() <= row {
        rows.resize_with(row + 1, Vec::new);
    }
    if rows[row].len() <= col {
        rows[row].resize(col + 1, Cell::Empty);
    }
    rows[row][col] = cell;
}

/// xlsx read cell by cell: a sheet whose dimension (or one far cell, XFD1048576) claims billions
/// of cells costs only the cells it holds.
fn xlsx_streamed<RS: std::io::Read + std::io::Seek>(
    mut workbook: calamine::Xlsx<RS>,
    limits: &Limits,
) -> Result<(Vec<Sheet>, Vec<String>), String> {
    let meta: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (name, hidden) in meta {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        match workbook.worksheet_cells_reader(&name) {
            Ok(mut reader) => loop {
                match reader.next_cell() {
                    Ok(Some(c)) => {
                        let (r, col) = c.get_position();
                        let data: Data = c.get_value().clone().into();
                        place(
                            &mut rows,
                            r as usize,
                            col as usize,
                            convert(&data),
                            &name,
                            &mut problems,
                            limits,
                        );
                    }
                    Ok(None) => break,
                    Err(e) => {
                        problems.push(format!("sheet '{name}': {}", describe(e)));
                        break;
                    }
                }
            },
            Err(e) => {
                problems.push(format!("sheet '{name}': {}", describe(e)));
                continue;
            }
        }
        out.push(Sheet {
            name,
            hidden,
            rows,
            place: String::new(),
        });
    }
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
        Data::Error(e) => Cell::Text(format!("{e}")),
    }
}
