//! Each stage as `run` calls it: what it takes from the round's inputs and the stages before,
//! and what it hands on (a value per stage), with the work that joins stages: who each answer
//! belongs to, which bodies replied, the per-body rows the report shows, run.json and each
//! body's status. One function per concern, so `run` reads as the list of stages.

use super::inputs::RoundInputs;
use super::{BodyStatus, CacheRecord, RunError, RunOptions, RunRecord, RunSummary};
use crate::analyse::{self, AnalyseError, Analysis};
use crate::extract::{self, Extracted, ReplyNote};
use crate::ingest::{self, Document, FileStatus, IngestCounts, ManifestEntry};
use crate::link::{self, Link};
use crate::observation::{Observation, Status};
use crate::register::Register;
use crate::report::{self, BodyRow, ReportError};
use crate::schema::Schema;
use crate::standardise;
use crate::validate::{self, Candidate, Issue, IssueKind, Reply};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What ingest hands on: the manifest (every file and member, with its fate), the documents
/// read, and the counts for run.json.
pub(super) struct Files {
    pub manifest: Vec<ManifestEntry>,
    pub docs: Vec<Document>,
    pub counts: IngestCounts,
}

/// What link hands on: each thread's body, the per-body rows the report shows (filled further
/// as answers are given to bodies), and which bodies replied at all.
pub(super) struct Linked {
    pub links: BTreeMap<String, Link>,
    pub bodies: BTreeMap<String, BodyRow>,
    pub replied: BTreeSet<String>,
}

/// What extract and standardise hand on: every answer found, given to its body and read; and
/// what each body's messages said about the reply as a whole.
pub(super) struct Answers {
    pub candidates: Vec<Candidate>,
    pub notes: BTreeMap<String, Vec<ReplyNote>>,
}

/// What validate hands on: one observation per body, field and period, each body's reply, and
/// how many of a person's review decisions applied or no longer matched their file.
pub(super) struct Validated {
    pub observations: Vec<Observation>,
    pub replies: BTreeMap<String, Reply>,
    pub reviews_applied: usize,
    pub reviews_stale: usize,
}

/// Ingest: every file of the round's `responses/`, under a progress bar and through the cache
/// when they are on.
pub(super) fn ingest(inputs: &RoundInputs, opts: &RunOptions) -> Result<Files, RunError> {
    let (ingested, counts) = ingest_with_progress(inputs, opts)?;
    let (manifest, docs): (Vec<_>, Vec<_>) =
        ingested.into_iter().map(|i| (i.entry, i.document)).unzip();
    Ok(Files {
        manifest,
        docs: docs.into_iter().flatten().collect(),
        counts,
    })
}

/// Link: each thread to its body, and who replied.
pub(super) fn link(files: &Files, inputs: &RoundInputs, issues: &mut Vec<Issue>) -> Linked {
    let links = link::link_threads(&files.docs, &inputs.register);
    let bodies = body_rows(&links, issues);
    let replied = who_replied(&files.docs, &links, &files.manifest);
    Linked {
        links,
        bodies,
        replied,
    }
}

/// Extract every document's answers (in parallel, in document order), then give each answer
/// to its body and standardise it.
pub(super) fn extract(
    files: &Files,
    linked: &mut Linked,
    inputs: &RoundInputs,
    issues: &mut Vec<Issue>,
) -> Answers {
    let extracted: Vec<_> = files
        .docs
        .par_iter()
        .map(|d| {
            let ex = extract::extract_with(d, &inputs.schema, &inputs.register, &inputs.numbering);
            (d, ex)
        })
        .collect();
    let (candidates, notes) = attribute(
        extracted,
        &linked.links,
        &inputs.schema,
        &mut linked.bodies,
        issues,
    );
    Answers { candidates, notes }
}

/// Validate: one observation per cell (reconciled), the schema's checks, a person's review
/// decisions; then each body's reply.
pub(super) fn validate(
    answers: Answers,
    files: &Files,
    linked: &Linked,
    inputs: &RoundInputs,
    issues: &mut Vec<Issue>,
) -> Validated {
    let (schema, register) = (&inputs.schema, &inputs.register);
    let notes = &answers.notes;
    let mut observations = validate::reconcile(
        answers.candidates,
        notes,
        &linked.replied,
        schema,
        register,
        issues,
    );
    let reference = &inputs.round.reference;
    validate::checks::run(
        &mut observations,
        &schema.checks,
        register,
        reference,
        issues,
    );
    let (reviews_applied, reviews_stale) = crate::review::apply(
        &mut observations,
        &inputs.decisions,
        &files.manifest,
        issues,
    );
    let replies = validate::reply_of(&observations);
    Validated {
        observations,
        replies,
        reviews_applied,
        reviews_stale,
    }
}

/// Analyse: every statistic the schema declares, and the published claims checked.
pub(super) fn analyse(v: &Validated, inputs: &RoundInputs) -> Result<Analysis, AnalyseError> {
    let RoundInputs {
        schema,
        round,
        register,
        claims,
        ..
    } = inputs;
    analyse::analyse(&v.observations, &v.replies, schema, round, register, claims)
}

/// Report: every output file, review.csv and run.json.
pub(super) fn write(
    inputs: &RoundInputs,
    files: &Files,
    linked: &Linked,
    v: &Validated,
    issues: &[Issue],
    analysis: &Analysis,
    opts: &RunOptions,
) -> Result<(), ReportError> {
    let outputs = report::RoundOutputs {
        title: &inputs.round.title,
        schema: &inputs.schema,
        observations: &v.observations,
        register: &inputs.register,
        replies: &v.replies,
        bodies: &linked.bodies,
        manifest: &files.manifest,
        issues,
        analysis,
    };
    report::write_all(&inputs.out, &outputs)?;
    report::write_review(&inputs.out, issues, &files.manifest)?;
    write_run_record(&inputs.out, opts, &files.counts, &files.manifest)
}

/// The body each linked thread belongs to, as report rows saying how it was linked; a thread
/// the register could not place is an issue.
fn body_rows(links: &BTreeMap<String, Link>, issues: &mut Vec<Issue>) -> BTreeMap<String, BodyRow> {
    let mut bodies: BTreeMap<String, BodyRow> = BTreeMap::new();
    for (thread, l) in links {
        match &l.code {
            Some(code) => {
                let row = bodies.entry(code.clone()).or_default();
                row.linked_by = if row.linked_by.is_empty() {
                    format!("{thread}: {}", l.how)
                } else {
                    format!("{}; {thread}: {}", row.linked_by, l.how)
                };
            }
            None => issues.push(Issue {
                body: String::new(),
                field: String::new(),
                period: String::new(),
                kind: IssueKind::UnlinkedThread,
                source: format!("responses/{thread}"),
                location: String::new(),
                evidence: l.how.clone(),
            }),
        }
    }
    bodies
}

/// The body a document's thread is linked to, if any.
fn thread_body(doc: &Document, links: &BTreeMap<String, Link>) -> Option<String> {
    doc.thread
        .as_ref()
        .and_then(|t| links.get(t))
        .and_then(|l| l.code.clone())
}

/// Each answer found, given to its body (its own row's body, else its thread's) and
/// standardised; answers with no body are counted as an issue per file. Notes about a reply
/// go to the thread's body.
fn attribute(
    extracted: Vec<(&Document, Extracted)>,
    links: &BTreeMap<String, Link>,
    schema: &Schema,
    bodies: &mut BTreeMap<String, BodyRow>,
    issues: &mut Vec<Issue>,
) -> (Vec<Candidate>, BTreeMap<String, Vec<ReplyNote>>) {
    let mut candidates = Vec::new();
    let mut notes: BTreeMap<String, Vec<ReplyNote>> = BTreeMap::new();
    for (doc, ex) in extracted {
        let thread_body = thread_body(doc, links);
        let mut unlinked = 0;
        for f in ex.found {
            let Some(body) = f.body.clone().or_else(|| thread_body.clone()) else {
                unlinked += 1;
                continue;
            };
            let Some(field) = schema.field(&f.field) else {
                continue;
            };
            let reading = standardise::read_as(&f.raw, f.legibility, field, f.scale);
            let row = bodies.entry(body.clone()).or_default();
            if !row.files.contains(&f.source) {
                row.files.push(f.source.clone());
            }
            candidates.push(Candidate {
                body,
                found: f,
                reading,
            });
        }
        if unlinked > 0 {
            issues.push(Issue {
                body: String::new(),
                field: String::new(),
                period: String::new(),
                kind: IssueKind::UnlinkedAnswers,
                source: doc.source.clone(),
                location: String::new(),
                evidence: format!(
                    "{unlinked} answers name no body and the file's thread is not linked to one"
                ),
            });
        }
        if let Some(body) = &thread_body {
            for n in ex.notes {
                notes.entry(body.clone()).or_default().push(n);
            }
        }
    }
    (candidates, notes)
}

/// Which bodies replied at all: a file beside the thread, or a message that is more than an
/// acknowledgement. A body that replied but whose answers were not read is not "no response".
fn who_replied(
    docs: &[Document],
    links: &BTreeMap<String, Link>,
    manifest: &[ManifestEntry],
) -> BTreeSet<String> {
    let mut replied: BTreeSet<String> = BTreeSet::new();
    for d in docs {
        let Some(code) = thread_body(d, links) else {
            continue;
        };
        if d.format != crate::ingest::Format::Correspondence || crate::extract::prose::has_reply(d)
        {
            replied.insert(code);
        }
    }
    for m in manifest {
        let mut parts = m.path.splitn(3, '/');
        if let (Some("responses"), Some(thread), Some(file)) =
            (parts.next(), parts.next(), parts.next())
            && file != "correspondence.txt"
            && let Some(code) = links.get(thread).and_then(|l| l.code.clone())
        {
            replied.insert(code);
        }
    }
    replied
}

/// Sort and dedup the issues, then add one per file that could not be read.
pub(super) fn finish_issues(issues: &mut Vec<Issue>, manifest: &[ManifestEntry]) {
    issues.sort();
    issues.dedup();
    for m in manifest {
        if m.status == FileStatus::Failed {
            issues.push(Issue {
                body: String::new(),
                field: String::new(),
                period: String::new(),
                kind: IssueKind::FileFailed,
                source: m.path.clone(),
                location: String::new(),
                evidence: m.reason.clone(),
            });
        }
    }
}

/// run.json: what program, which cache, and how many files ingest saw.
fn write_run_record(
    out: &Path,
    opts: &RunOptions,
    counts: &IngestCounts,
    manifest: &[ManifestEntry],
) -> Result<(), ReportError> {
    let record = RunRecord {
        program: "foi",
        version: env!("CARGO_PKG_VERSION"),
        cache: CacheRecord {
            enabled: opts.cache,
            dir: ingest::cache::DIR,
            version: ingest::cache::VERSION,
        },
        counts,
        manifest_rows: manifest.len(),
    };
    let path = out.join("run.json");
    let json = serde_json::to_string_pretty(&record).unwrap_or_else(|_| "{}".into());
    std::fs::write(&path, json + "\n").map_err(|source| ReportError::Io { path, source })
}

/// Each register body's status: received, linked, parsed, its reply, how many answered cells
/// and how many issues for a person.
fn body_statuses(
    register: &Register,
    bodies: &BTreeMap<String, BodyRow>,
    replied: &BTreeSet<String>,
    replies: &BTreeMap<String, Reply>,
    observations: &[Observation],
    issues: &[Issue],
) -> Vec<BodyStatus> {
    register
        .bodies
        .iter()
        .map(|b| {
            let row = bodies.get(&b.code);
            BodyStatus {
                code: b.code.clone(),
                name: b.name.clone(),
                received: replied.contains(&b.code) || row.is_some_and(|r| !r.files.is_empty()),
                linked: row.is_some_and(|r| !r.linked_by.is_empty() || !r.files.is_empty()),
                parsed: row.is_some_and(|r| !r.files.is_empty()),
                reply: Reply::of(replies, &b.code).as_str().to_owned(),
                answered: observations
                    .iter()
                    .filter(|o| o.body == b.code && o.status == Status::Answered)
                    .count(),
                needs_review: issues.iter().filter(|i| i.body == b.code).count(),
            }
        })
        .collect()
}

/// Ingest every reply under a progress bar (hidden unless asked for), through the cache when
/// it is on.
fn ingest_with_progress(
    inputs: &RoundInputs,
    opts: &RunOptions,
) -> Result<(Vec<ingest::Ingested>, IngestCounts), ingest::IngestError> {
    let round_dir = &inputs.round.dir;
    let bar = if opts.progress {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} files")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(inputs.round.name.clone());
    let inc = || bar.inc(1);
    let files_total = super::count_files(&round_dir.join("responses"));
    bar.set_length(files_total as u64);
    let cache = opts
        .cache
        .then(|| ingest::Cache::new(&inputs.out, opts.write));
    let result = ingest::ingest_round(round_dir, &inputs.limits, cache.as_ref(), &inc);
    bar.finish_and_clear();
    result
}

/// What the run amounted to, for the CLI's summary and `foi status`.
pub(super) fn summarise(
    inputs: &RoundInputs,
    files: Files,
    linked: &Linked,
    v: Validated,
    issues: &[Issue],
    analysis: &Analysis,
    opts: &RunOptions,
) -> RunSummary {
    let (register, manifest) = (&inputs.register, &files.manifest);
    let mut summary = RunSummary {
        round: inputs.round.name.clone(),
        out: inputs.out.clone(),
        files: manifest.len(),
        bodies: register.bodies.len(),
        cache: opts.cache,
        reviews_applied: v.reviews_applied,
        reviews_stale: v.reviews_stale,
        ..Default::default()
    };
    for m in manifest {
        *summary.by_status.entry(m.status.as_str()).or_default() += 1;
    }
    for r in v.replies.values() {
        *summary.replies.entry(r.as_str()).or_default() += 1;
    }
    summary.observations = v.observations.len();
    summary.answered = v
        .observations
        .iter()
        .filter(|o| o.status == Status::Answered)
        .count();
    summary.issues = issues.len();
    summary.headline = analysis
        .summary
        .iter()
        .map(|(k, val)| (k.clone(), val.to_string()))
        .collect();
    summary.body_status = body_statuses(
        register,
        &linked.bodies,
        &linked.replied,
        &v.replies,
        &v.observations,
        issues,
    );
    summary.ingest = files.counts;
    summary.cells = v.observations;
    summary
}
