//! What the word-processor and web-page readers (docx, odt, html) share: paragraphs and tables
//! arriving in document order, turned into the one text block and the grids extract reads, so
//! that each reader only has to say what its markup means.
//!
//! The text block holds the body's paragraphs, numbered 1, 2, ... in order; a table's own
//! paragraphs are not among them. A line break inside a paragraph starts a new line with the same
//! number, and a blank line (again with the same number) closes every paragraph that holds text,
//! so a reader of text blocks sees paragraph ends as it does in plain text. Each top-level table
//! becomes a sheet "table N" placed "after paragraph K"; a table inside a cell or inside a
//! paragraph (a text box) is flattened into the text around it.

use super::document::{Cell, Line, Sheet, TextBlock};

/// The most columns one table row may spread over; spans beyond it are cut.
pub const MAX_COLS: usize = 1_000;
/// The most rows one span or repeat may fill.
pub const MAX_REPEAT_ROWS: usize = 1_000;
/// The most cells one table may hold; rows beyond it are not kept.
pub const MAX_CELLS: usize = 2_000_000;

/// A paragraph being read: its lines so far (split at line breaks).
#[derive(Default)]
struct Para {
    segments: Vec<String>,
}

/// A cell being read.
struct OpenCell {
    /// Its paragraphs' text, each already joined on one line.
    paragraphs: Vec<String>,
    cols: usize,
    rows: usize,
    /// A cell that continues a merge from above or the left: empty whatever it holds.
    blank: bool,
}

/// A top-level table being read.
struct OpenTable {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    cell: Option<OpenCell>,
    /// For each column, how many more rows a cell from above still covers (row spans).
    carry: Vec<usize>,
    /// Columns covered by a span from above in the row being read.
    covered: Vec<bool>,
    /// One past the last column any cell with text covers: rows are cut to it at the end.
    width: usize,
    /// Cells kept so far, against [`MAX_CELLS`].
    cells: usize,
    name: String,
    place: String,
}

impl OpenTable {
    /// Fill the columns a span from above covers at the row's current end.
    fn skip_covered(&mut self) {
        let Some(row) = self.row.as_mut() else { return };
        while row.len() < MAX_COLS && self.covered.get(row.len()).copied().unwrap_or(false) {
            row.push(Cell::Empty);
        }
    }
}

enum Table {
    /// A top-level table: becomes a sheet.
    Grid(Box<OpenTable>),
    /// A table inside a cell or a paragraph: its text goes to what holds it.
    Flat,
}

/// Builds the text block and sheets of one document from events in document order.
pub struct Layout {
    lines: Vec<Line>,
    /// Body paragraphs finished so far.
    paragraphs: usize,
    para: Option<Para>,
    /// Paragraphs open inside one another (a text box inside a paragraph).
    depth: usize,
    tables: Vec<Table>,
    sheets: Vec<Sheet>,
    /// Keep paragraphs with no text (Word's empty paragraphs are real lines; HTML's are not).
    keep_empty: bool,
}

impl Layout {
    pub fn new(keep_empty: bool) -> Self {
        Layout {
            lines: Vec::new(),
            paragraphs: 0,
            para: None,
            depth: 0,
            tables: Vec::new(),
            sheets: Vec::new(),
            keep_empty,
        }
    }

    /// A paragraph starts; inside another it is a line break in that one.
    pub fn begin_paragraph(&mut self) {
        if self.depth > 0 {
            self.line_break();
        } else {
            self.para = Some(Para {
                segments: vec![String::new()],
            });
        }
        self.depth += 1;
    }

    /// A paragraph ends; no-op when none is open.
    pub fn end_paragraph(&mut self) {
        match self.depth {
            0 => {}
            1 => {
                self.depth = 0;
                let para = self.para.take().unwrap_or_default();
                self.finish_paragraph(para);
            }
            _ => {
                self.depth -= 1;
                self.line_break();
            }
        }
    }

    /// Text of the current paragraph (opened here when none is).
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.depth == 0 {
            self.begin_paragraph();
        }
        if let Some(seg) = self.para.as_mut().and_then(|p| p.segments.last_mut()) {
            seg.push_str(text);
        }
    }

    /// Does the current line end in whitespace (or is nothing written on it yet)?
    pub fn at_space(&self) -> bool {
        match self.para.as_ref().and_then(|p| p.segments.last()) {
            Some(seg) => seg.is_empty() || seg.ends_with(char::is_whitespace),
            None => true,
        }
    }

    /// A line break inside the current paragraph (opened here when none is).
    pub fn line_break(&mut self) {
        if self.depth == 0 {
            self.begin_paragraph();
        }
        if let Some(p) = self.para.as_mut() {
            p.segments.push(String::new());
        }
    }

    fn finish_paragraph(&mut self, para: Para) {
        let mut segments: Vec<String> = para
            .segments
            .into_iter()
            .map(|s| s.trim_end().to_owned())
            .collect();
        while segments.last().is_some_and(|s| s.trim().is_empty()) {
            segments.pop();
        }
        if segments.is_empty() && !self.keep_empty {
            return;
        }
        // Inside a top-level table: the cell's text.
        if let Some(Table::Grid(grid)) = self.tables.first_mut()
            && let Some(cell) = grid.cell.as_mut()
        {
            let text = segments
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !text.is_empty() {
                cell.paragraphs.push(text);
            }
            return;
        }
        // A paragraph of the body (or stray text in a table outside any cell).
        self.paragraphs += 1;
        let number = self.paragraphs;
        for s in segments {
            self.lines.push(Line::new(number, None, s));
        }
        self.lines.push(Line::new(number, None, String::new()));
    }

    /// A table starts: a sheet when it stands in the body, flattened when inside a cell or a
    /// paragraph.
    pub fn begin_table(&mut self) {
        if !self.tables.is_empty() || self.depth > 0 {
            self.tables.push(Table::Flat);
            return;
        }
        let n = self.sheets.len() + 1;
        let place = if self.paragraphs == 0 {
            "before paragraph 1".to_owned()
        } else {
            format!("after paragraph {}", self.paragraphs)
        };
        self.tables.push(Table::Grid(Box::new(OpenTable {
            rows: Vec::new(),
            row: None,
            cell: None,
            carry: Vec::new(),
            covered: Vec::new(),
            width: 0,
            cells: 0,
            name: format!("table {n}"),
            place,
        })));
    }

    /// The top-level table, when events are about its own rows and cells.
    fn grid(&mut self) -> Option<&mut OpenTable> {
        match self.tables.as_mut_slice() {
            [Table::Grid(g)] => Some(g),
            _ => None,
        }
    }

    pub fn end_table(&mut self) {
        if self.tables.len() == 1 {
            self.end_row();
        }
        if let Some(Table::Grid(grid)) = self.tables.pop() {
            let mut rows = grid.rows;
            // Empty rows and columns a writer repeated to fill the page: not part of the table.
            while rows.last().is_some_and(|r| r.iter().all(Cell::is_empty)) {
                rows.pop();
            }
            for row in &mut rows {
                row.truncate(grid.width);
            }
            self.sheets.push(Sheet {
                name: grid.name,
                hidden: false,
                rows,
                place: grid.place,
            });
        }
    }

    pub fn begin_row(&mut self) {
        if self.grid().is_none() {
            return;
        }
        self.end_row();
        if let Some(g) = self.grid() {
            g.covered = g.carry.iter().map(|&n| n > 0).collect();
            for n in g.carry.iter_mut() {
                *n = n.saturating_sub(1);
            }
            g.row = Some(Vec::new());
        }
    }

    pub fn end_row(&mut self) {
        self.end_row_repeated(1);
    }

    /// The open row ends, `repeat` times over (OpenDocument's repeated rows).
    pub fn end_row_repeated(&mut self, repeat: usize) {
        self.end_cell();
        if let Some(g) = self.grid()
            && let Some(row) = g.row.take()
        {
            for _ in 0..repeat.clamp(1, MAX_REPEAT_ROWS) {
                if g.cells + row.len() > MAX_CELLS {
                    break;
                }
                g.cells += row.len().max(1);
                g.rows.push(row.clone());
            }
        }
    }

    /// Empty cells at the start of the row (Word's `gridBefore`).
    pub fn skip_columns(&mut self, n: usize) {
        if let Some(g) = self.grid()
            && let Some(row) = g.row.as_mut()
        {
            let n = n.min(MAX_COLS.saturating_sub(row.len()));
            row.extend(std::iter::repeat_n(Cell::Empty, n));
        }
    }

    pub fn begin_cell(&mut self) {
        if self.grid().is_none() {
            return;
        }
        self.end_cell();
        if self.grid().is_some_and(|g| g.row.is_none()) {
            self.begin_row();
        }
        if let Some(g) = self.grid() {
            g.cell = Some(OpenCell {
                paragraphs: Vec::new(),
                cols: 1,
                rows: 1,
                blank: false,
            });
        }
    }

    /// How many columns and rows the open cell covers.
    pub fn cell_span(&mut self, cols: usize, rows: usize) {
        if let Some(cell) = self.grid().and_then(|g| g.cell.as_mut()) {
            cell.cols = cols.clamp(1, MAX_COLS);
            cell.rows = rows.clamp(1, MAX_REPEAT_ROWS);
        }
    }

    /// The open cell continues a merge: it is empty whatever it holds.
    pub fn cell_blank(&mut self) {
        if let Some(cell) = self.grid().and_then(|g| g.cell.as_mut()) {
            cell.blank = true;
        }
    }

    /// The open cell ends, `repeat` times over (OpenDocument's repeated cells).
    pub fn end_cell_repeated(&mut self, repeat: usize) {
        // A paragraph left open inside the cell (tolerated in HTML) belongs to it.
        if self.grid().is_some_and(|g| g.cell.is_some()) {
            while self.depth > 0 {
                self.end_paragraph();
            }
        }
        let Some(g) = self.grid() else { return };
        let Some(cell) = g.cell.take() else { return };
        g.skip_covered();
        let Some(row) = g.row.as_mut() else { return };
        let text = cell.paragraphs.join(" ");
        let value = if cell.blank || text.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        };
        for _ in 0..repeat.max(1) {
            let start = row.len();
            if start >= MAX_COLS {
                break;
            }
            row.push(value.clone());
            let cols = cell.cols.min(MAX_COLS - start);
            row.extend(std::iter::repeat_n(Cell::Empty, cols - 1));
            if value != Cell::Empty {
                g.width = g.width.max(start + cols);
            }
            if cell.rows > 1 {
                if g.carry.len() < start + cols {
                    g.carry.resize(start + cols, 0);
                }
                for n in &mut g.carry[start..start + cols] {
                    *n = (*n).max(cell.rows - 1);
                }
            }
        }
    }

    /// Drop the open cell: it added nothing to the row.
    pub fn discard_cell(&mut self) {
        if let Some(g) = self.grid() {
            g.cell = None;
        }
    }

    pub fn end_cell(&mut self) {
        self.end_cell_repeated(1);
    }

    /// Everything read: the sheets, and the body's text as one block.
    pub fn finish(mut self) -> (Vec<Sheet>, Vec<TextBlock>) {
        while self.depth > 0 {
            self.end_paragraph();
        }
        while !self.tables.is_empty() {
            self.end_table();
        }
        (
            self.sheets,
            vec![TextBlock {
                headers: Vec::new(),
                lines: self.lines,
                role: Default::default(),
            }],
        )
    }
}
