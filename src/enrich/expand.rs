//! Tables at the grain of a contact and its party, made from a table at the grain of a
//! decision.
//!
//! Resolution decides each distinct (country as written, year, partner as written) once, and
//! the SQL stages enrich those decisions, not the rows. A contact's row (or rows, one per party
//! it names) is its decision's row(s) beside its own columns: `contact_rows` joined to a
//! decision table on `decision`. [`Expansion`] makes that join with Arrow `take`, in input
//! order, a slice of rows at a time, so that a table of tens of millions of contacts is never
//! whole in memory.

use std::ops::Range;
use std::sync::Arc;

use anyhow::{Context, Result, ensure};
use arrow::array::{Array, ArrayRef, AsArray, RecordBatch, UInt32Array};
use arrow::datatypes::{Field, Int32Type, Schema, SchemaRef};

use crate::shared::parallel;

/// Rows an expansion makes at a time.
pub const CHUNK_ROWS: usize = 1 << 16;

/// Which contact and which decision-table row each output row comes from. The decision
/// tables hold each decision's rows together, ordered by (decision, party_seq).
#[derive(Debug)]
pub struct Layout {
    /// Per output row, the contact: `None` when every contact gives one row (row i is contact i).
    contact: Option<UInt32Array>,
    /// Per output row, its row in the decision tables.
    decision_row: UInt32Array,
    /// Per decision, its first row in the decision tables; last, the tables' row count.
    first_row: Vec<u32>,
}

impl Layout {
    /// `decision`: each contact's decision; `widths`: each decision's rows (at least one).
    pub fn new(decision: &[u32], widths: &[u32]) -> Layout {
        let mut first_row = Vec::with_capacity(widths.len());
        let mut next = 0u32;
        for &w in widths {
            first_row.push(next);
            next += w.max(1);
        }
        first_row.push(next);
        let width = |d: u32| widths[d as usize].max(1);
        // On every thread: at 10^7 contacts, 0.27 s on one.
        let parts = parallel::split(decision, parallel::threads());
        if parallel::map(&parts, 1, |part| part.iter().all(|&d| width(d) == 1)).into_iter().all(|one| one) {
            let decision_row: Vec<u32> = parallel::map(decision, 1 << 16, |&d| first_row[d as usize]);
            return Layout { contact: None, decision_row: decision_row.into(), first_row };
        }
        let (mut contact, mut row) = (Vec::new(), Vec::new());
        for (i, &d) in decision.iter().enumerate() {
            for k in 0..width(d) {
                contact.push(i as u32);
                row.push(first_row[d as usize] + k);
            }
        }
        Layout { contact: Some(contact.into()), decision_row: row.into(), first_row }
    }

    /// Output rows.
    pub fn len(&self) -> usize {
        self.decision_row.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A decision table's rows, given in `batches` of `schema`, in (decision, party_seq) order,
    /// placed by those two columns (each row's place is its decision's first row plus its
    /// party_seq less one): a stage that makes a decision table unordered needs no sort. The
    /// batches are freed a column at a time as the table is gathered. An error when the rows are
    /// not the decisions' rows, each once.
    pub fn place(&self, schema: &SchemaRef, batches: Vec<RecordBatch>, what: &str) -> Result<RecordBatch> {
        let at = self.places(&batches, what)?;
        crate::shared::batch::gather(schema, batches, &at)
    }

    /// [`Layout::place`], the texts that repeat packed as dictionaries
    /// ([`crate::shared::batch::pack`]) as each column is gathered.
    pub fn place_packed(&self, schema: &SchemaRef, batches: Vec<RecordBatch>, what: &str) -> Result<RecordBatch> {
        let at = self.places(&batches, what)?;
        crate::shared::batch::gather_packed(schema, batches, &at)
    }

    /// Where each row of the table goes: its batch and row in `batches`.
    fn places(&self, batches: &[RecordBatch], what: &str) -> Result<Vec<(usize, usize)>> {
        let rows = *self.first_row.last().unwrap_or(&0) as usize;
        let given: usize = batches.iter().map(RecordBatch::num_rows).sum();
        ensure!(given == rows, "{what}: {given} rows where the decisions have {rows}");
        let mut source = vec![(usize::MAX, 0); rows];
        let mut row = 0;
        for (b, batch) in batches.iter().enumerate() {
            let int = |name: &str| {
                batch
                    .column_by_name(name)
                    .and_then(|c| c.as_primitive_opt::<Int32Type>())
                    .filter(|c| c.null_count() == 0)
                    .with_context(|| format!("{what} has an int column {name} without nulls"))
            };
            let (decision, party_seq) = (int("decision")?, int("party_seq")?);
            for (r, (&d, &seq)) in decision.values().iter().zip(party_seq.values()).enumerate() {
                row += 1;
                let place =
                    usize::try_from(d).ok().and_then(|d| Some((self.first_row.get(d)?, self.first_row.get(d + 1)?)));
                let at = place.and_then(|(&first, &next)| {
                    let at = i64::from(first) + i64::from(seq) - 1;
                    (at >= i64::from(first) && at < i64::from(next)).then_some(at as usize)
                });
                let Some(at) = at.filter(|&at| source[at].0 == usize::MAX) else {
                    anyhow::bail!(
                        "{what}: row {row} (decision {d}, party_seq {seq}) is not one of the decisions' rows"
                    );
                };
                source[at] = (b, r);
            }
        }
        Ok(source)
    }
}

/// A column of an expansion: the contact's own, or its decision's.
#[derive(Debug, Clone)]
enum Column {
    Contact(ArrayRef),
    Decision(ArrayRef),
}

/// Contacts joined to a decision table: each output column is a contact's column (one value per
/// contact) or a decision table's (one value per decision-table row).
#[derive(Debug, Clone)]
pub struct Expansion {
    layout: Arc<Layout>,
    fields: Vec<Field>,
    columns: Vec<Column>,
}

impl Expansion {
    pub fn new(layout: Arc<Layout>) -> Expansion {
        Expansion { layout, fields: Vec::new(), columns: Vec::new() }
    }

    /// A column with one value per contact, in input order.
    pub fn contact(mut self, field: Field, array: ArrayRef) -> Self {
        self.fields.push(field);
        self.columns.push(Column::Contact(array));
        self
    }

    /// A column with one value per decision-table row.
    pub fn decision(mut self, field: Field, array: ArrayRef) -> Self {
        self.fields.push(field);
        self.columns.push(Column::Decision(array));
        self
    }

    /// A decision table's column by name, keeping its field; a column packed as a dictionary
    /// ([`Layout::place_packed`]) comes out as its plain values.
    pub fn decision_column(self, table: &RecordBatch, name: &str) -> Result<Self> {
        let schema = table.schema();
        let (index, field) =
            schema.column_with_name(name).with_context(|| format!("the decision table has no column {name}"))?;
        let field = field.clone().with_data_type(crate::shared::batch::unpacked_type(field.data_type()));
        Ok(self.decision(field, table.column(index).clone()))
    }

    pub fn schema(&self) -> SchemaRef {
        Arc::new(Schema::new(self.fields.clone()))
    }

    pub fn len(&self) -> usize {
        self.layout.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The output rows in `rows`.
    pub fn batch(&self, rows: Range<usize>) -> Result<RecordBatch> {
        let len = rows.len();
        let decision_rows = self.layout.decision_row.slice(rows.start, len);
        let contacts = self.layout.contact.as_ref().map(|c| c.slice(rows.start, len));
        let columns = self
            .columns
            .iter()
            .map(|column| -> Result<ArrayRef> {
                Ok(match (column, &contacts) {
                    (Column::Contact(array), None) => array.slice(rows.start, len),
                    (Column::Contact(array), Some(take)) => arrow::compute::take(array.as_ref(), take, None)?,
                    (Column::Decision(array), _) => arrow::compute::take(array.as_ref(), &decision_rows, None)?,
                })
            })
            .zip(&self.fields)
            .map(|(array, field)| -> Result<ArrayRef> {
                // A packed decision column comes out as the plain texts of its field.
                let array = array?;
                match array.data_type() == field.data_type() {
                    true => Ok(array),
                    false => Ok(arrow::compute::cast(&array, field.data_type())?),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let options = arrow::array::RecordBatchOptions::new().with_row_count(Some(len));
        Ok(RecordBatch::try_new_with_options(self.schema(), columns, &options)?)
    }

    /// Every output row in input order, [`CHUNK_ROWS`] at a time (one empty batch when there
    /// are none, so that a writer still sees the schema).
    pub fn batches(&self) -> impl Iterator<Item = Result<RecordBatch>> + Send + '_ {
        let chunks = self.len().div_ceil(CHUNK_ROWS).max(1);
        (0..chunks).map(move |c| self.batch(c * CHUNK_ROWS..((c + 1) * CHUNK_ROWS).min(self.len())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int32Array, StringArray};

    impl Expansion {
        /// The whole table as one batch.
        fn collect(&self) -> Result<RecordBatch> {
            let batches = self.batches().collect::<Result<Vec<_>>>()?;
            Ok(arrow::compute::concat_batches(&self.schema(), &batches)?)
        }
    }

    #[test]
    fn contacts_with_several_parties_give_a_row_per_party_in_input_order() {
        // Three contacts: decision 1 names two parties.
        let layout = Arc::new(Layout::new(&[0, 1, 0], &[1, 2]));
        assert_eq!(layout.len(), 4);
        let contact_ids: ArrayRef = Arc::new(StringArray::from(vec!["a", "b", "c"]));
        let party: ArrayRef = Arc::new(StringArray::from(vec!["none", "X", "Y"]));
        let table = Expansion::new(layout)
            .contact(Field::new("contact_id", arrow::datatypes::DataType::Utf8, true), contact_ids)
            .decision(Field::new("party", arrow::datatypes::DataType::Utf8, true), party);
        let all = table.collect().unwrap();
        let col =
            |i: usize| all.column(i).as_string::<i32>().iter().map(|v| v.unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(col(0), ["a", "b", "b", "c"]);
        assert_eq!(col(1), ["none", "X", "Y", "none"]);
    }

    /// Enough contacts for the layout to be made on several threads: the rows of each contact
    /// are those of its decision, one a party, whether every decision has one row or some two.
    #[test]
    fn a_layout_made_on_every_thread_gives_each_contact_its_decisions_rows() {
        let contacts = 3 * (1 << 16) + 17;
        let decision: Vec<u32> = (0..contacts as u32).map(|i| (i * 7919) % 1000).collect();
        for widths in [vec![1u32; 1000], (0..1000).map(|d| 1 + u32::from(d % 97 == 0)).collect()] {
            let layout = Layout::new(&decision, &widths);
            let first: Vec<u32> = widths.iter().scan(0, |next, &w| Some(std::mem::replace(next, *next + w))).collect();
            let first = &first;
            let expected: Vec<u32> =
                decision.iter().flat_map(|&d| (0..widths[d as usize]).map(move |k| first[d as usize] + k)).collect();
            assert_eq!(layout.decision_row.values().as_ref(), expected.as_slice());
            assert_eq!(layout.contact.is_none(), widths.iter().all(|&w| w == 1));
        }
    }

    #[test]
    fn a_decision_table_in_any_order_is_placed_or_refused() {
        // Decision 1 names two parties; its rows come first and in reverse.
        let layout = Layout::new(&[0, 1, 2], &[1, 2, 1]);
        let table = |rows: &[(i32, i32)]| {
            crate::shared::batch::BatchBuilder::new()
                .int32("decision", rows.iter().map(|r| Some(r.0)))
                .int32("party_seq", rows.iter().map(|r| Some(r.1)))
                .int32("row", (0..rows.len() as i32).map(Some))
                .build()
                .unwrap()
        };
        let place = |rows: &[(i32, i32)]| {
            // The rows in two batches: the first row alone, then the others.
            let whole = table(rows);
            let batches = vec![whole.slice(0, 1), whole.slice(1, rows.len() - 1)];
            layout.place(&whole.schema(), batches, "t")
        };
        let placed = place(&[(1, 2), (1, 1), (2, 1), (0, 1)]).unwrap();
        let column = |name: &str| placed.column_by_name(name).unwrap().as_primitive::<Int32Type>().values().to_vec();
        assert_eq!(column("decision"), [0, 1, 1, 2]);
        assert_eq!(column("party_seq"), [1, 1, 2, 1]);
        assert_eq!(column("row"), [3, 1, 0, 2]);
        // A row twice, a party_seq past its decision's rows, a decision unknown, a row missing.
        for rows in [
            &[(1, 2), (1, 2), (2, 1), (0, 1)][..],
            &[(1, 3), (1, 1), (2, 1), (0, 1)],
            &[(1, 2), (1, 1), (3, 1), (0, 1)],
        ] {
            let error = place(rows).unwrap_err().to_string();
            assert!(error.starts_with("t: row "), "{error}");
        }
        assert!(place(&[(1, 2), (1, 1), (2, 1)]).is_err());
    }

    #[test]
    fn chunks_cover_every_row_once() {
        let n = CHUNK_ROWS * 2 + 5;
        let decisions: Vec<u32> = (0..n as u32).map(|i| i % 3).collect();
        let layout = Arc::new(Layout::new(&decisions, &[1, 1, 1]));
        let values: ArrayRef = Arc::new(Int32Array::from((0..n as i32).collect::<Vec<_>>()));
        let table = Expansion::new(layout).contact(Field::new("v", arrow::datatypes::DataType::Int32, true), values);
        let sizes: Vec<usize> = table.batches().map(|b| b.unwrap().num_rows()).collect();
        assert_eq!(sizes, [CHUNK_ROWS, CHUNK_ROWS, 5]);
        let all = table.collect().unwrap();
        let v = all.column(0).as_primitive::<Int32Type>();
        assert!(v.values().iter().enumerate().all(|(i, &x)| x == i as i32));
    }
}
