//! The command line: one subcommand per step a user asks for.

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::cmd;
use crate::shared::parallel;

/// partylink links event data that mentions political parties to Party Facts party ids, the
/// DPI's government/opposition status and Freedom House's regime type.
#[derive(Debug, Parser)]
#[command(name = "partylink", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Threads to work on: resolving, reading and writing files, and the SQL stages' partitions
    /// [default: the machine's cores]. Outputs are the same whatever the number
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // Each subcommand's help is its arguments' doc comment: a line, then its inputs and outputs.
    Run(cmd::run::RunArgs),
    Extract(cmd::extract::ExtractArgs),
    Resolve(cmd::resolve::ResolveArgs),
    Explain(cmd::explain::ExplainArgs),
    Eval(cmd::eval::EvalArgs),
    Sql(cmd::sql::SqlArgs),
    Export(cmd::export::ExportArgs),
    Report(cmd::report::ReportArgs),
    Synth(cmd::synth::SynthArgs),
}

pub fn main(cli: Cli) -> Result<()> {
    if let Some(threads) = cli.threads {
        parallel::set_threads(threads.into());
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
            Command::Explain(args) => cmd::explain::run(args).await,
            Command::Eval(args) => cmd::eval::run(args).await,
            Command::Sql(args) => cmd::sql::run(args).await,
            Command::Export(args) => cmd::export::run(args).await,
            Command::Report(args) => cmd::report::run(args).await,
            Command::Synth(args) => cmd::synth::run(args).await,
        }
    })
}
