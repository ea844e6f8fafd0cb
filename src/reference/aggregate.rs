//! From value cells to one figure per body and period, as the recipe declares: a series' columns
//! added (Male 0-4 + Female 0-4), rows with the same code added where they are parts of the body
//! (GP practices of a CCG) or listed as duplicates where they should be one, series added with
//! their weights (0-4 + 5-14 + 0.3 of 15-24). A figure with any part missing (suppressed, empty,
//! not a number) is left out and listed: never a partial sum, never a zero.

use super::import::{Report, Row};
use super::recipe::{Recipe, Rows};
use crate::ingest::Sheet;
use crate::ingest::document::column_letters;
use std::collections::{BTreeMap, BTreeSet};

/// What a value cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Number(f64),
    /// Written as suppressed (`*`).
    Suppressed,
    /// Empty or not a number, as written.
    NotNumber(String),
}

/// One value cell of one series.
#[derive(Debug, Clone)]
pub struct SeriesValue {
    pub series: usize,
    pub code: String,
    pub period: String,
    pub row: usize,
    pub col: usize,
    pub value: CellValue,
    pub path: String,
}

/// A series' figure for a body and period: its value (None when a part is missing), its cells.
#[derive(Debug, Default)]
struct Part {
    value: Option<f64>,
    cells: Vec<(usize, usize)>,
    paths: Vec<String>,
    why_missing: String,
}

pub fn combine(
    recipe: &Recipe,
    sheet: &Sheet,
    source: &str,
    readings: Vec<SeriesValue>,
    report: &mut Report,
) -> Vec<Row> {
    // (code, period, series) -> row -> cells of that row.
    let mut by_row: BTreeMap<(String, String, usize), BTreeMap<usize, Vec<SeriesValue>>> =
        BTreeMap::new();
    for r in readings {
        report.periods.insert(r.period.clone());
        match &r.value {
            CellValue::Suppressed => report.suppressed.push(sheet.location(r.row, r.col)),
            CellValue::NotNumber(t) => report
                .not_numbers
                .push((sheet.location(r.row, r.col), t.clone())),
            CellValue::Number(_) => {}
        }
        by_row
            .entry((r.code.clone(), r.period.clone(), r.series))
            .or_default()
            .entry(r.row)
            .or_default()
            .push(r);
    }
    let mut duplicates: BTreeMap<String, (BTreeSet<usize>, bool)> = BTreeMap::new();
    let mut parts: BTreeMap<(String, String), BTreeMap<usize, Part>> = BTreeMap::new();
    for ((code, period, series), rows) in by_row {
        let row_values: Vec<(usize, Option<f64>, &Vec<SeriesValue>)> = rows
            .iter()
            .map(|(&r, cells)| (r, row_sum(cells), cells))
            .collect();
        let mut part = Part::default();
        for (_, _, cells) in &row_values {
            for c in cells.iter() {
                part.cells.push((c.row, c.col));
                if !part.paths.contains(&c.path) {
                    part.paths.push(c.path.clone());
                }
            }
        }
        let missing = row_values.iter().any(|(_, v, _)| v.is_none());
        part.value = match recipe.rows {
            _ if missing => {
                part.why_missing = if row_values
                    .iter()
                    .flat_map(|(_, _, c)| c.iter())
                    .any(|c| c.value == CellValue::Suppressed)
                {
                    "suppressed".into()
                } else {
                    "not a number".into()
                };
                None
            }
            Rows::Sum => Some(row_values.iter().filter_map(|(_, v, _)| *v).sum()),
            Rows::One if row_values.len() == 1 => row_values[0].1,
            Rows::One => {
                let first = row_values[0].1;
                let same = row_values.iter().all(|(_, v, _)| *v == first);
                let entry = duplicates
                    .entry(code.clone())
                    .or_insert((BTreeSet::new(), true));
                entry.0.extend(row_values.iter().map(|(r, _, _)| *r));
                entry.1 &= same;
                if same {
                    first
                } else {
                    part.why_missing = "duplicate rows differ".into();
                    None
                }
            }
        };
        parts
            .entry((code, period))
            .or_default()
            .insert(series, part);
    }
    report.duplicates = duplicates
        .into_iter()
        .map(|(code, (rows, kept))| {
            let locations = rows.iter().map(|r| format!("row {}", r + 1)).collect();
            (code, locations, kept)
        })
        .collect();
    let mut out = Vec::new();
    for ((code, period), by_series) in parts {
        let mut total = 0.0;
        let mut why = Vec::new();
        for (s, series) in recipe.series.iter().enumerate() {
            match by_series.get(&s).map(|p| (p.value, p)) {
                Some((Some(v), _)) => total += series.weight * v,
                Some((None, p)) => why.push(format!("series {}: {}", s + 1, p.why_missing)),
                None => why.push(format!("series {}: no row", s + 1)),
            }
        }
        if !why.is_empty() {
            // Suppression alone is what the publisher chose: counted above, not "incomplete".
            if !why.iter().all(|w| w.ends_with("suppressed")) {
                report.incomplete.push((code, period, why.join("; ")));
            }
            continue;
        }
        let cells: Vec<(usize, usize)> = by_series
            .values()
            .flat_map(|p| p.cells.iter().copied())
            .collect();
        let heading = recipe
            .series
            .iter()
            .enumerate()
            .filter_map(|(s, series)| {
                let paths = &by_series.get(&s)?.paths;
                let joined = paths.join(" + ");
                Some(if series.weight == 1.0 {
                    joined
                } else if paths.len() > 1 {
                    format!("{} × ({joined})", series.weight)
                } else {
                    format!("{} × {joined}", series.weight)
                })
            })
            .collect::<Vec<_>>()
            .join(" + ");
        out.push(Row {
            body_code: code,
            period,
            value: total,
            source: source.to_owned(),
            location: location(sheet, &cells),
            heading,
        });
    }
    out
}

fn row_sum(cells: &[SeriesValue]) -> Option<f64> {
    cells
        .iter()
        .map(|c| {
            if let CellValue::Number(n) = c.value {
                Some(n)
            } else {
                None
            }
        })
        .sum()
}

/// `S!C4+H4` for a few cells; for many, the span and how many cells and rows.
fn location(sheet: &Sheet, cells: &[(usize, usize)]) -> String {
    let mut cells = cells.to_vec();
    cells.sort();
    cells.dedup();
    let Some(&(r0, c0)) = cells.first() else {
        return String::new();
    };
    if cells.len() <= 6 {
        let mut s = sheet.location(r0, c0);
        for &(r, c) in &cells[1..] {
            s.push_str(&format!("+{}{}", column_letters(c), r + 1));
        }
        return s;
    }
    let (rmin, rmax) = (
        cells.iter().map(|c| c.0).min().unwrap_or(r0),
        cells.iter().map(|c| c.0).max().unwrap_or(r0),
    );
    let (cmin, cmax) = (
        cells.iter().map(|c| c.1).min().unwrap_or(c0),
        cells.iter().map(|c| c.1).max().unwrap_or(c0),
    );
    let rows: BTreeSet<usize> = cells.iter().map(|c| c.0).collect();
    format!(
        "{}:{}{} ({} cells in {} rows)",
        sheet.location(rmin, cmin),
        column_letters(cmax),
        rmax + 1,
        cells.len(),
        rows.len()
    )
}
