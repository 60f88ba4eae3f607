//! A table written while its batches arrive from async code (a cluster's table read back a
//! slice at a time), so that no more of it than a slice and the writers' few batches is in
//! memory: each batch is handed to one writer per format, each on a thread of its own, and the
//! producer waits when a writer is [`AHEAD`](super::AHEAD) batches behind.

use std::path::Path;
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use tokio::sync::mpsc;

use super::staging::{self, Written};
use super::{AHEAD, Format};

type Handed = std::result::Result<RecordBatch, String>;

/// The writers of one table's files, fed a batch at a time.
pub struct Feed {
    senders: Vec<Option<mpsc::Sender<Handed>>>,
    writers: Vec<JoinHandle<Result<Written>>>,
}

impl Feed {
    /// Starts a writer of `path` in each of `formats` into the staging directory `dir`.
    pub fn start(dir: &Path, path: &str, schema: SchemaRef, formats: &[Format]) -> Result<Feed> {
        let (mut senders, mut writers) = (Vec::new(), Vec::new());
        for &format in formats {
            let (sender, mut handed) = mpsc::channel::<Handed>(AHEAD);
            let (dir, name, schema) = (dir.to_path_buf(), format.file(path), schema.clone());
            let writer = std::thread::Builder::new()
                .name(format!("writing {name}"))
                .spawn(move || {
                    let batches = std::iter::from_fn(|| handed.blocking_recv()).map(|b| b.map_err(anyhow::Error::msg));
                    staging::stage(&dir, &name, |w| format.write_batches(w, schema, batches))
                })
                .with_context(|| format!("starting the writer of {path}"))?;
            senders.push(Some(sender));
            writers.push(writer);
        }
        Ok(Feed { senders, writers })
    }

    /// Hands `batch` to every writer still writing (one that stopped on an error is skipped:
    /// [`Feed::finish`] reports it).
    pub async fn send(&mut self, batch: &RecordBatch) {
        self.hand(Ok(batch.clone())).await;
    }

    /// Ends every file with an error made while making its batches.
    pub async fn fail(&mut self, error: &anyhow::Error) {
        self.hand(Err(format!("{error:#}"))).await;
    }

    async fn hand(&mut self, batch: Handed) {
        for sender in &mut self.senders {
            if let Some(live) = sender
                && live.send(batch.clone()).await.is_err()
            {
                *sender = None;
            }
        }
    }

    /// Waits for every file to be written; the first error, if any.
    pub fn finish(self) -> Result<Vec<Written>> {
        drop(self.senders);
        self.writers.into_iter().map(|w| w.join().expect("a writer thread does not panic")).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, Int64Array};

    use super::*;

    fn batch(values: std::ops::Range<i64>) -> RecordBatch {
        RecordBatch::try_from_iter([("n", Arc::new(values.collect::<Int64Array>()) as ArrayRef)]).unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batches_fed_make_the_files_a_whole_table_makes() {
        let dir = tempfile::tempdir().unwrap();
        let formats = [Format::Csv, Format::Parquet];
        let mut feed = Feed::start(dir.path(), "fed", batch(0..0).schema(), &formats).unwrap();
        for at in 0..10 {
            feed.send(&batch(at * 1000..(at + 1) * 1000)).await;
        }
        let fed = feed.finish().unwrap();
        let whole = super::super::stage_table(
            dir.path(),
            "whole",
            &super::super::Table::Batch(batch(0..10_000)),
            &formats[..1],
        )
        .unwrap();
        assert_eq!(fed.len(), 2);
        assert_eq!(fed[0].sha256, whole[0].sha256, "the same CSV text");
        assert!(fed[1].bytes > 0);

        let mut failed = Feed::start(dir.path(), "failed", batch(0..0).schema(), &formats).unwrap();
        failed.send(&batch(0..10)).await;
        failed.fail(&anyhow::anyhow!("slice 3 could not be read")).await;
        let error = failed.finish().unwrap_err();
        assert!(format!("{error:#}").contains("slice 3 could not be read"), "{error:#}");
    }
}
