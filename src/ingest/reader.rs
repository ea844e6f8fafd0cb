//! One shape for every format's reader: bytes and a name in, a [`Document`] (or, for a
//! container, its own manifest row and its members') or a typed [`ReadError`] out; and one panic
//! guard that every reader runs under, so a reader that gives up on a hostile file fails that
//! file, never the run. The readers' own modules keep their internals; these are thin adapters.

use super::document::{Document, Format, Sheet, TextBlock};
use super::limits::Limits;
use super::{
    FileStatus, Ingested, delimited, docx, eml, html, odt, pdf, spreadsheet, text, text_table, zip,
};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// What a reader is handed: one file's bytes and where they came from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Relative to the round folder; zip and e-mail members as `a.zip!member`.
    pub path: &'a str,
    /// The thread folder the file sits in, if any.
    pub thread: Option<&'a str>,
    pub bytes: &'a [u8],
    /// The format told from the bytes.
    pub format: Format,
    /// How many zips (or e-mails) the file sits in.
    pub depth: usize,
    /// What one file may cost: the round's limits, handed to every reader with its bytes.
    pub limits: &'a Limits,
}

impl Input<'_> {
    /// A document of this file holding what its reader found.
    pub fn document(&self, sheets: Vec<Sheet>, texts: Vec<TextBlock>) -> Document {
        Document {
            source: self.path.to_owned(),
            thread: self.thread.map(str::to_owned),
            format: self.format,
            sheets,
            texts,
        }
    }
}

/// A file read into one document.
#[derive(Debug)]
pub struct FileReading {
    pub document: Document,
    /// `Parsed`, or `Partial` when something in it was left unread.
    pub status: FileStatus,
    /// For the manifest: what was read, and what was not.
    pub reason: String,
    /// The reading met a failure the next run may not meet (OCR timed out): not cached.
    pub transient: bool,
}

/// What a reader gives back.
#[derive(Debug)]
pub enum Read {
    /// An ordinary file: one document.
    Document(FileReading),
    /// A container (zip, e-mail): its own manifest row first, then its members' rows, each
    /// member read through [`super::ingest_bytes`] and so under the same guard.
    Rows(Vec<Ingested>),
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Spreadsheet(String),
    #[error("line {line}: {message}")]
    Delimited { line: u64, message: String },
    #[error("{0}")]
    Document(String),
    #[error("{0}")]
    Pdf(String),
    #[error("password-protected Office file: cannot be read without its password")]
    Encrypted,
    #[error("empty file (0 bytes)")]
    Empty,
    #[error("format not recognised from its bytes")]
    Unrecognised,
    #[error("the {format} reader gave up on it (it panicked: {message}): not read")]
    Panicked {
        format: &'static str,
        message: String,
    },
}

impl ReadError {
    /// The manifest status of a file that could not be read: a format we do not read is
    /// `ignored`, everything else `failed`.
    pub fn status(&self) -> FileStatus {
        match self {
            ReadError::Unrecognised => FileStatus::Ignored,
            _ => FileStatus::Failed,
        }
    }

    /// The manifest reason: a reader's own message names the file it is about.
    pub fn reason(&self, path: &str) -> String {
        match self {
            ReadError::Encrypted | ReadError::Empty | ReadError::Unrecognised => self.to_string(),
            _ => format!("{path}: {self}"),
        }
    }
}

/// A reader of one or more formats.
pub trait Reader: Sync {
    fn read(&self, input: &Input) -> Result<Read, ReadError>;
}

/// The reader of each format this project reads.
pub type Readers = fn(Format) -> &'static dyn Reader;

/// The readers `foi` uses.
pub fn standard(format: Format) -> &'static dyn Reader {
    match format {
        Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods => &SpreadsheetReader,
        Format::Csv => &DelimitedReader,
        Format::Text => &TextReader,
        Format::Correspondence => &CorrespondenceReader,
        Format::Docx => &DocxReader,
        Format::Odt => &OdtReader,
        Format::Html => &HtmlReader,
        Format::Pdf => &PdfReader,
        Format::Eml => &EmlReader,
        Format::Zip => &ZipReader,
        Format::Encrypted | Format::Empty | Format::Unknown => &Unreadable,
    }
}

/// Run `reader` on `input` under the panic guard: a panic becomes [`ReadError::Panicked`].
pub fn guarded(reader: &dyn Reader, input: &Input) -> Result<Read, ReadError> {
    match catch_unwind(AssertUnwindSafe(|| reader.read(input))) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            Err(ReadError::Panicked {
                format: input.format.as_str(),
                message,
            })
        }
    }
}

fn parsed(document: Document, reason: String) -> Read {
    Read::Document(FileReading {
        document,
        status: FileStatus::Parsed,
        reason,
        transient: false,
    })
}

/// Excel (xlsx, xlsb, xls) and OpenDocument spreadsheets.
pub struct SpreadsheetReader;

impl Reader for SpreadsheetReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        let (sheets, problems) = spreadsheet::read(input.bytes, input.format, input.limits)
            .map_err(ReadError::Spreadsheet)?;
        let hidden: Vec<&str> = sheets
            .iter()
            .filter(|s| s.hidden)
            .map(|s| s.name.as_str())
            .collect();
        let mut notes = problems.clone();
        if !hidden.is_empty() {
            notes.push(format!(
                "hidden sheet(s) not read as answers: {}",
                hidden.join(", ")
            ));
        }
        let status = if problems.is_empty() {
            FileStatus::Parsed
        } else {
            FileStatus::Partial
        };
        Ok(Read::Document(FileReading {
            document: input.document(sheets, Vec::new()),
            status,
            reason: notes.join("; "),
            transient: false,
        }))
    }
}

/// CSV and other delimited text, in any encoding.
pub struct DelimitedReader;

impl Reader for DelimitedReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        let (text, encoding) = text::decode(input.bytes);
        match delimited::read(&text) {
            Ok(sheet) => Ok(parsed(
                input.document(vec![sheet], Vec::new()),
                format!("encoding {encoding}"),
            )),
            Err(e) => Err(ReadError::Delimited {
                line: e.position().map(|p| p.line()).unwrap_or(0),
                message: e.to_string(),
            }),
        }
    }
}

/// Plain text: its lines, and any tables drawn in it.
pub struct TextReader;

impl Reader for TextReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        let (text, encoding) = text::decode(input.bytes);
        let blocks = vec![text::lines(&text)];
        Ok(parsed(
            input.document(text_table::sheets(&blocks), blocks),
            format!("encoding {encoding}"),
        ))
    }
}

/// A thread's `correspondence.txt`: its messages, and any tables drawn in them.
pub struct CorrespondenceReader;

impl Reader for CorrespondenceReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        let (text, _) = text::decode(input.bytes);
        let blocks = super::thread::thread(text::correspondence(&text));
        Ok(parsed(
            input.document(text_table::sheets(&blocks), blocks),
            String::new(),
        ))
    }
}

/// What the docx, odt and html modules each offer: a letter's tables and paragraphs, or why not.
type LetterReader<'a> = &'a dyn Fn(&[u8]) -> Result<(Vec<Sheet>, Vec<TextBlock>), String>;

/// A letter (Word, OpenDocument text, a saved web page): its tables, its paragraphs, and any
/// tables drawn in its paragraphs.
fn letter(input: &Input, read: LetterReader) -> Result<Read, ReadError> {
    let (mut sheets, texts) = read(input.bytes).map_err(ReadError::Document)?;
    let reason = super::document_summary(&sheets, &texts);
    sheets.extend(text_table::sheets(&texts));
    Ok(parsed(input.document(sheets, texts), reason))
}

/// Word documents (.docx).
pub struct DocxReader;

impl Reader for DocxReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        letter(input, &|b| docx::read(b, input.limits))
    }
}

/// OpenDocument text (.odt).
pub struct OdtReader;

impl Reader for OdtReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        letter(input, &|b| odt::read(b, input.limits))
    }
}

/// Saved web pages.
pub struct HtmlReader;

impl Reader for HtmlReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        letter(input, &html::read)
    }
}

/// PDFs, scanned pages read by OCR.
pub struct PdfReader;

impl Reader for PdfReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        let read = pdf::read(input.bytes).map_err(ReadError::Pdf)?;
        let status = if read.incomplete {
            FileStatus::Partial
        } else {
            FileStatus::Parsed
        };
        let mut sheets = read.sheets;
        sheets.extend(text_table::sheets(&read.texts));
        let reason = read.notes.join("; ");
        Ok(Read::Document(FileReading {
            document: input.document(sheets, read.texts),
            status,
            reason,
            transient: read.transient,
        }))
    }
}

/// Saved e-mails: the message, then each attachment as a file of its own.
pub struct EmlReader;

impl Reader for EmlReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        Ok(Read::Rows(eml::ingest(input)))
    }
}

/// Zip archives: each member as a file of its own.
pub struct ZipReader;

impl Reader for ZipReader {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        Ok(Read::Rows(zip::ingest(input)))
    }
}

/// What the bytes say cannot be read: a password-protected Office file, an empty file, a format
/// not recognised.
pub struct Unreadable;

impl Reader for Unreadable {
    fn read(&self, input: &Input) -> Result<Read, ReadError> {
        Err(match input.format {
            Format::Encrypted => ReadError::Encrypted,
            Format::Empty => ReadError::Empty,
            _ => ReadError::Unrecognised,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that panics, standing for a parser that gives up on a hostile file.
    struct Panics;

    impl Reader for Panics {
        fn read(&self, _: &Input) -> Result<Read, ReadError> {
            panic!("index out of bounds (a test reader)")
        }
    }

    /// The standard readers, except that CSV files meet the panicking reader.
    fn csv_panics(format: Format) -> &'static dyn Reader {
        match format {
            Format::Csv => &Panics,
            f => standard(f),
        }
    }

    #[test]
    fn a_panicking_reader_fails_its_file_and_the_round_is_still_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let thread = dir.path().join("responses/t1");
        std::fs::create_dir_all(&thread).expect("mkdir");
        std::fs::write(thread.join("answers.csv"), "Question,Answer\nQ1,Yes\n").expect("write");
        std::fs::write(
            thread.join("correspondence.txt"),
            "From: a@b.nhs.uk\nSubject: FOI\n\nDear requester,\nQ1 Yes\n",
        )
        .expect("write");
        std::fs::write(thread.join("letter.txt"), "Q1 Yes\n").expect("write");
        let (rows, counts) = super::super::ingest_round_with(
            dir.path(),
            &Limits::default(),
            None,
            &|| {},
            csv_panics,
        )
        .expect("the round is read");
        assert_eq!(counts.files, 3);
        let csv = rows
            .iter()
            .find(|r| r.entry.path == "responses/t1/answers.csv")
            .expect("csv row");
        assert_eq!(csv.entry.status, FileStatus::Failed);
        assert!(csv.document.is_none());
        assert!(
            csv.entry.reason.contains(
                "the csv reader gave up on it (it panicked: index out of bounds (a test reader))"
            ),
            "{}",
            csv.entry.reason
        );
        let others: Vec<_> = rows
            .iter()
            .filter(|r| r.entry.path != "responses/t1/answers.csv")
            .collect();
        assert_eq!(others.len(), 2);
        assert!(
            others
                .iter()
                .all(|r| r.entry.status == FileStatus::Parsed && r.document.is_some())
        );
    }

    #[test]
    fn unreadable_formats_keep_their_manifest_wording() {
        let input = |bytes: &'static [u8], format| Input {
            path: "x",
            thread: None,
            bytes,
            format,
            depth: 0,
            limits: &Limits::DEFAULT,
        };
        let e = guarded(standard(Format::Empty), &input(b"", Format::Empty)).expect_err("empty");
        assert_eq!(
            (e.status(), e.reason("x")),
            (FileStatus::Failed, "empty file (0 bytes)".to_owned())
        );
        let e = guarded(
            standard(Format::Unknown),
            &input(b"\x00\x01", Format::Unknown),
        )
        .expect_err("unknown");
        assert_eq!(
            (e.status(), e.reason("x")),
            (
                FileStatus::Ignored,
                "format not recognised from its bytes".to_owned()
            )
        );
    }
}
