//! `partylink run` end to end on the illustrative sample and the real sources, through the binary.

mod common;

use common::{cell, partylink, read_csv, repo, stderr, tempdir};

fn run_sample(out: &std::path::Path) {
    let sample = repo("examples/contacts_sample.csv");
    let output = partylink(&["run", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn sample_contacts_get_power_status_and_regime() {
    let dir = tempdir();
    run_sample(dir.path());
    let (headers, rows) = read_csv(&dir.path().join("enriched_contacts.csv"));
    for column in [
        "contact_id",
        "date",
        "year",
        "country",
        "iso3",
        "partner",
        "partyfacts_id",
        "party_name",
        "dpi_party",
        "match_method",
        "match_score",
        "power_status",
        "power_basis",
        "fh_status",
        "regime",
    ] {
        assert!(headers.iter().any(|h| h == column), "missing column {column}");
    }
    let get = |row: &Vec<String>, c: &str| cell(&headers, row, c).to_string();

    let spd: Vec<_> = rows
        .iter()
        .filter(|r| get(r, "partner") == "Social Democratic Party of Germany (SPD)" && get(r, "year") == "2010")
        .collect();
    assert!(spd.len() >= 3);
    for r in spd {
        assert_eq!(
            (get(r, "iso3"), get(r, "power_status"), get(r, "fh_status")),
            ("DEU".into(), "opposition".into(), "F".into())
        );
        assert_eq!(get(r, "dpi_party"), "SPD");
        assert_eq!(get(r, "regime"), "free");
    }

    let cpv: Vec<_> = rows.iter().filter(|r| get(r, "partner").starts_with("Communist Party of Vietnam")).collect();
    let years: std::collections::BTreeSet<String> = cpv.iter().map(|r| get(r, "year")).collect();
    assert!(years.contains("2003") && years.contains("2010") && years.contains("2016"), "{years:?}");
    for r in cpv {
        assert_eq!(
            (get(r, "iso3"), get(r, "power_status"), get(r, "fh_status")),
            ("VNM".into(), "government".into(), "NF".into())
        );
    }

    // In input order, one row per contact.
    let ids: Vec<String> = rows.iter().map(|r| get(r, "contact_id")).collect();
    let (_, input) = read_csv(&repo("examples/contacts_sample.csv"));
    let input_ids: Vec<String> = input.iter().map(|r| r[0].clone()).collect();
    assert_eq!(ids, input_ids);
}

#[test]
fn accounting_adds_up_to_the_input_rows() {
    let dir = tempdir();
    run_sample(dir.path());
    let input_rows = std::fs::read_to_string(repo("examples/contacts_sample.csv")).unwrap().lines().count() - 1;
    let (_, rows) = read_csv(&dir.path().join("accounting.csv"));
    let count = |outcome: &str| rows.iter().find(|r| r[0] == outcome).map_or(0, |r| r[1].parse::<usize>().unwrap());
    assert_eq!(count("input_rows"), input_rows);
    let outcomes: usize = rows.iter().filter(|r| r[0] != "input_rows").map(|r| r[1].parse::<usize>().unwrap()).sum();
    assert_eq!(outcomes, input_rows);
    // Everything sent to review is in the review queue, and only that.
    let (_, review) = read_csv(&dir.path().join("review_queue.csv"));
    assert_eq!(review.len(), count("review_party") + count("review_country"));
    assert!(count("review_party") > 0, "the sample's hard cases go to review");
    assert_eq!(count("non_party"), 38);
}

#[test]
fn misleading_brackets_and_vague_partners_go_to_review_not_to_a_guess() {
    let dir = tempdir();
    run_sample(dir.path());
    let (headers, rows) = read_csv(&dir.path().join("review_queue.csv"));
    let partners: Vec<&str> = rows.iter().map(|r| cell(&headers, r, "partner")).collect();
    for hard in [
        "Australian Labor Party (LP)",
        "Social Democratic Party of Germany (CDU)",
        "United Russia (CPRF)",
        "Pakistan Muslim League",
        "the ruling party",
    ] {
        assert!(partners.contains(&hard), "{hard} should be in the review queue: {partners:?}");
    }
    let labor = rows.iter().find(|r| cell(&headers, r, "partner") == "Australian Labor Party (LP)").unwrap();
    assert!(cell(&headers, labor, "review_reason").contains("abbreviation in brackets"));
    assert_eq!(cell(&headers, labor, "candidate_1_name"), "Australian Labor Party");
}

#[test]
fn a_misspelled_country_is_dropped_like_a_spelled_one() {
    let dir = tempdir();
    run_sample(dir.path());
    let (headers, rows) = read_csv(&dir.path().join("enriched_contacts.csv"));
    // "of Veitnam" is dropped as "of Vietnam" is, and "Communist Party" is a name of the CPV.
    let typo = rows.iter().find(|r| cell(&headers, r, "partner") == "Communist Party of Veitnam").unwrap();
    assert_eq!(cell(&headers, typo, "party_name"), "Communist Party of Vietnam");
    assert_eq!(cell(&headers, typo, "match_method"), "exact_name");
    assert_eq!(cell(&headers, typo, "match_score").parse::<f64>().unwrap(), 1.0);
}

#[test]
fn the_csu_takes_the_power_status_of_cdu_csu() {
    let dir = tempdir();
    run_sample(dir.path());
    let (headers, rows) = read_csv(&dir.path().join("enriched_contacts.csv"));
    let csu = rows.iter().find(|r| cell(&headers, r, "partner") == "Christian Social Union (CSU)").unwrap();
    assert_eq!(cell(&headers, csu, "year"), "2010");
    assert_eq!(cell(&headers, csu, "dpi_party"), "CDU/CSU");
    assert_eq!(cell(&headers, csu, "dpi_link"), "unit");
    assert_eq!(cell(&headers, csu, "power_status"), "government");
}

#[test]
fn power_by_regime_counts_every_party_interaction_once() {
    let dir = tempdir();
    run_sample(dir.path());
    let (headers, interactions) = read_csv(&dir.path().join("interactions.csv"));
    let matched = interactions.iter().filter(|r| cell(&headers, r, "outcome") == "matched").count();
    let (headers, rows) = read_csv(&dir.path().join("tables/power_by_regime.csv"));
    let total: usize = rows.iter().map(|r| cell(&headers, r, "interactions").parse::<usize>().unwrap()).sum();
    assert_eq!(total, matched);
    let not_free_gov = rows
        .iter()
        .find(|r| cell(&headers, r, "regime") == "not_free" && cell(&headers, r, "power_status") == "government")
        .unwrap();
    assert!(cell(&headers, not_free_gov, "share_of_regime").parse::<f64>().unwrap() > 0.5);
}

#[test]
fn two_runs_give_byte_identical_outputs_and_manifests_but_the_run_time() {
    let (a, b) = (tempdir(), tempdir());
    run_sample(a.path());
    run_sample(b.path());
    let files = common::files_under(a.path());
    for expected in [
        "accounting.csv",
        "enriched_contacts.csv",
        "enriched_contacts.parquet",
        "interactions.csv",
        "interactions.parquet",
        "manifest.json",
        "review_dpi_links.csv",
        "review_queue.csv",
        "tables/power_by_regime.csv",
        "tables/top_partners.parquet",
    ] {
        assert!(files.iter().any(|f| f == expected), "{expected} missing: {files:?}");
    }
    for file in files.iter().filter(|f| *f != "manifest.json") {
        assert_eq!(std::fs::read(a.path().join(file)).unwrap(), std::fs::read(b.path().join(file)).unwrap(), "{file}");
    }
    let manifest = |dir: &std::path::Path| {
        let mut m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
        m.as_object_mut().unwrap().remove("run");
        m
    };
    assert_eq!(manifest(a.path()), manifest(b.path()));
}

/// Nor does writing the outputs through the page cache instead of past it (the one-thread run
/// writes through it: `PARTYLINK_DIRECT_IO=0`).
#[test]
fn the_number_of_threads_changes_no_output_byte() {
    let sample = repo("examples/contacts_sample.csv");
    let run = |threads: &str| {
        let out = tempdir();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_partylink"))
            .args(["run", "--quiet", "--threads", threads, "--contacts", sample.to_str().unwrap(), "--out"])
            .arg(out.path())
            .env("PARTYLINK_DIRECT_IO", if threads == "1" { "0" } else { "1" })
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        out
    };
    let (one, three) = (run("1"), run("3"));
    let files = common::files_under(one.path());
    assert_eq!(files, common::files_under(three.path()));
    for file in files.iter().filter(|f| *f != "manifest.json") {
        assert!(
            std::fs::read(one.path().join(file)).unwrap() == std::fs::read(three.path().join(file)).unwrap(),
            "{file}"
        );
    }
    let manifest = |dir: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
    };
    let (a, b) = (manifest(one.path()), manifest(three.path()));
    assert_eq!((&a["run"]["threads"], &b["run"]["threads"]), (&1.into(), &3.into()));
    assert_eq!(a["outputs"], b["outputs"]);
}

#[test]
fn the_manifest_records_inputs_settings_and_outputs() {
    let dir = tempdir();
    run_sample(dir.path());
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["partylink_version"], env!("CARGO_PKG_VERSION"));
    let inputs = m["inputs"].as_array().unwrap();
    let dpi = inputs.iter().find(|i| i["role"] == "dpi").unwrap();
    assert!(dpi["sha256"].as_str().unwrap().starts_with("b47e362fc6a27220"), "the sha256 SOURCES.md gives");
    assert_eq!(dpi["bytes"], 2_477_844);
    assert!(inputs.iter().any(|i| i["role"] == "reference/countries.csv"));
    assert_eq!(m["settings"]["accept_threshold"], 0.9);
    assert_eq!(m["settings"]["dpi_rival_gap"], 0.15, "every number a decision uses");
    assert_eq!(m["settings"]["score_weights"]["tokens"], 0.5);
    assert_eq!(m["settings"]["interaction_window_days"], 7);
    assert_eq!(m["settings"]["power_source"], "dpi");
    assert_eq!(m["settings"]["link_years_after"], 5, "the crosswalk audit's tolerance");
    assert_eq!(m["settings"]["link_years_before"], 1);
    assert!(inputs.iter().any(|i| i["role"] == "parlgov_cabinets"));
    assert!(inputs.iter().any(|i| i["role"] == "reference/dpi_link_corrections.csv"));
    let outputs = m["outputs"].as_array().unwrap();
    let enriched = outputs.iter().find(|o| o["path"] == "enriched_contacts.csv").unwrap();
    let bytes = std::fs::read(dir.path().join("enriched_contacts.csv")).unwrap();
    assert_eq!(enriched["sha256"], partylink::report::sha256_hex(&bytes));
    assert!(m["run"]["seconds"].as_f64().unwrap() > 0.0);
}

#[test]
fn missing_sources_are_named_with_their_download_pages() {
    let empty = tempdir();
    let out = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_partylink"))
        .args(["run", "--contacts", sample.to_str().unwrap(), "--out", out.path().to_str().unwrap()])
        .env("PARTYLINK_DATA", empty.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("6 source file(s) missing"), "{message}");
    assert!(message.contains("DPI2017_basefile_Jan2018.csv"), "{message}");
    assert!(message.contains("freedomhouse.org"), "{message}");
    assert!(message.contains("publications.iadb.org"), "{message}");
    assert!(common::files_under(out.path()).is_empty());
}

#[test]
fn formats_parquet_writes_parquet_alone_and_sql_reads_it() {
    let dir = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let out = dir.path().to_str().unwrap();
    let output =
        partylink(&["run", "--quiet", "--formats", "parquet", "--contacts", sample.to_str().unwrap(), "--out", out]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("enriched_contacts.parquet").exists());
    assert!(dir.path().join("tables/top_partners.parquet").exists());
    assert!(!dir.path().join("enriched_contacts.csv").exists());
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["settings"]["formats"], serde_json::json!(["parquet"]));
    let tables = m["outputs"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap());
    let tables: Vec<&str> = tables.filter(|p| !p.starts_with("figures/") && *p != "report.html").collect();
    assert!(tables.iter().all(|p| p.ends_with(".parquet")), "{tables:?}");
    let query = partylink(&["sql", "--out", out, "--format", "csv", "select count(*) as n from enriched_contacts"]);
    assert!(query.status.success(), "{}", stderr(&query));
    assert_eq!(String::from_utf8_lossy(&query.stdout), "n\n384\n");

    let bad = partylink(&["run", "--quiet", "--formats", "xls", "--contacts", sample.to_str().unwrap(), "--out", out]);
    assert_eq!(bad.status.code(), Some(2), "an unknown format is a command-line error");
}

#[test]
fn the_link_cache_changes_nothing_but_the_time() {
    let cache = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let run = |extra: &[&str]| {
        let out = tempdir();
        let mut args =
            vec!["run", "--quiet", "--contacts", sample.to_str().unwrap(), "--out", out.path().to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = partylink(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        ["enriched_contacts.csv", "review_dpi_links.csv", "review_dpi_links.parquet", "interactions.csv"]
            .map(|f| std::fs::read(out.path().join(f)).unwrap())
    };
    let cache_dir = cache.path().to_str().unwrap();
    let made = run(&["--cache-dir", cache_dir]);
    let mut entries: Vec<_> = std::fs::read_dir(cache.path()).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries[0].file_name().unwrap().to_str().unwrap().starts_with("dpi_label_readings-"));
    assert!(entries[1].file_name().unwrap().to_str().unwrap().starts_with("dpi_resolver_links-"));
    assert!(made == run(&["--cache-dir", cache_dir]), "a run from the cache writes the same outputs");
    assert!(made == run(&["--no-cache"]), "and so does a run without it");
    // A damaged entry is made again.
    std::fs::write(&entries[0], b"not arrow").unwrap();
    assert!(made == run(&["--cache-dir", cache_dir]));
    assert!(std::fs::read(&entries[0]).unwrap().starts_with(b"ARROW1"));
}

/// Without the cargo feature `distributed`, `--cluster` says how to build partylink with it,
/// before anything is read or written.
#[cfg(not(feature = "distributed"))]
#[test]
fn a_cluster_run_needs_the_distributed_feature() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    let args =
        ["run", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap(), "--cluster", "standalone"];
    let output = partylink(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let error = stderr(&output);
    assert!(error.contains("--cluster standalone") && error.contains("--features distributed"), "{error}");
    assert!(!out.exists(), "nothing written");
    let bad = partylink(&["run", "--contacts", sample.to_str().unwrap(), "--cluster", "http://h:1"]);
    assert_eq!(bad.status.code(), Some(2), "a bad address is a bad command line");
    assert!(stderr(&bad).contains("neither df://HOST:PORT"), "{}", stderr(&bad));
}
