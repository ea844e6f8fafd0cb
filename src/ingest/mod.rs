//! Ingest: every file under `responses/` (zip members included) read into a [`Document`], its
//! format told from its bytes, and a manifest row saying what became of it and why.

pub mod delimited;
pub mod docx;
pub mod document;
pub mod eml;
pub mod html;
pub mod layout;
pub mod odt;
pub mod pdf;
pub mod limits;
pub mod sniff;
pub mod spreadsheet;
pub mod text;
pub mod text_table;
pub mod zip;

pub use document::{Cell, Document, Format, Sheet, TextBlock};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: {message}")]
    Spreadsheet { file: String, message: String },
    #[error("{file}: line {line}: {message}")]
    Delimited { file: String, line: u64, message: String },
    #[error("{file}: {message}")]
    Archive { file: String, message: String },
    #[error("{file}: {message}")]
    Document { file: String, message: String },
    #[error("{file}: {message}")]
    Pdf { file: String, message: String },
}

/// What became of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileStatus {
    Parsed,
    Partial,
    Failed,
    Ignored,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Parsed => "parsed",
            FileStatus::Partial => "partial",
            FileStatus::Failed => "failed",
            FileStatus::Ignored => "ignored",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ManifestEntry {
    /// Relative to the round folder; zip members as `a.zip!member`.
    pub path: String,
    pub blake3: String,
    pub bytes: u64,
    pub format: Format,
    pub status: FileStatus,
    pub reason: String,
}

/// One input file, read or not.
#[derive(Debug)]
pub struct Ingested {
    pub entry: ManifestEntry,
    pub document: Option<Document>,
}

/// Every regular file below `dir`, sorted, relative to `base`. Symbolic links are not followed.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let ft = e.file_type()?;
        if ft.is_dir() {
            walk(&e.path(), out)?;
        } else {
            out.push(e.path());
        }
    }
    Ok(())
}

/// Read every file of a round's `responses/` folder, in parallel, in a fixed order.
pub fn ingest_round(round_dir: &Path, progress: &(dyn Fn() + Sync)) -> Result<(Vec<Ingested>, usize), IngestError> {
    let responses = round_dir.join("responses");
    let mut files = Vec::new();
    walk(&responses, &mut files).map_err(|source| IngestError::Io { file: responses.display().to_string(), source })?;
    let total = files.len();
    let results: Vec<Vec<Ingested>> = files
        .par_iter()
        .map(|path| {
            let rel = path.strip_prefix(round_dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
            let thread = thread_of(path.strip_prefix(&responses).unwrap_or(path));
            let out = match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => vec![skipped(&rel, "a symbolic link: not followed")],
                Ok(m) if m.len() > limits::current().max_file_bytes => {
                    vec![skipped(&rel, &format!("file of {} bytes is over the limit of {} (max_file_bytes): not read", m.len(), limits::current().max_file_bytes))]
                }
                Ok(_) => match std::fs::read(path) {
                    Ok(bytes) => ingest_bytes(&rel, thread.as_deref(), &bytes, 0),
                    Err(e) => vec![failed(&rel, &[], Format::Unknown, &IngestError::Io { file: rel.clone(), source: e })],
                },
                Err(e) => vec![failed(&rel, &[], Format::Unknown, &IngestError::Io { file: rel.clone(), source: e })],
            };
            progress();
            out
        })
        .collect();
    Ok((results.into_iter().flatten().collect(), total))
}

/// The thread folder a file sits in: the first folder below `responses/`.
fn thread_of(rel: &Path) -> Option<String> {
    let mut parts = rel.components();
    let first = parts.next()?;
    parts.next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

fn entry(path: &str, bytes: &[u8], format: Format, status: FileStatus, reason: impl Into<String>) -> ManifestEntry {
    ManifestEntry {
        path: path.to_owned(),
        blake3: blake3::hash(bytes).to_hex().to_string(),
        bytes: bytes.len() as u64,
        format,
        status,
        reason: reason.into(),
    }
}

fn failed(path: &str, bytes: &[u8], format: Format, err: &IngestError) -> Ingested {
    Ingested { entry: entry(path, bytes, format, FileStatus::Failed, err.to_string()), document: None }
}

fn skipped(path: &str, reason: &str) -> Ingested {
    Ingested { entry: entry(path, &[], Format::Unknown, FileStatus::Ignored, reason), document: None }
}

/// "2 table(s), 14 paragraph(s)": what a document reader found, for the manifest.
fn document_summary(sheets: &[Sheet], texts: &[TextBlock]) -> String {
    let mut numbers: Vec<usize> = texts.iter().flat_map(|t| &t.lines).filter(|l| !l.text.trim().is_empty()).map(|l| l.number).collect();
    numbers.dedup();
    format!("{} table(s), {} paragraph(s) with text", sheets.len(), numbers.len())
}

/// Read one file's bytes (`depth` counts the zips it sits in).
pub fn ingest_bytes(path: &str, thread: Option<&str>, bytes: &[u8], depth: usize) -> Vec<Ingested> {
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    let format = sniff::sniff(bytes, name);
    let doc = |sheets: Vec<Sheet>, texts: Vec<TextBlock>| Document {
        source: path.to_owned(),
        thread: thread.map(str::to_owned),
        format,
        sheets,
        texts,
    };
    let ok = |d: Document, status: FileStatus, reason: String| {
        vec![Ingested { entry: entry(path, bytes, format, status, reason), document: Some(d) }]
    };
    match format {
        Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods => match spreadsheet::read(bytes, format) {
            Ok((sheets, problems)) => {
                let hidden: Vec<&str> = sheets.iter().filter(|s| s.hidden).map(|s| s.name.as_str()).collect();
                let mut notes = problems.clone();
                if !hidden.is_empty() {
                    notes.push(format!("hidden sheet(s) not read as answers: {}", hidden.join(", ")));
                }
                let status = if problems.is_empty() { FileStatus::Parsed } else { FileStatus::Partial };
                ok(doc(sheets, Vec::new()), status, notes.join("; "))
            }
            Err(message) => vec![failed(path, bytes, format, &IngestError::Spreadsheet { file: path.to_owned(), message })],
        },
        Format::Csv => {
            let (text, encoding) = text::decode(bytes);
            match delimited::read(&text) {
                Ok(sheet) => ok(doc(vec![sheet], Vec::new()), FileStatus::Parsed, format!("encoding {encoding}")),
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    let err = IngestError::Delimited { file: path.to_owned(), line, message: e.to_string() };
                    vec![failed(path, bytes, format, &err)]
                }
            }
        }
        Format::Text => {
            let (text, encoding) = text::decode(bytes);
            let blocks = vec![text::lines(&text)];
            ok(doc(text_table::sheets(&blocks), blocks), FileStatus::Parsed, format!("encoding {encoding}"))
        }
        Format::Correspondence => {
            let (text, _) = text::decode(bytes);
            let blocks = text::correspondence(&text);
            ok(doc(text_table::sheets(&blocks), blocks), FileStatus::Parsed, String::new())
        }
        Format::Zip => zip::ingest(path, thread, bytes, depth),
        Format::Encrypted => vec![Ingested {
            entry: entry(path, bytes, format, FileStatus::Failed, "password-protected Office file: cannot be read without its password"),
            document: None,
        }],
        Format::Empty => vec![Ingested { entry: entry(path, bytes, format, FileStatus::Failed, "empty file (0 bytes)"), document: None }],
        Format::Eml => eml::ingest(path, thread, bytes, depth),
        Format::Docx | Format::Odt | Format::Html => {
            let read = match format {
                Format::Docx => docx::read,
                Format::Odt => odt::read,
                _ => html::read,
            };
            match read(bytes) {
                Ok((mut sheets, texts)) => {
                    let reason = document_summary(&sheets, &texts);
                    sheets.extend(text_table::sheets(&texts));
                    ok(doc(sheets, texts), FileStatus::Parsed, reason)
                }
                Err(message) => vec![failed(path, bytes, format, &IngestError::Document { file: path.to_owned(), message })],
            }
        }
        Format::Pdf => match pdf::read(bytes) {
            Ok(read) => {
                let status = if read.incomplete { FileStatus::Partial } else { FileStatus::Parsed };
                let mut sheets = read.sheets;
                sheets.extend(text_table::sheets(&read.texts));
                ok(doc(sheets, read.texts), status, read.notes.join("; "))
            }
            Err(message) => vec![failed(path, bytes, format, &IngestError::Pdf { file: path.to_owned(), message })],
        },
        Format::Unknown => vec![Ingested { entry: entry(path, bytes, format, FileStatus::Ignored, "format not recognised from its bytes"), document: None }],
    }
}
