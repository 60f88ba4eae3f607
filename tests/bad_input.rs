//! Bad input of each kind: the error names the file, row and column, the exit code is 1, and the
//! output directory is left without partial outputs.

mod common;

use std::path::Path;

use common::{data, files_under, partylink, stderr, tempdir};

const HEADER: &str = "contact_id,date,country,partner,venue,partner_kind,news_id";

/// Runs with `contacts` (and extra arguments) into a fresh out dir; returns the error text.
fn failing_run(contacts: &Path, extra: &[&str]) -> String {
    let out = tempdir();
    let mut args = vec!["run", "--contacts", contacts.to_str().unwrap(), "--out", out.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = partylink(&args);
    assert_eq!(output.status.code(), Some(1), "should fail: {}", stderr(&output));
    assert!(files_under(out.path()).is_empty(), "partial outputs left: {:?}", files_under(out.path()));
    stderr(&output)
}

fn contacts_file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn missing_column() {
    let dir = tempdir();
    let path = contacts_file(dir.path(), "c.csv", "contact_id,date,country\nc1,2010-01-02,Germany\n");
    let error = failing_run(&path, &[]);
    assert!(error.contains("c.csv, column \"partner\": missing required column"), "{error}");
}

#[test]
fn a_non_date_in_date() {
    let dir = tempdir();
    let text =
        format!("{HEADER}\nc1,2010-01-02,Germany,SPD,china,party,n1\nc2,2010-13-45,Germany,SPD,china,party,n2\n");
    let path = contacts_file(dir.path(), "c.csv", &text);
    let error = failing_run(&path, &[]);
    assert!(
        error.contains("c.csv, row 3, column \"date\", value \"2010-13-45\": not a date in the form YYYY-MM-DD"),
        "{error}"
    );
}

#[test]
fn duplicate_contact_id() {
    let dir = tempdir();
    let text =
        format!("{HEADER}\nc1,2010-01-02,Germany,SPD,china,party,n1\nc1,2010-01-03,Germany,CDU,china,party,n2\n");
    let path = contacts_file(dir.path(), "c.csv", &text);
    let error = failing_run(&path, &[]);
    assert!(
        error.contains("c.csv, row 3, column \"contact_id\", value \"c1\": duplicate contact_id, first used at row 2"),
        "{error}"
    );
}

#[test]
fn duplicate_contact_id_in_json_lines() {
    let dir = tempdir();
    let text = "{\"contact_id\":\"c1\",\"date\":\"2010-01-02\",\"country\":\"Germany\",\"partner\":\"SPD\"}\n\n\
                {\"contact_id\":\"c1\",\"date\":\"2010-01-02\",\"country\":\"Germany\",\"partner\":\"CDU\"}\n";
    let path = contacts_file(dir.path(), "c.jsonl", text);
    let error = failing_run(&path, &[]);
    assert!(
        error
            .contains("c.jsonl, row 3, column \"contact_id\", value \"c1\": duplicate contact_id, first used at row 1"),
        "{error}"
    );
}

#[test]
fn a_control_character_in_a_contact_id() {
    let dir = tempdir();
    let text =
        format!("{HEADER}\nc1,2010-01-02,Germany,SPD,china,party,n1\nc\u{1f}2,2010-01-03,Germany,CDU,china,party,n2\n");
    let path = contacts_file(dir.path(), "c.csv", &text);
    let error = failing_run(&path, &[]);
    assert!(
        error.contains(
            r#"c.csv, row 3, column "contact_id", value "c\u{1f}2": a contact_id may not hold control characters"#
        ),
        "{error}"
    );
}

#[test]
fn a_bad_venue() {
    let dir = tempdir();
    let text = format!("{HEADER}\nc1,2010-01-02,Germany,SPD,Beijing,party,n1\n");
    let path = contacts_file(dir.path(), "c.csv", &text);
    let error = failing_run(&path, &[]);
    assert!(
        error.contains("c.csv, row 2, column \"venue\", value \"Beijing\": venue must be china or abroad"),
        "{error}"
    );
}

#[test]
fn unknown_contacts_format() {
    let dir = tempdir();
    let path = contacts_file(dir.path(), "c.txt", "whatever");
    let error = failing_run(&path, &[]);
    assert!(error.contains("c.txt: unknown contacts format"), "{error}");
}

#[test]
fn freedom_house_workbook_with_a_renamed_sheet() {
    let dir = tempdir();
    let fh = dir.path().join("fiw.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("Country Ratings").unwrap().write(0, 0, "Survey Edition").unwrap();
    workbook.save(&fh).unwrap();
    let contacts = contacts_file(dir.path(), "c.csv", &format!("{HEADER}\nc1,2010-01-02,Germany,SPD,china,party,n1\n"));
    let error = failing_run(&contacts, &["--fh", fh.to_str().unwrap()]);
    assert!(error.contains("fiw.xlsx: no sheet named \"Country Ratings, Statuses\""), "{error}");
}

#[test]
fn dpi_file_with_a_missing_column() {
    let dir = tempdir();
    let original = std::fs::read_to_string(data("dpi/DPI2017_basefile_Jan2018.csv")).unwrap();
    let renamed = original.replacen("gov1seat", "gov1seats", 1);
    let dpi = contacts_file(dir.path(), "dpi.csv", &renamed);
    let contacts = contacts_file(dir.path(), "c.csv", &format!("{HEADER}\nc1,2010-01-02,Germany,SPD,china,party,n1\n"));
    let error = failing_run(&contacts, &["--dpi", dpi.to_str().unwrap()]);
    assert!(error.contains("dpi.csv, column \"gov1seat\": missing required column"), "{error}");
}

#[test]
fn dpi_file_with_a_bad_number() {
    let dir = tempdir();
    let original = std::fs::read_to_string(data("dpi/DPI2017_basefile_Jan2018.csv")).unwrap();
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    // The year of the tenth data row (line 11) becomes text.
    let mut cells: Vec<String> = lines[10].split(',').map(str::to_string).collect();
    cells[2] = "twenty".into();
    lines[10] = cells.join(",");
    let dpi = contacts_file(dir.path(), "dpi.csv", &(lines.join("\n") + "\n"));
    let contacts = contacts_file(dir.path(), "c.csv", &format!("{HEADER}\nc1,2010-01-02,Germany,SPD,china,party,n1\n"));
    let error = failing_run(&contacts, &["--dpi", dpi.to_str().unwrap()]);
    assert!(error.contains("dpi.csv, row 11, column \"year\", value \"twenty\": not a whole number"), "{error}");
}

#[test]
fn a_failed_run_keeps_the_previous_outputs() {
    let dir = tempdir();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("enriched_contacts.csv"), "previous run\n").unwrap();
    let contacts = contacts_file(dir.path(), "c.csv", &format!("{HEADER}\nc1,not-a-date,Germany,SPD,china,party,n1\n"));
    let output = partylink(&["run", "--contacts", contacts.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(out.join("enriched_contacts.csv")).unwrap(), "previous run\n");
    assert_eq!(files_under(&out), ["enriched_contacts.csv"]);
}
