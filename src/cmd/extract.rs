//! `partylink extract`: news items to contacts.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::{OutArgs, ResolverArgs, SourceArgs, report_line};
use crate::pipeline::{self, Input, Job};

/// Find the contacts that news items report: who met the CPC side, from which country, when
/// and where.
///
/// Reads news items (--news: CSV, Parquet or JSON lines with news_id, date, title, text and
/// optional url, kind; or a directory of .html, .htm and .txt pages) and the sources under
/// --data, whose party names are the gazetteer. Meetings give contacts; congratulations,
/// condolences and other messages do not.
///
/// Writes into --out, each table as .csv and .parquet (see --format): extracted_contacts (contact_id, date, country, partner,
/// venue, partner_kind, news_id, which `partylink run --contacts` reads as they are, then the
/// evidence: item_kind, sentence, span_start, span_end in characters, rule, confidence,
/// date_precision), extract_review (what to look at: parties named only by country,
/// partners without a country, dates that cannot be placed, names the resolver cannot decide,
/// unreadable items, meetings with no partner to place), extract_items (one row per item: its
/// kind, contacts, review rows) and extract_accounting (items by kind, adding up to all); and
/// manifest.json. The command owns the folder as `run` does; a folder another command wrote is
/// refused.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// News items: a .csv, .parquet or .jsonl file, or a directory of .html, .htm, .txt pages
    #[arg(long, value_name = "FILE|DIR")]
    pub news: PathBuf,

    #[command(flatten)]
    pub output: OutArgs,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

pub async fn run(args: ExtractArgs) -> Result<()> {
    let job = Job {
        input: Input::News(args.news.clone()),
        inputs: args.sources.inputs()?,
        config: args.resolver.config(),
        out: args.output.out.clone(),
    };
    let (extracted, written) = pipeline::extract(&job, &args.output.formats.format).await?;
    report_line(&format!("{extracted}; wrote {written} files to {}", args.output.out.display()));
    Ok(())
}
