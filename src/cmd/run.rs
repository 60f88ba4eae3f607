//! `partylink run`: load, resolve, enrich and report one contacts file.

use anyhow::Result;
use clap::Args;

use crate::cmd::ContactsArgs;
use crate::enrich::RunSettings;
use crate::pipeline;
use crate::shared::progress::Progress;

/// Link contacts to Party Facts parties, DPI power status and Freedom House regime type.
///
/// Reads the contacts (CSV, Parquet or JSON lines: contact_id, date, country, partner; optional
/// venue, partner_kind, news_id, visit_id; other columns pass through) and the sources under
/// --data.
///
/// Writes into --out, each table as .csv and .parquet (see --format): enriched_contacts (one row per contact
/// and party, in input order), interactions (one row per party and visit, with the
/// contact rows merged into it), review_queue, review_dpi_links, accounting, and the paper's
/// tables under tables/ (contacts_by_year, contacts_by_venue_year, contacts_by_country,
/// country_party_shares, top_partners, contacts_per_party, party_contact_shares,
/// power_by_regime, power_shares, power_by_period); and manifest.json (version, inputs with
/// sha256, settings, outputs with sha256, the command line, run time). Outputs are written
/// only when the whole run succeeds; the run owns the folder: outputs of an earlier run it does
/// not write again are removed (files under other names are left alone).
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: ContactsArgs,

    /// Rows of one party this many days apart or less are one interaction (one visit)
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub interaction_window: i32,
}

pub async fn run(args: RunArgs) -> Result<()> {
    let progress = Progress::new();
    // Missing sources are reported before anything is read.
    let job = args.input.job()?;
    let settings = RunSettings { interaction_window_days: args.interaction_window };
    let summary = pipeline::run(&job, settings, &args.input.format, &progress).await?;
    drop(progress);
    args.input.report(&summary);
    Ok(())
}
