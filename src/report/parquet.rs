//! Parquet files written a batch at a time, each batch's columns encoded on every thread: the
//! same bytes `ArrowWriter` writes on one (tested below).

use std::io::Write;

use anyhow::Result;
use arrow::array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnWriter, compute_leaves};
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

use crate::shared::parallel;

fn parquet_properties() -> WriterProperties {
    WriterProperties::builder().set_compression(Compression::SNAPPY).build()
}

/// Parquet from batches made one at a time, so a large table is never whole in memory. The
/// columns of each batch are encoded on every thread; the file is the one `ArrowWriter` writes
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
    let (mut file, factory) =
        ArrowWriter::try_new(writer, schema.clone(), Some(properties))?.into_serialized_writer()?;
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

/// Encodes a batch's columns into their writers, the columns dealt out over the threads.
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
    let threads = parallel::threads().clamp(1, writers.len().max(1));
    let mut dealt: Vec<Vec<(usize, &mut ArrowColumnWriter)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, writer) in writers.iter_mut().enumerate() {
        dealt[i % threads].push((i, writer));
    }
    let mut dealt = dealt.into_iter();
    let here = dealt.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let others: Vec<_> = dealt.map(|columns| scope.spawn(|| encode(columns))).collect();
        let here = encode(here);
        others.into_iter().map(|o| o.join().expect("a column encoder does not panic")).fold(here, Result::and)
    })
}

fn append_row_group<W: Write + Send>(
    file: &mut SerializedFileWriter<W>,
    writers: Vec<ArrowColumnWriter>,
) -> Result<()> {
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
    use crate::shared::batch::BatchBuilder;

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
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(1000))
                .build()
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
        let groups: Vec<i64> =
            parquet::file::reader::FileReader::metadata(&reader).row_groups().iter().map(|g| g.num_rows()).collect();
        assert_eq!(groups, [1000, 1000, 510]);
    }
}
