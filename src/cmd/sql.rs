//! `partylink sql`: DataFusion SQL over a run's output tables.

use std::io::IsTerminal;

use anyhow::Result;
use clap::Args;

use crate::cmd::RunDirArgs;
use crate::cmd::shell::Shell;
use crate::enrich;
use crate::report::Format;

/// Query a run's output tables with SQL (DataFusion's dialect).
///
/// Every table the run wrote into its folder (--run) is registered under its name
/// (enriched_contacts, interactions, review_queue, accounting, top_partners, power_by_regime,
/// ...); the folder must match its manifest.json. With QUERY (statements or dot commands),
/// runs it and prints the result.
/// Without, reads statements: at a terminal from a prompt (history in ~/.partylink_history),
/// otherwise from stdin as a script, which stops with exit 1 at the first failing statement.
/// Statements end with ';' (the last one may not); `.help`, `.tables`, `.schema [TABLE]`,
/// `.quit` (or `exit`, `quit`).
#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(flatten)]
    pub run: RunDirArgs,

    /// How to print results: an aligned table, or CSV / a JSON array for machines
    #[arg(short, long, value_parser = Format::parser(Format::SQL, false), default_value = "table")]
    pub format: Format,

    /// The query; none reads statements from the prompt or stdin
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
}

pub async fn run(args: SqlArgs) -> Result<()> {
    let ctx = enrich::create_context();
    let tables = args.run.open(&ctx).await?;
    let mut shell = Shell { ctx: &ctx, tables: &tables, format: args.format };
    match &args.query {
        // QUERY is a script of one line or more: statements, dot commands.
        Some(query) => shell.script(std::io::Cursor::new(query), false).await,
        None if std::io::stdin().is_terminal() => shell.prompt().await,
        None => shell.script(std::io::stdin().lock(), true).await,
    }
}
