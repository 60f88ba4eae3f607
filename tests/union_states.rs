//! Union and predecessor states (`reference/union_states.csv`) on the real sources: a party of a
//! member resolves in a contact under the union in the years of the membership, with the union's
//! Freedom House status and the DPI status of the union's own rows; and the table holds against
//! Party Facts' files.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{cell, data, partylink, read_csv, repo, stderr, tempdir};

#[test]
fn a_members_party_resolves_under_its_union_state() {
    let dir = tempdir();
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(
        &contacts,
        "contact_id,date,country,partner,venue,partner_kind,news_id\n\
         u1,2004-05-06,Serbia and Montenegro,Socialist Party of Serbia (SPS),china,party,n1\n\
         u2,2004-05-06,Serbia and Montenegro,Democratic Party of Socialists of Montenegro,china,party,n2\n\
         u3,2005-03-01,Yugoslavia,Democratic Party of Serbia,china,party,n3\n\
         u4,1999-05-06,Yugoslavia,Socialist Party of Serbia,china,party,n4\n\
         u5,2010-04-01,Serbia and Montenegro,Socialist Party of Serbia,china,party,n5\n\
         u6,1989-05-06,Soviet Union,Communist Party of the Soviet Union,china,party,n6\n\
         u7,1989-05-06,Czechoslovakia,Communist Party of Czechoslovakia,china,party,n7\n\
         u8,2004-05-06,Serbia,Socialist Party of Serbia,china,party,n8\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let args = ["run", "--quiet", "--no-report", "--period", "all", "--contacts", contacts.to_str().unwrap()];
    let output = partylink(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    let (headers, rows) = read_csv(&out.join("enriched_contacts.csv"));
    let got: BTreeMap<&str, [&str; 5]> = rows
        .iter()
        .map(|r| {
            let c = |column| cell(&headers, r, column);
            (
                c("contact_id"),
                [c("partyfacts_id"), c("match_method"), c("power_status"), c("power_basis"), c("fh_status")],
            )
        })
        .collect();
    // The State Union: Party Facts' SRB and MNE parties; Freedom House rates it (Free in
    // 2004); DPI2017 has no row for it.
    assert_eq!(got["u1"], ["2178", "exact_name", "unknown", "dpi_no_country_year", "F"]);
    assert_eq!(got["u2"], ["3162", "exact_name", "unknown", "dpi_no_country_year", "F"]);
    // "Yugoslavia" in 2005: rated as Serbia and Montenegro (fh_country_fallbacks.csv); DPI's
    // Yugoslavia rows of 2002-2017 name no party.
    assert_eq!(got["u3"], ["2190", "exact_name", "unknown", "dpi_names_no_government_party", "F"]);
    // Yugoslavia in 1999: DPI names the SPS as the executive's party.
    assert_eq!(got["u4"], ["2178", "exact_name", "government", "dpi_executive", "PF"]);
    // The State Union ended in 2006: no member's party is a candidate under it in 2010.
    assert_eq!(got["u5"], ["", "", "unknown", "review_party", "unknown"]);
    // The CPSU is filed under Russia, Estonia and Kazakhstan; DPI names Russia's entry.
    assert_eq!(got["u6"], ["4784", "dpi_tiebreak", "government", "dpi_executive", "NF"]);
    assert_eq!(got["u7"][..2], ["1041", "exact_name"]);
    // The member itself is unchanged, with Freedom House's rating of the State Union.
    assert_eq!(got["u8"], ["2178", "exact_name", "unknown", "dpi_no_country_year", "F"]);
}

#[test]
fn union_states_hold_against_party_facts() {
    let (countries, spellings) = read_csv(&repo("reference/countries.csv"));
    let iso3 = |spelling: &str| {
        spellings
            .iter()
            .find(|r| cell(&countries, r, "spelling") == spelling || cell(&countries, r, "iso3") == spelling)
            .map(|r| cell(&countries, r, "iso3").to_string())
            .unwrap_or_else(|| panic!("{spelling} is not in countries.csv"))
    };
    let (headers, rows) = read_csv(&data("partyfacts/partyfacts-core-parties.csv"));
    let filed: BTreeSet<String> = rows
        .iter()
        .filter(|r| cell(&headers, r, "technical").is_empty())
        .map(|r| iso3(cell(&headers, r, "country")))
        .collect();
    let (headers, rows) = read_csv(&repo("reference/union_states.csv"));
    assert!(!rows.is_empty());
    for r in &rows {
        let (union, member) = (iso3(cell(&headers, r, "country")), iso3(cell(&headers, r, "member")));
        assert!(!filed.contains(&union), "Party Facts files parties under {union} itself: {r:?}");
        assert!(filed.contains(&member), "Party Facts files no party under {member}: {r:?}");
    }
}
