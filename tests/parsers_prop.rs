//! Property tests for the value parsers (issue 6): every way a reply writes a figure, a financial
//! year or a yes/no reads back to what was written, ranges are never averaged, and no input text,
//! however strange, makes a parser panic.

use foi_survey::standardise::answer::{YesNo, status_phrase, yes_no};
use foi_survey::standardise::money::{AmountError, parse_amount};
use foi_survey::standardise::period::{key, periods_in};
use proptest::prelude::*;

/// 1234567 -> "1,234,567".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

proptest! {
    #[test]
    fn pounds_with_commas_and_pence_read_back(pounds in 0u64..10_000_000_000, pence in 0u64..100) {
        let text = format!("£{}.{pence:02}", grouped(pounds));
        let a = parse_amount(&text).unwrap();
        prop_assert!(close(a.value, pounds as f64 + pence as f64 / 100.0), "{text} -> {}", a.value);
        prop_assert!(!a.own_unit && !a.approx);
    }

    #[test]
    fn thousands_and_millions_suffixes_scale(thousands in 1u64..10_000_000, tenths in 1u64..100_000) {
        let k = format!("{}k", grouped(thousands));
        prop_assert!(close(parse_amount(&k).unwrap().value, thousands as f64 * 1e3), "{k}");
        let m = format!("£{}.{}m", tenths / 10, tenths % 10);
        let a = parse_amount(&m).unwrap();
        prop_assert!(close(a.value, tenths as f64 * 1e5), "{m} -> {}", a.value);
        prop_assert!(a.own_unit);
        let words = format!("£{}.{} million", tenths / 10, tenths % 10);
        prop_assert!(close(parse_amount(&words).unwrap().value, tenths as f64 * 1e5), "{words}");
    }

    #[test]
    fn brackets_are_negative_and_circa_is_approximate(n in 1u64..1_000_000_000) {
        let neg = format!("({})", grouped(n));
        prop_assert!(close(parse_amount(&neg).unwrap().value, -(n as f64)), "{neg}");
        let approx = parse_amount(&format!("c. £{}", grouped(n))).unwrap();
        prop_assert!(close(approx.value, n as f64) && approx.approx);
        let footnote = parse_amount(&format!("{}*", grouped(n))).unwrap();
        prop_assert!(close(footnote.value, n as f64));
    }

    #[test]
    fn a_range_is_never_one_figure(a in 1u64..1000, gap in 1u64..1000) {
        let text = format!("£{a}-{}k", a + gap);
        prop_assert!(matches!(parse_amount(&text), Err(AmountError::Unclear(_))), "{text}");
        let words = format!("between £{a},000 and £{},000", a + gap);
        prop_assert!(matches!(parse_amount(&words), Err(AmountError::Unclear(_))), "{words}");
    }

    #[test]
    fn every_spelling_of_a_financial_year_gives_its_key(start in 2000u32..2098) {
        let yy = |y: u32| format!("{:02}", y % 100);
        let want = vec![key(start)];
        for text in [
            format!("{start}/{}", yy(start + 1)),
            format!("{start}-{}", yy(start + 1)),
            format!("{}/{}", yy(start), yy(start + 1)),
            format!("FY{start}-{}", yy(start + 1)),
            format!("Outturn {}/{}", yy(start), yy(start + 1)),
            format!("April {start} - March {}", start + 1),
            format!("Budget for {start}/{}", start + 1),
        ] {
            prop_assert_eq!(&periods_in(&text), &want, "{}", text);
        }
    }

    #[test]
    fn a_date_is_not_a_financial_year(year in 2000u32..2099, month in 1u32..13, day in 1u32..29) {
        // "2016-06-01", "06/05/2016": no part of a date is a financial year.
        let text = format!("{year}-{month:02}-{day:02}");
        prop_assert!(periods_in(&text).is_empty(), "{text}");
        let uk = format!("{day:02}/{month:02}/{year}");
        prop_assert!(periods_in(&uk).is_empty(), "{uk}");
        let letter = format!("Dated {day:02}/{month:02}/{}: our budget for 2015/16 was £1m", year % 100);
        prop_assert_eq!(periods_in(&letter), vec![key(2015)], "{}", letter);
    }

    #[test]
    fn yes_and_no_whatever_the_case_and_the_words_after(upper in any::<bool>(), tail in "[ a-z,.-]{0,30}") {
        let case = |s: &str| if upper { s.to_uppercase() } else { s.to_owned() };
        prop_assert_eq!(yes_no(&format!("{} {tail}", case("yes"))), Some(YesNo::Yes));
        prop_assert_eq!(yes_no(&format!("{} - {tail}", case("no"))), Some(YesNo::No));
        prop_assert_eq!(yes_no(&format!("{} {tail}", case("partially"))), Some(YesNo::Partly));
    }

    #[test]
    fn no_text_makes_a_parser_panic(text in any::<String>()) {
        let _ = parse_amount(&text);
        let _ = periods_in(&text);
        let _ = yes_no(&text);
        let _ = status_phrase(&text);
    }
}
