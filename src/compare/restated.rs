//! Restated figures: the same body, field and period given in two rounds (2016-17 asked in 2016
//! and again in 2018). Two figures agree when they are equal, or when one is the other rounded to
//! the significant digits it is given to (58,764,000 then "£58.8m"); any other difference is a
//! restatement, listed with both sources.

use crate::observation::{Observation, Status, Value};

/// How two rounds' figures for one body, field and period compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Agreement {
    Same,
    /// One figure is the other rounded to the fewer significant digits it is given to.
    RoundingOnly,
    /// A difference beyond rounding.
    Restated,
}

impl Agreement {
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::Same => "same",
            Agreement::RoundingOnly => "rounding_only",
            Agreement::Restated => "restated",
        }
    }
}

/// Significant digits a figure is given to, to the penny: 58,800,000 has 3, 43,269,593 has 8,
/// 830,773.57 has 8. Trailing zeros are taken as not significant (the figure is read as given to
/// the fewest digits that write it).
pub fn significant_digits(x: f64) -> u32 {
    let mut pence = (x.abs() * 100.0).round() as u128;
    if pence == 0 {
        return 0;
    }
    while pence.is_multiple_of(10) {
        pence /= 10;
    }
    pence.to_string().len() as u32
}

/// `x` rounded to `digits` significant digits (half away from zero).
pub fn round_significant(x: f64, digits: u32) -> f64 {
    if x == 0.0 || digits == 0 {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let scale = 10f64.powi(magnitude + 1 - digits as i32);
    (x / scale).round() * scale
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.005 + 1e-9 * a.abs().max(b.abs())
}

/// Compare two figures for the same thing: equal, one the other rounded, or restated.
pub fn agreement(earlier: f64, later: f64) -> Agreement {
    if close(earlier, later) {
        return Agreement::Same;
    }
    // The coarser figure (fewer significant digits) must be the finer one rounded to its digits.
    let (fine, coarse) = if significant_digits(later) <= significant_digits(earlier) {
        (earlier, later)
    } else {
        (later, earlier)
    };
    let digits = significant_digits(coarse);
    if digits > 0 && close(round_significant(fine, digits), coarse) {
        Agreement::RoundingOnly
    } else {
        Agreement::Restated
    }
}

/// Both figures, when both observations are answered numbers.
pub fn compare(earlier: &Observation, later: &Observation) -> Option<(f64, f64, Agreement)> {
    match (earlier.status, &earlier.value, later.status, &later.value) {
        (Status::Answered, Some(Value::Number(a)), Status::Answered, Some(Value::Number(b))) => {
            Some((*a, *b, agreement(*a, *b)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_counted_to_the_penny() {
        assert_eq!(significant_digits(58_800_000.0), 3);
        assert_eq!(significant_digits(43_269_593.0), 8);
        assert_eq!(significant_digits(830_773.57), 8);
        assert_eq!(significant_digits(0.0), 0);
        assert_eq!(round_significant(58_764_000.0, 3), 58_800_000.0);
        assert_eq!(round_significant(5_865_440.0, 2), 5_900_000.0);
    }

    #[test]
    fn fewer_digits_of_the_same_figure_agree() {
        assert_eq!(
            agreement(58_764_000.0, 58_800_000.0),
            Agreement::RoundingOnly
        );
        assert_eq!(
            agreement(43_269_592.57, 43_269_593.0),
            Agreement::RoundingOnly
        );
        assert_eq!(agreement(410_000.0, 400_000.0), Agreement::RoundingOnly);
        // Either round may be the coarser one.
        assert_eq!(agreement(5_900_000.0, 5_865_440.0), Agreement::RoundingOnly);
        assert_eq!(agreement(1_234.0, 1_234.0), Agreement::Same);
    }

    #[test]
    fn a_cut_or_a_new_figure_is_a_restatement() {
        // 3.37m cut to 3.3m is not rounding (3.37m rounds to 3.4m).
        assert_eq!(agreement(3_370_000.0, 3_300_000.0), Agreement::Restated);
        assert_eq!(agreement(9_310_344.0, 9_178_853.0), Agreement::Restated);
        assert_eq!(agreement(39_878_000.0, 40_461_000.0), Agreement::Restated);
        assert_eq!(agreement(100.0, 0.0), Agreement::Restated);
    }
}
