//! `report.md`: the statistics in sentences a researcher could paste, each with its denominator.

use crate::analyse::Analysis;
use crate::observation::Observation;
use crate::register::Register;
use std::fmt::Write;

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

/// "Spend per child" from the per-head key `camhs.spend_per_child`.
pub(super) fn per_head_title(a: &Analysis) -> String {
    let what = a.per_head_key.rsplit('.').next().filter(|w| !w.is_empty()).unwrap_or("per head").replace('_', " ");
    let mut c = what.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// "45.5%" and "34.8–56.5%", or "n/a" where nobody answered.
pub(super) fn percent_and_interval(k: u32, n: u32) -> (String, String) {
    match crate::analyse::wilson(k, n) {
        Some((lo, hi)) => (format!("{:.1}%", 100.0 * k as f64 / n as f64), format!("{lo:.1}–{hi:.1}%")),
        None => ("n/a".into(), String::new()),
    }
}

/// "a" or "an" before a number as it is read aloud: "an 8-fold", "an 11-fold", "a 45-fold".
fn article(n: u64) -> &'static str {
    let digits = n.to_string();
    let eleven_or_eighteen = (digits.starts_with("11") || digits.starts_with("18")) && digits.len() % 3 == 2;
    if digits.starts_with('8') || eleven_or_eighteen { "an" } else { "a" }
}

/// The kept-pace rows of one year under each view: both rules, and the default rule without the
/// bodies that have an `unclear` value (the sensitivity line). Each with its label and the part
/// of its summary key after the year (`camhs.2015-16.<part>.percent_kept_pace`).
pub(super) fn pace_views<'a>(a: &'a Analysis, year: &str) -> Vec<(&'static str, &'static str, Vec<&'a crate::analyse::KeptPace>)> {
    use crate::analyse::PaceRule;
    let of = |rule: PaceRule, clean: bool| -> Vec<&crate::analyse::KeptPace> {
        a.kept_pace.iter().filter(|k| k.year == year && k.rule == rule && !(clean && k.has_unclear)).collect()
    };
    let sensitivity = match a.kept_pace_rule {
        PaceRule::YearOnYear => "year_on_year, leaving out bodies with any unclear value",
        PaceRule::Baseline => "baseline, leaving out bodies with any unclear value",
    };
    vec![
        ("year_on_year", "year_on_year", of(PaceRule::YearOnYear, false)),
        ("baseline", "baseline", of(PaceRule::Baseline, false)),
        (sensitivity, "excluding_unclear", of(a.kept_pace_rule, true)),
    ]
}

pub fn render(title: &str, observations: &[Observation], register: &Register, a: &Analysis) -> String {
    let mut md = String::new();
    let n = |k: &str| a.summary.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
    let _ = writeln!(md, "# {title}\n");
    let _ = writeln!(md, "## Replies\n");
    let _ = writeln!(
        md,
        "Of {} bodies surveyed, {} replied: {} in full, {} in part, {} refused the whole request, {} said they held none of the information; {} did not reply.\n",
        n("bodies.contacted"),
        n("bodies.replied"),
        n("replies.full"),
        n("replies.partial"),
        n("replies.refused"),
        n("replies.not_held"),
        n("replies.no_response")
    );
    let flagged = observations.iter().filter(|o| o.status == crate::observation::Status::Unclear).count();
    let _ = writeln!(md, "{flagged} answers are marked `unclear` and listed in `issues.csv` for a person to resolve; they are left out of every statistic below.\n");
    if !a.yes_shares.is_empty() {
        let _ = writeln!(md, "## Yes/no questions\n\nEach percentage is of the bodies that answered that question, with its 95% Wilson interval.\n");
        let _ = writeln!(md, "| question | yes | answered | percent | 95% interval |\n|---|---:|---:|---:|---:|");
        for s in &a.yes_shares {
            let (pct, ci) = percent_and_interval(s.yes, s.answered);
            let _ = writeln!(md, "| {} | {} | {} | {pct} | {ci} |", s.field, s.yes, s.answered);
        }
        let _ = writeln!(md);
    }
    if !a.per_patient.is_empty() {
        let mut v: Vec<f64> = a.per_patient.iter().map(|p| p.per_patient).collect();
        v.sort_by(f64::total_cmp);
        let (min, max) = (v[0], v[v.len() - 1]);
        let stat = |k: &str| a.summary.get(&format!("{}.{k}", a.per_patient_key)).and_then(|x| x.as_f64()).unwrap_or(f64::NAN);
        let _ = writeln!(md, "## Budget per patient\n");
        if v.len() == 1 {
            let _ = writeln!(md, "1 body gave both a budget and a patient count: {} per patient.\n", money(min));
        } else {
            let _ = writeln!(
                md,
                "{} bodies gave both a budget and a patient count. The budget per patient ranged from {} to {} (lower quartile {}, median {}, upper quartile {}){}.\n",
                v.len(),
                money(min),
                money(max),
                money(stat("q1")),
                money(stat("median")),
                money(stat("q3")),
                if min > 0.0 {
                    let fold = (max / min).round() as u64;
                    format!(", {} {fold}-fold difference between the highest and the lowest", article(fold))
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(md, "| body | budget | patients | per patient |\n|---|---:|---:|---:|");
        for p in &a.per_patient {
            let name = register.get(&p.body).map(|b| b.name.as_str()).unwrap_or(&p.body);
            let _ = writeln!(md, "| {name} ({}) | {} | {} | {} |", p.body, money(p.budget), p.patients, money(p.per_patient));
        }
        let _ = writeln!(md);
    }
    if !a.kept_pace.is_empty() {
        let _ = writeln!(md, "## Did CAMHS budgets keep pace with new money?\n");
        let _ = writeln!(
            md,
            "A body kept pace in a year when its budget rose by at least the new money it received. Rules (SPEC.md): `year_on_year` compares each year with the year before; `baseline` compares it with the first year and counts all new money since. Percentages carry their 95% Wilson interval.\n"
        );
        let _ = writeln!(md, "| year | rule | classifiable | kept pace | backfilled | percent kept pace | 95% interval |\n|---|---|---:|---:|---:|---:|---:|");
        let mut years: Vec<&str> = a.kept_pace.iter().map(|k| k.year.as_str()).collect();
        years.dedup();
        for y in &years {
            for (label, _, rows) in pace_views(a, y) {
                let kept = rows.iter().filter(|k| k.kept_pace).count() as u32;
                let total = rows.len() as u32;
                let (pct, ci) = percent_and_interval(kept, total);
                let _ = writeln!(md, "| {y} | {label} | {total} | {kept} | {} | {pct} | {ci} |", total - kept);
            }
        }
        let _ = writeln!(md);
        for y in &years {
            let rows: Vec<_> = a.kept_pace.iter().filter(|k| k.year == *y && k.rule == a.kept_pace_rule).collect();
            if rows.is_empty() {
                continue;
            }
            let kept = rows.iter().filter(|k| k.kept_pace).count();
            let _ = writeln!(
                md,
                "In {y}, under the `{}` rule, {kept} of {} classifiable bodies ({:.1}%) raised their CAMHS budget by at least the new money they received; {} did not (backfilling).\n",
                a.kept_pace_rule.as_str(),
                rows.len(),
                100.0 * kept as f64 / rows.len() as f64,
                rows.len() - kept
            );
        }
    }
    if !a.per_head.is_empty() {
        let _ = writeln!(md, "## {}\n", per_head_title(a));
        let _ = writeln!(
            md,
            "`{}` divided by `{}` (from {}), for the bodies that gave a figure.\n",
            a.per_head_field,
            a.per_head_denominator,
            if matches!(a.per_head_denominator.as_str(), "registered_patients" | "population_0_17") { "the body register" } else { "the round's reference table" }
        );
        let _ = writeln!(md, "| year | bodies | lowest | median | highest |\n|---|---:|---:|---:|---:|");
        for period in a.per_head.keys() {
            let k = |s: &str| a.summary.get(&format!("{}.{period}.{s}", a.per_head_key)).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
            let _ = writeln!(md, "| {period} | {} | £{:.2} | £{:.2} | £{:.2} |", k("n"), k("min"), k("median"), k("max"));
        }
        let _ = writeln!(md);
    }
    if !a.claims.is_empty() {
        let _ = writeln!(md, "## Published claims\n");
        for v in &a.claims {
            let _ = writeln!(md, "- {}", crate::analyse::claims::describe(v));
        }
        let _ = writeln!(md);
    }
    md.push_str(&super::official::markdown(a, register));
    let _ = writeln!(md, "Every figure above can be traced to its file and cell in `responses.csv`.");
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_before_numbers_read_aloud() {
        for (n, a) in [(1, "a"), (8, "an"), (11, "an"), (18, "an"), (45, "a"), (80, "an"), (110, "a"), (11_000, "an"), (180, "a")] {
            assert_eq!(article(n), a, "{n}");
        }
    }
}
