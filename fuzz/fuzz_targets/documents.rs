//! The document text extractors (docx, odt, html, pdf) on any bytes: an error is fine, a panic
//! or a hang is a bug.
#![no_main]
use foi_survey::ingest::{docx, html, odt, pdf};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = docx::read(data, &foi_survey::ingest::Limits::DEFAULT);
    let _ = odt::read(data, &foi_survey::ingest::Limits::DEFAULT);
    let _ = html::read(data);
    let _ = pdf::read(data);
});
