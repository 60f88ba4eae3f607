//! `partylink report`: the figures and report.html drawn again from a run's folder, with the
//! content analysis when news items are given.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::{FormatArgs, report_line};
use crate::pipeline;

/// Draw a run's figures and report.html again from its output folder.
///
/// Reads the tables a run wrote into its folder (--run; it must match its manifest.json:
/// Parquet, else CSV) and its manifest.json. Writes figures/ (figures 1 to 8 and Table 1 as SVG
/// and PNG) and report.html into the same folder, and updates manifest.json's entries for them.
/// With --news, first runs the content analysis over the news items (the regime types of their
/// contacts from enriched_contacts) and writes news_items, news_topic_mentions,
/// tables/topics_by_year and tables/topics_by_partner_regime (see --format).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The run's output folder (what `run --out` wrote), where the report is written; it must
    /// match its manifest.json
    #[arg(short = 'o', long = "run", alias = "out", value_name = "DIR", default_value = "out")]
    pub dir: PathBuf,

    /// News items for the content analysis: a .csv, .parquet or .jsonl file (news_id, date,
    /// title, text; optional url, kind), or a directory of saved pages
    #[arg(long, value_name = "FILE|DIR")]
    pub news: Option<PathBuf>,

    /// Directory of reference tables; a keywords.csv there replaces the built-in topic lexicon
    #[arg(long, value_name = "DIR")]
    pub reference: Option<PathBuf>,

    #[command(flatten)]
    pub formats: FormatArgs,
}

pub async fn run(args: ReportArgs) -> Result<()> {
    let drawn =
        pipeline::report_folder(&args.dir, args.reference.as_deref(), &args.formats.format, args.news.as_deref())
            .await?;
    report_line(&format!(
        "{} figures and report.html; wrote {} files to {}",
        drawn.figures,
        drawn.written,
        args.dir.display()
    ));
    Ok(())
}
