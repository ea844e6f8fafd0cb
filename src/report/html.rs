//! `report.html`: one self-contained page (inline CSS and SVG, no script, no network) with the
//! statistics and their charts; every figure links to the observations it used, and every piece
//! of text that came from a reply is escaped.

use super::markdown::{field_name, figure, fold, money, not_usable, thousands};
use crate::analyse::Analysis;
use crate::analyse::funnel::LIMITS;
use crate::observation::{Observation, Status};
use crate::register::Register;
use crate::schema::Schema;
use crate::validate::Reply;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The anchor of one observation in the evidence table.
fn anchor(body: &str, field: &str, period: &str) -> String {
    let raw = format!("obs-{body}-{field}-{period}");
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn status_colour(s: Status) -> &'static str {
    match s {
        Status::Answered => "#2e7d32",
        Status::NotHeld => "#9e9e9e",
        Status::Refused => "#c62828",
        Status::Exempt => "#6a1b9a",
        Status::NotApplicable => "#cfd8dc",
        Status::NoResponse => "#ffffff",
        Status::Unclear => "#f9a825",
    }
}

/// Ticks at round values (1, 2, 2.5 or 5 times a power of ten) covering `lo`..`hi`, about `n`.
pub(super) fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let raw = ((hi - lo) / n.max(1) as f64).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut out = Vec::new();
    let mut i = (lo / step).ceil() as i64;
    while (i as f64) * step <= hi + step * 1e-9 {
        out.push(i as f64 * step);
        i += 1;
    }
    out
}

/// A tick's label: thousands separators for whole values, two decimals below one.
fn tick(x: f64, pounds: bool) -> String {
    let n = if x.abs() >= 10.0 || x.fract() == 0.0 {
        thousands(x)
    } else {
        format!("{x:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    };
    if pounds { format!("£{n}") } else { n }
}

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}\
th{background:#f3f3f3}.num{text-align:right}svg{background:#fafafa;border:1px solid #ddd;margin:1em 0}\
.matrix td{width:12px;height:12px;padding:0;border:1px solid #fff}.matrix th.col{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:11px;padding:4px 0;vertical-align:bottom;white-space:nowrap}.matrix th{white-space:nowrap;font-weight:normal}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;border:1px solid #999}\
caption{caption-side:bottom;font-size:12px;color:#555;text-align:left}";

/// report.html: the page's head, then one function per section in page order. Every figure
/// comes from the analysis; the page only formats and draws it.
pub fn render(
    title: &str,
    schema: &Schema,
    observations: &[Observation],
    register: &Register,
    replies: &BTreeMap<String, Reply>,
    a: &Analysis,
) -> String {
    let page = Page {
        schema,
        observations,
        register,
        replies,
        a,
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>",
        escape(title)
    );
    let _ = write!(h, "<h1>{}</h1>", escape(title));
    replies_section(&mut h, &page);
    yes_no(&mut h, &page);
    per_patient(&mut h, &page);
    kept_pace(&mut h, &page);
    per_head(&mut h, &page);
    changes(&mut h, schema, a);
    ratios(&mut h, schema, a);
    every_question(&mut h, schema, a);
    claims(&mut h, &page);
    h.push_str(&super::official::html(a, register, &anchor));
    matrix(&mut h, &page);
    evidence(&mut h, &page);
    let _ = writeln!(h, "</table></body></html>");
    h
}

/// What every section of the page draws from.
#[derive(Clone, Copy)]
struct Page<'a> {
    schema: &'a Schema,
    observations: &'a [Observation],
    register: &'a Register,
    replies: &'a BTreeMap<String, Reply>,
    a: &'a Analysis,
}

impl Page<'_> {
    /// A body's registered name, else its code.
    fn name(&self, code: &str) -> String {
        self.register
            .get(code)
            .map(|b| b.name.clone())
            .unwrap_or_else(|| code.to_owned())
    }
}

/// The reply funnel: surveyed, replied, and each kind of reply.
fn replies_section(h: &mut String, page: &Page) {
    let Page { a, .. } = *page;
    let n = |k: &str| a.summary.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
    let _ = write!(
        h,
        "<h2 id=\"replies\">Replies</h2><table><tr><th>stage</th><th class=\"num\">bodies</th></tr>"
    );
    for (label, key) in [
        ("surveyed", "bodies.contacted"),
        ("replied", "bodies.replied"),
        ("full", "replies.full"),
        ("partial", "replies.partial"),
        (
            "\u{2003}of which full, with items to review",
            "replies.partial_full_with_review",
        ),
        ("refused", "replies.refused"),
        ("not held", "replies.not_held"),
        ("no reply", "replies.no_response"),
    ] {
        let _ = write!(
            h,
            "<tr><td>{label}</td><td class=\"num\" data-key=\"{key}\">{}</td></tr>",
            n(key)
        );
    }
    let _ = write!(h, "</table>");
}

/// Yes/no shares with their intervals.
fn yes_no(h: &mut String, page: &Page) {
    let Page { schema, a, .. } = *page;
    if !a.yes_shares.is_empty() {
        let _ = write!(
            h,
            "<h2 id=\"yesno\">Yes/no questions</h2><table><tr><th>question</th><th class=\"num\">yes</th><th class=\"num\">answered</th><th class=\"num\">percent</th><th>95% interval</th></tr>"
        );
        for s in &a.yes_shares {
            let q = field_name(schema, &s.field);
            let (pct, ci) = super::markdown::percent_and_interval(s.yes, s.answered);
            let _ = write!(
                h,
                "<tr><td><a href=\"#field-{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-key=\"{}.percent\">{pct}</td><td>{ci}</td></tr>",
                escape(&s.field),
                escape(&q),
                s.yes,
                s.answered,
                escape(&s.field)
            );
        }
        let _ = write!(h, "</table>");
    }
}

/// The per-patient dot plot on a log scale, and its spread.
fn per_patient(h: &mut String, page: &Page) {
    let Page { schema, a, .. } = *page;
    let name = |code: &str| page.name(code);
    if !a.per_patient.is_empty() {
        let mut pts: Vec<_> = a.per_patient.iter().collect();
        pts.sort_by(|x, y| x.per_patient.total_cmp(&y.per_patient));
        let positive: Vec<f64> = pts
            .iter()
            .map(|p| p.per_patient)
            .filter(|v| *v > 0.0)
            .collect();
        let _ = write!(
            h,
            "<h2 id=\"per-patient\">{}</h2>",
            escape(&a.per_patient_title)
        );
        // The names at the left are never cut off: the plot starts after the longest.
        let left = pts
            .iter()
            .map(|p| name(&p.body).chars().count())
            .max()
            .unwrap_or(0) as f64
            * 5.6
            + 15.0;
        let left = left.max(200.0);
        if let (Some(lo), Some(hi)) = (positive.first(), positive.last()) {
            let (l0, l1) = (
                lo.log10().floor(),
                hi.log10().ceil().max(lo.log10().floor() + 1.0),
            );
            let (w, ht) = (left + 700.0, 40.0 + 14.0 * pts.len() as f64);
            let x = |v: f64| left + (v.log10() - l0) / (l1 - l0) * (w - left - 40.0);
            let _ = write!(
                h,
                "<svg role=\"img\" aria-label=\"budget per patient, log scale\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\">"
            );
            let mut d = l0;
            while d <= l1 {
                let xv = x(10f64.powf(d));
                let _ = write!(
                    h,
                    "<line x1=\"{xv:.1}\" y1=\"10\" x2=\"{xv:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{xv:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                    ht - 20.0,
                    ht - 6.0,
                    escape(&money(10f64.powf(d)))
                );
                d += 1.0;
            }
            for (i, p) in pts.iter().enumerate().filter(|(_, p)| p.per_patient > 0.0) {
                let y = 20.0 + 14.0 * i as f64;
                let _ = write!(
                    h,
                    "<a href=\"#{}\"><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text><circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#1565c0\"><title>{}: {} per {}</title></circle></a>",
                    anchor(&p.body, &a.per_patient_fields.0, &a.per_patient_fields.1),
                    left - 5.0,
                    y + 3.0,
                    escape(&name(&p.body)),
                    x(p.per_patient),
                    escape(&name(&p.body)),
                    escape(&money(p.per_patient)),
                    escape(&a.per_patient_per)
                );
            }
            let _ = write!(h, "</svg>");
        }
        let key = &a.per_patient_key;
        let stat = |k: &str| {
            a.summary
                .get(&format!("{key}.{k}"))
                .and_then(|v| v.as_f64())
        };
        let (num, period, den) = &a.per_patient_fields;
        let _ = write!(
            h,
            "<table><caption>{}: each body's {} {} over its {}; each dot links to the figure it used.</caption>",
            escape(&a.per_patient_title),
            escape(&field_name(schema, num)),
            escape(period),
            escape(&field_name(schema, den))
        );
        let _ = write!(
            h,
            "<tr><th>bodies</th><th class=\"num\">lowest</th><th class=\"num\">lower quartile</th><th class=\"num\">median</th><th class=\"num\">upper quartile</th><th class=\"num\">highest</th><th class=\"num\">highest / lowest</th></tr><tr>"
        );
        let _ = write!(
            h,
            "<td class=\"num\" data-key=\"{}.n\">{}</td>",
            escape(key),
            pts.len()
        );
        for k in ["min", "q1", "median", "q3", "max"] {
            let _ = write!(
                h,
                "<td class=\"num\" data-key=\"{}.{k}\">{}</td>",
                escape(key),
                stat(k).map(money).unwrap_or_default()
            );
        }
        let _ = write!(
            h,
            "<td class=\"num\" data-key=\"{}.fold\">{}</td></tr></table>",
            escape(key),
            stat("fold").map(fold).unwrap_or_default()
        );
    }
}

/// Kept pace against backfilled, by year (the default rule), as bars; each body's verdict.
fn kept_pace(h: &mut String, page: &Page) {
    let Page { a, .. } = *page;
    let name = |code: &str| page.name(code);
    let years: Vec<String> = {
        let mut y: Vec<String> = a.kept_pace.iter().map(|k| k.year.clone()).collect();
        y.dedup();
        y
    };
    if !years.is_empty() {
        let (met, not_met) = &a.kept_pace_words;
        let _ = write!(
            h,
            "<h2 id=\"kept-pace\">{}</h2>",
            escape(&a.kept_pace_title)
        );
        let (w, row) = (700.0, 40.0);
        let _ = write!(
            h,
            "<svg role=\"img\" aria-label=\"kept pace versus backfilled by year\" width=\"{w}\" height=\"{}\">",
            20.0 + row * years.len() as f64
        );
        for (i, y) in years.iter().enumerate() {
            let line = a
                .pace_lines
                .iter()
                .find(|l| &l.year == y && l.rule == a.kept_pace_rule && !l.sensitivity);
            let kept = line.map_or(0, |l| l.kept) as f64;
            let total = line.map_or(0, |l| l.total).max(1) as f64;
            let yy = 10.0 + row * i as f64;
            let bar = w - 320.0;
            let kw = bar * kept / total;
            let _ = write!(
                h,
                "<text x=\"5\" y=\"{:.1}\" font-size=\"12\">{}</text><rect x=\"80\" y=\"{yy:.1}\" width=\"{kw:.1}\" height=\"24\" fill=\"#2e7d32\"><title>{met}: {kept}</title></rect><rect x=\"{:.1}\" y=\"{yy:.1}\" width=\"{:.1}\" height=\"24\" fill=\"#c62828\"><title>{not_met}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{kept} {met} / {} {not_met}</text>",
                yy + 16.0,
                escape(y),
                80.0 + kw,
                bar - kw,
                total - kept,
                90.0 + bar,
                yy + 16.0,
                total - kept
            );
        }
        let _ = write!(
            h,
            "</svg><table><caption>{met}: the figure rose by at least the new money. year_on_year compares with the year before, baseline with the first year; the last line of each year leaves out bodies with any unclear value (sensitivity). Each year links to every body's verdict.</caption><tr><th>year</th><th>rule</th><th class=\"num\">classifiable</th><th class=\"num\">{met}</th><th class=\"num\">{not_met}</th><th class=\"num\">percent {met}</th><th>95% interval</th></tr>",
            met = escape(met),
            not_met = escape(not_met)
        );
        for l in &a.pace_lines {
            let (y, label, kept, total) = (&l.year, l.label, l.kept, l.total);
            let (pct, ci) = super::markdown::percent_text(l.percent(), l.interval);
            let key = format!("{}.{y}.{}", a.kept_pace_key, l.part);
            let _ = write!(
                h,
                "<tr><td><a href=\"#pace-{}\">{}</a></td><td>{}</td><td class=\"num\">{total}</td><td class=\"num\">{kept}</td><td class=\"num\">{}</td><td class=\"num\" data-key=\"{}.percent_kept_pace\">{pct}</td><td>{ci}</td></tr>",
                escape(y),
                escape(y),
                escape(label),
                total - kept,
                escape(&key)
            );
        }
        let _ = write!(h, "</table>");
        // Each body's verdict, linked to the three values it used.
        let (budget, allocation) = &a.kept_pace_fields;
        for y in &years {
            let _ = write!(
                h,
                "<details id=\"pace-{}\"><summary>{}: each body's verdict under the {} rule</summary><table><tr><th>body</th><th>budget, base year</th><th>budget, {}</th><th>new money</th><th class=\"num\">rise</th><th class=\"num\">new money</th><th>verdict</th></tr>",
                escape(y),
                escape(y),
                a.kept_pace_rule.as_str(),
                escape(y)
            );
            for k in a
                .kept_pace
                .iter()
                .filter(|k| &k.year == y && k.rule == a.kept_pace_rule)
            {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td><a href=\"#{}\">{}</a></td><td><a href=\"#{}\">{}</a></td><td><a href=\"#{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    escape(&name(&k.body)),
                    anchor(&k.body, budget, &k.base),
                    escape(&k.base),
                    anchor(&k.body, budget, y),
                    escape(y),
                    anchor(&k.body, allocation, y),
                    escape(&k.allocation_source),
                    escape(&money(k.increase)),
                    escape(&money(k.new_money)),
                    escape(if k.kept_pace { met } else { not_met })
                );
            }
            let _ = write!(h, "</table></details>");
        }
    }
}

/// Spend per head: its spread by year, and a funnel plot per year with 95% and 99.8% limits.
fn per_head(h: &mut String, page: &Page) {
    let Page { schema, a, .. } = *page;
    let name = |code: &str| page.name(code);
    let per_head_title = super::markdown::per_head_title(a);
    if !a.per_head.is_empty() {
        let _ = write!(
            h,
            "<h2 id=\"per-head\">{}</h2><table><caption>{} divided by {}; each dot in the funnel plots links to the value it used.</caption><tr><th>year</th><th class=\"num\">bodies</th><th class=\"num\">lowest</th><th class=\"num\">median</th><th class=\"num\">highest</th></tr>",
            escape(&per_head_title),
            escape(&field_name(schema, &a.per_head_field)),
            escape(&field_name(schema, &a.per_head_denominator))
        );
        for period in a.per_head.keys() {
            let _ = write!(
                h,
                "<tr><td><a href=\"#funnel-{}\">{}</a></td>",
                escape(period),
                escape(period)
            );
            for k in ["n", "min", "median", "max"] {
                let key = format!("{}.{period}.{k}", a.per_head_key);
                let v = a
                    .summary
                    .get(&key)
                    .and_then(|v| v.as_f64())
                    .map(|v| {
                        if k == "n" {
                            format!("{v}")
                        } else {
                            format!("£{v:.2}")
                        }
                    })
                    .unwrap_or_default();
                let _ = write!(
                    h,
                    "<td class=\"num\" data-key=\"{}\">{v}</td>",
                    escape(&key)
                );
            }
            let _ = write!(h, "</tr>");
        }
        let _ = write!(h, "</table>");
    }
    for (period, rows) in &a.per_head {
        let Some(funnel) = a.funnels.get(period) else {
            continue;
        };
        let (target, sd) = (funnel.target, funnel.sd);
        let rates: Vec<f64> = rows.iter().map(|(_, v, n)| v / n).collect();
        let (w, ht) = (800.0, 400.0);
        let max_n = rows.iter().map(|r| r.2).fold(0.0, f64::max) * 1.05;
        let max_r = rates.iter().cloned().fold(target + 3.0 * sd, f64::max) * 1.05;
        let min_r = rates
            .iter()
            .cloned()
            .fold((target - 3.0 * sd).max(0.0), f64::min)
            * 0.95;
        let x = |n: f64| 60.0 + n / max_n * (w - 80.0);
        let y = |r: f64| ht - 40.0 - (r - min_r) / (max_r - min_r) * (ht - 75.0);
        let _ = write!(
            h,
            "<h2 id=\"funnel-{}\">{}, {}</h2><svg role=\"img\" aria-label=\"funnel plot\" width=\"{w}\" height=\"{ht}\">",
            escape(period),
            escape(&per_head_title),
            escape(period)
        );
        for (z, colour) in LIMITS.into_iter().zip(["#90caf9", "#ef9a9a"]) {
            for sign in [1.0, -1.0] {
                let mut path = String::new();
                for step in 1..=60 {
                    let n = max_n * step as f64 / 60.0;
                    let r = funnel.limit(z, sign, n);
                    let r = r.clamp(min_r, max_r);
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if step == 1 { "M" } else { "L" },
                        x(n),
                        y(r)
                    );
                }
                let _ = write!(h, "<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\"/>");
            }
        }
        let _ = write!(
            h,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\"/>",
            x(0.0),
            y(target),
            x(max_n),
            y(target)
        );
        // Axes: population along the bottom, £ per head up the side.
        // Ticks at round values with thousands separators (50,000, not 46544; £50, not £47).
        for n in nice_ticks(0.0, max_n, 4) {
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x(n),
                ht - 24.0,
                tick(n, false)
            );
        }
        for r in nice_ticks(min_r, max_r, 4) {
            let _ = write!(
                h,
                "<text x=\"55\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
                y(r) + 3.0,
                tick(r, true)
            );
        }
        for (body, v, n) in rows {
            let _ = write!(
                h,
                "<a href=\"#{}\"><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1565c0\"><title>{}: {} for {} people</title></circle></a>",
                anchor(body, &a.per_head_field, period),
                x(*n),
                y(v / n),
                escape(&name(body)),
                escape(&money(v / n)),
                n
            );
        }
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">population</text><text x=\"10\" y=\"16\" font-size=\"11\">£ per head of {} (line: pooled £{:.2}; limits 95% and 99.8%)</text></svg>",
            w - 20.0,
            ht - 10.0,
            escape(&field_name(schema, &a.per_head_denominator)),
            target
        );
    }
}

/// Published claims, reproduced or not.
fn claims(h: &mut String, page: &Page) {
    let Page { a, .. } = *page;
    if !a.claims.is_empty() {
        let _ = write!(h, "<h2 id=\"claims\">Published claims</h2><ul>");
        for v in &a.claims {
            let _ = write!(
                h,
                "<li class=\"{}\" data-key=\"{}\">{}</li>",
                if v.reproduced {
                    "reproduced"
                } else {
                    "not-reproduced"
                },
                escape(&v.claim.key),
                escape(&crate::analyse::claims::describe(v))
            );
        }
        let _ = write!(h, "</ul>");
    }
}

/// Every body against every question, coloured by status.
fn matrix(h: &mut String, page: &Page) {
    let Page {
        schema,
        observations,
        register,
        replies,
        ..
    } = *page;
    let cols: Vec<(String, String)> = schema
        .fields
        .iter()
        .flat_map(|f| f.period_keys().into_iter().map(move |p| (f.id.clone(), p)))
        .collect();
    let by_key: BTreeMap<(&str, &str, &str), &Observation> = observations
        .iter()
        .map(|o| ((o.body.as_str(), o.field.as_str(), o.period.as_str()), o))
        .collect();
    let _ = write!(
        h,
        "<h2 id=\"matrix\">Every body and question</h2><p class=\"legend\">"
    );
    for s in Status::ALL {
        let _ = write!(
            h,
            "<span style=\"background:{}\"></span>{}",
            status_colour(s),
            s.as_str()
        );
    }
    let _ = write!(h, "</p><table class=\"matrix\"><tr><th>body</th>");
    for (f, p) in &cols {
        let label = field_name(schema, f);
        let text = if p.is_empty() {
            label.clone()
        } else {
            format!("{label}, {p}")
        };
        let _ = write!(
            h,
            "<th class=\"col\" title=\"{}\">{}</th>",
            escape(&text),
            escape(&text)
        );
    }
    let _ = write!(h, "<th>reply</th></tr>");
    for b in &register.bodies {
        let _ = write!(
            h,
            "<tr><th title=\"{}\">{}</th>",
            escape(&b.code),
            escape(&b.name)
        );
        for (f, p) in &cols {
            match by_key.get(&(b.code.as_str(), f.as_str(), p.as_str())) {
                Some(o) => {
                    let _ = write!(
                        h,
                        "<td style=\"background:{}\"><a href=\"#{}\" title=\"{} {} {}: {}\">&nbsp;</a></td>",
                        status_colour(o.status),
                        anchor(&b.code, f, p),
                        escape(&b.name),
                        escape(f),
                        escape(p),
                        o.status
                    );
                }
                None => {
                    let _ = write!(h, "<td></td>");
                }
            }
        }
        let _ = write!(
            h,
            "<td>{}</td></tr>",
            replies.get(&b.code).map(|r| r.as_str()).unwrap_or("")
        );
    }
    let _ = write!(h, "</table>");
}

/// The evidence: every observation with its provenance.
fn evidence(h: &mut String, page: &Page) {
    let Page {
        schema,
        observations,
        ..
    } = *page;
    let name = |code: &str| page.name(code);
    let _ = write!(
        h,
        "<h2 id=\"evidence\">Evidence</h2><table><tr><th>body</th><th>field</th><th>period</th><th>status</th><th>value</th><th>file</th><th>location</th><th>as written</th></tr>"
    );
    for f in &schema.fields {
        let _ = write!(
            h,
            "<tr id=\"field-{}\"><th colspan=\"8\">{}: {}</th></tr>",
            escape(&f.id),
            escape(f.display()),
            escape(&f.question)
        );
        for o in observations
            .iter()
            .filter(|o| o.field == f.id && o.status != Status::NoResponse)
        {
            let p = o.provenance.first();
            let _ = write!(
                h,
                "<tr id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                anchor(&o.body, &o.field, &o.period),
                escape(&name(&o.body)),
                escape(&o.field),
                escape(&o.period),
                o.status,
                escape(&o.value.as_ref().map(|v| v.to_string()).unwrap_or_default()),
                escape(&p.map(|p| p.source.clone()).unwrap_or_default()),
                escape(&p.map(|p| p.location.clone()).unwrap_or_default()),
                escape(&p.map(|p| p.raw.clone()).unwrap_or_default())
            );
        }
    }
}

/// Every question's statistics by its type, each figure carrying its summary key.
fn every_question(h: &mut String, schema: &Schema, a: &Analysis) {
    if a.fields.is_empty() {
        return;
    }
    let _ = write!(h, "<h2 id=\"every-question\">Every question</h2>");
    let numeric: Vec<_> = a.fields.iter().filter(|s| s.kind.is_numeric()).collect();
    if !numeric.is_empty() {
        let _ = write!(
            h,
            "<table><caption>Figures of the bodies that gave a usable answer; not usable: refused, not held, exempt or unclear.</caption><tr><th>question</th><th class=\"num\">bodies</th><th class=\"num\">total</th><th class=\"num\">lowest</th><th class=\"num\">lower quartile</th><th class=\"num\">median</th><th class=\"num\">upper quartile</th><th class=\"num\">highest</th><th class=\"num\">highest / lowest</th><th class=\"num\">not usable</th></tr>"
        );
        for s in numeric {
            let unit = schema.field(&s.field).and_then(|f| f.unit);
            let label = field_name(schema, &s.field);
            let label = if s.period.is_empty() {
                label
            } else {
                format!("{label}, {}", s.period)
            };
            let _ = write!(
                h,
                "<tr><td><a href=\"#field-{}\">{}</a></td><td class=\"num\" data-key=\"{}.n\">{}</td>",
                escape(&s.field),
                escape(&label),
                escape(&s.key),
                s.values.len()
            );
            for k in ["total", "min", "q1", "median", "q3", "max"] {
                let key = format!("{}.{k}", s.key);
                let v = a.summary.get(&key).and_then(|v| v.as_f64());
                let _ = write!(
                    h,
                    "<td class=\"num\" data-key=\"{}\">{}</td>",
                    escape(&key),
                    escape(&v.map(|x| figure(s.kind, unit, x)).unwrap_or_default())
                );
            }
            let f = a
                .summary
                .get(&format!("{}.fold", s.key))
                .and_then(|v| v.as_f64());
            let _ = write!(
                h,
                "<td class=\"num\" data-key=\"{}.fold\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&s.key),
                f.map(fold).unwrap_or_default(),
                not_usable(s)
            );
        }
        let _ = write!(h, "</table>");
    }
    for s in a.fields.iter().filter(|s| !s.kind.is_numeric()) {
        let f = schema.field(&s.field);
        let label = field_name(schema, &s.field);
        let _ = write!(
            h,
            "<table><caption>{}: share of the {} bodies that answered, with 95% Wilson intervals ({} not usable).</caption><tr><th>answer</th><th class=\"num\">bodies</th><th class=\"num\">share</th><th>95% interval</th></tr>",
            escape(&label),
            s.answered(),
            not_usable(s)
        );
        for (code, k) in &s.codes {
            let name = f
                .and_then(|f| f.codes.iter().find(|c| &c.code == code))
                .and_then(|c| c.label.clone())
                .unwrap_or_else(|| code.replace('_', " "));
            let (pct, ci) = super::markdown::percent_and_interval(*k, s.answered());
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\" data-key=\"{key}.{code}.count\">{k}</td><td class=\"num\" data-key=\"{key}.{code}.percent\">{pct}</td><td>{ci}</td></tr>",
                escape(&name),
                key = escape(&s.key),
                code = escape(code)
            );
        }
        let _ = write!(h, "</table>");
    }
}

/// Each declared `change`: the summary and every body's figures.
fn changes(h: &mut String, schema: &Schema, a: &Analysis) {
    for c in &a.changes {
        let f = schema.field(&c.field);
        let (kind, unit) = (
            f.map(|f| f.kind).unwrap_or(crate::schema::FieldType::Money),
            f.and_then(|f| f.unit),
        );
        let get = |k: &str| {
            a.summary
                .get(&format!("{}.{k}", c.key))
                .and_then(|v| v.as_f64())
        };
        let show = |k: &str| get(k).map(|x| figure(kind, unit, x)).unwrap_or_default();
        let _ = write!(
            h,
            "<h2 id=\"change-{}\">{}</h2><table><tr><th class=\"num\">bodies</th><th class=\"num\">total {}</th><th class=\"num\">total {}</th><th class=\"num\">change</th><th class=\"num\">rose</th><th class=\"num\">fell</th><th class=\"num\">median change</th><th class=\"num\">median change %</th></tr>",
            escape(&c.name),
            escape(&c.title),
            escape(&c.from),
            escape(&c.to)
        );
        let _ = write!(
            h,
            "<tr><td class=\"num\" data-key=\"{k}.n\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-key=\"{k}.total_change_percent\">{} ({})</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr></table>",
            c.bodies.len(),
            escape(&show("total_from")),
            escape(&show("total_to")),
            escape(&show("total_change")),
            get("total_change_percent")
                .map(|p| format!("{p:+.1}%"))
                .unwrap_or_default(),
            get("rose").unwrap_or(0.0),
            get("fell").unwrap_or(0.0),
            escape(&show("absolute.median")),
            get("percent.median")
                .map(|p| format!("{p:+.1}%"))
                .unwrap_or_default(),
            k = escape(&c.key)
        );
        let _ = write!(
            h,
            "<details><summary>each body</summary><table><tr><th>body</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">change</th><th class=\"num\">%</th></tr>",
            escape(&c.from),
            escape(&c.to)
        );
        for b in &c.bodies {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\"><a href=\"#{}\">{}</a></td><td class=\"num\"><a href=\"#{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&b.body),
                anchor(&b.body, &c.field, &c.from),
                escape(&figure(kind, unit, b.from)),
                anchor(&b.body, &c.field, &c.to),
                escape(&figure(kind, unit, b.to)),
                escape(&figure(kind, unit, b.absolute())),
                b.percent().map(|p| format!("{p:+.1}%")).unwrap_or_default()
            );
        }
        let _ = write!(h, "</table></details>");
    }
}

/// Declared ratios beyond the per-patient and per-head views.
fn ratios(h: &mut String, schema: &Schema, a: &Analysis) {
    for r in &a.ratios {
        let _ = write!(
            h,
            "<h2 id=\"ratio-{}\">{}</h2><table><caption>{} divided by {}, for the bodies that gave both.</caption><tr><th>period</th><th class=\"num\">bodies</th><th class=\"num\">lowest</th><th class=\"num\">median</th><th class=\"num\">highest</th><th class=\"num\">highest / lowest</th></tr>",
            escape(&r.name),
            escape(&r.title),
            escape(&field_name(schema, &r.numerator)),
            escape(&field_name(schema, &r.denominator))
        );
        for (period, key) in &r.keys {
            let get = |k: &str| {
                a.summary
                    .get(&format!("{key}.{k}"))
                    .and_then(|v| v.as_f64())
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\" data-key=\"{}.n\">{}</td>",
                escape(period),
                escape(key),
                get("n").unwrap_or(0.0)
            );
            for k in ["min", "median", "max"] {
                let _ = write!(
                    h,
                    "<td class=\"num\" data-key=\"{}.{k}\">{}</td>",
                    escape(key),
                    get(k).map(|x| format!("£{x:.2}")).unwrap_or_default()
                );
            }
            let _ = write!(
                h,
                "<td class=\"num\">{}</td></tr>",
                get("fold").map(fold).unwrap_or_default()
            );
        }
        let _ = write!(h, "</table>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_ticks_fall_on_round_values() {
        assert_eq!(nice_ticks(0.0, 46544.0, 4), vec![0.0, 20000.0, 40000.0]);
        assert_eq!(tick(50000.0, false), "50,000");
        assert_eq!(nice_ticks(47.0, 130.0, 4).first(), Some(&50.0));
        assert_eq!(tick(50.0, true), "£50");
    }

    #[test]
    fn reply_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
