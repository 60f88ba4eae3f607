//! `partylink run`: load, resolve, enrich and report one contacts file.

use anyhow::Result;
use clap::Args;

use crate::cmd::ContactsArgs;
use crate::enrich::{PowerSource, RunSettings};
use crate::pipeline;
use crate::report::Format;
use crate::shared::progress::Progress;

/// Link contacts to Party Facts parties, power status (DPI's for the year, and on the date of
/// the contact) and Freedom House regime type.
///
/// Reads the contacts (CSV, Parquet or JSON lines: contact_id, date, country, partner; optional
/// venue, partner_kind, news_id, visit_id; other columns pass through) and the sources under
/// --data (Freedom House, DPI, Party Facts, ParlGov's cabinets).
///
/// Writes into --out, each table as .csv and .parquet (see --formats): enriched_contacts (one row
/// per contact and party, in input order, with power_status and power_basis from --power-source
/// and power_status_on_date and power_basis_on_date), interactions (one row per party and visit,
/// with the contact rows merged into it), review_queue, review_dpi_links, audit_crosswalk (every
/// DPI label's link, the audit's checks and decision), accounting, and the paper's tables under
/// tables/ (contacts_by_year, contacts_by_venue_year, contacts_by_country, country_party_shares,
/// top_partners, contacts_per_party, party_contact_shares, power_by_regime, power_shares,
/// power_by_period) with power_source_agreement (party contacts by both readings); and
/// manifest.json (version, inputs with sha256, settings, outputs with sha256, run time). Outputs
/// are written only when the whole run succeeds.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: ContactsArgs,

    /// Rows of one party this many days apart or less are one interaction (one visit)
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub interaction_window: i32,

    /// Which reading of power status feeds power_status, power_basis and every table: DPI's
    /// for the contact's year (as the paper did), or the reading on the contact's date
    /// (ParlGov's cabinet in office, else DPI where it gives the same status on 1 January of
    /// the year and of the next); enriched_contacts has the on-date reading either way
    #[arg(long, value_name = "SOURCE", default_value = "dpi")]
    pub power_source: PowerSource,

    /// Write each table in these formats (comma-separated). Over millions of contacts, Parquet
    /// alone saves most of the writing time; `partylink sql` and `export` read the Parquet files
    #[arg(
        long,
        value_name = "FORMATS",
        value_delimiter = ',',
        default_value = "csv,parquet",
        value_parser = Format::parser(Format::RUN, false)
    )]
    pub formats: Vec<Format>,
}

pub async fn run(args: RunArgs) -> Result<()> {
    let progress = Progress::new(args.input.quiet);
    // Missing sources are reported before anything is read.
    let job = args.input.job()?;
    let settings = RunSettings { interaction_window_days: args.interaction_window, power_source: args.power_source };
    let summary = pipeline::run(&job, settings, &args.formats, &progress).await?;
    drop(progress);
    args.input.report(&summary);
    Ok(())
}
