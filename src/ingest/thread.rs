//! The thread model: who wrote which words. A saved thread, an e-mail or a pasted
//! disclosure-log page becomes blocks with an author role (requester, body, unknown), told from
//! headers, WhatDoTheyKnow addresses, the first message of a thread (the request), quoting
//! ("-----Original Message-----", "On ... wrote:", `>`) and, for a page with no headers at all,
//! its structure (a request paragraph in the requester's voice, then the response). Only the
//! body's own words are evidence of an answer: the request, quoted or not, never is.

use super::document::{Line, Role, TextBlock};
use regex::Regex;
use std::sync::LazyLock;

/// The start of a quoted earlier message inside a reply.
static QUOTE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:-{2,}\s*original\s+message\s*-{2,}|-{2,}\s*forwarded\s+message\s*-{2,}|on\s.{4,200}\bwrote:\s*$|_{10,}\s*$)").unwrap()
});
/// A quoted header line ("From: ...", "> Sent: ...").
static QUOTED_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*>?\s*(from|sent|to|date|subject|cc):\s").unwrap());
/// Words only the person asking writes: "please provide", "I would be grateful", "my request".
static REQUESTER_VOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(please\s+(?:provide|send|answer|supply|say|tell|let\s+me|confirm|could)|i\s+would\s+(?:be\s+grateful|like)|i\s+am\s+writing\s+to\s+(?:request|ask)|my\s+(?:previous\s+)?request|yours\s+faithfully|under\s+the\s+freedom\s+of\s+information\s+act\s+2000,?\s+(?:please|i\s+request|could))").unwrap()
});
/// An item of a question list: "1. What was ...?", "(b) How much ...?".
static QUESTION_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:q(?:uestion)?\s*)?\(?\d{1,2}[a-z]?[.):]?\s.*\?\s*(?:\(.*\))?\s*$")
        .unwrap()
});

/// Is this sentence or line written in the requester's voice?
pub fn requester_voice(text: &str) -> bool {
    REQUESTER_VOICE.is_match(text)
}

/// The address inside a From header ("Jo <jo@x.org>" -> "jo@x.org"), lower-cased.
fn address(from: &str) -> String {
    let from = from.trim();
    let inner = match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from,
    };
    inner.trim().to_lowercase()
}

fn is_whatdotheyknow(from: &str) -> bool {
    from.to_lowercase().contains("whatdotheyknow")
}

/// Roles for the messages of a saved thread (`correspondence.txt`): the first message is the
/// request, so its sender is the requester wherever they write from; WhatDoTheyKnow addresses
/// are the requester's; everyone else is the body. A reply's quoted tail is split off. A thread
/// with no headers at all is a pasted page, split by its structure.
pub fn thread(blocks: Vec<TextBlock>) -> Vec<TextBlock> {
    if blocks.iter().all(|b| b.headers.is_empty()) {
        return blocks.into_iter().flat_map(page).collect();
    }
    let requester = requester_address(&blocks);
    let mut out = Vec::new();
    for mut b in blocks {
        let from = b.header("from").map(str::to_owned);
        b.role = match &from {
            None => Role::Unknown,
            Some(f)
                if is_whatdotheyknow(f) || requester.as_deref() == Some(address(f).as_str()) =>
            {
                Role::Requester
            }
            Some(_) => Role::Body,
        };
        if b.role == Role::Body {
            out.extend(split_quoted(b));
        } else {
            out.push(b);
        }
    }
    out
}

/// The requester's address: a WhatDoTheyKnow sender, else the sender of the first message
/// written in the requester's voice (the request), else whom the first message was sent to (a
/// thread saved from the body's mailbox starts with its reply, the request quoted below it).
fn requester_address(blocks: &[TextBlock]) -> Option<String> {
    let headed: Vec<&TextBlock> = blocks.iter().filter(|b| !b.headers.is_empty()).collect();
    if let Some(f) = headed
        .iter()
        .filter_map(|b| b.header("from"))
        .find(|f| is_whatdotheyknow(f))
    {
        return Some(address(f));
    }
    let own_words = |b: &TextBlock| -> bool {
        let parts = split_quoted(TextBlock {
            role: Role::Body,
            ..b.clone()
        });
        parts[0].lines.iter().any(|l| requester_voice(&l.text))
    };
    if let Some(f) = headed
        .iter()
        .find(|b| own_words(b))
        .and_then(|b| b.header("from"))
    {
        return Some(address(f));
    }
    headed.first().and_then(|b| b.header("to")).map(address)
}

/// The role of a saved e-mail (`.eml`): the body's unless it comes from the requester's
/// WhatDoTheyKnow address; its quoted tail is split off.
pub fn message(mut block: TextBlock) -> Vec<TextBlock> {
    block.role = match block.header("from") {
        Some(f) if is_whatdotheyknow(f) => Role::Requester,
        _ => Role::Body,
    };
    if block.role == Role::Body {
        split_quoted(block)
    } else {
        vec![block]
    }
}

/// A body's message up to the first quoted earlier message (or `>` line); the rest becomes a
/// block of its own whose author is the requester (what a reply quotes is the request).
fn split_quoted(mut block: TextBlock) -> Vec<TextBlock> {
    let n = block.lines.len();
    let cut = (0..n).find(|&i| {
        let t = block.lines[i].text.as_str();
        if QUOTE_START.is_match(t) || t.trim_start().starts_with('>') {
            return true;
        }
        // An Outlook-style quoted header block: "From: ..." then "Sent:"/"To:" on the next lines.
        t.trim_start().to_lowercase().starts_with("from:")
            && block.lines[i + 1..n.min(i + 4)]
                .iter()
                .any(|l| QUOTED_HEADER.is_match(&l.text))
    });
    let Some(cut) = cut else { return vec![block] };
    let tail: Vec<Line> = block.lines.split_off(cut);
    let quoted = TextBlock {
        headers: Vec::new(),
        lines: tail,
        role: Role::Requester,
    };
    vec![block, quoted]
}

/// A header-less page (a disclosure-log entry pasted in): the request is the run of lines in
/// the requester's voice and its question list; the response is everything after it. A question
/// directly followed by an answer (not by more of the request) is the response restating it.
fn page(block: TextBlock) -> Vec<TextBlock> {
    let lines = &block.lines;
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.trim().is_empty())
        .collect();
    let voice = |k: usize| requester_voice(&lines[nonblank[k]].text);
    let question = |k: usize| QUESTION_LINE.is_match(&lines[nonblank[k]].text);
    // Request-like: the requester's voice, or a question followed by more of the request.
    let request_like = |k: usize| {
        voice(k) || (question(k) && k + 1 < nonblank.len() && (voice(k + 1) || question(k + 1)))
    };
    let Some(start) = (0..nonblank.len()).find(|&k| request_like(k)) else {
        return vec![TextBlock {
            role: Role::Unknown,
            ..block
        }];
    };
    let mut end = start;
    let mut k = start;
    while k < nonblank.len() {
        if request_like(k) {
            end = k;
        } else if !(k + 1 < nonblank.len() && request_like(k + 1)) {
            // One stray line inside the request ("Figures for 2018/19 may be planned.") does not
            // end it; two lines not in the requester's voice do.
            break;
        }
        k += 1;
    }
    let (first, last) = (nonblank[start], nonblank[end]);
    let mut before = block.lines.clone();
    let mut request = before.split_off(first);
    let after = request.split_off(last - first + 1);
    let mut out = Vec::new();
    if before.iter().any(|l| !l.text.trim().is_empty()) {
        out.push(TextBlock {
            headers: Vec::new(),
            lines: before,
            role: Role::Body,
        });
    }
    out.push(TextBlock {
        headers: Vec::new(),
        lines: request,
        role: Role::Requester,
    });
    out.push(TextBlock {
        headers: Vec::new(),
        lines: after,
        role: Role::Body,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::correspondence;

    fn texts(blocks: &[TextBlock], role: Role) -> String {
        blocks
            .iter()
            .filter(|b| b.role == role)
            .flat_map(|b| b.lines.iter().map(|l| l.text.clone()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_requester_outside_whatdotheyknow_is_still_the_requester() {
        let t = "From: Jo <jo@outlook.com>\nTo: FOI <foi@nhs.net>\n\nIf any part of this request is likely to exceed the cost limit, please say.\n\n--------------------------------------------------\n\nFrom: FOI <foi@nhs.net>\nTo: Jo <jo@outlook.com>\n\nOur answer is below.\n1. Not held.\n\n-----Original Message-----\n> From: Jo <jo@outlook.com>\n> Sent: 01 June 2018\n> If any part of this request is likely to exceed the cost limit, please say.\n";
        let blocks = thread(correspondence(t));
        let body = texts(&blocks, Role::Body);
        assert!(body.contains("1. Not held."));
        assert!(!body.contains("cost limit"), "{body}");
        assert!(texts(&blocks, Role::Requester).contains("cost limit"));
    }

    #[test]
    fn a_thread_saved_from_the_bodys_mailbox_starts_with_its_reply() {
        let t = "From: FOI <foi@nhs.net>\nTo: Jo <jo@outlook.com>\n\nDear Jo,\n1. £3m\n\n-----Original Message-----\nFrom: Jo <jo@outlook.com>\nSent: 1 June\nTo: FOI\nPlease provide the budget.\n";
        let blocks = thread(correspondence(t));
        assert!(texts(&blocks, Role::Body).contains("1. £3m"));
        assert!(texts(&blocks, Role::Requester).contains("Please provide"));
    }

    #[test]
    fn on_wrote_and_outlook_headers_start_the_quoted_request() {
        for quote in [
            "On 1 June 2018, Jo <jo@x.org> wrote:\n> 1. What was the budget?",
            "From: Jo <jo@x.org>\nSent: 01 June 2018\nTo: FOI\n1. What was the budget?",
        ] {
            let b = TextBlock {
                headers: vec![("From".into(), "FOI <foi@nhs.net>".into())],
                lines: crate::ingest::text::lines(&format!("Answer: £1m.\n\n{quote}")).lines,
                role: Role::Unknown,
            };
            let blocks = message(b);
            assert_eq!(texts(&blocks, Role::Body).trim(), "Answer: £1m.");
            assert!(texts(&blocks, Role::Requester).contains("What was"));
        }
    }

    #[test]
    fn a_headerless_page_splits_into_request_and_response() {
        let t = "FOI 123 - Budgets\nThis request follows up my request of 2016.\nFigures may be planned.\nUnder the Freedom of Information Act 2000, please provide the following.\n1. What was the budget in each of 2016/17, 2017/18?\n2. What was the total in each of 2016/17, 2017/18?\nIf any part of this request is likely to exceed the cost limit, please answer the rest.\n1a. What was the budget in 2016/17?\n£5.65m\n2. The total was £3m in 2016/17.\nBack to top";
        let blocks = thread(correspondence(t));
        let request = texts(&blocks, Role::Requester);
        let body = texts(&blocks, Role::Body);
        assert!(
            request.contains("cost limit") && request.contains("Figures may be planned"),
            "{request}"
        );
        assert!(
            body.contains("1a. What was the budget in 2016/17?\n£5.65m"),
            "{body}"
        );
        assert!(!body.contains("cost limit"));
    }
}
