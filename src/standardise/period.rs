//! Financial years as replies write them ("2015/16", "15/16", "FY2015-16", "April 2015 - March
//! 2016", "Outturn 15/16") turned into the one key the project uses: "2015-16".

use regex::Regex;
use std::sync::LazyLock;

static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:april|apr)\.?\s+(20\d\d)\s*(?:(?:-|–|—|to)\s*)?(?:march|mar)\.?\s+(20\d\d)\b",
    )
    .unwrap()
});
/// A calendar date ("2016-05-06", "05/06/2016", "5.6.16"): its parts are never a financial year.
static CALENDAR_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})\b").unwrap()
});
static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\d.,£$])(?:fy\s*)?((?:20)?\d\d)\s*(?:/|-|–|—)\s*((?:20)?\d\d)(?:$|[^\d/\-])",
    )
    .unwrap()
});

/// The key for the financial year starting in April of `start` (2015 -> "2015-16").
pub fn key(start: u32) -> String {
    format!("{start}-{:02}", (start + 1) % 100)
}

fn full_year(s: &str) -> Option<u32> {
    let n: u32 = s.parse().ok()?;
    match s.len() {
        2 => Some(2000 + n),
        4 if (2000..2100).contains(&n) => Some(n),
        _ => None,
    }
}

/// Every financial year written in `text`, in order of appearance, without repeats.
pub fn periods_in(text: &str) -> Vec<String> {
    // Dates blanked out (same length, so positions keep their order).
    let blanked = CALENDAR_DATE.replace_all(text, |c: &regex::Captures| " ".repeat(c[0].len()));
    let text: &str = &blanked;
    let mut out: Vec<(usize, String)> = Vec::new();
    for c in MONTHS.captures_iter(text) {
        if let (Some(a), Some(b)) = (full_year(&c[1]), full_year(&c[2]))
            && b == a + 1
        {
            out.push((c.get(0).map_or(0, |m| m.start()), key(a)));
        }
    }
    for c in PAIR.captures_iter(text) {
        if let (Some(a), Some(b)) = (full_year(&c[1]), full_year(&c[2])) {
            // The second year must follow the first: "2016-06" in a date is not a year.
            if b == a + 1 {
                out.push((c.get(1).map_or(0, |m| m.start()), key(a)));
            }
        }
    }
    out.sort();
    let mut keys: Vec<String> = Vec::new();
    for (_, k) in out {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_financial_year_gives_one_key() {
        for s in [
            "2015/16",
            "2015-16",
            "15/16",
            "FY2015-16",
            "FY 15/16",
            "April 2015 - March 2016",
            "Outturn 15/16",
            "2015-2016",
            "budget in 2015/16?",
            "Apr 2015 to Mar 2016",
        ] {
            assert_eq!(periods_in(s), vec!["2015-16".to_string()], "{s}");
        }
    }

    #[test]
    fn dates_money_and_hours_are_not_years() {
        for s in [
            "2016-06-14",
            "£4.7m-£6.1m",
            "9-5",
            "24/7",
            "1,200 and 1,800",
            "£40-50k",
            "10/12/2016",
            "11/12/2016",
        ] {
            assert!(periods_in(s).is_empty(), "{s}: {:?}", periods_in(s));
        }
    }

    #[test]
    fn several_years_keep_their_order() {
        assert_eq!(
            periods_in("in each of (a) 2014/15, (b) 2015/16"),
            vec!["2014-15", "2015-16"]
        );
    }
}
