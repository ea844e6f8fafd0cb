//! HTML replies (saved web forms, WhatDoTheyKnow's renderings of attachments): tables become
//! sheets and the rest of the page's text one block of paragraphs, as for a Word letter.
//!
//! A small tolerant tokenizer rather than a full HTML5 parser: replies need the text, the
//! tables and the entities decoded, not a DOM, and whatever the markup (unclosed cells, stray
//! `<`, cut-off files) the reader gives what it can and never fails. Script and style are
//! dropped; a form's filled-in values (text inputs, text areas, selected options) are read as
//! text where they stand. A table's caption becomes its first row, so that a heading such as
//! "All figures £000s" stays with the figures.

use super::document::{Sheet, TextBlock};
use super::layout::{Layout, MAX_COLS, MAX_REPEAT_ROWS};
use std::borrow::Cow;

/// Read a page. Never fails: malformed markup gives what could be read.
pub fn read(bytes: &[u8]) -> Result<(Vec<Sheet>, Vec<TextBlock>), String> {
    Ok(parse(&decode(bytes)))
}

/// The page as text: a BOM or valid UTF-8 first, then the charset the page declares, then a guess.
fn decode(bytes: &[u8]) -> String {
    if encoding_rs::Encoding::for_bom(bytes).is_some() || std::str::from_utf8(bytes).is_ok() {
        return super::text::decode(bytes).0;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    if let Some(i) = head.find("charset=") {
        let label: String = head[i + 8..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return enc.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    super::text::decode(bytes).0
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    /// The content of a raw-text element (script, style, textarea, title), entities undecoded.
    Raw(&'a str),
    Start { name: String, attrs: Vec<(String, String)> },
    End(String),
}

/// Elements whose content is not markup: read up to their end tag as it stands.
const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "template"];

struct Tokens<'a> {
    s: &'a str,
    pos: usize,
    raw_until: Option<String>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

/// Where `needle` (ASCII, lower case) occurs in `hay` from `from`, ignoring ASCII case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || from >= hay.len() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len().saturating_sub(needle.len())).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

impl<'a> Tokens<'a> {
    fn new(s: &'a str) -> Self {
        Tokens { s, pos: 0, raw_until: None }
    }

    /// Skip to just past the next `end` (or to the end of the text).
    fn skip_past(&mut self, from: usize, end: &[u8]) {
        self.pos = find(self.s.as_bytes(), from, end).map(|i| i + end.len()).unwrap_or(self.s.len());
    }

    fn start_tag(&mut self) -> Token<'a> {
        let b = self.s.as_bytes();
        let n = b.len();
        let mut i = self.pos + 1;
        while i < n && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = self.s[self.pos + 1..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < n && (is_space(b[i]) || b[i] == b'/') {
                i += 1;
            }
            if i >= n {
                break;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            i += 1; // the first character may be anything, even '='
            while i < n && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let key = self.s[start..i].to_ascii_lowercase();
            while i < n && is_space(b[i]) {
                i += 1;
            }
            let mut value = String::new();
            if i < n && b[i] == b'=' {
                i += 1;
                while i < n && is_space(b[i]) {
                    i += 1;
                }
                if i < n && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let end = b[i + 1..].iter().position(|&c| c == q).map(|p| p + i + 1).unwrap_or(n);
                    value = decode_entities(&self.s[i + 1..end]).into_owned();
                    i = (end + 1).min(n);
                } else {
                    let start = i;
                    while i < n && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&self.s[start..i]).into_owned();
                }
            }
            attrs.push((key, value));
        }
        self.pos = i;
        if RAW.contains(&name.as_str()) {
            self.raw_until = Some(name.clone());
        }
        Token::Start { name, attrs }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let b = self.s.as_bytes();
        let n = b.len();
        loop {
            if self.pos >= n {
                return None;
            }
            if let Some(raw) = self.raw_until.take() {
                let close = format!("</{raw}");
                let end = find_ci(b, self.pos, close.as_bytes()).unwrap_or(n);
                let text = &self.s[self.pos..end];
                self.pos = end;
                if !text.is_empty() {
                    return Some(Token::Raw(text));
                }
                continue;
            }
            let p = self.pos;
            if b[p] != b'<' {
                let end = find(b, p, b"<").unwrap_or(n);
                self.pos = end;
                return Some(Token::Text(&self.s[p..end]));
            }
            let next = b.get(p + 1).copied();
            match next {
                Some(b'!') if b[p..].starts_with(b"<!--") => self.skip_past(p + 4, b"-->"),
                Some(b'!' | b'?') => self.skip_past(p + 1, b">"),
                Some(b'/') if b.get(p + 2).is_some_and(|c| c.is_ascii_alphabetic()) => {
                    let mut i = p + 2;
                    while i < n && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
                        i += 1;
                    }
                    let name = self.s[p + 2..i].to_ascii_lowercase();
                    self.skip_past(i, b">");
                    return Some(Token::End(name));
                }
                // `</>` or `</ 3>`: a bogus comment.
                Some(b'/') => self.skip_past(p + 2, b">"),
                Some(c) if c.is_ascii_alphabetic() => return Some(self.start_tag()),
                _ => {
                    self.pos = p + 1;
                    return Some(Token::Text(&self.s[p..p + 1]));
                }
            }
        }
    }
}

/// Replace character references: `&amp;`, `&pound;`, `&#163;`, `&#xA3;`, and the few legacy
/// names browsers accept without the `;`. Anything else stays as written.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'&' {
            i += 1;
            continue;
        }
        if let Some((text, len)) = reference(&b[i + 1..]) {
            out.push_str(&s[last..i]);
            out.push_str(&text);
            i += 1 + len;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// The reference after a `&`: its text and how many bytes it took.
fn reference(b: &[u8]) -> Option<(String, usize)> {
    if b.first() == Some(&b'#') {
        let (hex, start) = match b.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits = b[start..].iter().take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() }).count();
        if digits == 0 {
            return None;
        }
        let text = std::str::from_utf8(&b[start..start + digits]).ok()?;
        let code = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut len = start + digits;
        if b.get(len) == Some(&b';') {
            len += 1;
        }
        return Some((numeric(code).to_string(), len));
    }
    let name_len = b.iter().take(32).take_while(|c| c.is_ascii_alphanumeric()).count();
    if name_len == 0 {
        return None;
    }
    let name = std::str::from_utf8(&b[..name_len]).ok()?;
    let c = named(name)?;
    if b.get(name_len) == Some(&b';') {
        Some((c.to_owned(), name_len + 1))
    } else if matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "pound" | "copy" | "reg") {
        Some((c.to_owned(), name_len))
    } else {
        None
    }
}

/// A numeric reference's character, with the Windows-1252 meanings browsers give 128-159.
fn numeric(code: u32) -> char {
    if (0x80..=0x9F).contains(&code) {
        let byte = [code as u8];
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
        return text.chars().next().unwrap_or('\u{FFFD}');
    }
    match char::from_u32(code) {
        Some('\0') | None => '\u{FFFD}',
        Some(c) => c,
    }
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" => "\u{A0}",
        "pound" => "£",
        "euro" => "€",
        "cent" => "¢",
        "yen" => "¥",
        "dollar" => "$",
        "percnt" => "%",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "sect" => "§",
        "para" => "¶",
        "deg" => "°",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "minus" => "−",
        "frac14" => "¼",
        "frac12" => "½",
        "frac34" => "¾",
        "sup1" => "¹",
        "sup2" => "²",
        "sup3" => "³",
        "micro" => "µ",
        "middot" => "·",
        "bull" => "•",
        "hellip" => "…",
        "ndash" => "–",
        "mdash" => "—",
        "hyphen" | "dash" => "‐",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "lsaquo" => "‹",
        "rsaquo" => "›",
        "iexcl" => "¡",
        "iquest" => "¿",
        "shy" => "\u{AD}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "zwnj" => "\u{200C}",
        "zwj" => "\u{200D}",
        "lrm" => "\u{200E}",
        "rlm" => "\u{200F}",
        "prime" => "′",
        "Prime" => "″",
        "dagger" => "†",
        "Dagger" => "‡",
        "permil" => "‰",
        "larr" => "←",
        "rarr" => "→",
        "le" => "≤",
        "ge" => "≥",
        "ne" => "≠",
        "asymp" => "≈",
        "check" | "checkmark" => "✓",
        "aacute" => "á",
        "Aacute" => "Á",
        "agrave" => "à",
        "Agrave" => "À",
        "acirc" => "â",
        "auml" => "ä",
        "Auml" => "Ä",
        "aring" => "å",
        "aelig" => "æ",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        "eacute" => "é",
        "Eacute" => "É",
        "egrave" => "è",
        "Egrave" => "È",
        "ecirc" => "ê",
        "euml" => "ë",
        "iacute" => "í",
        "icirc" => "î",
        "iuml" => "ï",
        "ntilde" => "ñ",
        "oacute" => "ó",
        "ocirc" => "ô",
        "ouml" => "ö",
        "Ouml" => "Ö",
        "oslash" => "ø",
        "uacute" => "ú",
        "ucirc" => "û",
        "uuml" => "ü",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "yuml" => "ÿ",
        _ => return None,
    })
}

/// Elements that begin and end a block of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "li" | "ul" | "ol" | "dl" | "dt" | "dd" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr" | "pre"
            | "blockquote" | "address" | "article" | "aside" | "section" | "header" | "footer" | "main" | "nav"
            | "figure" | "figcaption" | "form" | "fieldset" | "legend" | "details" | "summary" | "center" | "body"
            | "html" | "head" | "menu" | "dir" | "hgroup" | "tbody" | "thead" | "tfoot"
    )
}

fn attr<'t>(attrs: &'t [(String, String)], key: &str) -> Option<&'t str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// A span attribute as browsers read it: its leading digits, 1 where there are none or 0.
fn span(attrs: &[(String, String)], key: &str, max: usize) -> usize {
    let digits: String = attr(attrs, key).unwrap_or("").trim().chars().take_while(|c| c.is_ascii_digit()).take(6).collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, max)
}

struct Reader {
    layout: Layout,
    /// Inside `<pre>`: newlines are line breaks and spaces stay.
    pre: usize,
    in_select: bool,
    option_selected: bool,
    raw: Option<String>,
}

impl Reader {
    /// Text as a browser lays it out: runs of white space are one space, none at a line's start.
    fn text(&mut self, s: &str) {
        self.plain(&decode_entities(s));
    }

    /// Text whose references are already decoded.
    fn plain(&mut self, s: &str) {
        if self.in_select && !self.option_selected {
            return;
        }
        if self.pre > 0 {
            let mut lines = s.split('\n');
            if let Some(first) = lines.next() {
                self.layout.text(&first.replace(['\r', '\u{A0}'], " "));
            }
            for line in lines {
                self.layout.line_break();
                self.layout.text(&line.replace(['\r', '\u{A0}'], " "));
            }
            return;
        }
        let mut out = String::with_capacity(s.len());
        let mut space = self.layout.at_space();
        for c in s.chars() {
            match c {
                ' ' | '\t' | '\n' | '\r' | '\u{C}' => {
                    if !space {
                        out.push(' ');
                        space = true;
                    }
                }
                '\u{AD}' | '\u{200B}' => {}
                '\u{A0}' => {
                    out.push(' ');
                    space = false;
                }
                c => {
                    out.push(c);
                    space = false;
                }
            }
        }
        self.layout.text(&out);
    }

    fn start(&mut self, name: &str, attrs: &[(String, String)]) {
        match name {
            "br" => self.layout.line_break(),
            "table" => {
                self.layout.end_paragraph();
                self.layout.begin_table();
            }
            "tr" => {
                self.layout.end_paragraph();
                self.layout.begin_row();
            }
            "td" | "th" => {
                self.layout.end_paragraph();
                self.layout.begin_cell();
                self.layout.cell_span(span(attrs, "colspan", MAX_COLS), span(attrs, "rowspan", MAX_REPEAT_ROWS));
            }
            "caption" => {
                self.layout.end_paragraph();
                self.layout.begin_row();
                self.layout.begin_cell();
            }
            "input" => {
                let kind = attr(attrs, "type").unwrap_or("text").trim().to_ascii_lowercase();
                let filled = matches!(
                    kind.as_str(),
                    "" | "text" | "number" | "email" | "tel" | "url" | "search" | "date" | "datetime-local" | "month" | "week" | "time"
                );
                if let Some(v) = attr(attrs, "value").filter(|v| filled && !v.trim().is_empty()) {
                    let v = format!(" {v} ");
                    self.plain(&v);
                }
            }
            "textarea" => self.text(" "),
            _ => {
                if name == "pre" {
                    self.pre += 1;
                }
                if name == "select" {
                    self.in_select = true;
                    self.option_selected = false;
                }
                if name == "option" {
                    self.option_selected = attr(attrs, "selected").is_some();
                }
                if is_block(name) {
                    self.layout.end_paragraph();
                }
            }
        }
        if RAW.contains(&name) {
            self.raw = Some(name.to_owned());
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "table" => {
                self.layout.end_paragraph();
                self.layout.end_table();
            }
            "tr" => {
                self.layout.end_paragraph();
                self.layout.end_row();
            }
            "td" | "th" => {
                self.layout.end_paragraph();
                self.layout.end_cell();
            }
            "caption" => {
                self.layout.end_paragraph();
                self.layout.end_row();
            }
            "textarea" => self.text(" "),
            "br" => self.layout.line_break(),
            _ => {
                if name == "pre" {
                    self.pre = self.pre.saturating_sub(1);
                }
                if name == "select" {
                    self.in_select = false;
                }
                if name == "option" {
                    self.option_selected = false;
                }
                if is_block(name) {
                    self.layout.end_paragraph();
                }
            }
        }
    }
}

fn parse(s: &str) -> (Vec<Sheet>, Vec<TextBlock>) {
    let mut r = Reader { layout: Layout::new(false), pre: 0, in_select: false, option_selected: false, raw: None };
    for token in Tokens::new(s) {
        match token {
            Token::Text(t) => r.text(t),
            Token::Raw(t) => {
                // Only a text area's content is the page's text; script, style and the rest are not.
                if r.raw.take().as_deref() == Some("textarea") {
                    r.text(t);
                }
            }
            Token::Start { name, attrs } => r.start(&name, &attrs),
            Token::End(name) => r.end(&name),
        }
    }
    r.layout.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::document::Cell;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn lines(blocks: &[TextBlock]) -> Vec<(usize, String)> {
        blocks[0].lines.iter().map(|l| (l.number, l.text.clone())).collect()
    }

    #[test]
    fn prose_blocks_entities_and_scripts() {
        let html = "<!DOCTYPE html><html><head><title>FOI 123</title><style>p { color: red }</style>\
            <script>if (a < b) { document.write('<p>no</p>') }</script></head><body>\
            <h1>Freedom of   Information</h1><p>Dear Jordan,</p>\n<p>Tom &amp; Jerry paid &pound;5&nbsp;000 and &#163;6, &#x20AC;7, &#150; &bogus; &amp</p>\
            <!-- a <p>comment</p> --><div>1a. CAMHS<br>was £2m<div>nested</div>tail</div><ul><li>one<li>two</ul>\
            <p>   </p><pre>a  b\nc</pre></body></html>";
        let (sheets, blocks) = read(html.as_bytes()).unwrap();
        assert!(sheets.is_empty());
        let got = lines(&blocks);
        let want: Vec<(usize, &str)> = vec![
            (1, "Freedom of Information"),
            (1, ""),
            (2, "Dear Jordan,"),
            (2, ""),
            (3, "Tom & Jerry paid £5 000 and £6, €7, – &bogus; &"),
            (3, ""),
            (4, "1a. CAMHS"),
            (4, "was £2m"),
            (4, ""),
            (5, "nested"),
            (5, ""),
            (6, "tail"),
            (6, ""),
            (7, "one"),
            (7, ""),
            (8, "two"),
            (8, ""),
            (9, "a  b"),
            (9, "c"),
            (9, ""),
        ];
        assert_eq!(got, want.into_iter().map(|(n, s)| (n, s.to_owned())).collect::<Vec<_>>());
    }

    #[test]
    fn tables_with_spans_unclosed_cells_and_nesting() {
        let html = "<p>Intro</p><table><caption>All figures in £000s</caption>\
            <tr><th rowspan=2>CCG<th colspan=\"3\">CAMHS budget<th colspan='2x'>FiM</tr>\
            <tr><td>14/15<td>15/16<td>16/17<td>15/16<td>16/17\
            <tr><td>NHS A<td><p>1,234</p><p>(est)</p><td>n/a<td><table><tr><td>in</td><td>ner</td></tr></table><td>5<td>6\
            </table><p>After</p><table><tr><td>second</td></tr></table>";
        let (sheets, blocks) = read(html.as_bytes()).unwrap();
        assert_eq!(sheets.len(), 2);
        let e = Cell::Empty;
        assert_eq!(
            sheets[0].rows,
            vec![
                vec![t("All figures in £000s")],
                vec![t("CCG"), t("CAMHS budget"), e.clone(), e.clone(), t("FiM"), e.clone()],
                vec![e.clone(), t("14/15"), t("15/16"), t("16/17"), t("15/16"), t("16/17")],
                vec![t("NHS A"), t("1,234 (est)"), t("n/a"), t("in ner"), t("5"), t("6")],
            ]
        );
        assert_eq!((sheets[0].name.as_str(), sheets[0].place.as_str()), ("table 1", "after paragraph 1"));
        assert_eq!((sheets[1].name.as_str(), sheets[1].place.as_str()), ("table 2", "after paragraph 2"));
        assert_eq!(sheets[1].rows, vec![vec![t("second")]]);
        assert_eq!(lines(&blocks), vec![(1, "Intro".into()), (1, String::new()), (2, "After".into()), (2, String::new())]);
    }

    #[test]
    fn form_values_are_read_where_they_stand() {
        let html = "<form><label>Total budget</label> <input type=text name=q1 value=\"£1,000\"> \
            <input type=hidden value=secret><input type=submit value=Send>\
            <select name=q2><option>Yes</option><option selected>No</option></select>\
            <textarea>Not &amp; held</textarea></form>";
        let (_, blocks) = read(html.as_bytes()).unwrap();
        let got: Vec<String> = blocks[0].lines.iter().map(|l| l.text.clone()).filter(|l| !l.is_empty()).collect();
        assert_eq!(got, vec!["Total budget £1,000 No Not & held"]);
    }

    #[test]
    fn declared_charset_is_honoured() {
        let mut bytes = b"<html><head><meta charset=\"windows-1252\"></head><body><p>\x80 and \xa3</p>".to_vec();
        bytes.extend_from_slice(b"</body></html>");
        let (_, blocks) = read(&bytes).unwrap();
        assert_eq!(blocks[0].lines[0].text, "€ and £");
    }

    #[test]
    fn never_panics_on_broken_markup() {
        let sample = "<html><body><p a=\"1' b=2 c>Tëxt &am &#; &#x; &#99999999; &#0;</p><tab\
            le><tr><td colspan=99999999 rowspan=-3>£<td><</td><td>é</></tr></tbody></table></table></td></tr>\
            <script>never closed <p>x</p>";
        // Every prefix, cut at every character, and some shuffled fragments.
        for (i, _) in sample.char_indices() {
            let _ = read(sample[..i].as_bytes()).unwrap();
        }
        let parts = ["<", ">", "</", "<td", "<tr>", "<table>", "</table>", "&", "&#", "\"", "'", "=", "<!--", "-->", "<br/", "é", " ", "<pre>", "</td>", "<caption>"];
        let mut seed: u64 = 42;
        for _ in 0..500 {
            let mut s = String::new();
            for _ in 0..40 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            let _ = read(s.as_bytes()).unwrap();
        }
        let _ = read(&[0xff, 0xfe, b'<', 0, b'p', 0]).unwrap();
    }
}
