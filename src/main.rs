//! The `foi` command: parse the arguments, run, and map the outcome to an exit code
//! (0 ok, 1 finished with problems flagged, 2 could not run).

use clap::{Parser, Subcommand};
use foi_survey::pipeline::{self, RunOptions, RunSummary};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "foi",
    version,
    about = "Turn FOI questionnaire replies into checked, tidy data and statistics"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Process a round folder (round.toml, responses/) and write its outputs.
    Run {
        /// The round folder.
        round: PathBuf,
        /// Output folder (default: reports/<round-name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Folder holding the survey schemas and bodies/ registers (default: the shipped ones).
        #[arg(long)]
        schemas: Option<PathBuf>,
        /// Print no progress bar and no summary.
        #[arg(long, short)]
        quiet: bool,
        /// Override a limit, e.g. `--limit zip_max_depth=2` (see README: Limits).
        #[arg(long = "limit", value_name = "KEY=VALUE")]
        limits: Vec<String>,
        /// Read every file afresh: neither take nor keep readings in <out>/.cache/.
        #[arg(long)]
        no_cache: bool,
        /// Print how long each stage took, to stderr (the output files are unchanged).
        #[arg(long)]
        timings: bool,
    },
    /// Write review.csv (and review.xlsx, the same rows): every item flagged for a person, with its
    /// evidence and columns for the decision. Fill it in and save it as reviews.csv in the round
    /// folder: the next run applies it.
    Review {
        round: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Folder holding the survey schemas and bodies/ registers, searched first.
        #[arg(long)]
        schemas: Option<PathBuf>,
    },
    /// Where each body's reply stands: received, linked, parsed, needs review.
    Status {
        round: PathBuf,
        /// Print JSON for scripts instead of a table.
        #[arg(long)]
        json: bool,
        /// Folder holding the survey schemas and bodies/ registers, searched first.
        #[arg(long)]
        schemas: Option<PathBuf>,
    },
    /// Official tables read from the files they are published in (see README: Official tables).
    Reference {
        #[command(subcommand)]
        action: ReferenceCommand,
    },
    /// Compare rounds over time: follow bodies through mergers, find restated figures, kept pace
    /// per year. Reads each round's outputs (responses.csv of `foi run`; a round not yet run is
    /// run first) and writes panel.csv/.parquet, series.csv, trajectories.csv, restated.csv,
    /// report.md and report.html.
    Compare {
        /// The round folders (two or more, any order: they are put in order of `as_of`).
        #[arg(required = true, num_args = 2..)]
        rounds: Vec<PathBuf>,
        /// Each round's output folder, in the same order (default: reports/<round-name>/).
        #[arg(long = "outputs", num_args = 1..)]
        outputs: Vec<PathBuf>,
        /// Output folder (default: reports/compare-<round>-<round>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Folder holding the survey schemas and bodies/ registers (default: the shipped ones).
        #[arg(long)]
        schemas: Option<PathBuf>,
        /// Print nothing.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Show how one file is read: its grids, its text and the answers found in it.
    Inspect {
        /// The file to read.
        file: PathBuf,
        /// The survey schema to look for (a name like `camhs` or a path to a .toml file).
        #[arg(long)]
        schema: String,
        /// The body register name (`ccg`) used to recognise body names.
        #[arg(long, default_value = "ccg")]
        bodies: String,
        /// Register date: which bodies existed.
        #[arg(long, default_value = "2016-06-01")]
        as_of: String,
        /// Folder holding the survey schemas and bodies/ registers, searched first.
        #[arg(long)]
        schemas: Option<PathBuf>,
    },
    /// Work with survey schema files (see schemas/README.md).
    Schema {
        #[command(subcommand)]
        action: SchemaAction,
    },
}

#[derive(Subcommand)]
enum SchemaAction {
    /// Check a schema file against the contract: exit 0 when it holds, 1 with the mistake
    /// (file, line, key and what was expected), 2 when the file cannot be found or read.
    Check {
        /// A path to a .toml file, or a schema name found in the search order.
        file: String,
        /// Folder searched first for a schema given by name.
        #[arg(long)]
        schemas: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ReferenceCommand {
    /// Run an import recipe: write the tidy table (body_code,period,value and provenance) and
    /// print the import report. Exit 1 when the report lists anything for a person.
    Import {
        /// The recipe (.toml), e.g. schemas/reference/occ_cyp_mh_spend.toml.
        recipe: PathBuf,
        /// Where to write the tidy CSV (default: stdout, the report then goes to stderr).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Read this file instead of the one the recipe names (next year's edition).
        #[arg(long)]
        source: Option<PathBuf>,
    },
}

/// Print a line to stdout. A closed pipe (`foi status | head`) ends the program quietly, as Unix
/// tools do, instead of panicking as `println!` does.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

fn print_summary(s: &RunSummary) {
    out!(
        "round {}: {} files ({})",
        s.round,
        s.files,
        s.by_status
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let c = &s.ingest;
    let cache = if s.cache {
        format!("cache: {} reused, {} read", c.reused, c.read)
    } else {
        format!("cache off: {} read", c.read)
    };
    // "parsed": given to a reader, now or by the run that filled the cache.
    let not_read = if c.not_read > 0 {
        format!("; {} not read", c.not_read)
    } else {
        String::new()
    };
    out!(
        "files: {} ({} parsed; {cache}{not_read})",
        c.files,
        c.reused + c.read
    );
    if let Some(first) = c.cache_errors.first() {
        let more = c.cache_errors.len() - 1;
        out!(
            "  note: {first}{}",
            if more > 0 {
                format!(" (and {more} more: run.json)")
            } else {
                String::new()
            }
        );
    }
    out!(
        "bodies: {} surveyed; replies: {}",
        s.bodies,
        s.replies
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out!(
        "cells: {} ({} answered); {} items flagged for a person (issues.csv)",
        s.observations,
        s.answered,
        s.issues
    );
    // The headline only: the statistics of every field and the declared ones are in summary.json.
    let detail = |k: &str| k.starts_with("fields.") || k.starts_with("derived.");
    for (k, v) in s.headline.iter().filter(|(k, _)| !detail(k)) {
        out!("  {k} = {v}");
    }
    let more = s.headline.iter().filter(|(k, _)| detail(k)).count();
    if more > 0 {
        out!("  ... and {more} statistics of every question and the declared ones in summary.json");
    }
    out!("outputs: {}", s.out.display());
}

/// `stage  seconds` lines on stderr, then the total: stdout and the output files stay as they are.
fn print_timings(s: &RunSummary) {
    let total: f64 = s.stages.iter().map(|(_, d)| d.as_secs_f64()).sum();
    for (stage, d) in &s.stages {
        eprintln!("timing {stage:<9} {:>9.3} s", d.as_secs_f64());
    }
    eprintln!("timing {:<9} {total:>9.3} s", "total");
}

/// `foi schema check`: the contract `foi run` applies on load, alone.
fn schema_check(file: &str, schemas: Option<&std::path::Path>) -> ExitCode {
    use foi_survey::schema::{Schema, SchemaError, locate};
    let dirs = pipeline::schema_dirs(std::path::Path::new("."), schemas);
    let loaded = locate(file, &dirs).and_then(|path| Schema::load(&path).map(|s| (path, s)));
    match loaded {
        Ok((path, s)) => {
            let derived: Vec<String> = s
                .derived
                .iter()
                .map(|(name, d)| format!("{name} ({})", d.kind()))
                .collect();
            out!(
                "{}: ok: schema `{}`, {} fields, {} checks, {} derived statistics",
                path.display(),
                s.name,
                s.fields.len(),
                s.checks.len(),
                s.derived.len()
            );
            for f in &s.fields {
                let unit = f
                    .unit
                    .map(|u| format!(" in {}", u.as_str()))
                    .unwrap_or_default();
                let periods = if f.periods.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", f.periods.join(", "))
                };
                out!(
                    "  field {} ({:?}{unit}){periods}: {}",
                    f.id,
                    f.kind,
                    f.display()
                );
            }
            for d in &derived {
                out!("  derived {d}");
            }
            ExitCode::SUCCESS
        }
        Err(e @ (SchemaError::Read { .. } | SchemaError::NotFound { .. })) => {
            eprintln!("foi: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("foi: {e}");
            ExitCode::from(1)
        }
    }
}

/// The exit code of a command: 2 with the reason on stderr when it could not run; else 1 when
/// `report` (which prints what it did) says it finished with items for a person, 0 when not.
fn exit_code<T, E: std::fmt::Display>(
    result: Result<T, E>,
    report: impl FnOnce(T) -> bool,
) -> ExitCode {
    match result.map(report) {
        Ok(true) => ExitCode::from(1),
        Ok(false) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("foi: {e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Review {
            round,
            out,
            schemas,
        } => {
            let opts = RunOptions {
                write: true,
                out,
                schemas,
                progress: std::io::stderr().is_terminal(),
                limits: Vec::new(),
                cache: true,
            };
            exit_code(pipeline::run(&round, &opts), |s| {
                print_review(&s, &round);
                false
            })
        }
        Command::Status {
            round,
            json,
            schemas,
        } => {
            let opts = RunOptions {
                write: false,
                out: None,
                schemas,
                progress: false,
                limits: Vec::new(),
                cache: true,
            };
            exit_code(pipeline::run(&round, &opts), |s| {
                print_status(&s, json);
                false
            })
        }
        Command::Schema {
            action: SchemaAction::Check { file, schemas },
        } => schema_check(&file, schemas.as_deref()),
        Command::Compare {
            rounds,
            outputs,
            out,
            schemas,
            quiet,
        } => {
            let opts = foi_survey::compare::CompareOptions {
                rounds,
                outputs,
                out,
                schemas,
            };
            exit_code(foi_survey::compare::run(&opts), |s| {
                if !quiet {
                    for line in &s.lines {
                        out!("{line}");
                    }
                }
                s.unclear > 0
            })
        }
        Command::Inspect {
            file,
            schema,
            bodies,
            as_of,
            schemas,
        } => {
            let text =
                foi_survey::inspect::inspect(&file, &schema, &bodies, &as_of, schemas.as_deref());
            exit_code(text, |text| {
                out!("{}", text.strip_suffix('\n').unwrap_or(&text));
                false
            })
        }
        Command::Reference {
            action:
                ReferenceCommand::Import {
                    recipe,
                    out,
                    source,
                },
        } => reference_import(&recipe, out.as_deref(), source.as_deref()),
        Command::Run {
            round,
            out,
            schemas,
            quiet,
            limits,
            no_cache,
            timings: _,
        } if foi_survey::spend::round::is_spend(&round) => {
            // A spend-over-£25k round (round.toml `kind = "spend"`): the spend pipeline.
            let opts = foi_survey::spend::SpendOptions {
                out,
                schemas,
                limits,
                cache: !no_cache,
            };
            exit_code(foi_survey::spend::run(&round, &opts), |s| {
                if !quiet {
                    print_spend(&s);
                }
                s.issues > 0
            })
        }
        Command::Run {
            round,
            out,
            schemas,
            quiet,
            limits,
            no_cache,
            timings,
        } => {
            let opts = RunOptions {
                write: true,
                out,
                schemas,
                progress: !quiet && std::io::stderr().is_terminal(),
                limits,
                cache: !no_cache,
            };
            exit_code(pipeline::run(&round, &opts), |summary| {
                if !quiet {
                    print_summary(&summary);
                }
                if timings {
                    print_timings(&summary);
                }
                summary.has_problems()
            })
        }
    }
}

/// `foi review`: where the review file is and what to do with it.
fn print_review(s: &RunSummary, round: &std::path::Path) {
    let flagged = s.body_status.iter().map(|b| b.needs_review).sum::<usize>();
    out!(
        "{flagged} items for review in {} (and review.xlsx beside it)",
        s.out.join("review.csv").display()
    );
    let statuses: Vec<&str> = foi_survey::observation::Status::ALL
        .iter()
        .filter(|s| **s != foi_survey::observation::Status::NoResponse)
        .map(|s| s.as_str())
        .collect();
    out!(
        "Fill in status ({}), value, reviewer and note;",
        statuses.join(", ")
    );
    out!(
        "save the file as {} and run again: decisions are applied and shown as provenance `review`.",
        round.join("reviews.csv").display()
    );
    if s.reviews_applied + s.reviews_stale > 0 {
        out!(
            "{} decisions applied, {} stale (their evidence file changed) not applied",
            s.reviews_applied,
            s.reviews_stale
        );
    }
}

/// `foi status`: where each body's reply stands, as a table or JSON.
fn print_status(s: &RunSummary, json: bool) {
    let count =
        |f: &dyn Fn(&pipeline::BodyStatus) -> bool| s.body_status.iter().filter(|b| f(b)).count();
    if json {
        let v = serde_json::json!({
            "round": s.round,
            "bodies": s.body_status,
            "counts": {
                "surveyed": s.body_status.len(),
                "received": count(&|b| b.received),
                "linked": count(&|b| b.linked),
                "parsed": count(&|b| b.parsed),
                "needs_review": count(&|b| b.needs_review > 0),
            }
        });
        out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    out!(
        "{:<5} {:<48} {:>8} {:>6} {:>6} {:<11} {:>8} {:>6}",
        "code",
        "body",
        "received",
        "linked",
        "parsed",
        "reply",
        "answered",
        "review"
    );
    let tick = |b: bool| if b { "yes" } else { "-" };
    for b in &s.body_status {
        let name: String = b.name.chars().take(48).collect();
        out!(
            "{:<5} {:<48} {:>8} {:>6} {:>6} {:<11} {:>8} {:>6}",
            b.code,
            name,
            tick(b.received),
            tick(b.linked),
            tick(b.parsed),
            b.reply,
            b.answered,
            b.needs_review
        );
    }
    out!(
        "{} bodies: {} received, {} linked, {} parsed, {} need review",
        s.body_status.len(),
        count(&|b| b.received),
        count(&|b| b.linked),
        count(&|b| b.parsed),
        count(&|b| b.needs_review > 0)
    );
}

/// `foi run` on a spend round: what was kept and how the cross-check went.
fn print_spend(s: &foi_survey::spend::SpendSummary) {
    out!(
        "spend round {}: {} files, {} bodies; {} payment lines kept, {} re-published copies",
        s.round,
        s.files,
        s.bodies,
        s.kept,
        s.duplicates
    );
    out!(
        "cross-check: {}",
        s.verdicts
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out!("{} items flagged for a person (issues.csv)", s.issues);
    out!("outputs: {}", s.out.display());
}

/// `foi reference import`: the tidy table to `out` (or stdout), the import report beside it.
fn reference_import(
    recipe: &std::path::Path,
    out: Option<&std::path::Path>,
    source: Option<&std::path::Path>,
) -> ExitCode {
    use foi_survey::reference::{self, ReferenceError};
    let run = || -> Result<reference::Imported, ReferenceError> {
        let recipe = reference::Recipe::load(recipe)?;
        let imported = reference::import(&recipe, source)?;
        match out {
            Some(path) => {
                let write_err = |e: &dyn std::fmt::Display| ReferenceError::Write {
                    path: path.to_owned(),
                    message: e.to_string(),
                };
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| write_err(&e))?;
                }
                let file = std::fs::File::create(path).map_err(|e| write_err(&e))?;
                reference::import::write_csv(&imported.rows, std::io::BufWriter::new(file))
                    .map_err(|e| write_err(&e))?;
            }
            None => reference::import::write_csv(&imported.rows, std::io::stdout().lock())
                .map_err(|e| ReferenceError::Write {
                    path: "stdout".into(),
                    message: e.to_string(),
                })?,
        }
        Ok(imported)
    };
    exit_code(run(), |imported| {
        let text = imported.report.render(imported.rows.len());
        if out.is_some() {
            out!("{}", text.trim_end());
        } else {
            eprint!("{text}");
        }
        imported.report.needs_attention()
    })
}
