//! A `--cluster` run's enrich step: the tables the contact stages read, written as Parquet
//! where every executor reads them (the contacts and their decisions by
//! [`contacts`](super::contacts)); each stage from `int_party_year_ids` on run by the cluster,
//! its table written there as Parquet (one file per task) and registered for the next; then
//! `enriched_contacts`, joined and written partitioned; and the output tables read back by the
//! driver in a local run's order.
//!
//! No stage sorts its whole table on the cluster where a sort would funnel every contact row
//! through one task: the stages at the grain of a contact or decision that end in `order by`
//! are written unordered and sorted by the driver when it reads them back (by their key, which
//! is the order a local run writes). Two orderings remain on the cluster: `interactions`
//! numbers the visits by first date (a window over every interaction, one task), and the small
//! tables keep their `order by` (a few hundred rows).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use arrow::array::RecordBatch;
use arrow::datatypes::Schema;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::execution::context::SessionContext;
use datafusion::prelude::ParquetReadOptions;

use super::contacts::{join_decisions, resolve_on_cluster};
use super::{ClusterRun, Clustered, Resolver, enriched, session};
use crate::enrich::{self, CONTACT_STAGES, DECISION_STAGES, Stage};
use crate::load::read::contacts::Contacts;
use crate::report::{self, Format, Output, RUN_OUTPUTS, Staging};
use crate::shared::timing;

/// Stages written unordered on the cluster (their rows are contacts, decisions or visits); the
/// driver sorts those it writes by their key, which is their `order by`.
const UNORDERED: &[&str] = &["enriched_decisions", "int_interaction_groups", "review_queue"];

/// Resolves `contacts` (dropped once the cluster has them) with the cluster (the distinct
/// contacts found there, decided here, each row joined to its decision there:
/// [`contacts`](super::contacts)), runs the stages from
/// `int_party_year_ids` on on `run`'s cluster, writes `enriched_contacts` into `staging`,
/// registers every other output table in `driver` (for the figures) and returns them, as a
/// local run's resolve and enrich steps do.
pub async fn enrich_and_report(
    run: &ClusterRun,
    driver: &SessionContext,
    resolver: Resolver<'_>,
    contacts: Contacts,
    staging: &mut Staging,
    formats: &[Format],
) -> Result<Clustered> {
    run.check()?;
    let work = WorkDir::new(run.dir.as_deref())?;
    let ctx = {
        let _timer = timing::start(|| format!("connecting to the cluster ({})", run.cluster));
        session::connect(&run.cluster).await?
    };
    {
        let _timer = timing::start(|| "the driver's tables as Parquet".into());
        for name in driver_tables().iter().filter(|name| *name != "contact_decisions") {
            let batch = enrich::table(driver, name).await?;
            share(&ctx, &work, name, std::slice::from_ref(&batch)).await?;
        }
    }
    let (registry, rows) = (resolver.registry, contacts.len());
    // The driver keeps no contact once they are shared: their decisions are joined on the cluster.
    let decisions = resolve_on_cluster(&ctx, &work, resolver, contacts).await?;
    {
        let _timer = timing::start(|| "contact_decisions".into());
        let table = decisions.table(registry)?;
        enrich::register(driver, "contact_decisions", table.clone())?;
        share(&ctx, &work, "contact_decisions", &[table]).await?;
    }
    join_decisions(&ctx, &work, rows).await?;
    let schema = ctx.table("contact_rows").await?.schema().as_arrow().clone();
    for stage in DECISION_STAGES.iter().chain(CONTACT_STAGES) {
        run_stage(&ctx, &work, stage).await?;
    }
    let enriched = enriched::join_and_write(&ctx, &work, &schema, rows).await?;
    let (outcomes, overrides) = (decisions.outcomes(), decisions.override_use(registry));
    // Freed beside what follows, as a local run's decisions are.
    let _ = std::thread::Builder::new().name("freeing decisions".into()).spawn(move || drop(decisions));
    let tables = gather(driver, &work, enriched, staging, formats).await?;
    Ok(Clustered { outcomes, overrides, tables })
}

/// The tables the stages on the cluster read but do not make: the sources' stages, the
/// resolver's decisions and the run's settings, registered in the driver's session.
fn driver_tables() -> Vec<String> {
    let stages: Vec<&Stage> = DECISION_STAGES.iter().chain(CONTACT_STAGES).collect();
    let mut names: Vec<String> = Vec::new();
    for (at, stage) in stages.iter().enumerate() {
        for table in stage.reads() {
            let made_before = stages[..at].iter().any(|s| s.table() == table);
            if !made_before && table != "contact_rows" && !names.contains(&table) {
                names.push(table);
            }
        }
    }
    names
}

/// Runs one stage on the cluster, writes its table and checks it against its key there.
async fn run_stage(ctx: &SessionContext, work: &WorkDir, stage: &Stage) -> Result<()> {
    let sql = stage.sql_unless_in(UNORDERED);
    let explain = std::env::var("PARTYLINK_EXPLAIN").unwrap_or_default();
    if explain.split(',').any(|name| name == stage.table()) {
        // The plan Ballista ran, with each operator's rows, time and (for its shuffle writers)
        // bytes written.
        let plan = ctx.sql(&format!("explain analyze {sql}")).await?.collect().await?;
        eprintln!("{}", arrow::util::pretty::pretty_format_batches(&plan)?);
    }
    {
        let _timer = timing::start(|| format!("cluster: sql/{}", stage.file));
        let frame = ctx.sql(sql).await.with_context(|| format!("SQL stage sql/{}", stage.file))?;
        write_and_register(ctx, work, stage.table(), frame)
            .await
            .with_context(|| format!("SQL stage sql/{}", stage.file))?;
    }
    let _timer = timing::start(|| format!("cluster: sql/{}: key", stage.file));
    check_key(ctx, stage).await
}

/// Checks a stage's table on the cluster against its `-- key:` header, as a local run does
/// (nulls count as equal, as `group by` has them), with the same message.
async fn check_key(ctx: &SessionContext, stage: &Stage) -> Result<()> {
    let key = stage.key();
    let grain = stage.field("grain").unwrap_or_default();
    let table = stage.table();
    if key.is_empty() {
        let rows = enrich::query(ctx, &format!("select count(*) as rows from {table}")).await?;
        let rows = arrow::util::display::array_value_to_string(rows.column(0), 0)?;
        if rows.parse::<u64>().unwrap_or(0) > 1 {
            bail!("sql/{}: {rows} rows, but its grain is {grain}", stage.file);
        }
        return Ok(());
    }
    let columns = key.join(", ");
    let repeated =
        enrich::query(ctx, &format!("select {columns} from {table} group by {columns} having count(*) > 1 limit 1"))
            .await?;
    if repeated.num_rows() > 0 {
        let values = repeated
            .columns()
            .iter()
            .map(|c| arrow::util::display::array_value_to_string(c, 0))
            .collect::<Result<Vec<_>, _>>()?;
        bail!(
            "sql/{}: two rows have the key ({columns}) = ({}), but its grain is {grain}",
            stage.file,
            values.join(", ")
        );
    }
    Ok(())
}

/// Writes a query's result as table `name` on the cluster and registers it for what follows.
pub(super) async fn write_and_register(
    ctx: &SessionContext,
    work: &WorkDir,
    name: &str,
    frame: datafusion::dataframe::DataFrame,
) -> Result<()> {
    write(frame, work, name).await?;
    register(ctx, work, name).await
}

/// Writes batches made on the driver as the Parquet files of table `name` (one per batch) and
/// registers them on the cluster.
pub(super) async fn share(ctx: &SessionContext, work: &WorkDir, name: &str, batches: &[RecordBatch]) -> Result<()> {
    let dir = work.table(name);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for (i, batch) in batches.iter().enumerate() {
        let path = dir.join(format!("part-{i}.parquet"));
        let file = std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        report::parquet::write_parquet(std::io::BufWriter::new(file), batch)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    register(ctx, work, name).await
}

/// Writes a query's result as table `name`, one Parquet file per task, by the executors, and
/// registers it for the stages after it.
async fn write(frame: datafusion::dataframe::DataFrame, work: &WorkDir, name: &str) -> Result<()> {
    let dir = work.table(name);
    let schema = std::sync::Arc::new(frame.schema().as_arrow().clone());
    let target = format!("{}/", dir.display());
    frame.write_parquet(&target, DataFrameWriteOptions::new(), None).await?;
    // An empty result may leave no file to read its columns from.
    let has_files = std::fs::read_dir(&dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if !has_files {
        std::fs::create_dir_all(&dir)?;
        let file = std::fs::File::create(dir.join("part-0.parquet"))?;
        report::parquet::write_parquet(file, &RecordBatch::new_empty(schema))?;
    }
    Ok(())
}

async fn register(ctx: &SessionContext, work: &WorkDir, name: &str) -> Result<()> {
    let dir = work.table(name);
    if ctx.table_exist(name)? {
        ctx.deregister_table(name)?;
    }
    let options = ParquetReadOptions::default();
    ctx.register_parquet(name, format!("{}/", dir.display()), options)
        .await
        .with_context(|| format!("registering {}", dir.display()))
}

/// Reads the output tables back on the driver, in a local run's order: `enriched_contacts`
/// into `staging`, the others registered in `driver` and returned.
async fn gather(
    driver: &SessionContext,
    work: &WorkDir,
    enriched: Schema,
    staging: &mut Staging,
    formats: &[Format],
) -> Result<Vec<(Output, RecordBatch)>> {
    // Tables the driver orders (by their key) are read on every thread; those the cluster
    // wrote in order (one file each) on one, which keeps the file's order: read on two, their
    // row groups came back interleaved.
    let reader = |partitions: Option<usize>| {
        let context = enrich::create_context();
        {
            let state = context.state_ref();
            let mut state = state.write();
            let options = state.config_mut().options_mut();
            options.execution.parquet.schema_force_view_types = false;
            if let Some(partitions) = partitions {
                options.execution.target_partitions = partitions;
            }
        }
        context
    };
    let (local, in_file_order) = (reader(None), reader(Some(1)));
    let read = async |name: &str, order: Option<String>| -> Result<RecordBatch> {
        let _timer = timing::start(|| format!("reading {name} from the cluster"));
        let context = if order.is_some() { &local } else { &in_file_order };
        register(context, work, name).await?;
        let order = order.map(|o| format!(" order by {o}")).unwrap_or_default();
        enrich::query(context, &format!("select * from {name}{order}")).await
    };
    enriched::read_back(&local, work, enriched, staging, formats).await?;
    let mut tables = Vec::new();
    for output in RUN_OUTPUTS.iter().filter(|o| o.table != "enriched_contacts") {
        let stage = CONTACT_STAGES.iter().find(|s| s.table() == output.table);
        let batch = match stage {
            Some(stage) => {
                let order = UNORDERED.contains(&stage.table()).then(|| stage.key().join(", "));
                let batch = read(output.table, order).await?;
                enrich::register(driver, output.table, batch.clone())?;
                batch
            }
            None => enrich::table(driver, output.table).await?,
        };
        tables.push((*output, batch));
    }
    Ok(tables)
}

/// The directory a run's tables are written in on the cluster: a fresh one under `--cluster-dir`
/// (or the system's temporary directory), removed when the run ends.
pub(super) struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    pub(super) fn new(under: Option<&Path>) -> Result<WorkDir> {
        let base = under.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = base.join(format!("partylink-run-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).with_context(|| format!("creating the cluster directory {}", path.display()))?;
        let path = path.canonicalize()?;
        Ok(WorkDir { path })
    }

    pub(super) fn table(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::without_final_order;

    #[test]
    fn the_unordered_stages_lose_their_final_order() {
        for table in UNORDERED {
            let stage = enrich::stage_for(table).unwrap();
            assert!(!without_final_order(stage.sql).contains("\norder by"), "{table}");
        }
    }

    #[test]
    fn the_cluster_gets_every_table_the_stages_read_and_do_not_make() {
        let tables = driver_tables();
        for name in ["contact_decisions", "run_settings", "stg_fh_ratings", "int_dpi_parties_audited", "countries"] {
            assert!(tables.contains(&name.to_string()), "{name} in {tables:?}");
        }
        for made in ["enriched_decisions", "interactions", "contact_rows"] {
            assert!(!tables.contains(&made.to_string()), "{made}");
        }
    }
}
