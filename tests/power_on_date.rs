//! Power status on the day of the contact: ParlGov's cabinet in office (a small cabinet file
//! written here, with ParlGov's real party ids), else DPI where it agrees on 1 January of the
//! year and of the next; and --power-source choosing the reading that feeds the tables.

mod common;

use std::path::{Path, PathBuf};

use common::{cell, partylink, read_csv, stderr, tempdir};

const CABINET_HEADER: &str = "country_name_short,start_date,cabinet_name,caretaker,cabinet_party,prime_minister,\
                              cabinet_id,previous_cabinet_id,party_id,party_name_short,party_name_english";

/// Japan's cabinets as ParlGov ids its parties (1193 LDP, 439 DPJ, 905 ministers of no party):
/// Aso from 24/09/2008, Hatoyama from 16/09/2009, a caretaker from 01/03/2010, a cabinet of
/// ministers of no party from 01/05/2010, and one with a party Party Facts does not know from
/// 15/05/2010 (the file's last start).
const CABINETS: &str = "\
JPN,24/09/2008,Aso,0,1,1,100,,1193,LDP,Liberal Democratic Party
JPN,24/09/2008,Aso,0,0,0,100,,439,DPJ,Democratic Party of Japan
JPN,16/09/2009,Hatoyama,0,1,1,101,100,439,DPJ,Democratic Party of Japan
JPN,16/09/2009,Hatoyama,0,0,0,101,100,1193,LDP,Liberal Democratic Party
JPN,01/03/2010,Caretaker,1,1,1,102,101,439,DPJ,Democratic Party of Japan
JPN,01/03/2010,Caretaker,1,0,0,102,101,1193,LDP,Liberal Democratic Party
JPN,01/05/2010,Technocrats,1,1,1,103,102,905,none,no party affiliation
JPN,01/05/2010,Technocrats,1,0,0,103,102,439,DPJ,Democratic Party of Japan
JPN,15/05/2010,Newcomers,0,1,1,104,103,999999,NEW,A party Party Facts does not know
JPN,15/05/2010,Newcomers,0,0,0,104,103,439,DPJ,Democratic Party of Japan
";

const CONTACTS: &str = "contact_id,date,country,partner
before,2009-09-15,Japan,Democratic Party of Japan
first_day,2009-09-16,Japan,Democratic Party of Japan
ldp_first_day,2009-09-16,Japan,Liberal Democratic Party
caretaker,2010-03-05,Japan,Democratic Party of Japan
ldp_caretaker,2010-03-05,Japan,Liberal Democratic Party
technocrats,2010-05-05,Japan,Democratic Party of Japan
unlinked,2010-05-15,Japan,Democratic Party of Japan
after_the_file,2010-06-02,Japan,Democratic Party of Japan
before_the_file,2008-03-01,Japan,Democratic Party of Japan
stable,2010-05-01,Vietnam,Communist Party of Vietnam
last_dpi_year,2017-05-01,Vietnam,Communist Party of Vietnam
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the contacts with a cabinet file into `dir/out`.
fn run(dir: &Path, cabinets: &str, extra: &[&str]) -> std::process::Output {
    let cabinets = write(dir, "view_cabinet.csv", &format!("{CABINET_HEADER}\n{cabinets}"));
    let contacts = write(dir, "contacts.csv", CONTACTS);
    let out = dir.join("out");
    let mut args = vec!["run", "--contacts", contacts.to_str().unwrap(), "--parlgov-cabinets"];
    args.extend([cabinets.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    args.extend_from_slice(extra);
    partylink(&args)
}

/// Runs the contacts with the small cabinet file; returns the enriched contacts.
fn run_with_cabinets(extra: &[&str]) -> (tempfile::TempDir, Vec<String>, Vec<Vec<String>>) {
    let dir = tempdir();
    let output = run(dir.path(), CABINETS, extra);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = dir.path().join("out");
    let (headers, rows) = read_csv(&out.join("enriched_contacts.csv"));
    (dir, headers, rows)
}

fn on_date<'a>(headers: &[String], rows: &'a [Vec<String>], id: &str) -> (&'a str, &'a str) {
    let row = rows.iter().find(|r| cell(headers, r, "contact_id") == id).unwrap();
    (cell(headers, row, "power_status_on_date"), cell(headers, row, "power_basis_on_date"))
}

#[test]
fn the_cabinet_in_office_on_the_day_decides() {
    let (_dir, headers, rows) = run_with_cabinets(&[]);
    let got = |id| on_date(&headers, &rows, id);
    assert_eq!(got("before"), ("opposition", "parlgov_cabinet"), "the day before Hatoyama took office");
    assert_eq!(got("first_day"), ("government", "parlgov_cabinet"), "Hatoyama's first day");
    assert_eq!(got("ldp_first_day"), ("opposition", "parlgov_cabinet"));
    assert_eq!(got("caretaker"), ("government", "parlgov_caretaker_cabinet"));
    assert_eq!(got("ldp_caretaker"), ("opposition", "parlgov_caretaker_cabinet"));
    assert_eq!(got("technocrats"), ("unknown", "parlgov_nonpartisan_cabinet"));
    assert_eq!(got("unlinked"), ("unknown", "parlgov_cabinet_party_unlinked"));
    // Outside the file's dates DPI speaks: the DPJ governs on 1 January 2010 and 2011, and is
    // in opposition on 1 January 2008 and 2009.
    assert_eq!(got("after_the_file"), ("government", "dpi_stable"));
    assert_eq!(got("before_the_file"), ("opposition", "dpi_stable"));
    assert_eq!(got("stable"), ("government", "dpi_stable"));
    assert_eq!(got("last_dpi_year"), ("unknown", "dpi_no_next_year"), "DPI2017 has no 2018");
    // The DPI reading feeds power_status by default: the DPJ is in opposition in DPI 2009.
    let first_day = rows.iter().find(|r| cell(&headers, r, "contact_id") == "first_day").unwrap();
    assert_eq!(
        (cell(&headers, first_day, "power_status"), cell(&headers, first_day, "power_basis")),
        ("opposition", "dpi_opposition_party")
    );
}

#[test]
fn power_source_on_date_feeds_power_status_and_the_tables() {
    let (dir, headers, rows) = run_with_cabinets(&["--power-source", "on-date"]);
    for row in &rows {
        assert_eq!(cell(&headers, row, "power_status"), cell(&headers, row, "power_status_on_date"));
        assert_eq!(cell(&headers, row, "power_basis"), cell(&headers, row, "power_basis_on_date"));
    }
    let out = dir.path().join("out");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"power_source\": \"on-date\""), "{manifest}");
    let (headers, rows) = read_csv(&out.join("interactions.csv"));
    // The LDP governs on 1 January 2009 (DPI), but not on 16 September (ParlGov).
    let ldp = rows.iter().find(|r| cell(&headers, r, "contact_ids") == "ldp_first_day").unwrap();
    assert_eq!(cell(&headers, ldp, "power_status"), "opposition");
    // The agreement table counts every party contact once, by both readings.
    let (headers, rows) = read_csv(&out.join("tables/power_source_agreement.csv"));
    let total: usize = rows.iter().map(|r| cell(&headers, r, "contacts").parse::<usize>().unwrap()).sum();
    assert_eq!(total, CONTACTS.lines().count() - 1);
    let pair = |dpi: &str, date: &str| {
        rows.iter()
            .find(|r| cell(&headers, r, "power_status_dpi") == dpi && cell(&headers, r, "power_status_on_date") == date)
            .map_or(0, |r| cell(&headers, r, "contacts").parse::<usize>().unwrap())
    };
    assert_eq!(pair("opposition", "government"), 1, "first_day: {rows:?}");
    assert_eq!(pair("government", "opposition"), 1, "ldp_first_day: {rows:?}");
}

#[test]
fn a_bad_cabinet_row_is_an_error_with_its_place() {
    let dir = tempdir();
    let output = run(dir.path(), &CABINETS.replacen("16/09/2009", "2009-09-16", 1), &[]);
    assert_eq!(output.status.code(), Some(1));
    let out = dir.path().join("out");
    let error = stderr(&output);
    assert!(
        error.contains(
            "view_cabinet.csv, row 4, column \"start_date\", value \"2009-09-16\": not a date in the form DD/MM/YYYY"
        ),
        "{error}"
    );
    assert!(!out.exists() || common::files_under(&out).is_empty());
}
