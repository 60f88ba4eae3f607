//! A run owns its output folder: the outputs of an earlier run it did not write again are
//! removed, other files are kept, the manifest lists exactly what is there, and `sql` and
//! `export` refuse a folder that does not match its manifest.

mod common;

use std::path::Path;

use common::{files_under, partylink, repo, stderr, tempdir};

/// The first `rows` contacts of the sample, as a contacts file in `dir`.
fn first_contacts(dir: &Path, rows: usize) -> String {
    let text = std::fs::read_to_string(repo("examples/contacts_sample.csv")).unwrap();
    let head: Vec<&str> = text.lines().take(rows + 1).collect();
    let path = dir.join(format!("first_{rows}.csv"));
    std::fs::write(&path, head.join("\n") + "\n").unwrap();
    path.to_str().unwrap().to_string()
}

fn run(contacts: &str, out: &Path, extra: &[&str]) {
    let mut args = vec!["run", "-q", "--contacts", contacts, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = partylink(&args);
    assert!(output.status.success(), "{}", stderr(&output));
}

fn manifest_outputs(out: &Path) -> Vec<String> {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let mut paths: Vec<String> =
        m["outputs"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap().to_string()).collect();
    paths.sort();
    paths
}

fn count(out: &Path, table: &str) -> String {
    let output =
        partylink(&["sql", "--run", out.to_str().unwrap(), "-f", "csv", &format!("select count(*) as n from {table}")]);
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_second_run_removes_the_outputs_it_did_not_write_and_keeps_other_files() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    run(sample.to_str().unwrap(), &out, &[]);
    assert!(out.join("enriched_contacts.parquet").is_file());
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join("tables/chart.png"), "mine too").unwrap();

    // The case: a CSV-only run of 50 contacts over a run of 384.
    let fifty = first_contacts(dir.path(), 50);
    run(&fifty, &out, &["--format", "csv"]);
    let files = files_under(&out);
    assert!(files.iter().all(|f| !f.ends_with(".parquet")), "the earlier run's Parquet files are gone: {files:?}");
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_to_string(out.join("tables/chart.png")).unwrap(), "mine too");
    // The manifest lists exactly the outputs there.
    let mut outputs: Vec<String> = files
        .into_iter()
        .filter(|f| !["manifest.json", "notes.txt", "tables/chart.png"].contains(&f.as_str()))
        .collect();
    outputs.sort();
    assert_eq!(manifest_outputs(&out), outputs);
    assert!(outputs.contains(&"tables/top_partners.csv".to_string()));
    // sql answers from this run, reading its CSV files.
    assert_eq!(count(&out, "enriched_contacts"), "n\n50\n");
}

#[test]
fn sql_and_export_refuse_a_folder_that_does_not_match_its_manifest() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    run(sample.to_str().unwrap(), &out, &["--format", "parquet"]);
    assert_eq!(count(&out, "accounting"), "n\n4\n");
    let refused = |why: &str| {
        let output = partylink(&["sql", "--run", out.to_str().unwrap(), "select 1"]);
        assert_eq!(output.status.code(), Some(1), "{why}");
        let message = stderr(&output);
        assert!(
            message.contains("does not match its manifest.json") || message.contains("no manifest.json"),
            "{why}: {message}"
        );
        let to = dir.path().join("a.csv");
        let output =
            partylink(&["export", "--run", out.to_str().unwrap(), "-t", "accounting", "--to", to.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{why}");
        assert!(!to.exists());
        message
    };

    // An output of another run left beside these.
    std::fs::write(out.join("enriched_contacts.csv"), "contact_id\n1\n").unwrap();
    assert!(refused("a stray output").contains("enriched_contacts.csv is there but not in the manifest"));
    std::fs::remove_file(out.join("enriched_contacts.csv")).unwrap();

    // An output changed, same size: its sha256 differs.
    let path = out.join("tables/top_partners.parquet");
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    let original = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    assert!(refused("a changed output").contains("tables/top_partners.parquet has another sha256"));
    std::fs::write(&path, &original).unwrap();

    // An output missing.
    std::fs::remove_file(out.join("accounting.parquet")).unwrap();
    assert!(refused("a missing output").contains("accounting.parquet is missing"));

    std::fs::remove_file(out.join("manifest.json")).unwrap();
    assert!(refused("no manifest").contains("no manifest.json"));
}

#[test]
fn resolve_writes_a_complete_folder_of_its_own_and_refuses_a_runs() {
    let dir = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let out = dir.path().join("out");
    run(sample.to_str().unwrap(), &out, &[]);
    let before = std::fs::read(out.join("manifest.json")).unwrap();
    let output = partylink(&["resolve", "-q", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("holds a run's outputs"), "{}", stderr(&output));
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), before, "the run's folder is left as it was");

    let resolved = dir.path().join("resolved");
    let output =
        partylink(&["resolve", "-q", "--contacts", sample.to_str().unwrap(), "-o", resolved.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let files = files_under(&resolved);
    for expected in [
        "resolved_contacts.csv",
        "resolved_contacts.parquet",
        "review_queue.parquet",
        "accounting.csv",
        "manifest.json",
    ] {
        assert!(files.iter().any(|f| f == expected), "{expected}: {files:?}");
    }
    let listed = manifest_outputs(&resolved);
    assert_eq!(listed, files.into_iter().filter(|f| f != "manifest.json").collect::<Vec<_>>());
    assert_eq!(count(&resolved, "resolved_contacts"), "n\n384\n");

    // A run may take over a resolve's folder: it is a run's from then on.
    run(sample.to_str().unwrap(), &resolved, &[]);
    assert!(!resolved.join("resolved_contacts.csv").exists());
    assert!(resolved.join("enriched_contacts.csv").exists());
}

#[test]
fn the_manifest_records_the_command_line() {
    let dir = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    run(sample.to_str().unwrap(), dir.path(), &["--format", "parquet", "--margin", "0.05"]);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap()).unwrap();
    let line: Vec<&str> = m["run"]["command_line"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(
        &line[1..],
        [
            "run",
            "-q",
            "--contacts",
            sample.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--format",
            "parquet",
            "--margin",
            "0.05"
        ]
    );
    assert_eq!(m["settings"]["margin"], 0.05);
}

#[test]
fn sql_refuses_a_csv_edited_in_place_by_its_sha256() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    run(sample.to_str().unwrap(), &out, &["--format", "csv", "--no-report"]);
    assert_eq!(count(&out, "accounting"), "n\n4\n");
    // One digit changed for another: the size is the manifest's, the content is not the run's.
    let path = out.join("tables/top_partners.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.rfind(|c: char| c.is_ascii_digit()).unwrap();
    let digit = text.as_bytes()[at];
    let mut edited = text.clone().into_bytes();
    edited[at] = if digit == b'9' { b'8' } else { digit + 1 };
    std::fs::write(&path, &edited).unwrap();
    let output = partylink(&["sql", "--run", out.to_str().unwrap(), "select 1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("tables/top_partners.csv has another sha256"), "{}", stderr(&output));
    std::fs::write(&path, text).unwrap();
    assert_eq!(count(&out, "accounting"), "n\n4\n");
}

#[test]
fn extract_and_report_keep_the_folder_matching_its_manifest() {
    let dir = tempdir();
    let news = repo("examples/news_sample.jsonl");
    let sample = repo("examples/contacts_sample.csv");
    // A run with news items, then one without, into one folder: the content analysis and its
    // figures go with the first.
    let out = dir.path().join("out");
    run(sample.to_str().unwrap(), &out, &["--news", news.to_str().unwrap()]);
    assert!(out.join("news_items.csv").is_file() && out.join("figures/figure_6_topics_core_interests.svg").is_file());
    run(sample.to_str().unwrap(), &out, &[]);
    let files = files_under(&out);
    assert!(!files.iter().any(|f| f.starts_with("news_") || f.contains("figure_6")), "{files:?}");
    let mut listed: Vec<String> = files.into_iter().filter(|f| f != "manifest.json").collect();
    listed.sort();
    assert_eq!(manifest_outputs(&out), listed);
    // report redraws into the run's folder and keeps it matching.
    let output = partylink(&["report", "-q", "--run", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(count(&out, "accounting"), "n\n4\n");

    // extract owns its folder too, with a manifest sql reads; a run may not take it over.
    let extracted = dir.path().join("news");
    let output = partylink(&["extract", "-q", "--news", news.to_str().unwrap(), "-o", extracted.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(extracted.join("extract_review.parquet").is_file());
    let listed: Vec<String> = files_under(&extracted).into_iter().filter(|f| f != "manifest.json").collect();
    assert_eq!(manifest_outputs(&extracted), listed);
    assert_ne!(count(&extracted, "extracted_contacts"), "n\n0\n");
    let output = partylink(&["run", "-q", "--contacts", sample.to_str().unwrap(), "-o", extracted.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("holds an extraction's outputs"), "{}", stderr(&output));
    assert!(extracted.join("extracted_contacts.csv").is_file());
}
