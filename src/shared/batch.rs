//! A small builder for Arrow record batches from Rust values, column by column.

use std::sync::Arc;

use anyhow::Result;
use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use arrow::datatypes::{Field, Schema};
use chrono::NaiveDate;

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

    pub fn utf8<'a>(self, name: &str, values: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        self.push(name, Arc::new(values.into_iter().collect::<StringArray>()))
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
