//! Dates and amounts as transparency files write them: text in a dozen date styles, Excel
//! serial numbers (as numbers in a sheet, as text in a CSV), amounts with `£`, commas,
//! trailing spaces, and credits as `-1,200.00`, `(1,200.00)` or `-£1,200.00`.

use crate::ingest::Cell;
use regex::Regex;
use std::sync::LazyLock;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Date {
    pub fn new(y: i32, m: u32, d: u32) -> Option<Date> {
        let days = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        ((1900..=2100).contains(&y) && (1..=days).contains(&d)).then_some(Date { y, m, d })
    }

    /// An Excel serial date (1900 system: day 1 is 1900-01-01, serials count the phantom
    /// 1900-02-29, so day 0 is 1899-12-30 for every serial after February 1900).
    pub fn from_serial(serial: f64) -> Option<Date> {
        if !(20000.0..=80000.0).contains(&serial) {
            return None;
        }
        // Days from 1970-01-01, then the civil date (Howard Hinnant's algorithm).
        let z = serial.floor() as i64 - 25569 + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        Date::new(y, m, d)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// `2015-04`.
    pub fn month(&self) -> String {
        format!("{:04}-{:02}", self.y, self.m)
    }

    /// The financial year (April to March): `2015-16`.
    pub fn fy(&self) -> String {
        let start = if self.m >= 4 { self.y } else { self.y - 1 };
        format!("{start}-{:02}", (start + 1) % 100)
    }
}

/// A month name or its first three letters: 1..=12.
pub fn month_number(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let w = word.to_lowercase();
    let w = if w == "sept" { "sep".to_owned() } else { w };
    if w.len() < 3 {
        return None;
    }
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    NAMES
        .iter()
        .zip(FULL)
        .position(|(short, full)| w == *short || (w.len() > 3 && full.starts_with(w.as_str())))
        .map(|i| i as u32 + 1)
}

fn year(s: &str) -> Option<i32> {
    let n: i32 = s.parse().ok()?;
    match s.len() {
        2 => Some(2000 + n),
        4 => Some(n),
        _ => None,
    }
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
        .unwrap()
});
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
        .unwrap()
});
static DMONY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$").unwrap()
});
static SERIAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{5}(?:\.\d+)?$").unwrap());

/// A date cell in any of the styles transparency files use; day before month where both are
/// numbers (UK practice). `None` when the cell is not a date.
pub fn parse_date(cell: &Cell) -> Option<Date> {
    match cell {
        Cell::Number(n) => Date::from_serial(*n),
        // A doubtful OCR reading is no date to count by.
        Cell::Empty | Cell::Illegible { .. } => None,
        Cell::Text(t) => parse_date_text(t.trim()),
    }
}

pub fn parse_date_text(t: &str) -> Option<Date> {
    if let Some(c) = ISO.captures(t) {
        return Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = DMY.captures(t) {
        if c[2] != c[4] {
            return None;
        }
        return Date::new(year(&c[5])?, c[3].parse().ok()?, c[1].parse().ok()?);
    }
    if let Some(c) = DMONY.captures(t) {
        return Date::new(year(&c[3])?, month_number(&c[2])?, c[1].parse().ok()?);
    }
    if SERIAL.is_match(t) {
        return Date::from_serial(t.parse().ok()?);
    }
    None
}

static LEDGER_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\()?(-)?(£)?(-)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\))?(-)?$").unwrap()
});

/// An amount in pounds, rounded to the penny; credits negative. `None` when the cell is not an
/// amount (text, a blank, a sign alone).
pub fn cell_amount(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) if n.is_finite() => Some((n * 100.0).round() / 100.0),
        Cell::Text(t) => text_amount(t),
        _ => None,
    }
}

pub fn text_amount(t: &str) -> Option<f64> {
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let c = LEDGER_AMOUNT.captures(&squeezed)?;
    let open = c.get(1).is_some();
    let close = c.get(7).is_some();
    if open != close {
        return None;
    }
    let minus = [2, 4, 8].iter().filter(|&&i| c.get(i).is_some()).count();
    if minus > 1 {
        return None;
    }
    let digits = c[5].replace(',', "");
    let number: f64 = format!("{digits}{}", c.get(6).map_or("", |m| m.as_str()))
        .parse()
        .ok()?;
    let signed = if open || minus == 1 { -number } else { number };
    Some((signed * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_date(&Cell::Text(s.into())).map(|d| d.iso())
    }

    #[test]
    fn dates_in_every_style() {
        for s in [
            "01/04/2015",
            "1/4/2015 00:00",
            "1/4/2015 00:00:00",
            "2015-04-01",
            "2015-04-01 00:00:00",
            "2015-04-01T00:00:00",
            "2015/04/01",
            "01-Apr-15",
            "1-Apr-2015",
            "01.04.2015",
            "1 April 2015",
            "42095",
            "42095.0",
        ] {
            assert_eq!(d(s).as_deref(), Some("2015-04-01"), "{s}");
        }
        assert_eq!(
            parse_date(&Cell::Number(42460.0))
                .map(|d| d.iso())
                .as_deref(),
            Some("2016-03-31")
        );
        assert_eq!(d("Total"), None);
        assert_eq!(d("31/02/2016"), None);
        assert_eq!(d("01/04-2015"), None);
        assert_eq!(d("123"), None);
    }

    #[test]
    fn financial_year_of_a_date() {
        assert_eq!(Date::new(2016, 3, 31).unwrap().fy(), "2015-16");
        assert_eq!(Date::new(2016, 4, 1).unwrap().fy(), "2016-17");
        assert_eq!(Date::new(1999, 4, 1).unwrap().fy(), "1999-00");
    }

    #[test]
    fn amounts_as_written() {
        let a = |s: &str| cell_amount(&Cell::Text(s.into()));
        assert_eq!(a("25100.5"), Some(25100.5));
        assert_eq!(a("25,100.50"), Some(25100.5));
        assert_eq!(a("£25,100.50"), Some(25100.5));
        assert_eq!(a("25,100.50 "), Some(25100.5));
        assert_eq!(a("25,101"), Some(25101.0));
        assert_eq!(a("-1,200.00"), Some(-1200.0));
        assert_eq!(a("(1,200.00)"), Some(-1200.0));
        assert_eq!(a("-£1,200.00"), Some(-1200.0));
        assert_eq!(a("£-1,200.00"), Some(-1200.0));
        assert_eq!(a("(1,200.00"), None);
        assert_eq!(a("Total"), None);
        assert_eq!(a("--5"), None);
        assert_eq!(cell_amount(&Cell::Number(25100.499999)), Some(25100.5));
    }
}
