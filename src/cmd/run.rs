//! `partylink run`: load, resolve, enrich and report one contacts file.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::ContactsArgs;
use crate::distributed::{Cluster, ClusterRun};
use crate::enrich::{self, PowerSource, RunSettings};
use crate::pipeline::{self, Reporting};
use crate::shared::progress::Progress;

/// Link contacts to Party Facts parties, power status (DPI's for the year, and on the date of
/// the contact) and Freedom House regime type.
///
/// Reads the contacts (CSV, Parquet or JSON lines: contact_id, date, country, partner; optional
/// venue, partner_kind, news_id, visit_id; other columns pass through) and the sources under
/// --data (Freedom House, DPI, Party Facts, ParlGov's cabinets). With --news instead of
/// --contacts, it reads news items and extracts the contacts from them first, as `partylink
/// extract` does, writing its files too; with both, the contacts are read from --contacts.
///
/// Writes into --out, each table as .csv and .parquet (see --format): enriched_contacts (one row
/// per contact and party, in input order, with power_status and power_basis from --power-source
/// and power_status_on_date and power_basis_on_date), interactions (one row per party and visit,
/// with the contact rows merged into it), review_queue, review_dpi_links, audit_crosswalk (every
/// DPI label's link, the audit's checks and decision), accounting, and the paper's tables under
/// tables/ (contacts_by_year, contacts_by_venue_year, contacts_by_country, country_party_shares,
/// top_partners, contacts_per_party, party_contact_shares, power_by_regime, power_shares,
/// power_by_period, power_source_agreement, totals, contacts_by_region,
/// parties_by_contacts_regime_power, contacts_by_period); the figures under figures/ (SVG and
/// PNG) and report.html, unless --no-report; and manifest.json (version, inputs with sha256,
/// settings, outputs with sha256, the command line, run time). With --news, also the content analysis: news_items,
/// news_topic_mentions, tables/topics_by_year and tables/topics_by_partner_regime, and figures 6
/// to 8. Outputs are written only when the whole run succeeds; the run owns the folder: outputs
/// of an earlier run it does not write again are removed (files under other names are left
/// alone).
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: ContactsArgs,

    /// Rows of one party and venue this many days or less after a visit's first row are that
    /// visit (one interaction); the next row opens another
    #[arg(long, value_name = "DAYS", default_value_t = 7, value_parser = clap::value_parser!(i32).range(0..=366))]
    pub interaction_window: i32,

    /// No interaction lasts longer than this many days, whatever ties its rows (a visit_id, a
    /// news item): a row this many days or more after its first row opens the next one
    #[arg(long, value_name = "DAYS", default_value_t = 21, value_parser = clap::value_parser!(i32).range(1..=3660))]
    pub max_visit_days: i32,

    /// The years the tables cover, FROM-TO (both included), one year, or `all`. Contacts outside
    /// it stay in enriched_contacts (in_period false) and are counted as out_of_period in the
    /// accounting, but enter no interaction and no table. The default is the paper's
    #[arg(long, value_name = "FROM-TO", default_value = "2002-2017", value_parser = enrich::parse_period)]
    pub period: enrich::Period,

    /// The first year of the later period in tables/contacts_by_period and power_by_period
    #[arg(long, value_name = "YEAR", default_value_t = 2013)]
    pub period_split: i32,

    /// Write the tables only: no figures/ and no report.html
    #[arg(long)]
    pub no_report: bool,
    /// Which reading of power status feeds power_status, power_basis and every table: DPI's
    /// for the contact's year (as the paper did), or the reading on the contact's date
    /// (ParlGov's cabinet in office, else DPI where it gives the same status on 1 January of
    /// the year and of the next); enriched_contacts has the on-date reading either way
    #[arg(long, value_name = "SOURCE", default_value = "dpi")]
    pub power_source: PowerSource,
    /// Run the SQL stages that read the contacts on an Apache DataFusion Ballista cluster:
    /// df://HOST:PORT (a partylink-scheduler and its partylink-executors), or standalone (a
    /// scheduler and an executor of --threads task slots in this process). The outputs are a
    /// local run's. Needs partylink built with `--features distributed`
    #[arg(long, value_name = "df://HOST:PORT|standalone")]
    pub cluster: Option<Cluster>,
    /// With --cluster: a directory the driver and every executor mount at this same path,
    /// where the run writes its tables as Parquet for the executors (and removes them after)
    /// [default with standalone: the system's temporary directory]
    #[arg(long, value_name = "DIR", requires = "cluster")]
    pub cluster_dir: Option<PathBuf>,
}

pub async fn run(args: RunArgs) -> Result<()> {
    let cluster = args.cluster.clone().map(|cluster| ClusterRun { cluster, dir: args.cluster_dir.clone() });
    if let Some(cluster) = &cluster {
        cluster.check()?;
    }
    let progress = Progress::new();
    // Missing sources are reported before anything is read.
    let job = args.input.job()?;
    let settings = RunSettings {
        interaction_window_days: args.interaction_window,
        max_visit_days: args.max_visit_days,
        period: args.period.0,
        period_split: args.period_split,
        power_source: args.power_source,
    };
    let reporting = Reporting { news: args.input.news.clone(), figures: !args.no_report };
    let summary =
        pipeline::run(&job, settings, &args.input.output.formats.format, &reporting, cluster.as_ref(), &progress)
            .await?;
    drop(progress);
    args.input.report(&summary);
    Ok(())
}
