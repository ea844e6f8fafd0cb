//! The stages in order, for one round: load the round's inputs (round, limits, schema,
//! register, numbering, reviews, claims) → ingest → link (threads to bodies, who replied) →
//! extract and standardise (each answer given to its body) → validate → analyse → report. One
//! bad file never stops the run; what could not be done is counted.

mod inputs;
mod steps;

pub use inputs::load_survey;

use inputs::RoundInputs;

use crate::analyse::AnalyseError;
use crate::analyse::claims::ClaimsError;
use crate::ingest::{self, IngestError};
use crate::register::RegisterError;
use crate::report::ReportError;
use crate::round::{Round, RoundError};
use crate::schema::SchemaError;
use crate::validate::Issue;
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
    Claims(#[from] ClaimsError),
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

/// One round, stage by stage. Issues for a person gather across the stages; each stage's
/// work lives in its own module, and what joins them in `steps`.
pub fn run(round_dir: &Path, opts: &RunOptions) -> Result<RunSummary, RunError> {
    let mut clock = Stopwatch::start();
    let inputs = RoundInputs::load(round_dir, opts)?;
    clock.lap("load");
    let files = steps::ingest(&inputs, opts)?;
    clock.lap("ingest");
    let mut issues: Vec<Issue> = Vec::new();
    let mut linked = steps::link(&files, &inputs, &mut issues);
    clock.lap("link");
    let answers = steps::extract(&files, &mut linked, &inputs, &mut issues);
    clock.lap("extract");
    let validated = steps::validate(answers, &files, &linked, &inputs, &mut issues);
    clock.lap("validate");
    let analysis = steps::analyse(&validated, &inputs)?;
    clock.lap("analyse");
    steps::finish_issues(&mut issues, &files.manifest);
    if opts.write {
        steps::write(
            &inputs, &files, &linked, &validated, &issues, &analysis, opts,
        )?;
    }
    clock.lap("report");
    let mut summary =
        steps::summarise(&inputs, files, &linked, validated, &issues, &analysis, opts);
    clock.lap("summary");
    summary.stages = clock.stages;
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
