//! `partylink export` and `partylink sql` over a run's outputs.

mod common;

use common::{partylink, repo, stderr, tempdir};

fn run_sample() -> tempfile::TempDir {
    let dir = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let out = dir.path().join("out");
    let output = partylink(&["run", "--quiet", "--contacts", sample.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    dir
}

#[test]
fn sql_queries_every_output_table() {
    let dir = run_sample();
    let out = dir.path().join("out");
    let output = partylink(&[
        "sql",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "csv",
        "select count(*) as n from enriched_contacts where partner = 'Social Democratic Party of Germany (SPD)' and power_status = 'opposition'",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "n\n3\n");
    let output = partylink(&[
        "sql",
        "--out",
        out.to_str().unwrap(),
        "select rank, abbreviation from top_partners where rank = 1",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("| rank | abbreviation |") && text.contains("| 1    | DCVN         |"), "{text}");
    let output = partylink(&["sql", "--run", out.to_str().unwrap(), "select * from no_such_table"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no_such_table"));
}

#[test]
fn export_writes_each_format_with_types() {
    let dir = run_sample();
    let out = dir.path().join("out");
    let to = dir.path().join("export");
    for (format, file) in [("csv", "i.csv"), ("parquet", "i.parquet"), ("json", "i.jsonl"), ("arrow", "i.arrow")] {
        let dest = to.join(file);
        let output = partylink(&[
            "export",
            "--out",
            out.to_str().unwrap(),
            "--format",
            format,
            "--table",
            "interactions",
            "--to",
            dest.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{format}: {}", stderr(&output));
        assert!(std::fs::metadata(&dest).unwrap().len() > 0, "{format}");
    }
    // Arrow IPC keeps types: first_date is a date, contact_rows an integer.
    let reader =
        arrow::ipc::reader::FileReader::try_new(std::fs::File::open(to.join("i.arrow")).unwrap(), None).unwrap();
    let schema = reader.schema();
    assert_eq!(schema.field_with_name("first_date").unwrap().data_type(), &arrow::datatypes::DataType::Date32);
    assert_eq!(schema.field_with_name("contact_rows").unwrap().data_type(), &arrow::datatypes::DataType::Int64);
    let rows: usize = reader.map(|b| b.unwrap().num_rows()).sum();
    let csv_rows = std::fs::read_to_string(to.join("i.csv")).unwrap().lines().count() - 1;
    assert_eq!(rows, csv_rows);

    let workbook = to.join("all.xlsx");
    let output =
        partylink(&["export", "--run", out.to_str().unwrap(), "--format", "xlsx", "--to", workbook.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    use calamine::Reader;
    let mut xlsx: calamine::Xlsx<_> = calamine::open_workbook(&workbook).unwrap();
    let sheets = xlsx.sheet_names();
    for table in ["enriched_contacts", "interactions", "top_partners", "power_by_regime", "accounting"] {
        assert!(sheets.iter().any(|s| s == table), "{table} sheet missing: {sheets:?}");
    }
    let top = xlsx.worksheet_range("top_partners").unwrap();
    assert_eq!(top.get((0, 0)), Some(&calamine::Data::String("rank".into())));
    assert!(matches!(top.get((1, 0)), Some(calamine::Data::Float(r)) if *r == 1.0));

    let output =
        partylink(&["export", "--run", out.to_str().unwrap(), "--format", "csv", "--table", "nope", "--to", "x.csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no table \"nope\""));
}

#[test]
fn sql_without_a_query_reads_statements_from_stdin() {
    use std::io::Write;
    let dir = run_sample();
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_partylink"))
        .args(["sql", "--run", out.to_str().unwrap()])
        .env("HOME", dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b".tables\nselect count(*) as n\n  from accounting;\nselect * from nope;\n.quit\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "not at a terminal, a bad statement ends the script");
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(text.contains("top_partners\n"), "{text}");
    assert!(text.contains("| n |") && text.contains("| 4 |"), "a statement over two lines runs: {text}");
    assert!(stderr(&output).contains("line 4: Error during planning"), "{}", stderr(&output));
}
