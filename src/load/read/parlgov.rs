//! Reader for ParlGov's cabinet view (`view_cabinet.csv`): one row per cabinet and party in
//! parliament, saying whether the party held cabinet posts.
//!
//! ParlGov writes `start_date` as DD/MM/YYYY, and repeats a cabinet's own fields (country,
//! name, start date, caretaker, previous cabinet) on each of its party rows; the reader checks
//! that they agree, so the calendar of cabinets never depends on which row came first.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;

use crate::load::paths::Source;
use crate::load::read::text_table::{TextRow, TextTable};

/// One row of the cabinet view: a party in parliament during a cabinet.
#[derive(Debug, Clone, PartialEq)]
pub struct CabinetParty {
    pub country: String,
    pub cabinet_id: i64,
    pub cabinet_name: String,
    pub start_date: NaiveDate,
    pub caretaker: bool,
    pub previous_cabinet_id: Option<i64>,
    pub party_id: i64,
    pub party_name_short: String,
    pub party_name_english: String,
    /// The party holds cabinet posts in this cabinet.
    pub cabinet_party: bool,
    pub prime_minister: bool,
    /// 1-based line in the file.
    pub row: usize,
}

pub fn read(source: &Source) -> Result<Vec<CabinetParty>> {
    parse(&TextTable::read_source(source)?)
}

pub fn parse(t: &TextTable) -> Result<Vec<CabinetParty>> {
    let [country, start, name, caretaker, member, pm, cabinet, previous, party, short, english] = t.columns([
        "country_name_short",
        "start_date",
        "cabinet_name",
        "caretaker",
        "cabinet_party",
        "prime_minister",
        "cabinet_id",
        "previous_cabinet_id",
        "party_id",
        "party_name_short",
        "party_name_english",
    ])?;
    let mut rows = Vec::with_capacity(t.rows.len());
    // The first row of each cabinet, which every later row of it must agree with.
    let mut first: BTreeMap<i64, usize> = BTreeMap::new();
    for r in &t.rows {
        let row = CabinetParty {
            country: t.required_text(r, country)?,
            cabinet_id: whole(t, r, cabinet)?.ok_or_else(|| t.cell_error(r, cabinet, "empty cabinet_id"))?,
            cabinet_name: r.cells[name].trim().to_string(),
            start_date: date(t, r, start)?,
            caretaker: flag(t, r, caretaker)?,
            previous_cabinet_id: whole(t, r, previous)?,
            party_id: whole(t, r, party)?.ok_or_else(|| t.cell_error(r, party, "empty party_id"))?,
            party_name_short: r.cells[short].trim().to_string(),
            party_name_english: r.cells[english].trim().to_string(),
            cabinet_party: flag(t, r, member)?,
            prime_minister: flag(t, r, pm)?,
            row: r.line,
        };
        match first.get(&row.cabinet_id) {
            None => {
                first.insert(row.cabinet_id, rows.len());
            }
            Some(&i) => {
                let earlier: &CabinetParty = &rows[i];
                let differs = [
                    (country, earlier.country != row.country),
                    (start, earlier.start_date != row.start_date),
                    (name, earlier.cabinet_name != row.cabinet_name),
                    (caretaker, earlier.caretaker != row.caretaker),
                    (previous, earlier.previous_cabinet_id != row.previous_cabinet_id),
                ];
                if let Some((col, _)) = differs.iter().find(|(_, d)| *d) {
                    let problem = format!("cabinet {} says otherwise at row {}", row.cabinet_id, earlier.row);
                    return Err(t.cell_error(r, *col, problem).into());
                }
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

fn whole(t: &TextTable, r: &TextRow, col: usize) -> Result<Option<i64>> {
    Ok(t.whole_number(r, col, &["", "NA"])?)
}

/// ParlGov's 0/1 columns.
fn flag(t: &TextTable, r: &TextRow, col: usize) -> Result<bool> {
    match r.cells[col].trim() {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(t.cell_error(r, col, "not 0 or 1").into()),
    }
}

/// A date written DD/MM/YYYY.
fn date(t: &TextTable, r: &TextRow, col: usize) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(r.cells[col].trim(), "%d/%m/%Y")
        .map_err(|_| t.cell_error(r, col, "not a date in the form DD/MM/YYYY").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "country_name_short,start_date,cabinet_name,caretaker,cabinet_party,prime_minister,\
                          cabinet_id,previous_cabinet_id,party_id,party_name_short,party_name_english";

    fn parse_text(text: &str) -> Result<Vec<CabinetParty>> {
        parse(&TextTable::parse_csv(std::path::Path::new("view_cabinet.csv"), text.as_bytes()).unwrap())
    }

    #[test]
    fn rows_of_a_cabinet_share_its_fields() {
        let rows = parse_text(&format!(
            "{HEADER}\nJPN,16/09/2009,Hatoyama,0,1,1,10,9,1,DPJ,Democratic Party\nJPN,16/09/2009,Hatoyama,0,0,0,10,9,2,LDP,Liberal Democrats\n"
        ))
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].start_date, NaiveDate::from_ymd_opt(2009, 9, 16).unwrap());
        assert!(rows[0].cabinet_party && !rows[1].cabinet_party);
        assert_eq!((rows[0].previous_cabinet_id, rows[1].row), (Some(9), 3));
    }

    #[test]
    fn a_bad_date_or_flag_names_its_cell() {
        let e = parse_text(&format!("{HEADER}\nJPN,2009-09-16,Hatoyama,0,1,1,10,9,1,DPJ,DPJ\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "view_cabinet.csv, row 2, column \"start_date\", value \"2009-09-16\": not a date in the form DD/MM/YYYY"
        );
        let e = parse_text(&format!("{HEADER}\nJPN,16/09/2009,Hatoyama,yes,1,1,10,9,1,DPJ,DPJ\n")).unwrap_err();
        assert!(e.to_string().contains("row 2, column \"caretaker\", value \"yes\": not 0 or 1"), "{e}");
    }

    #[test]
    fn rows_of_one_cabinet_that_disagree_are_an_error() {
        let e = parse_text(&format!(
            "{HEADER}\nJPN,16/09/2009,Hatoyama,0,1,1,10,9,1,DPJ,DPJ\nJPN,17/09/2009,Hatoyama,0,0,0,10,9,2,LDP,LDP\n"
        ))
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("row 3, column \"start_date\", value \"17/09/2009\": cabinet 10 says otherwise at row 2"),
            "{e}"
        );
    }
}
