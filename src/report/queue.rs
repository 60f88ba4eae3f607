//! Tables staged on a thread of their own while the stages that come after them run: a local
//! run hands each output over as soon as its stage has made it, so that writing
//! `enriched_contacts` (hundreds of megabytes of CSV) and `interactions` overlaps the SQL of
//! the tables after them instead of following it.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::Result;

use super::staging::Written;
use super::{Format, Output, RUN_OUTPUTS, Table, stage_table};
use crate::shared::{parallel, timing};

/// The files written so far, each with its place in [`RUN_OUTPUTS`].
type Done = Vec<(usize, Vec<Written>)>;

/// A writer of a run's outputs into its staging directory.
pub struct Queue {
    sender: Option<mpsc::Sender<(usize, Output, Table)>>,
    worker: Option<JoinHandle<Result<Done>>>,
    /// With one thread the tables are written as they are handed over, here.
    here: Result<Done>,
    dir: PathBuf,
    formats: Vec<Format>,
}

impl Queue {
    /// A queue writing into `dir` in `formats`: on a thread of its own when there are two
    /// threads or more.
    pub fn start(dir: PathBuf, formats: &[Format]) -> Queue {
        let formats = formats.to_vec();
        let (sender, worker) = if parallel::threads() > 1 {
            let (sender, receiver) = mpsc::channel();
            let (dir, formats) = (dir.clone(), formats.clone());
            let worker = std::thread::Builder::new()
                .name("writing outputs".into())
                .spawn(move || {
                    let mut done = Vec::new();
                    for (place, output, table) in receiver {
                        done.push((place, write(&dir, output, &table, &formats)?));
                    }
                    Ok(done)
                })
                .ok();
            (worker.is_some().then_some(sender), worker)
        } else {
            (None, None)
        };
        Queue { sender, worker, here: Ok(Vec::new()), dir, formats }
    }

    /// Hands over `output`'s table to be written. A table handed over after a failed write is
    /// dropped: [`Queue::finish`] reports the failure.
    pub fn write(&mut self, output: Output, table: Table) {
        let place = RUN_OUTPUTS.iter().position(|o| o.table == output.table).unwrap_or(RUN_OUTPUTS.len());
        match &self.sender {
            // A send fails only once the writer has stopped on an error, which finish returns.
            Some(sender) => drop(sender.send((place, output, table))),
            None => {
                if let Ok(done) = &mut self.here {
                    match write(&self.dir, output, &table, &self.formats) {
                        Ok(written) => done.push((place, written)),
                        Err(e) => self.here = Err(e),
                    }
                }
            }
        }
    }

    /// Waits for every table handed over to be written; returns their files in
    /// [`RUN_OUTPUTS`] order, whatever order they came in, or the first failure.
    pub fn finish(mut self) -> Result<Vec<Written>> {
        drop(self.sender.take());
        let mut done = match self.worker.take() {
            Some(worker) => worker.join().expect("the output writer does not panic")?,
            None => std::mem::replace(&mut self.here, Ok(Vec::new()))?,
        };
        done.sort_by_key(|(place, _)| *place);
        Ok(done.into_iter().flat_map(|(_, written)| written).collect())
    }
}

fn write(dir: &std::path::Path, output: Output, table: &Table, formats: &[Format]) -> Result<Vec<Written>> {
    let _timer = timing::start(|| format!("writing {}", output.path));
    stage_table(dir, output.path, table, formats)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Int64Array, RecordBatch};
    use arrow::datatypes::{DataType, Field, Schema};

    use super::*;

    fn table(values: &[i64]) -> Table {
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
        Table::Batch(RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(values.to_vec()))]).unwrap())
    }

    fn output(table: &str) -> Output {
        *RUN_OUTPUTS.iter().find(|o| o.table == table).unwrap()
    }

    #[test]
    fn staged_in_run_order_whatever_order_they_came_in() {
        let dir = tempfile::tempdir().unwrap();
        let mut queue = Queue::start(dir.path().to_path_buf(), &[Format::Csv, Format::Parquet]);
        queue.write(output("accounting"), table(&[3]));
        queue.write(output("interactions"), table(&[1, 2]));
        let written = queue.finish().unwrap();
        let paths: Vec<String> = written.iter().map(|w| w.path.display().to_string()).collect();
        assert_eq!(paths, ["interactions.csv", "interactions.parquet", "accounting.csv", "accounting.parquet"]);
        assert_eq!(std::fs::read_to_string(dir.path().join("interactions.csv")).unwrap(), "n\n1\n2\n");
        assert_eq!(written[2].bytes, std::fs::metadata(dir.path().join("accounting.csv")).unwrap().len());
    }

    #[test]
    fn a_failed_write_is_returned_by_finish() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the tables/ folder should be: the table below cannot be created.
        std::fs::write(dir.path().join("tables"), "").unwrap();
        let mut queue = Queue::start(dir.path().to_path_buf(), &[Format::Csv]);
        queue.write(output("totals"), table(&[1]));
        queue.write(output("interactions"), table(&[1]));
        let error = format!("{:#}", queue.finish().unwrap_err());
        assert!(error.contains("tables"), "{error}");
    }
}
