//! `report.md`: the statistics in sentences a researcher could paste, each with its denominator.

use crate::analyse::Analysis;
use crate::analyse::fields::FieldStat;
use crate::observation::Status;
use crate::register::Register;
use crate::schema::{FieldType, Schema};
use std::fmt::Write;

/// A whole number with thousands separators: "46,544".
pub(super) fn thousands(x: f64) -> String {
    let whole = x.round() as i64;
    let s = whole.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}{out}", if whole < 0 { "-" } else { "" })
}

/// A figure of a field as a researcher writes it: money in pounds, counts whole, numbers with
/// up to two decimals and their unit ("4.5 weeks", "12%").
pub(super) fn figure(kind: FieldType, unit: Option<crate::schema::Unit>, x: f64) -> String {
    match kind {
        FieldType::Money => money(x),
        FieldType::Number => {
            let n = if x.fract() == 0.0 {
                thousands(x)
            } else {
                grouped(x, 2)
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_owned()
            };
            match unit {
                Some(crate::schema::Unit::Percent) => format!("{n}%"),
                Some(u) => format!("{n} {}", u.as_str()),
                None => n,
            }
        }
        _ => {
            if x.fract() == 0.0 {
                thousands(x)
            } else {
                grouped(x, 1)
            }
        }
    }
}

/// `x` with thousands separators and `decimals` places: "1,058.8".
pub(super) fn grouped(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let whole = thousands(whole.parse::<f64>().unwrap_or(0.0));
    let sign = if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// "1.4-fold" for a ratio of 1.37, "12-fold" for 12.4: one decimal below 10.
pub(super) fn fold(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.1}-fold")
    } else {
        format!("{}-fold", thousands(x))
    }
}

/// How a report names a field: its label (or question), else the id made readable.
pub(super) fn field_name(schema: &Schema, id: &str) -> String {
    schema
        .field(id)
        .map(|f| f.display().to_owned())
        .unwrap_or_else(|| denominator_name(id))
}

/// A denominator in words: register columns by what they count, others made readable.
pub(super) fn denominator_name(id: &str) -> String {
    match id {
        "registered_patients" => "registered patients".into(),
        "population_0_17" => "children under 18".into(),
        other => other.replace('_', " "),
    }
}

/// A field's period in words: "2016-17", or nothing for a field without periods.
fn with_period(name: &str, period: &str) -> String {
    if period.is_empty() {
        name.to_owned()
    } else {
        format!("{name}, {period}")
    }
}

/// The statistics of every question by its type: the distribution of figures, the share
/// answering yes, and the share giving each answer of a category.
fn every_question(md: &mut String, schema: &Schema, a: &Analysis) {
    if a.fields.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "## Every question\n\nEach statistic counts the bodies that gave a usable answer to that question; `unclear`, refused and not-held answers are left out and counted in the last column.\n"
    );
    let numeric: Vec<&FieldStat> = a.fields.iter().filter(|s| s.kind.is_numeric()).collect();
    if !numeric.is_empty() {
        let _ = writeln!(
            md,
            "| question | bodies | total | lowest | lower quartile | median | upper quartile | highest | highest / lowest | not usable |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for s in numeric {
            let f = schema.field(&s.field);
            let (kind, unit) = (s.kind, f.and_then(|f| f.unit));
            let get = |k: &str| {
                a.summary
                    .get(&format!("{}.{k}", s.key))
                    .and_then(|v| v.as_f64())
            };
            let show = |k: &str| get(k).map(|x| figure(kind, unit, x)).unwrap_or_default();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                with_period(&field_name(schema, &s.field), &s.period),
                s.values.len(),
                show("total"),
                show("min"),
                show("q1"),
                show("median"),
                show("q3"),
                show("max"),
                get("fold").map(fold).unwrap_or_default(),
                not_usable(s)
            );
        }
        let _ = writeln!(md);
    }
    for s in a.fields.iter().filter(|s| !s.kind.is_numeric()) {
        let f = schema.field(&s.field);
        let _ = writeln!(
            md,
            "**{}** ({} answered; {} not usable)\n",
            with_period(&field_name(schema, &s.field), &s.period),
            s.answered(),
            not_usable(s)
        );
        let _ = writeln!(
            md,
            "| answer | bodies | share | 95% interval |\n|---|---:|---:|---:|"
        );
        for (code, k) in &s.codes {
            let label = f
                .and_then(|f| f.codes.iter().find(|c| &c.code == code))
                .and_then(|c| c.label.clone())
                .unwrap_or_else(|| code.replace('_', " "));
            let (pct, ci) = percent_and_interval(*k, s.answered());
            let _ = writeln!(md, "| {label} | {k} | {pct} | {ci} |");
        }
        let _ = writeln!(md);
    }
}

/// Bodies whose cell was refused, not held, exempt or unclear: asked but not usable.
pub(super) fn not_usable(s: &FieldStat) -> u32 {
    s.statuses
        .iter()
        .filter(|(k, _)| {
            let usable = [Status::Answered, Status::NoResponse, Status::NotApplicable];
            !usable.map(Status::as_str).contains(k)
        })
        .map(|(_, v)| *v)
        .sum()
}

/// Each declared `change`: totals in both periods, how many rose and fell, the median change.
fn changes(md: &mut String, schema: &Schema, a: &Analysis) {
    for c in &a.changes {
        let f = schema.field(&c.field);
        let (kind, unit) = (
            f.map(|f| f.kind).unwrap_or(FieldType::Money),
            f.and_then(|f| f.unit),
        );
        let get = |k: &str| {
            a.summary
                .get(&format!("{}.{k}", c.key))
                .and_then(|v| v.as_f64())
        };
        let _ = writeln!(md, "## {}\n", c.title);
        if c.bodies.is_empty() {
            let _ = writeln!(
                md,
                "No body gave {} for both {} and {}.\n",
                field_name(schema, &c.field),
                c.from,
                c.to
            );
            continue;
        }
        let total_pct = get("total_change_percent")
            .map(|p| format!(" ({}{p:.1}%)", if p > 0.0 { "+" } else { "" }))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "{} bodies gave a figure for {} in both {} and {}. Together it went from {} to {}{total_pct}; {} rose, {} fell and {} stayed the same. The median change was {} (median {}).\n",
            c.bodies.len(),
            field_name(schema, &c.field),
            c.from,
            c.to,
            get("total_from")
                .map(|x| figure(kind, unit, x))
                .unwrap_or_default(),
            get("total_to")
                .map(|x| figure(kind, unit, x))
                .unwrap_or_default(),
            get("rose").unwrap_or(0.0),
            get("fell").unwrap_or(0.0),
            get("unchanged").unwrap_or(0.0),
            get("absolute.median")
                .map(|x| figure(kind, unit, x))
                .unwrap_or_default(),
            get("percent.median")
                .map(|p| format!("{p:.1}%"))
                .unwrap_or_else(|| "n/a".into())
        );
    }
}

/// Declared ratios beyond the per-patient and per-head views: a table per period.
fn ratios(md: &mut String, schema: &Schema, a: &Analysis) {
    for r in &a.ratios {
        let _ = writeln!(
            md,
            "## {}\n\n{} divided by {}, for the bodies that gave both.\n",
            r.title,
            field_name(schema, &r.numerator),
            field_name(schema, &r.denominator)
        );
        let _ = writeln!(
            md,
            "| period | bodies | lowest | median | highest | highest / lowest |\n|---|---:|---:|---:|---:|---:|"
        );
        for (period, key) in &r.keys {
            let get = |k: &str| {
                a.summary
                    .get(&format!("{key}.{k}"))
                    .and_then(|v| v.as_f64())
            };
            let m = |k: &str| get(k).map(|x| format!("£{x:.2}")).unwrap_or_default();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                if period.is_empty() { "-" } else { period },
                get("n").unwrap_or(0.0),
                m("min"),
                m("median"),
                m("max"),
                get("fold").map(fold).unwrap_or_default()
            );
        }
        let _ = writeln!(md);
    }
}

/// Pounds as a researcher writes them: "£1,234,567", "-£12".
pub(super) fn money(x: f64) -> String {
    let whole = x.round() as i64;
    let s = whole.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}£{out}", if whole < 0 { "-" } else { "" })
}

/// The per-head section's heading: the schema's title, else from its key
/// (`camhs.spend_per_child` -> "Spend per child").
pub(super) fn per_head_title(a: &Analysis) -> String {
    if !a.per_head_title.is_empty() {
        return a.per_head_title.clone();
    }
    let what = a
        .per_head_key
        .rsplit('.')
        .next()
        .filter(|w| !w.is_empty())
        .unwrap_or("per head")
        .replace('_', " ");
    let mut c = what.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// "45.5%" and "34.8–56.5%", or "n/a" where nobody answered.
pub(super) fn percent_and_interval(k: u32, n: u32) -> (String, String) {
    let percent = (n > 0).then(|| 100.0 * k as f64 / n as f64);
    percent_text(percent, crate::analyse::wilson(k, n))
}

/// A share and its interval as the tables write them ("45.5%", "35.0–56.4%"); "n/a" without.
pub(super) fn percent_text(percent: Option<f64>, interval: Option<(f64, f64)>) -> (String, String) {
    match (percent, interval) {
        (Some(p), Some((lo, hi))) => (format!("{p:.1}%"), format!("{lo:.1}–{hi:.1}%")),
        _ => ("n/a".into(), String::new()),
    }
}

/// "a" or "an" before a number as it is read aloud: "an 8-fold", "an 11-fold", "a 45-fold".
fn article(n: u64) -> &'static str {
    let digits = n.to_string();
    let eleven_or_eighteen =
        (digits.starts_with("11") || digits.starts_with("18")) && digits.len() % 3 == 2;
    if digits.starts_with('8') || eleven_or_eighteen {
        "an"
    } else {
        "a"
    }
}

pub fn render(title: &str, schema: &Schema, register: &Register, a: &Analysis) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {title}\n");
    replies_section(&mut md, a);
    yes_no(&mut md, schema, a);
    per_patient(&mut md, register, a);
    kept_pace(&mut md, schema, a);
    per_head(&mut md, schema, a);
    changes(&mut md, schema, a);
    ratios(&mut md, schema, a);
    every_question(&mut md, schema, a);
    claims(&mut md, a);
    md.push_str(&super::official::markdown(a, register));
    let _ = writeln!(
        md,
        "Every figure above can be traced to its file and cell in `responses.csv`."
    );
    md
}

/// The replies: how many bodies replied and how, and how many answers a person must read again.
fn replies_section(md: &mut String, a: &Analysis) {
    let n = |k: &str| a.summary.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
    let _ = writeln!(md, "## Replies\n");
    let review = match n("replies.partial_full_with_review") {
        0 => String::new(),
        k => {
            format!(" ({k} of them answered every item but left figures a person must read again)")
        }
    };
    let _ = writeln!(
        md,
        "Of {} bodies surveyed, {} replied: {} in full, {} in part{review}, {} refused the whole request, {} said they held none of the information; {} did not reply.\n",
        n("bodies.contacted"),
        n("bodies.replied"),
        n("replies.full"),
        n("replies.partial"),
        n("replies.refused"),
        n("replies.not_held"),
        n("replies.no_response")
    );
    let flagged = a.unclear_answers;
    let _ = writeln!(
        md,
        "{flagged} answers are marked `unclear` and listed in `issues.csv` for a person to resolve; they are left out of every statistic below.\n"
    );
}

/// Yes/no questions: each share with its interval.
fn yes_no(md: &mut String, schema: &Schema, a: &Analysis) {
    if !a.yes_shares.is_empty() {
        let _ = writeln!(
            md,
            "## Yes/no questions\n\nEach percentage is of the bodies that answered that question, with its 95% Wilson interval.\n"
        );
        let _ = writeln!(
            md,
            "| question | yes | answered | percent | 95% interval |\n|---|---:|---:|---:|---:|"
        );
        for s in &a.yes_shares {
            let (pct, ci) = percent_and_interval(s.yes, s.answered);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {pct} | {ci} |",
                field_name(schema, &s.field),
                s.yes,
                s.answered
            );
        }
        let _ = writeln!(md);
    }
}

/// The per-patient statistic: its spread in words, and every body's figure.
fn per_patient(md: &mut String, register: &Register, a: &Analysis) {
    if let Some((min, max)) = a.per_patient_range {
        let bodies = a.per_patient.len();
        let stat = |k: &str| {
            a.summary
                .get(&format!("{}.{k}", a.per_patient_key))
                .and_then(|x| x.as_f64())
                .unwrap_or(f64::NAN)
        };
        let per = &a.per_patient_per;
        let _ = writeln!(md, "## {}\n", a.per_patient_title);
        if bodies == 1 {
            let _ = writeln!(
                md,
                "1 body gave both a budget and a {per} count: {} per {per}.\n",
                money(min)
            );
        } else {
            let _ = writeln!(
                md,
                "{} bodies gave both a budget and a {per} count. The budget per {per} ranged from {} to {} (lower quartile {}, median {}, upper quartile {}){}.\n",
                bodies,
                money(min),
                money(max),
                money(stat("q1")),
                money(stat("median")),
                money(stat("q3")),
                if min > 0.0 {
                    let f = max / min;
                    let said = if f < 10.0 {
                        f.floor().max(1.0)
                    } else {
                        f.round()
                    };
                    format!(
                        ", {} {} difference between the highest and the lowest",
                        article(said as u64),
                        fold(f)
                    )
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(
            md,
            "| body | budget | {per}s | per {per} |\n|---|---:|---:|---:|"
        );
        for p in &a.per_patient {
            let name = register
                .get(&p.body)
                .map(|b| b.name.as_str())
                .unwrap_or(&p.body);
            let _ = writeln!(
                md,
                "| {name} ({}) | {} | {} | {} |",
                p.body,
                money(p.budget),
                thousands(p.patients),
                money(p.per_patient)
            );
        }
        let _ = writeln!(md);
    }
}

/// Kept pace against backfilled: the table of every year and view, and each year in words.
fn kept_pace(md: &mut String, schema: &Schema, a: &Analysis) {
    if !a.kept_pace.is_empty() {
        let (met, not_met) = &a.kept_pace_words;
        let (budget, against) = (
            field_name(schema, &a.kept_pace_fields.0),
            field_name(schema, &a.kept_pace_fields.1),
        );
        let _ = writeln!(md, "## {}\n", a.kept_pace_title);
        let _ = writeln!(
            md,
            "A body {met} in a year when its {budget} rose by at least the rise in its {against}. Rules: `year_on_year` compares each year with the year before; `baseline` compares it with the first year and counts all new money since. Percentages carry their 95% Wilson interval.\n"
        );
        let _ = writeln!(
            md,
            "| year | rule | classifiable | {met} | {not_met} | percent {met} | 95% interval |\n|---|---|---:|---:|---:|---:|---:|"
        );
        for l in &a.pace_lines {
            let (pct, ci) = percent_text(l.percent(), l.interval);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {pct} | {ci} |",
                l.year,
                l.label,
                l.total,
                l.kept,
                l.total - l.kept
            );
        }
        let _ = writeln!(md);
        for l in a
            .pace_lines
            .iter()
            .filter(|l| l.rule == a.kept_pace_rule && !l.sensitivity && l.total > 0)
        {
            let _ = writeln!(
                md,
                "In {}, under the `{}` rule, {} of {} classifiable bodies ({:.1}%) raised their {budget} by at least the new money they received; {} did not ({not_met}).\n",
                l.year,
                a.kept_pace_rule.as_str(),
                l.kept,
                l.total,
                l.percent().unwrap_or_default(),
                l.total - l.kept
            );
        }
    }
}

/// The per-head statistic by year.
fn per_head(md: &mut String, schema: &Schema, a: &Analysis) {
    if !a.per_head.is_empty() {
        let _ = writeln!(md, "## {}\n", per_head_title(a));
        let _ = writeln!(
            md,
            "{} divided by {} (from {}), for the bodies that gave a figure.\n",
            field_name(schema, &a.per_head_field),
            field_name(schema, &a.per_head_denominator),
            if matches!(
                a.per_head_denominator.as_str(),
                "registered_patients" | "population_0_17"
            ) {
                "the body register"
            } else {
                "the round's reference table"
            }
        );
        let _ = writeln!(
            md,
            "| year | bodies | lowest | median | highest |\n|---|---:|---:|---:|---:|"
        );
        for period in a.per_head.keys() {
            let k = |s: &str| {
                a.summary
                    .get(&format!("{}.{period}.{s}", a.per_head_key))
                    .and_then(|v| v.as_f64())
                    .unwrap_or(f64::NAN)
            };
            let _ = writeln!(
                md,
                "| {period} | {} | £{:.2} | £{:.2} | £{:.2} |",
                k("n"),
                k("min"),
                k("median"),
                k("max")
            );
        }
        let _ = writeln!(md);
    }
}

/// Published claims, reproduced or not.
fn claims(md: &mut String, a: &Analysis) {
    if !a.claims.is_empty() {
        let _ = writeln!(md, "## Published claims\n");
        for v in &a.claims {
            let _ = writeln!(md, "- {}", crate::analyse::claims::describe(v));
        }
        let _ = writeln!(md);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_keep_a_decimal_below_ten() {
        assert_eq!(fold(1.37), "1.4-fold");
        assert_eq!(fold(12.4), "12-fold");
        assert_eq!(thousands(46544.0), "46,544");
        assert_eq!(grouped(1058.75, 1), "1,058.8");
        assert_eq!(
            figure(FieldType::Number, Some(crate::schema::Unit::Weeks), 4.5),
            "4.5 weeks"
        );
    }

    #[test]
    fn articles_before_numbers_read_aloud() {
        for (n, a) in [
            (1, "a"),
            (8, "an"),
            (11, "an"),
            (18, "an"),
            (45, "a"),
            (80, "an"),
            (110, "a"),
            (11_000, "an"),
            (180, "a"),
        ] {
            assert_eq!(article(n), a, "{n}");
        }
    }
}
