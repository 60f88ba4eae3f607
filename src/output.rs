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

pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    files: Vec<PathBuf>,
    committed: bool,
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

    fn create(&mut self, relative: &str) -> Result<BufWriter<File>> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        self.files.push(PathBuf::from(relative));
        let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(BufWriter::new(file))
    }

    pub fn write_csv(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        let mut writer = self.create(relative)?;
        write_csv(&mut writer, batch)?;
        writer.flush()?;
        Ok(())
    }

    /// Parquet from batches made one at a time, so a large table is never whole in memory.
    pub fn write_parquet_batches(
        &mut self,
        relative: &str,
        schema: arrow::datatypes::SchemaRef,
        batches: impl Iterator<Item = Result<RecordBatch>>,
    ) -> Result<()> {
        let writer = self.create(relative)?;
        let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
        let mut parquet = ArrowWriter::try_new(writer, schema, Some(props))?;
        for batch in batches {
            parquet.write(&batch?)?;
        }
        parquet.close()?;
        Ok(())
    }

    /// CSV from batches made one at a time, one header.
    pub fn write_csv_batches(
        &mut self,
        relative: &str,
        batches: impl Iterator<Item = Result<RecordBatch>>,
    ) -> Result<()> {
        let writer = self.create(relative)?;
        let mut csv =
            arrow::csv::WriterBuilder::new().with_header(true).with_date_format("%Y-%m-%d".into()).build(writer);
        for batch in batches {
            csv.write(&batch?)?;
        }
        csv.into_inner().flush()?;
        Ok(())
    }

    pub fn write_parquet(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        let writer = self.create(relative)?;
        let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
        let mut parquet = ArrowWriter::try_new(writer, batch.schema(), Some(props))?;
        parquet.write(batch)?;
        parquet.close()?;
        Ok(())
    }

    pub fn write_text(&mut self, relative: &str, text: &str) -> Result<()> {
        self.write_bytes(relative, text.as_bytes())
    }

    pub fn write_bytes(&mut self, relative: &str, bytes: &[u8]) -> Result<()> {
        let mut writer = self.create(relative)?;
        writer.write_all(bytes)?;
        writer.flush()?;
        Ok(())
    }

    /// JSON lines: one object a row, nulls left out.
    pub fn write_json(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        let mut writer = arrow::json::LineDelimitedWriter::new(self.create(relative)?);
        writer.write(batch)?;
        writer.finish()?;
        writer.into_inner().flush()?;
        Ok(())
    }

    /// The Arrow IPC file format (Feather v2), which R's arrow, pyarrow and polars read.
    pub fn write_arrow(&mut self, relative: &str, batch: &RecordBatch) -> Result<()> {
        let mut writer = arrow::ipc::writer::FileWriter::try_new(self.create(relative)?, &batch.schema())?;
        writer.write(batch)?;
        writer.finish()?;
        writer.into_inner()?.flush()?;
        Ok(())
    }

    /// The staged files so far, with their contents (for the manifest's checksums).
    pub fn staged(&self) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        self.files.iter().map(|f| Ok((f.clone(), std::fs::read(self.dir.join(f))?))).collect()
    }

    /// Moves every staged file into the output directory.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        for relative in &self.files {
            let target = self.out.join(relative);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(self.dir.join(relative), &target)
                .with_context(|| format!("cannot move output into place: {}", target.display()))?;
        }
        self.committed = true;
        std::fs::remove_dir_all(&self.dir).ok();
        Ok(self.files.iter().map(|f| self.out.join(f)).collect())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.dir).ok();
        }
    }
}

/// CSV with a header row; dates as YYYY-MM-DD, nulls as empty cells.
pub fn write_csv(writer: impl Write, batch: &RecordBatch) -> Result<()> {
    let mut csv = arrow::csv::WriterBuilder::new().with_header(true).with_date_format("%Y-%m-%d".into()).build(writer);
    csv.write(batch)?;
    Ok(())
}
