//! Answers written as sentences: in the e-mail thread, a letter or a text file. A paragraph that
//! names a field ("2b. Total mental health 15/16: 45826890.") is split into its question and its
//! answer; the requester's own messages (which quote the questions, years and all) are skipped.

use super::{Extracted, Found, ReplyNote};
use crate::ingest::{Document, Format, TextBlock};
use crate::observation::Status;
use crate::schema::Schema;
use crate::standardise::{answer, period};
use regex::Regex;
use std::sync::LazyLock;

static NUMBERING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(q(uestion)?\s*)?\d{1,2}\s*[a-z]?\s*[.):]\s*").unwrap());
/// Where a question ends and its answer begins: "...: answer", "...? answer", "... was answer".
static SPLIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(:\s+|\?\s+|\s+(?:was|were|is|are|totalled|totaled|amounted\s+to)\s+)").unwrap());
static WHOLE_REQUEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(your\s+request|the\s+information\s+(you\s+)?(have\s+)?requested|this\s+request|comply)").unwrap());
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(information\s+supplied|if\s+you\s+are\s+(dissatisfied|unhappy)|yours\s+(sincerely|faithfully)|kind\s+regards|dear\s|re:|our\s+ref|thank\s+you\s+for\s+your\s+(request|email))").unwrap()
});

/// A paragraph: its text joined into one line, and the line it starts on.
struct Paragraph {
    text: String,
    line: usize,
    page: Option<usize>,
}

fn paragraphs(block: &TextBlock) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut current: Option<Paragraph> = None;
    for l in &block.lines {
        let t = l.text.trim();
        if t.is_empty() || t.starts_with('>') {
            out.extend(current.take());
            continue;
        }
        match current.as_mut() {
            Some(p) => {
                p.text.push(' ');
                p.text.push_str(t);
            }
            None => current = Some(Paragraph { text: t.to_owned(), line: l.number, page: l.page }),
        }
    }
    out.extend(current);
    out
}

/// Is this message the requester's (the request, a chaser) rather than the body's?
fn from_requester(block: &TextBlock) -> bool {
    block.header("from").is_some_and(|f| f.to_lowercase().contains("whatdotheyknow"))
}

pub fn extract_texts(doc: &Document, schema: &Schema) -> Extracted {
    let mut out = Extracted::default();
    for (b, block) in doc.texts.iter().enumerate() {
        if doc.format == Format::Correspondence && (block.headers.is_empty() || from_requester(block)) {
            continue;
        }
        for p in paragraphs(block) {
            read_paragraph(doc, schema, &p, b, &mut out);
        }
    }
    out
}

fn location(p: &Paragraph) -> String {
    match p.page {
        Some(page) => format!("page {page} line {}", p.line),
        None => format!("line {}", p.line),
    }
}

fn read_paragraph(doc: &Document, schema: &Schema, p: &Paragraph, block: usize, out: &mut Extracted) {
    let text = p.text.trim();
    // Layouts drawn with pipes are tables, not sentences.
    if text.matches('|').count() >= 2 || BOILERPLATE.is_match(text) {
        return;
    }
    let unnumbered = NUMBERING.replace(text, "");
    let (question, answer_text) = match SPLIT.find(&unnumbered) {
        Some(m) => (&unnumbered[..m.start()], unnumbered[m.end()..].trim()),
        None => (&unnumbered[..], ""),
    };
    let Some(field) = schema.match_field(question) else {
        // No field: a whole-reply statement ("Section 12 applies to your request")?
        if WHOLE_REQUEST.is_match(text) {
            if let Some(s) = answer::status_phrase(text) {
                if matches!(s.status, Status::Refused | Status::NotHeld | Status::Exempt) {
                    out.notes.push(ReplyNote {
                        source: doc.source.clone(),
                        location: location(p),
                        status: s.status,
                        text: text.chars().take(300).collect(),
                    });
                }
            }
        }
        return;
    };
    let answer_text = answer_text.trim_end_matches(['.', ';']).trim();
    if answer_text.is_empty() {
        return;
    }
    let period = if field.periods.is_empty() {
        String::new()
    } else {
        match period::periods_in(question).as_slice() {
            [p] if field.periods.contains(p) => p.clone(),
            [] if field.periods.len() == 1 => field.periods[0].clone(),
            _ => return,
        }
    };
    out.found.push(Found {
        body: None,
        field: field.id.clone(),
        period,
        raw: answer_text.to_owned(),
        scale: 1.0,
        source: doc.source.clone(),
        location: location(p),
        rule: "prose:sentence".into(),
        is_total: false,
        block: 100_000 + block * 1000 + p.line,
    });
}
