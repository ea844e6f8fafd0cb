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
