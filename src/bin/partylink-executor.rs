//! partylink-executor: an Apache DataFusion Ballista executor that knows partylink's SQL
//! functions (`sorted_ids`, `visit_number`), so that it can run the interaction stage of
//! `partylink run --cluster`. Built with `--features distributed`.

use std::sync::Arc;

use anyhow::Result;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use clap::Parser;

/// A Ballista executor for `partylink run --cluster df://HOST:PORT`: registers with a
/// partylink-scheduler and runs the tasks it is given. It must read and write the run's
/// --cluster-dir at the path the driver gives. Runs until stopped.
#[derive(Debug, Parser)]
#[command(name = "partylink-executor", version)]
struct Args {
    /// The scheduler's host
    #[arg(long, default_value = "localhost")]
    scheduler_host: String,
    /// The scheduler's port
    #[arg(long, default_value_t = partylink::distributed::DEFAULT_SCHEDULER_PORT)]
    scheduler_port: u16,
    /// Address to listen on
    #[arg(long, default_value = "0.0.0.0")]
    bind_host: String,
    /// Host name other executors and the driver fetch shuffle data from this executor by
    #[arg(long, default_value = "localhost")]
    external_host: String,
    /// Arrow Flight port, where shuffle data is served
    #[arg(long, default_value_t = 50051)]
    port: u16,
    /// gRPC port
    #[arg(long, default_value_t = 50052)]
    grpc_port: u16,
    /// Tasks run at once [default: the machine's cores]
    #[arg(long, value_name = "N")]
    concurrent_tasks: Option<usize>,
    /// Directory for shuffle files [default: a temporary directory]
    #[arg(long, value_name = "DIR")]
    work_dir: Option<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(32 << 20).build()?;
    runtime.block_on(async {
        let defaults = ExecutorProcessConfig::default();
        let config = ExecutorProcessConfig {
            bind_host: args.bind_host,
            external_host: Some(args.external_host),
            port: args.port,
            grpc_port: args.grpc_port,
            scheduler_host: args.scheduler_host.clone(),
            scheduler_port: args.scheduler_port,
            vcores: args.concurrent_tasks.unwrap_or(defaults.vcores),
            work_dir: args.work_dir,
            override_function_registry: Some(Arc::new(partylink::distributed::session::executor_functions()?)),
            ..defaults
        };
        eprintln!(
            "partylink-executor: {} task slots, scheduler {}:{}",
            config.vcores, args.scheduler_host, args.scheduler_port
        );
        start_executor_process(Arc::new(config)).await?;
        Ok(())
    })
}
