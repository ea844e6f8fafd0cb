//! The outputs of `foi compare`, written into its output folder and nowhere else: the panel
//! (`panel.csv`, `panel.parquet`), the like-for-like series (`series.csv`, and `trajectories.csv`
//! with a column per year for sorting), `restated.csv`, `pace.csv`, `coverage.csv`, `totals.csv`,
//! `mapping.csv`, `summary.json`, `report.md`, `report.html` and `datapackage.json`.

use super::series::{Basis, Prefer};
use super::{Comparison, restated::Agreement};
use crate::observation::{Status, Value};
use crate::report::{ReportError, write_rows};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const PANEL_HEADER: [&str; 12] = [
    "round",
    "as_of",
    "body_code",
    "body_code_latest",
    "field",
    "period",
    "status",
    "value",
    "source",
    "location",
    "raw",
    "note",
];
const SERIES_HEADER: [&str; 10] = [
    "body_code",
    "body_name",
    "field",
    "period",
    "status",
    "value",
    "round",
    "basis",
    "from",
    "note",
];
const RESTATED_HEADER: [&str; 14] = [
    "body_code",
    "field",
    "period",
    "verdict",
    "earlier_round",
    "earlier_value",
    "earlier_source",
    "earlier_location",
    "earlier_raw",
    "later_round",
    "later_value",
    "later_source",
    "later_location",
    "later_raw",
];
const PACE_HEADER: [&str; 10] = [
    "year",
    "round",
    "rule",
    "default_rule",
    "kept_pace",
    "backfilled",
    "percent_kept_pace",
    "ci95_low",
    "ci95_high",
    "excluding_unclear",
];
const TOTALS_HEADER: [&str; 10] = [
    "round",
    "period",
    "bodies",
    "reference_bodies",
    "reference_total",
    "stated_n",
    "stated_total",
    "reference_for_stated",
    "budget_answered",
    "budget_total",
];

fn io(path: &Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_owned(),
        source,
    }
}

fn value_text(v: &Option<Value>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

fn money(x: f64) -> String {
    let whole = x.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}£{out}", if whole < 0 { "-" } else { "" })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn write_all(out: &Path, c: &Comparison) -> Result<(), ReportError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let latest = c.rounds.last();
    let name_of = |code: &str| {
        latest
            .and_then(|l| l.register.get(code))
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };

    // The panel.
    let panel_rows: Vec<Vec<String>> = c
        .panel
        .iter()
        .map(|p| {
            let o = p.observation;
            let prov = |f: &dyn Fn(&crate::observation::Provenance) -> &str| {
                o.provenance.iter().map(f).collect::<Vec<_>>().join(" | ")
            };
            vec![
                p.round.to_owned(),
                p.as_of.to_owned(),
                o.body.clone(),
                p.body_code_latest.clone(),
                o.field.clone(),
                o.period.clone(),
                o.status.as_str().to_owned(),
                value_text(&o.value),
                prov(&|x| &x.source),
                prov(&|x| &x.location),
                prov(&|x| &x.raw),
                o.note.clone(),
            ]
        })
        .collect();
    write_rows(
        &out.join("panel.csv"),
        &PANEL_HEADER,
        panel_rows.iter().cloned(),
    )?;
    {
        use super::parquet::{Column, write};
        let text = |i: usize| Column::Text(panel_rows.iter().map(|r| r[i].clone()).collect());
        let numbers = Column::Number(
            c.panel
                .iter()
                .map(|p| match &p.observation.value {
                    Some(Value::Number(n)) => Some(*n),
                    _ => None,
                })
                .collect(),
        );
        let columns = vec![
            ("round", text(0)),
            ("as_of", text(1)),
            ("body_code", text(2)),
            ("body_code_latest", text(3)),
            ("field", text(4)),
            ("period", text(5)),
            ("status", text(6)),
            ("value", numbers),
            ("value_text", text(7)),
            ("source", text(8)),
            ("location", text(9)),
            ("raw", text(10)),
            ("note", text(11)),
        ];
        let path = out.join("panel.parquet");
        write(&path, "panel", &columns).map_err(|source| ReportError::Parquet {
            path: path.clone(),
            source,
        })?;
    }

    // The like-for-like series, long and wide.
    let series_rows = c.series.iter().map(|v| {
        vec![
            v.body.clone(),
            name_of(&v.body),
            v.field.clone(),
            v.period.clone(),
            v.status.as_str().to_owned(),
            value_text(&v.value),
            v.round.clone(),
            v.basis.as_str().to_owned(),
            v.from.join(" "),
            v.note.clone(),
        ]
    });
    write_rows(&out.join("series.csv"), &SERIES_HEADER, series_rows)?;
    let periods: Vec<String> = c
        .series
        .iter()
        .map(|v| v.period.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut wide: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    for v in &c.series {
        let cell = if v.status == Status::Answered {
            value_text(&v.value)
        } else {
            v.status.as_str().to_owned()
        };
        wide.entry((v.body.clone(), v.field.clone()))
            .or_default()
            .insert(v.period.clone(), cell);
    }
    let mut header: Vec<&str> = vec!["body_code", "body_name", "field"];
    header.extend(periods.iter().map(String::as_str));
    let wide_rows = wide.iter().map(|((b, f), cells)| {
        let mut row = vec![b.clone(), name_of(b), f.clone()];
        row.extend(
            periods
                .iter()
                .map(|p| cells.get(p).cloned().unwrap_or_default()),
        );
        row
    });
    write_rows(&out.join("trajectories.csv"), &header, wide_rows)?;

    // Restated figures (and rounding-only differences), with both sources.
    let restated_rows = c.restatements.iter().map(|r| {
        let side = |o: &crate::observation::Observation, v: f64| {
            let p = o.provenance.first();
            vec![
                Value::Number(v).to_string(),
                p.map(|p| p.source.clone()).unwrap_or_default(),
                p.map(|p| p.location.clone()).unwrap_or_default(),
                p.map(|p| p.raw.clone()).unwrap_or_default(),
            ]
        };
        let mut row = vec![
            r.later.body.clone(),
            r.later.field.clone(),
            r.later.period.clone(),
            r.agreement.as_str().to_owned(),
            r.earlier_round.to_owned(),
        ];
        row.extend(side(r.earlier, r.earlier_value));
        row.push(r.later_round.to_owned());
        row.extend(side(r.later, r.later_value));
        row
    });
    write_rows(&out.join("restated.csv"), &RESTATED_HEADER, restated_rows)?;

    let pace_rows = c.pace.iter().map(|p| {
        vec![
            p.year.clone(),
            p.round.clone(),
            p.rule.clone(),
            p.default_rule.to_string(),
            p.kept.to_string(),
            p.backfilled.to_string(),
            p.percent.map(|x| x.to_string()).unwrap_or_default(),
            p.ci.map(|x| x.0.to_string()).unwrap_or_default(),
            p.ci.map(|x| x.1.to_string()).unwrap_or_default(),
            p.excluding_unclear
                .map(|(k, b)| format!("{k} of {}", k + b))
                .unwrap_or_default(),
        ]
    });
    write_rows(&out.join("pace.csv"), &PACE_HEADER, pace_rows)?;

    let mut cov_header: Vec<String> = vec!["body_code".into(), "body_name".into()];
    for r in c.rounds {
        cov_header.push(format!("{}_replies", r.name()));
        cov_header.push(format!("{}_answered", r.name()));
    }
    cov_header.push("answered_every_round".into());
    cov_header.push("dropped_out".into());
    let cov_rows = c.coverage.iter().map(|v| {
        let mut row = vec![v.body.clone(), v.name.clone()];
        for (_, text, answered) in &v.rounds {
            row.push(text.clone());
            row.push(answered.to_string());
        }
        row.push(v.every_round().to_string());
        row.push(v.dropped_out().to_string());
        row
    });
    write_rows(
        &out.join("coverage.csv"),
        &cov_header.iter().map(String::as_str).collect::<Vec<_>>(),
        cov_rows,
    )?;

    let totals_rows = c.totals.iter().map(|t| {
        vec![
            t.round.clone(),
            t.period.clone(),
            t.bodies.to_string(),
            t.reference_bodies.to_string(),
            format!("{:.2}", t.reference_total),
            t.stated_n.to_string(),
            format!("{:.2}", t.stated_total),
            format!("{:.2}", t.reference_for_stated),
            t.budget_n.to_string(),
            format!("{:.2}", t.budget_total),
        ]
    });
    write_rows(&out.join("totals.csv"), &TOTALS_HEADER, totals_rows)?;
    write_rows(
        &out.join("mapping.csv"),
        &["round", "body_code", "body_code_latest"],
        c.mapping
            .iter()
            .map(|(r, b, l)| vec![r.clone(), b.clone(), l.clone()]),
    )?;

    let summary = summary(c);
    let path = out.join("summary.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&summary).unwrap_or_default() + "\n",
    )
    .map_err(io(&path))?;
    let path = out.join("report.md");
    std::fs::write(&path, markdown(c)).map_err(io(&path))?;
    let path = out.join("report.html");
    std::fs::write(&path, html(c)).map_err(io(&path))?;
    let path = out.join("datapackage.json");
    std::fs::write(
        &path,
        datapackage(
            c,
            &header,
            &cov_header.iter().map(String::as_str).collect::<Vec<_>>(),
        ) + "\n",
    )
    .map_err(io(&path))?;
    Ok(())
}

/// Flat keys: kept pace per year (`camhs.2017-18.kept_pace`, from the round that classifies
/// it), restatements, coverage and mapping counts.
pub fn summary(c: &Comparison) -> BTreeMap<String, Json> {
    let mut s = BTreeMap::new();
    s.insert(
        "rounds".to_owned(),
        json!(c.rounds.iter().map(|r| r.name()).collect::<Vec<_>>()),
    );
    for p in &c.pace {
        let key = c
            .rounds
            .iter()
            .find(|r| r.name() == p.round)
            .map(|r| r.analysis.kept_pace_key.clone())
            .unwrap_or_default();
        let prefixes = if p.default_rule {
            vec![
                format!("{key}.{}", p.year),
                format!("{key}.{}.{}", p.year, p.rule),
            ]
        } else {
            vec![format!("{key}.{}.{}", p.year, p.rule)]
        };
        for k in prefixes {
            s.insert(format!("{k}.classifiable"), json!(p.kept + p.backfilled));
            s.insert(format!("{k}.kept_pace"), json!(p.kept));
            s.insert(format!("{k}.backfilled"), json!(p.backfilled));
            s.insert(
                format!("{k}.percent_kept_pace"),
                p.percent.map(Json::from).unwrap_or(Json::Null),
            );
            s.insert(format!("{k}.round"), json!(p.round));
            if let Some((lo, hi)) = p.ci {
                s.insert(format!("{k}.percent_kept_pace.ci95_low"), json!(lo));
                s.insert(format!("{k}.percent_kept_pace.ci95_high"), json!(hi));
            }
        }
    }
    let restated = super::restated_bodies(c);
    s.insert("restated.bodies".into(), json!(restated));
    s.insert("restated.count".into(), json!(restated.len()));
    s.insert(
        "restated.rounding_only_figures".into(),
        json!(
            c.restatements
                .iter()
                .filter(|r| r.agreement == Agreement::RoundingOnly)
                .count()
        ),
    );
    s.insert("restated.compared".into(), json!(c.compared));
    s.insert("coverage.bodies".into(), json!(c.coverage.len()));
    s.insert(
        "coverage.answered_every_round".into(),
        json!(c.coverage.iter().filter(|v| v.every_round()).count()),
    );
    s.insert(
        "coverage.dropped_out".into(),
        json!(c.coverage.iter().filter(|v| v.dropped_out()).count()),
    );
    s.insert("mapping.bodies".into(), json!(c.mapping.len()));
    s.insert(
        "mapping.unmapped".into(),
        json!(c.mapping.iter().filter(|m| m.2.is_empty()).count()),
    );
    s.insert(
        "series.sum_of_predecessors".into(),
        json!(
            c.series
                .iter()
                .filter(|v| v.basis == Basis::SumOfPredecessors && v.status == Status::Answered)
                .count()
        ),
    );
    s.insert(
        "series.unclear_missing_predecessor".into(),
        json!(
            c.series
                .iter()
                .filter(|v| v.basis == Basis::SumOfPredecessors && v.status == Status::Unclear)
                .count()
        ),
    );
    s
}

const RULES: &str = "**Like for like across mergers.** Each body is followed through the register's successions to the body \
that stands for it at the latest round (`body_code_latest`). For a year a body's predecessors answered for, its figure is the \
sum of its predecessors' figures only when every predecessor answered for that year with a figure; if any did not, the value \
is `unclear`, naming the predecessor missing and its status. **Restated figures.** Where two rounds give the same body, field \
and period, the figures agree when equal, or when one is the other rounded to the significant digits it is given to (digits to \
the penny, trailing zeros not counted: 58,764,000 then £58.8m agree; 3,370,000 then 3,300,000 do not, since 3.37m rounds to \
3.4m). Any other difference is a restatement, listed in `restated.csv` with both sources.";

fn prefer_text(p: Prefer) -> &'static str {
    match p {
        Prefer::Later => {
            "the later round's figure is used for change over time (the schema does not say otherwise)"
        }
        Prefer::Earlier => {
            "the earlier round's figure is used for change over time, as the schema's top-level `restated = \"earlier\"` says"
        }
    }
}

fn pct(p: Option<f64>) -> String {
    p.map(|x| format!("{x:.1}%")).unwrap_or_else(|| "-".into())
}

fn ci(c: Option<(f64, f64)>) -> String {
    c.map(|(a, b)| format!("{a:.1}-{b:.1}%"))
        .unwrap_or_else(|| "-".into())
}

pub fn markdown(c: &Comparison) -> String {
    let mut md = String::new();
    let names: Vec<&str> = c.rounds.iter().map(|r| r.name()).collect();
    let _ = writeln!(md, "# Rounds over time: {}\n", names.join(", "));
    for r in c.rounds {
        let _ = writeln!(
            md,
            "- **{}**: {} (as of {}, {} bodies surveyed; schema `{}`)",
            r.name(),
            r.round.title,
            r.round.as_of,
            r.register.bodies.len(),
            r.round.schema
        );
    }
    let unmapped = c.mapping.iter().filter(|m| m.2.is_empty()).count();
    let _ = writeln!(
        md,
        "\nEvery body of the earlier rounds mapped to a body of the latest round: {} of {} ({} not mapped; `mapping.csv`).\n",
        c.mapping.len() - unmapped,
        c.mapping.len(),
        unmapped
    );
    let _ = writeln!(
        md,
        "## The rules\n\n{RULES} Where rounds overlap, {}.\n",
        prefer_text(c.prefer)
    );
    let _ = writeln!(md, "## Kept pace, year by year\n");
    let _ = writeln!(
        md,
        "Each year comes from the latest round whose own analysis classifies it (the same code as `foi run`'s `summary.json`), under both rules (year on year, baseline), with 95% Wilson intervals.\n"
    );
    let _ = writeln!(
        md,
        "| year | round | rule | kept pace | backfilled | classifiable | % kept pace | 95% interval | without bodies with an unclear value |"
    );
    let _ = writeln!(md, "|---|---|---|---:|---:|---:|---:|---|---|");
    for p in &c.pace {
        let rule = if p.default_rule {
            format!("{} (default)", p.rule)
        } else {
            p.rule.clone()
        };
        let clean = p
            .excluding_unclear
            .map(|(k, b)| format!("{k} of {}", k + b))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "| {} | {} | {rule} | {} | {} | {} | {} | {} | {clean} |",
            p.year,
            p.round,
            p.kept,
            p.backfilled,
            p.kept + p.backfilled,
            pct(p.percent),
            ci(p.ci)
        );
    }
    let restated = super::restated_bodies(c);
    let rounding = c
        .restatements
        .iter()
        .filter(|r| r.agreement == Agreement::RoundingOnly)
        .count();
    let _ = writeln!(
        md,
        "\n## Restated figures\n\n{} figures were given by two rounds; {} differ by rounding only (counted as agreeing) and {} bodies restated a figure beyond rounding: {}.\n",
        c.compared,
        rounding,
        restated.len(),
        if restated.is_empty() {
            "none".to_owned()
        } else {
            restated.join(", ")
        }
    );
    let rows: Vec<_> = c
        .restatements
        .iter()
        .filter(|r| r.agreement == Agreement::Restated)
        .collect();
    if !rows.is_empty() {
        let _ = writeln!(
            md,
            "| body | field | period | earlier | later | sources |\n|---|---|---|---:|---:|---|"
        );
        for r in rows {
            let src = |o: &crate::observation::Observation| {
                o.provenance
                    .first()
                    .map(|p| format!("{} {}", p.source, p.location))
                    .unwrap_or_default()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} ({}) | {} ({}) | {}; {} |",
                r.later.body,
                r.later.field,
                r.later.period,
                money(r.earlier_value),
                r.earlier_round,
                money(r.later_value),
                r.later_round,
                src(r.earlier),
                src(r.later)
            );
        }
    }
    let merged = c
        .series
        .iter()
        .filter(|v| v.basis == Basis::SumOfPredecessors && v.status == Status::Answered)
        .count();
    let unclear: Vec<_> = c
        .series
        .iter()
        .filter(|v| v.basis == Basis::SumOfPredecessors && v.status == Status::Unclear)
        .collect();
    let _ = writeln!(
        md,
        "\n## Bodies through mergers\n\n{merged} values of the series are sums of predecessors' figures; {} are left unclear because a predecessor gave no figure.\n",
        unclear.len()
    );
    for v in unclear.iter().take(40) {
        let _ = writeln!(md, "- {} {} {}: {}", v.body, v.field, v.period, v.note);
    }
    let (every, dropped) = c.coverage_counts();
    let _ = writeln!(
        md,
        "\n## Coverage\n\nOf the {} bodies of the latest round, {every} answered (a full or partial reply) in every round; {} answered before but not in the latest round{}.\n",
        c.coverage.len(),
        dropped.len(),
        if dropped.is_empty() {
            String::new()
        } else {
            format!(": {}", dropped.join(", "))
        }
    );
    let _ = writeln!(md, "## National totals against the allocation tables\n");
    let _ = writeln!(
        md,
        "| round | year | allocation table total (bodies) | stated by bodies (n) | table total for those bodies | budgets answered (n) |\n|---|---|---:|---:|---:|---:|"
    );
    for t in &c.totals {
        let _ = writeln!(
            md,
            "| {} | {} | {} ({}) | {} ({}) | {} | {} ({}) |",
            t.round,
            t.period,
            money(t.reference_total),
            t.reference_bodies,
            money(t.stated_total),
            t.stated_n,
            money(t.reference_for_stated),
            money(t.budget_total),
            t.budget_n
        );
    }
    let _ = writeln!(
        md,
        "\nPer-body trajectories: `trajectories.csv` (a column per year, to sort) and `series.csv` (one row per value, with its round, basis and note); the panel of every round's rows: `panel.csv` / `panel.parquet`."
    );
    md
}

/// A small line chart of one body's budget over the years (gaps where it has no figure).
fn sparkline(points: &[(usize, Option<f64>)], n: usize) -> String {
    let (w, h, pad) = (120.0, 28.0, 3.0);
    let known: Vec<f64> = points.iter().filter_map(|p| p.1).collect();
    if known.is_empty() || n == 0 {
        return String::new();
    }
    let (lo, hi) = known
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |i: usize| {
        pad + (w - 2.0 * pad)
            * if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.5
            }
    };
    let y = |v: f64| h - pad - (h - 2.0 * pad) * if hi > lo { (v - lo) / span } else { 0.5 };
    let mut svg =
        format!("<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">");
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, svg: &mut String| {
        if run.len() > 1 {
            let _ = write!(
                svg,
                "<polyline fill=\"none\" stroke=\"#1f5f8b\" stroke-width=\"1.5\" points=\"{}\"/>",
                run.join(" ")
            );
        }
        run.clear();
    };
    for (i, v) in points {
        match v {
            Some(v) => {
                run.push(format!("{:.1},{:.1}", x(*i), y(*v)));
                let _ = write!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2\" fill=\"#1f5f8b\"><title>{}</title></circle>",
                    x(*i),
                    y(*v),
                    money(*v)
                );
            }
            None => flush(&mut run, &mut svg),
        }
    }
    flush(&mut run, &mut svg);
    svg.push_str("</svg>");
    svg
}

pub fn html(c: &Comparison) -> String {
    let names: Vec<&str> = c.rounds.iter().map(|r| r.name()).collect();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Rounds over time: {}</title>",
        esc(&names.join(", "))
    );
    h.push_str("<style>body{font-family:sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.2rem .4rem;font-size:.9rem}td.n{text-align:right}.bar{display:inline-block;height:.8rem;background:#1f5f8b}</style></head><body>");
    let _ = write!(
        h,
        "<h1>Rounds over time: {}</h1><ul>",
        esc(&names.join(", "))
    );
    for r in c.rounds {
        let _ = write!(
            h,
            "<li><b>{}</b>: {} (as of {}, {} bodies)</li>",
            esc(r.name()),
            esc(&r.round.title),
            esc(&r.round.as_of),
            r.register.bodies.len()
        );
    }
    let _ = write!(
        h,
        "</ul><h2>The rules</h2><p>{}</p><p>Where rounds overlap, {}.</p>",
        esc(&RULES.replace("**", "").replace('`', "")),
        esc(prefer_text(c.prefer))
    );
    h.push_str("<h2>Kept pace, year by year</h2><table><tr><th>year</th><th>round</th><th>rule</th><th>kept pace</th><th>backfilled</th><th>% kept pace</th><th>95% interval</th><th></th></tr>");
    for p in &c.pace {
        let width = p.percent.unwrap_or(0.0).clamp(0.0, 100.0);
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td><td><span class=bar style=\"width:{:.0}px\"></span></td></tr>",
            esc(&p.year),
            esc(&p.round),
            esc(&p.rule),
            if p.default_rule { " (default)" } else { "" },
            p.kept,
            p.backfilled,
            pct(p.percent),
            ci(p.ci),
            width * 1.5
        );
    }
    h.push_str("</table>");
    let restated = super::restated_bodies(c);
    let _ = write!(
        h,
        "<h2>Restated figures</h2><p>{} figures given by two rounds; {} differ by rounding only; bodies restating beyond rounding: {}.</p><table><tr><th>body</th><th>field</th><th>period</th><th>earlier</th><th>later</th><th>verdict</th></tr>",
        c.compared,
        c.restatements
            .iter()
            .filter(|r| r.agreement == Agreement::RoundingOnly)
            .count(),
        esc(&restated.join(", "))
    );
    for r in &c.restatements {
        let src = |o: &crate::observation::Observation| {
            o.provenance
                .first()
                .map(|p| format!("{} {} “{}”", p.source, p.location, p.raw))
                .unwrap_or_default()
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td title=\"{}\">{} ({})</td><td title=\"{}\">{} ({})</td><td>{}</td></tr>",
            esc(&r.later.body),
            esc(&r.later.field),
            esc(&r.later.period),
            esc(&src(r.earlier)),
            money(r.earlier_value),
            esc(r.earlier_round),
            esc(&src(r.later)),
            money(r.later_value),
            esc(r.later_round),
            r.agreement.as_str()
        );
    }
    h.push_str("</table>");
    // Trajectories: the budget field of the kept-pace statistic, one small chart per body.
    let budget = c
        .rounds
        .last()
        .map(|r| r.analysis.kept_pace_fields.0.clone())
        .unwrap_or_default();
    let periods: Vec<String> = c
        .series
        .iter()
        .filter(|v| v.field == budget)
        .map(|v| v.period.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !budget.is_empty() && !periods.is_empty() {
        let _ = write!(
            h,
            "<h2>Trajectories: {}</h2><p>Like for like, the later round's figure where rounds overlap; a sum of predecessors marked Σ. The table to sort is <code>trajectories.csv</code>.</p><table><tr><th>body</th><th>chart</th>",
            esc(&budget)
        );
        for p in &periods {
            let _ = write!(h, "<th>{}</th>", esc(p));
        }
        h.push_str("</tr>");
        let mut by_body: BTreeMap<&str, Vec<&super::series::SeriesValue>> = BTreeMap::new();
        for v in c.series.iter().filter(|v| v.field == budget) {
            by_body.entry(&v.body).or_default().push(v);
        }
        for (body, values) in by_body {
            let cell = |p: &str| values.iter().find(|v| v.period == p);
            let points: Vec<(usize, Option<f64>)> = periods
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        i,
                        cell(p).and_then(|v| match (&v.status, &v.value) {
                            (Status::Answered, Some(Value::Number(n))) => Some(*n),
                            _ => None,
                        }),
                    )
                })
                .collect();
            let name = c
                .rounds
                .last()
                .and_then(|l| l.register.get(body))
                .map(|b| b.name.clone())
                .unwrap_or_default();
            let _ = write!(
                h,
                "<tr><td>{} {}</td><td>{}</td>",
                esc(body),
                esc(&name),
                sparkline(&points, periods.len())
            );
            for p in &periods {
                let text = match cell(p) {
                    Some(v) if v.status == Status::Answered => format!(
                        "{}{}",
                        if v.basis == Basis::SumOfPredecessors {
                            "Σ "
                        } else {
                            ""
                        },
                        v.value
                            .as_ref()
                            .map(|x| match x {
                                Value::Number(n) => money(*n),
                                other => other.to_string(),
                            })
                            .unwrap_or_default()
                    ),
                    Some(v) => v.status.as_str().to_owned(),
                    None => String::new(),
                };
                let title = cell(p)
                    .map(|v| format!("{} {}", v.round, v.note))
                    .unwrap_or_default();
                let _ = write!(
                    h,
                    "<td class=n title=\"{}\">{}</td>",
                    esc(&title),
                    esc(&text)
                );
            }
            h.push_str("</tr>");
        }
        h.push_str("</table>");
    }
    let (every, dropped) = c.coverage_counts();
    let _ = write!(
        h,
        "<h2>Coverage</h2><p>Of {} bodies of the latest round, {every} answered in every round; {} dropped out: {}.</p>",
        c.coverage.len(),
        dropped.len(),
        esc(&dropped.join(", "))
    );
    h.push_str("<h2>National totals against the allocation tables</h2><table><tr><th>round</th><th>year</th><th>allocation table total</th><th>stated (n)</th><th>table total for those bodies</th><th>budgets answered (n)</th></tr>");
    for t in &c.totals {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=n>{} ({})</td><td class=n>{} ({})</td><td class=n>{}</td><td class=n>{} ({})</td></tr>",
            esc(&t.round),
            esc(&t.period),
            money(t.reference_total),
            t.reference_bodies,
            money(t.stated_total),
            t.stated_n,
            money(t.reference_for_stated),
            money(t.budget_total),
            t.budget_n
        );
    }
    h.push_str("</table></body></html>\n");
    h
}

fn datapackage(c: &Comparison, trajectory_header: &[&str], coverage_header: &[&str]) -> String {
    let statuses = Status::ALL.map(Status::as_str);
    let f = |name: &str, kind: &str, description: &str| json!({"name": name, "type": kind, "description": description});
    let status = json!({"name": "status", "type": "string", "description": "value status (README: Statuses)", "constraints": {"enum": statuses}});
    let panel_fields = vec![
        f("round", "string", "the round's folder name"),
        f("as_of", "date", "the round's register date"),
        f("body_code", "string", "the body as it was in that round"),
        f(
            "body_code_latest",
            "string",
            "the body that stands for it at the latest round (empty: none)",
        ),
        f("field", "string", "field id of the survey schema"),
        f(
            "period",
            "string",
            "financial year YYYY-YY, empty where the field has none",
        ),
        status.clone(),
        f("value", "any", "money in pounds, a count, or a code"),
        f(
            "source",
            "string",
            "file(s) the value was read from, relative to the round folder",
        ),
        f("location", "string", "sheet!cell, line or page"),
        f("raw", "string", "the text as written"),
        f("note", "string", "why a person may want to look"),
    ];
    let mut parquet_fields = panel_fields.clone();
    parquet_fields[7] = f(
        "value",
        "number",
        "money in pounds or a count; empty for codes and no value",
    );
    parquet_fields.insert(
        8,
        f("value_text", "string", "the value as panel.csv writes it"),
    );
    let csv = |name: &str, fields: Vec<Json>| json!({"name": name, "path": format!("{name}.csv"), "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": {"fields": fields, "missingValues": [""]}});
    let strings = |cols: &[&str]| cols.iter().map(|c| f(c, "string", "")).collect::<Vec<_>>();
    let series_fields = vec![
        f("body_code", "string", "the body at the latest round"),
        f("body_name", "string", "its name at the latest round"),
        f("field", "string", "field id"),
        f("period", "string", "financial year"),
        status,
        f("value", "any", "the like-for-like value"),
        f("round", "string", "the round it comes from"),
        f("basis", "string", "reported | sum_of_predecessors"),
        f("from", "string", "the codes it stands on"),
        f(
            "note",
            "string",
            "the sum made, the predecessor missing, or a restatement",
        ),
    ];
    let pkg = json!({
        "profile": "data-package",
        "name": format!("foi-compare-{}", c.rounds.iter().map(|r| r.name()).collect::<Vec<_>>().join("-")),
        "title": "FOI rounds over time",
        "resources": [
            csv("panel", panel_fields),
            {"name": "panel-parquet", "path": "panel.parquet", "format": "parquet", "mediatype": "application/vnd.apache.parquet", "schema": {"fields": parquet_fields}},
            csv("series", series_fields),
            csv("trajectories", strings(trajectory_header)),
            csv("restated", strings(&RESTATED_HEADER)),
            csv("pace", strings(&PACE_HEADER)),
            csv("coverage", strings(coverage_header)),
            csv("totals", strings(&TOTALS_HEADER)),
            csv("mapping", strings(&["round", "body_code", "body_code_latest"])),
        ]
    });
    serde_json::to_string_pretty(&pkg).unwrap_or_default()
}
