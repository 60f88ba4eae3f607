//! `partylink run --cluster standalone` (the SQL stages on Apache DataFusion Ballista, in this
//! process) writes the tables a local run writes. Built and run with
//! `cargo test --features distributed --test distributed` (`make test-distributed`).
#![cfg(feature = "distributed")]

mod common;

use std::path::Path;

use common::{files_under, partylink_ok, read_csv, stderr, tempdir};

/// A table's header and rows, sorted: the cluster writes no row order of its own, and the
/// comparison must not depend on the order the driver restores.
fn sorted(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, mut rows) = read_csv(path);
    rows.sort();
    (header, rows)
}

#[test]
fn a_standalone_cluster_writes_every_table_a_local_run_writes() {
    let dir = tempdir();
    let contacts = dir.path().join("contacts.parquet");
    let contacts = contacts.to_str().unwrap();
    partylink_ok(&["synth", "--rows", "100000", "--seed", "7", "--out", contacts]);
    let local = dir.path().join("local");
    let cluster = dir.path().join("cluster");
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    partylink_ok(&["run", "--contacts", contacts, "--out", local.to_str().unwrap(), "--quiet", "--no-cache"]);
    let run = partylink_ok(&[
        "run",
        "--contacts",
        contacts,
        "--out",
        cluster.to_str().unwrap(),
        "--quiet",
        "--no-cache",
        "--threads",
        "2",
        "--cluster",
        "standalone",
        "--cluster-dir",
        shared.to_str().unwrap(),
    ]);
    assert!(stderr(&run).is_empty(), "a quiet run: {}", stderr(&run));

    let files = files_under(&local);
    assert_eq!(files, files_under(&cluster), "the same files");
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
    let (_, enriched) = read_csv(&cluster.join("enriched_contacts.csv"));
    assert!(enriched.len() >= 100_000, "every contact: {}", enriched.len());
    // The driver restores a local run's row order, so the CSV files, the figures and the page
    // are the same bytes too. The Parquet files hold the same rows but not the same bytes (the
    // tables come back through Parquet with their columns' nullability as the cluster wrote
    // them); the manifest records the run's own time.
    for file in files.iter().filter(|f| *f != "manifest.json" && !f.ends_with(".parquet")) {
        let same = std::fs::read(local.join(file)).unwrap() == std::fs::read(cluster.join(file)).unwrap();
        assert!(same, "{file}: the same bytes as a local run's");
    }
    // The run's tables on the cluster are removed when it ends.
    assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 0, "the cluster directory is left empty");
}

#[test]
fn a_cluster_without_a_scheduler_is_a_clear_error() {
    let dir = tempdir();
    let output = common::partylink(&[
        "run",
        "--contacts",
        common::repo("examples/contacts_sample.csv").to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
        "--quiet",
        "--cluster",
        "df://127.0.0.1:1",
        "--cluster-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let error = stderr(&output);
    assert!(error.contains("df://127.0.0.1:1"), "{error}");
    // As any failed run: the output directory may be made, but nothing is written into it.
    assert!(common::files_under(&dir.path().join("out")).is_empty(), "no outputs");
}
