//! The work between the stages that `run` used to do inline: who each answer belongs to, which
//! bodies replied, the per-body rows the report shows, run.json and each body's status. One
//! function per concern, so `run` reads as the list of stages.

use super::{BodyStatus, CacheRecord, RunOptions, RunRecord, RunSummary};
use crate::analyse::Analysis;
use crate::extract::{Extracted, ReplyNote};
use crate::ingest::{self, Document, FileStatus, IngestCounts, ManifestEntry};
use crate::link::Link;
use crate::observation::{Observation, Status};
use crate::register::Register;
use crate::report::{BodyRow, ReportError};
use crate::round::Round;
use crate::schema::Schema;
use crate::standardise;
use crate::validate::{Candidate, Issue, IssueKind, Reply};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The body each linked thread belongs to, as report rows saying how it was linked; a thread
/// the register could not place is an issue.
pub(super) fn body_rows(
    links: &BTreeMap<String, Link>,
    issues: &mut Vec<Issue>,
) -> BTreeMap<String, BodyRow> {
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
pub(super) fn attribute(
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
pub(super) fn who_replied(
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
pub(super) fn write_run_record(
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
pub(super) fn body_statuses(
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
                reply: replies
                    .get(&b.code)
                    .map(|r| r.as_str())
                    .unwrap_or("no_response")
                    .to_owned(),
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
pub(super) fn ingest_with_progress(
    round_dir: &Path,
    name: &str,
    out: &Path,
    opts: &RunOptions,
) -> Result<(Vec<ingest::Ingested>, IngestCounts), ingest::IngestError> {
    let bar = if opts.progress {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} files")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(name.to_owned());
    let inc = || bar.inc(1);
    let files_total = super::count_files(&round_dir.join("responses"));
    bar.set_length(files_total as u64);
    let cache = opts.cache.then(|| ingest::Cache::new(out, opts.write));
    let result = ingest::ingest_round(round_dir, cache.as_ref(), &inc);
    bar.finish_and_clear();
    result
}

/// What the run amounted to, for the CLI's summary and `foi status`.
#[allow(clippy::too_many_arguments)]
pub(super) fn summarise(
    round: &Round,
    out: PathBuf,
    counts: IngestCounts,
    opts: &RunOptions,
    manifest: &[ManifestEntry],
    register: &Register,
    bodies: &BTreeMap<String, BodyRow>,
    replied: &BTreeSet<String>,
    replies: &BTreeMap<String, Reply>,
    observations: &[Observation],
    issues: &[Issue],
    analysis: &Analysis,
) -> RunSummary {
    let mut summary = RunSummary {
        round: round.name.clone(),
        out,
        files: manifest.len(),
        bodies: register.bodies.len(),
        ingest: counts,
        cache: opts.cache,
        ..Default::default()
    };
    for m in manifest {
        *summary.by_status.entry(m.status.as_str()).or_default() += 1;
    }
    for r in replies.values() {
        *summary.replies.entry(r.as_str()).or_default() += 1;
    }
    summary.observations = observations.len();
    summary.answered = observations
        .iter()
        .filter(|o| o.status == Status::Answered)
        .count();
    summary.issues = issues.len();
    summary.headline = analysis
        .summary
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    summary.body_status = body_statuses(register, bodies, replied, replies, observations, issues);
    summary
}
