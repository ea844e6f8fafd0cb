//! Amounts as replies write them ("£1,234,567.00", "£1.23m", "£1.2 million", "1,235k",
//! "c. £50,000", "45,000*", "(1,234)") turned into pounds; ranges are refused, never averaged.

use regex::Regex;
use std::sync::LazyLock;

/// A number read from text, before any "£000s" heading scales it.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub value: f64,
    /// The text carried its own unit (m, k, million): a heading's scale must not apply again.
    pub own_unit: bool,
    /// Written as an estimate ("approx", "c.").
    pub approx: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AmountError {
    /// No number in the text.
    NotANumber,
    /// Text a careful person could not turn into one number (a range, two numbers).
    Unclear(String),
}

static APPROX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:c\.?|ca\.?|circa|approx\.?|approximately|around|about|roughly|est\.?|estimated|an?\s+estimated)\s*[:\-]?\s*").unwrap()
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<neg>[-−–]\s*)?£?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>bn|billion|million|mn|m|k|thousand|000s)?\b").unwrap()
});
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\d\s*(?:k|m|million)?\s*(?:-|–|—|to)\s*£?\s*\d|\bbetween\b.*\d.*\band\b.*\d")
        .unwrap()
});
/// Words allowed around a number without making it doubtful.
static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:gbp|pounds?|sterling|per\s+annum|p\.?a\.?|total|budget|outturn|provisional|forecast|actual|plan(?:ned)?|recurrent)\b|[£*†‡§¹²³:;.,()\s\[\]]").unwrap()
});

fn unit_factor(unit: &str) -> f64 {
    match unit.to_lowercase().as_str() {
        "bn" | "billion" => 1e9,
        "million" | "mn" | "m" => 1e6,
        "k" | "thousand" | "000s" => 1e3,
        _ => 1.0,
    }
}

/// Parse one amount of money (or a count) from a cell or a phrase.
pub fn parse_amount(text: &str) -> Result<Amount, AmountError> {
    let trimmed = text.trim();
    let approx = APPROX.is_match(trimmed);
    let body = APPROX.replace(trimmed, "");
    let body = body.trim();
    // "(1,234)" is a negative adjustment line; "(0.1 million)" too.
    let (body, paren_negative) = match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) if NUMBER.is_match(inner) && !inner.contains('(') => (inner.trim(), true),
        _ => (body, false),
    };
    if RANGE.is_match(body) {
        return Err(AmountError::Unclear(format!(
            "a range, not one figure: \"{trimmed}\""
        )));
    }
    let numbers: Vec<_> = NUMBER.captures_iter(body).collect();
    let Some(c) = numbers.first() else {
        return Err(AmountError::NotANumber);
    };
    if numbers.len() > 1 {
        return Err(AmountError::Unclear(format!(
            "more than one figure: \"{trimmed}\""
        )));
    }
    let whole = c.get(0).map_or("", |m| m.as_str());
    let rest = body.replacen(whole, " ", 1);
    if !NOISE.replace_all(&rest, "").trim().is_empty() {
        return Err(AmountError::Unclear(format!(
            "a figure with words around it: \"{trimmed}\""
        )));
    }
    let Ok(mut value) = c["num"].replace(',', "").parse::<f64>() else {
        return Err(AmountError::NotANumber);
    };
    let unit = c.name("unit").map(|m| m.as_str()).unwrap_or("");
    value *= unit_factor(unit);
    if c.name("neg").is_some() || paren_negative {
        value = -value;
    }
    Ok(Amount {
        value,
        own_unit: !unit.is_empty(),
        approx,
    })
}

/// A scale written in a heading or note: "£000s", "(£000)", "£'000", "£k", "£m", "in thousands".
static SCALE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)£\s*'?000s?\b|\(\s*£?\s*'?000s?\s*\)|£\s*k\b|\bgbp\s*'?000s?|\bin\s+thousands\b|\b(?:£\s*)?thousands\s+of\s+pounds|£\s*(?:m|mn|millions?)\b|\bin\s+millions\b|^\s*'?000s?\s*$").unwrap()
});

/// `text` without its scale ("CAMHS budget (£'000)" -> "CAMHS budget ()"): what it names.
pub fn without_scale(text: &str) -> std::borrow::Cow<'_, str> {
    SCALE.replace_all(text, "")
}

/// The multiplier of the scale written in a heading or note (see [`SCALE`]).
pub fn heading_scale(text: &str) -> Option<f64> {
    let m = SCALE.find(text)?;
    let s = m.as_str().to_lowercase();
    Some(if s.contains('m') && !s.contains("000") {
        1e6
    } else {
        1e3
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> f64 {
        parse_amount(s)
            .unwrap_or_else(|e| panic!("{s}: {e:?}"))
            .value
    }

    #[test]
    fn the_spellings_of_money_in_replies() {
        assert_eq!(v("1234567"), 1234567.0);
        assert_eq!(v("£1,234,567.00"), 1234567.0);
        assert_eq!(v("£1.23m"), 1230000.0);
        assert_eq!(v("£1.2 million"), 1200000.0);
        assert_eq!(v("1,235k"), 1235000.0);
        assert_eq!(v("c. £50,000"), 50000.0);
        assert_eq!(v("approx £500,000"), 500000.0);
        assert_eq!(v("45,000*"), 45000.0);
        assert_eq!(v("(1,234)"), -1234.0);
        assert_eq!(v("(0.1 million)"), -100000.0);
        assert_eq!(v("£3,890,622.70"), 3890622.70);
        assert_eq!(v("0"), 0.0);
        assert!(parse_amount("approx £500,000").unwrap().approx);
        assert!(parse_amount("£1.2m").unwrap().own_unit);
    }

    #[test]
    fn ranges_and_two_figures_are_unclear_not_averaged() {
        for s in [
            "£40-50k",
            "£4.7m-£6.1m",
            "Between 1,200 and 1,800",
            "£1m to £2m",
            "£1.2m in 15/16 and £1.3m in 16/17",
        ] {
            assert!(
                matches!(parse_amount(s), Err(AmountError::Unclear(_))),
                "{s}: {:?}",
                parse_amount(s)
            );
        }
    }

    #[test]
    fn words_are_not_numbers() {
        assert_eq!(parse_amount("Not held"), Err(AmountError::NotANumber));
    }

    #[test]
    fn headings_that_scale_the_cells_under_them() {
        assert_eq!(
            heading_scale("Total mental health 2014/15 (£000s)"),
            Some(1e3)
        );
        assert_eq!(heading_scale("£000"), Some(1e3));
        assert_eq!(heading_scale("Budget (£k)"), Some(1e3));
        assert_eq!(heading_scale("All figures in £m"), Some(1e6));
        assert_eq!(heading_scale("Total mental health 2014/15"), None);
        assert_eq!(heading_scale("£1,000 limit"), None);
    }
}
