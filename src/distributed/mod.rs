//! `partylink run --cluster`: the SQL stages on an Apache DataFusion Ballista cluster, for event
//! data past what one machine holds. Built with the cargo feature `distributed` (off by default:
//! it pulls tonic, arrow-flight and DataFusion's default features); without it, `--cluster` is
//! an error that says how to build it.
//!
//! The driver (the `partylink run` process) loads the sources, reads and checks the contacts,
//! and writes them and every table the contact stages read as Parquet into a directory every
//! executor reads at the same path. The cluster finds the distinct contacts (a `group by` of
//! country, year, partner, kind and the cabinet in office on the date); the driver decides
//! those on every core and shares `contact_decisions`; the cluster joins each row to its
//! decision (`contact_rows`), runs each stage from `int_party_year_ids` on, writing its table
//! there as Parquet for the next, and joins `enriched_contacts`, written partitioned. The
//! driver reads the output tables back, in a local run's order, and writes `--out` as a local
//! run does. [`session`] builds the Ballista session (and what the `partylink-scheduler` and
//! `partylink-executor` binaries add to Ballista's: partylink's SQL functions); `contacts`
//! resolves the contacts with the cluster; [`stages`] runs the stages there.

use std::path::PathBuf;

#[cfg(feature = "distributed")]
mod contacts;
#[cfg(feature = "distributed")]
mod enriched;
#[cfg(feature = "distributed")]
pub mod session;
#[cfg(feature = "distributed")]
pub mod stages;

#[cfg(feature = "distributed")]
pub use stages::enrich_and_report;

/// Ballista's scheduler port when a `df://` URL names none.
pub const DEFAULT_SCHEDULER_PORT: u16 = 50050;

/// Where the SQL stages run: a Ballista scheduler at `df://HOST:PORT`, or a scheduler and an
/// executor started in this process (Ballista's standalone mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cluster {
    Standalone,
    Remote { host: String, port: u16 },
}

impl std::str::FromStr for Cluster {
    type Err = String;

    /// `standalone`, or `df://HOST[:PORT]` as Ballista's own clients write a scheduler's address.
    fn from_str(text: &str) -> Result<Cluster, String> {
        let text = text.trim();
        if text == "standalone" {
            return Ok(Cluster::Standalone);
        }
        let Some(address) = text.strip_prefix("df://") else {
            return Err(format!("{text:?} is neither df://HOST:PORT (a Ballista scheduler) nor standalone"));
        };
        let address = address.trim_end_matches('/');
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => {
                let port = port.parse::<u16>().map_err(|_| format!("{text:?}: the port {port:?} is not a number"))?;
                (host, port)
            }
            None => (address, DEFAULT_SCHEDULER_PORT),
        };
        if host.is_empty() || host.contains('/') {
            return Err(format!("{text:?}: no scheduler host (expected df://HOST:PORT)"));
        }
        Ok(Cluster::Remote { host: host.to_string(), port })
    }
}

impl std::fmt::Display for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cluster::Standalone => write!(f, "standalone"),
            Cluster::Remote { host, port } => write!(f, "df://{host}:{port}"),
        }
    }
}

/// A run's cluster, and the directory its executors read and write the run's tables in.
#[derive(Debug, Clone)]
pub struct ClusterRun {
    pub cluster: Cluster,
    /// Must be the same path on the driver and every executor (a shared file system); a
    /// standalone run may leave it to a temporary directory.
    pub dir: Option<PathBuf>,
}

impl ClusterRun {
    /// Checks, before anything is read, that this build can run on a cluster and knows where.
    pub fn check(&self) -> anyhow::Result<()> {
        if !cfg!(feature = "distributed") {
            anyhow::bail!(
                "--cluster {}: this partylink was built without the `distributed` feature; build it with \
                 `cargo build --release --features distributed` (or `cargo install --path . --features distributed`)",
                self.cluster
            );
        }
        if matches!(self.cluster, Cluster::Remote { .. }) && self.dir.is_none() {
            anyhow::bail!(
                "--cluster {}: give --cluster-dir DIR, a directory on a file system the driver and every executor \
                 mount at that same path; the run writes its tables there as Parquet",
                self.cluster
            );
        }
        Ok(())
    }
}

/// What a run on the cluster gives back: the contacts by outcome, how the overrides were used
/// (as [`ContactDecisions::override_use`](crate::resolve::contacts::ContactDecisions::override_use)
/// tells) and every output but `enriched_contacts`, in [`RUN_OUTPUTS`](crate::report::RUN_OUTPUTS) order.
pub struct Clustered {
    pub outcomes: std::collections::BTreeMap<crate::resolve::Outcome, usize>,
    pub overrides: (usize, Vec<String>),
    pub tables: Vec<(crate::report::Output, arrow::array::RecordBatch)>,
}

/// What resolves the contacts: the registry, the countries, ParlGov's cabinets.
#[derive(Clone, Copy)]
pub struct Resolver<'a> {
    pub registry: &'a crate::resolve::Registry,
    pub countries: &'a crate::load::countries::Countries,
    pub cabinets: &'a crate::load::cabinets::Cabinets,
}

/// Without the `distributed` feature, [`ClusterRun::check`] refuses the run before it starts.
#[cfg(not(feature = "distributed"))]
pub async fn enrich_and_report(
    run: &ClusterRun,
    _driver: &datafusion::execution::context::SessionContext,
    _resolver: Resolver<'_>,
    _contacts: crate::load::read::contacts::Contacts,
    _staging: &mut crate::report::Staging,
    _formats: &[crate::report::Format],
) -> anyhow::Result<Clustered> {
    run.check()?;
    unreachable!("check refuses every cluster run without the distributed feature")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_addresses_are_read_as_ballista_writes_them() {
        assert_eq!("standalone".parse::<Cluster>(), Ok(Cluster::Standalone));
        assert_eq!(
            "df://scheduler:50051".parse::<Cluster>(),
            Ok(Cluster::Remote { host: "scheduler".into(), port: 50051 })
        );
        assert_eq!("df://10.0.0.5".parse::<Cluster>(), Ok(Cluster::Remote { host: "10.0.0.5".into(), port: 50050 }));
        assert_eq!("df://h:1".parse::<Cluster>().unwrap().to_string(), "df://h:1");
        assert!("df://:50050".parse::<Cluster>().unwrap_err().contains("no scheduler host"));
        assert!("df://h:port".parse::<Cluster>().unwrap_err().contains("is not a number"));
        assert!("http://h:1".parse::<Cluster>().unwrap_err().contains("neither df://HOST:PORT"));
    }

    #[test]
    fn a_remote_cluster_needs_a_shared_directory() {
        let run = ClusterRun { cluster: Cluster::Remote { host: "h".into(), port: 1 }, dir: None };
        let error = run.check().unwrap_err().to_string();
        if cfg!(feature = "distributed") {
            assert!(error.contains("--cluster-dir"), "{error}");
        } else {
            assert!(error.contains("--features distributed"), "{error}");
        }
    }
}
