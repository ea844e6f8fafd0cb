//! Spend-over-£25,000 rounds: a body's monthly transparency files read through the same
//! ingest as FOI replies, one tidy row per payment line with its provenance, re-published
//! copies marked, suppliers joined and categorised by the declared mapping, totals per body,
//! year and category, and the cross-check of those payments against the body's FOI answers.
//! `foi run` sends a round whose `round.toml` says `kind = "spend"` here.

pub mod category;
pub mod crosscheck;
pub mod dedupe;
pub mod output;
pub mod read;
pub mod round;
pub mod schema;
pub mod suppliers;
pub mod value;

use crate::ingest::{self, FileStatus, Format, ManifestEntry};
use crate::register::Register;
use category::{Category, SupplierKind};
use crosscheck::{FoiField, Verdict};
use rayon::prelude::*;
use read::{RowStatus, SpendRow};
use regex::Regex;
use round::SpendRound;
use schema::SpendSchema;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

#[derive(Debug, thiserror::Error)]
pub enum SpendError {
    #[error(transparent)]
    Round(#[from] round::SpendRoundError),
    #[error(transparent)]
    Schema(#[from] schema::SpendSchemaError),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
    #[error("{path}: no {what} found (searched {searched})")]
    Missing {
        path: PathBuf,
        what: String,
        searched: String,
    },
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    #[error("{path}: key `crosscheck.{field}`: the FOI round could not be run: {message}")]
    Crosscheck {
        path: PathBuf,
        field: String,
        message: String,
    },
    #[error(
        "{path}: key `crosscheck.{field}`: `schemas/spend.toml` declares no [crosscheck.fields.{field}]"
    )]
    UnknownField { path: PathBuf, field: String },
    #[error("limits: {message}")]
    Limits { message: String },
}

pub struct SpendOptions {
    pub out: Option<PathBuf>,
    pub schemas: Option<PathBuf>,
    pub limits: Vec<String>,
    /// Take unchanged files' readings from `<out>/.cache/` and keep new ones there.
    pub cache: bool,
}

/// Kinds of items flagged for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SpendIssueKind {
    UnlinkedFile,
    FileFailed,
    NoHeader,
    UnreadableRow,
    UnmappedLargeSupplier,
    MonthMissing,
    Contradiction,
}

impl SpendIssueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpendIssueKind::UnlinkedFile => "unlinked_file",
            SpendIssueKind::FileFailed => "file_failed",
            SpendIssueKind::NoHeader => "no_header_found",
            SpendIssueKind::UnreadableRow => "unreadable_row",
            SpendIssueKind::UnmappedLargeSupplier => "unmapped_large_supplier",
            SpendIssueKind::MonthMissing => "month_missing",
            SpendIssueKind::Contradiction => "payments_exceed_foi",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpendIssue {
    pub kind: SpendIssueKind,
    pub body: String,
    pub source: String,
    pub location: String,
    pub evidence: String,
}

/// A payment row with what the round found out about it.
#[derive(Debug, Clone)]
pub struct Transaction {
    pub id: String,
    pub body: String,
    pub row: SpendRow,
    pub supplier_key: String,
    pub category: Option<Category>,
    pub duplicate_of: Option<String>,
}

/// One cross-check: a body, topic and year.
#[derive(Debug, Clone)]
pub struct Check {
    pub body: String,
    pub topic: String,
    pub field: String,
    pub period: String,
    pub verdict: Verdict,
    pub payments: f64,
    pub foi: Option<crosscheck::FoiAnswer>,
    pub months_missing: Vec<String>,
    /// Ids of the kept rows summed.
    pub evidence: Vec<String>,
}

impl Check {
    /// What the FOI round said of this body's year: its answer's status, no response without one.
    pub fn foi_status(&self) -> crate::observation::Status {
        self.foi
            .as_ref()
            .map_or(crate::observation::Status::NoResponse, |a| a.status)
    }

    /// The FOI figure, where the FOI round answered one.
    pub fn foi_value(&self) -> Option<f64> {
        self.foi
            .as_ref()
            .filter(|a| a.status == crate::observation::Status::Answered)
            .and_then(|a| a.value)
    }

    /// The verdict as the reports write it: "below (3 months missing)".
    pub fn verdict_text(&self) -> String {
        match self.verdict.reason() {
            "" => self.verdict.as_str().to_owned(),
            reason => format!("{} ({reason})", self.verdict.as_str()),
        }
    }
}

/// Everything a spend run found, for the outputs.
#[derive(Debug, Default)]
pub struct SpendResult {
    pub title: String,
    pub round: String,
    pub periods: Vec<String>,
    pub transactions: Vec<Transaction>,
    pub manifest: Vec<ManifestEntry>,
    pub issues: Vec<SpendIssue>,
    /// body -> name
    pub bodies: BTreeMap<String, String>,
    /// body -> months with at least one payment line
    pub months: BTreeMap<String, BTreeSet<String>>,
    /// (body, fy, category) -> (amount, rows)
    pub totals: BTreeMap<(String, String, Category), (f64, usize)>,
    /// supplier key -> (spellings, kind, category of its kept rows, total kept)
    pub suppliers: BTreeMap<String, (BTreeSet<String>, SupplierKind, BTreeSet<Category>, f64)>,
    pub checks: Vec<Check>,
    pub tolerance: f64,
}

/// What `foi run` prints and its exit code needs.
#[derive(Debug)]
pub struct SpendSummary {
    pub round: String,
    pub out: PathBuf,
    pub files: usize,
    pub bodies: usize,
    pub kept: usize,
    pub duplicates: usize,
    pub issues: usize,
    pub verdicts: BTreeMap<&'static str, usize>,
}

fn find(dirs: &[PathBuf], rel: &str, round: &Path, what: &str) -> Result<PathBuf, SpendError> {
    dirs.iter()
        .map(|d| d.join(rel))
        .find(|p| p.is_file())
        .ok_or_else(|| SpendError::Missing {
            path: round.join("round.toml"),
            what: format!("{what} `{rel}`"),
            searched: dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let ft = e.file_type()?;
        if ft.is_dir() {
            walk(&e.path(), out)?;
        } else if ft.is_file() {
            out.push(e.path());
        }
    }
    Ok(())
}

/// One published file read: its manifest rows, its rows, the titles above its headers.
struct FileRead {
    rel: String,
    /// The folder under `publications/` ("" for a loose file).
    folder: String,
    manifest: Vec<ManifestEntry>,
    rows: Vec<SpendRow>,
    titles: Vec<String>,
    headers_found: bool,
}

fn read_file(
    round_dir: &Path,
    path: &Path,
    schema: &SpendSchema,
    limits: &ingest::Limits,
    cache: Option<&ingest::Cache>,
) -> FileRead {
    let rel = path
        .strip_prefix(round_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let folder = {
        let mut parts = rel.split('/');
        parts.next();
        let first = parts.next().unwrap_or("");
        if parts.next().is_some() {
            first.to_owned()
        } else {
            String::new()
        }
    };
    let mut f = FileRead {
        rel: rel.clone(),
        folder: folder.clone(),
        manifest: Vec::new(),
        rows: Vec::new(),
        titles: Vec::new(),
        headers_found: false,
    };
    let bytes = match std::fs::metadata(path) {
        Ok(m) if m.len() > limits.max_file_bytes => {
            f.manifest.push(ManifestEntry {
                path: rel,
                blake3: String::new(),
                bytes: m.len(),
                format: Format::Unknown,
                status: FileStatus::Ignored,
                reason: format!(
                    "file of {} bytes is over the limit of {} (max_file_bytes): not read",
                    m.len(),
                    limits.max_file_bytes
                ),
                transient: false,
            });
            return f;
        }
        _ => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                f.manifest.push(ManifestEntry {
                    path: rel,
                    blake3: String::new(),
                    bytes: 0,
                    format: Format::Unknown,
                    status: FileStatus::Failed,
                    reason: format!("cannot read: {e}"),
                    transient: false,
                });
                return f;
            }
        },
    };
    let thread = (!folder.is_empty()).then_some(folder.as_str());
    let read = || ingest::ingest_bytes(&rel, thread, &bytes, 0, limits);
    let ingested = match cache {
        Some(c) => {
            let key = ingest::cache::key(&rel, &bytes, limits, ingest::pdf::tesseract_version());
            c.get(&key, &rel).unwrap_or_else(|| {
                let rows = read();
                // A cache entry that cannot be written only costs the next run a reading.
                let _ = c.put(&key, &rel, &rows);
                rows
            })
        }
        None => read(),
    };
    for ing in ingested {
        f.manifest.push(ing.entry.clone());
        let Some(doc) = ing.document else { continue };
        let grids: Vec<(ingest::Sheet, Option<String>)> =
            if doc.format == Format::Csv && doc.source == rel {
                match read::csv_grid(&bytes) {
                    Ok(g) => vec![(g, None)],
                    Err(_) => doc.sheets.into_iter().map(|s| (s, None)).collect(),
                }
            } else {
                doc.sheets
                    .into_iter()
                    .filter(|s| !s.hidden)
                    .map(|s| {
                        let n = s.name.clone();
                        (s, Some(n))
                    })
                    .collect()
            };
        for (grid, name) in grids {
            let file = doc.source.clone();
            let got = read::read_sheet(
                &grid,
                &file,
                name.as_deref().filter(|n| !n.is_empty()),
                schema,
            );
            f.titles.extend(got.titles);
            f.rows.extend(got.rows);
        }
    }
    f.headers_found = !f.rows.is_empty();
    f
}

static CODE_IN_PARENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([0-9A-Z]{3})\)").unwrap());

/// The body a piece of text names: a code alone, a code in brackets, or a name the register
/// knows (its own matching rules).
fn body_named(text: &str, register: &Register) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(b) = register.get(&t.to_uppercase()) {
        return Some(b.code.clone());
    }
    if let Some(c) = CODE_IN_PARENS.captures(t)
        && let Some(b) = register.get(&c[1])
    {
        return Some(b.code.clone());
    }
    let without = CODE_IN_PARENS.replace_all(t, "");
    register
        .match_name(without.trim())
        .map(|m| m.body.code.clone())
}

/// The body a title line names: the line, or one of its parts split at dashes and colons.
fn body_in_title(title: &str, register: &Register) -> Option<String> {
    body_named(title, register).or_else(|| {
        title
            .split([':', '–', '—'])
            .flat_map(|p| p.split(" - "))
            .find_map(|p| body_named(p, register))
    })
}

pub fn run(round_dir: &Path, opts: &SpendOptions) -> Result<SpendSummary, SpendError> {
    let round = SpendRound::load(round_dir)?;
    let limits = round
        .limits
        .with_overrides(&opts.limits)
        .map_err(|message| SpendError::Limits { message })?;
    let dirs = crate::pipeline::schema_dirs(round_dir, opts.schemas.as_deref());
    let schema = SpendSchema::load(&find(&dirs, "spend.toml", round_dir, "spend schema")?)?;
    let register = Register::load(
        &find(
            &dirs,
            &format!("bodies/{}.csv", round.bodies),
            round_dir,
            "body register",
        )?,
        &round.as_of,
    )?;
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&round.name));
    for field in round.crosscheck.keys() {
        if !schema.crosscheck.fields.contains_key(field) {
            return Err(SpendError::UnknownField {
                path: round_dir.join("round.toml"),
                field: field.clone(),
            });
        }
    }

    let publications = round_dir.join("publications");
    let mut paths = Vec::new();
    walk(&publications, &mut paths).map_err(|source| SpendError::Io {
        path: publications.clone(),
        source,
    })?;
    let cache = opts.cache.then(|| ingest::Cache::new(&out, true));
    let files: Vec<FileRead> = paths
        .par_iter()
        .map(|p| read_file(round_dir, p, &schema, &limits, cache.as_ref()))
        .collect();
    if let Some(c) = &cache {
        c.prune();
    }

    let result = assemble(&round, &schema, &register, files, opts.schemas.as_deref())?;
    std::fs::create_dir_all(&out).map_err(|source| SpendError::Io {
        path: out.clone(),
        source,
    })?;
    output::write_all(&out, &result)?;
    let mut verdicts = BTreeMap::new();
    for c in &result.checks {
        *verdicts.entry(c.verdict.as_str()).or_default() += 1;
    }
    Ok(SpendSummary {
        round: round.name.clone(),
        out,
        files: result.manifest.len(),
        bodies: result.bodies.len(),
        kept: result
            .transactions
            .iter()
            .filter(|t| t.row.status == RowStatus::Kept)
            .count(),
        duplicates: result
            .transactions
            .iter()
            .filter(|t| t.row.status == RowStatus::Duplicate)
            .count(),
        issues: result.issues.len(),
        verdicts,
    })
}

fn assemble(
    round: &SpendRound,
    schema: &SpendSchema,
    register: &Register,
    files: Vec<FileRead>,
    schemas: Option<&Path>,
) -> Result<SpendResult, SpendError> {
    let mut res = SpendResult {
        title: round.title.clone(),
        round: round.name.clone(),
        periods: round.periods.clone(),
        tolerance: schema.crosscheck.tolerance,
        ..Default::default()
    };
    // Which body each folder (or loose file) is: votes from the Entity column, title rows, the
    // file names and the folder name; the most votes wins, never a guess without one.
    let mut votes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for f in &files {
        let group = if f.folder.is_empty() {
            f.rel.clone()
        } else {
            f.folder.clone()
        };
        let v = votes.entry(group).or_default();
        let entities: BTreeSet<&str> = f
            .rows
            .iter()
            .map(|r| r.entity.as_str())
            .filter(|e| !e.is_empty())
            .collect();
        for e in entities {
            if let Some(code) = body_named(e, register) {
                *v.entry(code).or_default() += 1;
            }
        }
        for t in &f.titles {
            if let Some(code) = body_in_title(t, register) {
                *v.entry(code).or_default() += 1;
            }
        }
        if !f.folder.is_empty()
            && let Some(code) = body_named(&crate::link::slug_words(&f.folder), register)
        {
            *v.entry(code).or_default() += 1;
        }
    }
    let body_of = |f: &FileRead| -> Option<String> {
        let group = if f.folder.is_empty() {
            &f.rel
        } else {
            &f.folder
        };
        votes.get(group).and_then(|v| {
            v.iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(c, _)| c.clone())
        })
    };

    let mut rows: Vec<(String, SpendRow)> = Vec::new();
    for f in &files {
        res.manifest.extend(f.manifest.iter().cloned());
        for m in &f.manifest {
            if m.status == FileStatus::Failed {
                res.issues.push(SpendIssue {
                    kind: SpendIssueKind::FileFailed,
                    body: String::new(),
                    source: m.path.clone(),
                    location: String::new(),
                    evidence: m.reason.clone(),
                });
            }
        }
        let Some(body) = body_of(f) else {
            res.issues.push(SpendIssue {
                kind: SpendIssueKind::UnlinkedFile,
                body: String::new(),
                source: f.rel.clone(),
                location: String::new(),
                evidence: "no Entity column, title or folder name names a body in the register: not counted".into(),
            });
            continue;
        };
        if !f.headers_found && f.manifest.iter().any(|m| m.status != FileStatus::Failed) {
            res.issues.push(SpendIssue {
                kind: SpendIssueKind::NoHeader,
                body: body.clone(),
                source: f.rel.clone(),
                location: String::new(),
                evidence: "no row names the amount and the date or supplier columns (schemas/spend.toml [columns])".into(),
            });
        }
        res.bodies.entry(body.clone()).or_insert_with(|| {
            register
                .get(&body)
                .map(|b| b.name.clone())
                .unwrap_or_default()
        });
        for r in &f.rows {
            if !r.note.is_empty()
                && r.status == RowStatus::NotATransaction
                && r.amount.is_none()
                && r.note != "header repeated"
            {
                continue;
            }
            if r.status == RowStatus::NotATransaction && r.amount.is_some() {
                res.issues.push(SpendIssue {
                    kind: SpendIssueKind::UnreadableRow,
                    body: body.clone(),
                    source: r.file.clone(),
                    location: location(r),
                    evidence: format!("{}: {}", r.note, r.raw),
                });
            }
            rows.push((body.clone(), r.clone()));
        }
    }

    // Supplier keys over the whole round.
    let rules = &schema.suppliers;
    let spelling: Vec<String> = rows
        .iter()
        .map(|(_, r)| {
            if r.status != RowStatus::Kept {
                String::new()
            } else if suppliers::is_redacted(&r.supplier, rules) {
                suppliers::REDACTED.to_owned()
            } else {
                suppliers::spelling_key(&r.supplier, rules)
            }
        })
        .collect();
    let index = suppliers::SupplierIndex::build(
        rows.iter()
            .zip(&spelling)
            .filter(|((_, r), k)| r.status == RowStatus::Kept && !k.is_empty())
            .map(|((_, r), k)| (k.as_str(), r.supplier.as_str())),
    );
    let keys: Vec<String> = spelling
        .iter()
        .map(|k| {
            if k.is_empty() {
                String::new()
            } else {
                index.key(k)
            }
        })
        .collect();
    let kinds: BTreeMap<String, SupplierKind> = index
        .spellings
        .iter()
        .map(|(k, s)| {
            (
                k.clone(),
                category::supplier_kind(k, s, &schema.categories, rules),
            )
        })
        .collect();

    // Duplicates, per body.
    let mut plain: Vec<SpendRow> = rows.iter().map(|(_, r)| r.clone()).collect();
    let mut by_body: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (b, _)) in rows.iter().enumerate() {
        by_body.entry(b.clone()).or_default().push(i);
    }
    let mut dup_of: BTreeMap<usize, usize> = BTreeMap::new();
    for idx in by_body.values() {
        let refs: Vec<&SpendRow> = idx.iter().map(|&i| &plain[i]).collect();
        let files: Vec<String> = refs
            .iter()
            .map(|r| r.file.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let order = dedupe::publication_order(&refs, &files);
        dup_of.extend(dedupe::mark(&mut plain, idx, &keys, &order));
    }

    // Ids in file order, then the transactions.
    let mut counter: BTreeMap<String, usize> = BTreeMap::new();
    let ids: Vec<String> = rows
        .iter()
        .map(|(b, _)| {
            let n = counter.entry(b.clone()).or_default();
            *n += 1;
            format!("{b}-{n:05}")
        })
        .collect();
    for (i, ((body, _), row)) in rows.iter().zip(plain).enumerate() {
        let txn = matches!(row.status, RowStatus::Kept | RowStatus::Duplicate);
        let key = if txn { keys[i].clone() } else { String::new() };
        let category = txn.then(|| {
            let kind = kinds.get(&key).copied().unwrap_or_default();
            category::categorise(
                kind,
                key == suppliers::REDACTED,
                &row.expense_area,
                &row.expense_type,
                &schema.categories,
            )
        });
        if let Some(d) = row.date.filter(|_| txn) {
            res.months
                .entry(body.clone())
                .or_default()
                .insert(d.month());
        }
        if row.status == RowStatus::Kept
            && let (Some(d), Some(c), Some(a)) = (row.date, category, row.amount)
        {
            let t = res.totals.entry((body.clone(), d.fy(), c)).or_default();
            t.0 += a;
            t.1 += 1;
            if !key.is_empty() {
                let s = res.suppliers.entry(key.clone()).or_insert_with(|| {
                    (
                        index.spellings.get(&key).cloned().unwrap_or_default(),
                        kinds.get(&key).copied().unwrap_or_default(),
                        BTreeSet::new(),
                        0.0,
                    )
                });
                s.2.insert(c);
                s.3 += a;
            }
        }
        res.transactions.push(Transaction {
            id: ids[i].clone(),
            body: body.clone(),
            row,
            supplier_key: key,
            category,
            duplicate_of: dup_of.get(&i).map(|&j| ids[j].clone()),
        });
    }
    for t in res.totals.values_mut() {
        t.0 = (t.0 * 100.0).round() / 100.0;
    }

    // Months missing.
    for (body, months) in &res.months {
        for fy in &round.periods {
            for m in crosscheck::months_of_fy(fy) {
                if !months.contains(&m) {
                    res.issues.push(SpendIssue {
                        kind: SpendIssueKind::MonthMissing,
                        body: body.clone(),
                        source: String::new(),
                        location: m.clone(),
                        evidence: format!("no published file has a payment dated {m} ({fy})"),
                    });
                }
            }
        }
    }
    // Unmapped large suppliers.
    for (key, (spellings, kind, _, total)) in &res.suppliers {
        if key != suppliers::REDACTED
            && kind.label().is_empty()
            && total.abs() >= schema.large_supplier
        {
            res.issues.push(SpendIssue {
                kind: SpendIssueKind::UnmappedLargeSupplier,
                body: String::new(),
                source: key.clone(),
                location: String::new(),
                evidence: format!(
                    "paid £{total:.2} in the round; no category mapping names it (schemas/spend.toml [categories]); written as: {}",
                    spellings.iter().cloned().collect::<Vec<_>>().join(" / ")
                ),
            });
        }
    }

    // Cross-check.
    for (field, dir) in &round.crosscheck {
        let Some(topic) = schema.crosscheck.fields.get(field) else {
            continue;
        };
        let foi: FoiField = crosscheck::foi_field(dir, field, schemas).map_err(|message| {
            SpendError::Crosscheck {
                path: round.dir.join("round.toml"),
                field: field.clone(),
                message,
            }
        })?;
        let cats: Vec<Category> = topic
            .categories
            .iter()
            .filter_map(|c| Category::parse(c))
            .collect();
        let periods: Vec<&String> = round
            .periods
            .iter()
            .filter(|p| foi.periods.contains(p))
            .collect();
        for body in res.bodies.keys() {
            for period in &periods {
                let evidence: Vec<&Transaction> = res
                    .transactions
                    .iter()
                    .filter(|t| {
                        t.body == *body
                            && t.row.status == RowStatus::Kept
                            && t.category.is_some_and(|c| cats.contains(&c))
                            && t.row.date.is_some_and(|d| d.fy() == **period)
                    })
                    .collect();
                let payments = (evidence.iter().filter_map(|t| t.row.amount).sum::<f64>() * 100.0)
                    .round()
                    / 100.0;
                let months = res.months.get(body).cloned().unwrap_or_default();
                let missing: Vec<String> = crosscheck::months_of_fy(period)
                    .into_iter()
                    .filter(|m| !months.contains(m))
                    .collect();
                let answer = foi.answers.get(&(body.clone(), (*period).clone())).cloned();
                let value = answer
                    .as_ref()
                    .filter(|a| a.status == crate::observation::Status::Answered)
                    .and_then(|a| a.value);
                let verdict = crosscheck::verdict(
                    payments,
                    value,
                    !missing.is_empty(),
                    schema.crosscheck.tolerance,
                );
                if verdict == Verdict::Exceeds {
                    res.issues.push(SpendIssue {
                        kind: SpendIssueKind::Contradiction,
                        body: body.clone(),
                        source: answer
                            .as_ref()
                            .map(|a| a.source.clone())
                            .unwrap_or_default(),
                        location: answer
                            .as_ref()
                            .map(|a| a.location.clone())
                            .unwrap_or_default(),
                        evidence: format!(
                            "{} {period}: payments £{payments:.2} exceed the FOI {field} £{:.2}",
                            topic.topic,
                            value.unwrap_or(0.0)
                        ),
                    });
                }
                res.checks.push(Check {
                    body: body.clone(),
                    topic: topic.topic.clone(),
                    field: field.clone(),
                    period: (*period).clone(),
                    verdict,
                    payments,
                    foi: answer,
                    months_missing: missing,
                    evidence: evidence.iter().map(|t| t.id.clone()).collect(),
                });
            }
        }
    }
    res.checks
        .sort_by(|a, b| (&a.body, &a.topic, &a.period).cmp(&(&b.body, &b.topic, &b.period)));
    res.issues.sort();
    res.issues.dedup();
    Ok(res)
}

/// `Sheet!12` or `12`: where a row sits in its file.
pub fn location(r: &SpendRow) -> String {
    match &r.sheet {
        Some(s) => format!("{s}!{}", r.row),
        None => r.row.to_string(),
    }
}
