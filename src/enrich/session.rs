//! The DataFusion session every step's SQL runs in: the one place a session is built, with
//! partylink's SQL functions, and the ways tables get into it (made in Rust, or the Parquet or
//! CSV files a run wrote).

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use arrow::datatypes::{DataType, SchemaRef};
use datafusion::execution::context::SessionContext;
use datafusion::prelude::SessionConfig;

use crate::shared::batch::unpacked_type;
use crate::shared::parallel;

/// Partitions a query is split into for each thread. With one, the partitions of a stage whose
/// joins share a built side often ran one after the other on one thread while the other idled:
/// `EXPLAIN ANALYZE VERBOSE` of `enriched_decisions` at 10^6 contacts showed each of its two
/// partitions computing for 0.4 s, one ending 0.57 s and the other 0.98 s after the start. The
/// partition that builds the shared side wakes the others on its own worker, and tokio keeps a
/// task woken there in a slot other workers do not steal from; with two partitions a thread the
/// worker has more tasks waiting than that slot holds, and the idle one takes them.
const PARTITIONS_PER_THREAD: usize = 2;

/// The one place a session is built. It works on [`PARTITIONS_PER_THREAD`] partitions for each
/// thread (`--threads`); every output is in the order of its stage's `order by`, so results do
/// not depend on the partitioning (the intermediate tables that nothing reads in order, in
/// [`UNORDERED_STAGES`](crate::enrich::UNORDERED_STAGES), are made without theirs). A join's
/// side of up to a million rows (or 64 MiB) is built once and shared, not split by hash: the
/// contact stages join tens of millions of contact rows to a table of their distinct decisions.
pub fn create_context() -> SessionContext {
    let mut config = SessionConfig::new()
        .with_target_partitions(parallel::threads() * PARTITIONS_PER_THREAD)
        .with_information_schema(true)
        .with_batch_size(1 << 16);
    let optimizer = &mut config.options_mut().optimizer;
    optimizer.hash_join_single_partition_threshold = 64 << 20;
    optimizer.hash_join_single_partition_threshold_rows = 1 << 20;
    let ctx = SessionContext::new_with_config(config);
    ctx.register_udf(sorted_ids());
    ctx.register_udwf(super::visits::visit_number());
    ctx
}

/// The SQL function `sorted_ids(ids)`: contact ids joined by the unit separator (U+001F, which
/// the contacts reader refuses in an id), sorted and joined by `;`. It does in one pass what
/// `array_to_string(array_sort(string_to_array(ids, chr(31))), ';')` does in three. A Ballista
/// scheduler and its executors need it too (src/distributed/session.rs).
pub fn sorted_ids() -> datafusion::logical_expr::ScalarUDF {
    use datafusion::arrow::array::{Array, LargeStringArray, StringBuilder};
    use datafusion::logical_expr::{ColumnarValue, Volatility, create_udf};
    let sort = |args: &[ColumnarValue]| -> datafusion::error::Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(args)?;
        let joined = arrays[0].as_any().downcast_ref::<LargeStringArray>().ok_or_else(|| {
            datafusion::error::DataFusionError::Internal("sorted_ids takes a LargeUtf8 column".into())
        })?;
        let mut out = StringBuilder::with_capacity(joined.len(), joined.value_data().len());
        let mut ids: Vec<&str> = Vec::new();
        let mut text = String::new();
        for value in joined {
            let Some(value) = value else {
                out.append_null();
                continue;
            };
            ids.clear();
            ids.extend(value.split('\u{1f}'));
            ids.sort_unstable();
            text.clear();
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    text.push(';');
                }
                text.push_str(id);
            }
            out.append_value(&text);
        }
        Ok(ColumnarValue::Array(std::sync::Arc::new(out.finish())))
    };
    create_udf(
        "sorted_ids",
        vec![arrow::datatypes::DataType::LargeUtf8],
        arrow::datatypes::DataType::Utf8,
        Volatility::Immutable,
        std::sync::Arc::new(sort),
    )
}

/// Registers a table made in Rust (a source or the resolved contacts).
pub fn register(ctx: &SessionContext, name: &str, batch: RecordBatch) -> Result<()> {
    ctx.register_batch(name, batch).with_context(|| format!("registering table {name}"))?;
    Ok(())
}

/// Registers a table made in slices (at least one, of one schema), whose repeated texts may be
/// packed as dictionaries ([`crate::shared::batch::pack`]), as `name` for SQL with plain texts,
/// as the stages and the outputs read them: the slices are registered as `{name}_packed`, and
/// `name` is a view that casts the packed columns back, a batch at a time, as a query reads
/// the columns it needs. [`deregister_packed`] frees them.
pub fn register_packed(ctx: &SessionContext, name: &str, slices: Vec<RecordBatch>) -> Result<()> {
    let schema = slices.first().with_context(|| format!("registering table {name}: no batch"))?.schema();
    register_packed_partitions(ctx, name, schema, vec![slices])
}

/// [`register_packed`] of a table in `partitions`.
fn register_packed_partitions(
    ctx: &SessionContext,
    name: &str,
    schema: arrow::datatypes::SchemaRef,
    partitions: Vec<Vec<RecordBatch>>,
) -> Result<()> {
    use datafusion::common::Column;
    use datafusion::logical_expr::{Expr, LogicalPlanBuilder, cast};
    let packed = format!("{name}_packed");
    let table = register_partitions(ctx, &packed, schema.clone(), partitions)?;
    let columns = schema.fields().iter().map(|field| {
        let column = Expr::Column(Column::new_unqualified(field.name()));
        match unpacked_type(field.data_type()) {
            plain if &plain == field.data_type() => column,
            plain => cast(column, plain).alias(field.name()),
        }
    });
    let plan = LogicalPlanBuilder::scan(&packed, datafusion::datasource::provider_as_source(table), None)
        .and_then(|scan| scan.project(columns)?.build())
        .with_context(|| format!("registering the view {name}"))?;
    let view = datafusion::datasource::ViewTable::new(plan, None);
    ctx.register_table(name, std::sync::Arc::new(view)).with_context(|| format!("registering the view {name}"))?;
    Ok(())
}

/// Deregisters a table [`register_packed`] registered, and its slices (any that is not
/// registered is left alone).
pub fn deregister_packed(ctx: &SessionContext, name: &str) -> Result<()> {
    ctx.deregister_table(name)?;
    ctx.deregister_table(format!("{name}_packed").as_str())?;
    Ok(())
}

/// Registers a large table in slices of [`crate::enrich::expand::CHUNK_ROWS`] rows spread over
/// one partition per thread (the slices share the table's memory), so that the stages reading
/// it work on every thread a slice at a time. A table with columns packed as dictionaries is
/// registered as [`register_packed`] registers one.
pub fn register_sliced(ctx: &SessionContext, name: &str, batch: RecordBatch) -> Result<()> {
    let slices = crate::shared::batch::slices(&batch, crate::enrich::expand::CHUNK_ROWS);
    let partitions: Vec<Vec<RecordBatch>> =
        parallel::split(&slices, parallel::threads()).into_iter().map(<[RecordBatch]>::to_vec).collect();
    let packed = |field: &arrow::datatypes::FieldRef| &unpacked_type(field.data_type()) != field.data_type();
    match batch.schema().fields().iter().any(packed) {
        true => register_packed_partitions(ctx, name, batch.schema(), partitions),
        false => register_partitions(ctx, name, batch.schema(), partitions).map(drop),
    }
}

/// Registers a table made in slices (at least one), in one partition, in their order.
pub fn register_slices(ctx: &SessionContext, name: &str, slices: Vec<RecordBatch>) -> Result<()> {
    let schema = slices.first().with_context(|| format!("registering table {name}: no batch"))?.schema();
    register_partitions(ctx, name, schema, vec![slices]).map(drop)
}

/// Registers `partitions` as the table `name`, and returns it.
fn register_partitions(
    ctx: &SessionContext,
    name: &str,
    schema: arrow::datatypes::SchemaRef,
    partitions: Vec<Vec<RecordBatch>>,
) -> Result<std::sync::Arc<datafusion::datasource::MemTable>> {
    let table = std::sync::Arc::new(
        datafusion::datasource::MemTable::try_new(schema, partitions)
            .with_context(|| format!("registering table {name}"))?,
    );
    ctx.register_table(name, table.clone()).with_context(|| format!("registering table {name}"))?;
    Ok(table)
}

/// Runs one query and gathers its result into one batch.
pub async fn query(ctx: &SessionContext, sql: &str) -> Result<RecordBatch> {
    let (schema, batches) = query_batches(ctx, sql).await?;
    crate::shared::batch::join(&schema, batches)
}

/// Runs one query: its result's schema and batches, as the plan made them.
pub async fn query_batches(ctx: &SessionContext, sql: &str) -> Result<(SchemaRef, Vec<RecordBatch>)> {
    let frame = plain_text(ctx.sql(sql).await?)?;
    let schema = frame.schema().inner().clone();
    Ok((schema, frame.collect().await?))
}

/// `frame` with its string views (what DataFusion makes of a cast to varchar, a literal in a
/// `values` list) cast to plain text, as every output and table registered from one keeps it.
fn plain_text(frame: datafusion::dataframe::DataFrame) -> Result<datafusion::dataframe::DataFrame> {
    use datafusion::common::Column;
    use datafusion::logical_expr::{Expr, cast};
    let schema = frame.schema().clone();
    if !schema.fields().iter().any(|f| f.data_type() == &DataType::Utf8View) {
        return Ok(frame);
    }
    let columns = schema.iter().map(|(qualifier, field)| {
        let column = Expr::Column(Column::new(qualifier.cloned(), field.name()));
        match field.data_type() {
            DataType::Utf8View => cast(column, DataType::Utf8).alias(field.name()),
            _ => column,
        }
    });
    Ok(frame.select(columns)?)
}

/// Registers the tables a run wrote under `dir`, given as the manifest lists them (paths
/// relative to `dir`), each named after its file: from its Parquet file, or its CSV file when
/// the run wrote no Parquet. What `partylink sql` and `partylink export` read. Returns the
/// names, sorted.
pub async fn register_outputs(
    ctx: &SessionContext,
    dir: &std::path::Path,
    outputs: &[std::path::PathBuf],
) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let has = |path: &std::path::Path, extension: &str| outputs.iter().any(|o| *o == path.with_extension(extension));
    for relative in outputs {
        let Some(name) = relative.file_stem().and_then(|s| s.to_str()) else { continue };
        let path = dir.join(relative);
        let location = path.to_string_lossy().into_owned();
        let registered = match relative.extension().and_then(|e| e.to_str()) {
            Some("parquet") => {
                ctx.register_parquet(name, &location, datafusion::prelude::ParquetReadOptions::default()).await
            }
            Some("csv") if !has(relative, "parquet") => {
                ctx.register_csv(name, &location, datafusion::prelude::CsvReadOptions::new()).await
            }
            _ => continue,
        };
        registered.with_context(|| format!("registering {}", path.display()))?;
        names.push(name.to_string());
    }
    if names.is_empty() {
        anyhow::bail!("{}: no output tables here; run `partylink run --out {}` first", dir.display(), dir.display());
    }
    names.sort();
    Ok(names)
}

/// Where a run's tables are registered: in the run's own session, under their table names, or
/// read back from a run's folder by [`register_outputs`], under their file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    Run,
    Folder,
}

impl Registered {
    /// The name a table goes by: `table` in a run, the last part of `path` in a folder.
    pub fn name(self, table: &'static str, path: &'static str) -> &'static str {
        match self {
            Registered::Run => table,
            Registered::Folder => path.rsplit('/').next().unwrap_or(path),
        }
    }
}

/// The rows of a registered table.
pub async fn table(ctx: &SessionContext, name: &str) -> Result<RecordBatch> {
    query(ctx, &format!("select * from {name}")).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::AsArray;

    #[tokio::test]
    async fn sorted_ids_sorts_the_ids_of_a_row() {
        let ctx = create_context();
        let sql = "select sorted_ids(arrow_cast(x, 'LargeUtf8')) as ids from (values ('c2' || chr(31) || 'c10' || chr(31) || 'b'), ('a;1'), (null)) as t(x)";
        let batch = query(&ctx, sql).await.unwrap();
        let ids: Vec<Option<&str>> = batch.column(0).as_string::<i32>().iter().collect();
        assert_eq!(ids, [Some("b;c10;c2"), Some("a;1"), None]);
    }

    #[tokio::test]
    async fn a_packed_table_reads_as_plain_text_through_its_view() {
        use crate::shared::batch::{BatchBuilder, gather_packed};
        // "status" repeats (packed), "name" does not (left as it is); nulls stay nulls.
        let rows = 5000;
        let names: Vec<String> = (0..rows).map(|i| format!("party {i}")).collect();
        let plain = BatchBuilder::new()
            .int32("id", (0..rows).map(Some))
            .utf8("status", (0..rows).map(|i| (i % 7 != 0).then_some(["government", "opposition"][i as usize % 2])))
            .utf8("name", names.iter().map(|n| Some(n.as_str())))
            .build()
            .unwrap();
        let at: Vec<(usize, usize)> = (0..rows as usize).map(|r| (0, r)).collect();
        let packed = gather_packed(&plain.schema(), vec![plain.clone()], &at).unwrap();
        assert!(matches!(packed.schema().field(1).data_type(), arrow::datatypes::DataType::Dictionary(..)));
        assert_eq!(packed.schema().field(2).data_type(), &arrow::datatypes::DataType::Utf8);
        assert!(packed.get_array_memory_size() < plain.get_array_memory_size());
        let ctx = create_context();
        register_packed(&ctx, "t", vec![packed.clone()]).unwrap();
        let read = query(&ctx, "select * from t order by id").await.unwrap();
        assert_eq!(read.schema(), plain.schema());
        assert_eq!(read, plain);
        // Sliced over the threads (as contact_rows is), likewise.
        register_sliced(&ctx, "sliced", packed).unwrap();
        assert_eq!(query(&ctx, "select * from sliced order by id").await.unwrap(), plain);
        deregister_packed(&ctx, "sliced").unwrap();
        assert!(query(&ctx, "select * from sliced_packed").await.is_err());
        let counted = query(&ctx, "select count(*) as n from t where status = 'opposition'").await.unwrap();
        let n = counted.column(0).as_primitive::<arrow::datatypes::Int64Type>().value(0);
        assert_eq!(n, (0..rows).filter(|i| i % 7 != 0 && i % 2 == 1).count() as i64);
        // A query gives the string views DataFusion makes (a cast to varchar) back as plain text.
        let view = ctx.sql("select cast(id as varchar) from t").await.unwrap();
        assert_eq!(view.schema().field(0).data_type(), &DataType::Utf8View);
        let sql = "select status, status || '!' as marked, cast(id as varchar) as text, 'x' as literal from t";
        let read = query(&ctx, sql).await.unwrap();
        let types: Vec<DataType> = read.schema().fields().iter().map(|f| f.data_type().clone()).collect();
        assert_eq!(types, vec![DataType::Utf8; 4]);
        assert_eq!(read.column(0), plain.column(1));
    }
}
