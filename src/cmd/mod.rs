//! The subcommands, one module each, and the arguments they share.

pub mod eval;
pub mod explain;
pub mod extract;
pub mod export;
pub mod resolve;
pub mod run;
pub mod sql;
pub mod synth;

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use datafusion::execution::context::SessionContext;

use crate::cache::LinkCache;
use crate::load::Sources;
use crate::pipeline;
use crate::reference::Reference;
use crate::resolve::{Registry, ResolverConfig};
use crate::sources::SourcePaths;

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

/// What `run` and `resolve` both take: the contacts, the sources, the thresholds, the output.
#[derive(Debug, Args)]
pub struct ContactsArgs {
    /// Contacts file: .csv, .parquet or .jsonl
    #[arg(long, value_name = "FILE", required_unless_present = "news", conflicts_with = "news")]
    pub contacts: Option<PathBuf>,

    /// News items instead of contacts (`run` only): extract the contacts first, as `partylink
    /// extract` does, and write its files beside the run's
    #[arg(long, value_name = "FILE|DIR")]
    pub news: Option<PathBuf>,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub output: OutArgs,
}

/// Where a command writes, and whether it says what it did.
#[derive(Debug, Args)]
pub struct OutArgs {
    /// Output directory
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Print nothing but errors (no progress, no summary)
    #[arg(long)]
    pub quiet: bool,
}

/// Everything resolution needs: the reference tables, the sources in a DataFusion context with
/// the source stages run, and the party name registry.
pub struct Loaded {
    pub reference: Reference,
    pub ctx: SessionContext,
    pub registry: Registry,
}

pub async fn load(sources: &SourceArgs, resolver: &ResolverArgs) -> Result<Loaded> {
    let paths = sources.paths()?;
    let reference = sources.reference()?;
    let read = {
        let _timer = crate::timing::start(|| "reading the sources".into());
        Sources::read(&paths, &reference.countries)?
    };
    let cache = match sources.cache_dir.clone().or_else(crate::cache::default_dir) {
        Some(dir) if !sources.no_cache => LinkCache::new(&dir, &paths, &reference, resolver.config())?,
        _ => LinkCache::disabled(),
    };
    let (ctx, registry) = pipeline::prepare(&read, &reference, resolver.config(), &cache).await?;
    Ok(Loaded { reference, ctx, registry })
}

impl ContactsArgs {
    /// The contacts file, for commands that read no news items.
    pub fn contacts_file(&self) -> Result<&std::path::Path> {
        match (&self.contacts, &self.news) {
            (Some(path), _) => Ok(path),
            _ => anyhow::bail!("--news is read by `partylink run` and `partylink extract`; give --contacts here"),
        }
    }
}
