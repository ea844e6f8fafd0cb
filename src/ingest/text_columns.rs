//! Tables typed in text with no rule: columns aligned with runs of spaces, cells separated by
//! tabs, or cells between pipes with no `|---|` line under the heading (a table with a rule is
//! `text_table`'s). A spaced table is a run of consecutive lines each holding a gap of two or
//! more spaces (or a tab); its columns are where every line of the run is blank. A piped one is a
//! run of lines cut by the same number of pipes into the same number of cells. Prose never
//! qualifies: its words are one space apart, and it is not cut by pipes line after line.

use super::document::{Cell, Line, Sheet, TextBlock};
use std::ops::RangeInclusive;

/// Does the line hold a gap between two words: a tab, or two spaces or more?
fn has_gap(line: &str) -> bool {
    let t = line.trim();
    t.contains('\t') || t.contains("  ")
}

/// Tabs to spaces at stops of 8, as a mail reader shows them.
fn expand(line: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in line.chars() {
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

/// The cells of a run of lines cut at the tabs, when every line has the same number of them.
fn by_tabs(lines: &[&str]) -> Option<Vec<Vec<String>>> {
    let counts: Vec<usize> = lines
        .iter()
        .map(|l| l.trim().matches('\t').count())
        .collect();
    if counts[0] == 0 || counts.iter().any(|&c| c != counts[0]) {
        return None;
    }
    Some(
        lines
            .iter()
            .map(|l| l.trim().split('\t').map(|c| c.trim().to_owned()).collect())
            .collect(),
    )
}

/// The cells of a run of lines cut where every line is blank for two characters or more.
fn by_alignment(lines: &[&str]) -> Option<Vec<Vec<String>>> {
    let chars: Vec<Vec<char>> = lines.iter().map(|l| expand(l)).collect();
    let width = chars.iter().map(Vec::len).max()?;
    let blank = |p: usize| {
        chars
            .iter()
            .all(|l| l.get(p).is_none_or(|c| c.is_whitespace()))
    };
    // Column spans: maximal runs of positions not blank in every line, split by gaps of two or more.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut p = 0;
    while p < width {
        if blank(p) {
            p += 1;
            continue;
        }
        let start = p;
        let mut end = p;
        while end < width {
            if blank(end) {
                let gap_end = (end..width).find(|&q| !blank(q)).unwrap_or(width);
                if gap_end - end >= 2 || gap_end == width {
                    break;
                }
                end = gap_end;
            } else {
                end += 1;
            }
        }
        spans.push((start, end));
        p = end;
    }
    if spans.len() < 2 {
        return None;
    }
    let rows: Vec<Vec<String>> = chars
        .iter()
        .map(|l| {
            spans
                .iter()
                .map(|&(a, b)| {
                    let piece: String = l.iter().skip(a).take(b - a).collect();
                    piece.split_whitespace().collect::<Vec<_>>().join(" ")
                })
                .collect()
        })
        .collect();
    // The heading and at least one more row name two columns or more.
    let full = rows
        .iter()
        .filter(|r| r.iter().filter(|c| !c.is_empty()).count() >= 2)
        .count();
    (full >= 2).then_some(rows)
}

/// A line's cells between its pipes (one pipe at either end is a border, not a cell), when it
/// has a pipe; a quoted line (`>`) never.
fn piped_cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if !t.contains('|') || t.starts_with('>') {
        return None;
    }
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    Some(t.split('|').map(|c| c.trim().to_owned()).collect())
}

/// A rule a table with one is drawn with (`|---|:---:|`): text_table reads those.
fn is_rule(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| "-:=+ ".contains(ch)))
}

/// The cells of a run of piped lines: every line cut into the same number of cells (two or
/// more), none a rule, and the heading and at least one more row naming two columns or more.
fn by_pipes(lines: &[&str]) -> Option<Vec<Vec<String>>> {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| piped_cells(l))
        .collect::<Option<_>>()?;
    let width = rows[0].len();
    if width < 2 || rows.iter().any(|r| r.len() != width || is_rule(r)) {
        return None;
    }
    let full = rows
        .iter()
        .filter(|r| r.iter().filter(|c| !c.is_empty()).count() >= 2)
        .count();
    (full >= 2).then_some(rows)
}

/// The tables of one block, with the lines (file line numbers) each spans.
pub fn tables(block: &TextBlock) -> Vec<(Sheet, RangeInclusive<usize>)> {
    let mut out = Vec::new();
    let lines = &block.lines;
    let spaced = |l: &Line| {
        let t = &l.text;
        has_gap(t) && !t.contains('|') && !t.trim_start().starts_with('>')
    };
    // Pipes a person typed. On a page a PDF reader laid out (its lines have a page), pipes
    // are the reader's own rendering of a drawn table's columns, and it reads those tables.
    let piped = |l: &Line| l.page.is_none() && piped_cells(&l.text).is_some();
    let mut i = 0;
    while i < lines.len() {
        let Some(ok) = [&spaced as &dyn Fn(&Line) -> bool, &piped]
            .into_iter()
            .find(|ok| ok(&lines[i]))
        else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < lines.len() && ok(&lines[j + 1]) {
            j += 1;
        }
        if j > i {
            let run: Vec<&str> = lines[i..=j].iter().map(|l| l.text.as_str()).collect();
            let rows = by_pipes(&run)
                .or_else(|| by_tabs(&run))
                .or_else(|| by_alignment(&run));
            if let Some(rows) = rows {
                let sheet = Sheet {
                    name: String::new(),
                    hidden: false,
                    rows: rows
                        .into_iter()
                        .map(|r| {
                            r.into_iter()
                                .map(|c| {
                                    if c.is_empty() {
                                        Cell::Empty
                                    } else {
                                        Cell::Text(c)
                                    }
                                })
                                .collect()
                        })
                        .collect(),
                    place: format!("line {}", lines[i].number),
                };
                out.push((sheet, lines[i].number..=lines[j].number));
            }
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::lines;

    fn grid(text: &str) -> Vec<Vec<Vec<String>>> {
        tables(&lines(text))
            .into_iter()
            .map(|(s, _)| {
                s.rows
                    .iter()
                    .map(|r| r.iter().map(Cell::text).collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn columns_aligned_with_spaces() {
        let t = "Dear Jo,\n\nBudget line (£000)        2016-17                  2017-18\nCAMHS                       7,926                    7,890\nTotal mental health       Commercially sensitive     95,611\n\nYours sincerely,\n";
        let g = grid(t);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0][0], ["Budget line (£000)", "2016-17", "2017-18"]);
        assert_eq!(g[0][1], ["CAMHS", "7,926", "7,890"]);
        assert_eq!(
            g[0][2],
            ["Total mental health", "Commercially sensitive", "95,611"]
        );
    }

    #[test]
    fn tab_separated_cells() {
        let g = grid("Year\tCAMHS\tTotal\n2016-17\tNot held\t£3m\n");
        assert_eq!(g[0][1], ["2016-17", "Not held", "£3m"]);
    }

    #[test]
    fn cells_between_pipes_with_no_rule() {
        let g = grid(
            "Please see below.\n\n| | 2016/17 | 2017/18 |\n| CAMHS budget | £2,100,000 | Not held |\n| Total mental health | £31m | £32.5m |\n\nRegards\n",
        );
        assert_eq!(g.len(), 1);
        assert_eq!(g[0][0], ["", "2016/17", "2017/18"]);
        assert_eq!(g[0][1], ["CAMHS budget", "£2,100,000", "Not held"]);
        assert_eq!(g[0][2], ["Total mental health", "£31m", "£32.5m"]);
        // Without borders too.
        let g = grid("Year | CAMHS | Total\n2016-17 | £1m | £9m\n");
        assert_eq!(g[0][1], ["2016-17", "£1m", "£9m"]);
    }

    #[test]
    fn piped_lines_that_do_not_line_up_are_not_a_table() {
        // A ruled table is text_table's; rows of differing widths and single lines are no table.
        assert!(grid("| a | b |\n|---|---|\n| 1 | 2 |\n").is_empty());
        assert!(grid("| Year | CAMHS |\n| 2016-17 | £1m | £2m |\n").is_empty());
        assert!(grid("Tel: 0113 | Email: foi@x.nhs.uk\n\nDear Jo,\n").is_empty());
    }

    #[test]
    fn pipes_on_a_laid_out_page_are_the_pdf_readers_not_a_typed_table() {
        let mut block = lines("| Q7 | Not held |\n| Q8 | £288,000 |\n");
        for l in &mut block.lines {
            l.page = Some(1);
        }
        assert!(tables(&block).is_empty());
    }

    #[test]
    fn prose_is_never_a_table() {
        assert!(grid("The CCG's total CAMHS budget was £7.34m in 2016/17,\nrising to £7.56m in 2017/18 and the planned\nfigure is £7.21m.\n").is_empty());
    }
}
