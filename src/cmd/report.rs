//! `partylink report`: the figures and report.html drawn again from a run's folder, with the
//! content analysis when news items are given.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use serde_json::{Value, json};

use crate::cmd::run::TableFormat;
use crate::output::Staging;
use crate::report::{self, Registered, describe_input, draw};
use crate::{content, enrich};

/// Draw a run's figures and report.html again from its output folder.
///
/// Reads the tables a run wrote into --out (Parquet, else CSV) and its manifest.json. Writes
/// figures/ (figures 1 to 8 and Table 1 as SVG and PNG) and report.html, and updates
/// manifest.json's entries for them. With --news, first runs the content analysis over the news
/// items (the regime types of their contacts from enriched_contacts) and writes news_items,
/// news_topic_mentions, tables/topics_by_year and tables/topics_by_partner_regime.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The run's output directory
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// News items for the content analysis: a .csv, .parquet or .jsonl file (news_id, date,
    /// title, text; optional url, kind), or a directory of saved pages
    #[arg(long, value_name = "FILE|DIR")]
    pub news: Option<PathBuf>,

    /// Directory of reference tables; a keywords.csv there replaces the built-in topic lexicon
    #[arg(long, value_name = "DIR")]
    pub reference: Option<PathBuf>,

    /// Write the content analysis's tables in these formats (comma-separated)
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "csv,parquet")]
    pub formats: Vec<TableFormat>,

    /// Print nothing but errors
    #[arg(long)]
    pub quiet: bool,
}

pub async fn run(args: ReportArgs) -> Result<()> {
    let ctx = enrich::create_context();
    enrich::register_outputs(&ctx, &args.out).await?;
    let manifest_path = args.out.join("manifest.json");
    let mut manifest: Value = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => serde_json::from_str(&text).with_context(|| format!("{}: not JSON", manifest_path.display()))?,
        Err(_) => json!({}),
    };
    let mut staging = Staging::new(&args.out)?;
    if let Some(news) = &args.news {
        let reference = crate::reference::Reference::load(args.reference.as_deref())?;
        let items = crate::extract::read_news(news)?;
        let analysis = content::analyse(&items, &reference.keywords)?;
        let mut formats = args.formats.clone();
        formats.sort();
        formats.dedup();
        for (output, batch) in content::report(&ctx, &analysis, Registered::Folder).await? {
            report::write_table(&mut staging, output.path, &crate::pipeline::Table::Batch(batch), &formats)?;
        }
        let inputs = manifest.as_object_mut().map(|m| m.entry("inputs").or_insert_with(|| json!([])));
        if let Some(Value::Array(inputs)) = inputs {
            inputs.retain(|i| i.get("role").and_then(Value::as_str) != Some("news"));
            for file in content::news_files(news)? {
                inputs.push(describe_input("news", &file)?);
            }
        }
    }
    let figures = draw::figures_and_page(&ctx, Registered::Folder, &manifest, &mut staging).await?;
    // The manifest lists every output with its sha256: those just written replace their entries.
    let written: Vec<Value> = staging
        .staged()
        .iter()
        .map(|f| json!({"path": f.path.display().to_string(), "bytes": f.bytes, "sha256": f.sha256}))
        .collect();
    if let Some(object) = manifest.as_object_mut() {
        let outputs = object.entry("outputs").or_insert_with(|| json!([]));
        if let Value::Array(outputs) = outputs {
            for entry in written {
                match outputs.iter_mut().find(|o| o.get("path") == entry.get("path")) {
                    Some(old) => *old = entry,
                    None => outputs.push(entry),
                }
            }
        }
    }
    staging.write_text("manifest.json", &(serde_json::to_string_pretty(&manifest)? + "\n"))?;
    let written = staging.commit()?;
    if !args.quiet {
        eprintln!(
            "partylink: {} figures and report.html; wrote {} files to {}",
            figures.len(),
            written.len(),
            args.out.display()
        );
    }
    Ok(())
}
