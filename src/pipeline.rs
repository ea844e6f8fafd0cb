//! The stages in order, for one round: load the round's inputs → ingest → link (threads to
//! bodies) → extract → standardise (each answer given to its body) → validate → analyse →
//! report. One bad file never stops the run; what could not be done is counted.

mod inputs;
mod steps;

use inputs::RoundInputs;

use crate::analyse::{self, AnalyseError};
use crate::extract;
use crate::ingest::{self, IngestError};
use crate::link;
use crate::register::RegisterError;
use crate::report::{self, ReportError};
use crate::round::{Round, RoundError};
use crate::schema::SchemaError;
use crate::validate::{self, Issue};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why a round could not be run at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Round(#[from] RoundError),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Analyse(#[from] AnalyseError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("{message}")]
    Limits { message: String },
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    #[error(
        "{path}: key `{key}`: no file `{name}` in {searched} (searched in this order: --schemas DIR, the round's schemas/, the project's schemas/)"
    )]
    UnknownSchema {
        path: PathBuf,
        key: String,
        name: String,
        searched: String,
    },
}

/// Where schemas and registers are looked for, in this one order for every command: the
/// `--schemas DIR` given, the round's own `schemas/`, then the project's `schemas/` (beside the
/// program's build folder, else where it was built from).
pub fn schema_dirs(round_dir: &Path, explicit: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = explicit {
        dirs.push(d.to_owned());
    }
    dirs.push(round_dir.join("schemas"));
    if let Ok(exe) = std::env::current_exe() {
        // target/{debug,release}/foi -> the project's schemas/.
        if let Some(root) = exe
            .parent()
            .and_then(|p| p.parent())
            .and_then(|p| p.parent())
            && root.join("schemas").is_dir()
        {
            dirs.push(root.join("schemas"));
        }
    }
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas");
    if !dirs
        .iter()
        .any(|d| d.canonicalize().ok() == shipped.canonicalize().ok())
    {
        dirs.push(shipped);
    }
    dirs
}

fn find(dirs: &[PathBuf], rel: &str, round: &Round, key: &str) -> Result<PathBuf, RunError> {
    dirs.iter()
        .map(|d| d.join(rel))
        .find(|p| p.is_file())
        .ok_or_else(|| RunError::UnknownSchema {
            path: round.dir.join("round.toml"),
            key: key.to_owned(),
            name: rel.to_owned(),
            searched: dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// What a run did, for the one-screen summary and the exit code.
#[derive(Debug, Default)]
pub struct RunSummary {
    pub round: String,
    pub out: PathBuf,
    pub files: usize,
    pub by_status: BTreeMap<&'static str, usize>,
    pub bodies: usize,
    pub replies: BTreeMap<&'static str, usize>,
    pub observations: usize,
    pub answered: usize,
    pub issues: usize,
    pub headline: Vec<(String, String)>,
    pub reviews_applied: usize,
    pub reviews_stale: usize,
    /// One row per surveyed body, for `foi status`.
    pub body_status: Vec<BodyStatus>,
    /// Top-level files: taken from the cache, read, not read.
    pub ingest: ingest::IngestCounts,
    /// Whether the ingest cache was used.
    pub cache: bool,
    /// Wall-clock time of each stage, in order (`foi run --timings` prints them to stderr).
    pub stages: Vec<(&'static str, Duration)>,
    /// The observations themselves, for a caller that checks other data against them (the
    /// spend round's cross-check).
    pub cells: Vec<crate::observation::Observation>,
}

/// Where one body's reply stands.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BodyStatus {
    pub code: String,
    pub name: String,
    pub received: bool,
    pub linked: bool,
    pub parsed: bool,
    pub reply: String,
    pub answered: usize,
    pub needs_review: usize,
}

impl RunSummary {
    /// Anything a person must look at: failed files or flagged values.
    pub fn has_problems(&self) -> bool {
        self.issues > 0 || self.by_status.get("failed").copied().unwrap_or(0) > 0
    }
}

pub struct RunOptions {
    /// Write the output files (false for `foi status`).
    pub write: bool,
    pub out: Option<PathBuf>,
    pub schemas: Option<PathBuf>,
    pub progress: bool,
    /// `key=value` overrides of the round's limits.
    pub limits: Vec<String>,
    /// Take unchanged files' readings from `<out>/.cache/` (kept there when `write`).
    pub cache: bool,
}

/// What `<out>/run.json` records about how a run went (not statistics: those are summary.json).
#[derive(serde::Serialize)]
struct RunRecord<'a> {
    program: &'static str,
    version: &'static str,
    cache: CacheRecord,
    /// files, reused (from the cache), read, not_read, cache_errors.
    #[serde(flatten)]
    counts: &'a ingest::IngestCounts,
    /// Rows of manifest.csv: the files and their zip and e-mail members.
    manifest_rows: usize,
}

#[derive(serde::Serialize)]
struct CacheRecord {
    enabled: bool,
    dir: &'static str,
    version: u32,
}

/// Times the stages of one run: each call to `lap` closes the stage running since the last.
struct Stopwatch {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

pub fn run(round_dir: &Path, opts: &RunOptions) -> Result<RunSummary, RunError> {
    let mut clock = Stopwatch::start();
    let RoundInputs {
        round,
        limits,
        schema,
        register,
        numbering,
        decisions,
        out,
    } = RoundInputs::load(round_dir, opts)?;
    // Readers still take the limits from the process-wide setting (see ingest::limits).
    crate::ingest::limits::set(limits);
    clock.lap("load");

    // Ingest.
    let (ingested, counts) = steps::ingest_with_progress(round_dir, &round.name, &out, opts)?;
    let manifest: Vec<_> = ingested.iter().map(|i| i.entry.clone()).collect();
    let docs: Vec<_> = ingested.into_iter().filter_map(|i| i.document).collect();
    clock.lap("ingest");

    // Link: threads to bodies.
    let links = link::link_threads(&docs, &register);
    let mut issues: Vec<Issue> = Vec::new();
    let mut bodies = steps::body_rows(&links, &mut issues);
    clock.lap("link");

    // Extract, then give each answer to its body and standardise it.
    let extracted: Vec<_> = docs
        .par_iter()
        .map(|d| (d, extract::extract_with(d, &schema, &register, &numbering)))
        .collect();
    let (candidates, notes) =
        steps::attribute(extracted, &links, &schema, &mut bodies, &mut issues);
    let replied = steps::who_replied(&docs, &links, &manifest);
    clock.lap("extract");

    // Validate.
    let mut observations = validate::reconcile(
        candidates,
        &notes,
        &replied,
        &schema,
        &register,
        &mut issues,
    );
    validate::checks::run(
        &mut observations,
        &schema.checks,
        &register,
        &round.reference,
        &mut issues,
    );
    let (applied, stale) =
        crate::review::apply(&mut observations, &decisions, &manifest, &mut issues);
    let replies = validate::reply_of(&observations);
    clock.lap("validate");

    // Analyse.
    let analysis = analyse::analyse(&observations, &replies, &schema, &round, &register)?;
    clock.lap("analyse");

    // Report.
    steps::finish_issues(&mut issues, &manifest);
    if opts.write {
        report::write_all(
            &out,
            &round.title,
            &schema,
            &observations,
            &register,
            &replies,
            &bodies,
            &manifest,
            &issues,
            &analysis,
        )?;
        report::write_review(&out, &issues, &manifest)?;
        steps::write_run_record(&out, opts, &counts, &manifest)?;
    }
    clock.lap("report");

    let mut summary = steps::summarise(
        &round,
        out,
        counts,
        opts,
        &manifest,
        &register,
        &bodies,
        &replied,
        &replies,
        &observations,
        &issues,
        &analysis,
    );
    summary.reviews_applied = applied;
    summary.reviews_stale = stale;
    clock.lap("summary");
    summary.stages = clock.stages;
    summary.cells = observations;
    Ok(summary)
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => count_files(&e.path()),
                    _ => 1,
                })
                .sum()
        })
        .unwrap_or(0)
}
