//! The review loop checks its input: `--reference` is a directory of tables partylink knows,
//! and every override is a Party Facts party of its country, in plausible years, decided once.

mod common;

use common::{partylink, stderr, tempdir};

const HEADER: &str = "country,name,year_first,year_last,partyfacts_id,decided_by,reason\n";

/// `explain` with `--reference DIR`: it loads the reference tables and the registry.
fn explain_with(dir: &std::path::Path) -> (Option<i32>, String) {
    let reference = dir.to_str().unwrap();
    let args = ["explain", "--reference", reference, "--country", "Pakistan", "--year", "2010", "PPP"];
    let output = partylink(&args);
    (output.status.code(), stderr(&output))
}

fn with_overrides(rows: &str) -> (Option<i32>, String) {
    let dir = tempdir();
    std::fs::write(dir.path().join("party_overrides.csv"), format!("{HEADER}{rows}")).unwrap();
    explain_with(dir.path())
}

#[test]
fn reference_must_be_a_directory_of_known_tables() {
    let dir = tempdir();
    let (code, message) = explain_with(&dir.path().join("nosuchdir"));
    assert_eq!(code, Some(1));
    assert!(message.contains("nosuchdir: not a directory"), "{message}");

    std::fs::write(dir.path().join("party_override.csv"), HEADER).unwrap();
    let (code, message) = explain_with(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        message.contains("party_override.csv is not a reference table partylink reads")
            && message.contains("party_overrides.csv"),
        "{message}"
    );
    // The repository's own folder is a valid --reference.
    let (code, message) = explain_with(&common::repo("reference"));
    assert_eq!(code, Some(0), "{message}");
}

#[test]
fn overrides_name_real_parties_of_their_country() {
    let (code, message) = with_overrides("Pakistan,Some Party,,,99999999,analyst,typo\n");
    assert_eq!(code, Some(1));
    assert!(message.contains("partyfacts_id 99999999 is no Party Facts party"), "{message}");

    // The SPD's id (383) for a Pakistani partner.
    let (code, message) = with_overrides("Pakistan,Some Party,,,383,analyst,wrong row\n");
    assert_eq!(code, Some(1));
    assert!(message.contains("partyfacts_id 383 is a party of DEU, not of PAK"), "{message}");

    let (code, message) = with_overrides("Germany,SPD delegation,2005,2010,383,analyst,checked\n");
    assert_eq!(code, Some(0), "{message}");
}

#[test]
fn overrides_have_plausible_years_and_one_decision_per_name() {
    for (rows, expected) in [
        (
            "Germany,SPD delegation,2010,2005,383,analyst,x\n",
            &["row 2, column \"year_last\", value \"2005\"", "before year_first 2010"][..],
        ),
        ("Germany,SPD delegation,210,,383,analyst,x\n", &["not a year from 1900 to 2100"]),
        (
            "Germany,SPD delegation,2005,2010,383,a,x\nGermany,spd  Delegation,2008,,not_a_party,b,y\n",
            &["row 3", "conflicts with row 2 (383)"],
        ),
        ("Germany,SPD delegation,,,383,a,x\nGermany,SPD delegation,,,383,b,y\n", &["repeats row 2 (383)"]),
    ] {
        let (code, message) = with_overrides(rows);
        assert_eq!(code, Some(1), "{rows}");
        assert!(expected.iter().all(|e| message.contains(e)), "{rows}: {message}");
    }
    // Years apart: two decisions for one name are fine.
    let (code, message) =
        with_overrides("Germany,SPD delegation,2000,2004,383,a,x\nGermany,SPD delegation,2005,,not_a_party,b,y\n");
    assert_eq!(code, Some(0), "{message}");
}

#[test]
fn a_not_a_party_override_is_recorded_as_an_override() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("reference")).unwrap();
    std::fs::write(
        dir.path().join("reference/party_overrides.csv"),
        format!(
            "{HEADER}Malaysia,UMNO,2002,2002,not_a_party,analyst,a test of the override\n\
             Malaysia,No Such Partner,,,not_a_party,analyst,never met\n"
        ),
    )
    .unwrap();
    let sample = common::repo("examples/contacts_sample.csv");
    let out = dir.path().join("out");
    let reference = dir.path().join("reference");
    let output = partylink(&[
        "run",
        "--contacts",
        sample.to_str().unwrap(),
        "--reference",
        reference.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    let (headers, rows) = common::read_csv(&out.join("enriched_contacts.csv"));
    let decided = rows
        .iter()
        .filter(|r| {
            let cell = |c| common::cell(&headers, r, c);
            (cell("iso3"), cell("partner"), cell("year")) == ("MYS", "UMNO", "2002")
        })
        .count();
    assert!(decided >= 1);
    assert!(message.contains(&format!("{decided} not a party (overrides)")), "{message}");
    assert!(message.contains(&format!("({decided} decided by overrides)")), "{message}");
    assert!(
        message.contains("override unused (no contact has this name in these years): MYS \"No Such Partner\" -"),
        "{message}"
    );
    let (headers, rows) = common::read_csv(&out.join("enriched_contacts.csv"));
    let c0001 = rows.iter().find(|r| common::cell(&headers, r, "contact_id") == "c0001").unwrap();
    assert_eq!(common::cell(&headers, c0001, "outcome"), "not_a_party");
    assert_eq!(common::cell(&headers, c0001, "match_method"), "override");
    assert_eq!(common::cell(&headers, c0001, "partyfacts_id"), "");
}
