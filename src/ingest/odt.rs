//! OpenDocument text (.odt), as LibreOffice and some councils' systems save letters: the body's
//! paragraphs and headings become one text block and each table a sheet, as for Word.

use super::document::{Sheet, TextBlock};
use super::docx::{attr, in_ns, resolve_ref, zip_part};
use super::layout::Layout;
use super::limits::Limits;
use quick_xml::events::Event;
use std::io::Cursor;

const TEXT_NS: &[&[u8]] = &[b"urn:oasis:names:tc:opendocument:xmlns:text:1.0"];
const TABLE_NS: &[&[u8]] = &[b"urn:oasis:names:tc:opendocument:xmlns:table:1.0"];
const OFFICE_NS: &[&[u8]] = &[b"urn:oasis:names:tc:opendocument:xmlns:office:1.0"];
const SVG_NS: &[&[u8]] = &[b"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"];

pub fn read(bytes: &[u8], limits: &Limits) -> Result<(Vec<Sheet>, Vec<TextBlock>), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable zip container: {e}"))?;
    if let Ok(Some(manifest)) = zip_part(&mut archive, "META-INF/manifest.xml", limits)
        && manifest.contains("encryption-data")
    {
        return Err("password-protected: the document's parts are encrypted".into());
    }
    let xml = zip_part(&mut archive, "content.xml", limits)?
        .ok_or("no content.xml in the container: not an OpenDocument text")?;
    parse(&xml).map_err(|e| format!("content.xml: {e}"))
}

/// A count attribute (`table:number-columns-repeated="3"`), 1 where absent or unreadable.
fn count(e: &quick_xml::events::BytesStart, local: &[u8]) -> usize {
    attr(e, local)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

#[derive(Default)]
struct State {
    /// Inside content that is not the body's text: notes, annotations, tracked deletions,
    /// index templates, image titles.
    skip: usize,
    /// Paragraphs open (text:p, text:h), nested in frames.
    paras: usize,
    tables: usize,
    /// Rows the open top-level row repeats, and times the open top-level cell does.
    row_repeat: usize,
    cell_repeat: usize,
    /// Covered cells still expected after a spanned cell: the span filled their columns already.
    pending_covered: usize,
}

fn parse(xml: &str) -> Result<(Vec<Sheet>, Vec<TextBlock>), String> {
    let mut reader = super::docx::xml_reader(xml);
    let mut layout = Layout::new(true);
    let mut st = State::default();
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("XML error after byte {at}: {e}"))?;
        match event {
            Event::Start(e) => {
                if st.skip > 0 {
                    st.skip += 1;
                    continue;
                }
                let local = e.local_name();
                let name = local.as_ref();
                if in_ns(&ns, TEXT_NS) {
                    match name {
                        b"note" | b"tracked-changes" => st.skip += 1,
                        n if n.ends_with(b"-source") => st.skip += 1,
                        b"p" | b"h" => {
                            st.paras += 1;
                            layout.begin_paragraph();
                        }
                        b"s" if st.paras > 0 => {
                            layout.text(&" ".repeat(count(&e, b"c").min(1_000)))
                        }
                        b"tab" if st.paras > 0 => layout.text("\t"),
                        b"line-break" if st.paras > 0 => layout.line_break(),
                        _ => {}
                    }
                } else if in_ns(&ns, TABLE_NS) {
                    match name {
                        b"table" => {
                            st.tables += 1;
                            layout.begin_table();
                        }
                        b"table-row" if st.tables == 1 => {
                            st.row_repeat = count(&e, b"number-rows-repeated");
                            st.pending_covered = 0;
                            layout.begin_row();
                        }
                        b"table-cell" if st.tables == 1 => {
                            st.pending_covered = 0;
                            layout.begin_cell();
                            st.cell_repeat = count(&e, b"number-columns-repeated");
                            let cols = count(&e, b"number-columns-spanned");
                            layout.cell_span(cols, 1);
                            st.pending_covered = cols - 1;
                        }
                        b"covered-table-cell" if st.tables == 1 => {
                            let repeat = count(&e, b"number-columns-repeated");
                            let taken = repeat.min(st.pending_covered);
                            st.pending_covered -= taken;
                            layout.begin_cell();
                            layout.cell_blank();
                            if repeat > taken {
                                layout.end_cell_repeated(repeat - taken);
                            } else {
                                // Already filled by the span before it: nothing to add.
                                layout.discard_cell();
                            }
                            // What a covered cell still holds is hidden under the merge.
                            st.skip += 1;
                        }
                        _ => {}
                    }
                } else if (in_ns(&ns, OFFICE_NS) && name == b"annotation")
                    || (in_ns(&ns, SVG_NS) && (name == b"title" || name == b"desc"))
                {
                    st.skip += 1;
                }
            }
            Event::End(e) => {
                if st.skip > 0 {
                    st.skip -= 1;
                    continue;
                }
                let local = e.local_name();
                let name = local.as_ref();
                if in_ns(&ns, TEXT_NS) && (name == b"p" || name == b"h") {
                    st.paras = st.paras.saturating_sub(1);
                    layout.end_paragraph();
                } else if in_ns(&ns, TABLE_NS) {
                    match name {
                        b"table" => {
                            st.tables = st.tables.saturating_sub(1);
                            layout.end_table();
                        }
                        b"table-row" if st.tables == 1 => layout.end_row_repeated(st.row_repeat),
                        b"table-cell" if st.tables == 1 => layout.end_cell_repeated(st.cell_repeat),
                        _ => {}
                    }
                }
            }
            Event::Text(t) if st.paras > 0 && st.skip == 0 => {
                let s = t
                    .decode()
                    .map_err(|e| format!("bad text at byte {}: {e}", reader.buffer_position()))?;
                push_collapsed(&mut layout, &s);
            }
            Event::CData(t) if st.paras > 0 && st.skip == 0 => {
                push_collapsed(&mut layout, &String::from_utf8_lossy(&t))
            }
            Event::GeneralRef(r) if st.paras > 0 && st.skip == 0 => layout.text(&resolve_ref(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(layout.finish())
}

/// Text as OpenDocument lays it out: every run of spaces, tabs and newlines in the markup is one
/// space, and none at the start of a line (`text:s` and `text:tab` are how it writes more).
fn push_collapsed(layout: &mut Layout, s: &str) {
    let mut out = String::with_capacity(s.len());
    let mut space = layout.at_space();
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    layout.text(&out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::document::Cell;
    use crate::ingest::docx::tests::container;

    fn odt(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"><office:automatic-styles/><office:body><office:text><text:sequence-decls/>{body}</office:text></office:body></office:document-content>"#
        );
        container(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", &xml),
        ])
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn cell(s: &str) -> String {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>"
        )
    }

    #[test]
    fn paragraphs_headings_and_tables() {
        let body = format!(
            "<text:h text:outline-level=\"1\">NHS Somewhere   CCG</text:h>\
             <text:p>Dear<text:s/>Jordan,<text:line-break/>Thank you.</text:p>\
             <text:list><text:list-item><text:p>1a. <text:span>CAMHS</text:span> was &#163;2m<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>footnote</text:p></text:note-body></text:note></text:p></text:list-item></text:list>\
             <table:table table:name=\"Table1\"><table:table-column table:number-columns-repeated=\"3\"/>\
             <table:table-header-rows><table:table-row><table:table-cell table:number-columns-spanned=\"2\"><text:p>Budget</text:p></table:table-cell><table:covered-table-cell/>{}</table:table-row></table:table-header-rows>\
             <table:table-row>{}{}{}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"2\">{}<table:table-cell table:number-columns-repeated=\"2\"><text:p>x</text:p></table:table-cell></table:table-row>\
             </table:table><text:p>Yours<text:tab/>sincerely</text:p><text:p/>",
            cell("Notes"),
            cell("14/15"),
            cell("15/16 <text:s text:c=\"2\"/>(est)"),
            cell("£1 &amp; 2"),
            cell("r"),
        );
        let (sheets, blocks) = read(&odt(&body), &Limits::default()).unwrap();
        let lines: Vec<(usize, &str)> = blocks[0]
            .lines
            .iter()
            .map(|l| (l.number, l.text.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (1, "NHS Somewhere CCG"),
                (1, ""),
                (2, "Dear Jordan,"),
                (2, "Thank you."),
                (2, ""),
                (3, "1a. CAMHS was £2m"),
                (3, ""),
                (4, "Yours\tsincerely"),
                (4, ""),
                (5, ""),
            ]
        );
        assert_eq!(sheets.len(), 1);
        assert_eq!(
            (sheets[0].name.as_str(), sheets[0].place.as_str()),
            ("table 1", "after paragraph 3")
        );
        assert_eq!(
            sheets[0].rows,
            vec![
                vec![t("Budget"), Cell::Empty, t("Notes")],
                vec![t("14/15"), t("15/16   (est)"), t("£1 & 2")],
                vec![t("r"), t("x"), t("x")],
                vec![t("r"), t("x"), t("x")],
            ]
        );
    }

    #[test]
    fn spans_without_covered_cells_and_nested_tables() {
        let body = format!(
            "<table:table><table:table-row><table:table-cell table:number-columns-spanned=\"2\"><text:p>wide</text:p></table:table-cell>{}</table:table-row>\
             <table:table-row><table:table-cell><text:p>outer</text:p><table:table><table:table-row>{}{}</table:table-row></table:table></table:table-cell>\
             <table:covered-table-cell><text:p>hidden</text:p></table:covered-table-cell>{}</table:table-row></table:table>",
            cell("after"),
            cell("in a"),
            cell("in b"),
            cell("last"),
        );
        let (sheets, blocks) = read(&odt(&body), &Limits::default()).unwrap();
        assert_eq!(sheets[0].place, "before paragraph 1");
        assert_eq!(
            sheets[0].rows,
            vec![
                vec![t("wide"), Cell::Empty, t("after")],
                vec![t("outer in a in b"), Cell::Empty, t("last")]
            ]
        );
        assert!(blocks[0].lines.is_empty());
    }

    #[test]
    fn errors_name_the_problem() {
        let enc = container(&[
            ("META-INF/manifest.xml", "<manifest:encryption-data/>"),
            ("content.xml", "garbage"),
        ]);
        assert!(
            read(&enc, &Limits::default())
                .unwrap_err()
                .starts_with("password-protected")
        );
        let none = container(&[("mimetype", "application/vnd.oasis.opendocument.text")]);
        assert!(
            read(&none, &Limits::default())
                .unwrap_err()
                .contains("no content.xml")
        );
    }
}
