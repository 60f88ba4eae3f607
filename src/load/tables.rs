//! The sources and the reference tables as the Arrow tables every SQL stage can read, by name.

use anyhow::Result;
use arrow::array::RecordBatch;

use crate::load::Sources;
use crate::load::countries::Countries;
use crate::load::read::dpi::{DpiRow, PARTY_SLOTS};
use crate::load::read::fh::FhRating;
use crate::load::read::partyfacts::{CoreParty, DpiImportParty, ExternalParty};
use crate::load::reference::{PartyUnit, Reference};
use crate::shared::batch::BatchBuilder;

impl Sources {
    /// The tables every SQL stage can read, by name: the sources and the reference tables.
    pub fn tables(&self, reference: &Reference) -> Result<Vec<(&'static str, RecordBatch)>> {
        let countries = &reference.countries;
        Ok(vec![
            ("fh_ratings", fh_table(&self.fh)?),
            ("dpi", dpi_table(&self.dpi)?),
            ("dpi_placeholders", placeholder_table(&reference.dpi_placeholders)?),
            ("party_units", units_table(&reference.units)?),
            ("pf_core", core_table(&self.pf_core)?),
            ("pf_external", external_table(&self.pf_external)?),
            ("pf_dpi_import", import_table(&self.pf_dpi_import, countries)?),
            ("countries", countries_table(countries)?),
        ])
    }
}

fn fh_table(rows: &[(String, FhRating)]) -> Result<RecordBatch> {
    BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|(i, _)| Some(i.as_str())))
        .utf8("country", rows.iter().map(|(_, r)| Some(r.country.as_str())))
        .boolean("territory", rows.iter().map(|(_, r)| Some(r.territory)))
        .int32("year", rows.iter().map(|(_, r)| Some(r.year)))
        .utf8("year_label", rows.iter().map(|(_, r)| Some(r.year_label.as_str())))
        .utf8("edition", rows.iter().map(|(_, r)| Some(r.edition.as_str())))
        .int32("pr", rows.iter().map(|(_, r)| r.pr))
        .int32("cl", rows.iter().map(|(_, r)| r.cl))
        .utf8("status", rows.iter().map(|(_, r)| r.status.as_deref()))
        .utf8("note", rows.iter().map(|(_, r)| r.note.as_deref()))
        .build()
}

fn dpi_table(rows: &[(String, DpiRow)]) -> Result<RecordBatch> {
    let mut b = BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|(i, _)| Some(i.as_str())))
        .utf8("countryname", rows.iter().map(|(_, r)| Some(r.countryname.as_str())))
        .utf8("ifs", rows.iter().map(|(_, r)| r.ifs.as_deref()))
        .int32("year", rows.iter().map(|(_, r)| Some(r.year)))
        .utf8("system", rows.iter().map(|(_, r)| r.system.as_deref()));
    for (i, slot) in PARTY_SLOTS.iter().enumerate() {
        b = b.utf8(&format!("{slot}me"), rows.iter().map(|(_, r)| r.parties[i].as_deref()));
        if *slot != "exec" {
            b = b.int64(&format!("{slot}seat"), rows.iter().map(|(_, r)| r.seats[i]));
        }
    }
    b.int64("govoth", rows.iter().map(|(_, r)| r.govoth))
        .int64("oppoth", rows.iter().map(|(_, r)| r.oppoth))
        .int64("totalseats", rows.iter().map(|(_, r)| r.totalseats))
        .int64("source_row", rows.iter().map(|(_, r)| Some(r.row as i64)))
        .build()
}

fn placeholder_table(rows: &[(String, String)]) -> Result<RecordBatch> {
    BatchBuilder::new()
        .utf8("value", rows.iter().map(|(v, _)| Some(v.as_str())))
        .utf8("meaning", rows.iter().map(|(_, m)| Some(m.as_str())))
        .build()
}

fn units_table(units: &[PartyUnit]) -> Result<RecordBatch> {
    BatchBuilder::new()
        .utf8("iso3", units.iter().map(|u| Some(u.iso3.as_str())))
        .int64("member_partyfacts_id", units.iter().map(|u| Some(u.member_partyfacts_id)))
        .int64("unit_partyfacts_id", units.iter().map(|u| Some(u.unit_partyfacts_id)))
        .int32("year_first", units.iter().map(|u| u.year_first))
        .int32("year_last", units.iter().map(|u| u.year_last))
        .build()
}

fn nonempty(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

fn core_table(rows: &[(String, CoreParty)]) -> Result<RecordBatch> {
    BatchBuilder::new()
        .int64("partyfacts_id", rows.iter().map(|(_, p)| Some(p.partyfacts_id)))
        .utf8("iso3", rows.iter().map(|(i, _)| Some(i.as_str())))
        .utf8("country", rows.iter().map(|(_, p)| Some(p.country.as_str())))
        .utf8("technical", rows.iter().map(|(_, p)| p.technical.as_deref()))
        .utf8("name_short", rows.iter().map(|(_, p)| nonempty(&p.name_short)))
        .utf8("name", rows.iter().map(|(_, p)| nonempty(&p.name)))
        .utf8("name_english", rows.iter().map(|(_, p)| nonempty(&p.name_english)))
        .utf8("name_other", rows.iter().map(|(_, p)| nonempty(&p.name_other)))
        .int32("year_first", rows.iter().map(|(_, p)| p.year_first))
        .int32("year_last", rows.iter().map(|(_, p)| p.year_last))
        .build()
}

fn external_table(rows: &[(String, ExternalParty)]) -> Result<RecordBatch> {
    BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|(i, _)| Some(i.as_str())))
        .utf8("country", rows.iter().map(|(_, p)| Some(p.country.as_str())))
        .utf8("dataset_key", rows.iter().map(|(_, p)| Some(p.dataset_key.as_str())))
        .utf8("dataset_party_id", rows.iter().map(|(_, p)| Some(p.dataset_party_id.as_str())))
        .utf8("name_short", rows.iter().map(|(_, p)| nonempty(&p.name_short)))
        .utf8("name", rows.iter().map(|(_, p)| nonempty(&p.name)))
        .utf8("name_english", rows.iter().map(|(_, p)| nonempty(&p.name_english)))
        .int32("year_first", rows.iter().map(|(_, p)| p.year_first))
        .int32("year_last", rows.iter().map(|(_, p)| p.year_last))
        .int64("partyfacts_id", rows.iter().map(|(_, p)| p.partyfacts_id))
        .build()
}

/// Party Facts' DPI import, with its country code taken as written: its `party` abbreviations
/// join DPI's on (iso3, abbreviation).
fn import_table(rows: &[DpiImportParty], countries: &Countries) -> Result<RecordBatch> {
    // The import follows DPI's country names; resolve those so a DPI row and its import row
    // agree on the code even where Party Facts codes an entity differently.
    let iso3: Vec<String> = rows
        .iter()
        .map(|p| countries.resolve(&p.countryname).map_or_else(|| p.country.clone(), |c| c.iso3.clone()))
        .collect();
    BatchBuilder::new()
        .utf8("country", iso3.iter().map(|s| Some(s.as_str())))
        .utf8("partyfacts_country", rows.iter().map(|p| Some(p.country.as_str())))
        .utf8("countryname", rows.iter().map(|p| Some(p.countryname.as_str())))
        .utf8("party", rows.iter().map(|p| Some(p.party.as_str())))
        .int32("first", rows.iter().map(|p| p.first))
        .int32("last", rows.iter().map(|p| p.last))
        .utf8("party_id", rows.iter().map(|p| Some(p.party_id.as_str())))
        .build()
}

fn countries_table(countries: &Countries) -> Result<RecordBatch> {
    let s = &countries.spellings;
    BatchBuilder::new()
        .utf8("iso3", s.iter().map(|r| Some(r[0].as_str())))
        .utf8("name", s.iter().map(|r| Some(r[1].as_str())))
        .utf8("spelling", s.iter().map(|r| Some(r[2].as_str())))
        .utf8("source", s.iter().map(|r| Some(r[3].as_str())))
        .build()
}
