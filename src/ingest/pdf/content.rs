//! A small PDF page-content interpreter: it follows the text and graphics state far enough to
//! say where each piece of text, each ruling line and each image sits on the page, which is
//! what rebuilding lines and tables needs (and what plain text extraction throws away).

use super::page_layout::{Frag, Rule};
use lopdf::Encoding;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;

/// A 2-D affine transform [a b c d e f], as PDF writes them.
pub type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`: the transform that applies `m` first.
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// Most bytes a page's (or a form's) content may decompress to.
const MAX_CONTENT_BYTES: usize = 32 * 1024 * 1024;
/// Most operations interpreted on one page, forms included.
const MAX_OPS: usize = 1_000_000;
/// Most pieces of text, path segments and images kept from one page.
const MAX_ITEMS: usize = 100_000;
/// How deep forms may nest inside forms.
const MAX_FORM_DEPTH: usize = 4;
/// How deep `q` may nest.
const MAX_STACK: usize = 256;

/// An image drawn on the page: which object, and where (its transform maps the unit square).
#[derive(Debug, Clone)]
pub struct ImageUse {
    pub id: ObjectId,
    pub ctm: Matrix,
}

/// Everything a page draws that reading needs, in page points from the top-left corner.
#[derive(Debug, Default)]
pub struct PageContent {
    pub frags: Vec<Frag>,
    pub rules: Vec<Rule>,
    pub images: Vec<ImageUse>,
    /// Problems met on the way (an unreadable form, a cap reached).
    pub problems: Vec<String>,
    /// Page box: left, bottom, right, top.
    pub media: [f64; 4],
}

/// What a font needs for reading: how to turn codes into text, and how wide each glyph is.
struct FontInfo<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    widths: HashMap<u32, f64>,
    default_width: f64,
}

impl FontInfo<'_> {
    fn width(&self, code: u32) -> f64 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
    }

    fn codes(&self, bytes: &[u8]) -> Vec<u32> {
        if self.two_byte {
            bytes
                .chunks(2)
                .map(|c| c.iter().fold(0u32, |acc, b| acc * 256 + u32::from(*b)))
                .collect()
        } else {
            bytes.iter().map(|b| u32::from(*b)).collect()
        }
    }

    fn text(&self, bytes: &[u8]) -> String {
        let decoded = self
            .encoding
            .as_ref()
            .and_then(|e| e.bytes_to_string(bytes).ok());
        match decoded {
            Some(t) => t,
            // No usable encoding: read the bytes as Latin-1, which is right for plain ASCII.
            None if !self.two_byte => bytes.iter().map(|&b| b as char).collect(),
            None => String::new(),
        }
        .replace('\u{0}', "")
    }
}

fn load_font<'a>(doc: &'a Document, font: &'a Dictionary) -> FontInfo<'a> {
    let subtype = font
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let encoding = font
        .get_font_encoding_with_limit(doc, MAX_CONTENT_BYTES)
        .ok();
    let mut widths = HashMap::new();
    if subtype == b"Type0" {
        let descendant = font
            .get_deref(b"DescendantFonts", doc)
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let mut default_width = 1000.0;
        if let Some(d) = descendant {
            default_width = d
                .get(b"DW")
                .and_then(Object::as_float)
                .map_or(1000.0, f64::from);
            if let Ok(w) = d.get_deref(b"W", doc).and_then(Object::as_array) {
                cid_widths(doc, w, &mut widths);
            }
        }
        return FontInfo {
            encoding,
            two_byte: true,
            widths,
            default_width,
        };
    }
    let first = font.get(b"FirstChar").and_then(Object::as_i64).unwrap_or(0);
    if let Ok(ws) = font.get_deref(b"Widths", doc).and_then(Object::as_array) {
        for (i, w) in ws.iter().take(256).enumerate() {
            let w = doc.dereference(w).ok().and_then(|(_, o)| o.as_float().ok());
            if let (Some(w), Ok(code)) = (w, u32::try_from(first + i as i64)) {
                widths.insert(code, f64::from(w));
            }
        }
    }
    let missing = font
        .get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .and_then(|d| d.get(b"MissingWidth"))
        .and_then(Object::as_float)
        .ok()
        .map(f64::from)
        .filter(|w| *w > 0.0);
    // Standard fonts carry no widths: half an em is near enough for laying out lines.
    FontInfo {
        encoding,
        two_byte: false,
        widths,
        default_width: missing.unwrap_or(500.0),
    }
}

/// A CID font's /W array: `c [w1 w2 ...]` or `c_first c_last w`.
fn cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f64>) {
    let num = |o: &Object| {
        doc.dereference(o)
            .ok()
            .and_then(|(_, o)| o.as_float().ok())
            .map(f64::from)
    };
    let mut i = 0;
    while i < w.len() && out.len() < 65_536 {
        let Some(first) = num(&w[i]) else { break };
        let first = first as u32;
        match w
            .get(i + 1)
            .and_then(|o| doc.dereference(o).ok())
            .map(|(_, o)| o)
        {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().take(65_536).enumerate() {
                    if let Some(v) = num(v) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(num)) else {
                    break;
                };
                let last = (last as u32).min(first.saturating_add(65_536));
                for c in first..=last {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
}

#[derive(Clone)]
struct TextState {
    font: Option<usize>,
    size: f64,
    char_space: f64,
    word_space: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    text: TextState,
}

struct Interp<'a> {
    doc: &'a Document,
    fonts: Vec<FontInfo<'a>>,
    font_index: HashMap<usize, usize>,
    out: PageContent,
    ops: usize,
    capped: bool,
}

/// Read one page's content.
pub fn page(doc: &Document, page_id: ObjectId) -> PageContent {
    let mut it = Interp {
        doc,
        fonts: Vec::new(),
        font_index: HashMap::new(),
        out: PageContent::default(),
        ops: 0,
        capped: false,
    };
    let page = doc.get_dictionary(page_id).ok();
    let media = page
        .and_then(|p| inherited(doc, p, b"MediaBox"))
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .filter_map(|o| doc.dereference(o).ok().and_then(|(_, o)| o.as_float().ok()))
                .map(f64::from)
                .collect::<Vec<_>>()
        })
        .filter(|v| v.len() == 4)
        .map(|v| {
            [
                v[0].min(v[2]),
                v[1].min(v[3]),
                v[0].max(v[2]),
                v[1].max(v[3]),
            ]
        })
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    it.out.media = media;
    let resources = page
        .and_then(|p| inherited(doc, p, b"Resources"))
        .and_then(|o| o.as_dict().ok());
    match doc.get_page_content_with_limit(page_id, MAX_CONTENT_BYTES) {
        Ok(bytes) => it.run(&bytes, resources, IDENTITY, 0),
        Err(e) => it
            .out
            .problems
            .push(format!("page content unreadable: {e}")),
    }
    if it.capped {
        it.out
            .problems
            .push("page too busy: only part of it was read".into());
    }
    it.out
}

/// A page attribute that may sit on the page or on a parent in the page tree.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(v) = node.get_deref(key, doc) {
            return Some(v);
        }
        node = node
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

fn num(o: &Object) -> f64 {
    o.as_float()
        .map(f64::from)
        .ok()
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

fn nums<const N: usize>(operands: &[Object]) -> Option<[f64; N]> {
    if operands.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (i, o) in operands.iter().take(N).enumerate() {
        out[i] = num(o);
    }
    Some(out)
}

/// Path pieces under construction, in page space (before the flip to top-down).
#[derive(Default)]
struct Path {
    segments: Vec<(f64, f64, f64, f64)>,
    rects: Vec<[(f64, f64); 4]>,
    start: Option<(f64, f64)>,
    current: Option<(f64, f64)>,
}

impl<'a> Interp<'a> {
    fn full(&self) -> bool {
        self.out.frags.len() + self.out.rules.len() + self.out.images.len() >= MAX_ITEMS
    }

    fn run(&mut self, bytes: &[u8], resources: Option<&'a Dictionary>, base: Matrix, depth: usize) {
        let content = match Content::decode(bytes) {
            Ok(c) => c,
            Err(e) => {
                self.out
                    .problems
                    .push(format!("page content could not be parsed: {e}"));
                return;
            }
        };
        let fresh_text = TextState {
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut gs = GState {
            ctm: base,
            text: fresh_text,
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut path = Path::default();
        for op in &content.operations {
            self.ops += 1;
            if self.ops > MAX_OPS || self.full() {
                self.capped = true;
                return;
            }
            let o = op.operands.as_slice();
            match op.operator.as_str() {
                "q" if stack.len() < MAX_STACK => {
                    stack.push(gs.clone());
                }
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = nums::<6>(o) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    if let (Some(name), Some(size)) =
                        (o.first().and_then(|n| n.as_name().ok()), o.get(1))
                    {
                        gs.text.font = self.font(resources, name);
                        gs.text.size = num(size);
                    }
                }
                "Tc" => gs.text.char_space = o.first().map_or(0.0, num),
                "Tw" => gs.text.word_space = o.first().map_or(0.0, num),
                "Tz" => gs.text.scale = o.first().map_or(100.0, num) / 100.0,
                "TL" => gs.text.leading = o.first().map_or(0.0, num),
                "Ts" => gs.text.rise = o.first().map_or(0.0, num),
                "Td" | "TD" => {
                    if let Some([tx, ty]) = nums::<2>(o) {
                        if op.operator == "TD" {
                            gs.text.leading = -ty;
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = nums::<6>(o) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.text.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" => {
                    if op.operator != "Tj" {
                        if op.operator == "\"" {
                            gs.text.word_space = o.first().map_or(gs.text.word_space, num);
                            gs.text.char_space = o.get(1).map_or(gs.text.char_space, num);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.text.leading], &tlm);
                        tm = tlm;
                    }
                    if let Some(Ok(s)) = o.last().map(Object::as_str) {
                        let mut piece = Piece::default();
                        self.show(s, &gs, &mut tm, &mut piece);
                        self.emit(piece);
                    }
                }
                "TJ" => {
                    if let Some(Ok(items)) = o.first().map(Object::as_array) {
                        let mut piece = Piece::default();
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(s, &gs, &mut tm, &mut piece),
                                other => {
                                    let adj = -num(other) / 1000.0;
                                    let size = gs.text.size.abs();
                                    let tx = adj * gs.text.size * gs.text.scale;
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    if adj * size > 1.5 * size.max(0.1) && !piece.text.is_empty() {
                                        // A wide jump: what follows is a piece of its own.
                                        let done = std::mem::take(&mut piece);
                                        self.emit(done);
                                    } else if adj > 0.1 {
                                        piece.space = true;
                                    }
                                }
                            }
                        }
                        self.emit(piece);
                    }
                }
                "m" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        let p = apply(&gs.ctm, x, y);
                        path.start = Some(p);
                        path.current = Some(p);
                    }
                }
                "l" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        let p = apply(&gs.ctm, x, y);
                        if let Some(c) = path.current {
                            path.segments.push((c.0, c.1, p.0, p.1));
                        }
                        path.current = Some(p);
                    }
                }
                "c" | "v" | "y" => {
                    if let (Some(x), Some(y)) = (o.get(o.len().wrapping_sub(2)), o.last()) {
                        path.current = Some(apply(&gs.ctm, num(x), num(y)));
                    }
                }
                "h" => {
                    if let (Some(c), Some(s)) = (path.current, path.start) {
                        path.segments.push((c.0, c.1, s.0, s.1));
                        path.current = Some(s);
                    }
                }
                "re" => {
                    if let Some([x, y, w, h]) = nums::<4>(o) {
                        let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                            .map(|(px, py)| apply(&gs.ctm, px, py));
                        path.rects.push(corners);
                        path.start = Some(corners[0]);
                        path.current = Some(corners[0]);
                    }
                }
                "S" | "s" | "B" | "B*" | "b" | "b*" => {
                    if (op.operator == "s" || op.operator == "b" || op.operator == "b*")
                        && let (Some(c), Some(s)) = (path.current, path.start)
                    {
                        path.segments.push((c.0, c.1, s.0, s.1));
                    }
                    let p = std::mem::take(&mut path);
                    self.stroke(p);
                }
                "f" | "F" | "f*" => {
                    let p = std::mem::take(&mut path);
                    self.fill(p);
                }
                "n" => path = Path::default(),
                "Do" => {
                    if let Some(name) = o.first().and_then(|n| n.as_name().ok()) {
                        self.xobject(resources, name, &gs, depth);
                    }
                }
                _ => {}
            }
        }
    }

    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<usize> {
        let doc = self.doc;
        let dict = resources?
            .get_deref(b"Font", doc)
            .and_then(Object::as_dict)
            .ok()?
            .get_deref(name, doc)
            .and_then(Object::as_dict)
            .ok()?;
        let key = dict as *const Dictionary as usize;
        if let Some(&i) = self.font_index.get(&key) {
            return Some(i);
        }
        let info = load_font(doc, dict);
        self.fonts.push(info);
        let i = self.fonts.len() - 1;
        self.font_index.insert(key, i);
        Some(i)
    }

    /// Show a string: add its text to `piece` and move the text matrix past it.
    fn show(&self, bytes: &[u8], gs: &GState, tm: &mut Matrix, piece: &mut Piece) {
        let Some(font) = gs.text.font.and_then(|i| self.fonts.get(i)) else {
            return;
        };
        let t = &gs.text;
        if piece.start.is_none() {
            let trm = mul(
                &mul(&[t.size * t.scale, 0.0, 0.0, t.size, 0.0, t.rise], tm),
                &gs.ctm,
            );
            let m = mul(tm, &gs.ctm);
            let height = (m[2] * m[2] + m[3] * m[3]).sqrt() * t.size.abs();
            piece.start = Some((trm[4], trm[5], height));
        }
        let text = font.text(bytes);
        if piece.space
            && !piece.text.is_empty()
            && !piece.text.ends_with(' ')
            && !text.starts_with(' ')
        {
            piece.text.push(' ');
        }
        piece.space = false;
        piece.text.push_str(&text);
        let mut tx = 0.0;
        for code in font.codes(bytes) {
            let w = font.width(code) / 1000.0;
            let word = if !font.two_byte && code == 32 {
                t.word_space
            } else {
                0.0
            };
            tx += (w * t.size + t.char_space + word) * t.scale;
        }
        *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        let end = mul(tm, &gs.ctm);
        piece.end = Some((end[4], end[5]));
    }

    /// Keep a finished piece, flipped to top-down page coordinates.
    fn emit(&mut self, piece: Piece) {
        let (Some((x, y, height)), Some((ex, _))) = (piece.start, piece.end) else {
            return;
        };
        if piece.text.trim().is_empty() || !x.is_finite() || !y.is_finite() {
            return;
        }
        let [left, _, _, top] = self.out.media;
        let baseline = top - y;
        let h = if height.is_finite() && height > 0.0 {
            height
        } else {
            1.0
        };
        let (x0, x1) = if ex >= x { (x, ex) } else { (ex, x) };
        self.out.frags.push(Frag {
            x0: x0 - left,
            x1: x1 - left,
            top: baseline - 0.8 * h,
            bottom: baseline + 0.2 * h,
            text: piece.text,
            conf: None,
            group: None,
        });
    }

    /// A stroked path: its straight, level or upright segments are rules.
    fn stroke(&mut self, path: Path) {
        let mut segs = path.segments;
        for r in &path.rects {
            for k in 0..4 {
                let (a, b) = (r[k], r[(k + 1) % 4]);
                segs.push((a.0, a.1, b.0, b.1));
            }
        }
        for (x0, y0, x1, y1) in segs {
            self.segment(x0, y0, x1, y1);
        }
    }

    /// A filled path: a thin filled box is a rule drawn as a bar (as word processors draw
    /// table borders); other fills (shading) are not.
    fn fill(&mut self, path: Path) {
        for r in &path.rects {
            let xs = r.map(|p| p.0);
            let ys = r.map(|p| p.1);
            let (x0, x1) = (
                xs.iter().copied().fold(f64::INFINITY, f64::min),
                xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            );
            let (y0, y1) = (
                ys.iter().copied().fold(f64::INFINITY, f64::min),
                ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            );
            if y1 - y0 < 2.5 && x1 - x0 > 2.5 {
                let y = (y0 + y1) / 2.0;
                self.segment(x0, y, x1, y);
            } else if x1 - x0 < 2.5 && y1 - y0 > 2.5 {
                let x = (x0 + x1) / 2.0;
                self.segment(x, y0, x, y1);
            }
        }
    }

    fn segment(&mut self, x0: f64, y0: f64, x1: f64, y1: f64) {
        if self.full() || ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let [left, _, _, top] = self.out.media;
        let (x0, x1, y0, y1) = (x0 - left, x1 - left, top - y0, top - y1);
        if (y1 - y0).abs() < 0.5 && (x1 - x0).abs() > 1.0 {
            self.out.rules.push(Rule {
                horizontal: true,
                a: (y0 + y1) / 2.0,
                b: 0.0,
                lo: x0.min(x1),
                hi: x0.max(x1),
            });
        } else if (x1 - x0).abs() < 0.5 && (y1 - y0).abs() > 1.0 {
            self.out.rules.push(Rule {
                horizontal: false,
                a: (x0 + x1) / 2.0,
                b: 0.0,
                lo: y0.min(y1),
                hi: y0.max(y1),
            });
        }
    }

    fn xobject(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        gs: &GState,
        depth: usize,
    ) {
        let doc = self.doc;
        let Some(resources) = resources else { return };
        let Ok(xobjects) = resources
            .get_deref(b"XObject", doc)
            .and_then(Object::as_dict)
        else {
            return;
        };
        let Ok(entry) = xobjects.get(name) else {
            return;
        };
        let Ok(id) = entry.as_reference() else { return };
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") if !self.full() => {
                self.out.images.push(ImageUse { id, ctm: gs.ctm });
            }
            Ok(b"Form") => {
                if depth >= MAX_FORM_DEPTH {
                    self.out
                        .problems
                        .push("forms nested too deep: not read".into());
                    return;
                }
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .and_then(Object::as_array)
                    .ok()
                    .filter(|a| a.len() == 6)
                    .map(|a| {
                        let mut m = IDENTITY;
                        for (i, v) in a.iter().enumerate() {
                            m[i] = num(v);
                        }
                        m
                    })
                    .unwrap_or(IDENTITY);
                let own = stream
                    .dict
                    .get_deref(b"Resources", doc)
                    .and_then(Object::as_dict)
                    .ok();
                match stream.get_plain_content_with_limit(MAX_CONTENT_BYTES) {
                    Ok(bytes) => self.run(
                        &bytes,
                        own.or(Some(resources)),
                        mul(&matrix, &gs.ctm),
                        depth + 1,
                    ),
                    Err(e) => self
                        .out
                        .problems
                        .push(format!("a form could not be read: {e}")),
                }
            }
            _ => {}
        }
    }
}

/// Text being gathered into one piece: where it starts (x, y, height) and ends.
#[derive(Default)]
struct Piece {
    text: String,
    start: Option<(f64, f64, f64)>,
    end: Option<(f64, f64)>,
    space: bool,
}
