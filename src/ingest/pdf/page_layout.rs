//! Page layout shared by the PDF text layer and OCR: positioned pieces of text and ruling lines
//! become lines in reading order and tables, so a drawn page and a scanned one read the same way.
//!
//! Coordinates are in points, measured from the top-left corner of the page (y grows down).
//!
//! What OCR read with low confidence is kept as a typed doubt, never as words in the text: a
//! table cell becomes `Cell::Illegible`, and a line records its doubtful stretches beside its
//! text (`LaidLine::doubtful`).

use crate::ingest::document::Cell;
use std::ops::Range;

/// A piece of text where the page shows it: one text-showing operation, or one OCR word.
#[derive(Debug, Clone)]
pub struct Frag {
    pub x0: f64,
    pub x1: f64,
    pub top: f64,
    pub bottom: f64,
    pub text: String,
    /// OCR word confidence (0-100); `None` for a text layer.
    pub conf: Option<f32>,
    /// The line OCR placed the word on, where it told one; lines are found by position otherwise.
    pub group: Option<u64>,
}

impl Frag {
    fn h(&self) -> f64 {
        (self.bottom - self.top).max(0.5)
    }

    fn cy(&self) -> f64 {
        (self.top + self.bottom) / 2.0
    }

    /// The point that says which cell the piece sits in: just inside its left end, since text
    /// starts inside its cell even where it runs past the cell's right edge.
    fn probe(&self) -> (f64, f64) {
        let w = (self.x1 - self.x0).max(0.0);
        (self.x0 + (0.25 * self.h()).min(w / 2.0), self.cy())
    }
}

/// A ruling line. Horizontal: y = a + b·x for x in [lo, hi]; vertical: x = a + b·y for y in
/// [lo, hi]. `b` is the slant of a scan, 0 for a drawn page.
#[derive(Debug, Clone)]
pub struct Rule {
    pub horizontal: bool,
    pub a: f64,
    pub b: f64,
    pub lo: f64,
    pub hi: f64,
}

impl Rule {
    pub fn at(&self, t: f64) -> f64 {
        self.a + self.b * t
    }

    fn len(&self) -> f64 {
        self.hi - self.lo
    }
}

/// How one kind of page is read.
pub struct Options {
    /// How far apart (points) two rules may be and still be one, or meet.
    pub rule_tol: f64,
    /// OCR words below this confidence are doubtful (see the module doc); 0 for a text layer.
    pub min_conf: f32,
    /// A scanned table cell with more solid ink than this (the share of its area that is dark
    /// across a whole window, see `Gray::solid_ink`) is smudged; infinite for a text layer.
    pub smudge: f64,
}

/// A table rebuilt from a page.
#[derive(Debug, Clone)]
pub struct LaidTable {
    /// Empty, text, or illegible cells (a doubtful reading or a smudge).
    pub rows: Vec<Vec<Cell>>,
    /// Mean OCR confidence of its words, for a scan.
    pub conf: Option<f64>,
}

/// One line of a page: its text, and the stretches of it (byte ranges) OCR doubted; an empty
/// range marks a smudged table cell in a table row laid out as a line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LaidLine {
    pub text: String,
    pub doubtful: Vec<Range<usize>>,
}

/// What one page says: its lines in reading order (empty lines between paragraphs; a table's
/// rows as `| a | b |` lines) and its tables.
#[derive(Debug, Default)]
pub struct PageText {
    pub lines: Vec<LaidLine>,
    pub tables: Vec<LaidTable>,
    /// OCR words read with low confidence (doubtful), and smudged cells found.
    pub illegible_words: usize,
    /// Doubtful cells a second reading of the cell alone confirmed.
    pub confirmed_cells: usize,
    /// Doubtful cells whose page reading was replaced by two agreeing readings of the cell alone.
    pub reread_cells: Vec<String>,
    pub smudged_cells: usize,
}

/// Reads the share of solid ink in a box (x0, top, x1, bottom) of a scanned page: how smudged it is.
pub type Ink<'a> = &'a dyn Fn(f64, f64, f64, f64) -> f64;
/// Read one region of a scan again on its own (x0, y0, x1, y1 in points, enlarged `zoom` times):
/// its text and the lowest word confidence, or `None` when nothing could be read.
pub type Reread<'a> = &'a dyn Fn(f64, f64, f64, f64, usize) -> Option<(String, f32)>;

/// The characters two readings of one answer must share to be the same reading.
/// A character OCR gives for a smudged or stylised glyph but that no FOI reply writes.
fn misread_sign(c: char) -> bool {
    matches!(
        c,
        '¥' | '©'
            | '®'
            | '§'
            | '¢'
            | '¤'
            | '¦'
            | '¬'
            | '¨'
            | '¯'
            | '°'
            | '±'
            | '¶'
            | '¿'
            | '¡'
            | '«'
            | '»'
            | 'µ'
    )
}

/// How sure both readings of a cell alone must be for them to replace a doubtful page reading.
const SURE: f32 = 85.0;

/// Whether `again` can be a clean reading of what the page half saw in `first`.
///
/// With digits: the page's reading was garbled (it holds a character no figure has, such as
/// "©" or "x"), its longest run of digits and separators is found in `again` as written, and
/// every separator in `again` sits between two digits. So "©. 716x" can become "6,716k", but a
/// whole doubtful "1,234" never becomes "1.234" or "11,234" (only the exact confirmation takes
/// it), and ", 716k" is no clean figure.
///
/// Without digits: as many characters in as many words, quotes and bars aside (a "Y" the page
/// took for "x" or "¥", never a "Yes" for an "x"), and no digit in `again`.
fn same_shape(again: &str, first: &str) -> bool {
    let figure_char = |c: char| c.is_ascii_digit() || c == ',' || c == '.';
    if first.chars().any(|c| c.is_ascii_digit()) {
        let figure_ish = |c: char| figure_char(c) || c.is_whitespace() || "£€$()%-kKmM".contains(c);
        let garbled = first.chars().any(|c| !figure_ish(c));
        let run = first
            .split(|c: char| !figure_char(c))
            .filter(|r| r.chars().any(|c| c.is_ascii_digit()))
            .max_by_key(|r| r.len())
            .unwrap_or("");
        let chars: Vec<char> = again.chars().collect();
        let separators_between_digits = chars.iter().enumerate().all(|(i, &c)| {
            !(c == ',' || c == '.')
                || (i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        });
        return garbled
            && !run.is_empty()
            && again.contains(run)
            && separators_between_digits
            && !again.chars().any(misread_sign);
    }
    // Quotes, bars and points beside a glyph are a scan's specks and rules: not counted.
    let speck = |c: char| c.is_whitespace() || "'‘’`\".,:;|_~-".contains(c);
    let glyphs = |t: &str| t.chars().filter(|&c| !speck(c)).count();
    let words = |t: &str| {
        t.split_whitespace()
            .filter(|w| w.chars().any(|c| !speck(c)))
            .count()
    };
    !again.chars().any(|c| c.is_ascii_digit() || misread_sign(c))
        && glyphs(first) > 0
        && glyphs(again) == glyphs(first)
        && words(again) == words(first)
}

fn reading_key(t: &str) -> String {
    t.chars()
        .filter(|c| c.is_alphanumeric() || "£.,()%/-".contains(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The most rules looked at on one page: beyond it the page is read as text only.
const MAX_RULES: usize = 4000;

pub fn lay_out(
    frags: Vec<Frag>,
    rules: &[Rule],
    opts: &Options,
    ink: Option<Ink>,
    reread: Option<Reread>,
) -> PageText {
    let frags: Vec<Frag> = frags
        .into_iter()
        .filter(|f| !f.text.trim().is_empty())
        .collect();
    let mut out = PageText::default();
    let rules: &[Rule] = if rules.len() > MAX_RULES { &[] } else { rules };
    let grids = grids(rules, opts.rule_tol);

    // Pieces inside a ruled table go to its cells; the rest are lines of text.
    let mut in_grid: Vec<Vec<Frag>> = vec![Vec::new(); grids.len()];
    let mut loose = Vec::new();
    for f in frags {
        let (px, py) = f.probe();
        match grids.iter().position(|g| g.contains(px, py, opts.rule_tol)) {
            Some(i) => in_grid[i].push(f),
            None => loose.push(f),
        }
    }

    // Items in reading order: (top, bottom, lines, is_table).
    let mut items: Vec<(f64, f64, Vec<LaidLine>, bool)> = Vec::new();
    let mut tables: Vec<(f64, LaidTable)> = Vec::new();
    for (g, fs) in grids.iter().zip(in_grid) {
        if let Some((table, top, bottom)) = g.fill(fs, opts, ink, reread, &mut out) {
            items.push((top, bottom, table_lines(&table.rows), true));
            tables.push((top, table));
        }
    }
    let lines = text_lines(loose);
    let (unruled, rest) = unruled_tables(lines, opts, &mut out);
    for (table, top, bottom) in unruled {
        items.push((top, bottom, table_lines(&table.rows), true));
        tables.push((top, table));
    }
    for l in rest {
        let line = line_text(&l.frags, opts, &mut out.illegible_words);
        items.push((l.top, l.bottom, vec![line], false));
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    tables.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.tables = tables.into_iter().map(|(_, t)| t).collect();

    let typical =
        upper_median(items.iter().filter(|i| !i.3).map(|i| i.1 - i.0).collect()).unwrap_or(10.0);
    let mut prev: Option<(f64, bool)> = None;
    for (top, bottom, lines, is_table) in items {
        if let Some((prev_bottom, prev_table)) = prev
            && (is_table || prev_table || top - prev_bottom > 0.7 * typical)
        {
            out.lines.push(LaidLine::default());
        }
        out.lines.extend(lines);
        prev = Some((bottom, is_table));
    }
    out
}

/// The upper of the middle values (the value itself for an odd count): a typical size, always
/// one that occurs. Not `analyse`'s median, which averages the two middle values.
fn upper_median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some(v[v.len() / 2])
}

/// A table's rows as `| a | b |` lines; a doubtful cell's reading is a doubtful stretch of its
/// line (an empty one for a smudge nothing was read from).
fn table_lines(rows: &[Vec<Cell>]) -> Vec<LaidLine> {
    rows.iter()
        .map(|r| {
            let mut line = LaidLine {
                text: "| ".to_owned(),
                doubtful: Vec::new(),
            };
            for (i, cell) in r.iter().enumerate() {
                if i > 0 {
                    line.text.push_str(" | ");
                }
                let start = line.text.len();
                line.text.push_str(&cell.text());
                if let Cell::Illegible { .. } = cell {
                    line.doubtful.push(start..line.text.len());
                }
            }
            line.text.push_str(" |");
            line
        })
        .collect()
}

/// Pieces on one line, left to right.
struct TextLine {
    top: f64,
    bottom: f64,
    frags: Vec<Frag>,
}

impl TextLine {
    fn h(&self) -> f64 {
        upper_median(self.frags.iter().map(Frag::h).collect()).unwrap_or(1.0)
    }
}

/// Group pieces into lines: by the line OCR gave them where it did, else by position.
fn text_lines(mut frags: Vec<Frag>) -> Vec<TextLine> {
    frags.sort_by(|a, b| a.cy().total_cmp(&b.cy()).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<TextLine> = Vec::new();
    let mut by_group: Vec<(u64, usize)> = Vec::new();
    for f in frags {
        let target = match f.group {
            Some(g) => by_group.iter().find(|(k, _)| *k == g).map(|(_, i)| *i),
            None => lines.iter().rposition(|l| {
                l.frags.iter().all(|o| o.group.is_none()) && {
                    let cy = (l.top + l.bottom) / 2.0;
                    (f.cy() - cy).abs() < 0.5 * f.h().max(l.bottom - l.top)
                }
            }),
        };
        match target {
            Some(i) => {
                let l = &mut lines[i];
                l.top = l.top.min(f.top);
                l.bottom = l.bottom.max(f.bottom);
                l.frags.push(f);
            }
            None => {
                if let Some(g) = f.group {
                    by_group.push((g, lines.len()));
                }
                lines.push(TextLine {
                    top: f.top,
                    bottom: f.bottom,
                    frags: vec![f],
                });
            }
        }
    }
    for l in &mut lines {
        l.frags.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines.sort_by(|a, b| a.top.total_cmp(&b.top));
    lines
}

/// Join pieces of one line; a gap wider than a thin space becomes a space. OCR words under the
/// confidence floor are doubtful: a run of them, joined with single spaces, is one doubtful
/// stretch of the line.
fn line_text(frags: &[Frag], opts: &Options, illegible: &mut usize) -> LaidLine {
    let mut out = LaidLine::default();
    let mut run: Vec<&str> = Vec::new();
    let mut prev: Option<&Frag> = None;
    let flush = |out: &mut LaidLine, run: &mut Vec<&str>| {
        if !run.is_empty() {
            let start = out.text.len();
            out.text.push_str(&run.join(" "));
            out.doubtful.push(start..out.text.len());
            run.clear();
        }
    };
    for f in frags {
        let t = f.text.trim();
        let low = f.conf.is_some_and(|c| c < opts.min_conf);
        if let Some(p) = prev {
            let gap = f.x0 - p.x1;
            let spaced =
                gap > 0.15 * f.h().min(p.h()) || p.text.ends_with(' ') || f.text.starts_with(' ');
            if !low || run.is_empty() {
                flush(&mut out, &mut run);
                if spaced && !out.text.is_empty() {
                    out.text.push(' ');
                }
            }
        }
        if low {
            *illegible += 1;
            run.push(t);
        } else {
            out.text.push_str(t);
        }
        prev = Some(f);
    }
    flush(&mut out, &mut run);
    out
}

/// A ruled table: its row and column boundaries, top to bottom and left to right.
struct Grid {
    hs: Vec<Rule>,
    vs: Vec<Rule>,
}

impl Grid {
    fn contains(&self, x: f64, y: f64, tol: f64) -> bool {
        let (Some(l), Some(r), Some(t), Some(b)) = (
            self.vs.first(),
            self.vs.last(),
            self.hs.first(),
            self.hs.last(),
        ) else {
            return false;
        };
        x > l.at(y) - tol && x < r.at(y) + tol && y > t.at(x) - tol && y < b.at(x) + tol
    }

    fn cell_of(&self, x: f64, y: f64) -> (usize, usize) {
        let rows = self.hs.len().saturating_sub(1).max(1);
        let cols = self.vs.len().saturating_sub(1).max(1);
        let r = self
            .hs
            .iter()
            .filter(|h| h.at(x) < y)
            .count()
            .saturating_sub(1)
            .min(rows - 1);
        let c = self
            .vs
            .iter()
            .filter(|v| v.at(y) < x)
            .count()
            .saturating_sub(1)
            .min(cols - 1);
        (r, c)
    }

    /// The table's cells from the pieces inside it; `None` where it holds no text at all.
    fn fill(
        &self,
        frags: Vec<Frag>,
        opts: &Options,
        ink: Option<Ink>,
        reread: Option<Reread>,
        page: &mut PageText,
    ) -> Option<(LaidTable, f64, f64)> {
        let nr = self.hs.len().saturating_sub(1);
        let nc = self.vs.len().saturating_sub(1);
        if nr == 0 || nc == 0 {
            return None;
        }
        let confs: Vec<f64> = frags.iter().filter_map(|f| f.conf.map(f64::from)).collect();
        let mut cells: Vec<Vec<Vec<Frag>>> = vec![vec![Vec::new(); nc]; nr];
        for f in frags {
            let (x, y) = f.probe();
            let (r, c) = self.cell_of(x, y);
            cells[r][c].push(f);
        }
        let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(nr);
        for (r, row) in cells.into_iter().enumerate() {
            let mut out_row = Vec::with_capacity(nc);
            for (c, mut fs) in row.into_iter().enumerate() {
                // A doubtful lone mark (":", "f", "|") beside words read with confidence is a
                // rule's remnant, not part of the answer: a scan's verticals are never erased
                // whole. (A cell of nothing but doubtful marks stays doubtful.)
                let sure = |f: &Frag| f.conf.is_none_or(|c| c >= opts.min_conf);
                if fs
                    .iter()
                    .any(|f| sure(f) && f.text.trim().chars().count() > 1)
                {
                    fs.retain(|f| sure(f) || f.text.trim().chars().count() > 1);
                }
                let mut text = cell_text(fs.clone(), opts);
                // A sign no reply writes ("¥" for "Y", "©" for "6") is a misreading however sure
                // Tesseract was: the cell is doubtful like a word under the confidence bar.
                let mut low = fs.iter().any(|f| {
                    f.conf.is_some_and(|c| c < opts.min_conf)
                        || (f.conf.is_some() && f.text.chars().any(misread_sign))
                });
                let (cx, cy) = self.centre(r, c);
                let (x0, x1) = (self.vs[c].at(cy), self.vs[c + 1].at(cy));
                let (y0, y1) = (self.hs[r].at(cx), self.hs[r + 1].at(cx));
                let inset = opts.rule_tol;
                let roomy = x1 - x0 > 3.0 * inset && y1 - y0 > 3.0 * inset;
                let smudged = ink.is_some_and(|ink| {
                    roomy && ink(x0 + inset, y0 + inset, x1 - inset, y1 - inset) > opts.smudge
                });
                // A doubtful reading is read again from the cell alone, enlarged: only when the
                // second reading is sure of itself and says exactly the same is the first taken.
                // A page reading spoiled by ink beside the words (a smudge in the next cell, a
                // stamp) may instead be read cleanly from the cell alone: that reading replaces
                // it only when two enlargements agree exactly, both at least `SURE`, and they
                // have the shape of what the page saw (the same figure, not another).
                if low && !smudged && roomy && !text.is_empty() {
                    let crop = |zoom| {
                        reread.and_then(|rr| {
                            rr(
                                x0 + inset / 2.0,
                                y0 + inset / 2.0,
                                x1 - inset / 2.0,
                                y1 - inset / 2.0,
                                zoom,
                            )
                        })
                    };
                    if let Some((again, conf)) = crop(2) {
                        // The key drops signs such as "§": a cell holding one is never merely
                        // confirmed, only replaced by two clean readings.
                        let signed = text.chars().any(misread_sign);
                        if !signed
                            && conf >= opts.min_conf
                            && reading_key(&again) == reading_key(&text)
                        {
                            low = false;
                            page.confirmed_cells += 1;
                        } else if conf >= SURE
                            && same_shape(&again, &text)
                            && let Some((third, conf3)) = crop(3)
                            && conf3 >= SURE
                            && third.trim() == again.trim()
                        {
                            page.reread_cells.push(format!(
                                "{text:?} read again from the cell alone as {again:?}"
                            ));
                            text = again;
                            low = false;
                        }
                    }
                }
                if smudged {
                    page.smudged_cells += 1;
                }
                if low {
                    page.illegible_words += fs
                        .iter()
                        .filter(|f| f.conf.is_some_and(|c| c < opts.min_conf))
                        .count();
                }
                out_row.push(if smudged || low {
                    Cell::Illegible { reading: text }
                } else if text.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(text)
                });
            }
            rows.push(out_row);
        }
        drop_empty(&mut rows);
        if rows.is_empty() {
            return None;
        }
        let conf = if confs.is_empty() {
            None
        } else {
            Some(confs.iter().sum::<f64>() / confs.len() as f64)
        };
        let (cx, _) = self.centre(0, 0);
        let top = self.hs[0].at(cx);
        let bottom = self.hs[nr].at(cx);
        Some((LaidTable { rows, conf }, top, bottom))
    }

    fn centre(&self, r: usize, c: usize) -> (f64, f64) {
        // Rules are near axis-aligned: their positions at their own midpoints are good enough
        // to find the middle of a cell.
        let mid = |rule: &Rule| rule.at((rule.lo + rule.hi) / 2.0);
        let cx = (mid(&self.vs[c]) + mid(&self.vs[c + 1])) / 2.0;
        let cy = (mid(&self.hs[r]) + mid(&self.hs[r + 1])) / 2.0;
        (cx, cy)
    }
}

/// Text of a cell: its pieces line by line, lines joined with a space.
fn cell_text(frags: Vec<Frag>, opts: &Options) -> String {
    let lines = text_lines(frags);
    let mut ignored = 0;
    let no_marks = Options {
        rule_tol: opts.rule_tol,
        min_conf: 0.0,
        smudge: opts.smudge,
    };
    lines
        .iter()
        .map(|l| line_text(&l.frags, &no_marks, &mut ignored).text)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Remove rows and columns with nothing in them (a smudged cell is something: see
/// `Cell::is_empty`).
fn drop_empty(rows: &mut Vec<Vec<Cell>>) {
    rows.retain(|r| r.iter().any(|c| !c.is_empty()));
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let keep: Vec<bool> = (0..width)
        .map(|c| rows.iter().any(|r| r.get(c).is_some_and(|t| !t.is_empty())))
        .collect();
    for r in rows.iter_mut() {
        let mut c = 0;
        r.retain(|_| {
            let k = keep.get(c).copied().unwrap_or(false);
            c += 1;
            k
        });
    }
}

/// Join rules that are one line drawn in pieces (each cell's own border, a rule broken by a
/// smudge), then find the tables: rules that cross one another, with at least two cells.
fn grids(rules: &[Rule], tol: f64) -> Vec<Grid> {
    let hs = merge(
        rules.iter().filter(|r| r.horizontal).cloned().collect(),
        tol,
    );
    let vs = merge(
        rules.iter().filter(|r| !r.horizontal).cloned().collect(),
        tol,
    );
    if hs.len() < 2 || vs.len() < 2 {
        return Vec::new();
    }
    // Union-find over all rules: horizontal ones first, then vertical.
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if meet(h, v, tol) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: Vec<(usize, Vec<Rule>, Vec<Rule>)> = Vec::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let k = match groups.iter().position(|g| g.0 == root) {
            Some(k) => k,
            None => {
                groups.push((root, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        if i < hs.len() {
            groups[k].1.push(hs[i].clone());
        } else {
            groups[k].2.push(vs[i - hs.len()].clone());
        }
    }
    // Horizontal rules that met no vertical one: a scan's verticals can stop short of the last
    // row; such a rule, as wide as a table and just under it, closes that table's last row.
    let orphans: Vec<Rule> = groups
        .iter()
        .filter(|g| g.2.is_empty() && g.1.len() == 1)
        .map(|g| g.1[0].clone())
        .collect();
    groups.retain(|g| !(g.2.is_empty() && g.1.len() == 1));
    for (_, gh, _) in groups.iter_mut() {
        if gh.len() < 2 {
            continue;
        }
        let (lo, hi) = (
            gh.iter().map(|h| h.lo).fold(f64::INFINITY, f64::min),
            gh.iter().map(|h| h.hi).fold(f64::NEG_INFINITY, f64::max),
        );
        let xm = (lo + hi) / 2.0;
        let mut ys: Vec<f64> = gh.iter().map(|h| h.at(xm)).collect();
        ys.sort_by(f64::total_cmp);
        let row = ys.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
        let (first, last) = (ys[0], ys[ys.len() - 1]);
        for o in &orphans {
            let y = o.at(xm);
            let beyond = if y > last {
                y - last
            } else if y < first {
                first - y
            } else {
                continue;
            };
            if (o.lo - lo).abs() < 4.0 * tol
                && (o.hi - hi).abs() < 4.0 * tol
                && beyond < 3.0 * row.max(tol)
            {
                gh.push(o.clone());
            }
        }
    }
    let mut out = Vec::new();
    for (_, gh, gv) in groups {
        let x_mid = mean_mid(&gh);
        let y_mid = mean_mid(&gv);
        let gh = distinct(gh, x_mid, tol);
        let mut gv = distinct(gv, y_mid, tol);
        close_open_sides(&gh, &mut gv, tol);
        if gh.len() >= 2 && gv.len() >= 2 && (gh.len() - 1) * (gv.len() - 1) >= 2 {
            out.push(Grid { hs: gh, vs: gv });
        }
    }
    stack_grids(out, tol)
}

/// One table the scan broke in two (a rule between its rows found in pieces): a grid straight
/// under another, with the same column rules, carries on the grid above.
fn stack_grids(mut grids: Vec<Grid>, tol: f64) -> Vec<Grid> {
    let x_of = |g: &Grid| -> Vec<f64> {
        let y =
            g.hs.first()
                .map_or(0.0, |h| h.at(g.vs.first().map_or(0.0, |v| v.at(0.0))));
        g.vs.iter().map(|v| v.at(y)).collect()
    };
    let y_of = |g: &Grid, first: bool| {
        let x = x_of(g).first().copied().unwrap_or(0.0);
        let h = if first { g.hs.first() } else { g.hs.last() };
        h.map_or(0.0, |h| h.at(x))
    };
    grids.sort_by(|a, b| y_of(a, true).total_cmp(&y_of(b, true)));
    let mut out: Vec<Grid> = Vec::new();
    for g in grids {
        if let Some(prev) = out.last_mut() {
            let (xa, xb) = (x_of(prev), x_of(&g));
            let same_columns =
                xa.len() == xb.len() && xa.iter().zip(&xb).all(|(a, b)| (a - b).abs() < tol * 3.0);
            let gap = (y_of(&g, true) - y_of(prev, false)).abs();
            if same_columns && gap < tol * 3.0 {
                let mut hs = std::mem::take(&mut prev.hs);
                hs.extend(g.hs.into_iter().skip(usize::from(gap < tol)));
                prev.hs = hs;
                for (v, w) in prev.vs.iter_mut().zip(&g.vs) {
                    v.lo = v.lo.min(w.lo);
                    v.hi = v.hi.max(w.hi);
                }
                continue;
            }
        }
        out.push(g);
    }
    out
}

/// A side of a table whose vertical rule was not found (too faint in a scan) while the
/// horizontal rules run on past the outermost vertical one: the rules' common end is that side,
/// so the words of the first (or last) column stay in the table.
fn close_open_sides(hs: &[Rule], vs: &mut Vec<Rule>, tol: f64) {
    if hs.len() < 2 || vs.is_empty() {
        return;
    }
    // At least two rules: there is a middle value.
    let left = upper_median(hs.iter().map(|h| h.lo).collect()).unwrap_or_default();
    let right = upper_median(hs.iter().map(|h| h.hi).collect()).unwrap_or_default();
    let xm = (left + right) / 2.0;
    let top = hs.iter().map(|h| h.at(xm)).fold(f64::INFINITY, f64::min);
    let bottom = hs
        .iter()
        .map(|h| h.at(xm))
        .fold(f64::NEG_INFINITY, f64::max);
    let first = vs
        .first()
        .map(|v| v.at((top + bottom) / 2.0))
        .unwrap_or(left);
    let last = vs
        .last()
        .map(|v| v.at((top + bottom) / 2.0))
        .unwrap_or(right);
    let side = |x: f64| Rule {
        horizontal: false,
        a: x,
        b: 0.0,
        lo: top,
        hi: bottom,
    };
    if first - left > 4.0 * tol {
        vs.insert(0, side(left));
    }
    if right - last > 4.0 * tol {
        vs.push(side(right));
    }
}

fn mean_mid(rules: &[Rule]) -> f64 {
    if rules.is_empty() {
        return 0.0;
    }
    rules.iter().map(|r| (r.lo + r.hi) / 2.0).sum::<f64>() / rules.len() as f64
}

/// One rule per boundary: rules at the same position (measured at `t`) are one boundary, and
/// the longest stands for it. Sorted by position.
fn distinct(mut rules: Vec<Rule>, t: f64, tol: f64) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at(t).total_cmp(&b.at(t)));
    let mut out: Vec<Rule> = Vec::new();
    for r in rules {
        match out.last_mut() {
            Some(last) if (last.at(t) - r.at(t)).abs() < tol * 2.0 => {
                if r.len() > last.len() {
                    *last = r;
                }
            }
            _ => out.push(r),
        }
    }
    out
}

/// Do a horizontal and a vertical rule cross or touch?
fn meet(h: &Rule, v: &Rule, tol: f64) -> bool {
    let det = 1.0 - h.b * v.b;
    if det.abs() < 1e-9 {
        return false;
    }
    let x = (v.a + v.b * h.a) / det;
    let y = h.at(x);
    x >= h.lo - tol && x <= h.hi + tol && y >= v.lo - tol && y <= v.hi + tol
}

/// Join collinear rules that overlap or nearly touch.
fn merge(mut rules: Vec<Rule>, tol: f64) -> Vec<Rule> {
    rules.sort_by(|a, b| {
        a.at(a.lo)
            .total_cmp(&b.at(b.lo))
            .then(a.lo.total_cmp(&b.lo))
    });
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < 8 {
        changed = false;
        rounds += 1;
        let mut out: Vec<Rule> = Vec::with_capacity(rules.len());
        'next: for r in rules {
            for o in out.iter_mut() {
                let lo = o.lo.max(r.lo);
                let hi = o.hi.min(r.hi);
                // Where they overlap, else the middle of the gap between them.
                let t = (lo + hi) / 2.0;
                if hi + tol >= lo && (o.at(t) - r.at(t)).abs() < tol {
                    let (wo, wr) = (o.len().max(0.1), r.len().max(0.1));
                    o.a = (o.a * wo + r.a * wr) / (wo + wr);
                    o.b = (o.b * wo + r.b * wr) / (wo + wr);
                    o.lo = o.lo.min(r.lo);
                    o.hi = o.hi.max(r.hi);
                    changed = true;
                    continue 'next;
                }
            }
            out.push(r);
        }
        rules = out;
    }
    rules
}

/// Tables drawn without rules: consecutive lines split by wide gaps into pieces that line up
/// in at least two columns. Lines that only carry on a cell (a wrapped label) join the row
/// above. Returns the tables with their top and bottom, and the lines that are not in one.
fn unruled_tables(
    lines: Vec<TextLine>,
    opts: &Options,
    page: &mut PageText,
) -> (Vec<(LaidTable, f64, f64)>, Vec<TextLine>) {
    // Each line's phrases: runs of pieces with no wide gap between them.
    let phrases: Vec<Vec<Vec<Frag>>> = lines
        .iter()
        .map(|l| {
            let gap = 1.0 * l.h();
            let mut out: Vec<Vec<Frag>> = Vec::new();
            for f in &l.frags {
                match out.last_mut() {
                    Some(p) if f.x0 - p.last().map_or(f.x0, |q| q.x1) <= gap => p.push(f.clone()),
                    _ => out.push(vec![f.clone()]),
                }
            }
            out
        })
        .collect();
    let span = |p: &Vec<Frag>| -> (f64, f64) {
        (
            p.first().map_or(0.0, |f| f.x0),
            p.last().map_or(0.0, |f| f.x1),
        )
    };
    let shared = |a: &[Vec<Frag>], b: &[Vec<Frag>], tol: f64| -> usize {
        a.iter()
            .filter(|p| {
                let (x0, x1) = span(p);
                b.iter().any(|q| {
                    let (y0, y1) = span(q);
                    (x0 - y0).abs() < tol || (x1 - y1).abs() < tol
                })
            })
            .count()
    };

    let mut tables = Vec::new();
    let mut used = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if phrases[i].len() < 2 {
            i += 1;
            continue;
        }
        // Grow a run from line i.
        let tol = lines[i].h();
        let mut members = vec![i];
        let mut last_multi = i;
        let mut j = i + 1;
        while j < lines.len() {
            let gap = lines[j].top - lines[*members.last().unwrap_or(&i)].bottom;
            if gap > 1.5 * tol {
                break;
            }
            if phrases[j].len() >= 2 && shared(&phrases[j], &phrases[last_multi], tol) >= 2 {
                members.push(j);
                last_multi = j;
            } else if phrases[j].len() == 1 && {
                let (x0, _) = span(&phrases[j][0]);
                phrases[last_multi]
                    .iter()
                    .any(|p| (span(p).0 - x0).abs() < tol)
            } {
                members.push(j);
            } else {
                break;
            }
            j += 1;
        }
        let multi = members.iter().filter(|&&m| phrases[m].len() >= 2).count();
        if multi < 2 {
            i += 1;
            continue;
        }
        // Trailing carried-on lines belong to the table only when they sit under a row.
        while members
            .last()
            .is_some_and(|&m| phrases[m].len() < 2 && m > last_multi)
        {
            members.pop();
        }
        // Columns: the left ends of the phrases, close ones taken as one.
        let mut anchors: Vec<f64> = members
            .iter()
            .flat_map(|&m| phrases[m].iter().map(|p| span(p).0))
            .collect();
        anchors.sort_by(|a, b| a.total_cmp(b));
        let mut cols: Vec<f64> = Vec::new();
        for a in anchors {
            if cols.last().is_none_or(|&c| a - c >= tol) {
                cols.push(a);
            }
        }
        let col_of = |x: f64| cols.iter().rposition(|&c| c <= x + tol).unwrap_or(0);
        let mut rows: Vec<Vec<Vec<Frag>>> = Vec::new();
        for &m in &members {
            if phrases[m].len() >= 2 || rows.is_empty() {
                rows.push(vec![Vec::new(); cols.len()]);
            }
            if let Some(row) = rows.last_mut() {
                for p in &phrases[m] {
                    row[col_of(span(p).0)].extend(p.iter().cloned());
                }
            }
            used[m] = true;
        }
        let confs: Vec<f64> = rows
            .iter()
            .flatten()
            .flatten()
            .filter_map(|f| f.conf.map(f64::from))
            .collect();
        let mut text_rows: Vec<Vec<Cell>> = rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|fs| {
                        let low = fs
                            .iter()
                            .filter(|f| f.conf.is_some_and(|c| c < opts.min_conf))
                            .count();
                        let t = cell_text(fs, opts);
                        if low > 0 {
                            page.illegible_words += low;
                            Cell::Illegible { reading: t }
                        } else if t.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(t)
                        }
                    })
                    .collect()
            })
            .collect();
        drop_empty(&mut text_rows);
        let top = members
            .iter()
            .map(|&m| lines[m].top)
            .fold(f64::INFINITY, f64::min);
        let bottom = members
            .iter()
            .map(|&m| lines[m].bottom)
            .fold(f64::NEG_INFINITY, f64::max);
        let conf = if confs.is_empty() {
            None
        } else {
            Some(confs.iter().sum::<f64>() / confs.len() as f64)
        };
        tables.push((
            LaidTable {
                rows: text_rows,
                conf,
            },
            top,
            bottom,
        ));
        i = members.last().map_or(i + 1, |&m| m + 1);
    }
    let rest = lines
        .into_iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(l, _)| l)
        .collect();
    (tables, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frag(x0: f64, x1: f64, top: f64, text: &str) -> Frag {
        Frag {
            x0,
            x1,
            top,
            bottom: top + 10.0,
            text: text.into(),
            conf: None,
            group: None,
        }
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Rule> {
        vec![
            Rule {
                horizontal: true,
                a: y0,
                b: 0.0,
                lo: x0,
                hi: x1,
            },
            Rule {
                horizontal: true,
                a: y1,
                b: 0.0,
                lo: x0,
                hi: x1,
            },
            Rule {
                horizontal: false,
                a: x0,
                b: 0.0,
                lo: y0,
                hi: y1,
            },
            Rule {
                horizontal: false,
                a: x1,
                b: 0.0,
                lo: y0,
                hi: y1,
            },
        ]
    }

    const TEXT: Options = Options {
        rule_tol: 2.0,
        min_conf: 0.0,
        smudge: 1.0,
    };

    fn text(t: &str) -> Cell {
        Cell::Text(t.into())
    }

    fn doubt(reading: &str) -> Cell {
        Cell::Illegible {
            reading: reading.into(),
        }
    }

    /// Rows of text cells.
    fn texts(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| r.iter().map(|t| text(t)).collect())
            .collect()
    }

    fn lines(page: &PageText) -> Vec<&str> {
        page.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn ruled_cells_with_wrapped_text() {
        let mut rules = Vec::new();
        for (y0, y1) in [(100.0, 120.0), (120.0, 150.0)] {
            rules.extend(rect(50.0, y0, 200.0, y1));
            rules.extend(rect(200.0, y0, 300.0, y1));
        }
        let frags = vec![
            frag(55.0, 90.0, 105.0, "Line"),
            frag(205.0, 240.0, 105.0, "Amount"),
            frag(55.0, 190.0, 122.0, "CAMHS (children and"),
            frag(55.0, 150.0, 136.0, "young people)"),
            frag(205.0, 250.0, 129.0, "£1.2m"),
            frag(50.0, 120.0, 30.0, "Dear Jordan,"),
        ];
        let page = lay_out(frags, &rules, &TEXT, None, None);
        assert_eq!(page.tables.len(), 1);
        assert_eq!(
            page.tables[0].rows,
            texts(&[
                &["Line", "Amount"],
                &["CAMHS (children and young people)", "£1.2m"]
            ])
        );
        assert!(page.lines.iter().all(|l| l.doubtful.is_empty()));
        assert_eq!(
            lines(&page),
            vec![
                "Dear Jordan,",
                "",
                "| Line | Amount |",
                "| CAMHS (children and young people) | £1.2m |"
            ]
        );
    }

    #[test]
    fn columns_without_rules() {
        let frags = vec![
            frag(50.0, 100.0, 100.0, "Year"),
            frag(200.0, 240.0, 100.0, "Budget"),
            frag(50.0, 100.0, 112.0, "2015/16"),
            frag(200.0, 240.0, 112.0, "1,234"),
            frag(50.0, 100.0, 124.0, "2016/17"),
            frag(200.0, 240.0, 124.0, "Not held"),
            frag(50.0, 300.0, 150.0, "Yours sincerely,"),
        ];
        let page = lay_out(frags, &[], &TEXT, None, None);
        assert_eq!(page.tables.len(), 1);
        assert_eq!(
            page.tables[0].rows[2],
            vec![text("2016/17"), text("Not held")]
        );
        assert_eq!(lines(&page).last(), Some(&"Yours sincerely,"));
    }

    #[test]
    fn low_confidence_words_are_marked() {
        let mut a = frag(50.0, 80.0, 100.0, "budget");
        a.conf = Some(95.0);
        let mut b = frag(85.0, 120.0, 100.0, "£3,5O0");
        b.conf = Some(31.0);
        let opts = Options {
            rule_tol: 3.0,
            min_conf: 60.0,
            smudge: 0.3,
        };
        let page = lay_out(vec![a, b], &[], &opts, None, None);
        // The text holds OCR's reading; the doubtful word is a stretch beside it.
        assert_eq!(lines(&page), ["budget £3,5O0"]);
        let line = &page.lines[0];
        assert_eq!(line.doubtful.len(), 1);
        assert_eq!(&line.text[line.doubtful[0].clone()], "£3,5O0");
        assert_eq!(page.illegible_words, 1);
    }

    /// A ruled row, "Total" and one doubtful word, the cell read again through `reread`.
    fn reread_cell(page_reading: &str, reread: Reread) -> PageText {
        let mut label = frag(60.0, 100.0, 110.0, "Total");
        label.conf = Some(95.0);
        let mut f = frag(210.0, 260.0, 110.0, page_reading);
        f.conf = Some(30.0);
        let opts = Options {
            rule_tol: 3.0,
            min_conf: 60.0,
            smudge: 0.9,
        };
        let mut rules = rect(50.0, 100.0, 200.0, 130.0);
        rules.extend(rect(200.0, 100.0, 300.0, 130.0));
        lay_out(vec![label, f], &rules, &opts, None, Some(reread))
    }

    #[test]
    fn a_spoiled_cell_is_taken_from_two_agreeing_readings_of_it_alone() {
        let page = reread_cell("©. 716x", &|_, _, _, _, _| Some(("6,716k".into(), 93.0)));
        assert_eq!(page.tables[0].rows, texts(&[&["Total", "6,716k"]]));
        assert_eq!(page.reread_cells.len(), 1);
        // One letter the page took for another, with a speck beside it.
        let page = reread_cell("x", &|_, _, _, _, _| Some(("Y".into(), 92.0)));
        assert_eq!(page.tables[0].rows, texts(&[&["Total", "Y"]]));
        let page = reread_cell("¥ ‘", &|_, _, _, _, _| Some(("Y".into(), 92.0)));
        assert_eq!(page.tables[0].rows, texts(&[&["Total", "Y"]]));
        // A sign no reply writes is doubtful even when Tesseract was sure of it.
        let mut label = frag(60.0, 100.0, 110.0, "Total");
        label.conf = Some(95.0);
        let mut yen = frag(210.0, 220.0, 110.0, "¥");
        yen.conf = Some(91.0);
        let mut rules = rect(50.0, 100.0, 200.0, 130.0);
        rules.extend(rect(200.0, 100.0, 300.0, 130.0));
        let opts = Options {
            rule_tol: 3.0,
            min_conf: 60.0,
            smudge: 0.9,
        };
        let page = lay_out(
            vec![label.clone(), yen.clone()],
            &rules,
            &opts,
            None,
            Some(&|_, _, _, _, _| Some(("Y".into(), 93.0))),
        );
        assert_eq!(page.tables[0].rows, texts(&[&["Total", "Y"]]));
        let page = lay_out(vec![label, yen], &rules, &opts, None, None);
        assert_eq!(page.tables[0].rows, vec![vec![text("Total"), doubt("¥")]]);
    }

    #[test]
    fn a_spoiled_cell_stays_illegible_when_the_readings_disagree_or_doubt() {
        // The two enlargements disagree.
        let page = reread_cell("©. 716x", &|_, _, _, _, zoom| {
            Some((if zoom == 2 { "6,716k" } else { "5,716k" }.into(), 93.0))
        });
        assert_eq!(
            page.tables[0].rows,
            vec![vec![text("Total"), doubt("©. 716x")]]
        );
        // The row laid out as a line holds the reading, a doubtful stretch of it.
        let row = &page.lines[0];
        assert_eq!(row.text, "| Total | ©. 716x |");
        assert_eq!(
            row.doubtful
                .iter()
                .map(|d| &row.text[d.clone()])
                .collect::<Vec<_>>(),
            ["©. 716x"]
        );
        // Sure, but not the figure the page saw.
        let page = reread_cell("©. 716x", &|_, _, _, _, _| Some(("6,176k".into(), 93.0)));
        assert_eq!(
            page.tables[0].rows,
            vec![vec![text("Total"), doubt("©. 716x")]]
        );
        // A whole doubtful figure is only confirmed, never changed: not "1.234" for "1,234", nor
        // "11,234" with a rule's stub read as a 1.
        for other in ["1.234", "11,234"] {
            let page = reread_cell("1,234", &|_, _, _, _, _| Some((other.into(), 95.0)));
            assert_eq!(
                page.tables[0].rows,
                vec![vec![text("Total"), doubt("1,234")]],
                "{other}"
            );
        }
        // A sign the key would drop: "§,716k" is not confirmed by ", 716k", nor replaced by it.
        let page = reread_cell("§,716k", &|_, _, _, _, _| Some((", 716k".into(), 95.0)));
        assert_eq!(
            page.tables[0].rows,
            vec![vec![text("Total"), doubt("§,716k")]]
        );
        // Agreeing but not sure enough.
        let page = reread_cell("©. 716x", &|_, _, _, _, _| Some(("6,716k".into(), 70.0)));
        assert_eq!(
            page.tables[0].rows,
            vec![vec![text("Total"), doubt("©. 716x")]]
        );
        // No digits on the page, and a reading of another length.
        let page = reread_cell("x", &|_, _, _, _, _| Some(("Yes".into(), 96.0)));
        assert_eq!(page.tables[0].rows, vec![vec![text("Total"), doubt("x")]]);
        // Digits where the page saw none.
        let page = reread_cell("x", &|_, _, _, _, _| Some(("7".into(), 96.0)));
        assert_eq!(page.tables[0].rows, vec![vec![text("Total"), doubt("x")]]);
        assert!(page.reread_cells.is_empty());
    }
}
