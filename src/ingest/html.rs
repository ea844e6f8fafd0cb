//! HTML replies (saved web forms, WhatDoTheyKnow's renderings of attachments): tables become
//! sheets and the rest of the page's text one block of paragraphs, as for a Word letter.
//!
//! The markup is split into tags and text by html5ever's tokenizer (the Servo project's, built
//! to the HTML standard for hostile markup, with all 2,231 named character references); no DOM
//! is built: replies need the text, the tables and the references decoded, and whatever the
//! markup (unclosed cells, stray `<`, cut-off files) the reader gives what it can and never
//! fails. Script and style are dropped; a form's filled-in values (text inputs, text areas,
//! selected options) are read as text where they stand. A table's caption becomes its first
//! row, so that a heading such as "All figures £000s" stays with the figures.

use super::document::{Sheet, TextBlock};
use super::layout::{Layout, MAX_COLS, MAX_REPEAT_ROWS};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

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

/// Elements whose content is not markup, and how the tokenizer reads it up to their end tag.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "textarea" | "title" => Some(RawKind::Rcdata),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "template" => Some(RawKind::Rawtext),
        _ => None,
    }
}

/// Elements that begin and end a block of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "pre"
            | "blockquote"
            | "address"
            | "article"
            | "aside"
            | "section"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "legend"
            | "details"
            | "summary"
            | "center"
            | "body"
            | "html"
            | "head"
            | "menu"
            | "dir"
            | "hgroup"
            | "tbody"
            | "thead"
            | "tfoot"
    )
}

fn attr<'t>(attrs: &'t [(String, String)], key: &str) -> Option<&'t str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A span attribute as browsers read it: its leading digits, 1 where there are none or 0.
fn span(attrs: &[(String, String)], key: &str, max: usize) -> usize {
    let digits: String = attr(attrs, key)
        .unwrap_or("")
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(6)
        .collect();
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
    /// Text (its references decoded) as a browser lays it out: runs of white space are one
    /// space, none at a line's start.
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
                self.layout.cell_span(
                    span(attrs, "colspan", MAX_COLS),
                    span(attrs, "rowspan", MAX_REPEAT_ROWS),
                );
            }
            "caption" => {
                self.layout.end_paragraph();
                self.layout.begin_row();
                self.layout.begin_cell();
            }
            "input" => {
                let kind = attr(attrs, "type")
                    .unwrap_or("text")
                    .trim()
                    .to_ascii_lowercase();
                let filled = matches!(
                    kind.as_str(),
                    "" | "text"
                        | "number"
                        | "email"
                        | "tel"
                        | "url"
                        | "search"
                        | "date"
                        | "datetime-local"
                        | "month"
                        | "week"
                        | "time"
                );
                if let Some(v) = attr(attrs, "value").filter(|v| filled && !v.trim().is_empty()) {
                    let v = format!(" {v} ");
                    self.plain(&v);
                }
            }
            "textarea" => self.plain(" "),
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
        if raw_kind(name).is_some() {
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
            "textarea" => self.plain(" "),
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

/// Takes the tokenizer's tokens to the [`Reader`]: text is gathered until the next tag.
struct Sink {
    reader: RefCell<Reader>,
    text: RefCell<String>,
}

impl Sink {
    /// Hand the text gathered so far to the reader: only a text area's content is the page's
    /// text among raw elements; script, style and the rest are not.
    fn flush(&self) {
        let text = std::mem::take(&mut *self.text.borrow_mut());
        let mut r = self.reader.borrow_mut();
        if !text.is_empty() && r.raw.as_deref().is_none_or(|raw| raw == "textarea") {
            r.plain(&text);
        }
    }

    fn tag(&self, tag: Tag) -> TokenSinkResult<()> {
        self.flush();
        let name: &str = &tag.name;
        let mut r = self.reader.borrow_mut();
        match tag.kind {
            TagKind::StartTag => {
                let attrs: Vec<(String, String)> = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                r.start(name, &attrs);
                match raw_kind(name) {
                    Some(kind) => TokenSinkResult::RawData(kind),
                    None => TokenSinkResult::Continue,
                }
            }
            TagKind::EndTag => {
                r.raw = None;
                r.end(name);
                TokenSinkResult::Continue
            }
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) => {
                self.text.borrow_mut().push_str(&t);
                TokenSinkResult::Continue
            }
            Token::TagToken(tag) => self.tag(tag),
            Token::EOFToken => {
                self.flush();
                TokenSinkResult::Continue
            }
            // A NUL is dropped, as browsers drop it; comments, doctypes and the tokenizer's
            // notes on malformed markup are not text.
            Token::NullCharacterToken
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::ParseError(_) => TokenSinkResult::Continue,
        }
    }
}

fn parse(s: &str) -> (Vec<Sheet>, Vec<TextBlock>) {
    let reader = Reader {
        layout: Layout::new(false),
        pre: 0,
        in_select: false,
        option_selected: false,
        raw: None,
    };
    let tokenizer = Tokenizer::new(
        Sink {
            reader: RefCell::new(reader),
            text: RefCell::new(String::new()),
        },
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(s));
    // The sink never asks to stop for a script, so one feed reads the whole page.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let Sink { reader, .. } = tokenizer.sink;
    reader.into_inner().layout.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::document::Cell;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn lines(blocks: &[TextBlock]) -> Vec<(usize, String)> {
        blocks[0]
            .lines
            .iter()
            .map(|l| (l.number, l.text.clone()))
            .collect()
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
        assert_eq!(
            got,
            want.into_iter()
                .map(|(n, s)| (n, s.to_owned()))
                .collect::<Vec<_>>()
        );
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
                vec![
                    t("CCG"),
                    t("CAMHS budget"),
                    e.clone(),
                    e.clone(),
                    t("FiM"),
                    e.clone()
                ],
                vec![
                    e.clone(),
                    t("14/15"),
                    t("15/16"),
                    t("16/17"),
                    t("15/16"),
                    t("16/17")
                ],
                vec![
                    t("NHS A"),
                    t("1,234 (est)"),
                    t("n/a"),
                    t("in ner"),
                    t("5"),
                    t("6")
                ],
            ]
        );
        assert_eq!(
            (sheets[0].name.as_str(), sheets[0].place.as_str()),
            ("table 1", "after paragraph 1")
        );
        assert_eq!(
            (sheets[1].name.as_str(), sheets[1].place.as_str()),
            ("table 2", "after paragraph 2")
        );
        assert_eq!(sheets[1].rows, vec![vec![t("second")]]);
        assert_eq!(
            lines(&blocks),
            vec![
                (1, "Intro".into()),
                (1, String::new()),
                (2, "After".into()),
                (2, String::new())
            ]
        );
    }

    #[test]
    fn form_values_are_read_where_they_stand() {
        let html = "<form><label>Total budget</label> <input type=text name=q1 value=\"£1,000\"> \
            <input type=hidden value=secret><input type=submit value=Send>\
            <select name=q2><option>Yes</option><option selected>No</option></select>\
            <textarea>Not &amp; held</textarea></form>";
        let (_, blocks) = read(html.as_bytes()).unwrap();
        let got: Vec<String> = blocks[0]
            .lines
            .iter()
            .map(|l| l.text.clone())
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(got, vec!["Total budget £1,000 No Not & held"]);
    }

    #[test]
    fn every_named_reference_of_the_standard_is_decoded() {
        // Beyond the 104 names the hand-written table knew; `&pound` without its `;` is one
        // of the legacy names browsers accept, `&notit;` is `&not` followed by text.
        let html = "<p>&frac13; &Ccaron;eskomoravsk&aacute; &rightarrow; &NotEqualTilde; &pound5 &notit; &fakeentity;</p>\r\n<pre>a\r\nb</pre>";
        let (_, blocks) = read(html.as_bytes()).unwrap();
        let got: Vec<String> = blocks[0]
            .lines
            .iter()
            .map(|l| l.text.clone())
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            got,
            vec!["⅓ Českomoravská → ≂̸ £5 ¬it; &fakeentity;", "a", "b"]
        );
    }

    #[test]
    fn declared_charset_is_honoured() {
        let mut bytes =
            b"<html><head><meta charset=\"windows-1252\"></head><body><p>\x80 and \xa3</p>"
                .to_vec();
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
            let _ = read(&sample.as_bytes()[..i]).unwrap();
        }
        let parts = [
            "<",
            ">",
            "</",
            "<td",
            "<tr>",
            "<table>",
            "</table>",
            "&",
            "&#",
            "\"",
            "'",
            "=",
            "<!--",
            "-->",
            "<br/",
            "é",
            " ",
            "<pre>",
            "</td>",
            "<caption>",
        ];
        let mut seed: u64 = 42;
        for _ in 0..500 {
            let mut s = String::new();
            for _ in 0..40 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            let _ = read(s.as_bytes()).unwrap();
        }
        let _ = read(&[0xff, 0xfe, b'<', 0, b'p', 0]).unwrap();
    }
}
