//! What every reader hands to extract, whatever the format: grids of cells and blocks of text
//! lines, each able to say where a piece of it sits in the original file. Serialisable, so the
//! ingest cache can keep a file's reading between runs.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One cell of a grid, as the file stored it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A scanned cell OCR read with low confidence, or a smudge over it: `reading` is what OCR
    /// made of it ("" where nothing could be read). Whatever it seems to say, it is never taken
    /// at its word: a person must look at the scan.
    Illegible {
        reading: String,
    },
}

impl Cell {
    /// The cell as text: numbers without a trailing ".0"; OCR's reading of a doubtful cell (so
    /// labels and headings read from a scan still name what they seem to).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Illegible { reading: s } => s.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
        }
    }

    /// A doubtful cell is never empty, even a smudge nothing was read from: something is
    /// written there, and a person must look.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) | Cell::Illegible { .. } => false,
        }
    }

    /// How clearly the file showed the cell.
    pub fn legibility(&self) -> Legibility {
        match self {
            Cell::Illegible { .. } => Legibility::Doubtful,
            _ => Legibility::Clear,
        }
    }
}

/// How clearly a file showed a piece of text. Everything typed, and OCR read with confidence,
/// is `Clear`; OCR's low-confidence reading of a word or a cell, or a smudged cell, is
/// `Doubtful`: extract still finds the answer there, and standardise reads it as unclear, never
/// as what it seems to say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Legibility {
    #[default]
    Clear,
    Doubtful,
}

impl Legibility {
    /// `text` as a person is shown it in evidence and provenance: a doubtful reading in square
    /// brackets after the word "illegible" (just "[illegible]" where nothing was read), so a
    /// reader of the outputs sees it was not taken at its word. Only ever shown, never read back.
    pub fn show(self, text: &str) -> String {
        match self {
            Legibility::Clear => text.to_owned(),
            Legibility::Doubtful if text.is_empty() => "[illegible]".to_owned(),
            Legibility::Doubtful => format!("[illegible: {text}]"),
        }
    }
}

/// A grid: a worksheet, a CSV file, or a table in a document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sheet {
    /// The sheet's name; empty for a CSV file; "table 2" for a document's table.
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<Cell>>,
    /// For a table inside a document: the page or paragraph it sits at.
    pub place: String,
}

/// Spreadsheet column letters: 0 -> A, 26 -> AA.
pub fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Sheet {
    /// A sheet named `name` from rows of text cells ("" for an empty cell), for tests.
    #[cfg(test)]
    pub fn from_text_rows(name: &str, rows: &[&[&str]]) -> Sheet {
        let cell = |t: &&str| {
            if t.is_empty() {
                Cell::Empty
            } else {
                Cell::Text((*t).into())
            }
        };
        Sheet {
            name: name.into(),
            hidden: false,
            rows: rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
            place: String::new(),
        }
    }

    pub fn get(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }

    /// `Sheet!B3` for a worksheet, `B3` for a CSV, `table 2 r3c2 (page 1)` for a document table.
    pub fn location(&self, row: usize, col: usize) -> String {
        let a1 = format!("{}{}", column_letters(col), row + 1);
        if self.name.is_empty() {
            a1
        } else if self.place.is_empty() {
            format!("{}!{a1}", self.name)
        } else {
            format!("{} r{}c{} ({})", self.name, row + 1, col + 1, self.place)
        }
    }
}

/// One line of text and where it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    /// 1-based line number in the file (or in the page).
    pub number: usize,
    pub page: Option<usize>,
    /// The words as read; OCR's reading of its doubtful words too (see `doubtful`).
    pub text: String,
    /// The stretches of `text` (byte ranges) OCR read with low confidence: runs of doubtful
    /// words, or in a table row laid out as a line (`| a | b |`) a doubtful cell, an empty range
    /// where a smudged cell showed nothing. Empty for every line not read by OCR. Extract reads
    /// a value taken from one of them as doubtful (`Legibility::Doubtful`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubtful: Vec<Range<usize>>,
}

impl Line {
    /// A line read with confidence: typed, or a text layer.
    pub fn new(number: usize, page: Option<usize>, text: String) -> Line {
        Line {
            number,
            page,
            text,
            doubtful: Vec::new(),
        }
    }
}

/// Who wrote a block of text. Only the body's own words are evidence of an answer: the
/// request, quoted or not, never is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Role {
    /// The person who asked: the request, a chaser, the request quoted below a reply.
    Requester,
    /// The public body answering: its messages, letters and attachments.
    Body,
    /// Not known (a page or document with no sign of its author).
    #[default]
    Unknown,
}

/// A run of text lines: an e-mail message, a page, a document's body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextBlock {
    /// E-mail headers where the block is a message (From, To, Subject, Date).
    pub headers: Vec<(String, String)>,
    pub lines: Vec<Line>,
    /// Who wrote it: set by the thread model (`ingest::thread`) for messages and pasted pages.
    #[serde(default)]
    pub role: Role,
}

impl TextBlock {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The formats a reader can be chosen for, told from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
    Text,
    Correspondence,
    Docx,
    Odt,
    Pdf,
    Eml,
    Html,
    Zip,
    /// A password-protected Office file (an OLE container holding an encrypted package).
    Encrypted,
    Empty,
    Unknown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Text => "txt",
            Format::Correspondence => "correspondence",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Pdf => "pdf",
            Format::Eml => "eml",
            Format::Html => "html",
            Format::Zip => "zip",
            Format::Encrypted => "encrypted-office",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        }
    }
}

/// One file read: its grids and its text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to the round folder; a zip member is `a.zip!inner/file.xlsx`.
    pub source: String,
    /// The thread folder under `responses/` it came from; `None` for a loose file.
    pub thread: Option<String>,
    pub format: Format,
    pub sheets: Vec<Sheet>,
    pub texts: Vec<TextBlock>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
    }
}
