//! Readers for Party Facts tables: core parties, external (linked dataset) parties, and Party
//! Facts' import of DPI, which ties DPI's party abbreviations to Party Facts' DPI dataset ids.

use anyhow::Result;

use crate::load::paths::Source;
use crate::load::read::text_table::{TextRow, TextTable};

/// A party in Party Facts' core table.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreParty {
    pub partyfacts_id: i64,
    pub country: String,
    /// Party Facts' placeholder entries ("unknown", "independent", "other", ...) carry a code here.
    pub technical: Option<String>,
    pub name_short: String,
    pub name: String,
    pub name_english: String,
    pub name_other: String,
    pub year_first: Option<i32>,
    pub year_last: Option<i32>,
}

/// A party of another dataset, linked (or not yet) to a Party Facts id.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalParty {
    pub country: String,
    pub dataset_key: String,
    pub dataset_party_id: String,
    pub name_short: String,
    pub name: String,
    pub name_english: String,
    pub year_first: Option<i32>,
    pub year_last: Option<i32>,
    pub partyfacts_id: Option<i64>,
}

/// A row of Party Facts' DPI import: a DPI party abbreviation in a country and its DPI dataset id.
#[derive(Debug, Clone, PartialEq)]
pub struct DpiImportParty {
    pub country: String,
    pub countryname: String,
    pub party: String,
    pub first: Option<i32>,
    pub last: Option<i32>,
    pub party_id: String,
    /// The import's long name and abbreviation of the party ("Cameroon People's Democratic
    /// Union", "CPDM"), where it gives them.
    pub name: String,
    pub name_short: String,
}

pub fn read_core(source: &Source) -> Result<Vec<CoreParty>> {
    let t = TextTable::read_source(source)?;
    let [id, country, technical, short, name, english, other, first, last] = t.columns([
        "partyfacts_id",
        "country",
        "technical",
        "name_short",
        "name",
        "name_english",
        "name_other",
        "year_first",
        "year_last",
    ])?;
    let mut first_row = std::collections::HashMap::new();
    t.rows
        .iter()
        .map(|r| {
            let partyfacts_id = required_int(&t, r, id)?;
            if let Some(earlier) = first_row.insert(partyfacts_id, r.line) {
                let problem = format!("duplicate partyfacts_id, first used at row {earlier}");
                return Err(t.cell_error(r, id, problem).into());
            }
            Ok(CoreParty {
                partyfacts_id,
                country: r.cells[country].trim().to_string(),
                technical: Some(r.cells[technical].trim().to_string()).filter(|s| !s.is_empty()),
                name_short: r.cells[short].trim().to_string(),
                name: r.cells[name].trim().to_string(),
                name_english: r.cells[english].trim().to_string(),
                name_other: r.cells[other].trim().to_string(),
                year_first: year(&t, r, first)?,
                year_last: year(&t, r, last)?,
            })
        })
        .collect()
}

/// Reads the external parties, dropping self-links (`dataset_key` "partyfacts" with no
/// `external_id`), which some copies append and which name no other dataset. Returns the
/// parties and the number of rows dropped.
pub fn read_external(source: &Source) -> Result<(Vec<ExternalParty>, usize)> {
    let t = TextTable::read_source(source)?;
    let [country, key, dpid, short, name, english, first, last, external_id, pfid] = t.columns([
        "country",
        "dataset_key",
        "dataset_party_id",
        "name_short",
        "name",
        "name_english",
        "year_first",
        "year_last",
        "external_id",
        "partyfacts_id",
    ])?;
    let mut out = Vec::with_capacity(t.rows.len());
    let mut dropped = 0;
    for r in &t.rows {
        if r.cells[key].trim() == "partyfacts" && r.cells[external_id].trim().is_empty() {
            dropped += 1;
            continue;
        }
        out.push(ExternalParty {
            country: r.cells[country].trim().to_string(),
            dataset_key: r.cells[key].trim().to_string(),
            dataset_party_id: r.cells[dpid].trim().to_string(),
            name_short: r.cells[short].trim().to_string(),
            name: r.cells[name].trim().to_string(),
            name_english: r.cells[english].trim().to_string(),
            year_first: year(&t, r, first)?,
            year_last: year(&t, r, last)?,
            partyfacts_id: optional_int(&t, r, pfid)?,
        });
    }
    Ok((out, dropped))
}

pub fn read_dpi_import(source: &Source) -> Result<Vec<DpiImportParty>> {
    let t = TextTable::read_source(source)?;
    let [country, countryname, party, first, last, party_id] =
        t.columns(["country", "countryname", "party", "first", "last", "party_id"])?;
    // The names are optional: the audit of the crosswalk reads them where the file has them.
    let (name, short) = (t.column("name").ok(), t.column("name_short").ok());
    let text = |r: &TextRow, col: Option<usize>| col.map_or_else(String::new, |c| r.cells[c].trim().to_string());
    t.rows
        .iter()
        .map(|r| {
            Ok(DpiImportParty {
                country: r.cells[country].trim().to_string(),
                countryname: r.cells[countryname].trim().to_string(),
                party: r.cells[party].trim().to_string(),
                first: year(&t, r, first)?,
                last: year(&t, r, last)?,
                party_id: required_int(&t, r, party_id)?.to_string(),
                name: text(r, name),
                name_short: text(r, short),
            })
        })
        .collect()
}

fn optional_int(t: &TextTable, r: &TextRow, col: usize) -> Result<Option<i64>> {
    Ok(t.whole_number(r, col, &["", "NA"])?)
}

fn required_int(t: &TextTable, r: &TextRow, col: usize) -> Result<i64> {
    optional_int(t, r, col)?.ok_or_else(|| t.cell_error(r, col, "empty, but every row needs one").into())
}

fn year(t: &TextTable, r: &TextRow, col: usize) -> Result<Option<i32>> {
    match optional_int(t, r, col)? {
        None => Ok(None),
        Some(y) if (1000..=2999).contains(&y) => Ok(Some(y as i32)),
        Some(_) => Err(t.cell_error(r, col, "not a year").into()),
    }
}
