//! Word documents (.docx): replies written as letters, with the answers in the body's sentences
//! or in tables. The body's paragraphs become one text block and each table a sheet.

use super::document::{Sheet, TextBlock};
use super::layout::Layout;
use super::limits::Limits;
use quick_xml::NsReader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::io::{Cursor, Read};

const W_NS: &[&[u8]] = &[
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Read the main document part of a .docx.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<(Vec<Sheet>, Vec<TextBlock>), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable zip container: {e}"))?;
    let part = main_part(&mut archive, limits);
    let xml = zip_part(&mut archive, &part, limits)?
        .ok_or_else(|| format!("no {part} in the container: not a Word document"))?;
    parse(&xml).map_err(|e| format!("{part}: {e}"))
}

/// The main part's name from the package relationships; `word/document.xml` where they do not say.
fn main_part<R: Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>, limits: &Limits) -> String {
    let fallback = "word/document.xml".to_owned();
    let Ok(Some(rels)) = zip_part(archive, "_rels/.rels", limits) else {
        return fallback;
    };
    let mut reader = NsReader::from_str(&rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                let ty = attr(&e, b"Type").unwrap_or_default();
                if ty.ends_with("/officeDocument")
                    && let Some(target) = attr(&e, b"Target")
                {
                    let name = super::zip::safe_name(&target);
                    if !name.is_empty() {
                        return name;
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return fallback,
            _ => {}
        }
    }
}

/// One member of an office container as text, with the same size guards as zip members;
/// `None` when the container has no such member.
pub(super) fn zip_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    limits: &Limits,
) -> Result<Option<String>, String> {
    let (max_member_bytes, max_ratio) = (limits.zip_max_member_bytes, limits.zip_max_ratio);
    let mut file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{name}: cannot open: {e}")),
    };
    if file.encrypted() {
        return Err(format!("password-protected: {name} is encrypted"));
    }
    let declared = file.size();
    let compressed = file.compressed_size().max(1);
    if declared > max_member_bytes || declared / compressed > max_ratio {
        return Err(format!(
            "{name}: zip bomb guard: {declared} bytes from {compressed} compressed: not inflated"
        ));
    }
    let mut data = Vec::new();
    file.by_ref()
        .take(max_member_bytes)
        .read_to_end(&mut data)
        .map_err(|e| format!("{name}: cannot inflate: {e}"))?;
    Ok(Some(super::text::decode(&data).0))
}

/// An attribute's value by local name, whatever its prefix.
pub(super) fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            quick_xml::escape::unescape(&raw)
                .map(|v| v.into_owned())
                .unwrap_or(raw)
        })
}

/// An entity reference in text: `&amp;` and the like, `&#163;`.
pub(super) fn resolve_ref(r: &BytesRef) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    match r.decode().as_deref() {
        Ok("amp") => "&".into(),
        Ok("lt") => "<".into(),
        Ok("gt") => ">".into(),
        Ok("quot") => "\"".into(),
        Ok("apos") => "'".into(),
        _ => "\u{FFFD}".into(),
    }
}

pub(super) fn in_ns(ns: &ResolveResult, uris: &[&[u8]]) -> bool {
    matches!(ns, ResolveResult::Bound(n) if uris.contains(&n.as_ref()))
}

/// Where the reader is inside the markup beyond what [`Layout`] tracks.
#[derive(Default)]
struct State {
    /// Inside content that must not be read (mc:Fallback repeats mc:Choice; w:moveFrom is text
    /// moved elsewhere).
    skip: usize,
    /// Inside a run (w:r): w:tab and w:br there are characters, elsewhere tab stops.
    run: usize,
    /// Inside w:t.
    text: usize,
    /// Tables open, to tell a top-level cell's properties from a nested one's.
    tables: usize,
    /// Inside a top-level cell's properties (w:tcPr) or a top-level row's (w:trPr).
    cell_props: bool,
    row_props: bool,
}

/// The reader both word-processor formats use: empty elements as start and end, and end tags
/// not checked against their start (a damaged file is read as far as it goes).
pub(super) fn xml_reader(xml: &str) -> NsReader<&[u8]> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    reader.config_mut().check_end_names = false;
    reader
}

fn parse(xml: &str) -> Result<(Vec<Sheet>, Vec<TextBlock>), String> {
    let mut reader = xml_reader(xml);
    let mut layout = Layout::new(true);
    let mut st = State::default();
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("XML error after byte {at}: {e}"))?;
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if st.skip > 0
                    || (matches!(ns, ResolveResult::Bound(n) if n.as_ref() == MC_NS)
                        && name == b"Fallback")
                {
                    st.skip += 1;
                    continue;
                }
                if !in_ns(&ns, W_NS) {
                    continue;
                }
                match name {
                    b"moveFrom" => st.skip += 1,
                    b"p" => layout.begin_paragraph(),
                    b"r" => st.run += 1,
                    b"t" if st.run > 0 => st.text += 1,
                    b"tab" | b"ptab" if st.run > 0 => layout.text("\t"),
                    b"br" | b"cr" if st.run > 0 => layout.line_break(),
                    b"noBreakHyphen" if st.run > 0 => layout.text("-"),
                    b"tbl" => {
                        st.tables += 1;
                        layout.begin_table();
                    }
                    b"tr" if st.tables == 1 => layout.begin_row(),
                    b"tc" if st.tables == 1 => layout.begin_cell(),
                    b"tcPr" if st.tables == 1 => st.cell_props = true,
                    b"trPr" if st.tables == 1 => st.row_props = true,
                    b"gridSpan" if st.cell_props => {
                        let n = attr(&e, b"val")
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(1);
                        layout.cell_span(n, 1);
                    }
                    b"vMerge" | b"hMerge"
                        if st.cell_props
                        // No value, or "continue": the cell carries on a merge from above (left).
                        && attr(&e, b"val").is_none_or(|v| v != "restart") =>
                    {
                        layout.cell_blank();
                    }
                    b"gridBefore" if st.row_props => {
                        let n = attr(&e, b"val")
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        layout.skip_columns(n);
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if st.skip > 0 {
                    st.skip -= 1;
                    continue;
                }
                if !in_ns(&ns, W_NS) {
                    continue;
                }
                match e.local_name().as_ref() {
                    b"p" => layout.end_paragraph(),
                    b"r" => st.run = st.run.saturating_sub(1),
                    b"t" => st.text = st.text.saturating_sub(1),
                    b"tbl" => {
                        st.tables = st.tables.saturating_sub(1);
                        layout.end_table();
                    }
                    b"tr" if st.tables == 1 => layout.end_row(),
                    b"tc" if st.tables == 1 => layout.end_cell(),
                    b"tcPr" => st.cell_props = false,
                    b"trPr" => st.row_props = false,
                    _ => {}
                }
            }
            Event::Text(t) if st.text > 0 && st.skip == 0 => {
                let s = t
                    .decode()
                    .map_err(|e| format!("bad text at byte {}: {e}", reader.buffer_position()))?;
                layout.text(&s);
            }
            Event::CData(t) if st.text > 0 && st.skip == 0 => {
                layout.text(&String::from_utf8_lossy(&t))
            }
            Event::GeneralRef(r) if st.text > 0 && st.skip == 0 => layout.text(&resolve_ref(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(layout.finish())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::document::Cell;
    use std::io::Write;

    /// A zip holding the given members, as an office writer would store them.
    pub fn container(members: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in members {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn docx(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        );
        container(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", &xml),
        ])
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn tc(text: &str, props: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
    }

    fn texts(lines: &[crate::ingest::document::Line]) -> Vec<(usize, &str)> {
        lines.iter().map(|l| (l.number, l.text.as_str())).collect()
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn paragraphs_are_numbered_and_tables_left_out_of_the_prose() {
        let body = format!(
            "{}{}<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/></w:tblPr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>{}<w:p/>{}",
            p("Dear Jordan,"),
            p("Tom &amp; Jerry paid &#163;5"),
            tc("Budget line", ""),
            tc("2015/16", ""),
            tc("CAMHS", ""),
            tc("£1,234", ""),
            p("1a. In 14/15 the CAMHS budget was £2m."),
            "<w:p><w:r><w:t>Yours sincerely,</w:t><w:br/><w:br/><w:t>A Person</w:t><w:tab/><w:t>Lead</w:t><w:br/></w:r></w:p>",
        );
        let (sheets, blocks) = read(&docx(&body), &Limits::default()).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(
            texts(&blocks[0].lines),
            vec![
                (1, "Dear Jordan,"),
                (1, ""),
                (2, "Tom & Jerry paid £5"),
                (2, ""),
                (3, "1a. In 14/15 the CAMHS budget was £2m."),
                (3, ""),
                (4, ""),
                (5, "Yours sincerely,"),
                (5, ""),
                (5, "A Person\tLead"),
                (5, ""),
            ]
        );
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!(
            (s.name.as_str(), s.place.as_str(), s.hidden),
            ("table 1", "after paragraph 2", false)
        );
        assert_eq!(
            s.rows,
            vec![
                vec![t("Budget line"), t("2015/16")],
                vec![t("CAMHS"), t("£1,234")]
            ]
        );
        assert_eq!(s.location(1, 1), "table 1 r2c2 (after paragraph 2)");
    }

    #[test]
    fn merged_cells_fill_their_columns() {
        let body = format!(
            "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}</w:tr></w:tbl>{}<w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc("CCG", "<w:vMerge w:val=\"restart\"/>"),
            tc("CAMHS budget", "<w:gridSpan w:val=\"3\"/>"),
            tc("FiM", "<w:gridSpan w:val=\"2\"/>"),
            tc("", "<w:vMerge/>"),
            tc("14/15", ""),
            tc("15/16", ""),
            tc("16/17", ""),
            tc("15/16", "<w:gridSpan w:val=\"2\"/>"),
            tc("£5", ""),
            p("Between"),
            tc("second", ""),
        );
        let (sheets, blocks) = read(&docx(&body), &Limits::default()).unwrap();
        assert_eq!(sheets.len(), 2);
        let e = Cell::Empty;
        assert_eq!(
            sheets[0].rows,
            vec![
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
                    e.clone()
                ],
                vec![e.clone(), t("£5")],
            ]
        );
        assert_eq!(sheets[0].place, "before paragraph 1");
        assert_eq!(
            (sheets[1].name.as_str(), sheets[1].place.as_str()),
            ("table 2", "after paragraph 1")
        );
        assert_eq!(texts(&blocks[0].lines), vec![(1, "Between"), (1, "")]);
    }

    #[test]
    fn nested_tables_and_cell_paragraphs_flatten_into_the_cell() {
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            tc("inner a", "<w:gridSpan w:val=\"4\"/>"),
            tc("inner b", "")
        );
        let body = format!(
            "<w:tbl><w:tr><w:tc><w:tcPr/>{}{}{}<w:p/></w:tc>{}</w:tr></w:tbl>",
            p("first"),
            p("second"),
            inner,
            tc("next", ""),
        );
        let (sheets, _) = read(&docx(&body), &Limits::default()).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(
            sheets[0].rows,
            vec![vec![t("first second inner a inner b"), t("next")]]
        );
    }

    #[test]
    fn fallback_content_and_tab_stops_are_not_text() {
        let body = "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr><w:r><w:t>Total</w:t></w:r>\
            <mc:AlternateContent><mc:Choice Requires=\"wps\"><w:r><w:t> boxed</w:t></w:r></mc:Choice>\
            <mc:Fallback><w:r><w:t> boxed again</w:t></w:r></mc:Fallback></mc:AlternateContent>\
            <w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>";
        let (_, blocks) = read(&docx(body), &Limits::default()).unwrap();
        assert_eq!(texts(&blocks[0].lines), vec![(1, "Total boxed"), (1, "")]);
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(
            read(b"PK\x03\x04 not really", &Limits::default())
                .unwrap_err()
                .contains("not a readable zip")
        );
        let no_doc = container(&[("word/styles.xml", "<x/>")]);
        assert!(
            read(&no_doc, &Limits::default())
                .unwrap_err()
                .contains("no word/document.xml")
        );
        let broken = container(&[(
            "word/document.xml",
            "<w:document xmlns:w=\"x\"><w:body><w:p attr=\"unterminated",
        )]);
        let err = read(&broken, &Limits::default()).unwrap_err();
        assert!(err.starts_with("word/document.xml: XML error"), "{err}");
    }

    #[test]
    fn main_part_is_found_through_the_relationships() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document2.xml"/></Relationships>"#;
        let xml = format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>"#,
            p("moved")
        );
        let bytes = container(&[("_rels/.rels", rels), ("word/document2.xml", &xml)]);
        let (_, blocks) = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(blocks[0].lines[0].text, "moved");
    }
}
