//! Arrow record batches: a small builder from Rust values, column by column; batches joined, or
//! taken from, a column per thread; batches cut in slices.

use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, RecordBatch, RecordBatchOptions,
    StringBuilder, UInt32Array,
};
use arrow::datatypes::{Field, Schema, SchemaRef};
use chrono::NaiveDate;

use super::parallel;

/// The batches as one, each column joined on a thread of its own (10^7 contacts took 2.4 s
/// on one; a stage's result of millions of rows, seconds).
pub fn join(schema: &SchemaRef, batches: Vec<RecordBatch>) -> Result<RecordBatch> {
    if batches.len() < 2 {
        return Ok(arrow::compute::concat_batches(schema, &batches)?);
    }
    let columns: Vec<usize> = (0..schema.fields().len()).collect();
    let joined = parallel::map(&columns, 1, |&c| {
        arrow::compute::concat(&batches.iter().map(|b| b.column(c).as_ref()).collect::<Vec<_>>())
    });
    let rows = batches.iter().map(RecordBatch::num_rows).sum();
    drop(batches);
    with_columns(schema.clone(), joined, rows)
}

/// Slices of one table (at least one), in order, as one batch.
pub fn join_slices(slices: Vec<RecordBatch>) -> Result<RecordBatch> {
    let schema = slices.first().context("a table of no slice")?.schema();
    join(&schema, slices)
}

/// `batch`'s rows at `indices`, each column taken on a thread of its own.
pub fn take(batch: &RecordBatch, indices: &UInt32Array) -> Result<RecordBatch> {
    let taken = parallel::map(batch.columns(), 1, |column| arrow::compute::take(column.as_ref(), indices, None));
    with_columns(batch.schema(), taken, indices.len())
}

/// The rows `at` names (each a batch and a row in it) of `batches`, as one batch, each column
/// gathered on a thread of its own. A column's arrays in `batches` are freed as soon as it is
/// gathered, so that a large table is not held twice over (gathering a stage's rows of 1.3 GiB
/// at 10^7 contacts held it three times over when the batches were joined and then taken from).
pub fn gather(schema: &SchemaRef, batches: Vec<RecordBatch>, at: &[(usize, usize)]) -> Result<RecordBatch> {
    let mut columns: Vec<Vec<ArrayRef>> = (0..schema.fields().len()).map(|_| Vec::new()).collect();
    for batch in batches {
        for (column, array) in columns.iter_mut().zip(batch.columns()) {
            column.push(array.clone());
        }
    }
    let columns: Vec<std::sync::Mutex<Vec<ArrayRef>>> = columns.into_iter().map(std::sync::Mutex::new).collect();
    let gathered = parallel::map(&columns, 1, |column| {
        let arrays = std::mem::take(&mut *column.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        arrow::compute::interleave(&arrays.iter().map(AsRef::as_ref).collect::<Vec<_>>(), at)
    });
    with_columns(schema.clone(), gathered, at.len())
}

/// A batch of `rows` rows from its columns, or the first error making them.
fn with_columns(
    schema: SchemaRef,
    columns: Vec<Result<ArrayRef, arrow::error::ArrowError>>,
    rows: usize,
) -> Result<RecordBatch> {
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(schema, columns.into_iter().collect::<Result<_, _>>()?, &options)?)
}

/// `batch` in slices of `rows` rows (the last shorter), sharing its memory; a batch without
/// rows is one slice, so that its columns still reach whoever reads the slices.
pub fn slices(batch: &RecordBatch, rows: usize) -> Vec<RecordBatch> {
    let rows = rows.max(1);
    if batch.num_rows() == 0 {
        return vec![batch.clone()];
    }
    (0..batch.num_rows()).step_by(rows).map(|at| batch.slice(at, rows.min(batch.num_rows() - at))).collect()
}

#[derive(Default)]
pub struct BatchBuilder {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl BatchBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    fn push(mut self, name: &str, array: ArrayRef) -> Self {
        self.fields.push(Field::new(name, array.data_type().clone(), true));
        self.arrays.push(array);
        self
    }

    /// The columns of `other` after these.
    pub fn append(mut self, other: BatchBuilder) -> Self {
        self.fields.extend(other.fields);
        self.arrays.extend(other.arrays);
        self
    }

    /// A text column, its buffers the exact size of its values: a column collected value by
    /// value grows its buffer by doubling, and a table kept in slices keeps up to as much again.
    pub fn utf8<'a>(self, name: &str, values: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        let values: Vec<Option<&str>> = values.into_iter().collect();
        let bytes = values.iter().flatten().map(|v| v.len()).sum();
        let mut column = StringBuilder::with_capacity(values.len(), bytes);
        column.extend(values);
        self.push(name, Arc::new(column.finish()))
    }

    pub fn int64(self, name: &str, values: impl IntoIterator<Item = Option<i64>>) -> Self {
        self.push(name, Arc::new(values.into_iter().collect::<Int64Array>()))
    }

    pub fn int32(self, name: &str, values: impl IntoIterator<Item = Option<i32>>) -> Self {
        self.push(name, Arc::new(values.into_iter().collect::<Int32Array>()))
    }

    pub fn float64(self, name: &str, values: impl IntoIterator<Item = Option<f64>>) -> Self {
        self.push(name, Arc::new(values.into_iter().collect::<Float64Array>()))
    }

    pub fn boolean(self, name: &str, values: impl IntoIterator<Item = Option<bool>>) -> Self {
        self.push(name, Arc::new(values.into_iter().collect::<BooleanArray>()))
    }

    pub fn date32(self, name: &str, values: impl IntoIterator<Item = Option<NaiveDate>>) -> Self {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
        let days = values.into_iter().map(|d| d.map(|d| (d - epoch).num_days() as i32));
        self.push(name, Arc::new(days.collect::<Date32Array>()))
    }

    pub fn build(self) -> Result<RecordBatch> {
        Ok(RecordBatch::try_new(Arc::new(Schema::new(self.fields)), self.arrays)?)
    }
}
