//! The power status rules, one SQL stage at a time, on hand-written rows: each stage's inputs
//! are written here as small tables beside the rows it must give, so a rule can be read
//! without the sources. Every power_basis a run can write is asserted here or in
//! `tests/power_on_date.rs`, and the README's tables list exactly those.

mod common;

use std::collections::BTreeSet;

use arrow::array::RecordBatch;
use arrow::util::display::array_value_to_string;
use datafusion::prelude::SessionContext;
use partylink::enrich;

/// A table of hand-written rows: `columns` names them, `rows` are SQL value lists.
async fn table(ctx: &SessionContext, name: &str, columns: &str, rows: &[&str]) {
    let sql = format!("create table {name} as select * from (values {}) as t({columns})", rows.join(", "));
    ctx.sql(&sql).await.unwrap().collect().await.unwrap();
}

/// Runs the stage that makes `table` and returns `columns` of its rows, as text.
async fn stage(ctx: &SessionContext, made: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let stage = enrich::all_stages().find(|s| s.table() == made).unwrap();
    let batch: RecordBatch = enrich::query(ctx, stage.sql).await.unwrap();
    (0..batch.num_rows())
        .map(|i| {
            columns
                .iter()
                .map(|c| {
                    let array = batch.column_by_name(c).unwrap();
                    if array.is_null(i) { "null".into() } else { array_value_to_string(array, i).unwrap() }
                })
                .collect()
        })
        .collect()
}

fn rows(expected: &[&[&str]]) -> Vec<Vec<String>> {
    expected.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

/// Every power_basis of DPI's reading.
const DPI_BASES: &[&str] = &[
    "dpi_executive",
    "dpi_government_party",
    "dpi_opposition_party",
    "outside_dpi_government",
    "dpi_other_government_parties",
    "dpi_other_government_parties_missing",
    "dpi_government_placeholder",
    "dpi_government_slot_missing",
    "dpi_government_alliance",
    "dpi_government_party_unlinked",
    "dpi_link_disputed",
    "dpi_names_party_elsewhere",
    "dpi_names_no_government_party",
    "dpi_no_country_year",
];

/// Every power_basis of the reading on the date.
const ON_DATE_BASES: &[&str] = &[
    "parlgov_cabinet",
    "parlgov_caretaker_cabinet",
    "parlgov_nonpartisan_cabinet",
    "parlgov_cabinet_party_unlinked",
    "parlgov_cabinet_alliance",
    "dpi_stable",
    "dpi_changes_in_year",
    "dpi_no_next_year",
    "dpi_status_unknown",
];

/// What a contact without a matched party gets in both readings.
const OUTCOME_BASES: &[&str] = &["non_party", "not_a_party", "review_party", "review_country"];

#[tokio::test]
async fn a_list_of_government_parties_is_complete_only_when_dpi_says_so() {
    let ctx = enrich::create_context();
    // One country-year per reason. DPI's -999 is null by the time the stage reads it.
    table(
        &ctx,
        "dpi",
        "iso3, year, govoth, govothst, gov1me, gov2me, gov3me",
        &[
            "('AAA', 2010, 0, 0, 'A', null, null)",
            "('BRA', 2010, 6, 100, 'PT', 'PMDB', 'PP')",
            "('FRA', 2002, 0, 28, 'PS', 'Communists', 'MRG')",
            "('COG', 2002, cast(null as bigint), cast(null as bigint), 'PCT', null, null)",
            "('JOR', 2010, 0, 0, 'A', 'Appointees', null)",
            "('SSD', 2011, 0, 0, null, null, null)",
            "('ITA', 2007, 0, 0, 'L''Unione', null, null)",
            "('GBR', 2012, 0, 0, 'Conservative', 'LDP', null)",
            "('AFG', 2010, 0, 0, null, null, null)",
        ],
    )
    .await;
    table(&ctx, "dpi_placeholders", "value", &["('Appointees')"]).await;
    table(&ctx, "dpi_alliances", "iso3, dpi_party, year_first, year_last", &["('ITA', 'L''Unione', 2008, 2008)"]).await;
    table(
        &ctx,
        "int_dpi_parties_audited",
        "iso3, year, dpi_party, role, partyfacts_id",
        &[
            "('AAA', 2010, 'A', 'government', 1)",
            "('AAA', 2010, 'B', 'opposition', 2)",
            "('BRA', 2010, 'PT', 'government', 356)",
            "('FRA', 2002, 'PS', 'government', 1478)",
            "('COG', 2002, 'PCT', 'government', 10)",
            "('JOR', 2010, 'A', 'government', 11)",
            "('SSD', 2011, 'SPLM', 'government', 12)",
            "('ITA', 2007, 'L''Unione', 'government', 1372)",
            "('GBR', 2012, 'Conservative', 'government', 1567)",
            "('GBR', 2012, 'LDP', 'government', cast(null as bigint))",
        ],
    )
    .await;
    let got = stage(&ctx, "int_dpi_country_years", &["iso3", "year", "government_list"]).await;
    assert_eq!(
        got,
        rows(&[
            &["AAA", "2010", "complete"],
            &["AFG", "2010", "no_government_party"],
            &["BRA", "2010", "other_government_parties"],
            &["COG", "2002", "other_government_parties_missing"],
            &["FRA", "2002", "other_government_parties"],
            &["GBR", "2012", "government_party_unlinked"],
            &["ITA", "2007", "government_alliance"],
            &["JOR", "2010", "government_placeholder"],
            &["SSD", "2011", "government_slot_missing"],
        ])
    );
}

#[tokio::test]
async fn dpi_decides_by_the_party_s_labels_then_by_elimination_where_the_list_is_complete() {
    let ctx = enrich::create_context();
    // Each party (id) of country XXX in 2010 is a case; the list of government parties is
    // complete unless the country-year says otherwise.
    let ids: Vec<String> = (1..=7).map(|id| format!("('XXX', 2010, {id}, {id}, 'party')")).collect();
    let mut id_rows: Vec<&str> = ids.iter().map(String::as_str).collect();
    // 20 is recorded under 21's label (a unit or a predecessor), 22 through an alliance.
    id_rows.extend(["('XXX', 2010, 20, 21, 'predecessor')", "('XXX', 2010, 20, 20, 'party')"]);
    id_rows.extend(["('XXX', 2010, 22, 22, 'party')", "('YYY', 2010, 5, 5, 'party')", "('XXX', 2011, 1, 1, 'party')"]);
    table(&ctx, "int_party_year_ids", "iso3, year, partyfacts_id, recorded_partyfacts_id, dpi_link", &id_rows).await;
    table(
        &ctx,
        "dpi_alliances",
        "iso3, dpi_party, year_first, year_last, member_partyfacts_id",
        &["('XXX', 'ALLY', 2010, 2010, 22)"],
    )
    .await;
    table(
        &ctx,
        "int_dpi_parties_audited",
        "iso3, year, dpi_party, role, holds_executive, in_government, in_opposition, partyfacts_id, source_partyfacts_id, audit_decision",
        &[
            "('XXX', 2010, 'EX', 'government', true, false, false, 1, 1, 'kept')",
            "('XXX', 2010, 'GOV', 'government', false, true, false, 2, 2, 'kept')",
            "('XXX', 2010, 'OPP', 'opposition', false, false, true, 3, 3, 'kept')",
            "('XXX', 2010, 'DOUBT', 'government', false, true, false, cast(null as bigint), 4, 'unlinked')",
            "('XXX', 2010, 'PRED', 'government', false, true, false, 21, 21, 'kept')",
            "('XXX', 2010, 'ALLY', 'government', false, true, false, 99, 99, 'kept')",
            "('ZZZ', 2010, 'ABROAD', 'government', false, true, false, 6, 6, 'kept')",
        ],
    )
    .await;
    table(
        &ctx,
        "int_dpi_country_years",
        "iso3, year, government_list",
        &["('XXX', 2010, 'complete')", "('YYY', 2010, 'other_government_parties')"],
    )
    .await;
    let got = stage(
        &ctx,
        "int_party_years_powered",
        &["iso3", "year", "partyfacts_id", "dpi_party", "dpi_link", "power_status", "power_basis"],
    )
    .await;
    let by_id = |iso3: &str, year: &str, id: &str| -> (String, String, String, String) {
        let r = got
            .iter()
            .find(|r| r[0] == iso3 && r[1] == year && r[2] == id)
            .unwrap_or_else(|| panic!("{iso3} {id}: {got:?}"));
        (r[3].clone(), r[4].clone(), r[5].clone(), r[6].clone())
    };
    let status = |iso3, year, id| {
        let (_, _, s, b) = by_id(iso3, year, id);
        (s, b)
    };
    let pair = |s: &str, b: &str| (s.to_string(), b.to_string());
    assert_eq!(status("XXX", "2010", "1"), pair("government", "dpi_executive"));
    assert_eq!(status("XXX", "2010", "2"), pair("government", "dpi_government_party"));
    assert_eq!(status("XXX", "2010", "3"), pair("opposition", "dpi_opposition_party"));
    assert_eq!(
        status("XXX", "2010", "4"),
        pair("unknown", "dpi_link_disputed"),
        "the import's link the audit could not vouch for"
    );
    assert_eq!(status("XXX", "2010", "6"), pair("unknown", "dpi_names_party_elsewhere"), "DPI names it in ZZZ");
    assert_eq!(status("XXX", "2010", "7"), pair("opposition", "outside_dpi_government"));
    assert_eq!(status("YYY", "2010", "5"), pair("unknown", "dpi_other_government_parties"));
    assert_eq!(status("XXX", "2011", "1"), pair("unknown", "dpi_no_country_year"));
    assert_eq!(
        by_id("XXX", "2010", "20"),
        ("PRED".into(), "predecessor".into(), "government".into(), "dpi_government_party".into())
    );
    assert_eq!(
        by_id("XXX", "2010", "22"),
        ("ALLY".into(), "alliance".into(), "government".into(), "dpi_government_party".into())
    );
}

#[tokio::test]
async fn the_reading_on_the_date_needs_dpi_to_agree_on_1_january_of_both_years() {
    let ctx = enrich::create_context();
    let decision = |d: i32, id: i64, year: i32, outcome: &str| {
        format!(
            "({d}, 1, 1, {year}, 'X', 'XXX', 'p', 'p', 'party', {id}, 'exact_name', 1.0, 'p', '{outcome}', 1, cast(null as bigint))"
        )
    };
    let decisions = [
        decision(0, 1, 2010, "matched"),
        decision(1, 2, 2010, "matched"),
        decision(2, 3, 2010, "matched"),
        decision(3, 4, 2017, "matched"),
        "(4, 1, 0, 2010, 'X', 'XXX', 'p', cast(null as varchar), 'party', cast(null as bigint), cast(null as varchar), \
         cast(null as double), cast(null as varchar), 'review_party', 1, cast(null as bigint))"
            .to_string(),
    ];
    let decisions: Vec<&str> = decisions.iter().map(String::as_str).collect();
    table(
        &ctx,
        "contact_decisions",
        "decision, party_seq, parties_in_contact, year, country, iso3, partner, partner_part, partner_kind, partyfacts_id, match_method, match_score, matched_name, outcome, contacts, cabinet_id",
        &decisions,
    )
    .await;
    let powered = |id: i64, year: i32, status: &str, basis: &str| {
        format!("('XXX', {year}, {id}, 'L', 'party', cast(null as varchar), '{status}', '{basis}')")
    };
    let powered_rows = [
        powered(1, 2010, "government", "dpi_executive"),
        powered(1, 2011, "government", "dpi_executive"),
        powered(2, 2010, "government", "dpi_executive"),
        powered(2, 2011, "opposition", "dpi_opposition_party"),
        powered(3, 2010, "government", "dpi_executive"),
        powered(3, 2011, "unknown", "dpi_other_government_parties"),
        powered(4, 2017, "government", "dpi_executive"),
        powered(4, 2018, "unknown", "dpi_no_country_year"),
    ];
    let powered_rows: Vec<&str> = powered_rows.iter().map(String::as_str).collect();
    table(
        &ctx,
        "int_party_years_powered",
        "iso3, year, partyfacts_id, dpi_party, dpi_link, dpi_other_country, power_status, power_basis",
        &powered_rows,
    )
    .await;
    table(
        &ctx,
        "int_party_cabinets_powered",
        "iso3, year, cabinet_id, partyfacts_id, power_status, power_basis",
        &["('XXX', 1900, 1, 1, 'x', 'x')"],
    )
    .await;
    table(&ctx, "stg_fh_ratings", "iso3, year, status, regime, pr, cl", &["('XXX', 2010, 'F', 'free', 1, 1)"]).await;
    table(&ctx, "pf_core", "partyfacts_id, name, name_english", &["(1, 'One', '')"]).await;
    table(
        &ctx,
        "run_settings",
        "interaction_window_days, power_source, period_from, period_to",
        &["(7, 'dpi', 2002, 2017)"],
    )
    .await;
    let got = stage(&ctx, "enriched_decisions", &["decision", "power_status_on_date", "power_basis_on_date"]).await;
    assert_eq!(
        got,
        rows(&[
            &["0", "government", "dpi_stable"],
            &["1", "unknown", "dpi_changes_in_year"],
            &["2", "unknown", "dpi_status_unknown"],
            &["3", "unknown", "dpi_no_next_year"],
            &["4", "unknown", "review_party"],
        ])
    );
}

#[tokio::test]
async fn a_cabinet_party_that_is_an_alliance_counts_its_listed_members() {
    let ctx = enrich::create_context();
    // Cabinet 7 of ITA is held by party 1372, the id DPI's alliance label L'Unione links to;
    // its members are listed for 2007 only.
    table(
        &ctx,
        "contact_decisions",
        "iso3, year, cabinet_id, partyfacts_id",
        &["('ITA', 2007, 7, 878)", "('ITA', 2007, 7, 1404)", "('ITA', 2009, 7, 1404)"],
    )
    .await;
    table(
        &ctx,
        "int_party_year_ids",
        "iso3, year, partyfacts_id, recorded_partyfacts_id, dpi_link",
        &[
            "('ITA', 2007, 878, 878, 'party')",
            "('ITA', 2007, 1404, 1404, 'party')",
            "('ITA', 2009, 1404, 1404, 'party')",
        ],
    )
    .await;
    table(
        &ctx,
        "stg_parlgov_cabinet_parties",
        "cabinet_id, partyfacts_id, cabinet_party, no_party, caretaker",
        &["(7, 1372, true, false, false)", "(7, 1404, false, false, false)"],
    )
    .await;
    table(&ctx, "pf_core", "partyfacts_id, year_last", &["(1372, 2008)"]).await;
    table(
        &ctx,
        "party_successions",
        "iso3, predecessor_partyfacts_id, successor_partyfacts_id, year",
        &["('ITA', 1, 2, 2000)"],
    )
    .await;
    table(
        &ctx,
        "dpi_alliances",
        "iso3, dpi_party, year_first, year_last, member_partyfacts_id",
        &["('ITA', 'L''Unione', 2007, 2007, 878)"],
    )
    .await;
    table(
        &ctx,
        "int_dpi_parties_audited",
        "iso3, year, dpi_party, partyfacts_id",
        &["('ITA', 2007, 'L''Unione', 1372)"],
    )
    .await;
    table(&ctx, "crosswalk_settings", "link_years_after, link_years_before", &["(5, 1)"]).await;
    let got =
        stage(&ctx, "int_party_cabinets_powered", &["year", "partyfacts_id", "power_status", "power_basis"]).await;
    assert_eq!(
        got,
        rows(&[
            &["2007", "878", "government", "parlgov_cabinet"],
            &["2007", "1404", "opposition", "parlgov_cabinet"],
            &["2009", "1404", "unknown", "parlgov_cabinet_alliance"],
        ])
    );
}

#[tokio::test]
async fn the_audit_decides_every_flagged_link() {
    let ctx = enrich::create_context();
    // One label per decision, in one country-year.
    table(
        &ctx,
        "int_dpi_parties_linked",
        "iso3, year, dpi_party, role, holds_executive, in_government, in_opposition, slot, seats, import_name, import_name_short, source_partyfacts_id, source_link, link_score, corrected, corrected_by, partyfacts_id",
        &[
            "('X', 2010, 'KEPT', 'government', true, false, false, cast(null as varchar), 1, cast(null as varchar), cast(null as varchar), 1, 'partyfacts_dpi_import', 1.0, false, cast(null as varchar), 1)",
            "('X', 2010, 'CONF', 'government', false, true, false, 'gov1', 1, null, null, 2, 'partyfacts_dpi_import', 1.0, false, null, 2)",
            "('X', 2010, 'RELINK', 'opposition', false, false, true, 'opp1', 1, null, null, 3, 'partyfacts_dpi_import', 1.0, false, null, 3)",
            "('X', 2010, 'UNREAD', 'opposition', false, false, true, 'opp2', 1, null, null, 4, 'partyfacts_dpi_import', 1.0, false, null, 4)",
            "('X', 2010, 'FIXED', 'opposition', false, false, true, 'opp3', 1, null, null, 5, 'partyfacts_dpi_import', 1.0, true, 'me', 50)",
            "('X', 2010, 'NONE', 'opposition', false, false, true, 'opp3', 1, null, null, cast(null as bigint), 'none', cast(null as double), false, null, cast(null as bigint))",
            "('X', 2010, 'CLASH_G', 'government', false, true, false, 'gov2', 1, null, null, 6, 'resolver_fuzzy', 0.9, false, null, 6)",
            "('X', 2010, 'CLASH_O', 'opposition', false, false, true, 'opp1', 1, null, null, 8, 'partyfacts_dpi_import', 1.0, false, null, 8)",
        ],
    )
    .await;
    table(
        &ctx,
        "int_dpi_link_checks",
        "iso3, year, dpi_party, links, flagged, checks, reads_link, reading_partyfacts_id",
        &[
            "('X', 2010, 'KEPT', 'corrected', false, '', true, 1)",
            "('X', 2010, 'CONF', 'corrected', true, 'years_apart', true, 2)",
            "('X', 2010, 'RELINK', 'corrected', true, 'names_point_elsewhere', false, 30)",
            "('X', 2010, 'UNREAD', 'corrected', true, 'labels_share_id', false, cast(null as bigint))",
            "('X', 2010, 'FIXED', 'corrected', false, '', false, cast(null as bigint))",
            // The resolver relinks CLASH_O onto 6, which CLASH_G holds in government.
            "('X', 2010, 'CLASH_G', 'corrected', false, '', true, 6)",
            "('X', 2010, 'CLASH_O', 'corrected', true, 'names_point_elsewhere', false, 6)",
        ],
    )
    .await;
    let got =
        stage(&ctx, "int_dpi_parties_audited", &["dpi_party", "partyfacts_id", "link_method", "audit_decision"]).await;
    assert_eq!(
        got,
        rows(&[
            &["CLASH_G", "null", "none", "unlinked_conflict"],
            &["CLASH_O", "null", "none", "unlinked_conflict"],
            &["CONF", "2", "partyfacts_dpi_import", "confirmed"],
            &["FIXED", "50", "correction", "corrected"],
            &["KEPT", "1", "partyfacts_dpi_import", "kept"],
            &["NONE", "null", "none", "no_link"],
            &["RELINK", "30", "audit_relinked", "relinked"],
            &["UNREAD", "null", "none", "unlinked"],
        ])
    );
}

/// The README's power_basis tables (those whose header starts "| power_basis") list exactly
/// the values asserted above and in tests/power_on_date.rs.
#[test]
fn the_readme_lists_every_power_basis() {
    let readme = std::fs::read_to_string(common::repo("README.md")).unwrap();
    let mut listed = BTreeSet::new();
    let mut in_table = false;
    for line in readme.lines() {
        if line.starts_with("| power_basis") {
            in_table = true;
        } else if !line.starts_with('|') {
            in_table = false;
        } else if in_table && !line.starts_with("|---") {
            let first = line.split('|').nth(1).unwrap();
            listed.extend(first.split(',').map(|v| v.trim().trim_matches('`').to_string()));
        }
    }
    let all: BTreeSet<String> =
        DPI_BASES.iter().chain(ON_DATE_BASES).chain(OUTCOME_BASES).map(|v| v.to_string()).collect();
    assert_eq!(listed, all);
}
