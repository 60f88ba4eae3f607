//! The Freedom House reader against the real workbooks: values compared, for 2002-2017, with a
//! long-format table derived from the same workbook by another program (fh_ratings_statuses_1972-2023_tidy.csv).

mod common;

use std::collections::BTreeMap;

use common::{data, repo, tempdir};
use partylink::load::paths::Source;
use partylink::load::read::fh::read_ratings;

type Key = (String, i32);
type Value = (Option<i32>, Option<i32>, Option<String>);

/// The workbook of `data/` (or `PARTYLINK_DATA`), else the older edition kept in
/// `tests/fixtures/fh/`.
fn fixture_or_data(file: &str) -> std::path::PathBuf {
    let fixture = repo("tests/fixtures").join(file);
    if fixture.is_file() { fixture } else { data(file) }
}

fn reader_values(file: &str) -> BTreeMap<Key, Value> {
    read_ratings(&Source::file(fixture_or_data(file)))
        .unwrap()
        .into_iter()
        .filter(|r| (2002..=2017).contains(&r.year))
        .map(|r| ((r.country, r.year), (r.pr, r.cl, r.status)))
        .collect()
}

fn tidy_values() -> BTreeMap<Key, Value> {
    let mut reader = csv::Reader::from_path(repo("tests/fixtures/fh/fh_ratings_statuses_1972-2023_tidy.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (country, year, pr, cl, status) = (col("country"), col("year"), col("pr"), col("cl"), col("status"));
    let mut out = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let Ok(y) = r[year].parse::<i32>() else { continue };
        if !(2002..=2017).contains(&y) || (r[pr].is_empty() && r[cl].is_empty() && r[status].is_empty()) {
            continue;
        }
        let int = |s: &str| (!s.is_empty()).then(|| s.parse::<i32>().unwrap());
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        out.insert((r[country].to_string(), y), (int(&r[pr]), int(&r[cl]), text(&r[status])));
    }
    out
}

#[test]
fn ratings_2002_2017_equal_an_independent_read_of_the_workbook() {
    let ours = reader_values("fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx");
    let tidy = tidy_values();
    assert_eq!(ours.len(), tidy.len());
    for (key, value) in &tidy {
        assert_eq!(ours.get(key), Some(value), "{key:?}");
    }
    let statuses: Vec<_> = ours.values().filter_map(|v| v.2.clone()).collect();
    assert_eq!(statuses.len(), 3336);
    assert_eq!(statuses.iter().filter(|s| *s == "F").count(), 1447);
    assert_eq!(statuses.iter().filter(|s| *s == "PF").count(), 1007);
    assert_eq!(statuses.iter().filter(|s| *s == "NF").count(), 882);
}

#[test]
fn the_2023_edition_workbook_gives_the_same_2002_2017_values() {
    let older = reader_values("fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2023.xlsx");
    let newer = reader_values("fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx");
    assert_eq!(older, newer);
}

#[test]
fn values_are_keyed_on_the_year_under_review_not_the_edition() {
    let ratings =
        read_ratings(&Source::file(data("fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx"))).unwrap();
    let china_2002 = ratings.iter().find(|r| r.country == "China" && r.year == 2002).unwrap();
    assert_eq!(china_2002.edition, "2003");
    assert_eq!(china_2002.status.as_deref(), Some("NF"));
    let germany_2010 = ratings.iter().find(|r| r.country == "Germany" && r.year == 2010).unwrap();
    assert_eq!((germany_2010.pr, germany_2010.cl, germany_2010.status.as_deref()), (Some(1), Some(1), Some("F")));
    // The 1980s survey periods: each calendar year once.
    let poland: Vec<i32> =
        ratings.iter().filter(|r| r.country == "Poland" && (1980..=1990).contains(&r.year)).map(|r| r.year).collect();
    assert_eq!(poland, (1980..=1990).collect::<Vec<_>>());
    let za = ratings.iter().find(|r| r.country == "South Africa" && r.year == 1972).unwrap();
    assert!(za.note.as_deref().unwrap().contains("2(5)"));
}

#[test]
fn a_workbook_without_the_country_sheet_is_named_in_the_error() {
    let dir = tempdir();
    let path = dir.path().join("fiw.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("Ratings").unwrap().write(0, 0, "Survey Edition").unwrap();
    workbook.save(&path).unwrap();
    let error = format!("{:#}", read_ratings(&Source::file(&path)).unwrap_err());
    assert!(error.contains("fiw.xlsx: no sheet named \"Country Ratings, Statuses\""), "{error}");
    assert!(error.contains("[\"Ratings\"]"), "{error}");
}

#[test]
fn a_bad_rating_names_sheet_row_and_column() {
    let dir = tempdir();
    let path = dir.path().join("fiw.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Country Ratings, Statuses ").unwrap();
    for (col, text) in ["Survey Edition", "2011", "", ""].iter().enumerate() {
        sheet.write(0, col as u16, *text).unwrap();
    }
    sheet.write(1, 0, "Year(s) Under Review").unwrap();
    sheet.write(1, 1, 2010).unwrap();
    for (col, text) in ["PR", "CL", "Status"].iter().enumerate() {
        sheet.write(2, col as u16 + 1, *text).unwrap();
    }
    sheet.write(3, 0, "Germany").unwrap();
    sheet.write(3, 1, 1).unwrap();
    sheet.write(3, 2, 9).unwrap();
    sheet.write(3, 3, "F").unwrap();
    workbook.save(&path).unwrap();
    let error = format!("{:#}", read_ratings(&Source::file(&path)).unwrap_err());
    assert!(
        error.ends_with("fiw.xlsx, sheet \"Country Ratings, Statuses \", row 4, column \"CL 2010 (C)\", value \"9\": not a rating from 1 to 7"),
        "{error}"
    );
}
