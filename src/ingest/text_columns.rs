//! Tables typed in text with no rule and no pipes: columns aligned with runs of spaces, or cells
//! separated by tabs. A table is a run of consecutive lines each holding a gap of two or more
//! spaces (or a tab); its columns are where every line of the run is blank. Prose never
//! qualifies: its words are one space apart.

use super::document::{Cell, Sheet, TextBlock};
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

/// The tables of one block, with the lines (file line numbers) each spans.
pub fn tables(block: &TextBlock) -> Vec<(Sheet, RangeInclusive<usize>)> {
    let mut out = Vec::new();
    let lines = &block.lines;
    let mut i = 0;
    while i < lines.len() {
        let ok = |l: &str| has_gap(l) && !l.contains('|') && !l.trim_start().starts_with('>');
        if !ok(&lines[i].text) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < lines.len() && ok(&lines[j + 1].text) {
            j += 1;
        }
        if j > i {
            let run: Vec<&str> = lines[i..=j].iter().map(|l| l.text.as_str()).collect();
            if let Some(rows) = by_tabs(&run).or_else(|| by_alignment(&run)) {
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
    fn prose_is_never_a_table() {
        assert!(grid("The CCG's total CAMHS budget was £7.34m in 2016/17,\nrising to £7.56m in 2017/18 and the planned\nfigure is £7.21m.\n").is_empty());
    }
}
