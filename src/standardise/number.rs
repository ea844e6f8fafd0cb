//! Numbers with a unit (`type = "number"`, `unit = "weeks"`): "3.5", "4 weeks", "17 days",
//! "about 6 weeks", "12%". A figure stated in another unit of the same kind is converted exactly
//! (days to weeks by 7, hours to days by 24, months to years by 12) and the conversion is noted;
//! one that cannot be converted exactly (months to weeks), a range, or two figures is `unclear`.

use crate::schema::Unit;
use regex::Regex;
use std::sync::LazyLock;

/// A number read from an answer, in the field's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// Stated as an estimate ("about", "approx.", "~").
    pub approx: bool,
    /// What was done to it ("17 days read as 2.43 weeks"), empty when nothing.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuantityError {
    /// No figure here (a remark, a heading).
    NotANumber,
    /// A figure a person must look at, with the reason.
    Unclear(String),
}

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>%|per\s*cent|[a-z]+)?\.?$").expect("figure pattern")
});
static APPROX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:about|around|approx(?:imately|\.)?|roughly|circa|c\.|~)\s*")
        .expect("approx pattern")
});
static RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\d\s*(?:-|–|to)\s*\d").expect("range pattern"));

/// A time unit's length in hours, for exact conversions between time units.
fn hours(u: Unit) -> Option<f64> {
    match u {
        Unit::Hours => Some(1.0),
        Unit::Days => Some(24.0),
        Unit::Weeks => Some(24.0 * 7.0),
        _ => None,
    }
}

/// The unit a written unit word names, if any.
fn unit_word(word: &str) -> Option<Unit> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    Some(match w {
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hours,
        "d" | "day" | "days" => Unit::Days,
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Weeks,
        "m" | "mth" | "mths" | "month" | "months" => Unit::Months,
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Years,
        "%" | "percent" | "pc" => Unit::Percent,
        _ if w.replace(' ', "") == "percent" => Unit::Percent,
        _ => return None,
    })
}

fn trim_number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Read `text` as a figure in `unit`.
pub fn parse_quantity(text: &str, unit: Unit) -> Result<Quantity, QuantityError> {
    let t = text.trim();
    let approx_match = APPROX.find(t).map(|m| m.end()).unwrap_or(0);
    let approx = approx_match > 0;
    let rest = t[approx_match..].trim();
    if RANGE.is_match(rest) {
        return Err(QuantityError::Unclear(format!(
            "a range, not one figure: \"{text}\""
        )));
    }
    let Some(c) = QUANTITY.captures(rest) else {
        return if rest.chars().any(|c| c.is_ascii_digit()) {
            Err(QuantityError::Unclear(format!(
                "not one figure with a unit: \"{text}\""
            )))
        } else {
            Err(QuantityError::NotANumber)
        };
    };
    let value: f64 = c["num"]
        .replace(',', "")
        .parse()
        .map_err(|_| QuantityError::Unclear(format!("not a number: \"{text}\"")))?;
    let Some(word) = c.name("unit").map(|m| m.as_str()) else {
        return Ok(Quantity {
            value,
            approx,
            note: String::new(),
        });
    };
    let Some(stated) = unit_word(word) else {
        // Counts of people or things may name what they count ("12 patients").
        if matches!(unit, Unit::People | Unit::Items) {
            return Ok(Quantity {
                value,
                approx,
                note: String::new(),
            });
        }
        return Err(QuantityError::Unclear(format!(
            "unit \"{word}\" is not {}: \"{text}\"",
            unit.as_str()
        )));
    };
    if stated == unit {
        return Ok(Quantity {
            value,
            approx,
            note: String::new(),
        });
    }
    let factor = match (hours(stated), hours(unit), stated, unit) {
        (Some(a), Some(b), _, _) => a / b,
        (_, _, Unit::Years, Unit::Months) => 12.0,
        (_, _, Unit::Months, Unit::Years) => 1.0 / 12.0,
        _ => {
            return Err(QuantityError::Unclear(format!(
                "stated in {}, the question asks for {}: no exact conversion: \"{text}\"",
                stated.as_str(),
                unit.as_str()
            )));
        }
    };
    let converted = value * factor;
    let note = format!(
        "{} {} read as {} {}",
        trim_number(value),
        stated.as_str(),
        trim_number(converted),
        unit.as_str()
    );
    Ok(Quantity {
        value: converted,
        approx,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks(t: &str) -> Result<Quantity, QuantityError> {
        parse_quantity(t, Unit::Weeks)
    }

    #[test]
    fn decimals_and_units_are_read() {
        assert_eq!(weeks("3.5").unwrap().value, 3.5);
        assert_eq!(weeks("4 weeks").unwrap().value, 4.0);
        assert_eq!(weeks("4 wks").unwrap().note, "");
        let q = weeks("17 days").unwrap();
        assert!((q.value - 17.0 / 7.0).abs() < 1e-9);
        assert_eq!(q.note, "17 days read as 2.43 weeks");
        assert!(weeks("about 6 weeks").unwrap().approx);
        assert_eq!(parse_quantity("12%", Unit::Percent).unwrap().value, 12.0);
        assert_eq!(
            parse_quantity("12 per cent", Unit::Percent).unwrap().value,
            12.0
        );
        assert_eq!(
            parse_quantity("1,250 patients", Unit::People)
                .unwrap()
                .value,
            1250.0
        );
        assert_eq!(parse_quantity("2 years", Unit::Months).unwrap().value, 24.0);
    }

    #[test]
    fn what_cannot_be_one_exact_figure_is_unclear() {
        assert!(matches!(weeks("4-6 weeks"), Err(QuantityError::Unclear(_))));
        assert!(matches!(weeks("3 months"), Err(QuantityError::Unclear(_))));
        assert!(matches!(
            weeks("18 weeks RTT 95%"),
            Err(QuantityError::Unclear(_))
        ));
        assert!(matches!(weeks("12 apples"), Err(QuantityError::Unclear(_))));
        assert_eq!(weeks("See attached letter"), Err(QuantityError::NotANumber));
    }
}
