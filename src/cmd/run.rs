//! `partylink run`: load, resolve, enrich and report one contacts file.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs, load};
use crate::output::Staging;
use crate::pipeline;
use crate::read::contacts;

/// Link contacts to Party Facts parties, DPI power status and Freedom House regime type.
///
/// Reads the contacts (CSV, Parquet or JSON lines: contact_id, date, country, partner; optional
/// venue, partner_kind, news_id; other columns pass through) and the sources under --data.
///
/// Writes into --out: enriched_contacts.csv and .parquet (one row per contact and party, sorted
/// by contact_id), tables/power_by_regime.csv, review_queue.csv, review_dpi_links.csv and
/// accounting.csv. Outputs are written only when the whole run succeeds.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Contacts file: .csv, .parquet or .jsonl
    #[arg(long, value_name = "FILE")]
    pub contacts: PathBuf,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    /// Output directory
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Print nothing but errors
    #[arg(long)]
    pub quiet: bool,
}

pub async fn run(args: RunArgs) -> Result<()> {
    // Missing sources and bad contacts are reported before the sources are loaded.
    args.sources.paths()?;
    let contacts = contacts::read(&args.contacts)?;
    let loaded = load(&args.sources, &args.resolver).await?;
    let output = pipeline::run(&loaded.ctx, &loaded.registry, &loaded.reference.countries, &contacts).await?;

    let mut staging = Staging::new(&args.out)?;
    staging.write_csv("enriched_contacts.csv", &output.enriched_contacts)?;
    staging.write_parquet("enriched_contacts.parquet", &output.enriched_contacts)?;
    staging.write_csv("tables/power_by_regime.csv", &output.power_by_regime)?;
    staging.write_csv("review_queue.csv", &output.review_queue)?;
    staging.write_csv("review_dpi_links.csv", &output.dpi_links)?;
    staging.write_csv("accounting.csv", &output.accounting)?;
    let written = staging.commit()?;
    if !args.quiet {
        eprintln!("partylink: {}; wrote {} files to {}", summary(contacts.contacts.len(), &output.outcomes), written.len(), args.out.display());
    }
    Ok(())
}

/// "384 contacts: 329 matched, 38 non-party, 17 to review".
pub fn summary(contacts: usize, outcomes: &std::collections::BTreeMap<&'static str, usize>) -> String {
    let count = |outcome: &str| outcomes.get(outcome).copied().unwrap_or(0);
    let mut text = format!("{contacts} contacts: {} matched, {} non-party", count("matched"), count("non_party"));
    if count("not_a_party") > 0 {
        text.push_str(&format!(", {} not a party (overrides)", count("not_a_party")));
    }
    text.push_str(&format!(", {} to review", count("review_party") + count("review_country")));
    text
}
