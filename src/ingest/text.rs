//! Plain text in any of the encodings replies use (UTF-8 with or without BOM, UTF-16,
//! Windows-1252), and WhatDoTheyKnow threads split into their messages.

use super::document::{Line, TextBlock};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Decode bytes to text and name the encoding used. Never fails: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    if looks_utf16(bytes) {
        let enc = if bytes.len() > 1 && bytes[0] == 0 {
            UTF_16BE
        } else {
            UTF_16LE
        };
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), UTF_8.name());
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(Some(b"uk"), true);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// UTF-16 without a BOM: every other byte of ASCII text is zero.
fn looks_utf16(bytes: &[u8]) -> bool {
    let n = bytes.len().min(512) / 2 * 2;
    if n < 8 {
        return false;
    }
    let zeros_even = bytes[..n].iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = bytes[..n]
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let half = n / 2;
    zeros_even * 10 > half * 8 || zeros_odd * 10 > half * 8
}

/// Text as one block of numbered lines.
pub fn lines(text: &str) -> TextBlock {
    TextBlock {
        headers: Vec::new(),
        lines: text
            .lines()
            .enumerate()
            .map(|(i, l)| Line::new(i + 1, None, l.trim_end().to_owned()))
            .collect(),
        role: Default::default(),
    }
}

/// A thread as WhatDoTheyKnow saves it: messages with From/To/Date/Subject headers, separated by
/// rules of dashes. Each message becomes a block with its headers; line numbers stay the file's.
pub fn correspondence(text: &str) -> Vec<TextBlock> {
    let mut blocks: Vec<TextBlock> = Vec::new();
    let mut current = TextBlock::default();
    let mut in_headers = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.len() >= 20 && line.chars().all(|c| c == '-') {
            blocks.push(std::mem::take(&mut current));
            in_headers = false;
            continue;
        }
        let header = line.split_once(':').filter(|(k, _)| {
            matches!(
                k.to_ascii_lowercase().as_str(),
                "from" | "to" | "date" | "subject" | "cc"
            )
        });
        if let Some((k, v)) = header
            && current.lines.iter().all(|l| l.text.trim().is_empty())
        {
            current.headers.push((k.to_owned(), v.trim().to_owned()));
            current.lines.clear();
            in_headers = true;
            continue;
        }
        if in_headers && line.trim().is_empty() {
            in_headers = false;
            continue;
        }
        in_headers = false;
        current.lines.push(Line::new(i + 1, None, line.to_owned()));
    }
    blocks.push(current);
    // Footers between rules (no headers) belong to the message before them.
    let mut merged: Vec<TextBlock> = Vec::new();
    for b in blocks {
        if b.headers.is_empty() {
            if b.lines.iter().all(|l| l.text.trim().is_empty()) {
                continue;
            }
            if let Some(last) = merged.last_mut() {
                last.lines.extend(b.lines);
                continue;
            }
        }
        merged.push(b);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_replies_come_in() {
        assert_eq!(decode(b"\xef\xbb\xbf\xc2\xa31").0, "£1");
        assert_eq!(decode(b"\xa31,234").0, "£1,234");
        assert_eq!(decode(b"\xff\xfe\xa3\x001\x00").0, "£1");
        assert_eq!(decode("£1".as_bytes()).0, "£1");
    }

    #[test]
    fn a_thread_splits_into_messages_with_headers() {
        let t = "From: A <a@x>\nTo: B\nSubject: req\n\nDear B,\nplease.\n\n-------------------------------------------------------------------\n\nPlease use this address\n\n-------------------------------------------------------------------\n\nFrom: B <b@nhs.net>\nTo: A\n\nDear A,\nNot held.\n";
        let blocks = correspondence(t);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].header("from"), Some("A <a@x>"));
        assert!(
            blocks[0]
                .lines
                .iter()
                .any(|l| l.text.contains("Please use"))
        );
        assert_eq!(blocks[1].header("From"), Some("B <b@nhs.net>"));
        let not_held = blocks[1]
            .lines
            .iter()
            .find(|l| l.text == "Not held.")
            .unwrap();
        assert_eq!(not_held.number, 18);
    }
}
