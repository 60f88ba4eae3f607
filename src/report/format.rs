//! The formats tables are written and printed in: one [`Format`] for `run --formats`, `export
//! --format` and `sql --format`, each command taking those that make sense for it, and the
//! encoders that write them.

use std::io::Write;
use std::sync::{Mutex, PoisonError};

use anyhow::Result;
use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use super::parquet;
use crate::shared::parallel;

/// A format a table is written or printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Csv,
    Parquet,
    /// JSON lines in a file (one object per row), a JSON array when printed.
    Json,
    /// Arrow IPC file (Feather v2).
    Arrow,
    /// Excel workbook, one sheet per table.
    Xlsx,
    /// An aligned table, for a terminal.
    Table,
}

impl Format {
    /// What `run --formats` writes each table as.
    pub const RUN: &[Format] = &[Format::Csv, Format::Parquet];
    /// What `export --format` writes.
    pub const EXPORT: &[Format] = &[Format::Csv, Format::Parquet, Format::Json, Format::Arrow, Format::Xlsx];
    /// What `sql --format` prints.
    pub const SQL: &[Format] = &[Format::Table, Format::Csv, Format::Json];

    /// Its name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Json => "json",
            Format::Arrow => "arrow",
            Format::Xlsx => "xlsx",
            Format::Table => "table",
        }
    }

    /// The extension of its files.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "jsonl",
            other => other.name(),
        }
    }

    /// The file a table written to `path` (without extension) takes in this format.
    pub fn file(self, path: &str) -> String {
        format!("{path}.{}", self.extension())
    }

    /// What a file of it holds, where the name does not say.
    fn file_help(self) -> Option<&'static str> {
        match self {
            Format::Json => Some("JSON lines, one object per row"),
            Format::Arrow => Some("Arrow IPC file (Feather v2)"),
            Format::Xlsx => Some("Excel workbook, one sheet per table"),
            _ => None,
        }
    }

    /// The command-line parser of a command's formats; with `described`, `--help` says what
    /// each writes.
    pub fn parser(formats: &'static [Format], described: bool) -> impl TypedValueParser<Value = Format> {
        let values = formats.iter().map(move |f| match f.file_help().filter(|_| described) {
            Some(help) => PossibleValue::new(f.name()).help(help),
            None => PossibleValue::new(f.name()),
        });
        PossibleValuesParser::new(values.collect::<Vec<_>>())
            .map(move |name: String| *formats.iter().find(|f| f.name() == name).expect("one of the possible values"))
    }

    /// Writes one batch as a file of this format.
    pub fn write(self, writer: impl Write + Send, batch: &RecordBatch) -> Result<()> {
        match self {
            Format::Csv => write_csv(writer, batch),
            Format::Parquet => parquet::write_parquet(writer, batch),
            Format::Json => {
                let mut writer = arrow::json::LineDelimitedWriter::new(writer);
                writer.write(batch)?;
                writer.finish()?;
                Ok(())
            }
            Format::Arrow => {
                let mut writer = arrow::ipc::writer::FileWriter::try_new(writer, &batch.schema())?;
                writer.write(batch)?;
                writer.finish()?;
                Ok(())
            }
            Format::Xlsx | Format::Table => anyhow::bail!("{} is not written one file per table", self.name()),
        }
    }

    /// Writes batches made one at a time as a file of this format (CSV or Parquet), so that a
    /// large table is never whole in memory.
    pub fn write_batches(
        self,
        writer: impl Write + Send,
        schema: SchemaRef,
        batches: impl Iterator<Item = Result<RecordBatch>>,
    ) -> Result<()> {
        match self {
            Format::Csv => write_csv_from(writer, batches),
            Format::Parquet => parquet::write_parquet_from(writer, schema, batches),
            _ => anyhow::bail!("{} is not written a batch at a time", self.name()),
        }
    }

    /// Prints a query's result: an aligned table, CSV, or a JSON array.
    pub fn print(self, mut out: impl Write, batch: &RecordBatch) -> Result<()> {
        match self {
            Format::Table => {
                writeln!(out, "{}", arrow::util::pretty::pretty_format_batches(std::slice::from_ref(batch))?)?
            }
            Format::Csv => write_csv(&mut out, batch)?,
            Format::Json => {
                let mut writer = arrow::json::ArrayWriter::new(&mut out);
                writer.write(batch)?;
                writer.finish()?;
                writeln!(out)?;
            }
            _ => anyhow::bail!("{} is not printed", self.name()),
        }
        Ok(())
    }
}

/// CSV with a header row; dates as YYYY-MM-DD, nulls as empty cells.
fn write_csv(mut writer: impl Write, batch: &RecordBatch) -> Result<()> {
    let mut text = Vec::new();
    csv_text(batch, true, &mut text)?;
    writer.write_all(&text)?;
    Ok(())
}

/// Appends a batch's CSV text (its header row first with `header`) to `text`: by
/// [`csv_text::append`], or by Arrow's writer, which writes the same bytes, for the types it
/// does not write.
fn csv_text(batch: &RecordBatch, header: bool, text: &mut Vec<u8>) -> Result<()> {
    if !super::csv_text::append(batch, header, text) {
        arrow::csv::WriterBuilder::new()
            .with_date_format("%Y-%m-%d".into())
            .with_header(header)
            .build(&mut *text)
            .write(batch)?;
    }
    Ok(())
}

/// CSV from batches made one at a time, one header. As many batches as there are threads are
/// formatted side by side, and written in order; each thread's text buffer is kept for its
/// next batch (a batch's text is megabytes, and a buffer grown afresh for each was copied as it
/// doubled and faulted in new pages).
fn write_csv_from(mut writer: impl Write, batches: impl Iterator<Item = Result<RecordBatch>>) -> Result<()> {
    let format = |(batch, header, text): &(RecordBatch, bool, Mutex<Vec<u8>>)| -> Result<()> {
        let mut text = text.lock().unwrap_or_else(PoisonError::into_inner);
        text.clear();
        csv_text(batch, *header, &mut text)
    };
    let mut batches = batches.peekable();
    let mut first = true;
    let mut buffers: Vec<Vec<u8>> = Vec::new();
    while batches.peek().is_some() {
        let mut group = Vec::new();
        for batch in batches.by_ref().take(parallel::threads().max(1)) {
            group.push((batch?, first, Mutex::new(buffers.pop().unwrap_or_default())));
            first = false;
        }
        for formatted in parallel::map(&group, 1, format) {
            formatted?;
        }
        for (_, _, text) in group {
            let text = text.into_inner().unwrap_or_else(PoisonError::into_inner);
            writer.write_all(&text)?;
            buffers.push(text);
        }
    }
    Ok(())
}
