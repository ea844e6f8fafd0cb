//! The money, financial-year, yes/no and FOI-status parsers on any text.
#![no_main]
use foi_survey::standardise::{answer, money, period};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = money::parse_amount(text);
    let _ = money::heading_scale(text);
    let _ = period::periods_in(text);
    let _ = answer::yes_no(text);
    let _ = answer::status_phrase(text);
    let _ = answer::is_nil(text);
});
