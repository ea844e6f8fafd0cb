//! A whole file through ingest, whatever its bytes: zips, e-mails and spreadsheets included.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = foi_survey::ingest::ingest_bytes(
        "responses/thread/reply",
        Some("thread"),
        data,
        0,
        &foi_survey::ingest::Limits::DEFAULT,
    );
});
