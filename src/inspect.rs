//! `foi inspect`: how one file is read, grid by grid, and which answers extract finds in it, so
//! a person can see why a reply was (or was not) understood.

use crate::extract;
use crate::ingest;
use crate::pipeline::{RunError, schema_dirs};
use crate::register::Register;
use crate::schema::Schema;
use crate::standardise;
use std::fmt::Write;
use std::path::Path;

pub fn inspect(file: &Path, schema: &str, bodies: &str, as_of: &str) -> Result<String, RunError> {
    let dirs = schema_dirs(Path::new("."), None);
    let schema_path = if schema.ends_with(".toml") {
        file.parent().map(|_| Path::new(schema).to_owned()).unwrap_or_default()
    } else {
        dirs.iter().map(|d| d.join(format!("{schema}.toml"))).find(|p| p.is_file()).unwrap_or_default()
    };
    let schema = Schema::load(&schema_path)?;
    let register_path = dirs.iter().map(|d| d.join(format!("bodies/{bodies}.csv"))).find(|p| p.is_file()).unwrap_or_default();
    let register = Register::load(&register_path, as_of)?;
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
