//! Ingest: every file under `responses/` (zip members included) read into a [`Document`], its
//! format told from its bytes, and a manifest row saying what became of it and why. A file
//! read by an earlier run with the same bytes comes back from the cache instead.

pub mod cache;
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
pub mod text_columns;
pub mod text_table;
pub mod thread;
pub mod zip;

pub use cache::Cache;
pub use document::{Cell, Document, Format, Sheet, TextBlock};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Relative to the round folder; zip members as `a.zip!member`.
    pub path: String,
    pub blake3: String,
    pub bytes: u64,
    pub format: Format,
    pub status: FileStatus,
    pub reason: String,
    /// The reader met a failure the next run may not meet (OCR timed out): not cached.
    #[serde(default)]
    pub transient: bool,
}

/// One input file, read or not.
#[derive(Debug, Serialize, Deserialize)]
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

/// How the top-level files of a round were had: from the cache, read, or not read at all.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IngestCounts {
    /// Files found under `responses/` (zip and e-mail members not counted).
    pub files: usize,
    /// Their reading came from the cache.
    pub reused: usize,
    /// Read by the readers this run.
    pub read: usize,
    /// Not read: symbolic links, files over `max_file_bytes`, files that could not be opened.
    pub not_read: usize,
    /// Cache entries that could not be written, each naming the entry and why.
    pub cache_errors: Vec<String>,
}

enum Had {
    Reused,
    Read(Option<String>),
    NotRead,
}

/// Read every file of a round's `responses/` folder, in parallel, in a fixed order, taking each
/// from `cache` where it holds the file's reading.
pub fn ingest_round(round_dir: &Path, cache: Option<&Cache>, progress: &(dyn Fn() + Sync)) -> Result<(Vec<Ingested>, IngestCounts), IngestError> {
    let responses = round_dir.join("responses");
    let mut files = Vec::new();
    walk(&responses, &mut files).map_err(|source| IngestError::Io { file: responses.display().to_string(), source })?;
    let limits = limits::current();
    let results: Vec<(Vec<Ingested>, Had)> = files
        .par_iter()
        .map(|path| {
            let rel = path.strip_prefix(round_dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
            let thread = thread_of(path.strip_prefix(&responses).unwrap_or(path));
            let out = match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => (vec![skipped(&rel, "a symbolic link: not followed")], Had::NotRead),
                Ok(m) if m.len() > limits.max_file_bytes => (
                    vec![skipped(&rel, &format!("file of {} bytes is over the limit of {} (max_file_bytes): not read", m.len(), limits.max_file_bytes))],
                    Had::NotRead,
                ),
                Ok(_) => match std::fs::read(path) {
                    Ok(bytes) => {
                        let key = cache.map(|_| cache::key(&rel, &bytes, &limits, pdf::tesseract_version()));
                        match cache.zip(key.as_deref()) {
                            Some((c, key)) => match c.get(key, &rel) {
                                Some(rows) => (rows, Had::Reused),
                                None => {
                                    let rows = ingest_bytes(&rel, thread.as_deref(), &bytes, 0);
                                    let error = c.put(key, &rel, &rows).err();
                                    (rows, Had::Read(error))
                                }
                            },
                            None => (ingest_bytes(&rel, thread.as_deref(), &bytes, 0), Had::Read(None)),
                        }
                    }
                    Err(e) => (vec![failed(&rel, &[], Format::Unknown, &IngestError::Io { file: rel.clone(), source: e })], Had::NotRead),
                },
                Err(e) => (vec![failed(&rel, &[], Format::Unknown, &IngestError::Io { file: rel.clone(), source: e })], Had::NotRead),
            };
            progress();
            out
        })
        .collect();
    let mut counts = IngestCounts { files: files.len(), ..IngestCounts::default() };
    let mut rows = Vec::new();
    for (r, had) in results {
        match had {
            Had::Reused => counts.reused += 1,
            Had::Read(error) => {
                counts.read += 1;
                counts.cache_errors.extend(error);
            }
            Had::NotRead => counts.not_read += 1,
        }
        rows.extend(r);
    }
    if let Some(c) = cache {
        c.prune();
    }
    Ok((rows, counts))
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
        transient: false,
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
            let blocks = thread::thread(text::correspondence(&text));
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
                let mut rows = ok(doc(sheets, read.texts), status, read.notes.join("; "));
                for r in &mut rows {
                    r.entry.transient = read.transient;
                }
                rows
            }
            Err(message) => vec![failed(path, bytes, format, &IngestError::Pdf { file: path.to_owned(), message })],
        },
        Format::Unknown => vec![Ingested { entry: entry(path, bytes, format, FileStatus::Ignored, "format not recognised from its bytes"), document: None }],
    }
}
