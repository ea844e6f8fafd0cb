//! Tell a file's format from its bytes, never its name: replies arrive as xlsx named .xls, csv
//! named .xlsx, and zips of anything.

use super::document::Format;
use std::io::{Cursor, Read};

/// The format of `bytes`; `name` only separates a WhatDoTheyKnow thread
/// (`correspondence.txt`) from other plain text.
pub fn sniff(bytes: &[u8], name: &str) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An encrypted xlsx/docx is an OLE container holding "EncryptedPackage".
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Format::Encrypted;
        }
        return Format::Xls;
    }
    if bytes.starts_with(b"%PDF")
        || bytes
            .get(..1024)
            .is_some_and(|h| h.windows(5).any(|w| w == b"%PDF-"))
    {
        return Format::Pdf;
    }
    let head = super::text::decode(&bytes[..bytes.len().min(8192)]).0;
    let lower = head.trim_start().to_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
    {
        return Format::Html;
    }
    if looks_like_mime(&head) {
        return Format::Eml;
    }
    if name.eq_ignore_ascii_case("correspondence.txt") {
        return Format::Correspondence;
    }
    if bytes.iter().take(8192).filter(|&&b| b == 0).count() > 0 && !is_utf16(bytes) {
        return Format::Unknown;
    }
    if super::delimited::sniff_delimiter(&head).is_some() {
        return Format::Csv;
    }
    Format::Text
}

fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// RFC 822 headers at the top and a MIME marker: a saved e-mail.
fn looks_like_mime(head: &str) -> bool {
    let mut headers = 0;
    let mut mime = false;
    for line in head.lines().take(40) {
        if line.trim().is_empty() {
            break;
        }
        if let Some((k, _)) = line.split_once(':')
            && !k.is_empty()
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            headers += 1;
            let k = k.to_ascii_lowercase();
            mime |=
                k == "mime-version" || k == "content-type" || k == "message-id" || k == "received";
        }
    }
    headers >= 3 && mime
}

fn sniff_zip(bytes: &[u8]) -> Format {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Format::Zip;
    };
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    let has = |p: &str| names.iter().any(|n| n.starts_with(p));
    if names.iter().any(|n| n == "mimetype") {
        let mut mime = String::new();
        if let Ok(mut f) = archive.by_name("mimetype") {
            let _ = f.by_ref().take(200).read_to_string(&mut mime);
        }
        if mime.contains("opendocument.spreadsheet") {
            return Format::Ods;
        }
        if mime.contains("opendocument.text") {
            return Format::Odt;
        }
    }
    if has("xl/workbook.bin") {
        Format::Xlsb
    } else if has("xl/") {
        Format::Xlsx
    } else if has("word/") {
        Format::Docx
    } else {
        Format::Zip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_formats_from_their_content() {
        assert_eq!(
            sniff(b"Question,Response\n1. How many,12\n2. What,3\n", "a.xlsx"),
            Format::Csv
        );
        assert_eq!(
            sniff(b"Question;Response\n1. How many;12\n2. What;3\n", "a.txt"),
            Format::Csv
        );
        assert_eq!(
            sniff(b"Dear Jordan,\n\nOur budget was \xa31.2m.\n", "a.csv"),
            Format::Text
        );
        assert_eq!(
            sniff(
                b"From: a@b\nTo: c@d\nSubject: x\nMIME-Version: 1.0\n\nhi",
                "x.txt"
            ),
            Format::Eml
        );
        assert_eq!(
            sniff(b"From: a\n\nhello", "correspondence.txt"),
            Format::Correspondence
        );
        assert_eq!(sniff(b"", "x.xlsx"), Format::Empty);
        assert_eq!(sniff(b"%PDF-1.4\n", "x.doc"), Format::Pdf);
    }
}
