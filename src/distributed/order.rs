//! `enriched_contacts` as the cluster writes it (its tasks' files, in no order) put back in a
//! local run's order, `source_row` then `party_seq`, by placing each row where its input row
//! says rather than by a general sort: the input rows are numbered 1 to n, so a count of the
//! rows per input row gives each its place (a contact naming several parties has a few rows,
//! ordered among themselves by `party_seq`). DataFusion's sort compared every row and merged
//! the sorted parts on one thread. Rows whose numbers do not fit (nulls, or numbers spread
//! wider than twice the rows) are left to Arrow's sort, nulls last as SQL's `order by`.

use anyhow::{Context, Result};
use arrow::array::{Array, ArrayRef, Int32Array, Int64Array, RecordBatch, UInt32Array};
use arrow::compute::{SortColumn, SortOptions, lexsort_to_indices, take};

use crate::shared::parallel;

/// SQL's `order by` ascending: nulls last.
const ASCENDING: SortOptions = SortOptions { descending: false, nulls_first: false };

/// `batch` in the order of its `source_row` (Int64) and `party_seq` (Int32) columns, a key
/// with no two rows alike.
pub fn in_input_order(batch: &RecordBatch) -> Result<RecordBatch> {
    let column = |name: &str| batch.column_by_name(name).with_context(|| format!("enriched_contacts has no {name}"));
    let (rows, seq) = (column("source_row")?, column("party_seq")?);
    let indices = match (rows.as_any().downcast_ref::<Int64Array>(), seq.as_any().downcast_ref::<Int32Array>()) {
        (Some(r), Some(s)) => placed(r, s),
        _ => None,
    };
    let indices = match indices {
        Some(indices) => indices,
        None => {
            let key = |values: &ArrayRef| SortColumn { values: values.clone(), options: Some(ASCENDING) };
            lexsort_to_indices(&[key(rows), key(seq)], None).context("ordering enriched_contacts")?
        }
    };
    let columns: Vec<ArrayRef> = parallel::map(batch.columns(), 1, |c| take(c, &indices, None))
        .into_iter()
        .collect::<Result<_, _>>()
        .context("ordering enriched_contacts")?;
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}

/// The order by input row then party, by counting the rows of each input row; None when a
/// number is null or they spread over more than twice the rows.
fn placed(rows: &Int64Array, seq: &Int32Array) -> Option<UInt32Array> {
    if rows.null_count() > 0 || seq.null_count() > 0 || rows.len() > u32::MAX as usize {
        return None;
    }
    let values = rows.values();
    let (low, high) = values.iter().fold((i64::MAX, i64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
    if values.is_empty() {
        return Some(UInt32Array::from(Vec::<u32>::new()));
    }
    let span = usize::try_from(high.checked_sub(low)?).ok()?.checked_add(1)?;
    if span > 2 * values.len() {
        return None;
    }
    // starts[k]: where the rows of input row low + k begin.
    let mut starts = vec![0u32; span + 1];
    for &v in values {
        starts[(v - low) as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let k = (v - low) as usize;
        order[next[k] as usize] = i as u32;
        next[k] += 1;
    }
    let seq = seq.values();
    for k in 0..span {
        let group = &mut order[starts[k] as usize..starts[k + 1] as usize];
        if group.len() > 1 {
            group.sort_unstable_by_key(|&i| seq[i as usize]);
        }
    }
    Some(UInt32Array::from(order))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::StringArray;
    use arrow::datatypes::{DataType, Field, Schema};

    use super::*;

    fn batch(rows: Vec<Option<i64>>, seq: Vec<i32>) -> RecordBatch {
        let text: Vec<String> = rows.iter().zip(&seq).map(|(r, s)| format!("{r:?}/{s}")).collect();
        let schema = Schema::new(vec![
            Field::new("source_row", DataType::Int64, true),
            Field::new("party_seq", DataType::Int32, false),
            Field::new("text", DataType::Utf8, false),
        ]);
        let columns: Vec<ArrayRef> =
            vec![Arc::new(Int64Array::from(rows)), Arc::new(Int32Array::from(seq)), Arc::new(StringArray::from(text))];
        RecordBatch::try_new(Arc::new(schema), columns).unwrap()
    }

    /// What DataFusion's `order by source_row, party_seq` gives: Arrow's sort of both keys.
    fn sorted(batch: &RecordBatch) -> RecordBatch {
        let key = |i: usize| SortColumn { values: batch.column(i).clone(), options: Some(ASCENDING) };
        let indices = lexsort_to_indices(&[key(0), key(1)], None).unwrap();
        let columns = batch.columns().iter().map(|c| take(c, &indices, None).unwrap()).collect();
        RecordBatch::try_new(batch.schema(), columns).unwrap()
    }

    #[test]
    fn rows_are_placed_by_input_row_then_party() {
        // Input rows 3 to 9 shuffled, row 5 with three parties, row 8 missing.
        let rows = [7, 5, 3, 9, 5, 4, 6, 5].map(Some).to_vec();
        let b = batch(rows, vec![1, 3, 1, 1, 1, 1, 1, 2]);
        assert!(
            placed(b.column(0).as_any().downcast_ref().unwrap(), b.column(1).as_any().downcast_ref().unwrap())
                .is_some()
        );
        assert_eq!(in_input_order(&b).unwrap(), sorted(&b));
    }

    #[test]
    fn rows_that_do_not_fit_are_sorted_alike() {
        for rows in [vec![Some(1), None, Some(2)], vec![Some(1), Some(1_000_000), Some(-5)]] {
            let b = batch(rows, vec![1, 1, 1]);
            assert_eq!(in_input_order(&b).unwrap(), sorted(&b));
        }
        let empty = batch(Vec::new(), Vec::new());
        assert_eq!(in_input_order(&empty).unwrap().num_rows(), 0);
    }
}
