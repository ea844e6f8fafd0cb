//! Tables drawn in plain text with pipes and a `---+---` rule (e-mail bodies, .txt letters):
//! cells wrapped over several lines, headings wrapped above the rule, and whole lines broken
//! again by a mail system, rebuilt into [`Sheet`]s the table extractor reads. A table that cannot
//! be rebuilt with confidence gives nothing rather than a wrong grid.

use super::document::{Cell, Sheet, TextBlock};
use crate::standardise::{answer, period};
use regex::Regex;
use std::ops::RangeInclusive;
use std::sync::LazyLock;

/// A mail system breaks only long lines: a physical line continued on the next one is at least this long.
const MAIL_WRAP_MIN: usize = 60;

/// "1a.", "2.", "3)", "1a" alone, "Q2": the start of a numbered item.
static ITEM_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:q(?:uestion)?\s*\d{1,2}[a-z]?\b|\d{1,2}[a-z]?(?:[.):](?:\s|$)|$))")
        .unwrap()
});
/// A whole cell that is one amount: "4843715", "£3,311,419.39", "(158300)", "3,096k", "1,437,407*".
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^[-−]?£?\(?£?\d[\d,]*(?:\.\d+)?\)?(?:k|m|bn)?\*?$").unwrap());
/// Words that end a full line without being the first part of a broken word.
const SHORT_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "no", "not",
    "of", "on", "or", "per", "the", "to", "was", "were", "with", "yes",
];

/// Where a table's columns sit, read from its rule.
#[derive(Debug)]
struct RuleColumns {
    /// Character positions of the rule's separators (`+` or `|`); every table line has as many pipes.
    separators: Vec<usize>,
    /// For each piece between separators: its column, or `None` for an outer border.
    pieces: Vec<Option<usize>>,
    /// Each column's text width: its dashes less the space kept beside each pipe.
    widths: Vec<usize>,
}

/// A rule: dashes cut by `+` (or `|`), nothing else, e.g. `-----+-------+----`.
fn parse_rule(line: &[char]) -> Option<RuleColumns> {
    let start = line.iter().position(|c| !c.is_whitespace())?;
    let end = line.iter().rposition(|c| !c.is_whitespace())? + 1;
    let body = &line[start..end];
    if body
        .iter()
        .any(|c| !matches!(c, '-' | '=' | ':' | '+' | '|'))
    {
        return None;
    }
    let separators: Vec<usize> = (start..end)
        .filter(|&i| matches!(line[i], '+' | '|'))
        .collect();
    if separators.is_empty() {
        return None;
    }
    let mut bounds = Vec::with_capacity(separators.len() + 1);
    let mut from = 0;
    for &s in &separators {
        bounds.push((from, s));
        from = s + 1;
    }
    bounds.push((from, line.len()));
    let last = bounds.len() - 1;
    let mut pieces = Vec::with_capacity(bounds.len());
    let mut widths = Vec::new();
    let mut longest_run = 0;
    for (i, &(a, b)) in bounds.iter().enumerate() {
        let dashes = line[a..b].iter().filter(|c| matches!(c, '-' | '=')).count();
        if dashes == 0 {
            // Only the outer pieces of a bordered rule (`+---+---+`) may hold no dashes.
            if i == 0 || i == last {
                pieces.push(None);
                continue;
            }
            return None;
        }
        longest_run = longest_run.max(dashes);
        let pads = usize::from(i > 0) + usize::from(i < last);
        let len = line[a..b].iter().filter(|c| !c.is_whitespace()).count();
        pieces.push(Some(widths.len()));
        widths.push(len.saturating_sub(pads).max(1));
    }
    if widths.len() < 2 || longest_run < 3 {
        return None;
    }
    Some(RuleColumns {
        separators,
        pieces,
        widths,
    })
}

/// A physical line that only continues a rule broken by a mail system.
fn rule_continuation(line: &[char]) -> bool {
    !line.is_empty()
        && line
            .iter()
            .all(|c| matches!(c, '-' | '=' | '+' | '|' | ':'))
        && line.iter().any(|c| matches!(c, '-' | '='))
}

fn pipes(line: &[char]) -> usize {
    line.iter().filter(|&&c| c == '|').count()
}

fn blank(line: &[char]) -> bool {
    line.iter().all(|c| c.is_whitespace())
}

fn quoted(line: &[char]) -> bool {
    line.iter().find(|c| !c.is_whitespace()) == Some(&'>')
}

/// A line's cells: cut at its pipes when it has the rule's number of them, else at the rule's
/// separator positions when its pipes all sit there. `None`: the line does not fit the table.
fn split(line: &[char], layout: &RuleColumns, by_position: bool) -> Option<Vec<String>> {
    let mut cuts: Vec<usize> = (0..line.len()).filter(|&i| line[i] == '|').collect();
    if cuts.len() != layout.separators.len() {
        if !by_position || cuts.iter().any(|c| !layout.separators.contains(c)) {
            return None;
        }
        if layout
            .separators
            .iter()
            .any(|&s| s < line.len() && !matches!(line[s], '|' | ' '))
        {
            return None;
        }
        cuts = layout.separators.clone();
    }
    let mut cells = vec![String::new(); layout.widths.len()];
    let mut from = 0;
    for (i, piece) in layout.pieces.iter().enumerate() {
        let to = cuts.get(i).copied().unwrap_or(line.len()).min(line.len());
        let text: String = line
            .get(from.min(to)..to)
            .unwrap_or_default()
            .iter()
            .collect();
        if let Some(col) = piece
            && let Some(cell) = cells.get_mut(*col)
        {
            *cell = text.trim().to_owned();
        }
        from = to + 1;
    }
    Some(cells)
}

/// One line of the table once a mail system's breaks are undone.
#[derive(Debug)]
struct Logical {
    cells: Vec<String>,
    /// Indexes (into the block's lines) of its first and last physical line.
    first: usize,
    last: usize,
    /// A rule inside the body: a row ends there.
    rule: bool,
}

fn all_empty(cells: &[String]) -> bool {
    cells.iter().all(|c| c.is_empty())
}

/// Undo a mail system's line breaks: physical lines re-joined (with a space, which is what the
/// break took) until each has the rule's number of pipes. Above the rule (`body == false`) text
/// before the first pipe is passed over; below it, a line without pipes where a logical line
/// would start ends the table. `Err`: the lines cannot be re-joined with confidence.
fn regroup(
    lines: &[Vec<char>],
    range: std::ops::Range<usize>,
    layout: &RuleColumns,
    body: bool,
) -> Result<Vec<Logical>, ()> {
    let expected = layout.separators.len();
    let mut out = Vec::new();
    let mut pending: Option<(String, usize, usize)> = None;
    for i in range {
        let line = &lines[i];
        let text: String = line.iter().collect();
        if let Some((acc, _, last)) = pending.as_mut() {
            // Only a long line is broken by a mail system.
            if lines[*last].len() < MAIL_WRAP_MIN || quoted(line) || parse_rule(line).is_some() {
                return Err(());
            }
            acc.push(' ');
            acc.push_str(text.trim());
            *last = i;
        } else if parse_rule(line).is_some() && body {
            out.push(Logical {
                cells: Vec::new(),
                first: i,
                last: i,
                rule: true,
            });
            continue;
        } else if quoted(line) || parse_rule(line).is_some() || pipes(line) == 0 {
            if body {
                break;
            }
            if out.is_empty() && pipes(line) == 0 {
                continue;
            }
            return Err(());
        } else {
            pending = Some((text.trim_end().to_owned(), i, i));
        }
        if let Some((acc, first, last)) = pending.as_ref() {
            let chars: Vec<char> = acc.chars().collect();
            let n = pipes(&chars);
            if n > expected {
                return Err(());
            }
            if n == expected {
                let cells = split(&chars, layout, false).ok_or(())?;
                out.push(Logical {
                    cells,
                    first: *first,
                    last: *last,
                    rule: false,
                });
                pending = None;
            }
        }
    }
    if pending.is_some() {
        return Err(());
    }
    Ok(out)
}

/// The joint between two pieces of one cell: nothing inside a word the wrapper broke (a full
/// line, "Commissionin" + "g"), or after a hyphen it broke at ("non-" + "recurrent"), else a space.
fn joint(before: &str, after: &str, width: usize) -> &'static str {
    let (Some(last), Some(first)) = (
        before.split_whitespace().last(),
        after.split_whitespace().next(),
    ) else {
        return " ";
    };
    let lc: Vec<char> = last.chars().collect();
    let Some(&first_char) = first.chars().next().as_ref() else {
        return " ";
    };
    let n = lc.len();
    if n >= 3
        && lc[n - 1] == '-'
        && lc[n - 2].is_alphabetic()
        && lc[n - 3].is_alphabetic()
        && first_char.is_alphabetic()
    {
        return "";
    }
    let full = before.chars().count() >= width;
    if !full
        || n + first.chars().count() <= width
        || SHORT_WORDS.contains(&last.to_lowercase().as_str())
    {
        return " ";
    }
    let Some(&last_char) = lc.last() else {
        return " ";
    };
    if !last_char.is_alphabetic() {
        return " ";
    }
    let word = first.trim_end_matches(|c: char| c.is_ascii_punctuation());
    if word.is_empty() {
        // Only the punctuation after a broken word: "rofessionals" + "?".
        return "";
    }
    let same_case = |a: char, b: char| {
        (a.is_lowercase() && b.is_lowercase()) || (a.is_uppercase() && b.is_uppercase())
    };
    if word.chars().all(char::is_alphabetic) && same_case(last_char, first_char) {
        ""
    } else {
        " "
    }
}

/// A short first-column label holding one year: "2014-15", "14/15", "Outturn 15/16", "FY2015-16".
fn year_key(text: &str) -> bool {
    text.chars().count() <= 24 && !text.ends_with('?') && period::periods_in(text).len() == 1
}

/// Text that stops mid-phrase ("Exempt under", "provided by"): the next line goes on with it.
static OPEN_ENDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(under|of|the|and|or|to|by|for|in|on|at|with|from|a|an|this|that|not|is|are|was|were|as|per|see|section|s\.?)\s*[-–,]?\s*$").unwrap()
});

/// A cell that is an answer by itself: yes/no, a status ("Not held", "N/A"), nil.
fn whole_answer(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.');
    t.split_whitespace().count() <= 3
        && (answer::yes_no(t).is_some_and(|_| t.split_whitespace().count() == 1)
            || answer::status_phrase(t).is_some()
            || answer::is_nil(t))
}

/// Rows being read below the rule.
struct Rows<'a> {
    layout: &'a RuleColumns,
    done: Vec<Vec<String>>,
    /// The row being read: each column's text so far.
    current: Option<Vec<String>>,
    /// The previous line's cells, within the current row.
    prev: Vec<String>,
    /// Columns that had text, then a line without: text there again starts a new row.
    closed: Vec<bool>,
    first_label: String,
}

impl<'a> Rows<'a> {
    fn new(layout: &'a RuleColumns) -> Self {
        Rows {
            layout,
            done: Vec::new(),
            current: None,
            prev: Vec::new(),
            closed: Vec::new(),
            first_label: String::new(),
        }
    }

    fn finish(&mut self) {
        if let Some(row) = self.current.take() {
            self.done.push(row);
        }
    }

    fn separator(&mut self) {
        self.finish();
        if self.done.last().is_some_and(|r| !all_empty(r)) {
            self.done
                .push(vec![String::new(); self.layout.widths.len()]);
        }
    }

    /// Does this line start a new row rather than continue the current one?
    fn starts_row(&self, cells: &[String]) -> bool {
        let Some(row) = self.current.as_ref() else {
            return true;
        };
        // A rule narrower than the text under it (Markdown's `|---|---|`) gives no widths to
        // wrap at: every line is a row of its own.
        let wider = |line: &[String]| {
            line.iter()
                .zip(&self.layout.widths)
                .any(|(c, &w)| c.chars().count() > w)
        };
        if wider(cells) || wider(&self.prev) {
            return true;
        }
        let label = cells.first().map(String::as_str).unwrap_or_default();
        let prev_label = self.prev.first().map(String::as_str).unwrap_or_default();
        // A column whose text had ended has text again.
        if cells
            .iter()
            .zip(&self.closed)
            .any(|(c, &closed)| closed && !c.is_empty())
        {
            return true;
        }
        if !label.is_empty() {
            if ITEM_NUMBER.is_match(label) || (year_key(label) && year_key(&self.first_label)) {
                return true;
            }
            let upper = label.chars().next().is_some_and(char::is_uppercase);
            if upper
                && (prev_label.ends_with('?') || prev_label.ends_with(')'))
                && row.iter().skip(1).any(|c| !c.is_empty())
            {
                return true;
            }
        }
        for (c, (now, before)) in cells.iter().zip(&self.prev).enumerate() {
            if now.is_empty() || before.is_empty() {
                continue;
            }
            let width = self.layout.widths.get(c).copied().unwrap_or(usize::MAX);
            let before_len = before.chars().count();
            // The wrapper would have put this line's first word on the line before.
            let first_word = now
                .split_whitespace()
                .next()
                .map_or(0, |w| w.chars().count());
            if before_len + 1 + first_word <= width {
                return true;
            }
            // An amount under an amount: two rows, unless the first filled the column (a broken number).
            if c > 0 && before_len < width && AMOUNT.is_match(before) && AMOUNT.is_match(now) {
                return true;
            }
            // An answer of its own ("No", "N/A", "Not held") under an answer: a wrapped label
            // never carries a second answer beside it, so this is the next row. Unless it is the
            // lower-case end of a word that filled the column: "n" under "specificatio".
            let broken_word = before_len >= width
                && !whole_answer(before)
                && before.chars().last().is_some_and(char::is_alphabetic)
                && now.chars().next().is_some_and(char::is_lowercase);
            if c > 0 && !broken_word && whole_answer(now) && !OPEN_ENDED.is_match(before) {
                return true;
            }
        }
        false
    }

    fn line(&mut self, cells: Vec<String>) {
        if all_empty(&cells) {
            self.separator();
            return;
        }
        if self.starts_row(&cells) {
            self.finish();
            self.first_label = cells.first().cloned().unwrap_or_default();
            self.closed = vec![false; cells.len()];
            self.current = Some(cells.clone());
        } else if let Some(row) = self.current.as_mut() {
            for (c, piece) in cells.iter().enumerate() {
                let (Some(cell), Some(before)) = (row.get_mut(c), self.prev.get(c)) else {
                    continue;
                };
                if piece.is_empty() {
                    continue;
                }
                if !cell.is_empty() {
                    // A column with text goes on from the line before (else it was closed).
                    let width = self.layout.widths.get(c).copied().unwrap_or(usize::MAX);
                    cell.push_str(joint(before, piece, width));
                }
                cell.push_str(piece);
            }
        }
        if let Some(row) = self.current.as_ref() {
            for (c, piece) in cells.iter().enumerate() {
                if piece.is_empty()
                    && row.get(c).is_some_and(|t| !t.is_empty())
                    && let Some(flag) = self.closed.get_mut(c)
                {
                    *flag = true;
                }
            }
        }
        self.prev = cells;
    }
}

/// The heading row: the lines above the rule joined per column.
fn heading(lines: &[Logical], layout: &RuleColumns) -> Vec<String> {
    let mut out = vec![String::new(); layout.widths.len()];
    let mut tails = vec![String::new(); layout.widths.len()];
    for l in lines {
        for (c, piece) in l.cells.iter().enumerate() {
            if piece.is_empty() || c >= out.len() {
                continue;
            }
            if !out[c].is_empty() {
                out[c].push_str(joint(&tails[c], piece, layout.widths[c]));
            }
            out[c].push_str(piece);
            tails[c] = piece.clone();
        }
    }
    out
}

/// A table found in text: its rows of cells, and its first and last line.
type TableSpan = (Vec<Vec<String>>, usize, usize);

/// One table found from its rule at line index `r`: the sheet and the line indexes it spans, or
/// `None`; and the index to go on scanning from.
fn table_at(lines: &[Vec<char>], r: usize, floor: usize) -> (Option<TableSpan>, usize) {
    let n = lines.len();
    // The rule, with any pieces of it a mail system pushed onto the next lines.
    let mut rule: Vec<char> = lines[r].clone();
    let mut rule_end = r;
    while rule_end + 1 < n
        && lines[rule_end].len() >= MAIL_WRAP_MIN
        && rule_continuation(&lines[rule_end + 1])
    {
        rule_end += 1;
        rule.extend(lines[rule_end].iter().copied());
    }
    // The paragraph around the rule.
    let mut top = r;
    while top > floor && !blank(&lines[top - 1]) && parse_rule(&lines[top - 1]).is_none() {
        top -= 1;
    }
    let mut bottom = rule_end;
    while bottom + 1 < n && !blank(&lines[bottom + 1]) {
        bottom += 1;
    }
    let resume = bottom + 1;
    let Some(layout) = parse_rule(&rule) else {
        return (None, rule_end + 1);
    };
    let expected = layout.separators.len();

    let near: Vec<&Vec<char>> = lines[top..r]
        .iter()
        .chain(lines[rule_end + 1..=bottom].iter())
        .filter(|l| pipes(l) > 0)
        .collect();
    let mail_wrapped = rule_end > r && near.iter().any(|l| pipes(l) != expected);
    let (above, body) = if mail_wrapped {
        let Ok(above) = regroup(lines, top..r, &layout, false) else {
            return (None, resume);
        };
        let Ok(body) = regroup(lines, rule_end + 1..bottom + 1, &layout, true) else {
            return (None, resume);
        };
        (above, body)
    } else {
        let mut above = Vec::new();
        for i in (top..r).rev() {
            let line = &lines[i];
            if pipes(line) == 0 || quoted(line) {
                break;
            }
            let Some(cells) = split(line, &layout, true) else {
                break;
            };
            above.push(Logical {
                cells,
                first: i,
                last: i,
                rule: false,
            });
        }
        above.reverse();
        let mut body = Vec::new();
        for (i, line) in lines.iter().enumerate().take(bottom + 1).skip(rule_end + 1) {
            if quoted(line) {
                break;
            }
            if parse_rule(line).is_some() {
                body.push(Logical {
                    cells: Vec::new(),
                    first: i,
                    last: i,
                    rule: true,
                });
                continue;
            }
            if pipes(line) == 0 {
                break;
            }
            // A line that does not fit: this table cannot be trusted; another may start there.
            let Some(cells) = split(line, &layout, true) else {
                return (None, i);
            };
            body.push(Logical {
                cells,
                first: i,
                last: i,
                rule: false,
            });
        }
        (above, body)
    };
    // Heading: the lines above the rule after any spacer line (instructions sit above it).
    let spacer = above.iter().rposition(|l| all_empty(&l.cells));
    let mut head: Vec<Logical> = match spacer {
        Some(s) => above.into_iter().skip(s + 1).collect(),
        None => above,
    };
    let mut body = body;
    while body.last().is_some_and(|l| l.rule) {
        body.pop();
    }
    // A bordered table (`+---+` above its heading): the heading is what lies between the first two rules.
    if head.is_empty()
        && let Some(k) = body.iter().position(|l| l.rule)
        && k > 0
        && body[..k].iter().all(|l| !all_empty(&l.cells))
    {
        head = body.drain(..k).collect();
        body.remove(0);
    }
    let Some(last_line) = body.iter().rev().find(|l| !l.rule).map(|l| l.last) else {
        return (None, resume);
    };
    let first_line = head.first().map_or(r, |l| l.first);

    let mut rows = Rows::new(&layout);
    for l in body {
        if l.rule {
            rows.finish();
        } else {
            rows.line(l.cells);
        }
    }
    rows.finish();
    while rows.done.last().is_some_and(|r| all_empty(r)) {
        rows.done.pop();
    }
    if rows.done.is_empty() {
        return (None, resume);
    }
    let mut grid = Vec::new();
    let head_row = heading(&head, &layout);
    if !all_empty(&head_row) {
        grid.push(head_row);
    }
    grid.extend(rows.done);
    (Some((grid, first_line, last_line)), resume)
}

/// Every table drawn in the block: a sheet each ("table N", placed at "line L" of its first line,
/// heading row first) and the line numbers it spans.
pub fn tables(block: &TextBlock) -> Vec<(Sheet, RangeInclusive<usize>)> {
    let lines: Vec<Vec<char>> = block.lines.iter().map(|l| expand_tabs(&l.text)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut floor = 0;
    while i < lines.len() {
        if quoted(&lines[i]) || parse_rule(&lines[i]).is_none() {
            i += 1;
            continue;
        }
        let (found, resume) = table_at(&lines, i, floor);
        if let Some((grid, first, last)) = found {
            let (Some(a), Some(b)) = (block.lines.get(first), block.lines.get(last)) else {
                break;
            };
            let sheet = Sheet {
                name: format!("table {}", out.len() + 1),
                hidden: false,
                rows: grid
                    .into_iter()
                    .map(|r| {
                        r.into_iter()
                            .map(|c| {
                                if c.is_empty() {
                                    Cell::Empty
                                } else {
                                    Cell::Text(tidy(&c))
                                }
                            })
                            .collect()
                    })
                    .collect(),
                place: format!("line {}", a.number),
            };
            out.push((sheet, a.number..=b.number));
        }
        i = resume.max(i + 1);
        floor = i;
    }
    out
}

/// A cell's text with its runs of spaces made one.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn expand_tabs(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' {
            let pad = 8 - out.len() % 8;
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.push(c);
        }
    }
    while out.last().is_some_and(|c| c.is_whitespace()) {
        out.pop();
    }
    out
}

/// Is this message the requester's own (the request, a chaser)? Tables there quote the questions.
fn from_requester(block: &TextBlock) -> bool {
    block.role == super::document::Role::Requester
        || block
            .header("from")
            .is_some_and(|f| f.to_lowercase().contains("whatdotheyknow"))
}

/// The tables of a document's text blocks, numbered through the document; none from the
/// requester's own messages.
pub fn sheets(blocks: &[TextBlock]) -> Vec<Sheet> {
    let mut out = Vec::new();
    for block in blocks.iter().filter(|b| !from_requester(b)) {
        let piped = tables(block);
        // Tables with no rule or pipes (aligned with spaces, tab-separated) where no pipe table is.
        let aligned: Vec<_> = super::text_columns::tables(block)
            .into_iter()
            .filter(|(_, r)| {
                !piped
                    .iter()
                    .any(|(_, p)| p.start() <= r.end() && r.start() <= p.end())
            })
            .collect();
        for (mut sheet, _) in piped.into_iter().chain(aligned) {
            sheet.name = format!("table {}", out.len() + 1);
            out.push(sheet);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::lines;

    fn grid(text: &str) -> Vec<(Vec<Vec<String>>, RangeInclusive<usize>, String)> {
        tables(&lines(text))
            .into_iter()
            .map(|(s, r)| {
                (
                    s.rows
                        .iter()
                        .map(|row| row.iter().map(Cell::text).collect())
                        .collect(),
                    r,
                    s.place,
                )
            })
            .collect()
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_wrapped_first_column_is_one_row_per_question() {
        let t = "Dear X,\n\n\
Question               | Response               | Notes / comments\n\
-----------------------+------------------------+-----------------------\n\
1a. What was the CCG's | The CCG does not hold  | Not held in the format\n\
total CAMHS budget     | this information       | requested\n\
(all services          |                        |\n\
commissioned by the    |                        |\n\
CCG for under-18s'     |                        |\n\
mental health) in      |                        |\n\
2014/15?               |                        |\n\
1b. What was the CCG's | 4507489                |\n\
total CAMHS budget     |                        |\n\
(all services          |                        |\n\
commissioned by the    |                        |\n\
CCG for under-18s'     |                        |\n\
mental health) in      |                        |\n\
2015/16?               |                        |\n\nYours,\n";
        let found = grid(t);
        assert_eq!(found.len(), 1);
        let (rows, range, place) = &found[0];
        assert_eq!(*range, 3..=18);
        assert_eq!(place, "line 3");
        assert_eq!(rows[0], row(&["Question", "Response", "Notes / comments"]));
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            row(&[
                "1a. What was the CCG's total CAMHS budget (all services commissioned by the CCG for under-18s' mental health) in 2014/15?",
                "The CCG does not hold this information",
                "Not held in the format requested",
            ])
        );
        assert_eq!(rows[2][1], "4507489");
        assert!(rows[2][0].ends_with("in 2015/16?"));
    }

    #[test]
    fn a_heading_wrapped_over_lines_is_joined_and_year_rows_hold_their_wrapped_cells() {
        let t = "\
Year    | CAMHS (children  | Total mental     | Future in Mind\n        | and young        | health           | transformation\n        | people's mental  |                  | funding (incl.\n        | health)          |                  | eating\n        |                  |                  | disorders)\n\
--------+------------------+------------------+-----------------\n\
2014-15 | approx           | approx           |\n        | £4,000,000       | £53,000,000      |\n\
2015-16 | £4.7m-£6.1m      | approx           | approx £440,000\n        |                  | £55,000,000      |\n\
2016-17 | The CCG does not | The CCG does not | approx £790,000\n        | hold this        | hold this        |\n        | information      | information      |\n";
        let (rows, range, _) = &grid(t)[0];
        assert_eq!(*range, 1..=13);
        assert_eq!(
            rows[0],
            row(&[
                "Year",
                "CAMHS (children and young people's mental health)",
                "Total mental health",
                "Future in Mind transformation funding (incl. eating disorders)"
            ])
        );
        assert_eq!(
            rows[1],
            row(&["2014-15", "approx £4,000,000", "approx £53,000,000", ""])
        );
        assert_eq!(
            rows[2],
            row(&[
                "2015-16",
                "£4.7m-£6.1m",
                "approx £55,000,000",
                "approx £440,000"
            ])
        );
        assert_eq!(
            rows[3],
            row(&[
                "2016-17",
                "The CCG does not hold this information",
                "The CCG does not hold this information",
                "approx £790,000"
            ])
        );
    }

    #[test]
    fn an_empty_first_column_continues_the_row_and_a_label_after_it_starts_one() {
        let t = "\
Financial year | Budget line            | Amount\n\
---------------+------------------------+-----------------------\n\
14/15          | CAMHS (children and    | £3.4m-£4.4m\n               | young people's mental  |\n               | health)                |\n\
14/15          | Total mental health    | 44109906\n\
15/16          | Future in Mind         | The CCG does not hold\n               | transformation funding | this information\n";
        let (rows, _, _) = &grid(t)[0];
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[1],
            row(&[
                "14/15",
                "CAMHS (children and young people's mental health)",
                "£3.4m-£4.4m"
            ])
        );
        assert_eq!(rows[2], row(&["14/15", "Total mental health", "44109906"]));
        assert_eq!(
            rows[3],
            row(&[
                "15/16",
                "Future in Mind transformation funding",
                "The CCG does not hold this information"
            ])
        );
    }

    #[test]
    fn a_word_broken_at_the_column_edge_is_not_an_answer_of_its_own() {
        // "specificatio" fills the Notes column; the "n" under it ends the word. Read alone it
        // would be the answer "N" and cut question 7 in two.
        let t = "\
Ref | Question     | Response     | Notes /\n    |              |              | comments\n\
----+--------------+--------------+-------------\n\
7   | If so, when  | N/A          | See service\n    | does it      |              | specificatio\n    | operate      |              | n\n    | (office      |              |\n    | hours)?      |              |\n\
8   | Does the CCG | Y            |\n    | commission   |              |\n";
        let (rows, _, _) = &grid(t)[0];
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            row(&[
                "7",
                "If so, when does it operate (office hours)?",
                "N/A",
                "See service specification"
            ])
        );
        assert_eq!(rows[2], row(&["8", "Does the CCG commission", "Y", ""]));
        // An answer that happens to fill its column is still followed by the next row's answer.
        let t = "\
Question              | Response\n\
----------------------+---------------------\n\
Out-of-hours SPC by   | St Michael's Hospice\n\
Pain team             | No\n";
        let (rows, _, _) = &grid(t)[0];
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], row(&["Pain team", "No"]));
        // A lower-case answer under one that filled a narrow column is an answer, not a word end.
        let t = "\
Question              | Y/N\n\
----------------------+----\n\
Pain control team     | yes\n\
Education for         | no\n";
        let (rows, _, _) = &grid(t)[0];
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[2], row(&["Education for", "no"]));
    }

    #[test]
    fn short_labels_each_start_a_row_and_wrapped_ones_do_not() {
        let t = "\
Question                            | Response\n\
------------------------------------+---------------------\n\
Patients with palliative care needs | Not held\n\
7-day admission to SPC beds         | Yes\n\
Pain control team commissioned      | No\n\
Pain team operating hours           | N/A\n\
Palliative care education for       | No\n\
professionals                       |\n\
Review of palliative care services  | Yes\n\
planned                             |\n";
        let (rows, _, _) = &grid(t)[0];
        let labels: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            labels,
            [
                "Question",
                "Patients with palliative care needs",
                "7-day admission to SPC beds",
                "Pain control team commissioned",
                "Pain team operating hours",
                "Palliative care education for professionals",
                "Review of palliative care services planned",
            ]
        );
        assert_eq!(rows[4][1], "N/A");
    }

    #[test]
    fn sections_split_by_a_spacer_line_and_a_value_after_a_gap_starts_a_row() {
        let t = "\
CAMHS (children  | Outturn 14/15 | Outturn 15/16\nand young        |               |\n\
-----------------+---------------+---------------\n\
Tier 3           |               | 4840486\nspecialist CAMHS |               |\n\
Tier 2 / early   |               | Nil\nintervention     |               |\n\
Less: non-       |               | (158300)\nrecurrent        |               |\n\
                 |               |\n\
Total mental     | Outturn 14/15 | Outturn 15/16\nhealth           |               |\n\
IAPT             |               | 12\n";
        let (rows, _, _) = &grid(t)[0];
        assert_eq!(rows[1], row(&["Tier 3 specialist CAMHS", "", "4840486"]));
        assert_eq!(rows[2], row(&["Tier 2 / early intervention", "", "Nil"]));
        assert_eq!(rows[3], row(&["Less: non-recurrent", "", "(158300)"]));
        assert_eq!(rows[4], row(&["", "", ""]));
        assert_eq!(
            rows[5],
            row(&["Total mental health", "Outturn 14/15", "Outturn 15/16"])
        );
        assert_eq!(rows[6], row(&["IAPT", "", "12"]));
    }

    #[test]
    fn words_the_wrapper_broke_are_mended_and_whole_words_are_not_run_together() {
        let t = "\
Ref | Question     | Source       | Date\n\
----+--------------+--------------+-----------\n\
1   | Does the CCG | Commissionin | 2016-06-14\n    | commission   | g            |\n    | healthcare p |              |\n    | rofessionals |              |\n    | ?            |              |\n\
2   | How much     | Finance      | 2016-06-14\n    | transformati |              |\n    | on funding?  |              |\n";
        let (rows, _, _) = &grid(t)[0];
        assert_eq!(
            rows[1],
            row(&[
                "1",
                "Does the CCG commission healthcare professionals?",
                "Commissioning",
                "2016-06-14"
            ])
        );
        assert_eq!(
            rows[2],
            row(&[
                "2",
                "How much transformation funding?",
                "Finance",
                "2016-06-14"
            ])
        );
    }

    #[test]
    fn instructions_above_a_spacer_are_not_part_of_the_heading() {
        let t = "\
INSTRUCTIONS: please   |                        |\ncomplete column B.     |                        |\n                       |                        |\n\
Question               | Response               | Notes / comments\n\
-----------------------+------------------------+-----------------------\n\
1a. What was it?       | 12                     |\n";
        let (rows, range, _) = &grid(t)[0];
        assert_eq!(*range, 4..=6);
        assert_eq!(rows[0], row(&["Question", "Response", "Notes / comments"]));
        assert_eq!(rows[1], row(&["1a. What was it?", "12", ""]));
    }

    const MAIL_WRAPPED: &str = "\
Patients     | Specialist   | 7-day        | 7-day SPC in | Out-of-hours |\n\
Pain control | Pain team    | Palliative   | Review of\n\
with         | palliative   | admission to | patients'    | SPC advice   |\n\
team         | operating    | care         | palliative\n\
care needs   | 2015/16      |              |              |              |\n\
|              | for professi | services\n\
             |              |              |              |              |              |              | onals        | planned\n\
-------------+--------------+--------------+--------------+--------------+--\n\
------------+--------------+--------------+-------------\n\
Not held     | 1115015      | Y            | Not held     | Provided by  | N\n\
| N/A          | N            | Y\n\
             |              |              |              | St Michael's |              |              |              |\n\
             |              |              |              | Hospice      |              |              |              |\n";

    #[test]
    fn a_table_a_mail_system_rewrapped_is_rebuilt_from_its_pipe_counts() {
        let (rows, range, _) = &grid(MAIL_WRAPPED)[0];
        assert_eq!(*range, 1..=13);
        assert_eq!(
            rows[0],
            row(&[
                "Patients with care needs",
                "Specialist palliative 2015/16",
                "7-day admission to",
                "7-day SPC in patients'",
                "Out-of-hours SPC advice",
                "Pain control team",
                "Pain team operating",
                "Palliative care for professionals",
                "Review of palliative services planned",
            ])
        );
        assert_eq!(
            rows[1],
            row(&[
                "Not held",
                "1115015",
                "Y",
                "Not held",
                "Provided by St Michael's Hospice",
                "N",
                "N/A",
                "N",
                "Y"
            ])
        );
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn a_rewrapped_table_that_cannot_be_rejoined_is_refused() {
        // A physical line lost: the pipes no longer add up.
        let broken = MAIL_WRAPPED.replace(
            "| N/A          | N            | Y\n",
            "| N/A          | N            | Y | extra | more |\n",
        );
        assert!(grid(&broken).is_empty());
        // A short line "continued" on the next: not something a mail system does.
        let short = MAIL_WRAPPED.replace(
            "Not held     | 1115015      | Y            | Not held     | Provided by  | N\n",
            "Not held | 1115015 | Y | Not held | Provided by | N\n",
        );
        assert!(grid(&short).is_empty());
    }

    #[test]
    fn a_line_that_does_not_fit_the_rule_refuses_the_table() {
        let t = "\
Item       | Amount\n\
-----------+--------\n\
Budget     | 12\n\
Other |x| thing | 13 |\n";
        assert!(grid(t).is_empty());
        // Not a table at all: a rule with no lines under it, a plain dash line.
        assert!(grid("A | B\n---+---\n").is_empty());
        assert!(grid("-------------------------------\nA | B | C\n").is_empty());
    }

    #[test]
    fn the_requesters_messages_give_no_tables_and_numbering_runs_through_the_document() {
        let t = "A | B\n-----+-----\nx | 1\n";
        let mut request = lines(t);
        request
            .headers
            .push(("From".into(), "J <request-1@whatdotheyknow.com>".into()));
        let mut reply = lines(t);
        reply
            .headers
            .push(("From".into(), "FOI <foi@nhs.net>".into()));
        let found = sheets(&[request, reply.clone(), reply]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "table 1");
        assert_eq!(found[1].name, "table 2");
        assert_eq!(found[0].location(1, 1), "table 1 r2c2 (line 1)");
    }

    #[test]
    fn a_markdown_rule_narrower_than_its_cells_gives_one_row_per_line() {
        let t = "| | Outturn 16/17 | Plan 18/19 |\n|---|---|---|\n| CAMHS budget | Not held | £3.8 million |\n| Total mental health | £35.1 million | £36.8 million |\n| Future in Mind funding | £1.2 million | £1.1 million |\n";
        let g = grid(t);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].0.len(), 4, "{:?}", g[0].0);
        assert_eq!(
            g[0].0[2],
            row(&["Total mental health", "£35.1 million", "£36.8 million"])
        );
    }

    #[test]
    fn odd_input_never_panics() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet: Vec<char> = "||||----++++   ab1£\t>:=?)".chars().collect();
        for _ in 0..3000 {
            let n_lines = (next() % 12) as usize;
            let mut text = String::new();
            for _ in 0..n_lines {
                let len = (next() % 90) as usize;
                for _ in 0..len {
                    text.push(alphabet[(next() % alphabet.len() as u64) as usize]);
                }
                text.push('\n');
            }
            for (sheet, range) in tables(&lines(&text)) {
                assert!(range.start() <= range.end());
                assert!(!sheet.rows.is_empty());
            }
        }
        // Real layouts cut at random places.
        for cut in 0..MAIL_WRAPPED.len() {
            if MAIL_WRAPPED.is_char_boundary(cut) {
                let _ = tables(&lines(&MAIL_WRAPPED[..cut]));
                let _ = tables(&lines(&MAIL_WRAPPED[cut..]));
            }
        }
    }
}
