//! The `foi` command: parse the arguments, run, and map the outcome to an exit code
//! (0 ok, 1 finished with problems flagged, 2 could not run).

use clap::{Parser, Subcommand};
use foi_survey::pipeline::{self, RunOptions, RunSummary};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "foi", version, about = "Turn FOI questionnaire replies into checked, tidy data and statistics")]
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
    },
    /// Where each body's reply stands: received, linked, parsed, needs review.
    Status {
        round: PathBuf,
        /// Print JSON for scripts instead of a table.
        #[arg(long)]
        json: bool,
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
    out!("round {}: {} files ({})", s.round, s.files, s.by_status.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", "));
    let c = &s.ingest;
    let cache = if s.cache { format!("cache: {} reused, {} read", c.reused, c.read) } else { format!("cache off: {} read", c.read) };
    // "parsed": given to a reader, now or by the run that filled the cache.
    let not_read = if c.not_read > 0 { format!("; {} not read", c.not_read) } else { String::new() };
    out!("files: {} ({} parsed; {cache}{not_read})", c.files, c.reused + c.read);
    if let Some(first) = c.cache_errors.first() {
        let more = c.cache_errors.len() - 1;
        out!("  note: {first}{}", if more > 0 { format!(" (and {more} more: run.json)") } else { String::new() });
    }
    out!(
        "bodies: {} surveyed; replies: {}",
        s.bodies,
        s.replies.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ")
    );
    out!("cells: {} ({} answered); {} items flagged for a person (issues.csv)", s.observations, s.answered, s.issues);
    for (k, v) in &s.headline {
        out!("  {k} = {v}");
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Review { round, out } => {
            let opts = RunOptions { write: true, out, schemas: None, progress: std::io::stderr().is_terminal(), limits: Vec::new(), cache: true };
            match pipeline::run(&round, &opts) {
                Ok(s) => {
                    let flagged = s.body_status.iter().map(|b| b.needs_review).sum::<usize>();
                    out!("{flagged} items for review in {} (and review.xlsx beside it)", s.out.join("review.csv").display());
                    out!("Fill in status (answered, not_held, refused, exempt, not_applicable, unclear), value, reviewer and note;");
                    out!("save the file as {} and run again: decisions are applied and shown as provenance `review`.", round.join("reviews.csv").display());
                    if s.reviews_applied + s.reviews_stale > 0 {
                        out!("{} decisions applied, {} stale (their evidence file changed) not applied", s.reviews_applied, s.reviews_stale);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("foi: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Status { round, json } => {
            let opts = RunOptions { write: false, out: None, schemas: None, progress: false, limits: Vec::new(), cache: true };
            match pipeline::run(&round, &opts) {
                Ok(s) => {
                    if json {
                        let v = serde_json::json!({
                            "round": s.round,
                            "bodies": s.body_status,
                            "counts": {
                                "surveyed": s.body_status.len(),
                                "received": s.body_status.iter().filter(|b| b.received).count(),
                                "linked": s.body_status.iter().filter(|b| b.linked).count(),
                                "parsed": s.body_status.iter().filter(|b| b.parsed).count(),
                                "needs_review": s.body_status.iter().filter(|b| b.needs_review > 0).count(),
                            }
                        });
                        out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                    } else {
                        out!("{:<5} {:<48} {:>8} {:>6} {:>6} {:<11} {:>8} {:>6}", "code", "body", "received", "linked", "parsed", "reply", "answered", "review");
                        let tick = |b: bool| if b { "yes" } else { "-" };
                        for b in &s.body_status {
                            let name: String = b.name.chars().take(48).collect();
                            out!("{:<5} {:<48} {:>8} {:>6} {:>6} {:<11} {:>8} {:>6}", b.code, name, tick(b.received), tick(b.linked), tick(b.parsed), b.reply, b.answered, b.needs_review);
                        }
                        let count = |f: &dyn Fn(&pipeline::BodyStatus) -> bool| s.body_status.iter().filter(|b| f(b)).count();
                        out!(
                            "{} bodies: {} received, {} linked, {} parsed, {} need review",
                            s.body_status.len(),
                            count(&|b| b.received),
                            count(&|b| b.linked),
                            count(&|b| b.parsed),
                            count(&|b| b.needs_review > 0)
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("foi: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Inspect { file, schema, bodies, as_of } => match foi_survey::inspect::inspect(&file, &schema, &bodies, &as_of) {
            Ok(text) => {
                out!("{}", text.strip_suffix('\n').unwrap_or(&text));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("foi: {e}");
                ExitCode::from(2)
            }
        },
        Command::Run { round, out, schemas, quiet, limits, no_cache, timings: _ } if foi_survey::spend::round::is_spend(&round) => {
            // A spend-over-£25k round (round.toml `kind = "spend"`): the spend pipeline.
            let opts = foi_survey::spend::SpendOptions { out, schemas, limits, cache: !no_cache };
            match foi_survey::spend::run(&round, &opts) {
                Ok(s) => {
                    if !quiet {
                        out!("spend round {}: {} files, {} bodies; {} payment lines kept, {} re-published copies", s.round, s.files, s.bodies, s.kept, s.duplicates);
                        out!("cross-check: {}", s.verdicts.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", "));
                        out!("{} items flagged for a person (issues.csv)", s.issues);
                        out!("outputs: {}", s.out.display());
                    }
                    if s.issues > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
                }
                Err(e) => {
                    eprintln!("foi: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Run { round, out, schemas, quiet, limits, no_cache, timings } => {
            let opts = RunOptions { write: true, out, schemas, progress: !quiet && std::io::stderr().is_terminal(), limits, cache: !no_cache };
            match pipeline::run(&round, &opts) {
                Ok(summary) => {
                    if !quiet {
                        print_summary(&summary);
                    }
                    if timings {
                        print_timings(&summary);
                    }
                    if summary.has_problems() { ExitCode::from(1) } else { ExitCode::SUCCESS }
                }
                Err(e) => {
                    eprintln!("foi: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
