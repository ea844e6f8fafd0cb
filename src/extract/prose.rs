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

/// Financial years as written, removed before looking for a sentence's one figure.
static PERIOD_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:fy\s*)?(?:20)?\d\d\s*[-/–]\s*(?:20)?\d\d\b|\b(?:april|apr)\s+20\d\d\s*(?:-|–|to)\s*(?:march|mar)\s+20\d\d\b").unwrap()
});
static NUMBERING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(q(uestion)?\s*)?\d{1,2}\s*[a-z]?\s*[.):]\s*").unwrap());
/// Where a question ends and its answer begins: "...: answer", "...? answer", "... was answer".
static SPLIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(:\s+|\?\s+|\s+(?:was|were|is|are|totalled|totaled|amounted\s+to)\s+)").unwrap());
static WHOLE_REQUEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(your\s+request|the\s+information\s+(you\s+)?(have\s+)?requested|this\s+request|comply)").unwrap());
/// A statement about one question ("the information requested at question 2") is not about the
/// whole request.
static ONE_QUESTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(question|part|item)s?\s*\(?\d").unwrap());
/// A figure in a sentence with no "was"/":" to split on: "We have 2,493 patients ...".
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:£\s*)?\d[\d,]*(?:\.\d+)?(?:\s*(?:m|bn|k|million|billion|thousand)\b)?").unwrap());
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
        // A numbered question after a finished sentence starts a new paragraph even with no
        // blank line between ("...professionals? No." then "9. Does the CCG plan ...").
        let numbered = NUMBERING.find(t).is_some_and(|m| t[m.end()..].starts_with(char::is_uppercase));
        if numbered && current.as_ref().is_some_and(|p| p.text.ends_with(['.', '?', '!']) && NUMBERING.is_match(&p.text)) {
            out.extend(current.take());
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

static ACKNOWLEDGEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(has\s+been\s+logged|aim\s+to\s+respond|will\s+be\s+dealt\s+with|we\s+will\s+respond|acknowledge\s+receipt|delivery\s+(status\s+)?notification|out\s+of\s+(the\s+)?office)").unwrap()
});

/// Does this thread hold a message from the body that is more than an acknowledgement?
pub fn has_reply(doc: &Document) -> bool {
    doc.texts.iter().any(|b| {
        !b.headers.is_empty() && !from_requester(b) && {
            let text: String = b.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ");
            !ACKNOWLEDGEMENT.is_match(&text)
        }
    })
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
        if WHOLE_REQUEST.is_match(text) && !ONE_QUESTION.is_match(text)
            && let Some(s) = answer::status_phrase(text)
                && matches!(s.status, Status::Refused | Status::NotHeld | Status::Exempt) {
                    out.notes.push(ReplyNote {
                        source: doc.source.clone(),
                        location: location(p),
                        status: s.status,
                        text: text.chars().take(300).collect(),
                    });
                }
        return;
    };
    let mut answer_text = answer_text.trim_end_matches(['.', ';']).trim().to_owned();
    if answer_text.is_empty() {
        // No split: the sentence is the answer when it holds one figure besides its years, or
        // states a status.
        let without_years = PERIOD_TEXT.replace_all(question, " ");
        let figures: Vec<&str> = FIGURE.find_iter(&without_years).map(|m| m.as_str()).collect();
        match figures.as_slice() {
            [one] => answer_text = one.trim().to_owned(),
            [] if answer::status_phrase(question).is_some() => answer_text = question.trim_end_matches('.').to_owned(),
            _ => return,
        }
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
        raw: answer_text,
        scale: 1.0,
        source: doc.source.clone(),
        location: location(p),
        rule: "prose:sentence".into(),
        is_total: false,
        block: 100_000 + block * 1000 + p.line,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::document::Line;

    fn block(text: &str) -> TextBlock {
        let lines = text.lines().enumerate().map(|(i, t)| Line { number: i + 1, page: None, text: t.to_owned() }).collect();
        TextBlock { headers: Vec::new(), lines }
    }

    #[test]
    fn a_numbered_question_after_a_finished_answer_starts_a_paragraph() {
        let b = block(
            "4. Does the CCG commission 7-day services in patients' own\nhomes? Yes.\n\n\
             8. Does the CCG commission palliative care education? No.\n9. Does the CCG plan to update or review its services? Yes.\n\
             The budget was £1.2m in\n2015. It rose.",
        );
        let texts: Vec<String> = paragraphs(&b).into_iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            [
                "4. Does the CCG commission 7-day services in patients' own homes? Yes.",
                "8. Does the CCG commission palliative care education? No.",
                "9. Does the CCG plan to update or review its services? Yes. The budget was £1.2m in 2015. It rose.",
            ]
        );
    }
}
