//! partylink-scheduler: an Apache DataFusion Ballista scheduler that knows partylink's SQL
//! functions (`sorted_ids`, `visit_number`), so that `partylink run --cluster df://HOST:PORT`
//! can plan the interaction stage. Ballista's own scheduler cannot: functions reach a separate
//! scheduler only when it starts. Built with `--features distributed`.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use clap::Parser;

/// A Ballista scheduler for `partylink run --cluster df://HOST:PORT`. Executors
/// (partylink-executor) register with it; the driver (partylink run) submits the SQL stages to
/// it. Runs until stopped.
#[derive(Debug, Parser)]
#[command(name = "partylink-scheduler", version)]
struct Args {
    /// Address to listen on
    #[arg(long, default_value = "0.0.0.0")]
    bind_host: String,
    /// Port to listen on (the PORT of df://HOST:PORT)
    #[arg(long, default_value_t = partylink::distributed::DEFAULT_SCHEDULER_PORT)]
    bind_port: u16,
    /// Host name executors and the driver reach this scheduler by
    #[arg(long, default_value = "localhost")]
    external_host: String,
}

fn main() -> Result<()> {
    let args = Args::parse();
    // Ballista's own binaries run on large stacks: deep plans recurse when they are decoded.
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(32 << 20).build()?;
    runtime.block_on(async {
        let address: SocketAddr = format!("{}:{}", args.bind_host, args.bind_port)
            .parse()
            .with_context(|| format!("--bind-host {} --bind-port {}", args.bind_host, args.bind_port))?;
        let config = SchedulerConfig::default()
            .with_hostname(args.external_host.clone())
            .with_port(args.bind_port)
            .with_override_session_builder(Arc::new(partylink::distributed::session::scheduler_session));
        let cluster = BallistaCluster::new_from_config(&config).await?;
        eprintln!("partylink-scheduler: listening on {address} (df://{}:{})", args.external_host, args.bind_port);
        start_server(cluster, address, Arc::new(config)).await?;
        Ok(())
    })
}
