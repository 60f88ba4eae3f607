//! The crosswalk audit on the real sources: its checks find the links a comparativist would
//! question, each flagged link is decided, and the reviewed tables hold against the files.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{cell, data, partylink, read_csv, repo, stderr, tempdir};

/// The audit table of a run on the sample contacts.
fn audit() -> (Vec<String>, Vec<Vec<String>>) {
    let dir = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let out = dir.path().join("out");
    let output = partylink(&["run", "--quiet", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    read_csv(&out.join("audit_crosswalk.csv"))
}

/// The audit's rows of one label in one year.
fn label<'a>(headers: &[String], rows: &'a [Vec<String>], iso3: &str, party: &str, year: i32) -> &'a [String] {
    rows.iter()
        .find(|r| {
            cell(headers, r, "iso3") == iso3
                && cell(headers, r, "dpi_party") == party
                && cell(headers, r, "year_first").parse::<i32>().unwrap() <= year
                && year <= cell(headers, r, "year_last").parse::<i32>().unwrap()
        })
        .unwrap_or_else(|| panic!("no audit row for {iso3} {party} {year}"))
}

#[test]
fn the_audit_flags_and_decides_the_known_cases() {
    let (headers, rows) = audit();
    let get =
        |iso3, party, year, column: &str| cell(&headers, label(&headers, &rows, iso3, party, year), column).to_string();
    // France 2002: "Communists" linked to the National Front, which DPI also names in opposition.
    assert!(get("FRA", "Communists", 2002, "checks_as_given").contains("government_and_opposition"));
    assert_eq!(get("FRA", "Communists", 2002, "source_partyfacts_id"), "433");
    assert_eq!(get("FRA", "Communists", 2002, "partyfacts_id"), "1251");
    assert_eq!(get("FRA", "Communists", 2002, "audit_decision"), "corrected");
    assert_eq!(get("FRA", "Nat. Front", 2002, "partyfacts_id"), "433", "the correction settles the conflict");
    // Cameroon 2002: the ruling CPDM linked to the Cameroon Democratic Union.
    assert_eq!(get("CMR", "CPDM", 2002, "source_partyfacts_id"), "3773");
    assert_eq!(get("CMR", "CPDM", 2002, "partyfacts_id"), "3774");
    // United Kingdom: LDP linked to the Liberal Party of 1859-1988.
    assert!(get("GBR", "LDP", 2012, "checks_as_given").contains("years_apart"));
    assert_eq!(get("GBR", "LDP", 2012, "partyfacts_id"), "1388");
    // Japan: SDPJ linked to the Democratic Party of Japan, which DPI names as DPJ the same years.
    assert!(get("JPN", "SDPJ", 2010, "checks_as_given").contains("labels_share_id"));
    assert_eq!(get("JPN", "SDPJ", 2010, "partyfacts_id"), "3");
    // Slovakia: SNS linked to Coexistence; the resolver reads the Slovak National Party.
    assert_eq!(get("SVK", "SNS", 2010, "source_party_name"), "Coexistence");
    assert!(get("SVK", "SNS", 2010, "checks_as_given").contains("names_point_elsewhere"));
    assert_eq!(get("SVK", "SNS", 2010, "party_name"), "Slovak National Party");
    // Slovenia: ZL of 2017 is the United Left, not the United List of the 1990s.
    assert_eq!(get("SVN", "ZL", 2017, "source_partyfacts_id"), "1403");
    assert_ne!(get("SVN", "ZL", 2017, "partyfacts_id"), "1403");
    // Flagged links of sample parties, decided by a reviewed row rather than by the resolver.
    // Mongolia 2004: the resolver read MNDP as the party founded in 2005; it is the DP.
    assert!(get("MNG", "MNDP", 2004, "checks_as_given").contains("names_point_elsewhere"));
    assert_eq!(get("MNG", "MNDP", 2004, "reading_partyfacts_id"), "7142");
    assert_eq!(get("MNG", "MNDP", 2004, "partyfacts_id"), "2321");
    // Germany 2006: DPI's Left of 1 January is the Linkspartei.PDS, not Die Linke of 2007.
    assert_eq!(get("DEU", "Left", 2006, "source_partyfacts_id"), "1545");
    assert_eq!(get("DEU", "Left", 2006, "partyfacts_id"), "86");
    assert_eq!(get("DEU", "Left", 2008, "partyfacts_id"), "1545");
    // India: the UPA is an alliance, left unlinked; its members take its slot.
    assert_eq!(get("IND", "UPA", 2012, "audit_decision"), "corrected");
    assert_eq!(get("IND", "UPA", 2012, "partyfacts_id"), "");
    for (iso3, party, year, id) in
        [("NPL", "CPN-M", 2017, "3759"), ("NPL", "NC", 2015, "3756"), ("BGD", "BNP", 2016, "3782")]
    {
        assert!(get(iso3, party, year, "checks_as_given").contains("years_apart"), "{iso3} {party}");
        assert_eq!(get(iso3, party, year, "audit_decision"), "corrected", "{iso3} {party}");
        assert_eq!(get(iso3, party, year, "partyfacts_id"), id, "{iso3} {party}");
    }
}

#[test]
fn every_check_fires_and_every_flagged_link_is_decided() {
    let (headers, rows) = audit();
    let mut by_check: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        for check in cell(&headers, r, "checks_as_given").split("; ").filter(|c| !c.is_empty()) {
            *by_check.entry(check.to_string()).or_default() += 1;
        }
        let (checks, decision) = (cell(&headers, r, "checks"), cell(&headers, r, "audit_decision"));
        let linked = cell(&headers, r, "partyfacts_id");
        match decision {
            "kept" => assert!(checks.is_empty(), "{r:?}"),
            "confirmed" => assert_eq!(linked, cell(&headers, r, "source_partyfacts_id"), "{r:?}"),
            "relinked" => assert_eq!(linked, cell(&headers, r, "reading_partyfacts_id"), "{r:?}"),
            "unlinked" | "unlinked_conflict" | "no_link" => assert_eq!(linked, "", "{r:?}"),
            "corrected" => assert!(!cell(&headers, r, "corrected_by").is_empty(), "{r:?}"),
            other => panic!("unknown decision {other}: {r:?}"),
        }
        // A conflict can come from another label's re-link onto the same party.
        if !["kept", "corrected", "no_link", "unlinked_conflict"].contains(&decision) {
            assert!(!checks.is_empty(), "a decision without a flag: {r:?}");
        }
    }
    let expected: BTreeSet<&str> = [
        "government_and_opposition",
        "executive_and_opposition",
        "names_point_elsewhere",
        "years_apart",
        "labels_share_id",
    ]
    .into();
    assert_eq!(by_check.keys().map(String::as_str).collect::<BTreeSet<_>>(), expected, "{by_check:?}");
}

/// The rows of a reference table, by header.
fn reference(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    read_csv(&repo(&format!("reference/{name}")))
}

/// Party Facts ids of the core and external files.
fn partyfacts_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for file in ["partyfacts/partyfacts-core-parties.csv", "partyfacts/partyfacts-external-parties.csv"] {
        let (headers, rows) = read_csv(&data(file));
        ids.extend(rows.iter().map(|r| cell(&headers, r, "partyfacts_id").to_string()));
    }
    ids
}

/// DPI's labels by (countryname as ISO3, label): the years it uses them.
fn dpi_labels() -> BTreeMap<(String, String), BTreeSet<i32>> {
    let (countries, spellings) = read_csv(&repo("reference/countries.csv"));
    let iso3: BTreeMap<String, String> = spellings
        .iter()
        .map(|r| (cell(&countries, r, "spelling").to_string(), cell(&countries, r, "iso3").to_string()))
        .collect();
    let (headers, rows) = read_csv(&data("dpi/DPI2017_basefile_Jan2018.csv"));
    let country = headers.iter().position(|h| h.ends_with("countryname")).unwrap();
    let mut labels: BTreeMap<(String, String), BTreeSet<i32>> = BTreeMap::new();
    for r in &rows {
        let code = iso3.get(r[country].trim()).cloned().unwrap_or_default();
        let year: i32 = cell(&headers, r, "year").parse().unwrap();
        for slot in ["execme", "gov1me", "gov2me", "gov3me", "opp1me", "opp2me", "opp3me"] {
            labels.entry((code.clone(), cell(&headers, r, slot).trim().to_string())).or_default().insert(year);
        }
    }
    labels
}

#[test]
fn the_reviewed_tables_hold_against_the_files() {
    let ids = partyfacts_ids();
    let labels = dpi_labels();
    let uses = |iso3: &str, label: &str, first: i32, last: i32| {
        labels
            .get(&(iso3.to_string(), label.to_string()))
            .is_some_and(|years| years.range(first..=last).next().is_some())
    };
    let (headers, rows) = reference("dpi_link_corrections.csv");
    for r in &rows {
        let (iso3, label) = (cell(&headers, r, "country"), cell(&headers, r, "dpi_party"));
        let (first, last) =
            (cell(&headers, r, "year_first").parse().unwrap(), cell(&headers, r, "year_last").parse().unwrap());
        assert!(uses(iso3, label, first, last), "DPI does not use {label} in {iso3} {first}-{last}");
        let id = cell(&headers, r, "partyfacts_id");
        assert!(id == "none" || ids.contains(id), "no Party Facts party {id}: {r:?}");
    }
    let (headers, rows) = reference("party_successions.csv");
    for r in &rows {
        for column in ["predecessor_partyfacts_id", "successor_partyfacts_id"] {
            assert!(ids.contains(cell(&headers, r, column)), "no Party Facts party in {column}: {r:?}");
        }
    }
    let (headers, rows) = reference("dpi_alliances.csv");
    for r in &rows {
        let (iso3, label) = (cell(&headers, r, "country"), cell(&headers, r, "dpi_party"));
        let (first, last) =
            (cell(&headers, r, "year_first").parse().unwrap(), cell(&headers, r, "year_last").parse().unwrap());
        assert!(uses(iso3, label, first, last), "DPI does not use {label} in {iso3} {first}-{last}");
        assert!(ids.contains(cell(&headers, r, "member_partyfacts_id")), "no Party Facts party: {r:?}");
    }
}
