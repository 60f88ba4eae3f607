//! The Ballista session a `--cluster` run submits its stages through, and what partylink's
//! scheduler and executor binaries add to Ballista's: partylink's SQL functions. Ballista
//! copies a session's functions to its scheduler and executors only in standalone mode (where
//! they share this process); a separate scheduler and its executors know the functions they
//! were started with, so `partylink-scheduler` and `partylink-executor` start with these.

use std::sync::Arc;

use anyhow::{Context, Result};
use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::registry::BallistaFunctionRegistry;
use datafusion::execution::{FunctionRegistry, SessionState};
use datafusion::prelude::{SessionConfig, SessionContext};

use super::Cluster;
use crate::shared::parallel;

/// A session state with partylink's SQL functions (`sorted_ids`, `visit_number`) added.
pub fn with_functions(mut state: SessionState) -> datafusion::common::Result<SessionState> {
    state.register_udf(Arc::new(crate::enrich::session::sorted_ids()))?;
    state.register_udwf(Arc::new(crate::enrich::visits::visit_number()))?;
    Ok(state)
}

/// The session Ballista's scheduler plans each job in: Ballista's default, with partylink's
/// functions. What `partylink-scheduler` gives as its session builder.
pub fn scheduler_session(config: SessionConfig) -> datafusion::common::Result<SessionState> {
    with_functions(ballista_core::utils::default_session_builder(config)?)
}

/// The functions an executor runs plans with: Ballista's, and partylink's. What
/// `partylink-executor` gives as its function registry.
pub fn executor_functions() -> Result<BallistaFunctionRegistry> {
    let state = scheduler_session(ballista_core::utils::default_config_producer())?;
    Ok(BallistaFunctionRegistry::from(&state))
}

/// Whether Ballista's adaptive planner re-plans each stage from the sizes of the stages before it.
/// Off: partylink's stage plans are deep (sql/11 and sql/12 join a dozen tables), and
/// re-planning them after every shuffle stage cost more than the stages at 10^5 contacts.
const PARTYLINK_ADAPTIVE: bool = false;

/// The driver's session on `cluster`, configured as a local run's session is (partitions, join
/// thresholds), with strings read from Parquet as the stages' own types rather than views. A
/// standalone cluster runs one executor of `--threads` task slots in this process.
pub async fn connect(cluster: &Cluster) -> Result<SessionContext> {
    let mut config = crate::enrich::create_context()
        .state()
        .config()
        .clone()
        .upgrade_for_ballista()
        .with_ballista_standalone_parallelism(parallel::threads())
        .with_ballista_job_name("partylink run")
        .with_ballista_adaptive_query_planner(PARTYLINK_ADAPTIVE);
    config.options_mut().execution.parquet.schema_force_view_types = false;
    // With statistics, DataFusion answers a bare `count(*)` of a Parquet table from the files'
    // footers; under Ballista 55 such a branch of a `union all` comes back with no row
    // (sql/53's `interactions` measure went missing). Without them every count reads its rows.
    config.options_mut().execution.collect_statistics = false;
    // A task writes its rows into one file, in their order: by default a task's writer deals
    // its batches over four files at least, whose names do not keep their order, and a stage
    // whose table keeps its `order by` (`interactions`, in one task) came back out of order.
    config.options_mut().set("datafusion.execution.minimum_parallel_output_files", "1")?;
    let state = scheduler_session(config)?;
    let ctx = match cluster {
        Cluster::Standalone => SessionContext::standalone_with_state(state)
            .await
            .context("starting a standalone Ballista scheduler and executor")?,
        Cluster::Remote { host, port } => {
            let ctx = SessionContext::remote_with_state(&format!("df://{host}:{port}"), state).await?;
            // The client connects when it submits a job: one small job finds a scheduler that
            // is not there before any table is written for it.
            let probe = async { ctx.sql("select 1 as one").await?.collect().await };
            probe.await.with_context(|| format!("connecting to the Ballista scheduler at df://{host}:{port}"))?;
            ctx
        }
    };
    // Ballista's client session replaces its functions with Ballista's own when it connects
    // (`upgrade_for_ballista`): the driver plans each stage too, so it needs them again.
    ctx.register_udf(crate::enrich::session::sorted_ids());
    ctx.register_udwf(crate::enrich::visits::visit_number());
    Ok(ctx)
}
