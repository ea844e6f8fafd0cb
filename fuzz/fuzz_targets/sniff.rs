//! The format sniffer on any bytes: never panics, always names a format.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = foi_survey::ingest::sniff::sniff(data, "reply.bin");
    let _ = foi_survey::ingest::sniff::sniff(data, "correspondence.txt");
});
