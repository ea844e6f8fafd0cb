//! `foi inspect`: how one file is read, grid by grid, and which answers extract finds in it, so
//! a person can see why a reply was (or was not) understood.

use crate::extract;
use crate::ingest;
use crate::pipeline::{RunError, schema_dirs};
use crate::register::Register;
use crate::schema::{Schema, locate};
use crate::standardise;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The round a file belongs to: the nearest folder above it holding a `round.toml`, else its
/// own folder.
fn round_of(file: &Path) -> PathBuf {
    let start = file.parent().unwrap_or(Path::new("."));
    start.ancestors().find(|d| d.join("round.toml").is_file()).unwrap_or(start).to_owned()
}

/// `schemas`: the `--schemas DIR` given; schemas are then found in the one search order (that
/// folder, the round's `schemas/`, the project's `schemas/`).
pub fn inspect(file: &Path, schema: &str, bodies: &str, as_of: &str, schemas: Option<&Path>) -> Result<String, RunError> {
    let dirs = schema_dirs(&round_of(file), schemas);
    let schema = Schema::load(&locate(schema, &dirs)?)?;
    let register = Register::load(&locate(&format!("bodies/{bodies}.csv"), &dirs)?, as_of)?;
    let bytes = std::fs::read(file).map_err(|source| ingest::IngestError::Io { file: file.display().to_string(), source })?;
    let name = file.display().to_string();
    let mut out = String::new();
    for item in ingest::ingest_bytes(&name, None, &bytes, 0) {
        let e = &item.entry;
        let _ = writeln!(out, "== {} [{} {}] {}", e.path, e.format.as_str(), e.status.as_str(), e.reason);
        let Some(doc) = item.document else { continue };
        for sheet in &doc.sheets {
            let _ = writeln!(out, "-- sheet '{}'{}{}", sheet.name, if sheet.hidden { " (hidden)" } else { "" }, sheet.place);
            for (r, row) in sheet.rows.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(|c| c.text()).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    let _ = writeln!(out, "{:>4} | {}", r + 1, cells.join(" | "));
                }
            }
        }
        for (i, block) in doc.texts.iter().enumerate() {
            let _ = writeln!(out, "-- text block {} {:?} ({} lines)", i + 1, block.headers, block.lines.len());
        }
        let ex = extract::extract(&doc, &schema, &register);
        for f in &ex.found {
            let reading = schema.field(&f.field).map(|fd| standardise::read(&f.raw, fd, f.scale));
            let _ = writeln!(
                out,
                "found {} {} {} body={:?} at {} by {}{}: {:?} -> {:?}",
                f.field,
                f.period,
                if f.scale != 1.0 { format!("x{}", f.scale) } else { String::new() },
                f.body,
                f.location,
                f.rule,
                if f.is_total { " (total)" } else { "" },
                f.raw,
                reading
            );
        }
        for n in &ex.notes {
            let _ = writeln!(out, "note {} at {}: {}", n.status, n.location, n.text);
        }
    }
    Ok(out)
}
