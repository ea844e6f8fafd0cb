//! Extract: find, in every grid and text of a reply, the cells and phrases that answer the
//! schema's fields, with the field, period and body they answer for and where they sit.

pub mod prose;
pub mod table;
pub mod units;

use crate::ingest::Document;
use crate::ingest::document::Legibility;
use crate::register::Register;
use crate::schema::Schema;

/// One answer found in a reply, still as written.
#[derive(Debug, Clone)]
pub struct Found {
    /// A body the answer's own row or column names (a joint reply); `None`: the reply's body.
    pub body: Option<String>,
    pub field: String,
    pub period: String,
    /// The answer as written; where `legibility` is doubtful, OCR's reading of it ("" for a
    /// smudged cell nothing was read from).
    pub raw: String,
    /// Whether the scan showed `raw` clearly: a doubtful reading is found like any answer (a
    /// person must look at it) but standardise never takes it at its word.
    pub legibility: Legibility,
    /// A "£000s"-style multiplier from the headings, 1 where none.
    pub scale: f64,
    pub source: String,
    pub location: String,
    /// The rule that found it, e.g. `table:template`, `prose:sentence`.
    pub rule: String,
    /// Found on a "Total ..." line: preferred over the component lines of the same block.
    pub is_total: bool,
    /// Answers in one block compete for the same cell; a total beats its components.
    pub block: Block,
}

/// Where in its document an answer was found, so that answers of one place compete for a cell:
/// a block of a sheet's rows, or one answer unit of a text. Every table block sorts before
/// every text unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Block {
    /// Block `block` (rows between empty rows or headings) of the document's sheet `sheet`.
    Rows { sheet: usize, block: usize },
    /// The answer unit starting at line `line` of the document's text block `text`.
    Unit { text: usize, line: usize },
}

impl Found {
    /// The answer as a person is shown it (evidence, provenance): `raw`, a doubtful reading
    /// marked as one (see `Legibility::show`).
    pub fn as_written(&self) -> String {
        self.legibility.show(&self.raw)
    }
}

/// What a whole reply says beside its answers (a refusal of the whole request, "not held").
#[derive(Debug, Clone)]
pub struct ReplyNote {
    pub source: String,
    pub location: String,
    pub status: crate::observation::Status,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Extracted {
    pub found: Vec<Found>,
    pub notes: Vec<ReplyNote>,
}

/// Everything one document answers.
pub fn extract(doc: &Document, schema: &Schema, register: &Register) -> Extracted {
    extract_with(doc, schema, register, &prose::Numbering::default())
}

/// Everything one document answers, knowing the questionnaire's numbering (which field its
/// question 2 asks about: see `prose::numbering`), so that "2b. 2016/17: Not held" in a letter
/// that never restates the question is read.
pub fn extract_with(
    doc: &Document,
    schema: &Schema,
    register: &Register,
    numbering: &prose::Numbering,
) -> Extracted {
    let mut out = Extracted::default();
    for (i, sheet) in doc.sheets.iter().enumerate() {
        if sheet.hidden {
            continue;
        }
        out.found.extend(table::extract_sheet(
            sheet,
            i,
            &doc.source,
            schema,
            register,
        ));
    }
    if !doc.texts.is_empty() {
        let prose = prose::extract_texts(doc, schema, numbering);
        out.found.extend(prose.found);
        out.notes.extend(prose.notes);
    }
    out
}
