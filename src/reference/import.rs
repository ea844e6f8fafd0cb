//! Running a recipe over its source file: the file read by the project's own readers (ingest),
//! the table found by its heading text (the heading over the values, the code column to its
//! left, header rows down to the code heading, the table's columns up to the next blank column),
//! every value cell read with its heading path, then added up (aggregate) and checked (the
//! declared checks of validate).

use super::ReferenceError;
use super::aggregate::{self, CellValue, SeriesValue};
use super::recipe::{CHECK_FIELD, Recipe};
use crate::ingest::{Cell, Sheet};
use crate::observation::{Observation, Provenance, Status, Value};
use crate::register::Register;
use crate::validate::Issue;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// How far below its heading a table's code heading may sit (rows of a multi-row header).
const MAX_HEADER_ROWS: usize = 6;

/// One tidy row: a figure for a body and period, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub body_code: String,
    pub period: String,
    pub value: f64,
    /// The source file's name.
    pub source: String,
    /// `Sheet!E4+O4`, or the span and count of the cells summed.
    pub location: String,
    /// The heading path of the columns read (`heading > Period > 2017/18`), weights shown.
    pub heading: String,
}

/// What a person should know about one import.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub recipe: String,
    pub source: String,
    pub blake3: String,
    pub sheet: String,
    /// Each series' heading cell(s) and the columns it took.
    pub tables: Vec<String>,
    /// Data rows holding a body code, counted in each table read (two tables side by side: each
    /// body's row twice).
    pub rows_read: usize,
    pub codes: BTreeSet<String>,
    pub periods: BTreeSet<String>,
    /// Cells written as suppressed (`*`): missing, not zero.
    pub suppressed: Vec<String>,
    /// Value cells that are empty or not a number: (location, text).
    pub not_numbers: Vec<(String, String)>,
    /// Code cells the code pattern does not fit: (location, text).
    pub not_codes: Vec<(String, String)>,
    /// Figures left out because a part was missing: (code, period, why).
    pub incomplete: Vec<(String, String, String)>,
    /// Codes read that the register does not hold on its day.
    pub not_in_register: Vec<String>,
    /// Codes on more than one row where rows are one per body: (code, the rows' locations, kept).
    pub duplicates: Vec<(String, Vec<String>, bool)>,
    /// Declared checks that failed, each with its cell.
    pub check_failures: Vec<Issue>,
    /// Figures withdrawn by a check declared `on_fail = "unclear"`.
    pub withdrawn: Vec<(String, String)>,
}

impl Report {
    /// Anything here a person should look at before the table is used.
    pub fn needs_attention(&self) -> bool {
        !self.not_numbers.is_empty()
            || !self.incomplete.is_empty()
            || !self.not_in_register.is_empty()
            || !self.duplicates.is_empty()
            || !self.check_failures.is_empty()
    }

    pub fn render(&self, values: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "recipe {}: {} (blake3 {})",
            self.recipe, self.source, self.blake3
        );
        let _ = writeln!(
            s,
            "sheet: {}",
            if self.sheet.is_empty() {
                "(the file's one grid)"
            } else {
                &self.sheet
            }
        );
        for t in &self.tables {
            let _ = writeln!(s, "table: {t}");
        }
        let _ = writeln!(
            s,
            "rows read: {} ({} codes); values written: {values} over {} periods ({})",
            self.rows_read,
            self.codes.len(),
            self.periods.len(),
            self.periods.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        let list = |items: &[String]| -> String {
            let shown: Vec<&str> = items.iter().take(12).map(String::as_str).collect();
            let more = items.len().saturating_sub(shown.len());
            format!(
                "{}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        };
        let _ = writeln!(
            s,
            "suppressed (*): {} cells, missing not zero{}",
            self.suppressed.len(),
            if self.suppressed.is_empty() {
                String::new()
            } else {
                format!(": {}", list(&self.suppressed))
            }
        );
        let pairs = |v: &[(String, String)]| {
            v.iter()
                .map(|(l, t)| format!("{l} `{t}`"))
                .collect::<Vec<_>>()
        };
        if !self.not_numbers.is_empty() {
            let _ = writeln!(
                s,
                "not a number: {} cells: {}",
                self.not_numbers.len(),
                list(&pairs(&self.not_numbers))
            );
        }
        if !self.not_codes.is_empty() {
            let _ = writeln!(
                s,
                "rows skipped, code cell not a code: {}: {}",
                self.not_codes.len(),
                list(&pairs(&self.not_codes))
            );
        }
        if !self.incomplete.is_empty() {
            let v: Vec<String> = self
                .incomplete
                .iter()
                .map(|(c, p, w)| format!("{c} {p} ({w})"))
                .collect();
            let _ = writeln!(s, "left out, a part missing: {}: {}", v.len(), list(&v));
        }
        let _ = writeln!(
            s,
            "codes not in the register: {}{}",
            self.not_in_register.len(),
            if self.not_in_register.is_empty() {
                String::new()
            } else {
                format!(": {}", list(&self.not_in_register))
            }
        );
        let d: Vec<String> = self
            .duplicates
            .iter()
            .map(|(c, rows, kept)| {
                format!(
                    "{c} at {} ({})",
                    rows.join(", "),
                    if *kept {
                        "same figure, kept"
                    } else {
                        "figures differ, left out"
                    }
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "duplicate codes: {}{}",
            d.len(),
            if d.is_empty() {
                String::new()
            } else {
                format!(": {}", list(&d))
            }
        );
        let _ = writeln!(s, "check failures: {}", self.check_failures.len());
        for i in &self.check_failures {
            let _ = writeln!(
                s,
                "  {} {} {}: {} ({})",
                i.kind, i.body, i.period, i.evidence, i.location
            );
        }
        for (c, p) in &self.withdrawn {
            let _ = writeln!(s, "  withdrawn (on_fail = unclear): {c} {p}");
        }
        s
    }
}

#[derive(Debug, Clone)]
pub struct Imported {
    pub rows: Vec<Row>,
    pub report: Report,
}

/// Run a recipe; `source` overrides the file the recipe names.
pub fn import(recipe: &Recipe, source: Option<&Path>) -> Result<Imported, ReferenceError> {
    let path = source.unwrap_or(&recipe.source);
    let bytes = std::fs::read(path).map_err(|e| ReferenceError::Source {
        path: path.to_owned(),
        message: format!("cannot read the source file: {e}"),
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sheets = read_grids(path, &file_name, &bytes)?;
    let table_err = |message: String| ReferenceError::Table {
        recipe: recipe.path.clone(),
        source_file: path.to_owned(),
        message,
    };
    let sheet = pick_sheet(recipe, &sheets).map_err(table_err)?;
    let mut report = Report {
        recipe: recipe.path.display().to_string(),
        source: file_name.clone(),
        blake3: blake3::hash(&bytes).to_hex().to_string(),
        sheet: sheet.name.clone(),
        ..Report::default()
    };
    let readings = read_series(recipe, sheet, &mut report).map_err(table_err)?;
    let mut rows = aggregate::combine(recipe, sheet, &file_name, readings, &mut report);
    if let Some((reg_path, as_of)) = &recipe.register {
        let register = Register::load(reg_path, as_of).map_err(|e| ReferenceError::Register {
            path: reg_path.clone(),
            message: e.to_string(),
        })?;
        report.not_in_register = report
            .codes
            .iter()
            .filter(|c| register.get(c).is_none())
            .cloned()
            .collect();
        run_checks(recipe, &register, &mut rows, &mut report);
    } else {
        run_checks(
            recipe,
            &Register::from_bodies(Vec::new()),
            &mut rows,
            &mut report,
        );
    }
    Ok(Imported { rows, report })
}

/// The grids of the file, read as replies are read (format from the bytes, any encoding).
fn read_grids(path: &Path, name: &str, bytes: &[u8]) -> Result<Vec<Sheet>, ReferenceError> {
    let mut sheets = Vec::new();
    let mut reasons = Vec::new();
    for ingested in
        crate::ingest::ingest_bytes(name, None, bytes, 0, &crate::ingest::Limits::DEFAULT)
    {
        if !ingested.entry.reason.is_empty() {
            reasons.push(ingested.entry.reason.clone());
        }
        if let Some(doc) = ingested.document {
            sheets.extend(doc.sheets);
        }
    }
    if sheets.is_empty() {
        return Err(ReferenceError::Source {
            path: path.to_owned(),
            message: format!("no table read from the file: {}", reasons.join("; ")),
        });
    }
    Ok(sheets)
}

fn pick_sheet<'a>(recipe: &Recipe, sheets: &'a [Sheet]) -> Result<&'a Sheet, String> {
    let names = || {
        sheets
            .iter()
            .map(|s| format!("'{}'", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen: Vec<&Sheet> = match &recipe.sheet {
        Some(re) => sheets
            .iter()
            .filter(|s| re.is_match(s.name.trim()))
            .collect(),
        None => sheets.iter().collect(),
    };
    match chosen.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no sheet's name fits `{}`; sheets: {}",
            recipe.sheet.as_ref().map(|r| r.as_str()).unwrap_or(""),
            names()
        )),
        many => Err(format!(
            "{} sheets fit (name the sheet in `table.sheet`): {}",
            many.len(),
            many.iter()
                .map(|s| format!("'{}'", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// One table on a sheet: its header rows (down to the row of the code heading), the code
/// column, the columns up to the next blank one, and its data rows.
#[derive(Debug, Clone, PartialEq)]
struct Table {
    header_rows: Vec<usize>,
    code_col: usize,
    cols: std::ops::Range<usize>,
    data_rows: Vec<usize>,
}

fn text_at(sheet: &Sheet, r: usize, c: usize) -> String {
    sheet.get(r, c).text()
}

/// The table whose heading sits at (r, c): the nearest code heading at or left of the heading,
/// on its row or a few rows below.
fn table_under(recipe: &Recipe, sheet: &Sheet, r: usize, c: usize) -> Result<Table, String> {
    let mut best: Option<(usize, usize)> = None;
    for rk in r..(r + MAX_HEADER_ROWS).min(sheet.rows.len()) {
        for ck in 0..=c {
            if recipe.code_heading.is_match(&text_at(sheet, rk, ck))
                && best.is_none_or(|(br, bc)| ck > bc || (ck == bc && rk < br))
            {
                best = Some((rk, ck));
            }
        }
    }
    let Some((rk, ck)) = best else {
        return Err(format!(
            "no code column (heading fitting `{}`) at or left of {} within {MAX_HEADER_ROWS} rows",
            recipe.code_heading.as_str().trim_start_matches("(?i)"),
            sheet.location(r, c)
        ));
    };
    let mut data_rows = Vec::new();
    for dr in rk + 1..sheet.rows.len() {
        let code = text_at(sheet, dr, ck);
        if recipe.code_heading.is_match(&code) {
            break; // the next table stacked below this one
        }
        if !code.is_empty() {
            data_rows.push(dr);
        }
    }
    let header_rows: Vec<usize> = (r..=rk).collect();
    let blank = |col: usize| {
        header_rows
            .iter()
            .chain(&data_rows)
            .all(|&row| sheet.get(row, col).is_empty())
    };
    let width = sheet.width();
    let end = (ck + 1..width).find(|&col| blank(col)).unwrap_or(width);
    if c >= end {
        return Err(format!(
            "the heading at {} is beyond a blank column right of the code column at {}",
            sheet.location(r, c),
            sheet.location(rk, ck)
        ));
    }
    Ok(Table {
        header_rows,
        code_col: ck,
        cols: ck..end,
        data_rows,
    })
}

/// The period a column holds: the recipe's, else the one financial year named by the deepest
/// heading level that names exactly one, the series' own heading aside (a title such as "spend,
/// 20/21 CCGs as reported 20/21" says which boundaries, not which year the column holds).
fn column_period(recipe: &Recipe, series: &regex::Regex, path: &[String]) -> Option<String> {
    if let Some(p) = &recipe.period {
        return Some(p.clone());
    }
    path.iter()
        .rev()
        .filter(|level| !series.is_match(level))
        .find_map(
            |level| match crate::standardise::period::periods_in(level).as_slice() {
                [p] => Some(p.clone()),
                _ => None,
            },
        )
}

fn cell_value(cell: &Cell, suppressed: &[String]) -> CellValue {
    match cell {
        Cell::Number(n) if n.is_finite() => CellValue::Number(*n),
        Cell::Number(n) => CellValue::NotNumber(n.to_string()),
        Cell::Empty => CellValue::NotNumber(String::new()),
        // A doubtful OCR reading is never a figure, whatever it seems to say.
        Cell::Illegible { reading } => {
            CellValue::NotNumber(crate::ingest::document::Legibility::Doubtful.show(reading.trim()))
        }
        Cell::Text(t) => {
            let t = t.trim();
            if suppressed.iter().any(|s| s == t) {
                return CellValue::Suppressed;
            }
            let plain: String = t
                .chars()
                .filter(|c| !matches!(c, ',' | '£' | ' '))
                .collect();
            match plain.parse::<f64>() {
                Ok(v) if v.is_finite() && !plain.is_empty() => CellValue::Number(v),
                _ => CellValue::NotNumber(t.to_owned()),
            }
        }
    }
}

/// Every value cell of every series, with its body code, period and heading path.
fn read_series(
    recipe: &Recipe,
    sheet: &Sheet,
    report: &mut Report,
) -> Result<Vec<SeriesValue>, String> {
    let mut readings = Vec::new();
    // (code column, row): a row of a table, counted once whichever series read it.
    let mut coded_rows: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut not_codes: BTreeMap<(usize, usize), (String, String)> = BTreeMap::new();
    for (s, series) in recipe.series.iter().enumerate() {
        let pattern = series.heading.as_str().trim_start_matches("(?i)");
        let mut tables: Vec<(Table, Vec<String>)> = Vec::new();
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() && series.heading.is_match(&cell.text()) {
                    let table = table_under(recipe, sheet, r, c)?;
                    match tables.iter_mut().find(|(t, _)| {
                        t.code_col == table.code_col
                            && t.header_rows.last() == table.header_rows.last()
                    }) {
                        Some((_, at)) => at.push(sheet.location(r, c)),
                        None => tables.push((table, vec![sheet.location(r, c)])),
                    }
                }
            }
        }
        let (table, at) = match tables.len() {
            0 => {
                return Err(format!(
                    "no cell of sheet '{}' has a heading fitting `{pattern}`",
                    sheet.name
                ));
            }
            1 => tables.remove(0),
            _ => {
                let all: Vec<String> = tables.iter().flat_map(|(_, at)| at.clone()).collect();
                return Err(format!(
                    "`{pattern}` fits headings of {} tables ({}): make it narrower",
                    tables.len(),
                    all.join(", ")
                ));
            }
        };
        // Heading paths from the top of the table: the first header row holding any text.
        let paths =
            crate::extract::table::heading_paths(sheet, &table.header_rows, table.cols.clone());
        let mut columns = Vec::new();
        let mut no_period = Vec::new();
        for (k, path) in paths.iter().enumerate() {
            let c = table.cols.start + k;
            if c == table.code_col || !path.iter().any(|level| series.heading.is_match(level)) {
                continue;
            }
            match column_period(recipe, &series.heading, path) {
                Some(p) => columns.push((c, p, path.join(" > "))),
                None => no_period.push(crate::ingest::document::column_letters(c)),
            }
        }
        if columns.is_empty() {
            return Err(format!(
                "no column under `{pattern}` ({}) names a financial year, and the recipe gives no `table.period`",
                at.join(", ")
            ));
        }
        let last_header = *table.header_rows.last().unwrap_or(&0);
        report.tables.push(format!(
            "`{pattern}` at {}: code column {} (`{}`), {} value columns {}..{}, {} data rows{}",
            at.join(", "),
            sheet.location(last_header, table.code_col),
            text_at(sheet, last_header, table.code_col),
            columns.len(),
            crate::ingest::document::column_letters(columns[0].0),
            crate::ingest::document::column_letters(columns[columns.len() - 1].0),
            table.data_rows.len(),
            if no_period.is_empty() {
                String::new()
            } else {
                format!(
                    "; columns without a period left out: {}",
                    no_period.join(", ")
                )
            }
        ));
        for &r in &table.data_rows {
            let raw = text_at(sheet, r, table.code_col);
            let code = match &recipe.code_pattern {
                Some(re) => match re.captures(&raw).and_then(|c| c.get(1)) {
                    Some(m) => m.as_str().to_owned(),
                    None => {
                        not_codes.insert(
                            (table.code_col, r),
                            (sheet.location(r, table.code_col), raw),
                        );
                        continue;
                    }
                },
                None => raw,
            };
            coded_rows.insert((table.code_col, r));
            report.codes.insert(code.clone());
            for (c, period, path) in &columns {
                let value = cell_value(sheet.get(r, *c), &recipe.suppressed);
                readings.push(SeriesValue {
                    series: s,
                    code: code.clone(),
                    period: period.clone(),
                    row: r,
                    col: *c,
                    value,
                    path: path.clone(),
                });
            }
        }
    }
    report.rows_read = coded_rows.len();
    report.not_codes = not_codes.into_values().collect();
    Ok(readings)
}

/// The recipe's declared checks over the imported figures, by validate's own engine.
fn run_checks(recipe: &Recipe, register: &Register, rows: &mut Vec<Row>, report: &mut Report) {
    if recipe.checks.is_empty() {
        return;
    }
    let mut observations: Vec<Observation> = rows
        .iter()
        .map(|r| Observation {
            body: r.body_code.clone(),
            field: CHECK_FIELD.into(),
            period: r.period.clone(),
            status: Status::Answered,
            value: Some(Value::Number(r.value)),
            provenance: vec![Provenance {
                source: r.source.clone(),
                location: r.location.clone(),
                raw: r.value.to_string(),
            }],
            rule: format!("reference:{}", recipe.name),
            confidence: 1.0,
            note: String::new(),
        })
        .collect();
    let mut issues = Vec::new();
    crate::validate::checks::run(
        &mut observations,
        &recipe.checks,
        register,
        &BTreeMap::new(),
        &mut issues,
    );
    issues.sort();
    issues.dedup();
    report.check_failures = issues;
    let withdrawn: BTreeSet<(String, String)> = observations
        .iter()
        .filter(|o| o.status == Status::Unclear)
        .map(|o| (o.body.clone(), o.period.clone()))
        .collect();
    if !withdrawn.is_empty() {
        rows.retain(|r| !withdrawn.contains(&(r.body_code.clone(), r.period.clone())));
        report.withdrawn = withdrawn.into_iter().collect();
    }
}

/// `body_code,period,value,source,location,heading`: the tidy table and its provenance.
pub fn write_csv<W: std::io::Write>(rows: &[Row], out: W) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "body_code",
        "period",
        "value",
        "source",
        "location",
        "heading",
    ])?;
    for r in rows {
        w.write_record([
            r.body_code.as_str(),
            &r.period,
            &r.value.to_string(),
            &r.source,
            &r.location,
            &r.heading,
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::from_text_rows("S", rows)
    }

    fn recipe(extra: &str, series: &[&str]) -> Recipe {
        let mut t = format!(
            "name='t'\ntitle='T'\nmeaning='m'\nunit='gbp'\nsource='x'\n[table]\ncode_heading='^organisation code'\n{extra}\n"
        );
        for s in series {
            t.push_str(&format!("[[table.series]]\nheading='{s}'\n"));
        }
        Recipe::parse(&t, Path::new("t.toml")).unwrap()
    }

    /// Two tables side by side after blank columns, each under a heading over "Period" over the
    /// years: the second table's heading is not carried over the first's columns, and a row of
    /// totals with no code is not a body.
    #[test]
    fn side_by_side_tables_under_multi_row_headings() {
        let s = sheet(&[
            &["", "", "Spend A", "", "", "", "", "Spend B", ""],
            &["", "", "Period", "", "", "", "", "Period", ""],
            &[
                "Organisation code",
                "Name",
                "2017/18",
                "2018/19",
                "",
                "Organisation code",
                "Name",
                "2017/18",
                "2018/19",
            ],
            &["00Q", "Q CCG", "10", "*", "", "00Q", "Q CCG", "1", "2"],
            &["00R", "R CCG", "20", "21", "", "00R", "R CCG", "n/a", "3"],
            &["", "", "30", "21", "", "", "", "1", "5"],
        ]);
        let r = recipe("", &["^spend a$", "^spend b$"]);
        let mut report = Report::default();
        let readings = read_series(&r, &s, &mut report).unwrap();
        assert_eq!(report.rows_read, 4, "{:?}", report.tables);
        let b: Vec<_> = readings
            .iter()
            .filter(|x| x.series == 1)
            .map(|x| (x.code.as_str(), x.period.as_str(), x.col))
            .collect();
        assert_eq!(
            b,
            [
                ("00Q", "2017-18", 7),
                ("00Q", "2018-19", 8),
                ("00R", "2017-18", 7),
                ("00R", "2018-19", 8)
            ]
        );
        assert!(
            readings[0].path.starts_with("Spend A > Period > 2017/18"),
            "{}",
            readings[0].path
        );
        let rows = aggregate::combine(&r, &s, "x.xlsx", readings, &mut report);
        // 00Q 2018-19 is suppressed in A, 00R 2017-18 is not a number in B: both left out.
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.body_code.as_str(),
                    r.period.as_str(),
                    r.value,
                    r.location.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("00Q", "2017-18", 11.0, "S!C4+H4"),
                ("00R", "2018-19", 24.0, "S!D5+I5")
            ]
        );
        assert_eq!(report.suppressed, ["S!D4"]);
        assert_eq!(report.not_numbers, [("S!H5".to_owned(), "n/a".to_owned())]);
    }

    /// "Organisation code 201/22" (a year misprinted in the code column's label) and a title that
    /// names the boundaries' year ("20/21 CCGs as reported 20/21") over a "Period type" column:
    /// neither is a column of 2020-21 figures.
    #[test]
    fn a_year_in_the_title_or_the_code_label_is_not_a_column_period() {
        let s = sheet(&[
            &["", "", "", "Spend 20/21 CCGs as reported 20/21", "", ""],
            &["", "", "", "", "Period", ""],
            &[
                "Organisation code 201/22",
                "Organisation code 2020/21",
                "Name",
                "Period type",
                "2019/20",
                "2020/21",
            ],
            &["15M", "03X", "X CCG", "Annual", "5", "7"],
        ]);
        let r = recipe("", &["^spend 20/21"]);
        let mut report = Report::default();
        let readings = read_series(&r, &s, &mut report).unwrap();
        let got: Vec<_> = readings
            .iter()
            .map(|x| (x.code.as_str(), x.period.as_str(), x.col))
            .collect();
        assert_eq!(
            got,
            [("03X", "2019-20", 4), ("03X", "2020-21", 5)],
            "{:?}",
            report.tables
        );
        assert!(
            report.tables[0].contains("columns without a period left out: D"),
            "{:?}",
            report.tables
        );
    }

    #[test]
    fn a_heading_fitting_two_tables_is_an_error_not_a_guess() {
        let s = sheet(&[
            &["Spend", "", "", "Spend", ""],
            &[
                "Organisation code",
                "2017/18",
                "",
                "Organisation code",
                "2017/18",
            ],
            &["00Q", "1", "", "00Q", "2"],
        ]);
        let e = read_series(&recipe("", &["^spend$"]), &s, &mut Report::default()).unwrap_err();
        assert!(e.contains("2 tables"), "{e}");
    }
}
