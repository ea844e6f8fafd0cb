//! Saved e-mails (.eml): the message text becomes a block with its headers, and every
//! attachment is ingested as a file of its own (`reply.eml!answers.xlsx`).

use super::document::{Format, TextBlock};
use super::{FileStatus, Ingested, ManifestEntry};
use mail_parser::{MessageParser, MimeHeaders};

pub fn ingest(input: &super::reader::Input) -> Vec<Ingested> {
    let (path, thread, bytes) = (input.path, input.thread, input.bytes);
    let (depth, limits) = (input.depth, input.limits);
    let entry = |status: FileStatus, reason: String| ManifestEntry {
        path: path.to_owned(),
        blake3: blake3::hash(bytes).to_hex().to_string(),
        bytes: bytes.len() as u64,
        format: Format::Eml,
        status,
        reason,
        transient: false,
    };
    let Some(message) = MessageParser::default().parse(bytes) else {
        return vec![Ingested {
            entry: entry(FileStatus::Failed, "not a readable e-mail message".into()),
            document: None,
        }];
    };
    let mut headers = Vec::new();
    let addr = |a: Option<&mail_parser::Address>| {
        a.and_then(|a| a.first())
            .map(|a| match (a.name(), a.address()) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (None, Some(e)) => e.to_owned(),
                (Some(n), None) => n.to_owned(),
                (None, None) => String::new(),
            })
    };
    if let Some(f) = addr(message.from()) {
        headers.push(("From".to_owned(), f));
    }
    if let Some(t) = addr(message.to()) {
        headers.push(("To".to_owned(), t));
    }
    if let Some(s) = message.subject() {
        headers.push(("Subject".to_owned(), s.to_owned()));
    }
    let text: String = (0..message.text_body.len())
        .filter_map(|i| message.body_text(i))
        .collect::<Vec<_>>()
        .join("\n");
    let block = TextBlock {
        headers,
        ..super::text::lines(&text)
    };
    let mut out = Vec::new();
    let mut names_seen: Vec<String> = Vec::new();
    for (i, part) in message.attachments().enumerate() {
        let raw_name = part
            .attachment_name()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("attachment-{}", i + 1));
        let mut name = super::zip::safe_name(&raw_name);
        if name.is_empty() {
            name = format!("attachment-{}", i + 1);
        }
        if names_seen.contains(&name) {
            name = format!("{}-{name}", i + 1);
        }
        names_seen.push(name.clone());
        let member = format!("{path}!{name}");
        if depth + 1 >= limits.zip_max_depth {
            out.push(Ingested {
                entry: ManifestEntry {
                    path: member,
                    blake3: String::new(),
                    bytes: 0,
                    format: Format::Unknown,
                    status: FileStatus::Failed,
                    reason: "nested too deep: not opened".into(),
                    transient: false,
                },
                document: None,
            });
            continue;
        }
        out.extend(super::ingest_bytes(
            &member,
            thread,
            part.contents(),
            depth + 1,
            limits,
        ));
    }
    let reason = format!("message with {} attachment(s)", names_seen.len());
    let texts = super::thread::message(block);
    let sheets = super::text_table::sheets(&texts);
    let doc = super::Document {
        source: path.to_owned(),
        thread: thread.map(str::to_owned),
        format: Format::Eml,
        sheets,
        texts,
    };
    let mut rows = vec![Ingested {
        entry: entry(FileStatus::Parsed, reason),
        document: Some(doc),
    }];
    rows.extend(out);
    rows
}
