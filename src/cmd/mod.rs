//! The subcommands, one file each: its usage (the doc comment of its arguments, which `--help`
//! prints) and one `run` function that hands the work to [`crate::pipeline`]. Here: the
//! arguments several commands share.

pub mod eval;
pub mod explain;
pub mod export;
pub mod resolve;
pub mod run;
pub mod sql;
pub mod synth;

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::load::paths::SourcePaths;
use crate::pipeline::{self, Inputs, Job, Loaded};
use crate::resolve::ResolverConfig;
use crate::resolve::link_cache;

/// Where the source files are.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Directory laid out like the official downloads (fh/, dpi/, partyfacts/) [default: the
    /// copies of the published files built into partylink]
    #[arg(long, value_name = "DIR", env = "PARTYLINK_DATA")]
    pub data: Option<PathBuf>,
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
    /// Directory where the links made for the DPI parties Party Facts' import lacks are cached
    /// between runs [default: $XDG_CACHE_HOME/partylink or ~/.cache/partylink]
    #[arg(long, value_name = "DIR", env = "PARTYLINK_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Make those links again instead of reading them from the cache
    #[arg(long)]
    pub no_cache: bool,
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
        ResolverConfig { accept: self.accept_threshold, margin: self.margin, ..ResolverConfig::default() }
    }
}

impl SourceArgs {
    /// Where the sources are (missing ones are reported here, before anything is read), the
    /// reference directory, and the cache unless `--no-cache`.
    pub fn inputs(&self) -> Result<Inputs> {
        let paths = SourcePaths::locate(
            self.data.as_deref(),
            self.fh.clone(),
            self.dpi.clone(),
            self.partyfacts_core.clone(),
            self.partyfacts_external.clone(),
            self.partyfacts_dpi.clone(),
        )?;
        let cache = if self.no_cache { None } else { self.cache_dir.clone().or_else(link_cache::default_dir) };
        Ok(Inputs { paths, reference: self.reference.clone(), cache })
    }

    /// The sources loaded and prepared for resolution.
    pub async fn load(&self, resolver: &ResolverArgs) -> Result<Loaded> {
        pipeline::load(&self.inputs()?, resolver.config()).await
    }
}

/// What `run` and `resolve` both take: the contacts, the sources, the thresholds, the output.
#[derive(Debug, Args)]
pub struct ContactsArgs {
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

    /// Print nothing but errors (no progress, no summary)
    #[arg(long)]
    pub quiet: bool,
}

impl ContactsArgs {
    /// The job `run` and `resolve` are asked to do.
    pub fn job(&self) -> Result<Job> {
        Ok(Job {
            contacts: self.contacts.clone(),
            inputs: self.sources.inputs()?,
            config: self.resolver.config(),
            out: self.out.clone(),
        })
    }

    /// The closing line on stderr, unless `--quiet`.
    pub fn report(&self, summary: &pipeline::Summary) {
        if !self.quiet {
            eprintln!(
                "partylink: {}; wrote {} files to {}",
                crate::report::summary(summary.contacts, &summary.outcomes),
                summary.written,
                self.out.display()
            );
        }
    }
}
