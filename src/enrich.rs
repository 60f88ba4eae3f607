//! The SQL stages: one DataFusion context holding every table, and the `sql/` files run in order.
//!
//! Each stage file makes the table it is named after (`03_int_dpi_parties_linked.sql` makes
//! `int_dpi_parties_linked`) and only refers to tables registered before it. The files are built
//! into the binary, so a run does not depend on the directory it starts in.

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use datafusion::execution::context::SessionContext;
use datafusion::prelude::SessionConfig;

/// A SQL stage: the table it makes and its text.
#[derive(Debug, Clone, Copy)]
pub struct Stage {
    pub file: &'static str,
    pub sql: &'static str,
}

impl Stage {
    /// The table a stage makes: its file name without the order prefix and `.sql`.
    pub fn table(&self) -> &'static str {
        let stem = self.file.strip_suffix(".sql").unwrap_or(self.file);
        stem.split_once('_').map_or(stem, |(_, name)| name)
    }
}

macro_rules! stage {
    ($file:literal) => {
        Stage { file: $file, sql: include_str!(concat!("../sql/", $file)) }
    };
}

/// Stages that need only the sources.
pub const SOURCE_STAGES: &[Stage] =
    &[stage!("01_stg_fh_ratings.sql"), stage!("02_stg_dpi_parties.sql"), stage!("03_int_dpi_import_links.sql")];

/// Stages that need the resolver's links of the DPI parties the import lacks (`dpi_resolver_links`).
pub const LINK_STAGES: &[Stage] = &[stage!("04_int_dpi_parties_linked.sql")];

/// Stages that need the resolver's readings of the linked DPI parties' names
/// (`dpi_label_readings`): the crosswalk audit, and what reads its links.
pub const AUDIT_STAGES: &[Stage] = &[
    stage!("05_int_dpi_link_checks.sql"),
    stage!("06_int_dpi_parties_audited.sql"),
    stage!("08_int_dpi_country_years.sql"),
    stage!("09_stg_parlgov_cabinet_parties.sql"),
];

/// Stages that enrich the distinct decisions (`contact_decisions`); `enriched_contacts` is
/// `contact_rows` joined to the last of them on `decision` (src/expand.rs).
pub const DECISION_STAGES: &[Stage] = &[
    stage!("10_int_party_year_ids.sql"),
    stage!("11_int_party_years_powered.sql"),
    stage!("12_int_party_cabinets_powered.sql"),
    stage!("20_enriched_decisions.sql"),
];

/// Stages that need the enriched contacts.
pub const CONTACT_STAGES: &[Stage] = &[
    stage!("21_int_interaction_groups.sql"),
    stage!("22_interactions.sql"),
    stage!("30_power_by_regime.sql"),
    stage!("31_review_queue.sql"),
    stage!("32_accounting.sql"),
    stage!("33_audit_crosswalk.sql"),
    stage!("40_contacts_by_year.sql"),
    stage!("41_contacts_by_venue_year.sql"),
    stage!("42_contacts_by_country.sql"),
    stage!("43_country_party_shares.sql"),
    stage!("44_top_partners.sql"),
    stage!("45_contacts_per_party.sql"),
    stage!("46_party_contact_shares.sql"),
    stage!("47_power_shares.sql"),
    stage!("48_power_by_period.sql"),
    stage!("49_power_source_agreement.sql"),
];

/// The one place a session is built. Two partitions match the machines partylink is run on;
/// every stage orders its output, so results do not depend on the partitioning. A join's side
/// of up to a million rows (or 64 MiB) is built once and shared, not split by hash: the contact
/// stages join tens of millions of contact rows to a table of their distinct decisions.
pub fn create_context() -> SessionContext {
    let mut config =
        SessionConfig::new().with_target_partitions(2).with_information_schema(true).with_batch_size(1 << 16);
    let optimizer = &mut config.options_mut().optimizer;
    optimizer.hash_join_single_partition_threshold = 64 << 20;
    optimizer.hash_join_single_partition_threshold_rows = 1 << 20;
    let ctx = SessionContext::new_with_config(config);
    ctx.register_udf(sorted_ids());
    ctx
}

/// The SQL function `sorted_ids(ids)`: contact ids joined by the unit separator (U+001F, which
/// the contacts reader refuses in an id), sorted and joined by `;`. It does in one pass what
/// `array_to_string(array_sort(string_to_array(ids, chr(31))), ';')` does in three.
fn sorted_ids() -> datafusion::logical_expr::ScalarUDF {
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

/// Registers a large table in slices of [`crate::expand::CHUNK_ROWS`] rows spread over two
/// partitions (the slices share the table's memory), so that the stages reading it work on
/// both cores a slice at a time.
pub fn register_sliced(ctx: &SessionContext, name: &str, batch: RecordBatch) -> Result<()> {
    let chunk = crate::expand::CHUNK_ROWS;
    let slices: Vec<RecordBatch> =
        (0..batch.num_rows()).step_by(chunk).map(|at| batch.slice(at, chunk.min(batch.num_rows() - at))).collect();
    let half = slices.len().div_ceil(2);
    let partitions: Vec<Vec<RecordBatch>> = if slices.is_empty() {
        vec![vec![batch.clone()]]
    } else {
        vec![slices[..half].to_vec(), slices[half..].to_vec()]
    };
    let table = datafusion::datasource::MemTable::try_new(batch.schema(), partitions)
        .with_context(|| format!("registering table {name}"))?;
    ctx.register_table(name, std::sync::Arc::new(table)).with_context(|| format!("registering table {name}"))?;
    Ok(())
}

/// Runs stages in order, registering each result under its table name.
pub async fn run_stages(ctx: &SessionContext, stages: &[Stage]) -> Result<()> {
    let explain = std::env::var("PARTYLINK_EXPLAIN").unwrap_or_default();
    for stage in stages {
        if explain.split(',').any(|name| name == stage.table()) {
            // PARTYLINK_EXPLAIN=table[,table]: the stage's plan with each operator's time and rows.
            let plan = ctx.sql(&format!("explain analyze {}", stage.sql)).await?.collect().await?;
            eprintln!("{}", arrow::util::pretty::pretty_format_batches(&plan)?);
        }
        let _timer = crate::timing::start(|| format!("sql/{}", stage.file));
        let batch = query(ctx, stage.sql).await.with_context(|| format!("SQL stage sql/{}", stage.file))?;
        register(ctx, stage.table(), batch)?;
    }
    Ok(())
}

/// Runs one query and gathers its result into one batch.
pub async fn query(ctx: &SessionContext, sql: &str) -> Result<RecordBatch> {
    let frame = ctx.sql(sql).await?;
    let schema = frame.schema().inner().clone();
    let batches = frame.collect().await?;
    Ok(arrow::compute::concat_batches(&schema, &batches)?)
}

/// Registers every Parquet table a run wrote under `dir` (and `dir/tables`), named after its
/// file: what `partylink sql` and `partylink export` read. Returns the names, sorted.
pub async fn register_outputs(ctx: &SessionContext, dir: &std::path::Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for folder in [dir.to_path_buf(), dir.join("tables")] {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "parquet")) {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            ctx.register_parquet(
                &name,
                path.to_string_lossy().as_ref(),
                datafusion::prelude::ParquetReadOptions::default(),
            )
            .await
            .with_context(|| format!("registering {}", path.display()))?;
            names.push(name);
        }
    }
    if names.is_empty() {
        anyhow::bail!(
            "{}: no output tables (.parquet) here; run `partylink run --out {}` first",
            dir.display(),
            dir.display()
        );
    }
    names.sort();
    Ok(names)
}

/// The rows of a registered table.
pub async fn table(ctx: &SessionContext, name: &str) -> Result<RecordBatch> {
    query(ctx, &format!("select * from {name}")).await
}

/// Every stage in the order a run runs them.
pub fn all_stages() -> impl Iterator<Item = &'static Stage> {
    SOURCE_STAGES.iter().chain(LINK_STAGES).chain(AUDIT_STAGES).chain(DECISION_STAGES).chain(CONTACT_STAGES)
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

    #[test]
    fn stage_list_matches_the_sql_directory() {
        let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sql"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = all_stages().map(|s| s.file).collect();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn every_stage_says_what_it_makes_reads_and_its_grain() {
        for stage in all_stages() {
            let head: Vec<&str> = stage.sql.lines().take(3).collect();
            assert!(stage.sql.contains("from final"), "{} ends by selecting from final", stage.file);
            assert!(head[0].starts_with(&format!("-- {}: ", stage.table())), "{}", stage.file);
            assert!(head[1].starts_with("-- reads: "), "{}", stage.file);
            assert!(head[2].starts_with("-- grain: "), "{}", stage.file);
        }
    }
}
