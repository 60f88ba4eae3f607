//! Interactions and the paper's tables, on small illustrative fixtures through the binary.

mod common;

use common::{cell, partylink, read_csv, stderr, tempdir};

const HEADER: &str = "contact_id,date,country,partner,venue,partner_kind,news_id";

/// Runs on `rows` (CSV lines after the header) and returns the output directory.
fn run(rows: &[&str], extra: &[&str]) -> tempfile::TempDir {
    let dir = tempdir();
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(&contacts, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    let out = dir.path().join("out");
    let mut args = vec!["run", "--quiet", "--contacts", contacts.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = partylink(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    dir
}

#[test]
fn reports_of_one_visit_merge_into_one_interaction_per_party() {
    let dir = run(
        &[
            "c1,2010-03-01,Viet Nam,Communist Party of Vietnam (CPV),china,party,n1",
            "c2,2010-03-04,Vietnam,the Communist Party of Vietnam,china,party,n2",
            "c3,2010-03-20,Vietnam,Communist Party of Vietnam,china,party,n3",
            "c4,2010-05-02,South Africa,ANC and SACP,abroad,party,n4",
            "c5,2010-05-03,South Africa,African National Congress (ANC),abroad,party,n5",
        ],
        &[],
    );
    let (headers, rows) = read_csv(&dir.path().join("out/interactions.csv"));
    let get = |r: &Vec<String>, c: &str| cell(&headers, r, c).to_string();
    let ids: Vec<String> = rows.iter().map(|r| get(r, "contact_ids")).collect();
    // c1 and c2 are 3 days apart: one visit; c3 is 16 days later: another. The joint ANC/SACP
    // meeting counts once for each party, and c5 is the ANC's same visit.
    assert_eq!(ids, ["c1;c2", "c3", "c4;c5", "c4"], "{rows:?}");
    let sacp =
        rows.iter().find(|r| get(r, "party_name").contains("Communist Party") && get(r, "iso3") == "ZAF").unwrap();
    assert_eq!(get(sacp, "contact_rows"), "1");

    let (headers, rows) = read_csv(&dir.path().join("out/tables/top_partners.csv"));
    let top: Vec<(String, String)> = rows
        .iter()
        .map(|r| (cell(&headers, r, "rank").to_string(), cell(&headers, r, "interactions").to_string()))
        .collect();
    assert_eq!(top, [("1".into(), "2".into()), ("2".into(), "1".into()), ("2".into(), "1".into())]);
}

#[test]
fn the_window_is_a_setting() {
    let rows = ["c1,2010-03-01,Vietnam,CPV,china,party,n1", "c2,2010-03-10,Vietnam,CPV,china,party,n2"];
    let interactions = |extra: &[&str]| read_csv(&run(&rows, extra).path().join("out/interactions.csv")).1.len();
    assert_eq!(interactions(&[]), 2, "9 days apart is two visits with the default 7-day window");
    assert_eq!(interactions(&["--interaction-window", "10"]), 1);
}

#[test]
fn power_shares_follow_the_interactions() {
    let dir = run(
        &[
            "c1,2010-03-01,Germany,Social Democratic Party of Germany (SPD),china,party,n1",
            "c2,2010-04-01,Germany,Christian Democratic Union (CDU),china,party,n2",
            "c3,2010-05-01,Vietnam,Communist Party of Vietnam,china,party,n3",
            "c4,2010-06-01,Japan,Japan's Liberal Democratic Party,china,party,n4",
            "c5,2010-07-01,Germany,Friedrich Ebert Foundation,china,non_party,n5",
        ],
        &[],
    );
    let (headers, rows) = read_csv(&dir.path().join("out/tables/power_shares.csv"));
    let value = |share: &str| {
        let r = rows.iter().find(|r| cell(&headers, r, "share") == share).unwrap();
        (cell(&headers, r, "numerator").to_string(), cell(&headers, r, "denominator").to_string())
    };
    assert_eq!(value("government_share"), ("2".into(), "4".into()));
    assert_eq!(value("opposition_in_free_share"), ("2".into(), "2".into()));
    let (headers, rows) = read_csv(&dir.path().join("out/tables/contacts_by_year.csv"));
    assert_eq!((cell(&headers, &rows[0], "party"), cell(&headers, &rows[0], "non_party")), ("4", "1"));
}

#[test]
fn rows_sharing_a_news_item_or_a_visit_merge_beyond_the_window_up_to_the_longest_visit() {
    let dir = tempdir();
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(
        &contacts,
        "contact_id,date,country,partner,news_id,visit_id\n\
         c1,2010-03-01,Vietnam,CPV,n1,\n\
         c2,2010-04-15,Vietnam,CPV,n1,\n\
         c3,2011-01-01,Laos,LPRP,n7,v9\n\
         c4,2011-03-01,Laos,LPRP,n8,v9\n\
         c5,2011-03-02,Laos,LPRP,n8,v10\n",
    )
    .unwrap();
    let interactions = |extra: &[&str]| {
        let out = dir.path().join("out");
        let mut args = vec!["run", "--quiet", "--contacts", contacts.to_str().unwrap(), "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = partylink(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        let (headers, rows) = read_csv(&out.join("interactions.csv"));
        let mut ids: Vec<String> = rows.iter().map(|r| cell(&headers, r, "contact_ids").to_string()).collect();
        ids.sort();
        ids
    };
    // One news item is one visit however far apart its rows; visit v9's rows, two months apart,
    // are two visits: none lasts 21 days or more.
    assert_eq!(interactions(&[]), ["c1;c2", "c3", "c4", "c5"]);
    assert_eq!(interactions(&["--max-visit-days", "90"]), ["c1;c2", "c3;c4", "c5"]);
}

#[test]
fn visits_are_measured_from_their_first_row_and_keep_to_one_venue() {
    // Four CPV rows six days apart, alternating venues: four visits, where a chain of 7-day
    // gaps made one. Three rows in China six days apart: two visits, measured from the first.
    let dir = run(
        &[
            "c1,2011-03-01,Vietnam,CPV,china,party,n1",
            "c2,2011-03-07,Vietnam,CPV,abroad,party,n2",
            "c3,2011-03-13,Vietnam,CPV,china,party,n3",
            "c4,2011-03-19,Vietnam,CPV,abroad,party,n4",
            "c5,2012-05-01,Vietnam,CPV,china,party,n5",
            "c6,2012-05-07,Vietnam,CPV,china,party,n6",
            "c7,2012-05-13,Vietnam,CPV,china,party,n7",
        ],
        &[],
    );
    let (headers, rows) = read_csv(&dir.path().join("out/interactions.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| cell(&headers, r, "contact_ids")).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5;c6", "c7"]);
    let (headers, rows) = read_csv(&dir.path().join("out/tables/contacts_by_venue_year.csv"));
    let venues: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (cell(&headers, r, "year"), cell(&headers, r, "venue"), cell(&headers, r, "interactions")))
        .collect();
    assert_eq!(venues, [("2011", "abroad", "2"), ("2011", "china", "2"), ("2012", "china", "2")]);
}

#[test]
fn contacts_outside_the_period_are_counted_but_in_no_table() {
    let rows = [
        "c1,2001-06-01,Vietnam,CPV,china,party,n1",
        "c2,2010-06-01,Vietnam,CPV,china,party,n2",
        "c3,2018-06-01,Vietnam,CPV,china,party,n3",
    ];
    let dir = run(&rows, &[]);
    let out = dir.path().join("out");
    let (headers, rows_out) = read_csv(&out.join("interactions.csv"));
    assert_eq!(rows_out.iter().map(|r| cell(&headers, r, "contact_ids")).collect::<Vec<_>>(), ["c2"]);
    let (headers, enriched) = read_csv(&out.join("enriched_contacts.csv"));
    let marks: Vec<&str> = enriched.iter().map(|r| cell(&headers, r, "in_period")).collect();
    assert_eq!(marks, ["false", "true", "false"]);
    let (headers, accounting) = read_csv(&out.join("accounting.csv"));
    let count = |outcome: &str| {
        accounting
            .iter()
            .find(|r| cell(&headers, r, "outcome") == outcome)
            .map(|r| cell(&headers, r, "rows").to_string())
    };
    assert_eq!(count("out_of_period").as_deref(), Some("2"));
    assert_eq!(count("matched").as_deref(), Some("1"));
    assert_eq!(count("input_rows").as_deref(), Some("3"));
    let (headers, totals) = read_csv(&out.join("tables/totals.csv"));
    let total = |m: &str| {
        totals.iter().find(|r| cell(&headers, r, "measure") == m).map(|r| cell(&headers, r, "value").to_string())
    };
    assert_eq!(total("out_of_period").as_deref(), Some("2"));
    assert_eq!(total("interactions").as_deref(), Some("1"));
    let (_, by_year) = read_csv(&out.join("tables/contacts_by_year.csv"));
    assert_eq!(by_year.len(), 1);

    let all = run(&rows, &["--period", "all"]);
    assert_eq!(read_csv(&all.path().join("out/interactions.csv")).1.len(), 3);
    let manifest = std::fs::read_to_string(all.path().join("out/manifest.json")).unwrap();
    assert!(manifest.contains("\"period\": \"all\""), "{manifest}");
    let bad = partylink(&["run", "--contacts", "x.csv", "--period", "2017-2002"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("ends before it begins"), "{}", stderr(&bad));
}

#[test]
fn power_by_regime_and_power_shares_divide_by_the_same_bases() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/contacts_sample.csv");
    let output = partylink(&["run", "--quiet", "--contacts", sample, "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let (h, regimes) = read_csv(&out.join("tables/power_by_regime.csv"));
    let (hs, shares) = read_csv(&out.join("tables/power_shares.csv"));
    let share = |name: &str, base: &str| {
        shares
            .iter()
            .find(|r| cell(&hs, r, "share") == name && cell(&hs, r, "base") == base)
            .map(|r| cell(&hs, r, "value").to_string())
            .unwrap_or_else(|| panic!("power_shares has no {name} on {base}"))
    };
    let mut compared = 0;
    for regime in ["free", "partly_free", "not_free"] {
        let Some(row) =
            regimes.iter().find(|r| cell(&h, r, "regime") == regime && cell(&h, r, "power_status") == "government")
        else {
            continue;
        };
        let name = format!("government_share_{regime}");
        assert_eq!(cell(&h, row, "share_of_regime"), share(&name, "known_status"), "{regime}");
        assert_eq!(cell(&h, row, "share_of_regime_all"), share(&name, "party_contacts"), "{regime}");
        compared += 1;
    }
    assert!(compared >= 2, "the sample has government contacts in several regimes");
}

#[test]
fn countries_freedom_house_rates_under_another_name_get_its_status() {
    // Serbia 2004: rated as Serbia and Montenegro; Serbia 2008: its own row; Palestine 2005: as
    // the Palestinian Authority-administered territories (Partly Free that year).
    let dir = run(
        &[
            "c1,2004-06-01,Serbia,Socialist Party of Serbia,china,party,n1",
            "c2,2008-06-01,Serbia,Socialist Party of Serbia,china,party,n2",
            "c3,2005-06-01,Palestine,Fatah,china,party,n3",
        ],
        &[],
    );
    let (headers, rows) = read_csv(&dir.path().join("out/enriched_contacts.csv"));
    let status: Vec<(&str, &str)> =
        rows.iter().map(|r| (cell(&headers, r, "fh_status"), cell(&headers, r, "regime"))).collect();
    assert_eq!(status, [("F", "free"), ("F", "free"), ("PF", "partly_free")]);
}
