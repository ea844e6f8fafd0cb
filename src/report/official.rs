//! The comparison of FOI answers with official figures (analyse::official) in report.md and
//! report.html: per body both figures, their ratio and whether they agree within the stated
//! tolerance; a scatter on log axes; the bodies furthest apart with the evidence of both figures.

use super::html::escape;
use super::markdown::money;
use crate::analyse::Analysis;
use crate::analyse::official::{Comparison, Pair};
use crate::register::Register;
use std::fmt::Write;

/// How many of the bodies furthest apart are listed with their evidence.
const FURTHEST: usize = 5;

fn names(p: &Pair, register: &Register) -> String {
    p.bodies
        .iter()
        .map(|b| {
            register
                .get(b)
                .map(|x| format!("{} ({b})", x.name))
                .unwrap_or_else(|| b.clone())
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn heading(c: &Comparison) -> String {
    format!("`{}` {} against {}", c.field, c.period, c.title)
}

fn lead(c: &Comparison) -> String {
    let pct = |k: usize| {
        if c.pairs.is_empty() {
            0.0
        } else {
            100.0 * k as f64 / c.pairs.len() as f64
        }
    };
    format!(
        "{} bodies gave a {} figure that could be set beside the official one ({}{}); {} of them ({:.1}%) agree within ±{:.0}% (FOI figure / official figure between {:.2} and {:.2}){}. Bodies are matched by code, or through the register's successions where the official table is on later boundaries; where several bodies merged, their answers are summed and compared only when every one of them gave a figure. {} could not be compared.",
        c.pairs.len(),
        c.period,
        c.meaning,
        if c.published_by.is_empty() {
            String::new()
        } else {
            format!("; {}", c.published_by)
        },
        c.agreeing(),
        pct(c.agreeing()),
        100.0 * c.tolerance,
        1.0 - c.tolerance,
        1.0 + c.tolerance,
        c.median_ratio()
            .map(|m| format!("; the median ratio is {m:.2}"))
            .unwrap_or_default(),
        c.not_comparable.len()
    )
}

fn evidence(p: &Pair) -> (String, String) {
    let foi = p
        .foi_evidence
        .iter()
        .map(|(b, f, l)| format!("{b}: {f} {l}"))
        .collect::<Vec<_>>()
        .join("; ");
    let (f, l, _) = &p.official_evidence;
    (foi, format!("{f} {l}"))
}

/// The section of report.md (empty when the schema declares no comparison).
pub fn markdown(a: &Analysis, register: &Register) -> String {
    let mut md = String::new();
    if a.official.is_empty() {
        return md;
    }
    let _ = writeln!(md, "## FOI answers against official figures\n");
    for c in &a.official {
        if !c.error.is_empty() {
            let _ = writeln!(
                md,
                "`{}`: the official table could not be read: {}\n",
                c.key, c.error
            );
            continue;
        }
        let _ = writeln!(md, "### {}\n\n{}\n", heading(c), lead(c));
        if c.pairs.is_empty() {
            continue;
        }
        let _ = writeln!(
            md,
            "| body | FOI | official | ratio | agree | matched |\n|---|---:|---:|---:|---|---|"
        );
        for p in &c.pairs {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {:.2} | {} | {} |",
                names(p, register),
                money(p.foi),
                money(p.official),
                p.ratio,
                if p.agree { "yes" } else { "no" },
                p.mapping
            );
        }
        let _ = writeln!(md, "\nFurthest apart:\n");
        for p in c.furthest(FURTHEST) {
            let (foi, off) = evidence(p);
            let flag = if p.official_flag.is_empty() {
                String::new()
            } else {
                format!(
                    " The official figure fails the recipe's check ({}).",
                    p.official_flag
                )
            };
            let _ = writeln!(
                md,
                "- {}: FOI {} ({foi}) against official {} ({off}), ratio {:.2}.{flag}",
                names(p, register),
                money(p.foi),
                money(p.official),
                p.ratio
            );
        }
        if !c.not_comparable.is_empty() {
            let _ = writeln!(md, "\nNot compared:\n");
            for (b, why) in &c.not_comparable {
                let _ = writeln!(md, "- {b}: {why}");
            }
        }
        let _ = writeln!(md);
    }
    md
}

/// The section of report.html; `anchor` links a body's dot to the answer it used.
pub fn html(
    a: &Analysis,
    register: &Register,
    anchor: &dyn Fn(&str, &str, &str) -> String,
) -> String {
    let mut h = String::new();
    if a.official.is_empty() {
        return h;
    }
    let _ = write!(
        h,
        "<h2 id=\"official\">FOI answers against official figures</h2>"
    );
    for c in &a.official {
        if !c.error.is_empty() {
            let _ = write!(
                h,
                "<p class=\"official-error\">{}: the official table could not be read: {}</p>",
                escape(&c.key),
                escape(&c.error)
            );
            continue;
        }
        let id = format!("official-{}-{}", c.key, c.period)
            .replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '-', "_");
        let _ = write!(
            h,
            "<h3 id=\"{id}\"><code>{}</code> {} against {}</h3><p>{}</p>",
            escape(&c.field),
            escape(&c.period),
            escape(&c.title),
            escape(&lead(c))
        );
        if c.pairs.is_empty() {
            continue;
        }
        scatter(&mut h, c, register, anchor);
        let _ = write!(
            h,
            "<table class=\"official\"><tr><th>body</th><th class=\"num\">FOI</th><th class=\"num\">official</th><th class=\"num\">ratio</th><th>agree</th><th>matched</th></tr>"
        );
        for p in &c.pairs {
            let first = p.bodies.first().map(String::as_str).unwrap_or("");
            let _ = write!(
                h,
                "<tr><td><a href=\"#{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{}</td><td>{}</td></tr>",
                anchor(first, &c.field, &c.period),
                escape(&names(p, register)),
                escape(&money(p.foi)),
                escape(&money(p.official)),
                p.ratio,
                if p.agree { "yes" } else { "no" },
                escape(&p.mapping)
            );
        }
        let _ = write!(h, "</table><h4>Furthest apart</h4><ul>");
        for p in c.furthest(FURTHEST) {
            let (foi, off) = evidence(p);
            let flag = if p.official_flag.is_empty() {
                String::new()
            } else {
                format!(
                    " The official figure fails the recipe's check ({}).",
                    p.official_flag
                )
            };
            let _ = write!(
                h,
                "<li>{}: FOI {} ({}) against official {} ({}), ratio {:.2}.{}</li>",
                escape(&names(p, register)),
                escape(&money(p.foi)),
                escape(&foi),
                escape(&money(p.official)),
                escape(&off),
                p.ratio,
                escape(&flag)
            );
        }
        let _ = write!(h, "</ul>");
        if !c.not_comparable.is_empty() {
            let _ = write!(h, "<h4>Not compared</h4><ul>");
            for (b, why) in &c.not_comparable {
                let _ = write!(h, "<li>{}: {}</li>", escape(b), escape(why));
            }
            let _ = write!(h, "</ul>");
        }
    }
    h
}

/// FOI figure (up) against official figure (across), both on log scales: the diagonal is
/// agreement, the dashed lines the tolerance.
fn scatter(
    h: &mut String,
    c: &Comparison,
    register: &Register,
    anchor: &dyn Fn(&str, &str, &str) -> String,
) {
    let (w, ht, pad_l, pad_b) = (660.0, 440.0, 90.0, 40.0);
    let values = c.pairs.iter().flat_map(|p| [p.foi, p.official]);
    let lo = values.clone().fold(f64::INFINITY, f64::min).log10().floor();
    let hi = values
        .fold(f64::NEG_INFINITY, f64::max)
        .log10()
        .ceil()
        .max(lo + 1.0);
    let x = |v: f64| pad_l + (v.log10() - lo) / (hi - lo) * (w - pad_l - 45.0);
    let y = |v: f64| ht - pad_b - (v.log10() - lo) / (hi - lo) * (ht - pad_b - 20.0);
    let _ = write!(
        h,
        "<svg role=\"img\" aria-label=\"FOI figure against official figure, log scales\" width=\"{w}\" height=\"{ht}\"><rect x=\"{pad_l}\" y=\"20\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#999\"/>",
        w - pad_l - 45.0,
        ht - pad_b - 20.0
    );
    let mut decade = lo;
    while decade <= hi {
        let v = 10f64.powf(decade);
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
            x(v),
            ht - pad_b + 14.0,
            escape(&money(v)),
            pad_l - 4.0,
            y(v) + 3.0,
            escape(&money(v))
        );
        decade += 1.0;
    }
    let (a, b) = (10f64.powf(lo), 10f64.powf(hi));
    let _ = write!(
        h,
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\"/>",
        x(a),
        y(a),
        x(b),
        y(b)
    );
    for k in [1.0 - c.tolerance, 1.0 + c.tolerance] {
        if k > 0.0 {
            // y = k x, clipped to the square.
            let (x0, x1) = if k < 1.0 { (a / k, b) } else { (a, b / k) };
            let _ = write!(
                h,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
                x(x0),
                y(k * x0),
                x(x1),
                y(k * x1)
            );
        }
    }
    for p in &c.pairs {
        let first = p.bodies.first().map(String::as_str).unwrap_or("");
        let _ = write!(
            h,
            "<a href=\"#{}\"><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{}\"><title>{}: FOI {} against official {} (ratio {:.2})</title></circle></a>",
            anchor(first, &c.field, &c.period),
            x(p.official),
            y(p.foi),
            if p.agree { "#1565c0" } else { "#e65100" },
            escape(&names(p, register)),
            escape(&money(p.foi)),
            escape(&money(p.official)),
            p.ratio
        );
    }
    let _ = write!(
        h,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">official figure</text><text x=\"{pad_l}\" y=\"14\" font-size=\"11\">FOI figure (line: equal; dashed: ±{:.0}%; orange: outside)</text></svg>",
        w - 45.0,
        ht - 6.0,
        100.0 * c.tolerance
    );
}
