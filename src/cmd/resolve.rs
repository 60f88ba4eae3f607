//! `partylink resolve`: resolution alone, without enrichment.

use anyhow::Result;
use clap::Args;

use crate::cmd::ContactsArgs;
use crate::pipeline;

/// Resolve contacts' countries and partners, without enrichment.
///
/// Reads the contacts and the sources as `run` does. Writes into --out, each table as .csv and
/// .parquet (see --format): resolved_contacts (one row per contact and party: iso3,
/// partyfacts_id, match_method, match_score, matched_name, outcome, and the best candidates of
/// what goes to review), review_queue, review_dpi_links and accounting; and manifest.json, so
/// that `sql` and `export` read the folder as a run's. A folder holding a run's outputs is
/// refused: give resolve its own.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub input: ContactsArgs,
}

pub async fn run(args: ResolveArgs) -> Result<()> {
    let summary = pipeline::resolve_only(&args.input.job()?, &args.input.output.formats.format).await?;
    args.input.report(&summary);
    Ok(())
}
