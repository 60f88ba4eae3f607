//! `partylink export`: a run's tables to CSV, Parquet, JSON lines, Arrow IPC or an Excel workbook.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Date32Type, Float64Type};
use clap::{Args, ValueEnum};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::enrich;
use crate::output::Staging;

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
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// Export only this table (e.g. enriched_contacts, interactions, top_partners)
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,

    /// Where to write: a file (with --table or for xlsx) or a directory
    #[arg(long, value_name = "DEST")]
    pub to: PathBuf,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Parquet,
    /// JSON lines, one object per row
    Json,
    /// Arrow IPC file (Feather v2)
    Arrow,
    /// Excel workbook, one sheet per table
    Xlsx,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Parquet => "parquet",
            ExportFormat::Json => "jsonl",
            ExportFormat::Arrow => "arrow",
            ExportFormat::Xlsx => "xlsx",
        }
    }
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
    if args.format == ExportFormat::Xlsx || args.table.is_some() {
        let (dir, file) = split_destination(&args.to)?;
        let mut staging = Staging::new(&dir)?;
        match args.format {
            ExportFormat::Xlsx => staging.write_bytes(&file, &workbook(&tables)?)?,
            format => write_one(&mut staging, format, &file, &tables[0].1)?,
        }
        staging.commit()?;
    } else {
        let mut staging = Staging::new(&args.to)?;
        for (name, batch) in &tables {
            write_one(&mut staging, args.format, &format!("{name}.{}", args.format.extension()), batch)?;
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

fn write_one(staging: &mut Staging, format: ExportFormat, file: &str, batch: &RecordBatch) -> Result<()> {
    match format {
        ExportFormat::Csv => staging.write_csv(file, batch),
        ExportFormat::Parquet => staging.write_parquet(file, batch),
        ExportFormat::Json => staging.write_json(file, batch),
        ExportFormat::Arrow => staging.write_arrow(file, batch),
        ExportFormat::Xlsx => anyhow::bail!("xlsx exports write one workbook, not one file per table"),
    }
}

/// Excel's row limit, header included.
const XLSX_MAX_ROWS: usize = 1_048_576;

/// One sheet per table, a bold header row, numbers as numbers, dates as dates.
fn workbook(tables: &[(String, RecordBatch)]) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, batch) in tables {
        if batch.num_rows() + 1 > XLSX_MAX_ROWS {
            anyhow::bail!(
                "table {name} has {} rows, more than an Excel sheet holds; export it as parquet or csv",
                batch.num_rows()
            );
        }
        let sheet = workbook.add_worksheet();
        let sheet_name: String = name.chars().take(31).collect();
        sheet.set_name(&sheet_name)?;
        for (c, field) in batch.schema().fields().iter().enumerate() {
            sheet.write_with_format(0, c as u16, field.name(), &bold)?;
            // Every numeric type (ranks come as unsigned integers) as Excel's one number type.
            let column = if batch.column(c).data_type().is_numeric() {
                arrow::compute::cast(batch.column(c), &DataType::Float64)?
            } else {
                batch.column(c).clone()
            };
            for r in 0..batch.num_rows() {
                if column.is_null(r) {
                    continue;
                }
                let (row, col) = (r as u32 + 1, c as u16);
                match column.data_type() {
                    DataType::Float64 => sheet.write(row, col, column.as_primitive::<Float64Type>().value(r))?,
                    DataType::Boolean => sheet.write(row, col, column.as_boolean().value(r))?,
                    DataType::Date32 => {
                        let day = chrono::DateTime::from_timestamp(
                            column.as_primitive::<Date32Type>().value(r) as i64 * 86_400,
                            0,
                        )
                        .context("date out of range")?
                        .date_naive();
                        use chrono::Datelike;
                        let value = ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
                        sheet.write_with_format(row, col, &value, &date)?
                    }
                    _ => {
                        let text = arrow::util::display::array_value_to_string(&column, r)?;
                        sheet.write(row, col, text)?
                    }
                };
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}
