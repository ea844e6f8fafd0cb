//! PDF replies: letters and tables with a text layer are read from where each piece of text sits
//! (so tables come back as grids, not run-together lines), and scanned pages with no text layer
//! are read by OCR (Tesseract), with every doubtful word and cell kept as a typed doubt
//! (`Cell::Illegible`, `Line::doubtful`) so it is flagged, never guessed.

mod content;
mod ocr;
mod page_layout;

pub use ocr::{tesseract_available, tesseract_version};

use super::document::{Line, Sheet, TextBlock};
use lopdf::{Document, LoadOptions};
use page_layout::{Frag, Options, PageText};

/// The most pages read from one PDF.
pub const MAX_PAGES: usize = 200;
/// The most scanned pages sent to OCR from one PDF (each takes a second or more).
pub const MAX_OCR_PAGES: usize = 50;
/// The most images read on one scanned page.
const MAX_IMAGES_PER_PAGE: usize = 4;
/// The largest a single stream may decompress to while the file is loaded.
const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// OCR words below this confidence (0-100) are doubtful: `Cell::Illegible`, `Line::doubtful`.
pub const MIN_CONFIDENCE: f32 = 60.0;
/// A scanned table cell with more solid ink than this (share of its area) is smudged: a blot
/// is solid, type is strokes (bold figures measure about 0.01, the dev corpus's smudges 0.5-1).
const SMUDGE: f64 = 0.15;
/// Images smaller than this (pixels a side) are logos and stamps, not pages.
const MIN_SCAN_SIDE: usize = 200;

/// What a PDF gave.
#[derive(Debug, Default)]
pub struct PdfRead {
    pub sheets: Vec<Sheet>,
    pub texts: Vec<TextBlock>,
    /// For the manifest: what was read how, and what was not read.
    pub notes: Vec<String>,
    /// Something was left unread (a page over the cap, an image OCR could not take).
    pub incomplete: bool,
    /// Set when OCR read at least one page.
    pub ocr: Option<OcrSummary>,
    /// OCR failed in a way the next run may not (tesseract timed out or could not start): the
    /// reading is not cached.
    pub transient: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct OcrSummary {
    pub pages: usize,
    /// Mean word confidence, 0-100.
    pub mean_confidence: f64,
}

/// Read a PDF. `Err` names why the file cannot be read at all.
pub fn read(bytes: &[u8]) -> Result<PdfRead, String> {
    // The parser is not ours: should it panic on a hostile file, that file fails, not the run.
    match std::panic::catch_unwind(|| read_inner(bytes)) {
        Ok(r) => r,
        Err(_) => Err("malformed PDF: the parser gave up on it".into()),
    }
}

fn load(bytes: &[u8]) -> Result<Document, String> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let encrypted = has_encrypt_entry(bytes);
    match Document::load_mem_with_options(bytes, options) {
        Ok(doc) if doc.is_encrypted() => Err("password-protected PDF".into()),
        Ok(doc) => Ok(doc),
        Err(e) => {
            let msg = e.to_string();
            let lower = msg.to_lowercase();
            if encrypted
                || lower.contains("password")
                || lower.contains("decrypt")
                || lower.contains("encrypt")
            {
                Err("password-protected PDF".into())
            } else {
                Err(format!("malformed PDF: {msg}"))
            }
        }
    }
}

/// Does the trailer name an /Encrypt dictionary? (Looked for in the file's last 4 KiB, where
/// the trailer is, and in the first, where a linearised file puts it.)
fn has_encrypt_entry(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    let head = &bytes[..bytes.len().min(4096)];
    let has = |b: &[u8]| b.windows(8).any(|w| w == b"/Encrypt");
    has(tail) || has(head)
}

fn read_inner(bytes: &[u8]) -> Result<PdfRead, String> {
    let doc = load(bytes)?;
    let pages = doc.get_pages();
    if pages.is_empty() && has_encrypt_entry(bytes) {
        // An /Encrypt entry and nothing readable: the empty password did not open it.
        return Err("password-protected PDF".into());
    }
    if pages.is_empty() {
        return Err("malformed PDF: no pages".into());
    }
    let mut out = PdfRead::default();
    if pages.len() > MAX_PAGES {
        out.notes.push(format!(
            "{} pages: only the first {MAX_PAGES} read",
            pages.len()
        ));
        out.incomplete = true;
    }
    let text_opts = Options {
        rule_tol: 2.0,
        min_conf: 0.0,
        smudge: f64::INFINITY,
    };
    let mut text_lines: Vec<Line> = Vec::new();
    let mut ocr_lines: Vec<Line> = Vec::new();
    let mut tables: Vec<(usize, page_layout::LaidTable, bool)> = Vec::new();
    let mut scanned: Vec<(usize, Vec<content::ImageUse>)> = Vec::new();
    let mut blank_pages = 0;
    for (n, (_, &page_id)) in pages.iter().enumerate().take(MAX_PAGES) {
        let page_no = n + 1;
        let c = content::page(&doc, page_id);
        for p in &c.problems {
            out.notes.push(format!("page {page_no}: {p}"));
            out.incomplete = true;
        }
        if c.frags.iter().any(|f| !f.text.trim().is_empty()) {
            let laid = page_layout::lay_out(c.frags, &c.rules, &text_opts, None, None);
            push_page(&mut text_lines, &mut tables, page_no, laid, false);
        } else if !c.images.is_empty() {
            scanned.push((page_no, c.images));
        } else {
            blank_pages += 1;
        }
    }
    if blank_pages > 0 && text_lines.is_empty() && scanned.is_empty() {
        out.notes
            .push("no text and no page images: nothing to read".into());
        out.incomplete = true;
    }

    if !scanned.is_empty() {
        ocr_pages(&doc, scanned, &mut ocr_lines, &mut tables, &mut out);
    }

    let mut count = 0;
    for (page, t, by_ocr) in tables {
        count += 1;
        let place = match (by_ocr, t.conf) {
            (true, Some(c)) => format!("ocr conf {c:.0}; page {page}"),
            (true, None) => format!("ocr; page {page}"),
            _ => format!("page {page}"),
        };
        out.sheets.push(Sheet {
            name: format!("table {count}"),
            hidden: false,
            rows: t.rows,
            place,
        });
    }
    if !text_lines.is_empty() {
        out.texts.push(TextBlock {
            headers: Vec::new(),
            lines: text_lines,
            role: Default::default(),
        });
    }
    if !ocr_lines.is_empty() {
        let conf = out.ocr.map_or(0.0, |o| o.mean_confidence);
        out.texts.push(TextBlock {
            headers: vec![("ocr".into(), format!("{conf:.0}"))],
            lines: ocr_lines,
            role: Default::default(),
        });
    }
    Ok(out)
}

/// Add a page's lines (numbered within the page) and tables.
fn push_page(
    lines: &mut Vec<Line>,
    tables: &mut Vec<(usize, page_layout::LaidTable, bool)>,
    page: usize,
    laid: PageText,
    ocr: bool,
) {
    let first = lines.iter().filter(|l| l.page == Some(page)).count();
    for (i, l) in laid.lines.into_iter().enumerate() {
        lines.push(Line {
            number: first + i + 1,
            page: Some(page),
            text: l.text,
            doubtful: l.doubtful,
        });
    }
    tables.extend(laid.tables.into_iter().map(|t| (page, t, ocr)));
}

fn ocr_pages(
    doc: &Document,
    scanned: Vec<(usize, Vec<content::ImageUse>)>,
    lines: &mut Vec<Line>,
    tables: &mut Vec<(usize, page_layout::LaidTable, bool)>,
    out: &mut PdfRead,
) {
    if !ocr::tesseract_available() {
        out.notes.push(format!(
            "scanned PDF: tesseract not installed ({} page(s) not read)",
            scanned.len()
        ));
        out.incomplete = true;
        return;
    }
    if scanned.len() > MAX_OCR_PAGES {
        out.notes.push(format!(
            "{} scanned pages: only the first {MAX_OCR_PAGES} read by OCR",
            scanned.len()
        ));
        out.incomplete = true;
    }
    let mut conf_sum = 0.0;
    let mut words_read = 0usize;
    let mut pages_read = 0usize;
    let (mut illegible, mut smudged, mut confirmed) = (0, 0, 0);
    let mut reread_notes: Vec<String> = Vec::new();
    for (page, mut images) in scanned.into_iter().take(MAX_OCR_PAGES) {
        // Top of the page first (PDF y grows upward).
        images.sort_by(|a, b| (b.ctm[5] + b.ctm[3]).total_cmp(&(a.ctm[5] + a.ctm[3])));
        if images.len() > MAX_IMAGES_PER_PAGE {
            out.notes.push(format!(
                "page {page}: {} images, only {MAX_IMAGES_PER_PAGE} read",
                images.len()
            ));
            out.incomplete = true;
        }
        let mut page_read = false;
        for img in images.iter().take(MAX_IMAGES_PER_PAGE) {
            let mut gray = match ocr::decode_image(doc, img.id) {
                Ok(g) => g,
                Err(e) => {
                    out.notes.push(format!("page {page}: {e}"));
                    out.incomplete = true;
                    continue;
                }
            };
            if gray.w < MIN_SCAN_SIDE || gray.h < MIN_SCAN_SIDE {
                continue;
            }
            // Resolution from how wide the image is drawn on the page.
            let drawn = (img.ctm[0] * img.ctm[0] + img.ctm[1] * img.ctm[1]).sqrt();
            let dpi = if drawn > 1.0 {
                gray.w as f64 * 72.0 / drawn
            } else {
                150.0
            };
            let dpi = if dpi.is_finite() {
                dpi.clamp(50.0, 1200.0)
            } else {
                150.0
            };
            let rules_px = ocr::find_rules(&gray, dpi);
            ocr::erase_rules(&mut gray, &rules_px, dpi);
            let words = match ocr::tesseract(&gray, dpi) {
                Ok(w) => w,
                Err(e) => {
                    out.notes.push(format!("page {page}: {e}"));
                    out.incomplete = true;
                    out.transient = true;
                    continue;
                }
            };
            page_read = true;
            let scale = 72.0 / dpi;
            let frags: Vec<Frag> = ocr::frags(words, scale);
            for f in &frags {
                conf_sum += f64::from(f.conf.unwrap_or(0.0));
                words_read += 1;
            }
            let rules = ocr::scale_rules(&rules_px, scale);
            // Solid ink within two points' reach (a 5×5 window at 150 dpi).
            let reach = ((2.0 * dpi / 150.0).round() as usize).max(1);
            let ink = |x0: f64, y0: f64, x1: f64, y1: f64| {
                gray.solid_ink(x0 / scale, y0 / scale, x1 / scale, y1 / scale, reach)
            };
            let opts = Options {
                rule_tol: 4.0,
                min_conf: MIN_CONFIDENCE,
                smudge: SMUDGE,
            };
            let reread = |x0: f64, y0: f64, x1: f64, y1: f64, zoom: usize| {
                ocr::reread(
                    &gray,
                    x0 / scale,
                    y0 / scale,
                    x1 / scale,
                    y1 / scale,
                    dpi,
                    zoom,
                )
            };
            let laid = page_layout::lay_out(frags, &rules, &opts, Some(&ink), Some(&reread));
            illegible += laid.illegible_words;
            confirmed += laid.confirmed_cells;
            smudged += laid.smudged_cells;
            reread_notes.extend(
                laid.reread_cells
                    .iter()
                    .map(|r| format!("page {page}: {r}")),
            );
            if !lines.is_empty() && lines.last().is_some_and(|l| l.page == Some(page)) {
                let n = lines.iter().filter(|l| l.page == Some(page)).count();
                lines.push(Line::new(n + 1, Some(page), String::new()));
            }
            push_page(lines, tables, page, laid, true);
        }
        if page_read {
            pages_read += 1;
        }
    }
    if pages_read > 0 {
        let mean = if words_read > 0 {
            conf_sum / words_read as f64
        } else {
            0.0
        };
        out.ocr = Some(OcrSummary {
            pages: pages_read,
            mean_confidence: mean,
        });
        out.notes.push(format!("{pages_read} scanned page(s) read by OCR (tesseract): {words_read} words, mean confidence {mean:.0}"));
        if illegible > 0 {
            out.notes.push(format!(
                "{illegible} word(s) under OCR confidence {MIN_CONFIDENCE:.0} marked illegible"
            ));
        }
        if smudged > 0 {
            out.notes
                .push(format!("{smudged} smudged table cell(s) marked illegible"));
        }
        if confirmed > 0 {
            out.notes.push(format!(
                "{confirmed} doubtful cell(s) confirmed by a second reading of the cell alone"
            ));
        }
        if !reread_notes.is_empty() {
            out.notes.push(format!(
                "{} doubtful cell(s) taken from two agreeing readings of the cell alone: {}",
                reread_notes.len(),
                reread_notes.join("; ")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::document::Cell;
    use std::path::Path;

    /// A one-page PDF with the given content stream and the standard Helvetica font, with a
    /// correct cross-reference table.
    fn pdf(contents: &[&str]) -> Vec<u8> {
        let mut objects: Vec<String> = Vec::new();
        let n = contents.len();
        // 1: catalog, 2: pages, 3: font, then per page: page object, content stream.
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
        objects.push(format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            kids.join(" ")
        ));
        objects.push(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .into(),
        );
        for (i, c) in contents.iter().enumerate() {
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{c}\nendstream",
                c.len() + 1
            ));
        }
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn text(x: f64, y: f64, s: &str) -> String {
        format!("BT /F1 10 Tf {x} {y} Td ({s}) Tj ET\n")
    }

    fn cell(x: f64, y: f64, w: f64, h: f64, s: &str) -> String {
        format!("{x} {y} {w} {h} re S\n{}", text(x + 3.0, y + 4.0, s))
    }

    #[test]
    fn letter_lines_carry_their_page_and_number() {
        let p1 = [
            text(50.0, 800.0, "Dear Jordan,"),
            text(50.0, 770.0, "Our budget for 2015/16 was 1.2m."),
            text(50.0, 756.0, "It includes eating disorders."),
        ]
        .concat();
        let p2 = text(50.0, 800.0, "Yours sincerely,");
        let read = read(&pdf(&[&p1, &p2])).unwrap();
        assert!(read.ocr.is_none());
        assert!(!read.incomplete, "{:?}", read.notes);
        let lines: Vec<(Option<usize>, usize, &str)> = read.texts[0]
            .lines
            .iter()
            .map(|l| (l.page, l.number, l.text.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (Some(1), 1, "Dear Jordan,"),
                (Some(1), 2, ""),
                (Some(1), 3, "Our budget for 2015/16 was 1.2m."),
                (Some(1), 4, "It includes eating disorders."),
                (Some(2), 1, "Yours sincerely,"),
            ]
        );
    }

    #[test]
    fn a_ruled_table_becomes_a_sheet() {
        let mut c = text(50.0, 800.0, "Please find our answers below.");
        for (row, y) in [
            ("Budget line|2015/16|2016/17", 700.0),
            ("Total mental health|1,234|Not held", 680.0),
        ] {
            let cells: Vec<&str> = row.split('|').collect();
            c += &cell(50.0, y, 150.0, 20.0, cells[0]);
            c += &cell(200.0, y, 80.0, 20.0, cells[1]);
            c += &cell(280.0, y, 80.0, 20.0, cells[2]);
        }
        let read = read(&pdf(&[&c])).unwrap();
        assert_eq!(read.sheets.len(), 1);
        let s = &read.sheets[0];
        assert_eq!((s.name.as_str(), s.place.as_str()), ("table 1", "page 1"));
        let grid: Vec<Vec<String>> = s
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::text).collect())
            .collect();
        assert_eq!(
            grid,
            vec![
                vec!["Budget line", "2015/16", "2016/17"],
                vec!["Total mental health", "1,234", "Not held"]
            ]
        );
        // The rows stay in the text, table-shaped, so prose reading passes over them.
        let texts: Vec<&str> = read.texts[0]
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect();
        assert!(
            texts.contains(&"| Total mental health | 1,234 | Not held |"),
            "{texts:?}"
        );
        assert_eq!(s.location(1, 1), "table 1 r2c2 (page 1)");
    }

    #[test]
    fn broken_and_locked_files_say_why() {
        assert!(
            read(b"%PDF-1.4\nthis is not a pdf")
                .unwrap_err()
                .starts_with("malformed PDF")
        );
        let mut locked = pdf(&[&text(50.0, 800.0, "secret")]);
        let at = locked.windows(7).rposition(|w| w == b"/Root 1").unwrap();
        locked.splice(
            at..at,
            b"/Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <00> /U <00> /P -4 >> "
                .iter()
                .copied(),
        );
        assert_eq!(read(&locked).unwrap_err(), "password-protected PDF");
    }

    #[test]
    fn a_page_with_nothing_on_it_is_partial() {
        let read = read(&pdf(&["0 0 m"])).unwrap();
        assert!(read.incomplete);
        assert!(read.texts.is_empty() && read.sheets.is_empty());
    }

    fn scan_fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (python3 tests/fixtures/make_scans.py)",
                path.display()
            )
        })
    }

    fn grids(read: &PdfRead) -> Vec<Vec<Vec<String>>> {
        read.sheets
            .iter()
            .map(|s| {
                s.rows
                    .iter()
                    .map(|r| r.iter().map(Cell::text).collect())
                    .collect()
            })
            .collect()
    }

    /// Scanned pages (tests/fixtures/make_scans.py: drawn at 150 dpi, turned, speckled, JPEG).
    /// Needs the tesseract program; where it is missing the file is partial and says why.
    #[test]
    fn ocr_reads_scanned_tables_when_tesseract_is_here() {
        if !ocr::tesseract_available() {
            eprintln!("note: tesseract not on PATH: OCR test skipped");
            let read = read(&scan_fixture("scan_smudged_cell.pdf")).unwrap();
            assert!(
                read.notes
                    .iter()
                    .any(|n| n.contains("tesseract not installed")),
                "{:?}",
                read.notes
            );
            assert!(read.incomplete);
            return;
        }
        let read = read(&scan_fixture("scan_smudged_cell.pdf")).unwrap();
        let ocr = read.ocr.as_ref().expect("OCR used");
        assert_eq!(ocr.pages, 1);
        assert!(read.texts[0].header("ocr").is_some());
        assert!(
            read.sheets[0].place.starts_with("ocr conf "),
            "{}",
            read.sheets[0].place
        );
        let g = grids(&read);
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(g[0][0], ["CAMHS budget", "Outturn 14/15", "Outturn 15/16"]);
        assert_eq!(g[0][1], ["Community CAMHS", "2,950k", "2,841k"]);
        // The smudged total is illegible, whatever OCR made of it; the bold figure beside it is read.
        assert_eq!(g[0][2][0], "Total CAMHS");
        assert!(
            matches!(read.sheets[0].rows[2][1], Cell::Illegible { .. }),
            "the smudged cell: {:?}",
            read.sheets[0].rows[2]
        );
        // Its row laid out as a line says where the doubt is, beside the words.
        let row = read.texts[0]
            .lines
            .iter()
            .find(|l| l.text.starts_with("| Total CAMHS"))
            .expect("the total row as a line");
        assert_eq!(row.doubtful.len(), 1, "{row:?}");
        assert_eq!(g[0][2][2], "3,050k");

        // Two stacked tables, the second two rows deep with sides too short for whole strips.
        let stacked = super::read(&scan_fixture("scan_short_side_rules.pdf")).unwrap();
        let g = grids(&stacked);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0][3], ["Total CAMHS", "2,104k", "2,377k", "2,590k"]);
        assert_eq!(
            g[1],
            [
                vec!["Future in Mind allocation", "Outturn 15/16", "Plan 16/17"],
                vec!["Transformation funding received", "512k", "1,348k"]
            ]
        );

        // At 200 dpi, turned 0.6°: bold figures filling their cells are strokes, not a smudge.
        let bold = super::read(&scan_fixture("scan_bold_figures_200dpi.pdf")).unwrap();
        let g = grids(&bold);
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(
            g[0][1],
            [
                "Total mental health budget",
                "41,230,000",
                "Not held",
                "44,870,000"
            ]
        );
    }

    /// An uncompressed grey image (not JPEG) is decoded and its ruled grid found, without OCR.
    #[test]
    fn a_raw_grey_scan_is_decoded_and_its_rules_found() {
        let doc = load(&scan_pdf()).unwrap();
        let g = ocr::decode_image(&doc, (5, 0)).unwrap();
        assert_eq!((g.w, g.h), (600, 300));
        let rules = ocr::find_rules(&g, 150.0);
        assert_eq!(
            rules.iter().filter(|r| r.horizontal).count(),
            3,
            "{rules:?}"
        );
        assert_eq!(
            rules.iter().filter(|r| !r.horizontal).count(),
            3,
            "{rules:?}"
        );
    }

    fn glyph(c: char) -> [u8; 7] {
        match c {
            'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
            'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
            'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
            'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
            'Y' => [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
            'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
            'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
            '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
            '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
            '3' => [0x1E, 0x01, 0x01, 0x0E, 0x01, 0x01, 0x1E],
            '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
            _ => [0; 7],
        }
    }

    fn draw_text(px: &mut [u8], w: usize, x: usize, y: usize, s: &str, dot: usize) {
        for (i, c) in s.chars().enumerate() {
            let g = glyph(c);
            for (row, bits) in g.iter().enumerate() {
                for col in 0..5 {
                    if bits & (0x10 >> col) != 0 {
                        for dy in 0..dot {
                            for dx in 0..dot {
                                let (xx, yy) =
                                    (x + i * 6 * dot + col * dot + dx, y + row * dot + dy);
                                px[yy * w + xx] = 0;
                            }
                        }
                    }
                }
            }
        }
    }

    fn scan_pdf() -> Vec<u8> {
        let (w, h) = (600usize, 300usize);
        let mut px = vec![255u8; w * h];
        // A 2x2 ruled table.
        for x in 20..580 {
            for y in [20, 140, 280] {
                px[y * w + x] = 0;
            }
        }
        for y in 20..=280 {
            for x in [20, 300, 579] {
                px[y * w + x] = 0;
            }
        }
        draw_text(&mut px, w, 40, 60, "YEAR", 5);
        draw_text(&mut px, w, 40, 190, "TOTAL", 5);
        draw_text(&mut px, w, 330, 190, "1234", 5);
        // A smudge over the top-right cell.
        for y in 30..130 {
            for x in 310..570 {
                px[y * w + x] = if (x * 7 + y * 3) % 11 < 8 { 40 } else { 120 };
            }
        }
        let content = "q 432 0 0 216 50 500 cm /Im1 Do Q".to_string();
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        let objs: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1).into_bytes(),
            {
                let mut o = format!("<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {} >>\nstream\n", px.len()).into_bytes();
                o.extend_from_slice(&px);
                o.extend_from_slice(b"\nendstream");
                o
            },
        ];
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes(),
        );
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}
