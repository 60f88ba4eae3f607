//! Reader for the Database of Political Institutions (DPI2017 basefile), as CSV or as a workbook.
//!
//! DPI writes missing values as `-999`, `NA` or an empty cell; all three become `None` here, so
//! no placeholder leaks into the tables as a party or a number.

use anyhow::Result;

use crate::load::paths::Source;
use crate::load::read::text_table::{TextRow, TextTable};

/// The party slots DPI names, in the order of its columns: the executive's party, up to three
/// government parties and up to three opposition parties.
pub const PARTY_SLOTS: [&str; 7] = ["exec", "gov1", "gov2", "gov3", "opp1", "opp2", "opp3"];

#[derive(Debug, Clone, PartialEq)]
pub struct DpiRow {
    pub countryname: String,
    pub ifs: Option<String>,
    pub year: i32,
    pub system: Option<String>,
    /// Party named in each slot of [`PARTY_SLOTS`].
    pub parties: [Option<String>; 7],
    /// Seats of each slot (the executive slot has none).
    pub seats: [Option<i64>; 7],
    pub govoth: Option<i64>,
    /// Seats of the other government parties (read where the file has the column).
    pub govothst: Option<i64>,
    pub oppoth: Option<i64>,
    pub totalseats: Option<i64>,
    /// 1-based line or sheet row.
    pub row: usize,
}

pub fn read(source: &Source) -> Result<Vec<DpiRow>> {
    let table = TextTable::read_source(source)?;
    parse(&table)
}

pub fn parse(table: &TextTable) -> Result<Vec<DpiRow>> {
    let [countryname, ifs, year, system, govoth, oppoth, totalseats] =
        table.columns(["countryname", "ifs", "year", "system", "govoth", "oppoth", "totalseats"])?;
    let govothst = table.column("govothst").ok();
    let mut party_cols = [0; 7];
    let mut seat_cols = [None; 7];
    for (i, slot) in PARTY_SLOTS.iter().enumerate() {
        party_cols[i] = table.column(&format!("{slot}me"))?;
        if *slot != "exec" {
            seat_cols[i] = Some(table.column(&format!("{slot}seat"))?);
        }
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let text = |c: usize| missing_to_none(&row.cells[c]);
        let int = |c: usize| parse_int(table, row, c);
        let name = text(countryname).ok_or_else(|| table.cell_error(row, countryname, "empty country name"))?;
        let year_value = int(year)?.ok_or_else(|| table.cell_error(row, year, "empty year"))?;
        let mut seats = [None; 7];
        for (i, col) in seat_cols.iter().enumerate() {
            if let Some(col) = col {
                seats[i] = int(*col)?;
            }
        }
        rows.push(DpiRow {
            countryname: name,
            ifs: text(ifs),
            year: i32::try_from(year_value).map_err(|_| table.cell_error(row, year, "not a year"))?,
            system: text(system),
            parties: party_cols.map(text),
            seats,
            govoth: int(govoth)?,
            govothst: govothst.map(int).transpose()?.flatten(),
            oppoth: int(oppoth)?,
            totalseats: int(totalseats)?,
            row: row.line,
        });
    }
    Ok(rows)
}

/// DPI's three ways of writing "no value".
fn missing_to_none(cell: &str) -> Option<String> {
    let cell = cell.trim();
    match cell {
        "" | "NA" | "na" | "-999" => None,
        _ => Some(cell.to_string()),
    }
}

fn parse_int(table: &TextTable, row: &TextRow, col: usize) -> Result<Option<i64>> {
    // "-999.0" from a workbook is DPI's missing value too.
    let value = table.whole_number(row, col, &["", "NA", "na", "-999"])?;
    Ok(value.filter(|v| *v != -999))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const HEADER: &str = "countryname,ifs,year,system,execme,gov1me,gov1seat,gov2me,gov2seat,gov3me,gov3seat,\
                          govoth,opp1me,opp1seat,opp2me,opp2seat,opp3me,opp3seat,oppoth,totalseats";

    #[test]
    fn placeholders_become_none() {
        let csv = format!("\u{feff}{HEADER}\nX,XXX,2010,2,independent,A,10,NA,0,,-999,-999,B,5,NA,0,NA,0,0,15.0\n");
        let table = TextTable::parse_csv(Path::new("dpi.csv"), csv.as_bytes()).unwrap();
        let rows = parse(&table).unwrap();
        assert_eq!(rows[0].parties[0].as_deref(), Some("independent"));
        assert_eq!(rows[0].parties[1].as_deref(), Some("A"));
        assert_eq!(rows[0].parties[2], None);
        assert_eq!(rows[0].parties[3], None);
        assert_eq!(rows[0].seats[3], None);
        assert_eq!(rows[0].govoth, None);
        assert_eq!(rows[0].totalseats, Some(15));
    }

    #[test]
    fn bad_number_names_row_and_column() {
        let csv = format!("{HEADER}\nX,XXX,2010,2,A,A,ten,NA,0,NA,0,0,B,5,NA,0,NA,0,0,15\n");
        let table = TextTable::parse_csv(Path::new("dpi.csv"), csv.as_bytes()).unwrap();
        let e = parse(&table).unwrap_err().to_string();
        assert_eq!(e, "dpi.csv, row 2, column \"gov1seat\", value \"ten\": not a whole number");
    }
}
