//! The command line: one subcommand per step a user asks for, the options every command takes
//! (`--threads`, `-q`, `-v`), and the environment switches, checked before anything runs.

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

use crate::cmd;
use crate::enrich;
use crate::shared::{self, parallel, progress, timing};

/// The environment switches partylink reads, as `--help` lists them.
const ENVIRONMENT: &str = "\
Environment:
  PARTYLINK_DATA       the directory of source files (as --data)
  PARTYLINK_CACHE_DIR  where the DPI links are cached (as --cache-dir)
  PARTYLINK_TIMINGS    1 (or true): print each step's time on stderr (as -v); 0, false or
                       empty: do not
  PARTYLINK_EXPLAIN    stage tables, comma-separated (e.g. interactions): print each one's
                       plan with its operators' times and rows
  PARTYLINK_DIRECT_IO  0 (or false): write outputs through the page cache; 1, true or empty:
                       past it where the file system and the device allow (the default)";

/// partylink links event data that mentions political parties to Party Facts party ids, the
/// DPI's government/opposition status and Freedom House's regime type.
#[derive(Debug, Parser)]
#[command(name = "partylink", version, about, long_about = None, after_help = ENVIRONMENT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Threads to work on: resolving, reading and writing files, and the SQL stages' partitions
    /// [default: the machine's cores]. Outputs are the same whatever the number
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Print nothing on stderr but errors (no progress, no summary)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print each step's time on stderr (as PARTYLINK_TIMINGS=1)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // Each subcommand's help is its arguments' doc comment: a line, then its inputs and outputs.
    Run(cmd::run::RunArgs),
    Extract(cmd::extract::ExtractArgs),
    Resolve(cmd::resolve::ResolveArgs),
    Review(cmd::review::ReviewArgs),
    Explain(cmd::explain::ExplainArgs),
    Eval(cmd::eval::EvalArgs),
    Sql(cmd::sql::SqlArgs),
    Export(cmd::export::ExportArgs),
    Report(cmd::report::ReportArgs),
    Synth(cmd::synth::SynthArgs),
    Completions(cmd::docs::CompletionsArgs),
    Man(cmd::docs::ManArgs),
}

/// Checks the environment switches: a value partylink would not understand is an error, not
/// a switch silently off.
pub fn check_environment() -> Result<()> {
    for switch in ["PARTYLINK_TIMINGS", "PARTYLINK_DIRECT_IO"] {
        if let Ok(value) = std::env::var(switch)
            && !value.is_empty()
            && shared::switch(Some(&value)).is_none()
        {
            anyhow::bail!("{switch}={value:?}: expected 1 or 0 (or true or false)");
        }
    }
    if let Ok(value) = std::env::var("PARTYLINK_EXPLAIN") {
        let tables: Vec<&str> = enrich::all_stages().map(|s| s.table()).collect();
        for name in value.split(',').filter(|n| !n.is_empty()) {
            if !tables.contains(&name) {
                anyhow::bail!("PARTYLINK_EXPLAIN: no SQL stage makes {name:?}; the stages make {}", tables.join(", "));
            }
        }
    }
    Ok(())
}

pub fn main(cli: Cli) -> Result<()> {
    check_environment()?;
    if let Some(threads) = cli.threads {
        parallel::set_threads(threads.into());
    }
    progress::set_quiet(cli.quiet);
    if cli.verbose {
        timing::enable();
    }
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.worker_threads(parallel::threads()).enable_all();
    if cfg!(feature = "distributed") {
        // A standalone Ballista scheduler and executor run on these threads: decoding a stage's
        // plan recurses deeply, and Ballista's own binaries give their threads 32 MiB.
        runtime.thread_stack_size(32 << 20);
    }
    let runtime = runtime.build()?;
    runtime.block_on(async {
        match cli.command {
            Command::Run(args) => cmd::run::run(args).await,
            Command::Extract(args) => cmd::extract::run(args).await,
            Command::Resolve(args) => cmd::resolve::run(args).await,
            Command::Review(args) => cmd::review::run(args).await,
            Command::Explain(args) => cmd::explain::run(args).await,
            Command::Eval(args) => cmd::eval::run(args).await,
            Command::Sql(args) => cmd::sql::run(args).await,
            Command::Export(args) => cmd::export::run(args).await,
            Command::Report(args) => cmd::report::run(args).await,
            Command::Synth(args) => cmd::synth::run(args).await,
            Command::Completions(args) => cmd::docs::completions(args, Cli::command()),
            Command::Man(args) => cmd::docs::man(args, Cli::command()),
        }
    })
}
