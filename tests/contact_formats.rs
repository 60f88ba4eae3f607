//! Contacts as CSV, Parquet and JSON lines give the same enriched rows; extra columns pass through.

mod common;

use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{Field, Schema};
use common::{partylink, read_csv, stderr, tempdir};

const CONTACTS: [(&str, &str, &str, &str, i64); 3] = [
    ("c1", "2010-03-04", "Germany", "Social Democratic Party of Germany (SPD)", 7),
    ("c2", "2016-05-06", "Viet Nam", "Communist Party of Vietnam", 8),
    ("c3", "2010-07-08", "Japan", "Japan's Liberal Democratic Party", 9),
];

fn run(contacts: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let out = tempdir();
    let output =
        partylink(&["run", "--quiet", "--contacts", contacts.to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "--quiet prints nothing");
    read_csv(&out.path().join("enriched_contacts.csv"))
}

#[test]
fn csv_parquet_and_json_lines_agree() {
    let dir = tempdir();
    let csv_path = dir.path().join("c.csv");
    let mut csv_text = String::from("contact_id,date,country,partner,pages\n");
    for (id, date, country, partner, pages) in CONTACTS {
        csv_text.push_str(&format!("{id},{date},{country},\"{partner}\",{pages}\n"));
    }
    std::fs::write(&csv_path, csv_text).unwrap();

    let jsonl_path = dir.path().join("c.jsonl");
    let jsonl: String = CONTACTS
        .iter()
        .map(|(id, date, country, partner, pages)| {
            format!("{}\n", serde_json::json!({"contact_id": id, "date": date, "country": country, "partner": partner, "pages": pages}))
        })
        .collect();
    std::fs::write(&jsonl_path, jsonl).unwrap();

    // Parquet with a real date column and an integer pass-through column.
    let parquet_path = dir.path().join("c.parquet");
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let days: Date32Array = CONTACTS
        .iter()
        .map(|c| Some((chrono::NaiveDate::parse_from_str(c.1, "%Y-%m-%d").unwrap() - epoch).num_days() as i32))
        .collect();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(CONTACTS.iter().map(|c| Some(c.0)).collect::<StringArray>()),
        Arc::new(days),
        Arc::new(CONTACTS.iter().map(|c| Some(c.2)).collect::<StringArray>()),
        Arc::new(CONTACTS.iter().map(|c| Some(c.3)).collect::<StringArray>()),
        Arc::new(CONTACTS.iter().map(|c| Some(c.4)).collect::<Int64Array>()),
    ];
    let fields: Vec<Field> = ["contact_id", "date", "country", "partner", "pages"]
        .iter()
        .zip(&columns)
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(std::fs::File::create(&parquet_path).unwrap(), batch.schema(), None)
            .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    // source_row is where each row stands in its file: a CSV line, a JSON line, a Parquet record.
    let without_source_row = |(headers, rows): (Vec<String>, Vec<Vec<String>>)| {
        let at = headers.iter().position(|h| h == "source_row").unwrap();
        let drop =
            |row: &Vec<String>| row.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, c)| c.clone()).collect();
        (drop(&headers), rows.iter().map(drop).collect::<Vec<Vec<String>>>())
    };
    let from_csv = run(&csv_path);
    let source_rows = |(headers, rows): &(Vec<String>, Vec<Vec<String>>)| {
        let at = headers.iter().position(|h| h == "source_row").unwrap();
        rows.iter().map(|r| r[at].clone()).collect::<Vec<_>>()
    };
    assert_eq!(source_rows(&from_csv), ["2", "3", "4"], "CSV lines, after the header");
    assert_eq!(source_rows(&run(&parquet_path)), ["1", "2", "3"], "Parquet records");
    let from_csv = without_source_row(from_csv);
    assert_eq!(from_csv, without_source_row(run(&jsonl_path)));
    assert_eq!(from_csv, without_source_row(run(&parquet_path)));

    let (headers, rows) = from_csv;
    assert_eq!(headers.last().unwrap(), "pages");
    assert_eq!(rows.iter().map(|r| r.last().unwrap().as_str()).collect::<Vec<_>>(), ["7", "8", "9"]);
    let status = headers.iter().position(|h| h == "power_status").unwrap();
    assert_eq!(rows.iter().map(|r| r[status].as_str()).collect::<Vec<_>>(), ["opposition", "government", "opposition"]);
}
