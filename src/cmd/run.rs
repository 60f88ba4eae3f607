//! `partylink run`: load, resolve, enrich and report one contacts file.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::reference::Reference;
use crate::resolve::ResolverConfig;
use crate::load::Sources;
use crate::output::Staging;
use crate::pipeline;
use crate::read::contacts;
use crate::sources::SourcePaths;

/// Link contacts to Party Facts parties, DPI power status and Freedom House regime type.
///
/// Reads the contacts (CSV, Parquet or JSON lines: contact_id, date, country, partner; optional
/// venue, partner_kind, news_id; other columns pass through) and the sources under --data.
///
/// Writes into --out: enriched_contacts.csv and .parquet (one row per contact and party, sorted
/// by contact_id), tables/power_by_regime.csv, review_queue.csv and accounting.csv. Outputs are
/// written only when the whole run succeeds.
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

/// Where the source files are.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Directory laid out like the official downloads (fh/, dpi/, partyfacts/)
    #[arg(long, value_name = "DIR", env = "PARTYLINK_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Freedom House "Country and Territory Ratings and Statuses" workbook (.xlsx or .xls)
    #[arg(long, value_name = "FILE")]
    pub fh: Option<PathBuf>,
    /// DPI basefile (.csv, .xls or .xlsx)
    #[arg(long, value_name = "FILE")]
    pub dpi: Option<PathBuf>,
    /// Party Facts core parties (.csv)
    #[arg(long, value_name = "FILE")]
    pub partyfacts_core: Option<PathBuf>,
    /// Party Facts external parties (.csv)
    #[arg(long, value_name = "FILE")]
    pub partyfacts_external: Option<PathBuf>,
    /// Party Facts' DPI import (.csv)
    #[arg(long, value_name = "FILE")]
    pub partyfacts_dpi: Option<PathBuf>,
    /// Directory of reference tables (countries.csv, party_aliases.csv, party_overrides.csv,
    /// party_units.csv, dpi_placeholders.csv); each file found there replaces the built-in one
    #[arg(long, value_name = "DIR")]
    pub reference: Option<PathBuf>,
}

/// Thresholds of fuzzy party matching.
#[derive(Debug, Args)]
pub struct ResolverArgs {
    /// Lowest combined score a fuzzy match is accepted at
    #[arg(long, value_name = "SCORE", default_value_t = ResolverConfig::default().accept)]
    pub accept_threshold: f64,
    /// How far the best party must lead the second-best for a fuzzy match
    #[arg(long, value_name = "SCORE", default_value_t = ResolverConfig::default().margin)]
    pub margin: f64,
}

impl ResolverArgs {
    pub fn config(&self) -> ResolverConfig {
        ResolverConfig { accept: self.accept_threshold, margin: self.margin }
    }
}

impl SourceArgs {
    pub fn paths(&self) -> Result<SourcePaths> {
        SourcePaths::locate(
            &self.data,
            self.fh.clone(),
            self.dpi.clone(),
            self.partyfacts_core.clone(),
            self.partyfacts_external.clone(),
            self.partyfacts_dpi.clone(),
        )
    }

    pub fn reference(&self) -> Result<Reference> {
        Reference::load(self.reference.as_deref())
    }
}

pub async fn run(args: RunArgs) -> Result<()> {
    let paths = args.sources.paths()?;
    let reference = args.sources.reference()?;
    let contacts = contacts::read(&args.contacts)?;
    let sources = Sources::read(&paths, &reference.countries)?;
    let (ctx, registry) = pipeline::prepare(&sources, &reference, args.resolver.config()).await?;
    let output = pipeline::run(&ctx, &registry, &reference.countries, &contacts).await?;

    let mut staging = Staging::new(&args.out)?;
    staging.write_csv("enriched_contacts.csv", &output.enriched_contacts)?;
    staging.write_parquet("enriched_contacts.parquet", &output.enriched_contacts)?;
    staging.write_csv("tables/power_by_regime.csv", &output.power_by_regime)?;
    staging.write_csv("review_queue.csv", &output.review_queue)?;
    staging.write_csv("accounting.csv", &output.accounting)?;
    staging.write_csv("review_dpi_links.csv", &output.dpi_links)?;
    let written = staging.commit()?;
    if !args.quiet {
        let count = |outcome: &str| output.outcomes.get(outcome).copied().unwrap_or(0);
        eprintln!(
            "partylink: {} contacts: {} matched, {} non-party, {} to review; wrote {} files to {}",
            contacts.contacts.len(),
            count("matched"),
            count("non_party"),
            count("review_party") + count("review_country"),
            written.len(),
            args.out.display()
        );
    }
    Ok(())
}
