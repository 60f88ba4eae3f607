//! `partylink export`: a run's tables to CSV, Parquet, JSON lines, Arrow IPC or an Excel workbook.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use crate::enrich;
use crate::report::{Format, Staging, xlsx};

/// Export a run's output tables for R, Stata, Python or spreadsheets, types kept.
///
/// Reads the tables a run wrote into --out (its .parquet files). With --table, writes that
/// table to the file DEST. Without it, writes every table: into the directory DEST, one file
/// per table (NAME.csv, NAME.parquet, NAME.jsonl, NAME.arrow), or, for xlsx, into the workbook
/// DEST with one sheet per table.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The run's output directory
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Output format
    #[arg(long, value_parser = Format::parser(Format::EXPORT, true))]
    pub format: Format,

    /// Export only this table (e.g. enriched_contacts, interactions, top_partners)
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,

    /// Where to write: a file (with --table or for xlsx) or a directory
    #[arg(long, value_name = "DEST")]
    pub to: PathBuf,
}

pub async fn run(args: ExportArgs) -> Result<()> {
    let ctx = enrich::create_context();
    let names = enrich::register_outputs(&ctx, &args.out).await?;
    let chosen: Vec<String> = match &args.table {
        Some(name) if names.contains(name) => vec![name.clone()],
        Some(name) => anyhow::bail!("no table {name:?} in {}; it has {}", args.out.display(), names.join(", ")),
        None => names,
    };
    let mut tables = Vec::with_capacity(chosen.len());
    for name in chosen {
        let batch = enrich::table(&ctx, &name).await?;
        tables.push((name, batch));
    }
    if args.format == Format::Xlsx || args.table.is_some() {
        let (dir, file) = split_destination(&args.to)?;
        let mut staging = Staging::new(&dir)?;
        match args.format {
            Format::Xlsx => staging.write_bytes(&file, &xlsx::workbook(&tables)?)?,
            format => staging.write_batch(&file, format, &tables[0].1)?,
        }
        staging.commit()?;
    } else {
        let mut staging = Staging::new(&args.to)?;
        for (name, batch) in &tables {
            staging.write_batch(&format!("{name}.{}", args.format.extension()), args.format, batch)?;
        }
        staging.commit()?;
    }
    Ok(())
}

fn split_destination(to: &Path) -> Result<(PathBuf, String)> {
    let file =
        to.file_name().with_context(|| format!("{}: not a file name", to.display()))?.to_string_lossy().into_owned();
    let dir = to.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((dir, file))
}
