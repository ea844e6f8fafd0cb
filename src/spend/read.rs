//! One published file's grids read as payment lines: the header found below any title rows
//! (by the declared spellings), repeated titles and headers in a concatenated export, total
//! and subtotal lines, notes, a supplier label written once over a group of rows; every line
//! kept with its file, sheet and 1-based row.

use super::schema::{Column, SpendSchema};
use super::value::{Date, cell_amount, parse_date};
use crate::ingest::{Cell, Sheet};
use std::collections::BTreeMap;

/// What a non-blank row below a header is (the statuses of a row: kept, duplicate, total_line, not_a_transaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowStatus {
    Kept,
    Duplicate,
    TotalLine,
    NotATransaction,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Kept => "kept",
            RowStatus::Duplicate => "duplicate",
            RowStatus::TotalLine => "total_line",
            RowStatus::NotATransaction => "not_a_transaction",
        }
    }
}

/// One row of a published file.
#[derive(Debug, Clone)]
pub struct SpendRow {
    /// Path from the round folder.
    pub file: String,
    /// Sheet name; `None` for CSV.
    pub sheet: Option<String>,
    /// 1-based: the CSV line (blank lines count) or the spreadsheet row.
    pub row: usize,
    pub status: RowStatus,
    pub date: Option<Date>,
    pub expense_type: String,
    pub expense_area: String,
    pub supplier: String,
    pub amount: Option<f64>,
    pub transaction_id: String,
    /// The Entity column as written (which body published the row).
    pub entity: String,
    /// Every cell of the row joined with ` | `: the evidence.
    pub raw: String,
    /// A total line's label ("Total", "Total August 2015") or a note's text.
    pub label: String,
    /// Why the row is not what it first seemed (for issues).
    pub note: String,
}

/// What a sheet yields: its rows below a header, and the text above the first header (titles).
#[derive(Debug, Default)]
pub struct SheetRows {
    pub rows: Vec<SpendRow>,
    pub titles: Vec<String>,
}

/// Columns a row names, when it is a header: at least three, among them the amount and the
/// date or the supplier.
fn header_columns(cells: &[Cell], schema: &SpendSchema) -> Option<BTreeMap<Column, usize>> {
    let mut map = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        if let Cell::Text(t) = c
            && let Some(col) = schema.column_of(t)
        {
            map.entry(col).or_insert(i);
        }
    }
    (map.len() >= 3
        && map.contains_key(&Column::Amount)
        && (map.contains_key(&Column::Date) || map.contains_key(&Column::Supplier)))
    .then_some(map)
}

fn text_at(cells: &[Cell], map: &BTreeMap<Column, usize>, col: Column) -> String {
    map.get(&col)
        .and_then(|&i| cells.get(i))
        .map(|c| c.text())
        .unwrap_or_default()
}

fn cell_at<'a>(cells: &'a [Cell], map: &BTreeMap<Column, usize>, col: Column) -> &'a Cell {
    map.get(&col)
        .and_then(|&i| cells.get(i))
        .unwrap_or(&Cell::Empty)
}

/// Read one grid. `file` and `sheet` are carried into every row.
pub fn read_sheet(
    grid: &Sheet,
    file: &str,
    sheet: Option<&str>,
    schema: &SpendSchema,
) -> SheetRows {
    let mut out = SheetRows::default();
    let mut columns: Option<BTreeMap<Column, usize>> = None;
    let mut last_supplier = String::new();
    for (r, cells) in grid.rows.iter().enumerate() {
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let raw = cells.iter().map(Cell::text).collect::<Vec<_>>().join(" | ");
        let raw = raw.trim_end_matches([' ', '|']).to_owned();
        if let Some(map) = header_columns(cells, schema) {
            if columns.is_some() {
                out.rows.push(row_of(
                    file,
                    sheet,
                    r,
                    RowStatus::NotATransaction,
                    raw,
                    "header repeated",
                ));
            }
            columns = Some(map);
            last_supplier.clear();
            continue;
        }
        let Some(map) = &columns else {
            out.titles
                .extend(cells.iter().filter(|c| !c.is_empty()).map(Cell::text));
            continue;
        };
        let date = parse_date(cell_at(cells, map, Column::Date));
        let amount = cell_amount(cell_at(cells, map, Column::Amount));
        let mut supplier = text_at(cells, map, Column::Supplier);
        let label = cells
            .iter()
            .filter(|c| matches!(c, Cell::Text(_)) && !c.is_empty())
            .map(Cell::text)
            .next()
            .unwrap_or_default();
        let mut row = row_of(file, sheet, r, RowStatus::NotATransaction, raw, "");
        match (date, amount) {
            (Some(date), Some(amount)) => {
                if supplier.is_empty() && !last_supplier.is_empty() {
                    // A pivot-table export writes a supplier once for the rows under it.
                    supplier = last_supplier.clone();
                    row.note = "supplier from the group label above".into();
                }
                last_supplier = supplier.clone();
                row.status = RowStatus::Kept;
                row.date = Some(date);
                row.amount = Some(amount);
                row.supplier = supplier;
                row.expense_type = text_at(cells, map, Column::ExpenseType);
                row.expense_area = text_at(cells, map, Column::ExpenseArea);
                row.transaction_id = text_at(cells, map, Column::TransactionId);
                row.entity = text_at(cells, map, Column::Entity);
            }
            (None, Some(amount)) => {
                let says_total = cells
                    .iter()
                    .any(|c| matches!(c, Cell::Text(t) if t.to_lowercase().contains("total")));
                row.amount = Some(amount);
                row.label = label;
                if says_total || supplier.is_empty() {
                    row.status = RowStatus::TotalLine;
                } else {
                    row.note = "an amount and a supplier but no readable date: not counted".into();
                }
            }
            _ => {
                row.label = label;
            }
        }
        out.rows.push(row);
    }
    out
}

fn row_of(
    file: &str,
    sheet: Option<&str>,
    r: usize,
    status: RowStatus,
    raw: String,
    note: &str,
) -> SpendRow {
    SpendRow {
        file: file.to_owned(),
        sheet: sheet.map(str::to_owned),
        row: r + 1,
        status,
        date: None,
        expense_type: String::new(),
        expense_area: String::new(),
        supplier: String::new(),
        amount: None,
        transaction_id: String::new(),
        entity: String::new(),
        raw,
        label: String::new(),
        note: note.to_owned(),
    }
}

/// A CSV file's grid with every line in its place: row `i` of the grid is line `i + 1` of the
/// file, blank lines included (they count), so locations are the file's own lines.
/// Decoding and the delimiter come from ingest.
pub fn csv_grid(bytes: &[u8]) -> Result<Sheet, String> {
    let (text, _) = crate::ingest::text::decode(bytes);
    let delimiter = crate::ingest::delimited::sniff_delimiter(&text).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // Line numbers from byte offsets (the reader's own line count slips on CRLF blank lines).
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let blank = |l: usize| {
        let end = starts.get(l + 1).copied().unwrap_or(text.len());
        text.get(starts[l]..end).is_none_or(|s| s.trim().is_empty())
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let byte = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        let mut l = starts
            .partition_point(|&s| s <= byte)
            .saturating_sub(1)
            .max(rows.len());
        while l + 1 < starts.len() && blank(l) {
            l += 1;
        }
        let line = l + 1;
        if rows.len() < line - 1 {
            rows.resize_with(line - 1, Vec::new);
        }
        let cells = record
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_owned())
                }
            })
            .collect();
        rows.push(cells);
    }
    Ok(Sheet {
        name: String::new(),
        hidden: false,
        rows,
        place: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> SpendSchema {
        SpendSchema::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/spend.toml"),
        )
        .unwrap()
    }

    #[test]
    fn title_rows_blank_lines_totals_and_notes() {
        for crlf in [false, true] {
            let csv = "NHS BOLTON CCG - Payments over £25k - Feb-17\n\nMerchant Name,Departmental Family,Entity,Invoice Date,EXPENSE TYPE,Expenditure Area,Invoice Reference,Gross Amount\nAHMED AND KAUR,Department of Health,NHS BOLTON CCG,01/02/2017,GMS,GP,5122227888,\"48,746.17 \"\nREDACTED,Department of Health,NHS BOLTON CCG,16/02/2017,CHC,CC,5122230441,\"(26,176.18)\"\n,,,,,,,\nTotal,,,,,,,\"22,570.01\"\nFigures include VAT where applicable.\n";
            let csv = if crlf {
                csv.replace('\n', "\r\n")
            } else {
                csv.to_owned()
            };
            let grid = csv_grid(csv.as_bytes()).unwrap();
            let read = read_sheet(&grid, "f.csv", None, &schema());
            assert_eq!(
                read.titles,
                vec!["NHS BOLTON CCG - Payments over £25k - Feb-17"]
            );
            let got: Vec<(usize, &str, Option<f64>)> = read
                .rows
                .iter()
                .map(|r| (r.row, r.status.as_str(), r.amount))
                .collect();
            assert_eq!(
                got,
                vec![
                    (4, "kept", Some(48746.17)),
                    (5, "kept", Some(-26176.18)),
                    (7, "total_line", Some(22570.01)),
                    (8, "not_a_transaction", None)
                ]
            );
            assert_eq!(read.rows[0].transaction_id, "5122227888");
            assert_eq!(
                read.rows[0].date.map(|d| d.iso()).as_deref(),
                Some("2017-02-01")
            );
            assert_eq!(read.rows[0].expense_area, "GP");
        }
    }

    #[test]
    fn repeated_header_and_amount_only_total() {
        let grid = Sheet {
            name: "Q".into(),
            hidden: false,
            place: String::new(),
            rows: vec![
                vec![
                    Cell::Empty,
                    Cell::Text("Date".into()),
                    Cell::Text("Supplier".into()),
                    Cell::Text("Amount".into()),
                ],
                vec![
                    Cell::Empty,
                    Cell::Number(42095.0),
                    Cell::Text("Trinity Hospice".into()),
                    Cell::Number(30000.0),
                ],
                vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Number(30000.0)],
                vec![
                    Cell::Empty,
                    Cell::Text("Date".into()),
                    Cell::Text("Supplier".into()),
                    Cell::Text("Amount".into()),
                ],
                vec![
                    Cell::Empty,
                    Cell::Text("2015-05-01".into()),
                    Cell::Empty,
                    Cell::Text("£40,000.00".into()),
                ],
            ],
        };
        let read = read_sheet(&grid, "q.xlsx", Some("Q"), &schema());
        let got: Vec<(usize, &str)> = read
            .rows
            .iter()
            .map(|r| (r.row, r.status.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "kept"),
                (3, "total_line"),
                (4, "not_a_transaction"),
                (5, "kept")
            ]
        );
        assert_eq!(
            read.rows[0].date.map(|d| d.iso()).as_deref(),
            Some("2015-04-01")
        );
        // After a repeated header the group label does not carry over.
        assert_eq!(read.rows[3].supplier, "");
    }
}
