//! Zip archives: each member ingested as a file of its own, with limits on size, ratio, count
//! and depth, and member names that can never point outside the archive.

use super::{FileStatus, Format, Ingested, ManifestEntry};
use std::io::{Cursor, Read};

/// A member name made safe to show and to key on: no `..`, no leading `/`, no control characters.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    cleaned
        .replace('\\', "/")
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect::<Vec<_>>()
        .join("/")
}

fn row(path: &str, bytes: &[u8], status: FileStatus, reason: String) -> Ingested {
    Ingested {
        entry: ManifestEntry {
            path: path.to_owned(),
            blake3: blake3::hash(bytes).to_hex().to_string(),
            bytes: bytes.len() as u64,
            format: Format::Zip,
            status,
            reason,
            transient: false,
        },
        document: None,
    }
}

pub fn ingest(input: &super::reader::Input) -> Vec<Ingested> {
    let (path, thread, bytes) = (input.path, input.thread, input.bytes);
    let (depth, limits) = (input.depth, input.limits);
    let (max_depth, max_members, max_member_bytes, max_total_bytes, max_ratio) = (
        limits.zip_max_depth,
        limits.zip_max_members,
        limits.zip_max_member_bytes,
        limits.zip_max_total_bytes,
        limits.zip_max_ratio,
    );
    if depth >= max_depth {
        return vec![row(
            path,
            bytes,
            FileStatus::Failed,
            format!("zip nested deeper than {max_depth} levels: not opened"),
        )];
    }
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            return vec![row(
                path,
                bytes,
                FileStatus::Failed,
                format!("corrupt zip: {e}"),
            )];
        }
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut total: u64 = 0;
    let count = archive.len();
    if count > max_members {
        problems.push(format!(
            "{count} members: only the first {max_members} read"
        ));
    }
    for i in 0..count.min(max_members) {
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                problems.push(format!("member {i}: {e}"));
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        let raw_name = String::from_utf8_lossy(file.name_raw()).into_owned();
        let name = safe_name(&raw_name);
        let member_path = format!("{path}!{name}");
        if name != raw_name.replace('\\', "/").trim_start_matches('/') {
            problems.push(format!(
                "member name \"{}\" made safe as \"{name}\"",
                raw_name.escape_debug()
            ));
        }
        if file.encrypted() {
            out.push(row(
                &member_path,
                &[],
                FileStatus::Failed,
                "password-protected zip member".into(),
            ));
            continue;
        }
        let declared = file.size();
        let compressed = file.compressed_size().max(1);
        if declared > max_member_bytes
            || declared / compressed > max_ratio
            || total + declared > max_total_bytes
        {
            out.push(row(
                &member_path,
                &[],
                FileStatus::Failed,
                format!(
                    "zip bomb guard: {declared} bytes from {compressed} compressed: not inflated"
                ),
            ));
            continue;
        }
        let mut data = Vec::new();
        // Read at most the limit, whatever the header claimed.
        if let Err(e) = file
            .by_ref()
            .take(max_member_bytes + 1)
            .read_to_end(&mut data)
        {
            out.push(row(
                &member_path,
                &[],
                FileStatus::Failed,
                format!("cannot inflate: {e}"),
            ));
            continue;
        }
        if data.len() as u64 > max_member_bytes {
            out.push(row(
                &member_path,
                &[],
                FileStatus::Failed,
                "zip bomb guard: member larger than declared".into(),
            ));
            continue;
        }
        total += data.len() as u64;
        drop(file);
        out.extend(super::ingest_bytes(
            &member_path,
            thread,
            &data,
            depth + 1,
            limits,
        ));
    }
    let status = if problems.is_empty() {
        FileStatus::Parsed
    } else {
        FileStatus::Partial
    };
    let reason = if problems.is_empty() {
        format!("{} member(s) read", out.len())
    } else {
        problems.join("; ")
    };
    let mut rows = vec![row(path, bytes, status, reason)];
    rows.extend(out);
    rows
}
