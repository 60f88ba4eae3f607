//! The subcommands, one file each: its usage (the doc comment of its arguments, which `--help`
//! prints) and one `run` function that hands the work to [`crate::pipeline`]. Here: the
//! arguments several commands share.

pub mod docs;
pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod report;
pub mod resolve;
pub mod review;
pub mod run;
pub mod shell;
pub mod sql;
pub mod synth;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use datafusion::execution::context::SessionContext;

use crate::load::paths::SourcePaths;
use crate::pipeline::{self, Input, Inputs, Job, Loaded};
use crate::report::{Format, known_outputs, manifest};
use crate::resolve::ResolverConfig;
use crate::resolve::link_cache;

/// Where the source files are.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Directory laid out like the official downloads (fh/, dpi/, partyfacts/, parlgov/)
    /// [default: the copies of the published files built into partylink]
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
    /// ParlGov's cabinets, the view_cabinet table (.csv): which parties held cabinet posts from
    /// each cabinet's start date
    #[arg(long, value_name = "FILE")]
    pub parlgov_cabinets: Option<PathBuf>,
    /// Directory where the links made for the DPI parties Party Facts' import lacks, and the
    /// crosswalk audit's readings of the linked DPI labels, are cached between runs
    /// [default: $XDG_CACHE_HOME/partylink or ~/.cache/partylink]
    #[arg(long, value_name = "DIR", env = "PARTYLINK_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Make those tables again instead of reading them from the cache
    #[arg(long)]
    pub no_cache: bool,
    /// Directory of reference tables (countries.csv, party_aliases.csv, party_overrides.csv,
    /// party_units.csv, dpi_placeholders.csv, dpi_link_corrections.csv, party_successions.csv,
    /// dpi_alliances.csv, fh_country_fallbacks.csv, union_states.csv, party_abbreviations.csv,
    /// keywords.csv, demonyms.csv, places.csv); each file found there replaces the built-in one.
    /// A CSV file of another name is an error, and so is an override whose Party Facts id is not
    /// a party of its country, whose years are implausible, or that repeats or contradicts another
    #[arg(long, value_name = "DIR")]
    pub reference: Option<PathBuf>,
}

/// The files each table is written as.
#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Write each table in these formats (comma-separated). Over millions of contacts, Parquet
    /// alone saves most of the writing time; `partylink sql`, `export` and `report` read the
    /// Parquet files
    #[arg(
        short,
        long,
        alias = "formats",
        value_name = "FORMATS",
        value_delimiter = ',',
        default_value = "csv,parquet",
        value_parser = Format::parser(Format::RUN, false)
    )]
    pub format: Vec<Format>,
}

/// Thresholds of fuzzy party matching.
#[derive(Debug, Args)]
pub struct ResolverArgs {
    /// Lowest combined score a fuzzy match is accepted at
    #[arg(long, value_name = "SCORE", default_value_t = ResolverConfig::default().accept, value_parser = unit_interval)]
    pub accept_threshold: f64,
    /// How far the best party must lead the second-best for a fuzzy match
    #[arg(long, value_name = "SCORE", default_value_t = ResolverConfig::default().margin, value_parser = unit_interval)]
    pub margin: f64,
}

/// A score or a margin: a number from 0 to 1.
fn unit_interval(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&value) { Ok(value) } else { Err(format!("{value} is outside [0, 1]")) }
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
            self.parlgov_cabinets.clone(),
        )?;
        let cache = if self.no_cache { None } else { self.cache_dir.clone().or_else(link_cache::default_dir) };
        Ok(Inputs { paths, reference: self.reference.clone(), cache })
    }

    /// The sources loaded and prepared for resolution.
    pub async fn load(&self, resolver: &ResolverArgs) -> Result<Loaded> {
        pipeline::load(&self.inputs()?, resolver.config()).await
    }
}

/// What `run` and `resolve` both take: the contacts (or, for `run`, news items), the sources,
/// the thresholds, the output.
#[derive(Debug, Args)]
pub struct ContactsArgs {
    /// Contacts file: .csv, .parquet or .jsonl
    #[arg(long, value_name = "FILE", required_unless_present = "news")]
    pub contacts: Option<PathBuf>,

    /// News items (`run` only; a .csv, .parquet or .jsonl file with news_id, date, title, text,
    /// optional url and kind, or a directory of saved pages): the content analysis of figures 6
    /// to 8, and, without --contacts, the contacts too, extracted first as `partylink extract`
    /// does, its files written beside the run's
    #[arg(long, value_name = "FILE|DIR")]
    pub news: Option<PathBuf>,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub output: OutArgs,
}

/// Where a command writes, and in which formats.
#[derive(Debug, Args)]
pub struct OutArgs {
    /// Output directory: the command owns it, and removes the outputs of an earlier run it
    /// did not write again (never other files)
    #[arg(short = 'o', long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    #[command(flatten)]
    pub formats: FormatArgs,
}

impl ContactsArgs {
    /// The job `run` and `resolve` are asked to do.
    pub fn job(&self) -> Result<Job> {
        let input = match (&self.contacts, &self.news) {
            (Some(path), _) => Input::Contacts(path.clone()),
            (None, Some(path)) => Input::News(path.clone()),
            (None, None) => anyhow::bail!("give --contacts FILE or --news FILE|DIR"),
        };
        Ok(Job { input, inputs: self.sources.inputs()?, config: self.resolver.config(), out: self.output.out.clone() })
    }

    /// The closing lines on stderr, unless `--quiet`.
    pub fn report(&self, summary: &pipeline::Summary) {
        if let Some(extracted) = &summary.extracted {
            report_line(extracted);
        }
        let (applied, unused) = &summary.overrides;
        let overrides = match applied {
            0 => String::new(),
            n => format!(" ({n} decided by overrides)"),
        };
        report_line(&format!(
            "{}{overrides}; wrote {} files to {}",
            crate::report::summary(summary.contacts, &summary.outcomes),
            summary.written,
            self.output.out.display()
        ));
        for o in unused {
            report_line(&format!("override unused (no contact has this name in these years): {o}"));
        }
    }
}

/// One closing line on stderr, unless `--quiet`.
pub fn report_line(line: &str) {
    if !crate::shared::progress::quiet() {
        eprintln!("partylink: {line}");
    }
}

/// The run's folder `sql` and `export` read.
#[derive(Debug, Args)]
pub struct RunDirArgs {
    /// The run's output folder (what `run --out` wrote); it must match its manifest.json
    #[arg(long = "run", alias = "out", value_name = "DIR", default_value = "out")]
    pub dir: PathBuf,
}

impl RunDirArgs {
    /// Checks the folder against its manifest and registers its tables in `ctx`; returns
    /// their names, sorted.
    pub async fn open(&self, ctx: &SessionContext) -> Result<Vec<String>> {
        let folder = manifest::verify(&self.dir, &known_outputs())?;
        crate::enrich::register_outputs(ctx, &self.dir, &folder.outputs).await
    }
}

/// Writes to standard output at once. A closed pipe comes back as the I/O error it is, which
/// `main` ends on quietly.
pub fn to_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// Whether a destination names standard output: `-`, or `/dev/stdout` (which is streamed to,
/// never renamed over).
pub fn is_stdout(path: &Path) -> bool {
    ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"].iter().any(|s| path == Path::new(s))
}
