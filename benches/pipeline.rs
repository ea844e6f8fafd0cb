//! Timings of `foi run` on the 200-reply benchmark round (`benches/corpus.rs`): the whole run,
//! without and with the ingest cache, and the stages that grow with the replies (ingest, link,
//! extract and standardise) on their own. `cargo bench`; sizes up to 20,000 replies, with peak
//! memory, are `benches/scale.sh`.

mod corpus;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use foi_survey::extract;
use foi_survey::ingest::{self, Document};
use foi_survey::link;
use foi_survey::pipeline::{self, RunOptions};
use foi_survey::register::Register;
use foi_survey::schema::Schema;
use foi_survey::standardise;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const REPLIES: usize = 200;

/// The round, written once per bench process: (folder, files under responses/, their bytes).
static ROUND: LazyLock<(PathBuf, usize, usize)> = LazyLock::new(|| {
    let dir = corpus::default_dir(REPLIES);
    let w = corpus::write_round(&dir, REPLIES).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    (dir, w.files, w.bytes)
});

fn options(out: &Path, cache: bool) -> RunOptions {
    RunOptions {
        write: true,
        out: Some(out.to_owned()),
        schemas: None,
        progress: false,
        limits: Vec::new(),
        cache,
    }
}

fn main() {
    LazyLock::force(&ROUND);
    divan::main();
}

/// The whole run, every file read afresh (`foi run --no-cache`), outputs written.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn end_to_end(bencher: Bencher) {
    let (dir, files, bytes) = &*ROUND;
    let out = tempfile::tempdir().expect("tempdir");
    bencher
        .counter(ItemsCount::new(*files))
        .counter(BytesCount::new(*bytes))
        .bench(|| pipeline::run(dir, &options(out.path(), false)).expect("run"));
}

/// The whole run again with every file's reading in the cache (a rerun after no change).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn end_to_end_cached(bencher: Bencher) {
    let (dir, files, _) = &*ROUND;
    let out = tempfile::tempdir().expect("tempdir");
    pipeline::run(dir, &options(out.path(), true)).expect("run to fill the cache");
    bencher
        .counter(ItemsCount::new(*files))
        .bench(|| pipeline::run(dir, &options(out.path(), true)).expect("run"));
}

fn schema_and_register() -> (Schema, Register) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let schema = Schema::load(&root.join("palliative_care.toml")).expect("schema");
    let register = Register::load(&root.join("bodies/ccg.csv"), "2016-06-01").expect("register");
    (schema, register)
}

fn documents() -> Vec<Document> {
    let (docs, _) =
        ingest::ingest_round(&ROUND.0, &ingest::Limits::DEFAULT, None, &|| ()).expect("ingest");
    docs.into_iter().filter_map(|i| i.document).collect()
}

mod stage {
    use super::*;

    /// Every file read (zip and e-mail members included), in parallel as the run does.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn ingest(bencher: Bencher) {
        let (dir, files, bytes) = &*ROUND;
        bencher
            .counter(ItemsCount::new(*files))
            .counter(BytesCount::new(*bytes))
            .bench(|| {
                ingest::ingest_round(dir, &ingest::Limits::DEFAULT, None, &|| ()).expect("ingest")
            });
    }

    /// Every thread linked to its body.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn link(bencher: Bencher) {
        let (_, register) = schema_and_register();
        let docs = documents();
        bencher
            .counter(ItemsCount::new(REPLIES))
            .bench(|| link::link_threads(&docs, &register));
    }

    /// Every document's answers found and standardised, in parallel as the run does.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn extract(bencher: Bencher) {
        let (schema, register) = schema_and_register();
        let docs = documents();
        bencher.counter(ItemsCount::new(docs.len())).bench(|| {
            docs.par_iter()
                .map(|d| {
                    let ex = extract::extract(d, &schema, &register);
                    ex.found
                        .iter()
                        .filter_map(|f| {
                            schema
                                .field(&f.field)
                                .map(|field| standardise::read(&f.raw, field, f.scale))
                        })
                        .count()
                })
                .sum::<usize>()
        });
    }
}
