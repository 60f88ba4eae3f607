//! Arrow record batches: a small builder from Rust values, column by column; batches joined, or
//! taken from, a column per thread; batches cut in slices.

use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, RecordBatch,
    RecordBatchOptions, StringBuilder, UInt32Array,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::error::ArrowError;
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
    gather_then(schema, batches, at, Ok)
}

/// [`gather`], each text column [`pack`]ed as soon as it is gathered: the plain column is
/// freed before the next is gathered.
pub fn gather_packed(schema: &SchemaRef, batches: Vec<RecordBatch>, at: &[(usize, usize)]) -> Result<RecordBatch> {
    gather_then(schema, batches, at, pack)
}

fn gather_then(
    schema: &SchemaRef,
    batches: Vec<RecordBatch>,
    at: &[(usize, usize)],
    then: impl Fn(ArrayRef) -> Result<ArrayRef, ArrowError> + Sync,
) -> Result<RecordBatch> {
    let mut columns: Vec<Vec<ArrayRef>> = (0..schema.fields().len()).map(|_| Vec::new()).collect();
    for batch in batches {
        for (column, array) in columns.iter_mut().zip(batch.columns()) {
            column.push(array.clone());
        }
    }
    let columns: Vec<std::sync::Mutex<Vec<ArrayRef>>> = columns.into_iter().map(std::sync::Mutex::new).collect();
    let gathered = parallel::map(&columns, 1, |column| {
        let arrays = std::mem::take(&mut *column.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        arrow::compute::interleave(&arrays.iter().map(AsRef::as_ref).collect::<Vec<_>>(), at).and_then(&then)
    });
    // A packed column's field has its dictionary's type.
    let schema = retyped(schema, |c| gathered[c].as_ref().ok().map(|array| array.data_type().clone()));
    with_columns(schema, gathered, at.len())
}

/// `array`'s texts as a dictionary of their distinct values when they repeat ([`repeats`]);
/// any other array as it is. A decision table's party names, statuses, bases and regimes
/// repeat over millions of rows, and a string array keeps every copy with its offset:
/// `enriched_decisions` at 10^7 diverse contacts held 1.3 GiB, two thirds of it in such texts,
/// and 0.58 GiB packed. The keys are the narrowest of `Int16` and `Int32` that hold the
/// distinct values.
pub fn pack(array: ArrayRef) -> Result<ArrayRef, ArrowError> {
    if !repeats(&array) {
        return Ok(array);
    }
    packed_as(&array, DataType::Int16).or_else(|_| packed_as(&array, DataType::Int32))
}

/// The type a column packed as a dictionary reads as: its values' (any other type, itself).
pub fn unpacked_type(data_type: &DataType) -> DataType {
    match data_type {
        DataType::Dictionary(_, values) => values.as_ref().clone(),
        other => other.clone(),
    }
}

/// How the slices of one table are packed, so that they keep one schema: the text columns
/// that repeat ([`repeats`]) in its first slice, in every slice, with keys wide enough for the
/// widest.
pub struct Packing {
    picked: Vec<usize>,
    schema: SchemaRef,
    key: DataType,
}

impl Packing {
    /// The packing of a table whose first slice is `first` and whose slices have at most
    /// `widest` rows (a slice has no more distinct values than rows).
    pub fn of(first: &RecordBatch, widest: usize) -> Packing {
        let picked: Vec<usize> = (0..first.num_columns()).filter(|&c| repeats(first.column(c))).collect();
        let key = if widest <= i16::MAX as usize { DataType::Int16 } else { DataType::Int32 };
        let schema = retyped(&first.schema(), |c| picked.contains(&c).then(|| dictionary(key.clone())));
        Packing { picked, schema, key }
    }

    /// `slice` packed; the plain columns are freed as it is dropped.
    pub fn apply(&self, slice: RecordBatch) -> Result<RecordBatch> {
        let columns = slice.columns().iter().enumerate().map(|(c, column)| match self.picked.contains(&c) {
            true => packed_as(column, self.key.clone()),
            false => Ok(column.clone()),
        });
        with_columns(self.schema.clone(), columns.collect(), slice.num_rows())
    }
}

/// `schema` with the type `retype` gives a column (by its index) in place of its field's own.
fn retyped(schema: &SchemaRef, retype: impl Fn(usize) -> Option<DataType>) -> SchemaRef {
    let fields: Vec<Field> = (schema.fields().iter().enumerate())
        .map(|(c, field)| match retype(c) {
            Some(data_type) => field.as_ref().clone().with_data_type(data_type),
            None => field.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// Values sampled, from the start of a column, to tell whether its texts repeat.
const PACK_SAMPLE: usize = 4096;

/// Whether `array` holds texts that repeat: the sample at its start holds at most half as many
/// distinct values as values.
fn repeats(array: &ArrayRef) -> bool {
    let Some(texts) = array.as_string_opt::<i32>() else { return false };
    let sample = texts.len().min(PACK_SAMPLE);
    let distinct: std::collections::HashSet<Option<&str>> = texts.iter().take(sample).collect();
    sample > 0 && distinct.len() * 2 <= sample
}

fn dictionary(key: DataType) -> DataType {
    DataType::Dictionary(Box::new(key), Box::new(DataType::Utf8))
}

fn packed_as(array: &ArrayRef, key: DataType) -> Result<ArrayRef, ArrowError> {
    arrow::compute::cast(array, &dictionary(key))
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
