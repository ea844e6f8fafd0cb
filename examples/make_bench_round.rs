//! Writes a benchmark round of N replies: `benches/corpus.rs` says what is in it.
//!
//!     cargo run --release --example make_bench_round -- 2000          # target/bench-rounds/palliative-2000/
//!     cargo run --release --example make_bench_round -- 2000 DIR      # writes DIR instead

#[path = "../benches/corpus.rs"]
mod corpus;

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = match args.next().map(|s| s.replace([',', '_'], "").parse()) {
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: make_bench_round N [DIR]   (N replies, e.g. 200, 2000, 20000)");
            std::process::exit(2);
        }
    };
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| corpus::default_dir(n));
    match corpus::write_round(&out, n) {
        Ok(w) => println!(
            "wrote {}: {n} replies, {} files, {} bytes",
            out.display(),
            w.files,
            w.bytes
        ),
        Err(e) => {
            eprintln!("make_bench_round: {}: {e}", out.display());
            std::process::exit(1);
        }
    }
}
