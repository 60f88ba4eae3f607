//! `partylink review`: a run's review queue as an overrides file to edit, each candidate told
//! apart (Pakistan Muslim League: 2384, PML-N, and 2385, PML-Q), and the edited file read back
//! as the next run's overrides.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{partylink, repo, stderr, tempdir};

/// The sample run into `out`.
fn run(out: &Path, extra: &[&str]) -> std::process::Output {
    let sample = repo("examples/contacts_sample.csv");
    let mut args = vec!["run", "--no-report", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    partylink(&args)
}

/// A CSV text's header and rows, each row by column name.
fn rows(text: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows =
        reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect();
    (header, rows)
}

fn is_pml(row: &HashMap<String, String>) -> bool {
    row["country"] == "PAK" && row["name"] == "Pakistan Muslim League"
}

#[test]
fn review_lists_each_candidate_with_what_tells_it_apart() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let output = run(&out, &["-q"]);
    assert!(output.status.success(), "{}", stderr(&output));

    // The review queue itself tells the two parties of one name apart.
    let (_, queue) = rows(&std::fs::read_to_string(out.join("review_queue.csv")).unwrap());
    let pml = queue.iter().find(|r| r["contact_id"] == "c0034").expect("c0034 goes to review");
    let told = &pml["candidates_told_apart"];
    assert!(told.contains("2384: 1993-") && told.contains("PML-N"), "{told}");
    assert!(told.contains("2385: 2002-") && told.contains("PML-Q"), "{told}");
    assert!(queue.iter().filter(|r| r["contact_id"] != "c0034").all(|r| !r["candidates_told_apart"].contains("2384")));

    let output = partylink(&["review", "--run", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let (header, review) = rows(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(
        header[..7],
        ["country", "name", "year_first", "year_last", "partyfacts_id", "decided_by", "reason"],
        "the columns of party_overrides.csv come first"
    );
    let pml: Vec<_> = review.iter().filter(|r| is_pml(r)).collect();
    let ids: Vec<&str> = pml.iter().map(|r| r["partyfacts_id"].as_str()).collect();
    // The two parties of the name, and Pakistan Muslim League (J) as third candidate.
    assert_eq!(ids.len(), 3, "{pml:?}");
    assert!(ids.contains(&"2384") && ids.contains(&"2385"), "{ids:?}");
    let of = |id: &str| pml.iter().find(|r| r["partyfacts_id"] == id).unwrap();
    assert!(of("2384")["party_years"].starts_with("1993-") && of("2384")["other_names"].contains("PML-N"));
    assert!(of("2385")["party_years"].starts_with("2002-") && of("2385")["other_names"].contains("PML-Q"));
    for row in &pml {
        // The contacts the row would decide, and the years it covers.
        assert_eq!((row["contacts"].as_str(), row["contact_ids"].as_str()), ("1", "c0034"));
        assert_eq!((row["year_first"].as_str(), row["year_last"].as_str()), ("2004", "2004"));
        assert!(row["decided_by"].is_empty() && row["reason"].is_empty(), "left to the reviewer");
        assert!(row["candidate"].ends_with(" of 3"), "{row:?}");
    }
    // Every name of the queue with a country is there, and its contacts add up.
    let named: usize = queue.iter().filter(|r| !r["iso3"].is_empty()).count();
    let mut seen = std::collections::BTreeMap::new();
    for row in &review {
        seen.insert((row["country"].clone(), row["name"].clone()), row["contacts"].parse::<usize>().unwrap());
    }
    assert_eq!(seen.values().sum::<usize>(), named, "{seen:?}");
}

#[test]
fn an_edited_review_file_decides_the_names_on_the_next_run() {
    let dir = tempdir();
    let out = dir.path().join("out");
    assert!(run(&out, &["-q"]).status.success());
    let file = dir.path().join("review").join("party_overrides.csv");
    std::fs::create_dir(dir.path().join("review")).unwrap();
    let output = partylink(&["review", "--run", out.to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("names of"), "{}", stderr(&output));
    let made = std::fs::read_to_string(&file).unwrap();

    // A file once made is the reviewer's: it is never replaced.
    let output = partylink(&["review", "--run", out.to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("exists"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), made);

    // Unedited, the file decides nothing: its rows name no reviewer, and the candidates of one
    // name conflict. The run says which row and column.
    let reference = dir.path().join("review");
    let output = run(&dir.path().join("unedited"), &["-q", "--reference", reference.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("party_overrides.csv") && message.contains("row"), "{message}");
    assert!(message.contains("decided_by") || message.contains("partyfacts_id"), "{message}");

    // Edited: the PML-N row kept, with a reviewer and a reason; every other row deleted.
    let (header, review) = rows(&made);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    let mut kept = review.iter().find(|r| is_pml(r) && r["partyfacts_id"] == "2384").unwrap().clone();
    kept.insert("decided_by".into(), "reviewer".into());
    kept.insert("reason".into(), "the 2004 delegation was the PML-N's".into());
    writer.write_record(header.iter().map(|h| kept[h].as_str())).unwrap();
    std::fs::write(&file, writer.into_inner().unwrap()).unwrap();

    let decided = dir.path().join("decided");
    let output = run(&decided, &["--reference", reference.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("(1 decided by overrides)"), "{}", stderr(&output));
    let output = partylink(&[
        "sql",
        "--run",
        decided.to_str().unwrap(),
        "-f",
        "csv",
        "select partyfacts_id, match_method from enriched_contacts where contact_id = 'c0034'",
    ]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "partyfacts_id,match_method\n2384,override\n");
}
