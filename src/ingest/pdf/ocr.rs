//! Scanned pages: the page image is decoded, its table rules are found (and wiped so they are
//! not read as letters), and Tesseract's command line reads the words with a confidence for
//! each. Tesseract is a program on the machine, not a library: where it is missing the page is
//! reported unread, never guessed.

use super::page_layout::{Frag, Rule};
use lopdf::{Document, Object, ObjectId, Stream};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The largest image decoded: about 50 megapixels (A4 at 600 dpi is 35).
const MAX_PIXELS: usize = 50_000_000;
const MAX_SIDE: usize = 30_000;
/// How long Tesseract may take over one image.
pub const TIMEOUT: Duration = Duration::from_secs(120);
/// A pixel darker than this is ink.
const DARK: u8 = 160;

/// A greyscale image, one byte a pixel, rows top to bottom.
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    fn dark(&self, x: usize, y: usize) -> bool {
        self.px.get(y * self.w + x).is_some_and(|&v| v < DARK)
    }

    /// Share of a box of pixels that is solid ink: pixels whose whole (2r+1)² neighbourhood is
    /// dark. A smudge or blot is solid; the strokes of even bold type are a few pixels wide, so a
    /// cell crowded with a bold figure is not taken for a smudge.
    pub fn solid_ink(&self, x0: f64, y0: f64, x1: f64, y1: f64, r: usize) -> f64 {
        let cl = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
        let (x0, x1) = (cl(x0, self.w), cl(x1, self.w));
        let (y0, y1) = (cl(y0, self.h), cl(y1, self.h));
        let (w, h, side) = (x1.saturating_sub(x0), y1.saturating_sub(y0), 2 * r + 1);
        if w < side || h < side {
            return 0.0;
        }
        // Along each row: dark across the whole window. Then down each column of those.
        let mut across = vec![false; w * h];
        for y in 0..h {
            let row = &self.px[(y0 + y) * self.w + x0..(y0 + y) * self.w + x1];
            let mut run = 0;
            for (x, &v) in row.iter().enumerate() {
                run = if v < DARK { run + 1 } else { 0 };
                if run >= side {
                    across[y * w + x - r] = true;
                }
            }
        }
        let mut solid = 0usize;
        for x in 0..w {
            let mut run = 0;
            for y in 0..h {
                run = if across[y * w + x] { run + 1 } else { 0 };
                if run >= side {
                    solid += 1;
                }
            }
        }
        solid as f64 / (w * h) as f64
    }
}

/// Is the `tesseract` program here? Asked once per run.
pub fn tesseract_available() -> bool {
    tesseract_version().is_some()
}

/// Tesseract's version line ("tesseract 5.3.0"), `None` when it cannot be run. A new Tesseract
/// reads scans differently, so the ingest cache keys on it. Asked once per run.
pub fn tesseract_version() -> Option<&'static str> {
    static VERSION: OnceLock<Option<String>> = OnceLock::new();
    VERSION
        .get_or_init(|| {
            let out = Command::new("tesseract")
                .arg("--version")
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .ok()?;
            // Older builds print the version on stderr; the line is enough either way.
            out.status.success().then(|| {
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .next()
                    .unwrap_or("tesseract")
                    .trim()
                    .to_owned()
            })
        })
        .as_deref()
}

/// Decode an image object to grey. JPEG (DCTDecode) through zune-jpeg; Flate and the other
/// general filters through lopdf, then the samples by colour space and bit depth.
pub fn decode_image(doc: &Document, id: ObjectId) -> Result<Gray, String> {
    let stream = doc
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|e| format!("image object unreadable: {e}"))?;
    let dict = &stream.dict;
    let int = |k: &[u8]| dict.get_deref(k, doc).and_then(Object::as_i64).ok();
    let (w, h) = match (int(b"Width"), int(b"Height")) {
        (Some(w), Some(h)) if w > 0 && h > 0 => (w as usize, h as usize),
        _ => return Err("image without a size".into()),
    };
    if w > MAX_SIDE || h > MAX_SIDE || w.saturating_mul(h) > MAX_PIXELS {
        return Err(format!("image too large to read ({w}x{h} pixels)"));
    }
    let filters: Vec<Vec<u8>> = match dict.get_deref(b"Filter", doc) {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    match filters.last().map(Vec::as_slice) {
        Some(b"DCTDecode") | Some(b"DCT") if filters.len() == 1 => jpeg(&stream.content, w, h),
        Some(b"DCTDecode") | Some(b"DCT") => {
            Err("JPEG image behind another filter: not read".into())
        }
        Some(b"JPXDecode") => Err("JPEG 2000 image: not read".into()),
        Some(b"JBIG2Decode") => Err("JBIG2 image: not read".into()),
        Some(b"CCITTFaxDecode") | Some(b"CCF") => Err("fax-coded (CCITT) image: not read".into()),
        _ => raw(doc, stream, w, h),
    }
}

fn jpeg(bytes: &[u8], w: usize, h: usize) -> Result<Gray, String> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(MAX_SIDE)
        .set_max_height(MAX_SIDE)
        .set_strict_mode(false);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder
        .decode_headers()
        .map_err(|e| format!("JPEG image unreadable: {e:?}"))?;
    let info = decoder.info().ok_or("JPEG image unreadable: no header")?;
    let (jw, jh) = (info.width as usize, info.height as usize);
    if jw == 0 || jh == 0 || jw.saturating_mul(jh) > MAX_PIXELS {
        return Err(format!("JPEG image too large to read ({jw}x{jh})"));
    }
    let px = decoder
        .decode()
        .map_err(|e| format!("JPEG image unreadable: {e:?}"))?;
    if px.len() != jw * jh {
        return Err("JPEG image decoded to an unexpected size".into());
    }
    let _ = (w, h);
    Ok(Gray { w: jw, h: jh, px })
}

fn raw(doc: &Document, stream: &Stream, w: usize, h: usize) -> Result<Gray, String> {
    let dict = &stream.dict;
    let mask = dict
        .get(b"ImageMask")
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let bpc = if mask {
        1
    } else {
        dict.get_deref(b"BitsPerComponent", doc)
            .and_then(Object::as_i64)
            .unwrap_or(8) as usize
    };
    if ![1, 2, 4, 8, 16].contains(&bpc) {
        return Err(format!("image with {bpc} bits a sample: not read"));
    }
    let space = if mask {
        Space::Gray
    } else {
        colour_space(doc, dict.get_deref(b"ColorSpace", doc).ok())?
    };
    let comps = match &space {
        Space::Gray | Space::Indexed(..) => 1,
        Space::Rgb => 3,
        Space::Cmyk => 4,
    };
    let row_bytes = (w * comps * bpc).div_ceil(8);
    let need = row_bytes * h;
    let data = stream
        .get_plain_content_with_limit(need + h + 4096)
        .map_err(|e| format!("image data unreadable: {e}"))?;
    if data.len() < need {
        return Err("image data shorter than its size says".into());
    }
    let sample = |row: &[u8], i: usize| -> u8 {
        match bpc {
            8 => row[i],
            16 => row[2 * i],
            _ => {
                let bit = i * bpc;
                let byte = row[bit / 8];
                let shift = 8 - bpc - (bit % 8);
                let v = (byte >> shift) & ((1u8 << bpc) - 1);
                if matches!(space, Space::Indexed(..)) {
                    v
                } else {
                    (u32::from(v) * 255 / ((1u32 << bpc) - 1)) as u8
                }
            }
        }
    };
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        let row = &data[y * row_bytes..(y + 1) * row_bytes];
        for x in 0..w {
            let v = match &space {
                Space::Gray => sample(row, x),
                Space::Rgb => luma(
                    sample(row, 3 * x),
                    sample(row, 3 * x + 1),
                    sample(row, 3 * x + 2),
                ),
                Space::Cmyk => {
                    let k = |i| f64::from(sample(row, 4 * x + i));
                    (255.0 - (0.3 * k(0) + 0.59 * k(1) + 0.11 * k(2) + k(3)).min(255.0)) as u8
                }
                Space::Indexed(palette) => palette
                    .get(usize::from(sample(row, x)))
                    .copied()
                    .unwrap_or(255),
            };
            px.push(if mask {
                if v == 0 { 0 } else { 255 }
            } else {
                v
            });
        }
    }
    Ok(Gray { w, h, px })
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000) as u8
}

enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// A palette, already turned to grey.
    Indexed(Vec<u8>),
}

fn colour_space(doc: &Document, obj: Option<&Object>) -> Result<Space, String> {
    let Some(obj) = obj else {
        return Ok(Space::Gray);
    };
    let resolve = |o: &Object| {
        doc.dereference(o)
            .map(|(_, o)| o.clone())
            .unwrap_or(Object::Null)
    };
    match obj {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Ok(Space::Gray),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok(Space::Rgb),
            b"DeviceCMYK" | b"CMYK" => Ok(Space::Cmyk),
            other => Err(format!(
                "image colour space {}: not read",
                String::from_utf8_lossy(other)
            )),
        },
        Object::Array(a) => match a.first().map(resolve) {
            Some(Object::Name(n)) if n == b"ICCBased" => {
                let n = a.get(1).map(resolve).and_then(|o| {
                    o.as_stream()
                        .ok()
                        .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok())
                });
                match n {
                    Some(1) => Ok(Space::Gray),
                    Some(4) => Ok(Space::Cmyk),
                    _ => Ok(Space::Rgb),
                }
            }
            Some(Object::Name(n)) if n == b"CalGray" => Ok(Space::Gray),
            Some(Object::Name(n)) if n == b"CalRGB" => Ok(Space::Rgb),
            Some(Object::Name(n)) if n == b"Indexed" || n == b"I" => {
                let base = colour_space(doc, a.get(1).map(resolve).as_ref())?;
                let table: Vec<u8> = match a.get(3).map(resolve) {
                    Some(Object::String(s, _)) => s,
                    Some(Object::Stream(s)) => s
                        .get_plain_content_with_limit(4 * 256 + 16)
                        .map_err(|e| format!("image palette unreadable: {e}"))?,
                    _ => return Err("image palette missing".into()),
                };
                let palette = match base {
                    Space::Gray => table,
                    Space::Rgb => table
                        .chunks(3)
                        .filter(|c| c.len() == 3)
                        .map(|c| luma(c[0], c[1], c[2]))
                        .collect(),
                    Space::Cmyk => table
                        .chunks(4)
                        .filter(|c| c.len() == 4)
                        .map(|c| {
                            (255.0
                                - (0.3 * f64::from(c[0])
                                    + 0.59 * f64::from(c[1])
                                    + 0.11 * f64::from(c[2])
                                    + f64::from(c[3]))
                                .min(255.0)) as u8
                        })
                        .collect(),
                    Space::Indexed(_) => return Err("nested palette: not read".into()),
                };
                Ok(Space::Indexed(palette))
            }
            _ => Err("image colour space not read".into()),
        },
        Object::Reference(_) => colour_space(doc, Some(&resolve(obj))),
        _ => Err("image colour space not read".into()),
    }
}

/// Find table rules in a scan: runs of ink at least `strip` pixels long, one to a few pixels
/// thick, followed strip by strip so that a slightly turned page still gives straight (slanted)
/// lines. Returned in pixels.
pub fn find_rules(g: &Gray, dpi: f64) -> Vec<Rule> {
    let scale = (dpi / 150.0).clamp(0.3, 8.0);
    let strip = ((40.0 * scale) as usize).max(12);
    let thick = ((4.0 * scale) as usize).max(2);
    let mut out = rules_one_way(g, strip, thick, true);
    // Side rules in half-length strips: a table two rows deep has sides of about 80 px at
    // 150 dpi, three 20 px strips; no glyph of body text is a thin stroke 60 px tall.
    out.extend(rules_one_way(g, (strip / 2).max(8), thick, false));
    out
}

fn rules_one_way(g: &Gray, strip: usize, thick: usize, horizontal: bool) -> Vec<Rule> {
    // Along: the direction the rule runs; across: the other.
    let (along, across) = if horizontal { (g.w, g.h) } else { (g.h, g.w) };
    let dark = |a: usize, c: usize| {
        if horizontal {
            g.dark(a, c)
        } else {
            g.dark(c, a)
        }
    };
    let strips = along / strip;
    if strips < 3 || across < 3 {
        return Vec::new();
    }
    // Segments per strip: the middle of each thin run of "on" positions.
    let mut segs: Vec<Vec<f64>> = vec![Vec::new(); strips];
    let need = strip * 85 / 100;
    for (s, found) in segs.iter_mut().enumerate() {
        let a0 = s * strip;
        let mut run_start: Option<usize> = None;
        for c in 0..across {
            let on = c + 1 < across
                && (a0..a0 + strip)
                    .filter(|&a| dark(a, c) || dark(a, c + 1))
                    .count()
                    >= need;
            match (on, run_start) {
                (true, None) => run_start = Some(c),
                (false, Some(st)) => {
                    if c - st <= thick {
                        found.push((st + c) as f64 / 2.0);
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
    }
    // Chain segments strip to strip.
    let mut chains: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open: Vec<(usize, f64)> = Vec::new(); // (chain index, position in the last strip)
    for (s, found) in segs.iter().enumerate() {
        let centre = (s * strip + strip / 2) as f64;
        let mut next_open = Vec::new();
        for &p in found {
            let best = open
                .iter()
                .filter(|(_, q)| (q - p).abs() <= 2.5)
                .min_by(|a, b| (a.1 - p).abs().total_cmp(&(b.1 - p).abs()))
                .map(|(i, _)| *i);
            match best {
                Some(i) if !next_open.iter().any(|(j, _)| *j == i) => {
                    chains[i].push((centre, p));
                    next_open.push((i, p));
                }
                _ => {
                    chains.push(vec![(centre, p)]);
                    next_open.push((chains.len() - 1, p));
                }
            }
        }
        open = next_open;
        if chains.len() > 20_000 {
            break;
        }
    }
    let half = strip as f64 / 2.0;
    chains
        .into_iter()
        .filter(|c| c.len() >= 3)
        .map(|c| {
            let (a, b) = fit(&c);
            let lo = c.first().map_or(0.0, |p| p.0 - half);
            let hi = c.last().map_or(0.0, |p| p.0 + half);
            Rule {
                horizontal,
                a,
                b,
                lo,
                hi,
            }
        })
        .collect()
}

/// Least squares: position = a + b·t.
fn fit(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let mt = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mp = points.iter().map(|p| p.1).sum::<f64>() / n;
    let var = points.iter().map(|p| (p.0 - mt).powi(2)).sum::<f64>();
    if var <= f64::EPSILON {
        return (mp, 0.0);
    }
    let b = points.iter().map(|p| (p.0 - mt) * (p.1 - mp)).sum::<f64>() / var;
    (mp - b * mt, b)
}

/// Paint the rules white, so Tesseract does not read them as `|` and `_`. A rule is found strip
/// by strip, so up to a strip at either end may be missed: each end is first followed along the
/// ink, else the stub of a table's last row is read as `j`, `[` or `|` beside a figure.
pub fn erase_rules(g: &mut Gray, rules: &[Rule], dpi: f64) {
    let half = ((2.0 * dpi / 150.0).round() as i64).max(1);
    let reach = (60.0 * dpi / 150.0).max(8.0) as usize;
    for r in rules {
        let (lo, hi) = traced_ends(g, r, half, reach);
        for t in lo..=hi {
            let p = r.at(t as f64).round() as i64;
            for d in -half..=half {
                let q = p + d;
                if q < 0 {
                    continue;
                }
                let (x, y) = if r.horizontal {
                    (t, q as usize)
                } else {
                    (q as usize, t)
                };
                if x < g.w && y < g.h {
                    g.px[y * g.w + x] = 255;
                }
            }
        }
    }
}

/// The ends of a rule followed along its line while there is ink within `half` of it, at most
/// `reach` beyond where it was found.
fn traced_ends(g: &Gray, r: &Rule, half: i64, reach: usize) -> (usize, usize) {
    let along = if r.horizontal { g.w } else { g.h };
    let inked = |t: usize| {
        let p = r.at(t as f64).round() as i64;
        (-half..=half).any(|d| {
            let q = p + d;
            q >= 0 && {
                let (x, y) = if r.horizontal {
                    (t, q as usize)
                } else {
                    (q as usize, t)
                };
                x < g.w && y < g.h && g.dark(x, y)
            }
        })
    };
    let (mut lo, mut hi) = (
        r.lo.max(0.0) as usize,
        (r.hi.max(0.0) as usize).min(along.saturating_sub(1)),
    );
    let (lo0, hi0) = (lo, hi);
    while lo > 0 && lo0 - lo < reach && inked(lo - 1) {
        lo -= 1;
    }
    while hi + 1 < along && hi - hi0 < reach && inked(hi + 1) {
        hi += 1;
    }
    (lo, hi)
}

/// One word as Tesseract read it, in pixels.
#[derive(Debug, Clone)]
pub struct Word {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub conf: f32,
    pub text: String,
    pub line: u64,
}

/// Run Tesseract on an image, words with confidences back. The image goes through a private
/// temporary folder as PGM; the run is ended if it passes `TIMEOUT`.
pub fn tesseract(g: &Gray, dpi: f64) -> Result<Vec<Word>, String> {
    tesseract_psm(g, dpi, "6")
}

/// One region of a page (pixels) read again on its own: cropped, set on a white margin, enlarged
/// twice and read as one line. Its text and its least sure word's confidence.
pub fn reread(
    g: &Gray,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    dpi: f64,
    zoom: usize,
) -> Option<(String, f32)> {
    let cl = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
    let (x0, x1, y0, y1) = (cl(x0, g.w), cl(x1, g.w), cl(y0, g.h), cl(y1, g.h));
    if x1 <= x0 + 4 || y1 <= y0 + 4 {
        return None;
    }
    const MARGIN: usize = 16;
    let zoom = zoom.clamp(1, 4);
    let (cw, ch) = ((x1 - x0) * zoom + 2 * MARGIN, (y1 - y0) * zoom + 2 * MARGIN);
    let mut px = vec![255u8; cw * ch];
    for y in 0..(y1 - y0) * zoom {
        for x in 0..(x1 - x0) * zoom {
            // Bilinear enlargement.
            let (fx, fy) = (x as f64 / zoom as f64, y as f64 / zoom as f64);
            let (ix, iy) = (fx as usize, fy as usize);
            let (ax, ay) = (fx - ix as f64, fy - iy as f64);
            let at = |dx: usize, dy: usize| {
                let (sx, sy) = ((x0 + ix + dx).min(x1 - 1), (y0 + iy + dy).min(y1 - 1));
                f64::from(g.px[sy * g.w + sx])
            };
            let v = at(0, 0) * (1.0 - ax) * (1.0 - ay)
                + at(1, 0) * ax * (1.0 - ay)
                + at(0, 1) * (1.0 - ax) * ay
                + at(1, 1) * ax * ay;
            px[(y + MARGIN) * cw + x + MARGIN] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    let crop = Gray { w: cw, h: ch, px };
    // As one block of text (psm 6): a cell often holds a wrapped answer over several lines.
    let words = tesseract_psm(&crop, dpi * zoom as f64, "6").ok()?;
    let words: Vec<&Word> = words.iter().filter(|w| !w.text.trim().is_empty()).collect();
    if words.is_empty() {
        return None;
    }
    let text = words
        .iter()
        .map(|w| w.text.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let conf = words.iter().map(|w| w.conf).fold(f32::INFINITY, f32::min);
    Some((text, conf))
}

fn tesseract_psm(g: &Gray, dpi: f64, psm: &str) -> Result<Vec<Word>, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary folder for OCR: {e}"))?;
    let image = dir.path().join("page.pgm");
    write_pgm(g, &image).map_err(|e| format!("could not write the page image for OCR: {e}"))?;
    let base = dir.path().join("out");
    let log =
        std::fs::File::create(dir.path().join("log.txt")).map_err(|e| format!("OCR log: {e}"))?;
    let dpi = (dpi.round() as i64).clamp(70, 1200).to_string();
    let mut child = Command::new("tesseract")
        .arg(&image)
        .arg(&base)
        .args(["--psm", psm, "--dpi", &dpi, "-l", "eng", "tsv"])
        // One thread per run: files are already read in parallel.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .map_err(|e| format!("tesseract could not be started: {e}"))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "tesseract took longer than {} s: stopped",
                    TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("tesseract: {e}")),
        }
    };
    if !status.success() {
        let mut msg = String::new();
        if let Ok(f) = std::fs::File::open(dir.path().join("log.txt")) {
            let _ = f.take(300).read_to_string(&mut msg);
        }
        return Err(format!("tesseract failed ({status}): {}", msg.trim()));
    }
    let tsv = std::fs::read_to_string(base.with_extension("tsv"))
        .map_err(|e| format!("tesseract wrote no result: {e}"))?;
    Ok(parse_tsv(&tsv))
}

fn write_pgm(g: &Gray, path: &Path) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(f, "P5\n{} {}\n255\n", g.w, g.h)?;
    f.write_all(&g.px)?;
    f.flush()
}

/// Tesseract's TSV: level, page, block, paragraph, line, word, left, top, width, height,
/// confidence, text. Only words (level 5) with text are kept.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let n = |i: usize| cols[i].trim().parse::<f64>().ok();
        let text = cols[11..].join("\t").trim().to_owned();
        let (Some(left), Some(top), Some(width), Some(height), Some(conf)) =
            (n(6), n(7), n(8), n(9), n(10))
        else {
            continue;
        };
        if text.is_empty() || conf < 0.0 {
            continue;
        }
        let id = |i: usize| cols[i].trim().parse::<u64>().unwrap_or(0);
        let line_key = id(2) * 1_000_000 + id(3) * 1_000 + id(4);
        out.push(Word {
            left,
            top,
            width,
            height,
            conf: conf as f32,
            text,
            line: line_key,
        });
    }
    out
}

/// A leftover of a rule rather than a word: only bars, brackets and underscores.
pub fn is_rule_debris(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(
            c,
            '|' | '[' | ']' | '{' | '}' | '_' | '!' | '/' | '\\' | '(' | ')'
        )
    })
}

/// Words to layout pieces, pixels to points.
pub fn frags(words: Vec<Word>, scale: f64) -> Vec<Frag> {
    words
        .into_iter()
        .filter(|w| !is_rule_debris(&w.text))
        .map(|w| Frag {
            x0: w.left * scale,
            x1: (w.left + w.width) * scale,
            top: w.top * scale,
            bottom: (w.top + w.height) * scale,
            text: w.text,
            conf: Some(w.conf),
            group: Some(w.line),
        })
        .collect()
}

pub fn scale_rules(rules: &[Rule], scale: f64) -> Vec<Rule> {
    rules
        .iter()
        .map(|r| Rule {
            horizontal: r.horizontal,
            a: r.a * scale,
            b: r.b,
            lo: r.lo * scale,
            hi: r.hi * scale,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_and_debris() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   4\t1\t1\t1\t1\t0\t10\t10\t100\t20\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t10\t40\t20\t96.5\tBudget\n\
                   5\t1\t1\t1\t1\t2\t60\t10\t5\t20\t12.0\t|\n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "Budget");
        assert_eq!(frags(words, 0.5).len(), 1);
    }

    #[test]
    fn rules_found_in_a_drawn_grid() {
        let (w, h) = (400, 300);
        let mut px = vec![255u8; w * h];
        for x in 20..380 {
            for y in [50, 150, 250] {
                px[y * w + x] = 0;
            }
        }
        for y in 50..=250 {
            for x in [20, 200, 379] {
                px[y * w + x] = 0;
            }
        }
        let g = Gray { w, h, px };
        let rules = find_rules(&g, 150.0);
        assert_eq!(rules.iter().filter(|r| r.horizontal).count(), 3);
        assert_eq!(rules.iter().filter(|r| !r.horizontal).count(), 3);
    }

    #[test]
    fn erasing_a_rule_follows_it_past_the_last_whole_strip() {
        // A side rule starting and ending off the strip grid: the strips see only part of it,
        // and the stub left below would be read as "j" or "|" beside the figure.
        let (w, h) = (200, 200);
        let mut px = vec![255u8; w * h];
        for y in 37..170 {
            px[y * w + 100] = 0;
        }
        let mut g = Gray { w, h, px };
        let rules = find_rules(&g, 150.0);
        let found = rules
            .iter()
            .find(|r| !r.horizontal)
            .expect("the rule is found");
        assert!(
            found.hi < 169.0 || found.lo > 37.0,
            "found from {} to {}: the test needs a partial find",
            found.lo,
            found.hi
        );
        erase_rules(&mut g, &rules, 150.0);
        assert!(g.px.iter().all(|&v| v == 255), "ink left after erasing");
    }

    #[test]
    fn a_blot_is_solid_ink_and_bold_strokes_are_not() {
        let (w, h) = (100, 40);
        let mut blot = Gray {
            w,
            h,
            px: vec![255; w * h],
        };
        for y in 5..35 {
            for x in 10..90 {
                blot.px[y * w + x] = 40;
            }
        }
        assert!(blot.solid_ink(0.0, 0.0, 100.0, 40.0, 2) > 0.4);
        // Strokes four pixels wide, four apart: as much ink, none of it solid.
        let mut bold = Gray {
            w,
            h,
            px: vec![255; w * h],
        };
        for y in 5..35 {
            for x in (10..90).filter(|x| x % 8 < 4) {
                bold.px[y * w + x] = 20;
            }
        }
        assert_eq!(bold.solid_ink(0.0, 0.0, 100.0, 40.0, 2), 0.0);
    }
}
