//! The command line: one subcommand per step a user asks for.

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::cmd;

/// partylink links event data that mentions political parties to Party Facts party ids, the
/// DPI's government/opposition status and Freedom House's regime type.
#[derive(Debug, Parser)]
#[command(name = "partylink", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load, resolve, enrich and report one contacts file
    Run(cmd::run::RunArgs),
    /// Resolve countries and partners only, with the review queue
    Resolve(cmd::resolve::ResolveArgs),
    /// Explain how a name resolves in a country and year
    Explain(cmd::explain::ExplainArgs),
    /// Measure resolution's precision and recall on a labelled set built from the sources
    Eval(cmd::eval::EvalArgs),
    /// Query a run's output tables with SQL, or open an interactive prompt
    Sql(cmd::sql::SqlArgs),
    /// Export a run's tables to csv, parquet, json, arrow or xlsx
    Export(cmd::export::ExportArgs),
    /// Write synthetic contacts with known truth, for benchmarks
    Synth(cmd::synth::SynthArgs),
}

pub fn main(cli: Cli) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        match cli.command {
            Command::Run(args) => cmd::run::run(args).await,
            Command::Resolve(args) => cmd::resolve::run(args).await,
            Command::Explain(args) => cmd::explain::run(args).await,
            Command::Eval(args) => cmd::eval::run(args).await,
            Command::Sql(args) => cmd::sql::run(args).await,
            Command::Export(args) => cmd::export::run(args).await,
            Command::Synth(args) => cmd::synth::run(args).await,
        }
    })
}
