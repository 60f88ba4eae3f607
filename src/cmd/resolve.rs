//! `partylink resolve`: resolution alone, without enrichment.

use anyhow::Result;
use clap::Args;

use crate::cmd::ContactsArgs;
use crate::pipeline;

/// Resolve contacts' countries and partners, without enrichment.
///
/// Reads the contacts and the sources as `run` does. Writes into --out: resolved_contacts.csv
/// (one row per contact and party: iso3, partyfacts_id, match_method, match_score,
/// matched_name, outcome, and the best candidates of what goes to review), review_queue.csv,
/// review_dpi_links.csv and accounting.csv.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub input: ContactsArgs,
}

pub async fn run(args: ResolveArgs) -> Result<()> {
    let summary = pipeline::resolve_only(&args.input.job()?).await?;
    args.input.report(&summary);
    Ok(())
}
