//! Writing outputs atomically: every file of a run goes to a staging directory inside the output
//! directory and is moved into place only once all of them are written. A failed run leaves the
//! output directory as it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use parquet::arrow::ArrowWriter;
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
fn stage(dir: &Path, relative: &str, write: impl FnOnce(&mut StagedWriter) -> Result<()>) -> Result<Written> {
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

    /// `{stem}.csv` and `{stem}.parquet`, written side by side on two threads, each from its
    /// own pass over `batches()`.
    pub fn write_csv_and_parquet_batches<'a, I>(
        &mut self,
        stem: &str,
        schema: arrow::datatypes::SchemaRef,
        batches: impl Fn() -> I + Sync,
    ) -> Result<()>
    where
        I: Iterator<Item = Result<RecordBatch>> + 'a,
    {
        let (csv, parquet) = (format!("{stem}.csv"), format!("{stem}.parquet"));
        let dir = &self.dir;
        let (csv, parquet) = std::thread::scope(|scope| {
            let csv = scope.spawn(|| stage(dir, &csv, |w| write_csv_from(w, batches())));
            let parquet = stage(dir, &parquet, |w| write_parquet_from(w, schema, batches()));
            (csv.join().expect("the CSV writer does not panic"), parquet)
        });
        self.files.push(csv?);
        self.files.push(parquet?);
        Ok(())
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

fn csv_writer<W: Write>(writer: W) -> arrow::csv::Writer<W> {
    arrow::csv::WriterBuilder::new().with_header(true).with_date_format("%Y-%m-%d".into()).build(writer)
}

/// CSV with a header row; dates as YYYY-MM-DD, nulls as empty cells.
pub fn write_csv(writer: impl Write, batch: &RecordBatch) -> Result<()> {
    csv_writer(writer).write(batch)?;
    Ok(())
}

/// CSV from batches made one at a time, one header.
fn write_csv_from(writer: impl Write, batches: impl Iterator<Item = Result<RecordBatch>>) -> Result<()> {
    let mut csv = csv_writer(writer);
    for batch in batches {
        csv.write(&batch?)?;
    }
    Ok(())
}

/// Parquet from batches made one at a time, so a large table is never whole in memory.
fn write_parquet_from(
    writer: impl Write + Send,
    schema: arrow::datatypes::SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch>>,
) -> Result<()> {
    let mut parquet = ArrowWriter::try_new(writer, schema, Some(parquet_properties()))?;
    for batch in batches {
        parquet.write(&batch?)?;
    }
    parquet.close()?;
    Ok(())
}

/// Parquet, Snappy-compressed.
pub fn write_parquet(writer: impl Write + Send, batch: &RecordBatch) -> Result<()> {
    let mut parquet = ArrowWriter::try_new(writer, batch.schema(), Some(parquet_properties()))?;
    parquet.write(batch)?;
    parquet.close()?;
    Ok(())
}
