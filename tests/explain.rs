//! `partylink explain` and `partylink resolve` through the binary, on the real sources.

mod common;

use common::{cell, partylink, read_csv, repo, stderr, tempdir};

fn explain(country: &str, year: &str, name: &str) -> String {
    let output = partylink(&["explain", "--country", country, "--year", year, name]);
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn explain_shows_forms_components_and_the_decision() {
    let text = explain("Japan", "2010", "Japan's New Komeito");
    assert!(text.contains("forms         japans new komeito | new komeito"), "{text}");
    assert!(text.contains("decision      party 1515 \"New Komeito\" by exact_name"), "{text}");
    assert!(text.contains("jaro_winkler  levenshtein  tokens  acronym"), "{text}");
}

#[test]
fn explain_says_why_a_name_goes_to_review() {
    let text = explain("Australia", "2010", "Australian Labor Party (LP)");
    assert!(text.contains("decision      review"), "{text}");
    assert!(text.contains("the abbreviation in brackets"), "{text}");
    let text = explain("Pakistan", "2010", "Pakistan Muslim League");
    assert!(text.contains("decision      review"), "{text}");
    assert!(text.contains("the name fits 2 parties"), "{text}");
    // The two parties of one name are told apart: PML-N and PML-Q.
    let told = |id: &str| text.lines().find(|l| l.trim_start().starts_with(id) && l.contains("years ")).unwrap_or("");
    assert!(told("2384").contains("years 1993-") && told("2384").contains("PML-N"), "{text}");
    assert!(told("2385").contains("years 2002-") && told("2385").contains("PML-Q"), "{text}");
}

#[test]
fn explain_shows_the_dpi_side_and_both_readings_on_a_date() {
    let output = partylink(&["explain", "--country", "Japan", "--date", "2009-10-20", "Democratic Party of Japan"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("DPI labels naming these parties in JPN on 1 January 2009:"), "{text}");
    // The label DPI uses for each candidate, its slot, its link and the audit's decision; the
    // import's own link where a correction replaced it.
    assert!(text.contains("1804  DPJ                   opp1        partyfacts_dpi_import     kept"), "{text}");
    assert!(
        text.contains(
            "SDPJ                  opp3        correction                corrected (the sources' link: 1804)"
        ),
        "{text}"
    );
    assert!(text.contains("DPI 2009      opposition (dpi_opposition_party; DPI label DPJ, through party)"), "{text}");
    assert!(
        text.contains(
            "on 2009-10-20 government (parlgov_cabinet; ParlGov cabinet Hatoyama Y, in office from 2009-09-16)"
        ),
        "{text}"
    );
    // With --year alone, the reading on the date waits for a date.
    let text = explain("Japan", "2009", "Democratic Party of Japan");
    assert!(text.contains("give --date YYYY-MM-DD"), "{text}");
}

#[test]
fn explain_rejects_an_unknown_country() {
    let output = partylink(&["explain", "--country", "Atlantis", "--year", "2010", "Any Party"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("country \"Atlantis\" is not in reference/countries.csv"));
}

#[test]
fn resolve_alone_writes_resolved_contacts_and_the_review_queue() {
    let out = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let output = partylink(&["resolve", "--contacts", sample.to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        common::files_under(out.path()),
        [
            "accounting.csv",
            "accounting.parquet",
            "manifest.json",
            "resolved_contacts.csv",
            "resolved_contacts.parquet",
            "review_dpi_links.csv",
            "review_dpi_links.parquet",
            "review_queue.csv",
            "review_queue.parquet"
        ]
    );
    let (headers, rows) = read_csv(&out.path().join("resolved_contacts.csv"));
    let spd = rows.iter().find(|r| cell(&headers, r, "partner") == "Social Democratic Party of Germany (SPD)").unwrap();
    assert_eq!(cell(&headers, spd, "partyfacts_id"), "383");
    assert_eq!(cell(&headers, spd, "match_method"), "exact_name");
    assert!(!headers.iter().any(|h| h == "power_status"), "resolve does not enrich");
}
