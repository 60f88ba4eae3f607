//! The SQL window function `visit_number(day, days)`: rows of one partition, in their window's
//! order, numbered by the visit they belong to. A visit starts at its first row and takes every
//! later row at most `days` days after that first row; the next row opens the next visit. Visits
//! are measured from their first row, so rows a few days apart never chain into one endless visit
//! (what a gaps-and-islands window does), and no plain SQL window can say it: each visit's start
//! depends on where the one before it ended.
//!
//! ```sql
//! visit_number(day, 7) over (partition by party_key order by day)
//! ```

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int32Type};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{PartitionEvaluatorArgs, WindowUDFFieldArgs};
use datafusion::logical_expr::{PartitionEvaluator, Signature, Volatility, WindowUDF, WindowUDFImpl};

/// `visit_number` as a DataFusion window function.
pub fn visit_number() -> WindowUDF {
    WindowUDF::from(VisitNumber {
        signature: Signature::exact(vec![DataType::Int32, DataType::Int32], Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct VisitNumber {
    signature: Signature,
}

impl WindowUDFImpl for VisitNumber {
    fn name(&self) -> &str {
        "visit_number"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn partition_evaluator(&self, _args: PartitionEvaluatorArgs) -> Result<Box<dyn PartitionEvaluator>> {
        Ok(Box::new(Visits))
    }

    fn field(&self, field_args: WindowUDFFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(Field::new(field_args.name(), DataType::Int64, false)))
    }
}

#[derive(Debug)]
struct Visits;

impl PartitionEvaluator for Visits {
    /// The whole partition at once, in the window's order.
    fn evaluate_all(&mut self, values: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
        let [days, spans] = values else {
            return Err(DataFusionError::Execution("visit_number takes a day and a number of days".into()));
        };
        let (days, spans) = (days.as_primitive::<Int32Type>(), spans.as_primitive::<Int32Type>());
        Ok(Arc::new(Int64Array::from(numbers(num_rows, |i| {
            (days.is_valid(i).then(|| days.value(i)), spans.is_valid(i).then(|| spans.value(i)))
        })?)))
    }
}

/// The visit of each row, from 1: a row more than its span after the current visit's first day
/// (or without a day) opens the next visit.
fn numbers(rows: usize, row: impl Fn(usize) -> (Option<i32>, Option<i32>)) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(rows);
    let (mut number, mut start): (i64, Option<i32>) = (0, None);
    for i in 0..rows {
        let (day, span) = row(i);
        let span = span.filter(|s| *s >= 0).ok_or_else(|| {
            DataFusionError::Execution("visit_number: the number of days must be given and not negative".into())
        })?;
        match (day, start) {
            (Some(day), Some(first)) if i64::from(day) - i64::from(first) <= i64::from(span) => {}
            _ => {
                number += 1;
                start = day;
            }
        }
        out.push(number);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visits(days: &[Option<i32>], span: i32) -> Vec<i64> {
        numbers(days.len(), |i| (days[i], Some(span))).unwrap()
    }

    #[test]
    fn a_visit_is_measured_from_its_first_row() {
        // Six days apart: a chain would make one visit of them all.
        let days = [0, 6, 12, 18, 24, 30].map(Some);
        assert_eq!(visits(&days, 7), [1, 1, 2, 2, 3, 3]);
        assert_eq!(visits(&days, 0), [1, 2, 3, 4, 5, 6]);
        // Exactly the span after the first row still belongs to it.
        assert_eq!(visits(&[Some(10), Some(17), Some(18)], 7), [1, 1, 2]);
        assert_eq!(visits(&[Some(3), Some(3), Some(3)], 0), [1, 1, 1]);
    }

    #[test]
    fn a_row_without_a_day_is_a_visit_of_its_own() {
        assert_eq!(visits(&[Some(1), None, Some(2), None, None], 7), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_negative_or_missing_span_is_an_error() {
        assert!(numbers(1, |_| (Some(1), Some(-1))).is_err());
        assert!(numbers(1, |_| (Some(1), None)).is_err());
        assert_eq!(numbers(0, |_| (None, None)).unwrap(), Vec::<i64>::new());
    }

    #[tokio::test]
    async fn it_runs_in_sql_per_partition() {
        let ctx = super::super::create_context();
        let sql = "select p, d, visit_number(cast(d as int), cast(7 as int)) over (partition by p order by d) as v \
            from (values (1, 0), (1, 6), (1, 12), (2, 6), (2, 30)) as t(p, d) order by p, d";
        let batch = super::super::query(&ctx, sql).await.unwrap();
        let v = batch.column(2).as_primitive::<datafusion::arrow::datatypes::Int64Type>().values().to_vec();
        assert_eq!(v, [1, 1, 2, 1, 2]);
    }
}
