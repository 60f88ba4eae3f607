//! `enriched_contacts` on the cluster: each contact row joined to its decision's enriched rows,
//! written by the executors partitioned by slices of input rows (`partylink_slice=K/`, K = `source_row`
//! / [`slice_rows`]), and read back by the driver a slice at a time, each slice put in input
//! order and handed to the writers of `--out` ([`Feed`]): the driver holds a slice of the
//! table, not the table (which took 10.5 GiB at 10^7 contacts).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use arrow::datatypes::{DataType, Field, Schema};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::execution::context::SessionContext;
use datafusion::prelude::ParquetReadOptions;

use super::stages::WorkDir;
use crate::enrich;
use crate::enrich::expand::CHUNK_ROWS;
use crate::report::feed::Feed;
use crate::report::{self, Format, Staging, Table};
use crate::shared::batch::slices as slices_of;
use crate::shared::timing;

/// Input rows per slice of `enriched_contacts` for `contacts` rows (rows of a CSV file are its
/// lines): a sixteenth of them, within 2^16 and 2^20, so that the driver holds a sixteenth of
/// the table or 2^20 rows, and the files stay few (each task writes a file per slice its rows
/// fall into).
pub fn slice_rows(contacts: usize) -> i64 {
    (contacts as i64 / 16).clamp(1 << 16, 1 << 20)
}

const TABLE: &str = "enriched_contacts";

/// The column, and the directories' name, of a row's slice (an input column of this name is
/// refused when the contacts are shared).
pub(super) const SLICE: &str = "partylink_slice";

/// Joins `enriched_contacts` on the cluster and writes it there by slices; returns its columns
/// (without the slice), for a table without rows.
pub(super) async fn join_and_write(
    ctx: &SessionContext,
    work: &WorkDir,
    contact_rows: &Schema,
    contacts: usize,
) -> Result<Schema> {
    let _timer = timing::start(|| "cluster: enriched_contacts (partitioned)".into());
    let frame = ctx.sql(&sql(contact_rows, slice_rows(contacts))).await?;
    let fields = frame.schema().fields().iter().filter(|f| f.name() != SLICE);
    // As the driver reads text back (`schema_force_view_types` off).
    let schema = Schema::new(
        fields
            .map(|f| match f.data_type() {
                DataType::Utf8View => Field::new(f.name(), DataType::Utf8, true),
                _ => f.as_ref().clone(),
            })
            .collect::<Vec<_>>(),
    );
    let dir = work.table(TABLE);
    let options = DataFrameWriteOptions::new().with_partition_by(vec![SLICE.to_string()]);
    frame.write_parquet(&format!("{}/", dir.display()), options, None).await?;
    Ok(schema)
}

/// `enriched_contacts` as SQL: the columns a local run writes, each the contact's own where
/// `contact_rows` has it, else its decision's, then the input's extra columns, then its slice.
fn sql(contact_rows: &Schema, slice_rows: i64) -> String {
    let names: Vec<&str> = enrich::contacts::ENRICHED_COLUMNS.split_whitespace().collect();
    let own = |name: &str| contact_rows.column_with_name(name).is_some();
    let mut columns: Vec<String> = names
        .iter()
        .map(|name| match own(name) {
            true => format!("contact_rows.\"{name}\""),
            false => format!("enriched_decisions.\"{name}\""),
        })
        .collect();
    let extra =
        contact_rows.fields().iter().map(|f| f.name()).filter(|n| !names.contains(&n.as_str()) && *n != "decision");
    columns.extend(extra.map(|name| format!("contact_rows.\"{}\"", name.replace('"', "\"\""))));
    columns.push(format!("cast(contact_rows.source_row / {slice_rows} as bigint) as {SLICE}"));
    format!(
        "select {} from contact_rows join enriched_decisions on enriched_decisions.decision = contact_rows.decision",
        columns.join(", ")
    )
}

/// Reads `enriched_contacts` back a slice at a time, in `reader` (a session on this machine),
/// and writes it into `staging` in input order (by `source_row`, then `party_seq`), as a local
/// run writes it.
pub(super) async fn read_back(
    reader: &SessionContext,
    work: &WorkDir,
    schema: Schema,
    staging: &mut Staging,
    formats: &[Format],
) -> Result<()> {
    let _timer = timing::start(|| "enriched_contacts read back and written, a slice at a time".into());
    let slices = slices(&work.table(TABLE))?;
    let mut feed: Option<Feed> = None;
    for dir in &slices {
        let batch = match read_slice(reader, dir).await {
            Ok(batch) => batch,
            Err(error) => {
                if let Some(mut feed) = feed {
                    feed.fail(&error).await;
                    let _ = feed.finish();
                }
                return Err(error);
            }
        };
        let feed = match &mut feed {
            Some(feed) => feed,
            None => feed.insert(Feed::start(staging.dir(), TABLE, batch.schema(), formats)?),
        };
        for slice in slices_of(&batch, CHUNK_ROWS) {
            feed.send(&slice).await;
        }
    }
    let written = match feed {
        Some(feed) => feed.finish()?,
        None => {
            let empty = RecordBatch::new_empty(std::sync::Arc::new(schema));
            report::stage_table(staging.dir(), TABLE, &Table::Batch(empty), formats)?
        }
    };
    staging.add(written);
    Ok(())
}

/// The slices' directories (`partylink_slice=K`), in the order of K.
fn slices(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut slices: Vec<(i64, PathBuf)> = Vec::new();
    if !dir.exists() {
        return Ok(Vec::new());
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let number = name.strip_prefix(SLICE).and_then(|n| n.strip_prefix('=')).and_then(|k| k.parse::<i64>().ok());
        if let Some(k) = number {
            slices.push((k, path));
        }
    }
    slices.sort();
    Ok(slices.into_iter().map(|(_, path)| path).collect())
}

/// One slice in input order.
async fn read_slice(reader: &SessionContext, dir: &Path) -> Result<RecordBatch> {
    const READ: &str = "enriched_contacts_slice";
    if reader.table_exist(READ)? {
        reader.deregister_table(READ)?;
    }
    let options = ParquetReadOptions::default();
    reader
        .register_parquet(READ, format!("{}/", dir.display()), options)
        .await
        .with_context(|| format!("registering {}", dir.display()))?;
    enrich::query(reader, &format!("select * from {READ} order by source_row, party_seq"))
        .await
        .with_context(|| format!("reading {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_are_taken_in_the_order_of_their_number() {
        let dir = tempfile::tempdir().unwrap();
        for k in [10, 2, 1] {
            std::fs::create_dir(dir.path().join(format!("partylink_slice={k}"))).unwrap();
        }
        std::fs::write(dir.path().join("_SUCCESS"), "").unwrap();
        let names: Vec<String> =
            slices(dir.path()).unwrap().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["partylink_slice=1", "partylink_slice=2", "partylink_slice=10"]);
        assert!(slices(&dir.path().join("none")).unwrap().is_empty());
    }

    #[test]
    fn a_slice_is_a_sixteenth_of_the_contacts_within_bounds() {
        assert_eq!(slice_rows(384), 1 << 16);
        assert_eq!(slice_rows(10_000_000), 625_000);
        assert_eq!(slice_rows(1_000_000_000), 1 << 20);
    }
}
