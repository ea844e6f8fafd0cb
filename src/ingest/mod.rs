//! Ingest: every file under `responses/` (zip members included) read into a [`Document`], its
//! format told from its bytes, and a manifest row saying what became of it and why. A file
//! read by an earlier run with the same bytes comes back from the cache instead.

pub mod cache;
pub mod delimited;
pub mod document;
pub mod docx;
pub mod eml;
pub mod html;
pub mod layout;
pub mod limits;
pub mod odt;
pub mod pdf;
pub mod reader;
pub mod sniff;
pub mod spreadsheet;
pub mod text;
pub mod text_columns;
pub mod text_table;
pub mod thread;
pub mod zip;

pub use cache::Cache;
pub use document::{Cell, Document, Format, Sheet, TextBlock};
pub use limits::Limits;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A file or folder that could not be opened. (Why a file that was opened could not be read is
/// a [`reader::ReadError`].)
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
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

/// What the walk of `responses/` found: a file to read, or a folder (or entry) that could not
/// be read, which becomes a manifest row of its own.
enum Walked {
    File(PathBuf),
    Unreadable(PathBuf, std::io::Error),
}

/// Every regular file below `dir`, sorted, and every folder below it that could not be read.
/// Symbolic links are not followed. `Err` only when `dir` itself cannot be read.
fn walk(dir: &Path, out: &mut Vec<Walked>) -> std::io::Result<()> {
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir)? {
        match e {
            Ok(e) => entries.push(e),
            Err(e) => out.push(Walked::Unreadable(dir.to_path_buf(), e)),
        }
    }
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        match e.file_type() {
            Ok(ft) if ft.is_dir() => {
                if let Err(err) = walk(&e.path(), out) {
                    out.push(Walked::Unreadable(e.path(), err));
                }
            }
            Ok(_) => out.push(Walked::File(e.path())),
            Err(err) => out.push(Walked::Unreadable(e.path(), err)),
        }
    }
    Ok(())
}

/// How the top-level files of a round were had: from the cache, read, or not read at all.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IngestCounts {
    /// Files found under `responses/` (zip and e-mail members not counted), and folders there
    /// that could not be read.
    pub files: usize,
    /// Their reading came from the cache.
    pub reused: usize,
    /// Read by the readers this run.
    pub read: usize,
    /// Not read: symbolic links, files over `max_file_bytes`, files and folders that could not
    /// be opened.
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
pub fn ingest_round(
    round_dir: &Path,
    limits: &Limits,
    cache: Option<&Cache>,
    progress: &(dyn Fn() + Sync),
) -> Result<(Vec<Ingested>, IngestCounts), IngestError> {
    ingest_round_with(round_dir, limits, cache, progress, reader::standard)
}

/// [`ingest_round`] with the top-level files read by `readers` (members of zips and e-mails are
/// read by the standard readers).
pub fn ingest_round_with(
    round_dir: &Path,
    limits: &Limits,
    cache: Option<&Cache>,
    progress: &(dyn Fn() + Sync),
    readers: reader::Readers,
) -> Result<(Vec<Ingested>, IngestCounts), IngestError> {
    let responses = round_dir.join("responses");
    let mut files = Vec::new();
    walk(&responses, &mut files).map_err(|source| IngestError::Io {
        file: responses.display().to_string(),
        source,
    })?;
    let results: Vec<(Vec<Ingested>, Had)> = files
        .par_iter()
        .map(|found| {
            let (path, unreadable) = match found {
                Walked::File(path) => (path, None),
                Walked::Unreadable(path, e) => (path, Some(e)),
            };
            let rel = path
                .strip_prefix(round_dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let out = match unreadable {
                Some(e) => unopened(&rel, std::io::Error::new(e.kind(), e.to_string())),
                None => {
                    let thread = thread_of(path.strip_prefix(&responses).unwrap_or(path));
                    let read = |bytes: &[u8]| {
                        ingest_with(readers, &rel, thread.as_deref(), bytes, 0, limits)
                    };
                    from_disk(path, &rel, limits, cache, read)
                }
            };
            progress();
            out
        })
        .collect();
    let mut counts = IngestCounts {
        files: files.len(),
        ..IngestCounts::default()
    };
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

/// One file of the round from disk: not followed (a symbolic link), not read (over the size
/// limit), taken from the cache, or read by `read` (and kept in the cache).
fn from_disk(
    path: &Path,
    rel: &str,
    limits: &Limits,
    cache: Option<&Cache>,
    read: impl Fn(&[u8]) -> Vec<Ingested>,
) -> (Vec<Ingested>, Had) {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => return unopened(rel, e),
    };
    if meta.file_type().is_symlink() {
        return (
            vec![skipped(rel, "a symbolic link: not followed")],
            Had::NotRead,
        );
    }
    if meta.len() > limits.max_file_bytes {
        let why = format!(
            "file of {} bytes is over the limit of {} (max_file_bytes): not read",
            meta.len(),
            limits.max_file_bytes
        );
        return (vec![skipped(rel, &why)], Had::NotRead);
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return unopened(rel, e),
    };
    let Some(c) = cache else {
        return (read(&bytes), Had::Read(None));
    };
    let key = cache::key(rel, &bytes, limits, pdf::tesseract_version());
    match c.get(&key, rel) {
        Some(rows) => (rows, Had::Reused),
        None => {
            let rows = read(&bytes);
            let error = c.put(&key, rel, &rows).err();
            (rows, Had::Read(error))
        }
    }
}

/// A file or folder that could not be opened or read: a failed manifest row.
fn unopened(rel: &str, source: std::io::Error) -> (Vec<Ingested>, Had) {
    let err = IngestError::Io {
        file: rel.to_owned(),
        source,
    };
    (vec![failed(rel, &[], Format::Unknown, &err)], Had::NotRead)
}

/// The thread folder a file sits in: the first folder below `responses/`.
fn thread_of(rel: &Path) -> Option<String> {
    let mut parts = rel.components();
    let first = parts.next()?;
    parts.next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

fn entry(
    path: &str,
    bytes: &[u8],
    format: Format,
    status: FileStatus,
    reason: impl Into<String>,
) -> ManifestEntry {
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
    Ingested {
        entry: entry(path, bytes, format, FileStatus::Failed, err.to_string()),
        document: None,
    }
}

fn skipped(path: &str, reason: &str) -> Ingested {
    Ingested {
        entry: entry(path, &[], Format::Unknown, FileStatus::Ignored, reason),
        document: None,
    }
}

/// "2 table(s), 14 paragraph(s)": what a document reader found, for the manifest.
fn document_summary(sheets: &[Sheet], texts: &[TextBlock]) -> String {
    let mut numbers: Vec<usize> = texts
        .iter()
        .flat_map(|t| &t.lines)
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| l.number)
        .collect();
    numbers.dedup();
    format!(
        "{} table(s), {} paragraph(s) with text",
        sheets.len(),
        numbers.len()
    )
}

/// Read one file's bytes (`depth` counts the zips it sits in) with the standard readers, within
/// `limits`.
pub fn ingest_bytes(
    path: &str,
    thread: Option<&str>,
    bytes: &[u8],
    depth: usize,
    limits: &Limits,
) -> Vec<Ingested> {
    ingest_with(reader::standard, path, thread, bytes, depth, limits)
}

/// Read one file's bytes with the reader `readers` gives for its format, under the panic guard.
fn ingest_with(
    readers: reader::Readers,
    path: &str,
    thread: Option<&str>,
    bytes: &[u8],
    depth: usize,
    limits: &Limits,
) -> Vec<Ingested> {
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    let format = sniff::sniff(bytes, name);
    let input = reader::Input {
        path,
        thread,
        bytes,
        format,
        depth,
        limits,
    };
    match reader::guarded(readers(format), &input) {
        Ok(reader::Read::Document(r)) => {
            let mut e = entry(path, bytes, format, r.status, r.reason);
            e.transient = r.transient;
            vec![Ingested {
                entry: e,
                document: Some(r.document),
            }]
        }
        Ok(reader::Read::Rows(rows)) => rows,
        Err(e) => vec![Ingested {
            entry: entry(path, bytes, format, e.status(), e.reason(path)),
            document: None,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_folder_that_cannot_be_read_is_a_manifest_row_and_the_round_goes_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let open = dir.path().join("responses/open");
        let locked = dir.path().join("responses/locked");
        std::fs::create_dir_all(&open).expect("mkdir");
        std::fs::create_dir_all(&locked).expect("mkdir");
        std::fs::write(open.join("letter.txt"), "Q1 Yes\n").expect("write");
        std::fs::write(locked.join("letter.txt"), "Q1 No\n").expect("write");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read_dir(&locked).is_ok() {
            // Run as root, permissions do not stop a read: nothing to see here.
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
            eprintln!("skipped: this user can read a folder whatever its permissions (root)");
            return;
        }
        let result = ingest_round(dir.path(), &Limits::default(), None, &|| {});
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let (rows, counts) = result.expect("the round is read");
        assert_eq!((counts.files, counts.read, counts.not_read), (2, 1, 1));
        let row = rows
            .iter()
            .find(|r| r.entry.path == "responses/locked")
            .expect("a row for the folder");
        assert_eq!(row.entry.status, FileStatus::Failed);
        assert!(
            row.entry
                .reason
                .starts_with("responses/locked: cannot read: "),
            "{}",
            row.entry.reason
        );
        assert!(
            rows.iter()
                .any(|r| r.entry.path == "responses/open/letter.txt"
                    && r.entry.status == FileStatus::Parsed)
        );
    }

    #[test]
    fn each_round_reads_within_its_own_limits_even_side_by_side() {
        let dir = tempfile::tempdir().expect("tempdir");
        let thread = dir.path().join("responses/t1");
        std::fs::create_dir_all(&thread).expect("mkdir");
        std::fs::write(thread.join("letter.txt"), "Q1 Yes, we hold this.\n").expect("write");
        let tight = Limits {
            max_file_bytes: 4,
            ..Limits::DEFAULT
        };
        // Two runs at once, one with a tight limit: each keeps to its own, none to the other's.
        let (strict, open) = rayon::join(
            || ingest_round(dir.path(), &tight, None, &|| {}),
            || ingest_round(dir.path(), &Limits::DEFAULT, None, &|| {}),
        );
        let (strict, _) = strict.expect("read");
        let (open, _) = open.expect("read");
        assert_eq!(strict[0].entry.status, FileStatus::Ignored);
        assert!(
            strict[0]
                .entry
                .reason
                .contains("over the limit of 4 (max_file_bytes)"),
            "{}",
            strict[0].entry.reason
        );
        assert_eq!(open[0].entry.status, FileStatus::Parsed);
    }

    #[test]
    fn the_walk_lists_files_depth_first_in_name_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("a")).expect("mkdir");
        std::fs::write(dir.path().join("a/x.txt"), "x").expect("write");
        std::fs::write(dir.path().join("b.txt"), "b").expect("write");
        let mut found = Vec::new();
        walk(dir.path(), &mut found).expect("walk");
        let names: Vec<String> = found
            .iter()
            .map(|f| match f {
                Walked::File(p) => p
                    .strip_prefix(dir.path())
                    .unwrap_or(p)
                    .display()
                    .to_string(),
                Walked::Unreadable(p, _) => format!("unreadable {}", p.display()),
            })
            .collect();
        assert_eq!(names, ["a/x.txt", "b.txt"]);
    }
}
