//! `.xlsx` twins of the CSV outputs (`responses.xlsx`, `review.xlsx`) for people who work in a
//! spreadsheet: the same header and rows on one sheet, text neutralised as in the CSV, numbers
//! stored as numbers, and the same bytes on every run.

use super::columns::{Number, Table};
use super::{ReportError, neutralise};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::path::Path;

/// Excel keeps at most this many characters in a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Text for one cell: neutralised like the CSV, and cut to what Excel can hold (a reply's text
/// can be longer than a cell; the CSV keeps all of it).
fn cell_text(s: &str) -> String {
    let s = neutralise(s);
    if s.chars().count() <= MAX_CELL_CHARS {
        return s;
    }
    let marker = " [cut: see the CSV]";
    s.chars()
        .take(MAX_CELL_CHARS - marker.chars().count())
        .collect::<String>()
        + marker
}

/// Write `table`'s header and `cells` (the cells of `rows`, as the CSV writes them) to one sheet
/// named for the table. A cell whose column is a number in that row (its [`Number`]) and whose
/// text is a finite number is written as that number; every other cell as text.
pub fn write<R>(
    path: &Path,
    table: &Table<R>,
    rows: &[R],
    cells: &[Vec<String>],
) -> Result<(), ReportError> {
    let numeric = |r: usize, c: usize| match table.columns.get(c).map(|col| &col.number) {
        Some(Number::Always) => true,
        Some(Number::When(is, _)) => rows.get(r).is_some_and(is),
        Some(Number::Never) | None => false,
    };
    write_cells(path, table.name, &table.header(), cells, numeric)
}

/// Write `header` and `rows` to one sheet named `sheet`: a cell for which `numeric(row, column)`
/// holds and whose text is a finite number is written as that number, every other cell as text
/// (for outputs without a column table, such as the spend round's transactions).
pub fn write_cells(
    path: &Path,
    sheet: &str,
    header: &[&str],
    rows: &[Vec<String>],
    numeric: impl Fn(usize, usize) -> bool,
) -> Result<(), ReportError> {
    let err = |source: XlsxError| ReportError::Xlsx {
        path: path.to_owned(),
        source,
    };
    let mut book = Workbook::new();
    // rust_xlsxwriter stamps the time of writing into docProps/core.xml; a fixed date keeps the
    // file identical from run to run (1980-01-01, the date its zip entries already carry).
    let created = ExcelDateTime::from_ymd(1980, 1, 1).map_err(err)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    for (r, row) in rows.iter().enumerate() {
        let xr = u32::try_from(r + 1).map_err(|_| err(XlsxError::RowColumnLimitError))?;
        for (c, text) in row.iter().enumerate() {
            let xc = u16::try_from(c).map_err(|_| err(XlsxError::RowColumnLimitError))?;
            match text.parse::<f64>() {
                Ok(n) if n.is_finite() && numeric(r, c) => {
                    ws.write_number(xr, xc, n).map_err(err)?
                }
                _ if text.is_empty() => continue,
                _ => ws.write_string(xr, xc, cell_text(text)).map_err(err)?,
            };
        }
    }
    book.save(path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_long_text_cut_to_a_cell() {
        assert_eq!(cell_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell_text("-12.5"), "-12.5");
        let long = cell_text(&"a".repeat(40_000));
        assert_eq!(long.chars().count(), MAX_CELL_CHARS);
        assert!(long.ends_with("[cut: see the CSV]"));
    }
}
