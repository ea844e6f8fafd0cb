//! Answers in grids: the questionnaire template returned filled (answer column anywhere, extra
//! columns, merged headings, instruction rows) and bodies' own tables (wide, long, transposed,
//! multi-row headers, a row or a column per body), read by the context of each cell: the labels
//! on its row, the headings over its column and the section it sits in.

use super::{Block, Found};
use crate::ingest::{Cell, Sheet};
use crate::register::Register;
use crate::schema::{Field, Schema};
use crate::standardise::{answer, money, period};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq)]
enum ColumnRole {
    Ignore,
    Label,
    Data,
}

static IGNORE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(notes?|comments?|notes?\s*(/|and|&)?\s*comments?|remarks?|guidance|instructions?|sources?|date.*|ref\.?|reference|q\.?\s*no\.?|no\.?|#|explanation|definitions?|units?|status|contact|officer|completed\s*by|lead)\s*:?\s*$").unwrap()
});
static ANSWER_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(ccg\s*|our\s*|your\s*)?(responses?|answers?|reply|replies|value|amount|figures?|£)\s*(\(.*\))?\s*:?\s*$").unwrap()
});
static LABEL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(questions?|question\s*text|budget\s*lines?|lines?|items?|descriptions?|services?|categor(y|ies)|ccgs?|clinical\s*commissioning\s*groups?|organisations?|bod(y|ies)|(financial\s*)?years?|periods?|fy)\s*:?\s*$").unwrap()
});
static NUMBERING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(q(uestion)?\s*)?\d{1,2}\s*[a-z]?\s*[.):]?\s+").unwrap());
static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(grand\s+)?total\b").unwrap());
static FIGURE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*([£(\-−]|\d|c\.|circa|approx|about|around|between|est)").unwrap()
});

/// A cell that holds an answer rather than a label: a number, an amount, a status, a yes/no.
/// A field's own label ("7-day admission to SPC beds") is a label even when it holds a digit.
fn value_like(cell: &Cell, schema: &Schema) -> bool {
    let t = match cell {
        Cell::Empty => return false,
        Cell::Number(_) => return true,
        Cell::Text(t) => crate::standardise::strip_marks(t),
        // OCR's doubtful reading: value-like when what it seems to say is, the scan's specks
        // around it aside; a smudge nothing was read from always is (a person must look).
        Cell::Illegible { reading } => {
            let reading = reading.trim();
            if reading.is_empty() {
                return true;
            }
            let inner = crate::standardise::strip_marks(
                reading.trim_matches(|c: char| !c.is_alphanumeric() && c != '£'),
            );
            return !inner.is_empty() && value_like(&Cell::Text(inner.to_owned()), schema);
        }
    };
    // "Response", "Amount": a heading word, never an answer. ("No." is both: see `block`.)
    let words = heading_words(t);
    if t.is_empty()
        || is_period_label(t)
        || DATE.is_match(t)
        || ANSWER_HEADING.is_match(&words)
        || LABEL_HEADING.is_match(&words)
    {
        return false;
    }
    match money::parse_amount(t) {
        Ok(_) => return true,
        Err(money::AmountError::Unclear(_))
            if FIGURE_START.is_match(t) && schema.match_field(t).is_none() =>
        {
            return true;
        }
        _ => {}
    }
    answer::status_phrase(t).is_some() || answer::is_nil(t) || answer::yes_no(t).is_some()
}

/// "2015/16", "FY2015-16", "April 2015 - March 2016": a heading, not an answer.
fn is_period_label(t: &str) -> bool {
    t.len() <= 40 && !period::periods_in(t).is_empty() && {
        let rest = period::periods_in(t);
        rest.len() == 1 && !t.contains('£')
    }
}

/// The text of a heading that names something: a field, a year, a body, a scale.
fn names_something(text: &str, schema: &Schema, register: &Register) -> bool {
    !text.trim().is_empty()
        && (schema.match_field(text).is_some()
            || !period::periods_in(text).is_empty()
            || money::heading_scale(text).is_some()
            || register.match_name(text).is_some())
}

/// The body a label names, when the label is a name and nothing else.
fn body_named(text: &str, schema: &Schema, register: &Register) -> Option<String> {
    let t = text.trim();
    if t.is_empty()
        || t.len() > 90
        || schema.match_field(t).is_some()
        || !period::periods_in(t).is_empty()
    {
        return None;
    }
    if LABEL_HEADING.is_match(t) || ANSWER_HEADING.is_match(t) || IGNORE_HEADING.is_match(t) {
        return None;
    }
    register.match_name(t).map(|m| m.body.code.clone())
}

/// A heading as its words: stray quotes, bars and rule debris around it taken off ("‘Notes /
/// comments", a scan's "‘Date completed"). A doubtful cell's heading is OCR's reading of it
/// (`Cell::text`).
fn heading_words(t: &str) -> String {
    t.trim_matches(|c: char| c.is_whitespace() || "‘’'\"“”|_~`,;".contains(c))
        .to_owned()
}

/// A row label with a scan's rule debris taken out: tokens of dashes, underscores, tildes, bars
/// and stray quotes between its words ("total mental —_ health").
fn clean_label(t: &str) -> String {
    if !t.chars().any(|c| "—_~|".contains(c)) {
        return t.to_owned();
    }
    t.split_whitespace()
        .filter(|w| {
            w.chars()
                .any(|c| c.is_alphanumeric() || "£&%?()[]:".contains(c))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A calendar date ("2016-06-14", "14/06/2016"): when a row was completed, never an answer.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})\s*$").unwrap()
});

/// A row of nothing but column headings ("Question | Response"): a new table starts here.
fn is_heading_row(row: &[Cell]) -> bool {
    let texts: Vec<String> = row
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| heading_words(&c.text()))
        .collect();
    let heading = |t: &String| {
        LABEL_HEADING.is_match(t) || ANSWER_HEADING.is_match(t) || IGNORE_HEADING.is_match(t)
    };
    // "Total mental health | Outturn 14/15 | Outturn 15/16": a title and years over the columns,
    // the next table stacked under the last one.
    let years_over_columns = row.first().is_some_and(|c| !c.is_empty())
        && texts.iter().skip(1).filter(|t| is_period_label(t)).count() >= 2
        && texts
            .iter()
            .skip(1)
            .all(|t| is_period_label(t) || heading(t));
    texts.len() >= 2 && (texts.iter().all(heading) || years_over_columns)
}

/// Split a sheet into blocks of rows: at empty rows, and before a row of column headings.
fn blocks(sheet: &Sheet) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        if row.iter().all(Cell::is_empty) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            // Headings start a new table once the current one has had a row of data (not when
            // only a title or other headings came before them).
            let had_data = current.iter().any(|&c: &usize| {
                let row = &sheet.rows[c];
                !is_heading_row(row)
                    && row.iter().skip(1).any(|x| match x {
                        Cell::Number(_) => true,
                        Cell::Text(t) | Cell::Illegible { reading: t } => {
                            t.chars().any(|ch| ch.is_ascii_digit()) && !is_period_label(t.trim())
                        }
                        Cell::Empty => false,
                    })
            });
            if is_heading_row(row) && had_data {
                out.push(std::mem::take(&mut current));
            }
            current.push(r);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn non_empty_count(row: &[Cell]) -> usize {
    row.iter().filter(|c| !c.is_empty()).count()
}

struct Context<'a> {
    sheet: &'a Sheet,
    schema: &'a Schema,
    register: &'a Register,
    source: &'a str,
}

pub fn extract_sheet(
    sheet: &Sheet,
    sheet_index: usize,
    source: &str,
    schema: &Schema,
    register: &Register,
) -> Vec<Found> {
    let cx = Context {
        sheet,
        schema,
        register,
        source,
    };
    // A scale written once for the whole sheet ("All figures in £000s").
    let sheet_scale = sheet
        .rows
        .iter()
        .filter(|r| non_empty_count(r) == 1)
        .filter_map(|r| r.iter().find(|c| !c.is_empty()))
        .filter_map(|c| match c {
            Cell::Text(t) | Cell::Illegible { reading: t }
                if t.len() < 200 && schema.match_field(t).is_none() =>
            {
                money::heading_scale(t)
            }
            _ => None,
        })
        .next();
    let mut out = Vec::new();
    for (b, rows) in blocks(sheet).iter().enumerate() {
        out.extend(cx.block(
            rows,
            Block::Rows {
                sheet: sheet_index,
                block: b,
            },
            sheet_scale,
        ));
    }
    out
}

impl Context<'_> {
    fn block(&self, rows: &[usize], block_id: Block, sheet_scale: Option<f64>) -> Vec<Found> {
        let sheet = self.sheet;
        let width = rows.iter().map(|&r| sheet.rows[r].len()).max().unwrap_or(0);
        // Heading rows: the leading rows that hold no answer. A lone long cell among them is a
        // title: it is context for the block, not a column heading.
        let mut header_rows = Vec::new();
        let mut titles = Vec::new();
        for &r in rows {
            let row = &sheet.rows[r];
            // A row of headings ("No. | Question | Response") is a heading row even though "No."
            // reads like an answer; a lone "No" beside a question is an answer.
            if row.iter().any(|c| value_like(c, self.schema)) && !is_heading_row(row) {
                break;
            }
            header_rows.push(r);
        }
        if header_rows.len() == rows.len() {
            // Nothing but headings and notes: no answers here.
            return Vec::new();
        }
        let data_rows: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|r| !header_rows.contains(r))
            .collect();
        header_rows.retain(|&r| {
            let row = &sheet.rows[r];
            let lone = non_empty_count(row) == 1 && width > 1;
            if lone && row[0].text().len() > 30 {
                titles.push(row[0].text());
                false
            } else {
                true
            }
        });
        let headings = self.column_headings(&header_rows, width);
        let roles = self.roles(&headings, &header_rows, &data_rows, width);
        // Context for the whole block: titles and the headings of label columns.
        let mut section_base: Vec<String> = titles.clone();
        for (c, role) in roles.iter().enumerate() {
            if *role == ColumnRole::Label && !headings[c].is_empty() {
                section_base.push(headings[c].clone());
            }
        }
        let block_scale = section_base
            .iter()
            .find_map(|t| money::heading_scale(t))
            .or(sheet_scale);
        let mut section_row: Option<String> = None;
        let mut out = Vec::new();
        for &r in &data_rows {
            let labels: Vec<String> = (0..width)
                .filter(|&c| roles[c] == ColumnRole::Label)
                .map(|c| clean_label(&sheet.get(r, c).text()))
                .filter(|t| !t.is_empty())
                .collect();
            let has_data =
                (0..width).any(|c| roles[c] == ColumnRole::Data && !sheet.get(r, c).is_empty());
            if !has_data {
                if !labels.is_empty() {
                    section_row = Some(labels.join(" | "));
                }
                continue;
            }
            let row_text = labels.join(" | ");
            let row_body = labels
                .iter()
                .find_map(|t| body_named(t, self.schema, self.register));
            let notes_scale = (0..width)
                .filter(|&c| roles[c] == ColumnRole::Ignore)
                .find_map(|c| match sheet.get(r, c) {
                    Cell::Text(t) | Cell::Illegible { reading: t } if t.len() < 60 => {
                        money::heading_scale(t)
                    }
                    _ => None,
                });
            let mut section: Vec<String> = section_base.clone();
            section.extend(section_row.clone());
            let section_text = section.join(" | ");
            let is_total = labels
                .iter()
                .any(|l| TOTAL.is_match(&NUMBERING.replace(l, "")));
            for c in 0..width {
                if roles[c] != ColumnRole::Data {
                    continue;
                }
                let cell = sheet.get(r, c);
                if cell.is_empty() {
                    continue;
                }
                let col_text = &headings[c];
                let Some((field, rule)) = self.field_for(&row_text, col_text, &section_text) else {
                    continue;
                };
                let Some(period) = period_for(field, &row_text, col_text, &section_text) else {
                    continue;
                };
                let col_body = body_named(col_text, self.schema, self.register);
                let body = match (&row_body, &col_body) {
                    (Some(a), Some(b)) if a != b => continue,
                    (a, b) => a.clone().or(b.clone()),
                };
                let scale = money::heading_scale(col_text)
                    .or_else(|| money::heading_scale(&row_text))
                    .or(notes_scale)
                    .or(block_scale)
                    .unwrap_or(1.0);
                out.push(Found {
                    body,
                    field: field.id.clone(),
                    period,
                    raw: cell.text(),
                    legibility: cell.legibility(),
                    scale,
                    source: self.source.to_owned(),
                    location: sheet.location(r, c),
                    rule: format!("table:{rule}"),
                    is_total,
                    block: block_id,
                });
            }
        }
        out
    }

    /// Each column's heading: its cells in the heading rows, merged headings carried right.
    fn column_headings(&self, header_rows: &[usize], width: usize) -> Vec<String> {
        heading_paths(self.sheet, header_rows, 0..width)
            .into_iter()
            .map(|h| h.join(" "))
            .collect()
    }

    fn roles(
        &self,
        headings: &[String],
        header_rows: &[usize],
        data_rows: &[usize],
        width: usize,
    ) -> Vec<ColumnRole> {
        // The row of column headings: the last wholly made of heading words ("Ref | Question |
        // Response"), not a section line under it ("Section A: Population"); else the last.
        let heading_row = header_rows
            .iter()
            .rev()
            .find(|&&r| is_heading_row(&self.sheet.rows[r]))
            .or(header_rows.last());
        let last_heading = |c: usize| {
            heading_row
                .map(|&r| heading_words(&self.sheet.get(r, c).text()))
                .unwrap_or_default()
        };
        let mut roles = vec![ColumnRole::Ignore; width];
        let mut seen_label_or_data = false;
        for c in 0..width {
            let cells: Vec<&Cell> = data_rows
                .iter()
                .map(|&r| self.sheet.get(r, c))
                .filter(|x| !x.is_empty())
                .collect();
            if cells.is_empty() {
                roles[c] = ColumnRole::Ignore;
                continue;
            }
            let lh = last_heading(c);
            let values = cells.iter().filter(|x| value_like(x, self.schema)).count();
            let mostly_values = values * 10 >= cells.len() * 4;
            roles[c] = if IGNORE_HEADING.is_match(&lh) {
                ColumnRole::Ignore
            } else if ANSWER_HEADING.is_match(&lh) {
                ColumnRole::Data
            } else if LABEL_HEADING.is_match(&lh) {
                ColumnRole::Label
            } else if !seen_label_or_data && !mostly_values {
                // The leftmost column of words is the row labels, whatever its heading says.
                ColumnRole::Label
            } else if mostly_values || names_something(&headings[c], self.schema, self.register) {
                ColumnRole::Data
            } else {
                ColumnRole::Label
            };
            seen_label_or_data |= roles[c] != ColumnRole::Ignore;
        }
        roles
    }

    /// The field a cell answers: its row's labels, else its column's heading, else its section.
    fn field_for<'s>(
        &'s self,
        row: &str,
        col: &str,
        section: &str,
    ) -> Option<(&'s Field, &'static str)> {
        let by_row = self.schema.match_field(row);
        let by_col = self.schema.match_field(col);
        match (by_row, by_col) {
            (Some(a), Some(b)) if a.id != b.id => None,
            (Some(a), _) => Some((a, "row-label")),
            (None, Some(b)) => Some((b, "column-heading")),
            (None, None) => self.schema.match_field(section).map(|f| (f, "section")),
        }
    }
}

/// The period a cell answers, among the field's own periods; `None` when it cannot be told.
fn period_for(field: &Field, row: &str, col: &str, section: &str) -> Option<String> {
    if field.periods.is_empty() {
        return Some(String::new());
    }
    let own = |t: &str| -> Vec<String> { period::periods_in(t).into_iter().collect() };
    let (in_row, in_col) = (own(row), own(col));
    let candidates: Vec<String> = match (in_row.is_empty(), in_col.is_empty()) {
        (false, false) => {
            let both: Vec<String> = in_row
                .iter()
                .filter(|p| in_col.contains(p))
                .cloned()
                .collect();
            if both.is_empty() { return None } else { both }
        }
        (false, true) => in_row,
        (true, false) => in_col,
        (true, true) => own(section),
    };
    match candidates.as_slice() {
        [p] if field.periods.contains(p) => Some(p.clone()),
        [] if field.periods.len() == 1 => Some(field.periods[0].clone()),
        _ => None,
    }
}

/// Each column's heading path over `cols`, one entry per heading row that says something over it
/// (top first): a merged heading spans the empty cells to its right within `cols`, except in the
/// last heading row. Shared with the official-table import (`reference`), so a table beside
/// another one (after blank columns) takes no heading from its neighbour.
pub fn heading_paths(
    sheet: &Sheet,
    header_rows: &[usize],
    cols: std::ops::Range<usize>,
) -> Vec<Vec<String>> {
    let start = cols.start;
    let mut headings = vec![Vec::<String>::new(); cols.len()];
    for (i, &r) in header_rows.iter().enumerate() {
        let last = i + 1 == header_rows.len();
        let mut carried = String::new();
        for (k, heading) in headings.iter_mut().enumerate() {
            let c = start + k;
            let t = sheet.get(r, c).text();
            if !t.is_empty() {
                carried = t.clone();
                heading.push(t);
            } else if !last && c > start && !carried.is_empty() {
                // A merged heading spans the empty cells to its right (not in the last row).
                heading.push(carried.clone());
            }
        }
    }
    headings
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
