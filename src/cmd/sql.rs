//! `partylink sql`: DataFusion SQL over a run's output tables.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use datafusion::execution::context::SessionContext;

use crate::enrich;
use crate::report::Format;

/// Query a run's output tables with SQL (DataFusion's dialect).
///
/// Every table the run wrote into --out is registered under its name (enriched_contacts,
/// interactions, review_queue, accounting, top_partners, power_by_regime, ...). With QUERY,
/// runs it and prints the result; without, opens an interactive prompt (history in
/// ~/.partylink_history; end statements with ';', `.tables` lists the tables, `.quit` leaves).
#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The run's output directory
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// How to print results: an aligned table, or CSV / a JSON array for machines
    #[arg(long, value_parser = Format::parser(Format::SQL, false), default_value = "table")]
    pub format: Format,

    /// The query; none opens the interactive prompt
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
}

pub async fn run(args: SqlArgs) -> Result<()> {
    let ctx = enrich::create_context();
    let tables = enrich::register_outputs(&ctx, &args.out).await?;
    match &args.query {
        Some(query) => {
            let batch = enrich::query(&ctx, query).await?;
            args.format.print(std::io::stdout().lock(), &batch)
        }
        None => interactive(&ctx, &tables, args.format).await,
    }
}

async fn interactive(ctx: &SessionContext, tables: &[String], format: Format) -> Result<()> {
    let mut editor = rustyline::DefaultEditor::new()?;
    let history = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".partylink_history"));
    if let Some(path) = &history {
        editor.load_history(path).ok();
    }
    eprintln!(
        "partylink sql: {} tables ({}); end a statement with ';', .quit to leave",
        tables.len(),
        tables.join(", ")
    );
    let mut statement = String::new();
    loop {
        let prompt = if statement.is_empty() { "partylink> " } else { "      ...> " };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(rustyline::error::ReadlineError::Interrupted) => {
                statement.clear();
                continue;
            }
            Err(rustyline::error::ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        match line.trim() {
            ".quit" | ".exit" => break,
            ".tables" => {
                println!("{}", tables.join("\n"));
                continue;
            }
            _ => {}
        }
        statement.push_str(&line);
        statement.push('\n');
        if !line.trim_end().ends_with(';') {
            continue;
        }
        editor.add_history_entry(statement.trim())?;
        match enrich::query(ctx, statement.trim().trim_end_matches(';')).await {
            Ok(batch) => format.print(std::io::stdout().lock(), &batch)?,
            Err(e) => eprintln!("error: {e:#}"),
        }
        statement.clear();
    }
    if let Some(path) = &history {
        editor.save_history(path).ok();
    }
    Ok(())
}
