//! Writing outputs atomically: every file of a run goes to a staging directory inside the output
//! directory and is moved into place only once all of them are written. A failed run leaves the
//! output directory as it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnWriter, compute_leaves};
use parquet::file::writer::SerializedFileWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use sha2::{Digest, Sha256};

pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    files: Vec<Written>,
    committed: bool,
}

/// A staged file: its path within the output directory, its size and its sha256, taken as it
/// was written (a run's outputs are never read back to be checksummed).
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

/// A writer that counts and hashes the bytes passing through it.
pub struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// What a staged file is written through.
pub type StagedWriter = BufWriter<Hashing<File>>;

/// Writes one file under the staging directory `dir` with `write`, hashing it on the way.
pub fn stage(dir: &Path, relative: &str, write: impl FnOnce(&mut StagedWriter) -> Result<()>) -> Result<Written> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut writer = BufWriter::with_capacity(1 << 20, Hashing { inner: file, hasher: Sha256::new(), bytes: 0 });
    write(&mut writer).with_context(|| format!("writing {relative}"))?;
    let hashing = writer.into_inner().map_err(|e| e.into_error())?;
    let sha256 = hex(&hashing.hasher.finalize());
    Ok(Written { path: PathBuf::from(relative), bytes: hashing.bytes, sha256 })
}

/// Two files staged in `dir`, written side by side on two threads.
pub fn stage_two(
    dir: &Path,
    (first, write_first): (&str, impl FnOnce(&mut StagedWriter) -> Result<()> + Send),
    (second, write_second): (&str, impl FnOnce(&mut StagedWriter) -> Result<()>),
) -> Result<Vec<Written>> {
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| stage(dir, first, write_first));
        let second = stage(dir, second, write_second);
        (first.join().expect("a file writer does not panic"), second)
    });
    Ok(vec![first?, second?])
}

/// Lower-case hexadecimal, as checksums are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parquet_properties() -> WriterProperties {
    WriterProperties::builder().set_compression(Compression::SNAPPY).build()
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging> {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create output directory {}", out.display()))?;
        let dir = out.join(format!(".partylink-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging { out: out.to_path_buf(), dir, files: Vec::new(), committed: false })
    }

    /// Where files are staged, for a writer on another thread; [`Staging::add`] takes what it
    /// wrote.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Files a writer on another thread staged in [`Staging::dir`].
    pub fn add(&mut self, written: Vec<Written>) {
        self.files.extend(written);
    }

    /// Stages one file written by `write`.
    pub fn write_with(&mut self, relative: &str, write: impl FnOnce(&mut StagedWriter) -> Result<()>) -> Result<()> {
        let written = stage(&self.dir, relative, write)?;
        self.files.push(written);
        Ok(())
    }

    pub fn write_csv(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        self.write_with(relative, |w| write_csv(w, batch))
    }

    pub fn write_parquet(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        self.write_with(relative, |w| write_parquet(w, batch))
    }

    /// Parquet from batches made one at a time, so a large table is never whole in memory.
    pub fn write_parquet_batches(
        &mut self,
        relative: &str,
        schema: arrow::datatypes::SchemaRef,
        batches: impl Iterator<Item = Result<RecordBatch>>,
    ) -> Result<()> {
        self.write_with(relative, |w| write_parquet_from(w, schema, batches))
    }

    /// CSV from batches made one at a time, one header.
    pub fn write_csv_batches(
        &mut self,
        relative: &str,
        batches: impl Iterator<Item = Result<RecordBatch>>,
    ) -> Result<()> {
        self.write_with(relative, |w| write_csv_from(w, batches))
    }

    pub fn write_text(&mut self, relative: &str, text: &str) -> Result<()> {
        self.write_bytes(relative, text.as_bytes())
    }

    pub fn write_bytes(&mut self, relative: &str, bytes: &[u8]) -> Result<()> {
        self.write_with(relative, |w| Ok(w.write_all(bytes)?))
    }

    /// JSON lines: one object a row, nulls left out.
    pub fn write_json(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        self.write_with(relative, |w| {
            let mut writer = arrow::json::LineDelimitedWriter::new(w);
            writer.write(batch)?;
            writer.finish()?;
            Ok(())
        })
    }

    /// The Arrow IPC file format (Feather v2), which R's arrow, pyarrow and polars read.
    pub fn write_arrow(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        self.write_with(relative, |w| {
            let mut writer = arrow::ipc::writer::FileWriter::try_new(w, &batch.schema())?;
            writer.write(batch)?;
            writer.finish()?;
            Ok(())
        })
    }

    /// The staged files so far, with their sizes and checksums (for the manifest).
    pub fn staged(&self) -> &[Written] {
        &self.files
    }

    /// Moves every staged file into the output directory.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        for written in &self.files {
            let target = self.out.join(&written.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(self.dir.join(&written.path), &target)
                .with_context(|| format!("cannot move output into place: {}", target.display()))?;
        }
        self.committed = true;
        std::fs::remove_dir_all(&self.dir).ok();
        Ok(self.files.iter().map(|f| self.out.join(&f.path)).collect())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.dir).ok();
        }
    }
}

fn csv_builder() -> arrow::csv::WriterBuilder {
    arrow::csv::WriterBuilder::new().with_date_format("%Y-%m-%d".into())
}

fn csv_writer<W: Write>(writer: W) -> arrow::csv::Writer<W> {
    csv_builder().with_header(true).build(writer)
}

/// CSV with a header row; dates as YYYY-MM-DD, nulls as empty cells.
pub fn write_csv(writer: impl Write, batch: &RecordBatch) -> Result<()> {
    csv_writer(writer).write(batch)?;
    Ok(())
}

/// CSV from batches made one at a time, one header. Two batches at a time are formatted side
/// by side, on two threads, and written in order.
pub fn write_csv_from(mut writer: impl Write, batches: impl Iterator<Item = Result<RecordBatch>>) -> Result<()> {
    let format = |batch: &RecordBatch, header: bool| -> Result<Vec<u8>> {
        let mut text = Vec::new();
        csv_builder().with_header(header).build(&mut text).write(batch)?;
        Ok(text)
    };
    let mut batches = batches;
    let mut first = true;
    while let Some(batch) = batches.next() {
        let batch = batch?;
        let next = batches.next().transpose()?;
        let (text, next) = std::thread::scope(|scope| {
            let next = next.as_ref().map(|b| scope.spawn(|| format(b, false)));
            (format(&batch, first), next.map(|n| n.join().expect("a CSV formatter does not panic")))
        });
        writer.write_all(&text?)?;
        if let Some(next) = next {
            writer.write_all(&next?)?;
        }
        first = false;
    }
    Ok(())
}

/// Parquet from batches made one at a time, so a large table is never whole in memory. The
/// columns of each batch are encoded on two threads; the file is the one `ArrowWriter` writes
/// on one (the same row groups and pages).
pub fn write_parquet_from(
    writer: impl Write + Send,
    schema: arrow::datatypes::SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch>>,
) -> Result<()> {
    write_parquet_with(writer, schema, batches, parquet_properties())
}

fn write_parquet_with(
    writer: impl Write + Send,
    schema: arrow::datatypes::SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch>>,
    properties: WriterProperties,
) -> Result<()> {
    let max_rows = properties.max_row_group_row_count().unwrap_or(usize::MAX).max(1);
    let (mut file, factory) = ArrowWriter::try_new(writer, schema.clone(), Some(properties))?.into_serialized_writer()?;
    // The row group being filled: its column writers and rows so far.
    let mut group: Option<(Vec<ArrowColumnWriter>, usize)> = None;
    let mut groups = 0;
    for batch in batches {
        let batch = batch?;
        let mut at = 0;
        while at < batch.num_rows() {
            let (writers, rows) = match &mut group {
                Some(group) => group,
                None => group.insert((factory.create_column_writers(groups)?, 0)),
            };
            anyhow::ensure!(writers.len() == schema.fields().len(), "nested columns are not written in parallel");
            let n = (max_rows - *rows).min(batch.num_rows() - at);
            encode_columns(writers, &batch.slice(at, n))?;
            *rows += n;
            at += n;
            if *rows == max_rows {
                let (writers, _) = group.take().expect("a row group in progress");
                append_row_group(&mut file, writers)?;
                groups += 1;
            }
        }
    }
    if let Some((writers, _)) = group {
        append_row_group(&mut file, writers)?;
    }
    file.close()?;
    Ok(())
}

/// Encodes a batch's columns into their writers, alternate columns on two threads.
fn encode_columns(writers: &mut [ArrowColumnWriter], batch: &RecordBatch) -> Result<()> {
    let schema = batch.schema();
    let encode = |columns: Vec<(usize, &mut ArrowColumnWriter)>| -> Result<()> {
        for (i, writer) in columns {
            for leaf in compute_leaves(schema.field(i), batch.column(i))? {
                writer.write(&leaf)?;
            }
        }
        Ok(())
    };
    let (even, odd): (Vec<_>, Vec<_>) = writers.iter_mut().enumerate().partition(|(i, _)| i % 2 == 0);
    std::thread::scope(|scope| {
        let odd = scope.spawn(|| encode(odd));
        let even = encode(even);
        odd.join().expect("a column encoder does not panic").and(even)
    })
}

fn append_row_group<W: Write + Send>(file: &mut SerializedFileWriter<W>, writers: Vec<ArrowColumnWriter>) -> Result<()> {
    let mut row_group = file.next_row_group()?;
    for writer in writers {
        writer.close()?.append_to_row_group(&mut row_group)?;
    }
    row_group.close()?;
    Ok(())
}

/// Parquet, Snappy-compressed.
pub fn write_parquet(writer: impl Write + Send, batch: &RecordBatch) -> Result<()> {
    write_parquet_from(writer, batch.schema(), std::iter::once(Ok(batch.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::BatchBuilder;

    #[test]
    fn parallel_columns_give_the_file_arrow_writer_writes() {
        let batch = |from: i64, n: i64| {
            BatchBuilder::new()
                .int64("id", (from..from + n).map(Some))
                .utf8("name", (from..from + n).map(|i| Some(if i % 3 == 0 { "a" } else { "bb" })))
                .float64("score", (from..from + n).map(|i| (i % 5 != 0).then_some(i as f64 / 7.0)))
                .build()
                .unwrap()
        };
        // Batches that straddle row groups of 1,000 rows.
        let batches = vec![batch(0, 700), batch(700, 1800), batch(2500, 10)];
        let properties = || {
            WriterProperties::builder().set_compression(Compression::SNAPPY).set_max_row_group_row_count(Some(1000)).build()
        };
        let mut expected = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut expected, batches[0].schema(), Some(properties())).unwrap();
        for b in &batches {
            writer.write(b).unwrap();
        }
        writer.close().unwrap();
        let mut parallel = Vec::new();
        write_parquet_with(&mut parallel, batches[0].schema(), batches.iter().cloned().map(Ok), properties()).unwrap();
        assert_eq!(parallel, expected);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&parallel).unwrap();
        let reader = parquet::file::serialized_reader::SerializedFileReader::new(file).unwrap();
        let groups: Vec<i64> = parquet::file::reader::FileReader::metadata(&reader)
            .row_groups()
            .iter()
            .map(|g| g.num_rows())
            .collect();
        assert_eq!(groups, [1000, 1000, 510]);
    }
}
