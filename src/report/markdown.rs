//! `report.md`: the statistics in sentences a researcher could paste, each with its denominator.

use crate::analyse::Analysis;
use crate::observation::Observation;
use crate::register::Register;
use crate::validate::Reply;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Pounds as a researcher writes them: "£1,234,567", "-£12".
pub(super) fn money(x: f64) -> String {
    let whole = x.round() as i64;
    let s = whole.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}£{out}", if whole < 0 { "-" } else { "" })
}

pub fn render(title: &str, observations: &[Observation], register: &Register, replies: &BTreeMap<String, Reply>, a: &Analysis) -> String {
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
        let _ = writeln!(md, "## Yes/no questions\n\nEach percentage is of the bodies that answered that question.\n");
        let _ = writeln!(md, "| question | yes | answered | percent |\n|---|---:|---:|---:|");
        for s in &a.yes_shares {
            let pct = if s.answered > 0 { format!("{:.1}%", 100.0 * s.yes as f64 / s.answered as f64) } else { "n/a".into() };
            let _ = writeln!(md, "| {} | {} | {} | {pct} |", s.field, s.yes, s.answered);
        }
        let _ = writeln!(md);
    }
    if !a.per_patient.is_empty() {
        let mut v: Vec<f64> = a.per_patient.iter().map(|p| p.per_patient).collect();
        v.sort_by(f64::total_cmp);
        let (min, max) = (v[0], v[v.len() - 1]);
        let _ = writeln!(md, "## Budget per patient\n");
        let _ = writeln!(
            md,
            "{} bodies gave both a budget and a patient count. The budget per patient ranged from {} to {} (median {}){}.\n",
            v.len(),
            money(min),
            money(max),
            money(a.summary.get("palliative.per_patient.median").and_then(|x| x.as_f64()).unwrap_or(f64::NAN)),
            if min > 0.0 { format!(", a {:.0}-fold difference", max / min) } else { String::new() }
        );
        let _ = writeln!(md, "| body | budget | patients | per patient |\n|---|---:|---:|---:|");
        for p in &a.per_patient {
            let name = register.get(&p.body).map(|b| b.name.as_str()).unwrap_or(&p.body);
            let _ = writeln!(md, "| {name} ({}) | {} | {} | {} |", p.body, money(p.budget), p.patients, money(p.per_patient));
        }
        let _ = writeln!(md);
    }
    if !a.kept_pace.is_empty() {
        let _ = writeln!(md, "## Did CAMHS budgets keep pace with new money?\n");
        let mut years: Vec<&str> = a.kept_pace.iter().map(|k| k.year.as_str()).collect();
        years.dedup();
        for y in years {
            let rows: Vec<_> = a.kept_pace.iter().filter(|k| k.year == y && k.rule == crate::analyse::PaceRule::YearOnYear).collect();
            if rows.is_empty() {
                continue;
            }
            let kept = rows.iter().filter(|k| k.kept_pace).count();
            let _ = writeln!(
                md,
                "In {y}, {kept} of {} classifiable bodies ({:.1}%) raised their CAMHS budget by at least the new money they received; {} did not (backfilling).\n",
                rows.len(),
                100.0 * kept as f64 / rows.len() as f64,
                rows.len() - kept
            );
        }
    }
    if !a.claims.is_empty() {
        let _ = writeln!(md, "## Published claims\n");
        for v in &a.claims {
            let _ = writeln!(md, "- {}", crate::analyse::claims::describe(v));
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "Every figure above can be traced to its file and cell in `responses.csv`.");
    let _ = replies;
    md
}
