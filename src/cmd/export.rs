//! `partylink export`: a run's tables to CSV, Parquet, JSON lines, Arrow IPC or an Excel workbook.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use crate::cmd::{RunDirArgs, is_stdout, to_stdout};
use crate::enrich;
use crate::report::{Format, Staging, staging, xlsx};

/// Export a run's output tables for R, Stata, Python or spreadsheets, types kept.
///
/// Reads the tables a run wrote into its folder (--run; it must match its manifest.json). With
/// --table, writes that table to the file DEST, or to stdout when DEST is `-`. Without it,
/// writes every table: into the directory DEST, one file per table (NAME.csv, NAME.parquet,
/// NAME.jsonl, NAME.arrow), or, for xlsx, into the workbook DEST with one sheet per table.
/// The format is DEST's extension unless --format says it (and they must agree); CSV to stdout. A DEST that
/// is a symbolic link, a device or a directory is never replaced.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub run: RunDirArgs,

    /// Output format [default: from DEST's extension]
    #[arg(short, long, value_parser = Format::parser(Format::EXPORT, true))]
    pub format: Option<Format>,

    /// Export only this table (e.g. enriched_contacts, interactions, top_partners)
    #[arg(short, long, value_name = "NAME")]
    pub table: Option<String>,

    /// Where to write: a file (with --table or for xlsx), `-` for stdout, or a directory
    #[arg(short = 'o', long, value_name = "DEST")]
    pub to: PathBuf,
}

pub async fn run(args: ExportArgs) -> Result<()> {
    let stdout = is_stdout(&args.to);
    let one_file = args.table.is_some() || args.format == Some(Format::Xlsx) || has_extension(&args.to, "xlsx");
    // To stdout, CSV unless told otherwise, as xsv and csvkit print.
    let format = match (stdout, args.format) {
        (true, None) => Format::Csv,
        _ => format_for(args.format, &args.to, one_file)?,
    };
    if stdout && !(args.table.is_some() || format == Format::Xlsx) {
        anyhow::bail!("writing every table to stdout: give --table NAME (or --format xlsx for a workbook)");
    }
    if !stdout {
        // Before anything is read: a destination that is not a regular file is refused.
        staging::check_replaceable(&args.to).or_else(|e| if one_file { Err(e) } else { Ok(()) })?;
    }
    let ctx = enrich::create_context();
    let names = args.run.open(&ctx).await?;
    let chosen: Vec<String> = match &args.table {
        Some(name) if names.contains(name) => vec![name.clone()],
        Some(name) => anyhow::bail!("no table {name:?} in {}; it has {}", args.run.dir.display(), names.join(", ")),
        None => names,
    };
    let mut tables = Vec::with_capacity(chosen.len());
    for name in chosen {
        let batch = enrich::table(&ctx, &name).await?;
        tables.push((name, batch));
    }
    let one = |bytes: &mut Vec<u8>| -> Result<()> {
        match format {
            Format::Xlsx => bytes.extend(xlsx::workbook(&tables)?),
            format => format.write(bytes, &tables[0].1)?,
        }
        Ok(())
    };
    if stdout {
        let mut bytes = Vec::new();
        one(&mut bytes)?;
        return to_stdout(&bytes);
    }
    if format == Format::Xlsx || args.table.is_some() {
        let (dir, file) = split_destination(&args.to)?;
        let mut staging = Staging::new(&dir)?;
        match format {
            Format::Xlsx => staging.write_bytes(&file, &xlsx::workbook(&tables)?)?,
            format => staging.write_batch(&file, format, &tables[0].1)?,
        }
        staging.commit()?;
    } else {
        let mut staging = Staging::new(&args.to)?;
        for (name, batch) in &tables {
            staging.write_batch(&format.file(name), format, batch)?;
        }
        staging.commit()?;
    }
    Ok(())
}

/// The format: --format, or the file's extension; the two must agree when both are given.
fn format_for(given: Option<Format>, to: &Path, is_file: bool) -> Result<Format> {
    let extension = to.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let inferred = extension.as_deref().filter(|_| is_file).and_then(|e| {
        Format::EXPORT
            .iter()
            .copied()
            .find(|f| f.extension() == e || f.name() == e || (e == "feather" && *f == Format::Arrow))
    });
    match (given, inferred, extension.as_deref().filter(|_| is_file)) {
        (Some(given), Some(inferred), _) if given != inferred => anyhow::bail!(
            "--format {} but {} ends in .{}, a {} file; give a name that ends in .{} or leave --format out",
            given.name(),
            to.display(),
            inferred.extension(),
            inferred.name(),
            given.extension()
        ),
        (Some(given), _, _) => Ok(given),
        (None, Some(inferred), _) => Ok(inferred),
        (None, None, Some(e)) => anyhow::bail!("cannot tell a format from .{e} ({}); give --format", to.display()),
        (None, None, None) => anyhow::bail!("give --format (or a file name ending in its extension)"),
    }
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

fn split_destination(to: &Path) -> Result<(PathBuf, String)> {
    let file =
        to.file_name().with_context(|| format!("{}: not a file name", to.display()))?.to_string_lossy().into_owned();
    let dir = to.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((dir, file))
}
