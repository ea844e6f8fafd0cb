//! `foi inspect`: how one file is read, grid by grid, and which answers extract finds in it, so
//! a person can see why a reply was (or was not) understood.

use crate::extract;
use crate::ingest;
use crate::observation::Status;
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
    start
        .ancestors()
        .find(|d| d.join("round.toml").is_file())
        .unwrap_or(start)
        .to_owned()
}

/// `schemas`: the `--schemas DIR` given; schemas are then found in the one search order (that
/// folder, the round's `schemas/`, the project's `schemas/`).
pub fn inspect(
    file: &Path,
    schema: &str,
    bodies: &str,
    as_of: &str,
    schemas: Option<&Path>,
) -> Result<String, RunError> {
    let round_dir = round_of(file);
    let dirs = schema_dirs(&round_dir, schemas);
    // The file is read within its round's limits where it sits in a round, else the defaults.
    let limits = crate::round::Round::load(&round_dir)
        .map(|r| r.limits)
        .unwrap_or_default();
    let schema = Schema::load(&locate(schema, &dirs)?)?;
    let register = Register::load(&locate(&format!("bodies/{bodies}.csv"), &dirs)?, as_of)?;
    let bytes = std::fs::read(file).map_err(|source| ingest::IngestError::Io {
        file: file.display().to_string(),
        source,
    })?;
    let name = file.display().to_string();
    let mut out = String::new();
    for item in ingest::ingest_bytes(&name, None, &bytes, 0, &limits) {
        let e = &item.entry;
        let _ = writeln!(
            out,
            "== {} [{} {}] {}",
            e.path,
            e.format.as_str(),
            e.status.as_str(),
            e.reason
        );
        let Some(doc) = item.document else { continue };
        for sheet in &doc.sheets {
            let _ = writeln!(
                out,
                "-- sheet '{}'{}{}",
                sheet.name,
                if sheet.hidden { " (hidden)" } else { "" },
                sheet.place
            );
            for (r, row) in sheet.rows.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(|c| c.text()).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    let _ = writeln!(out, "{:>4} | {}", r + 1, cells.join(" | "));
                }
            }
        }
        for (i, block) in doc.texts.iter().enumerate() {
            let headers: Vec<String> = block
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            let headers = if headers.is_empty() {
                String::new()
            } else {
                format!(" [{}]", headers.join("; "))
            };
            let _ = writeln!(
                out,
                "-- text block {}{headers} ({} lines)",
                i + 1,
                block.lines.len()
            );
        }
        let ex = extract::extract(&doc, &schema, &register);
        // What was found, as a table a person reads: field, period, status, value, location, rule.
        let mut rows: Vec<[String; 7]> = Vec::new();
        for f in &ex.found {
            let (status, value, note) = match schema
                .field(&f.field)
                .map(|fd| standardise::read_as(&f.raw, f.legibility, fd, f.scale))
            {
                Some(standardise::Reading::Value { value, note, .. }) => (
                    Status::Answered.as_str().to_owned(),
                    value.to_string(),
                    note,
                ),
                Some(standardise::Reading::Status { status, reason }) => {
                    (status.as_str().to_owned(), String::new(), reason)
                }
                Some(standardise::Reading::Nothing) | None => {
                    ("-".to_owned(), String::new(), "nothing to read".to_owned())
                }
            };
            let mut rule = f.rule.clone();
            if f.is_total {
                rule.push_str(" (total)");
            }
            if f.scale != 1.0 {
                rule.push_str(&format!(" x{}", f.scale));
            }
            if let Some(b) = &f.body {
                rule.push_str(&format!(" body={b}"));
            }
            let as_written: String = f.as_written().chars().take(60).collect();
            let note = if note.is_empty() {
                format!("\"{as_written}\"")
            } else {
                format!("\"{as_written}\": {note}")
            };
            rows.push([
                f.field.clone(),
                f.period.clone(),
                status,
                value,
                f.location.clone(),
                rule,
                note,
            ]);
        }
        if !rows.is_empty() {
            let head = [
                "field",
                "period",
                "status",
                "value",
                "location",
                "rule",
                "as written",
            ];
            let mut widths = head.map(|h| h.chars().count());
            for r in &rows {
                for (w, c) in widths.iter_mut().zip(r.iter()) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cells: &[String]| -> String {
                let last = cells.len() - 1;
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i == last {
                            c.clone()
                        } else {
                            format!("{c:<w$}", w = widths[i])
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            let _ = writeln!(out, "-- found {} answers", rows.len());
            let _ = writeln!(out, "{}", line(&head.map(str::to_owned)));
            for r in &rows {
                let _ = writeln!(out, "{}", line(r).trim_end());
            }
        }
        for n in &ex.notes {
            let _ = writeln!(out, "note {} at {}: {}", n.status, n.location, n.text);
        }
    }
    Ok(out)
}
