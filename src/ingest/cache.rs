//! The ingest cache: a file whose bytes, path and reading rules are unchanged since the last run
//! is not read again; its documents and manifest rows come back from `<out>/.cache/<key>.json`.
//! An entry that cannot be read back is ignored and the file read afresh, so the cache can only
//! save time, never change an output.

use super::Ingested;
use super::document::Cell;
use super::limits::Limits;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bump whenever a reader, the `Document` types or the manifest rows change what a file gives:
/// entries written under another version are never read.
pub const VERSION: u32 = 3;

/// The folder, under the output folder, holding the entries.
pub const DIR: &str = ".cache";

/// What one entry holds: every manifest row and document one top-level file gave.
#[derive(Deserialize)]
struct Stored {
    /// The key again, so a file renamed or garbled by hand is never taken for another.
    key: String,
    path: String,
    rows: Vec<Ingested>,
}

/// [`Stored`] as it is written.
#[derive(Serialize)]
struct Keep<'a> {
    key: &'a str,
    path: &'a str,
    rows: &'a [Ingested],
}

/// The cache of one output folder. `write: false` reads entries but never adds or removes any
/// (`foi status` writes nothing).
pub struct Cache {
    dir: PathBuf,
    write: bool,
    used: Mutex<BTreeSet<String>>,
}

/// The running program's identity: its path, size and modification time. A rebuilt `foi` (a
/// reader changed, even without a version bump) never takes an entry another build wrote.
/// (Hashing the binary itself would cost a second per run on a debug build.) Read once.
fn program_fingerprint() -> &'static [u8] {
    static PRINT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PRINT.get_or_init(|| {
        let Ok(exe) = std::env::current_exe() else {
            return Vec::new();
        };
        let Ok(meta) = std::fs::metadata(&exe) else {
            return Vec::new();
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!("{}|{}|{modified}", exe.display(), meta.len()).into_bytes()
    })
}

/// The key of one file: its bytes, its path (the documents carry it, and the thread is read
/// from it), the limits and which Tesseract is here, if any (both change what a reader gives),
/// the cache version, the program's version and the program's identity (path, size, mtime).
pub fn key(rel: &str, bytes: &[u8], limits: &Limits, ocr: Option<&str>) -> String {
    let mut h = blake3::Hasher::new();
    let mut field = |b: &[u8]| {
        h.update(&(b.len() as u64).to_le_bytes());
        h.update(b);
    };
    field(b"foi-survey ingest cache");
    field(&VERSION.to_le_bytes());
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(program_fingerprint());
    field(rel.as_bytes());
    field(format!("{limits:?}").as_bytes());
    field(&[u8::from(ocr.is_some())]);
    field(ocr.unwrap_or_default().as_bytes());
    field(blake3::hash(bytes).as_bytes());
    h.finalize().to_hex().to_string()
}

/// Can this reading be kept? Not when a reader met a passing failure (OCR timed out), nor when a
/// number has no JSON form (NaN, infinity): JSON would not give it back as it was.
fn keepable(rows: &[Ingested]) -> bool {
    rows.iter().all(|r| {
        !r.entry.transient
            && r.document.as_ref().is_none_or(|d| {
                d.sheets.iter().all(|s| {
                    s.rows
                        .iter()
                        .flatten()
                        .all(|c| !matches!(c, Cell::Number(n) if !n.is_finite()))
                })
            })
    })
}

impl Cache {
    pub fn new(out: &Path, write: bool) -> Cache {
        Cache {
            dir: out.join(DIR),
            write,
            used: Mutex::new(BTreeSet::new()),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    fn mark_used(&self, key: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.to_owned());
        }
    }

    /// The stored reading of a file, if there is a sound one.
    pub fn get(&self, key: &str, rel: &str) -> Option<Vec<Ingested>> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let stored: Stored = serde_json::from_slice(&bytes).ok()?;
        if stored.key != key || stored.path != rel || stored.rows.is_empty() {
            return None;
        }
        self.mark_used(key);
        Some(stored.rows)
    }

    /// Keep a file's reading. Written to a temporary file and renamed, so a run stopped halfway
    /// leaves no half entry. `Err` names the entry and what went wrong; the run goes on.
    pub fn put(&self, key: &str, rel: &str, rows: &[Ingested]) -> Result<(), String> {
        if !self.write || !keepable(rows) {
            return Ok(());
        }
        let path = self.path(key);
        let result = (|| {
            let json = serde_json::to_vec(&Keep {
                key,
                path: rel,
                rows,
            })
            .map_err(|e| e.to_string())?;
            std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
            let mut tmp = tempfile::NamedTempFile::new_in(&self.dir).map_err(|e| e.to_string())?;
            tmp.write_all(&json).map_err(|e| e.to_string())?;
            tmp.persist(&path).map_err(|e| e.error.to_string())?;
            Ok(())
        })()
        .map_err(|e: String| {
            format!(
                "{}: cannot write cache entry for {rel}: {e}",
                path.display()
            )
        });
        if result.is_ok() {
            self.mark_used(key);
        }
        result
    }

    /// Remove the entries this run did not use (files since changed or gone), so the folder
    /// holds one entry per file of the round. Only names this cache writes are touched.
    pub fn prune(&self) {
        if !self.write {
            return;
        }
        let Ok(used) = self.used.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            if stem.len() == 64
                && stem.bytes().all(|b| b.is_ascii_hexdigit())
                && !used.contains(stem)
            {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::document::{Document, Format, Line, Sheet, TextBlock};
    use crate::ingest::{FileStatus, ManifestEntry};

    fn reading(numbers: &[f64]) -> Vec<Ingested> {
        let sheet = Sheet {
            name: "S".into(),
            hidden: false,
            rows: vec![
                numbers
                    .iter()
                    .map(|n| Cell::Number(*n))
                    .chain([
                        Cell::Text("£1,2\u{0}\r\n\"x\"".into()),
                        Cell::Empty,
                        Cell::Illegible {
                            reading: "©. 716x".into(),
                        },
                        Cell::Illegible {
                            reading: String::new(),
                        },
                    ])
                    .collect(),
            ],
            place: String::new(),
        };
        let text = TextBlock {
            headers: vec![("From".into(), "a <b@c>".into())],
            lines: vec![
                Line::new(3, Some(2), "é".into()),
                Line {
                    number: 4,
                    page: Some(2),
                    text: "budget £3,5O0 | |".into(),
                    doubtful: vec![7..14, 17..17],
                },
            ],
            role: Default::default(),
        };
        vec![Ingested {
            entry: ManifestEntry {
                path: "responses/t/a.xlsx".into(),
                blake3: "00".into(),
                bytes: 2,
                format: Format::Xlsx,
                status: FileStatus::Partial,
                reason: "why".into(),
                transient: false,
            },
            document: Some(Document {
                source: "responses/t/a.xlsx".into(),
                thread: Some("t".into()),
                format: Format::Xlsx,
                sheets: vec![sheet],
                texts: vec![text],
            }),
        }]
    }

    #[test]
    fn a_reading_comes_back_exactly_as_it_was_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), true);
        let numbers = [
            0.1 + 0.2,
            -0.0,
            5e-324,
            f64::MAX,
            1234.5678901234567,
            1e21,
            -7.0,
        ];
        let rows = reading(&numbers);
        let before = format!("{rows:?}");
        assert_eq!(cache.put("k", "responses/t/a.xlsx", &rows), Ok(()));
        let back = cache
            .get("k", "responses/t/a.xlsx")
            .expect("entry read back");
        assert_eq!(format!("{back:?}"), before);
        let Some(Cell::Number(z)) = back[0]
            .document
            .as_ref()
            .map(|d| d.sheets[0].rows[0][1].clone())
        else {
            panic!()
        };
        assert!(z.is_sign_negative(), "-0.0 keeps its sign");
        // Another path with the same key is not this entry.
        assert!(cache.get("k", "responses/t/b.xlsx").is_none());
    }

    #[test]
    fn a_corrupt_entry_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), true);
        cache.put("k", "p", &reading(&[1.0])).unwrap();
        let path = dir.path().join(DIR).join("k.json");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&path, bytes).unwrap();
        assert!(cache.get("k", "p").is_none());
        std::fs::write(&path, b"\xff\xfe not json").unwrap();
        assert!(cache.get("k", "p").is_none());
    }

    #[test]
    fn what_json_cannot_hold_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), true);
        assert_eq!(cache.put("nan", "p", &reading(&[f64::NAN])), Ok(()));
        let mut passing = reading(&[1.0]);
        passing[0].entry.transient = true;
        assert_eq!(cache.put("ocr", "p", &passing), Ok(()));
        assert!(!dir.path().join(DIR).join("nan.json").exists());
        assert!(!dir.path().join(DIR).join("ocr.json").exists());
    }

    #[test]
    fn the_key_follows_bytes_path_and_limits() {
        let l = Limits::default();
        let t = Some("tesseract 5.3.0");
        let k = key("responses/a.csv", b"x", &l, t);
        assert_eq!(k.len(), 64);
        assert_eq!(k, key("responses/a.csv", b"x", &l, t));
        assert_ne!(k, key("responses/a.csv", b"y", &l, t));
        assert_ne!(k, key("responses/b.csv", b"x", &l, t));
        assert_ne!(
            k,
            key("responses/a.csv", b"x", &Limits { max_rows: 10, ..l }, t)
        );
        assert_ne!(k, key("responses/a.csv", b"x", &l, None));
        assert_ne!(k, key("responses/a.csv", b"x", &l, Some("tesseract 5.4.1")));
    }
}
