//! `partylink run --cluster standalone` (the SQL stages on Apache DataFusion Ballista, in this
//! process), and `--cluster df://HOST:PORT` on a cluster of `partylink-scheduler` and
//! `partylink-executor` started by the test, write the tables a local run writes. Built and run with
//! `cargo test --features distributed --test distributed` (`make test-distributed`).
#![cfg(feature = "distributed")]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{files_under, partylink_ok, read_csv, stderr, tempdir};

/// A table's header and rows, sorted: the cluster writes no row order of its own, and the
/// comparison must not depend on the order the driver restores.
fn sorted(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, mut rows) = read_csv(path);
    rows.sort();
    (header, rows)
}

/// Every file of a local run's folder is in the cluster run's, with the same rows; the CSV
/// files, the figures and the page are the same bytes.
fn assert_same_outputs(local: &Path, cluster: &Path) {
    let files = files_under(local);
    assert_eq!(files, files_under(cluster), "the same files");
    let tables: Vec<&String> = files.iter().filter(|f| f.ends_with(".csv")).collect();
    assert!(tables.len() >= 20, "every table: {tables:?}");
    for table in &tables {
        let (header, rows) = sorted(&local.join(table));
        let (cluster_header, cluster_rows) = sorted(&cluster.join(table));
        assert_eq!(header, cluster_header, "{table}: columns");
        assert_eq!(rows.len(), cluster_rows.len(), "{table}: rows");
        if let Some(at) = rows.iter().zip(&cluster_rows).position(|(a, b)| a != b) {
            panic!("{table}: row {at} differs:\n local   {:?}\n cluster {:?}", rows[at], cluster_rows[at]);
        }
    }
    // The driver restores a local run's row order, so the CSV files, the figures and the page
    // are the same bytes too. The Parquet files hold the same rows but not the same bytes (the
    // tables come back through Parquet with their columns' nullability as the cluster wrote
    // them); the manifest records the run's own time.
    for file in files.iter().filter(|f| *f != "manifest.json" && !f.ends_with(".parquet")) {
        let same = std::fs::read(local.join(file)).unwrap() == std::fs::read(cluster.join(file)).unwrap();
        assert!(same, "{file}: the same bytes as a local run's");
    }
}

/// Runs `contacts` locally and with `cluster` (its `--cluster` and other flags) into folders
/// under `dir`, the cluster's tables under `shared`, and compares what they wrote.
fn run_beside_a_local_run(dir: &Path, contacts: &str, cluster: &[&str], shared: &Path, rows: usize) {
    let (local, on_cluster) = (dir.join("local"), dir.join("cluster"));
    let common = ["run", "--contacts", contacts, "--quiet", "--no-cache", "--out"];
    partylink_ok(&[&common[..], &[local.to_str().unwrap()]].concat());
    let shared_flag = ["--cluster-dir", shared.to_str().unwrap()];
    let run = partylink_ok(&[&common[..], &[on_cluster.to_str().unwrap()], cluster, &shared_flag].concat());
    assert!(stderr(&run).is_empty(), "a quiet run: {}", stderr(&run));
    assert_same_outputs(&local, &on_cluster);
    let (_, enriched) = read_csv(&on_cluster.join("enriched_contacts.csv"));
    assert!(enriched.len() >= rows, "every contact: {}", enriched.len());
    // The run's tables on the cluster are removed when it ends.
    assert_eq!(std::fs::read_dir(shared).unwrap().count(), 0, "the cluster directory is left empty");
}

#[test]
fn a_standalone_cluster_writes_every_table_a_local_run_writes() {
    let dir = tempdir();
    let contacts = dir.path().join("contacts.parquet");
    let contacts = contacts.to_str().unwrap();
    partylink_ok(&["synth", "--rows", "100000", "--seed", "7", "--out", contacts]);
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    run_beside_a_local_run(dir.path(), contacts, &["--threads", "2", "--cluster", "standalone"], &shared, 100_000);
}

#[test]
fn a_cluster_without_a_scheduler_is_a_clear_error() {
    let dir = tempdir();
    let error = failed_cluster_run(dir.path(), &common::repo("examples/contacts_sample.csv"), "df://127.0.0.1:1");
    assert!(error.contains("df://127.0.0.1:1"), "{error}");
}

/// Runs `contacts` on `cluster` (with `dir` as the cluster's directory and `dir/out` as the
/// output folder), which must fail as any failed run does: the output folder may be made, but
/// nothing is written into it. Returns what the run said.
fn failed_cluster_run(dir: &Path, contacts: &Path, cluster: &str) -> String {
    let out = dir.join("out");
    let output = common::partylink(&[
        "run",
        "--contacts",
        contacts.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--cluster",
        cluster,
        "--cluster-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(common::files_under(&out).is_empty(), "no outputs");
    stderr(&output)
}

/// Three different ports nothing listens on now.
fn free_ports() -> (u16, u16, u16) {
    let held: Vec<std::net::TcpListener> =
        (0..3).map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    let port = |at: usize| held[at].local_addr().unwrap().port();
    (port(0), port(1), port(2))
}

/// Waits until something listens on `port`.
fn wait_for(port: u16, what: &str, process: &mut Child) {
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(process.try_wait().unwrap().is_none(), "{what} stopped before it listened on {port}");
        assert!(started.elapsed().as_secs() < 120, "{what} does not listen on {port} after two minutes");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Processes stopped when the test ends, passed or failed.
struct Stopped(Vec<Child>);

impl Drop for Stopped {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn partylinks_own_scheduler_and_executor_make_a_cluster_that_writes_what_a_local_run_writes() {
    let dir = tempdir();
    let contacts = dir.path().join("contacts.parquet");
    let contacts = contacts.to_str().unwrap();
    partylink_ok(&["synth", "--rows", "20000", "--seed", "11", "--out", contacts]);
    let (scheduler_port, flight_port, grpc_port) = free_ports();
    let (shared, work) = (dir.path().join("shared"), dir.path().join("executor"));
    std::fs::create_dir(&shared).unwrap();
    std::fs::create_dir(&work).unwrap();
    let quiet = || (Stdio::null(), Stdio::null());
    let (out, err) = quiet();
    let scheduler = Command::new(env!("CARGO_BIN_EXE_partylink-scheduler"))
        .args(["--bind-host", "127.0.0.1", "--external-host", "127.0.0.1"])
        .args(["--bind-port", &scheduler_port.to_string()])
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap();
    let mut cluster_processes = Stopped(vec![scheduler]);
    wait_for(scheduler_port, "partylink-scheduler", &mut cluster_processes.0[0]);
    let (out, err) = quiet();
    let executor = Command::new(env!("CARGO_BIN_EXE_partylink-executor"))
        .args(["--scheduler-host", "127.0.0.1", "--scheduler-port", &scheduler_port.to_string()])
        .args(["--bind-host", "127.0.0.1", "--external-host", "127.0.0.1"])
        .args(["--port", &flight_port.to_string(), "--grpc-port", &grpc_port.to_string()])
        .args(["--concurrent-tasks", "2", "--work-dir", work.to_str().unwrap()])
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap();
    cluster_processes.0.push(executor);
    wait_for(flight_port, "partylink-executor", &mut cluster_processes.0[1]);

    let address = format!("df://127.0.0.1:{scheduler_port}");
    run_beside_a_local_run(dir.path(), contacts, &["--cluster", &address], &shared, 20_000);
}

#[test]
fn an_input_column_named_as_the_clusters_slice_is_refused_with_its_file() {
    let dir = tempdir();
    let sample = std::fs::read_to_string(common::repo("examples/contacts_sample.csv")).unwrap();
    let mut lines = sample.lines();
    let mut text = format!("{},partylink_slice\n", lines.next().unwrap());
    for (at, line) in lines.enumerate() {
        text.push_str(&format!("{line},{at}\n"));
    }
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(&contacts, text).unwrap();
    let error = failed_cluster_run(dir.path(), &contacts, "standalone");
    assert!(
        error.contains("contacts.csv") && error.contains("\"partylink_slice\"") && error.contains("rename it"),
        "{error}"
    );
}
