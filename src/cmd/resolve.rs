//! `partylink resolve`: resolution alone, without enrichment.

use anyhow::Result;
use clap::Args;

use crate::cmd::{ContactsArgs, load, run::summary};
use crate::enrich::{self, Stage};
use crate::output::Staging;
use crate::pipeline;
use crate::read::contacts;

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

/// The stages that read only the resolved contacts.
const RESOLUTION_STAGES: &[&str] = &["review_queue", "accounting"];

pub async fn run(args: ResolveArgs) -> Result<()> {
    args.input.sources.paths()?;
    let contacts = contacts::read(args.input.contacts_file()?)?;
    let loaded = load(&args.input.sources, &args.input.resolver).await?;
    let resolved = pipeline::register_resolved(&loaded.ctx, &loaded.registry, &loaded.reference.countries, &contacts)?;
    let stages: Vec<Stage> =
        enrich::CONTACT_STAGES.iter().filter(|s| RESOLUTION_STAGES.contains(&s.table())).copied().collect();
    enrich::run_stages(&loaded.ctx, &stages).await?;

    let mut staging = Staging::new(&args.input.output.out)?;
    staging.write_csv_batches("resolved_contacts.csv", pipeline::contacts_resolved(&contacts, &resolved)?.batches())?;
    staging.write_csv("review_queue.csv", &enrich::table(&loaded.ctx, "review_queue").await?)?;
    staging.write_csv("review_dpi_links.csv", &enrich::table(&loaded.ctx, "dpi_resolver_links").await?)?;
    staging.write_csv("accounting.csv", &enrich::table(&loaded.ctx, "accounting").await?)?;
    let written = staging.commit()?;
    if !args.input.output.quiet {
        eprintln!(
            "partylink: {}; wrote {} files to {}",
            summary(contacts.len(), &resolved.outcomes),
            written.len(),
            args.input.output.out.display()
        );
    }
    Ok(())
}
