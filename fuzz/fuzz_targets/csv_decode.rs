//! The text decoder (encoding detection) and the CSV reader (delimiter sniffing) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _encoding) = foi_survey::ingest::text::decode(data);
    let _ = foi_survey::ingest::delimited::sniff_delimiter(&text);
    let _ = foi_survey::ingest::delimited::read(&text);
    let _ = foi_survey::ingest::text::correspondence(&text);
});
