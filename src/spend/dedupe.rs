//! Re-published copies: the same payment line in more than one file of a body (a month also
//! inside a quarter file, a month re-published with corrections). The copy in the most
//! recently published file is kept, the others point at it. Publication order comes from the
//! files themselves: a file whose name marks a correction (`v2`, `REVISED`, `amended`,
//! `corrected`, `UPDATED`, or `-1` beside the same name without it) supersedes the original;
//! a file covering later months, or more months ending in the same month (a quarter), comes
//! after a month published alone.

use super::read::{RowStatus, SpendRow};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\bv(\d{1,2})\b|\b(revised|amended|corrected|updated|correction|reissued|final)\b)",
    )
    .unwrap()
});
static SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*\S)\s*[-_(]\s*(\d)\)?$").unwrap());

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// How many times a file says it was re-issued: 0 for an original. `siblings` are the stems of
/// the other files in the same folder (a `-1` suffix counts only beside the name without it).
pub fn correction_level(path: &str, siblings: &BTreeSet<String>) -> u32 {
    let s = stem(path);
    let mut level = 0;
    for c in MARK.captures_iter(s) {
        level += match c.get(1) {
            Some(v) => v.as_str().parse::<u32>().unwrap_or(2).saturating_sub(1),
            None => 1,
        };
    }
    if let Some(c) = SUFFIX.captures(s) {
        let base = c[1].trim_end_matches([' ', '-', '_']).to_owned();
        if siblings.contains(&base) || siblings.iter().any(|o| o.trim() == base.trim()) {
            level += c[2].parse::<u32>().unwrap_or(1);
        }
    }
    level
}

/// A file's place in publication order: the latest month it covers, then its corrections,
/// then how many months it covers, then its path (for a stable order).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Publication {
    pub last_month: String,
    pub correction: u32,
    pub months: usize,
    pub path: String,
}

/// Publication order of every file of one body: path -> its place.
pub fn publication_order(rows: &[&SpendRow], files: &[String]) -> BTreeMap<String, Publication> {
    let mut months: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for r in rows {
        if let Some(d) = r.date
            && matches!(r.status, RowStatus::Kept | RowStatus::Duplicate)
        {
            months.entry(r.file.as_str()).or_default().insert(d.month());
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        let folder = f.rsplit_once('/').map_or("", |(d, _)| d);
        let siblings: BTreeSet<String> = files
            .iter()
            .filter(|o| *o != f && o.rsplit_once('/').map_or("", |(d, _)| d) == folder)
            .map(|o| stem(o).to_owned())
            .collect();
        let m = months.get(f.as_str());
        out.insert(
            f.clone(),
            Publication {
                last_month: m
                    .and_then(|m| m.iter().next_back().cloned())
                    .unwrap_or_default(),
                correction: correction_level(f, &siblings),
                months: m.map_or(0, |m| m.len()),
                path: f.clone(),
            },
        );
    }
    out
}

/// The identity of a payment line: its transaction number and date (or, without a number, its
/// date, amount and supplier), and which line of that transaction it is in its file.
/// (transaction number, date, amount in pence, supplier key): the first two, or the last three.
type Identity = (String, String, String, String);

fn identity(r: &SpendRow, supplier_key: &str) -> Identity {
    let date = r.date.map(|d| d.iso()).unwrap_or_default();
    let id = r.transaction_id.trim().to_uppercase();
    let id = id.strip_suffix(".0").map(str::to_owned).unwrap_or(id);
    if id.is_empty() {
        let pence = r
            .amount
            .map(|a| format!("{}", (a * 100.0).round() as i64))
            .unwrap_or_default();
        (String::new(), date, pence, supplier_key.to_owned())
    } else {
        (id, date, String::new(), String::new())
    }
}

/// Mark duplicates among one body's rows (`indices` into `rows`): returns, for each duplicate,
/// the index of the row it repeats.
pub fn mark(
    rows: &mut [SpendRow],
    indices: &[usize],
    keys: &[String],
    order: &BTreeMap<String, Publication>,
) -> BTreeMap<usize, usize> {
    // identity + occurrence within its file -> the rows (one per file)
    let mut groups: BTreeMap<(Identity, usize), Vec<usize>> = BTreeMap::new();
    let mut seen: BTreeMap<(String, Identity), usize> = BTreeMap::new();
    for &i in indices {
        let r = &rows[i];
        if r.status != RowStatus::Kept {
            continue;
        }
        let id = identity(r, &keys[i]);
        let n = seen.entry((r.file.clone(), id.clone())).or_default();
        groups.entry((id, *n)).or_default().push(i);
        *n += 1;
    }
    let mut dup_of = BTreeMap::new();
    for members in groups.values() {
        if members.len() < 2 {
            continue;
        }
        let Some(&winner) = members
            .iter()
            .max_by(|&&a, &&b| order.get(&rows[a].file).cmp(&order.get(&rows[b].file)))
        else {
            continue;
        };
        for &m in members {
            if m != winner && rows[m].file != rows[winner].file {
                rows[m].status = RowStatus::Duplicate;
                dup_of.insert(m, winner);
            }
        }
    }
    // A line without a transaction number whose correction changed its amount or its supplier
    // is no longer the same identity: pair what is left alone by date, then by the amount or the
    // supplier it still shares, the later file's copy kept.
    let mut lone: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for members in groups.values() {
        if let [i] = members.as_slice()
            && rows[*i].transaction_id.trim().is_empty()
            && let Some(d) = rows[*i].date
        {
            lone.entry(d.iso()).or_default().push(*i);
        }
    }
    for mut members in lone.into_values() {
        members.sort_by(|&a, &b| {
            order
                .get(&rows[b].file)
                .cmp(&order.get(&rows[a].file))
                .then(a.cmp(&b))
        });
        let mut used = BTreeSet::new();
        for (n, &winner) in members.iter().enumerate() {
            if used.contains(&winner) {
                continue;
            }
            let mut files_done = BTreeSet::from([rows[winner].file.clone()]);
            for &m in &members[n + 1..] {
                if used.contains(&m)
                    || files_done.contains(&rows[m].file)
                    || order.get(&rows[m].file) >= order.get(&rows[winner].file)
                {
                    continue;
                }
                let same_amount = rows[m].amount.is_some() && rows[m].amount == rows[winner].amount;
                if same_amount || (!keys[m].is_empty() && keys[m] == keys[winner]) {
                    rows[m].status = RowStatus::Duplicate;
                    dup_of.insert(m, winner);
                    used.insert(m);
                    files_done.insert(rows[m].file.clone());
                }
            }
        }
    }
    dup_of
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sib(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn corrections_are_read_from_file_names() {
        let none = BTreeSet::new();
        assert_eq!(
            correction_level("p/BCCG_Spend_Over_25k_2016-05 v2.csv", &none),
            1
        );
        assert_eq!(
            correction_level("p/Spend over £25k February 2017 - REVISED.csv", &none),
            1
        );
        assert_eq!(
            correction_level(
                "p/Calderdale CCG 25k Expenditure April 2015 UPDATED.xls",
                &none
            ),
            1
        );
        assert_eq!(
            correction_level("p/Expenditure over 25k - Oct-15 corrected.xls", &none),
            1
        );
        assert_eq!(correction_level("p/Report (amended).csv", &none), 1);
        assert_eq!(
            correction_level("p/BCCG_Spend_Over_25k_2016-05.csv", &none),
            0
        );
        // `-1` is a re-issue only beside the same name without it; `2015-04` is a month.
        assert_eq!(
            correction_level("p/report-may-2015-1.csv", &sib(&["report-may-2015"])),
            1
        );
        assert_eq!(
            correction_level("p/Havering Dec 2016-1.csv", &sib(&["Havering Dec 2016"])),
            1
        );
        assert_eq!(correction_level("p/report-may-2015-1.csv", &none), 0);
        assert_eq!(
            correction_level(
                "p/BCCG_Spend_Over_25k_2015-04.csv",
                &sib(&["BCCG_Spend_Over_25k_2015-0"])
            ),
            0
        );
    }

    fn payment(file: &str, day: u32, supplier: &str, amount: f64) -> SpendRow {
        SpendRow {
            file: file.into(),
            sheet: None,
            row: 2,
            status: RowStatus::Kept,
            date: crate::spend::value::Date::new(2015, 5, day),
            expense_type: String::new(),
            expense_area: String::new(),
            supplier: supplier.into(),
            amount: Some(amount),
            transaction_id: String::new(),
            entity: String::new(),
            raw: String::new(),
            label: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn a_corrected_line_without_a_number_is_still_its_copy() {
        let mut rows = vec![
            payment("p/May 2015.csv", 3, "Trinity Hospice", 120000.0),
            payment("p/May 2015.csv", 4, "Acme Ltd", 30000.0),
            payment("p/May 2015 v2.csv", 3, "Trinity Hospice", 102000.0),
            payment("p/May 2015 v2.csv", 4, "Acme Ltd", 30000.0),
            payment("p/May 2015 v2.csv", 5, "New Line Ltd", 40000.0),
        ];
        let keys: Vec<String> = rows.iter().map(|r| r.supplier.to_lowercase()).collect();
        let files = vec!["p/May 2015 v2.csv".to_owned(), "p/May 2015.csv".to_owned()];
        let order = publication_order(&rows.iter().collect::<Vec<_>>(), &files);
        let dups = mark(&mut rows, &[0, 1, 2, 3, 4], &keys, &order);
        assert_eq!(dups, BTreeMap::from([(0, 2), (1, 3)]));
        assert_eq!(rows[2].status, RowStatus::Kept);
        assert_eq!(rows[4].status, RowStatus::Kept);
    }

    #[test]
    fn quarter_comes_after_a_month_and_correction_after_original() {
        let p = |m: &str, c: u32, n: usize| Publication {
            last_month: m.into(),
            correction: c,
            months: n,
            path: String::new(),
        };
        assert!(p("2015-12", 0, 3) > p("2015-12", 0, 1));
        assert!(p("2015-12", 0, 3) > p("2015-11", 0, 1));
        assert!(p("2016-05", 1, 1) > p("2016-05", 0, 1));
    }
}
