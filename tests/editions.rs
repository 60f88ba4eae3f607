//! Newer editions of the sources: a Freedom House workbook with one more year and a Party Facts
//! download with one more party read without code changes; a workbook or file whose layout
//! differs fails, naming what differs.

mod common;

use calamine::{Data, Reader};
use common::{data, tempdir};
use partylink::load::paths::Source;
use partylink::load::read::{fh, partyfacts};

const FH: &str = "fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx";

/// The real workbook's two rating sheets copied cell by cell, each with one more edition block
/// after the last: edition "2025", year under review 2024, the last year's values again, and
/// `extra` as a further header after the block when given.
fn next_edition(extra: Option<&str>) -> Vec<u8> {
    let mut real = calamine::open_workbook_auto(data(FH)).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in real.sheet_names() {
        if !name.contains("Ratings, Statuses") {
            continue;
        }
        let range = real.worksheet_range(&name).unwrap();
        let ws = book.add_worksheet().set_name(&name).unwrap();
        let width = range.width();
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                write_cell(ws, r as u32, c as u16, cell);
            }
            // The new block repeats the last block's three cells (row 1: the edition; row 2: the
            // year under review; row 3: the headers; then the ratings).
            for k in 0..3 {
                let cell = match (r, k) {
                    (0, 0) => Data::String("2025".into()),
                    (1, 0) => Data::Float(2024.0),
                    (0 | 1, _) => Data::Empty,
                    _ => row[width - 3 + k].clone(),
                };
                write_cell(ws, r as u32, (width + k) as u16, &cell);
            }
            if let (Some(extra), 2) = (extra, r) {
                ws.write(2, (width + 3) as u16, extra).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn write_cell(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, cell: &Data) {
    match cell {
        Data::String(s) => {
            ws.write(r, c, s.as_str()).unwrap();
        }
        Data::Float(f) => {
            ws.write(r, c, *f).unwrap();
        }
        Data::Int(i) => {
            ws.write(r, c, *i as f64).unwrap();
        }
        Data::Empty => {}
        other => panic!("unexpected cell {other:?}"),
    }
}

#[test]
fn a_freedom_house_workbook_with_one_more_year_reads_it() {
    let dir = tempdir();
    let path = dir.path().join("Country_and_Territory_Ratings_and_Statuses_FIW_1973-2025.xlsx");
    std::fs::write(&path, next_edition(None)).unwrap();
    let newer = fh::read_ratings(&Source::file(&path)).unwrap();
    let real = fh::read_ratings(&Source::file(data(FH))).unwrap();
    let last = real.iter().map(|r| r.year).max().unwrap();
    assert_eq!(last, 2023);
    let (old_years, new_year): (Vec<_>, Vec<_>) = newer.iter().partition(|r| r.year <= last);
    // Every rating of the real workbook is read alike from the copy ...
    let key = |r: &fh::FhRating| (r.country.clone(), r.year, r.pr, r.cl, r.status.clone(), r.territory);
    assert_eq!(old_years.iter().map(|r| key(r)).collect::<Vec<_>>(), real.iter().map(key).collect::<Vec<_>>());
    // ... and the new year holds the last year's values again, for each country rated then.
    let rated_last: Vec<_> = real.iter().filter(|r| r.year == last).map(|r| (r.country.clone(), r.pr, r.cl)).collect();
    let rated_new: Vec<_> = new_year.iter().map(|r| (r.country.clone(), r.pr, r.cl)).collect();
    assert!(rated_new.iter().all(|r| r.0.len() > 1));
    assert_eq!(new_year.iter().map(|r| r.year).collect::<std::collections::BTreeSet<_>>(), [2024].into());
    assert_eq!(rated_new, rated_last);
    assert!(new_year.iter().all(|r| r.edition == "2025"));
}

#[test]
fn a_freedom_house_workbook_with_another_column_names_it() {
    let dir = tempdir();
    let path = dir.path().join("fiw.xlsx");
    std::fs::write(&path, next_edition(Some("Trend"))).unwrap();
    let error = format!("{:#}", fh::read_ratings(&Source::file(&path)).unwrap_err());
    assert!(error.contains(r#"fiw.xlsx, sheet "Country Ratings, Statuses ", row 3, column ""#), "{error}");
    assert!(error.contains(r#"value "Trend": expected the header "PR" of a PR/CL/Status block"#), "{error}");
}

#[test]
fn a_party_facts_download_with_one_more_party_and_a_new_column_reads_them() {
    let dir = tempdir();
    let real_path = data("partyfacts/partyfacts-core-parties.csv");
    let count = partyfacts::read_core(&Source::file(&real_path)).unwrap().len();
    // A newer download: one more column at the end, filled on every row, and one more party.
    let mut reader = csv::Reader::from_path(&real_path).unwrap();
    let path = dir.path().join("partyfacts-core-parties.csv");
    let mut writer = csv::Writer::from_path(&path).unwrap();
    let mut header = reader.headers().unwrap().clone();
    header.push_field("wikidata_id");
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let mut record = record.unwrap();
        record.push_field("");
        writer.write_record(&record).unwrap();
    }
    let new_party = "DEU,99999,,NP,Neue Partei,New Party,,2024,,1.5,2025,,,,,2025-01-01,2025-01-02,Q1";
    writer.write_record(new_party.split(',')).unwrap();
    writer.flush().unwrap();
    let parties = partyfacts::read_core(&Source::file(&path)).unwrap();
    assert_eq!(parties.len(), count + 1);
    let new = parties.iter().find(|p| p.partyfacts_id == 99999).unwrap();
    assert_eq!((new.name.as_str(), new.year_first, new.country.as_str()), ("Neue Partei", Some(2024), "DEU"));

    // A download whose columns were renamed fails, naming the column it lacks and those it has.
    let renamed = std::fs::read_to_string(&real_path).unwrap().replacen("year_first", "first_year", 1);
    std::fs::write(&path, renamed).unwrap();
    let error = format!("{:#}", partyfacts::read_core(&Source::file(&path)).unwrap_err());
    assert!(
        error.contains(r#"partyfacts-core-parties.csv, column "year_first": missing required column; the header has"#),
        "{error}"
    );
    assert!(error.contains("first_year"), "{error}");
}
