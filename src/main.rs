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

fn print_summary(s: &RunSummary) {
    println!("round {}: {} files ({})", s.round, s.files, s.by_status.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", "));
    println!(
        "bodies: {} surveyed; replies: {}",
        s.bodies,
        s.replies.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ")
    );
    println!("cells: {} ({} answered); {} items flagged for a person (issues.csv)", s.observations, s.answered, s.issues);
    for (k, v) in &s.headline {
        println!("  {k} = {v}");
    }
    println!("outputs: {}", s.out.display());
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect { file, schema, bodies, as_of } => match foi_survey::inspect::inspect(&file, &schema, &bodies, &as_of) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("foi: {e}");
                ExitCode::from(2)
            }
        },
        Command::Run { round, out, schemas, quiet } => {
            let opts = RunOptions { out, schemas, progress: !quiet && std::io::stderr().is_terminal() };
            match pipeline::run(&round, &opts) {
                Ok(summary) => {
                    if !quiet {
                        print_summary(&summary);
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
