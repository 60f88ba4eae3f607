//! The curated reference tables in `reference/`: built into the binary, or read from a
//! directory given with `--reference` (a file there replaces its built-in twin).

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::load::countries::Countries;
use crate::load::error::DataError;
use crate::load::read::text_table::{TextRow, TextTable};

const DPI_PLACEHOLDERS: &str = include_str!("../../reference/dpi_placeholders.csv");
const PARTY_ALIASES: &str = include_str!("../../reference/party_aliases.csv");
const PARTY_OVERRIDES: &str = include_str!("../../reference/party_overrides.csv");
const PARTY_UNITS: &str = include_str!("../../reference/party_units.csv");
const FH_COUNTRY_FALLBACKS: &str = include_str!("../../reference/fh_country_fallbacks.csv");
const PARTY_ABBREVIATIONS: &str = include_str!("../../reference/party_abbreviations.csv");
const KEYWORDS: &str = include_str!("../../reference/keywords.csv");
const DPI_LINK_CORRECTIONS: &str = include_str!("../../reference/dpi_link_corrections.csv");
const PARTY_SUCCESSIONS: &str = include_str!("../../reference/party_successions.csv");
const DPI_ALLIANCES: &str = include_str!("../../reference/dpi_alliances.csv");
const UNION_STATES: &str = include_str!("../../reference/union_states.csv");

/// A curated name of a party that no source gives (a translation, a common short form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub iso3: String,
    pub alias: String,
    pub partyfacts_id: i64,
    pub source: String,
}

/// A reviewed decision about a name as written (`party_overrides.csv`): the party it names in
/// a country and span of years, or that it names no party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub iso3: String,
    pub name: String,
    pub year_first: Option<i32>,
    pub year_last: Option<i32>,
    /// The party, or None for "not a party".
    pub partyfacts_id: Option<i64>,
    pub decided_by: String,
    pub reason: String,
}

/// A party that DPI records as part of a larger unit (the CSU within CDU/CSU).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyUnit {
    pub iso3: String,
    pub member_partyfacts_id: i64,
    pub unit_partyfacts_id: i64,
    pub year_first: Option<i32>,
    pub year_last: Option<i32>,
}

/// A country-year Freedom House does not rate, rated as the state it rates then (Serbia in
/// 2003-2005 as Serbia and Montenegro): `fh_country_fallbacks.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhFallback {
    pub iso3: String,
    pub year_first: i32,
    /// None: every year from `year_first` on.
    pub year_last: Option<i32>,
    pub rated_as: String,
}

/// A member of a union or predecessor state whose parties Party Facts files under the member
/// (`union_states.csv`): a contact in "Serbia and Montenegro" in 2004 may name a Serbian party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionMember {
    pub iso3: String,
    pub year_first: i32,
    /// None: every year from `year_first` on.
    pub year_last: Option<i32>,
    pub member_iso3: String,
}

/// The abbreviation English-language sources print for a party (Table 1), and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abbreviation {
    pub partyfacts_id: i64,
    pub abbreviation: String,
    pub name_english: String,
    pub source: String,
}

pub struct Reference {
    /// Each table as read: (file name, where it came from, its bytes), for the manifest.
    pub files: Vec<(String, String, Vec<u8>)>,
    pub countries: Countries,
    pub dpi_placeholders: Vec<(String, String)>,
    pub aliases: Vec<Alias>,
    pub overrides: Vec<Override>,
    pub units: Vec<PartyUnit>,
    pub fh_fallbacks: Vec<FhFallback>,
    pub union_members: Vec<UnionMember>,
    pub abbreviations: Vec<Abbreviation>,
    /// The content analysis's topic lexicon as read; `src/content/keywords.rs` compiles it.
    pub keywords: TextTable,
    /// Reviewed links of DPI labels (`dpi_link_corrections.csv`).
    pub corrections: Vec<crate::load::crosswalk::LinkCorrection>,
    /// Mergers and renamings (`party_successions.csv`).
    pub successions: Vec<crate::load::crosswalk::Succession>,
    /// Members of the alliances DPI names by one label (`dpi_alliances.csv`).
    pub alliances: Vec<crate::load::crosswalk::AllianceMember>,
}

impl Reference {
    /// The built-in tables, each replaced by its file in `dir` where that exists.
    pub fn load(dir: Option<&Path>) -> Result<Reference> {
        if let Some(dir) = dir {
            check_dir(dir)?;
        }
        let mut files = Vec::new();
        let mut read = |name: &str, built_in: &str| -> Result<(PathBuf, Vec<u8>)> {
            let (origin, bytes) = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(path) => {
                    let bytes = std::fs::read(&path).map_err(|e| DataError::new(&path, format!("cannot read: {e}")))?;
                    (path, bytes)
                }
                None => (PathBuf::from(format!("reference/{name} (built in)")), built_in.as_bytes().to_vec()),
            };
            files.push((name.to_string(), origin.display().to_string(), bytes.clone()));
            Ok((origin, bytes))
        };
        let (origin, bytes) = read("countries.csv", crate::load::countries::EMBEDDED_COUNTRIES)?;
        let countries = Countries::parse(&origin, &bytes)?;
        let mut table = |name: &str, built_in: &str| -> Result<TextTable> {
            let (origin, bytes) = read(name, built_in)?;
            TextTable::parse_csv(&origin, &bytes)
        };
        let placeholders = table("dpi_placeholders.csv", DPI_PLACEHOLDERS)?;
        let [value, meaning] = placeholders.columns(["value", "meaning"])?;
        let dpi_placeholders =
            placeholders.rows.iter().map(|r| (r.cells[value].clone(), r.cells[meaning].clone())).collect();
        let aliases = parse_aliases(&table("party_aliases.csv", PARTY_ALIASES)?, &countries)?;
        let overrides = parse_overrides(&table("party_overrides.csv", PARTY_OVERRIDES)?, &countries)?;
        let units = parse_units(&table("party_units.csv", PARTY_UNITS)?, &countries)?;
        let fh_fallbacks = parse_fh_fallbacks(&table("fh_country_fallbacks.csv", FH_COUNTRY_FALLBACKS)?, &countries)?;
        let union_members = parse_union_members(&table("union_states.csv", UNION_STATES)?, &countries)?;
        let abbreviations = parse_abbreviations(&table("party_abbreviations.csv", PARTY_ABBREVIATIONS)?)?;
        let keywords = table("keywords.csv", KEYWORDS)?;
        use crate::load::crosswalk::{parse_alliances, parse_corrections, parse_successions};
        let corrections = parse_corrections(&table("dpi_link_corrections.csv", DPI_LINK_CORRECTIONS)?, &countries)?;
        let successions = parse_successions(&table("party_successions.csv", PARTY_SUCCESSIONS)?, &countries)?;
        let alliances = parse_alliances(&table("dpi_alliances.csv", DPI_ALLIANCES)?, &countries)?;
        Ok(Reference {
            files,
            countries,
            dpi_placeholders,
            aliases,
            overrides,
            units,
            fh_fallbacks,
            union_members,
            abbreviations,
            keywords,
            corrections,
            successions,
            alliances,
        })
    }
}

pub use super::reference_dir::READ;
use super::reference_dir::check_dir;

pub(crate) fn iso3(t: &TextTable, r: &TextRow, col: usize, countries: &Countries) -> Result<String> {
    let text = r.cells[col].trim();
    countries
        .by_iso3(text)
        .or_else(|| countries.resolve(text))
        .map(|c| c.iso3.clone())
        .ok_or_else(|| t.cell_error(r, col, "not a country in reference/countries.csv").into())
}

pub(crate) fn int(t: &TextTable, r: &TextRow, col: usize) -> Result<Option<i64>> {
    let text = r.cells[col].trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| t.cell_error(r, col, "not a whole number").into())
}

pub(crate) fn required(t: &TextTable, r: &TextRow, col: usize) -> Result<String> {
    Ok(t.required_text(r, col)?)
}

pub(crate) fn year(t: &TextTable, r: &TextRow, col: usize) -> Result<Option<i32>> {
    Ok(int(t, r, col)?.map(|y| y as i32))
}

fn parse_aliases(t: &TextTable, countries: &Countries) -> Result<Vec<Alias>> {
    let [country, alias, id, source] = t.columns(["country", "alias", "partyfacts_id", "source"])?;
    t.rows
        .iter()
        .map(|r| {
            Ok(Alias {
                iso3: iso3(t, r, country, countries)?,
                alias: required(t, r, alias)?,
                partyfacts_id: int(t, r, id)?.ok_or_else(|| t.cell_error(r, id, "empty partyfacts_id"))?,
                source: required(t, r, source)?,
            })
        })
        .collect()
}

/// Years an override may name: the contacts' era, with room on both sides.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

fn parse_overrides(t: &TextTable, countries: &Countries) -> Result<Vec<Override>> {
    let [first, last, id] = t.columns(["year_first", "year_last", "partyfacts_id"])?;
    let overrides = parse_override_rows(t, countries)?;
    // Two rows for one name in overlapping years: the same decision twice, or two decisions.
    let mut seen: std::collections::HashMap<(String, String), Vec<(usize, &Override)>> = Default::default();
    for (r, o) in t.rows.iter().zip(&overrides) {
        for (y, col) in [(o.year_first, first), (o.year_last, last)] {
            if y.is_some_and(|y| !YEARS.contains(&y)) {
                return Err(t.cell_error(r, col, "not a year from 1900 to 2100").into());
            }
        }
        if let (Some(f), Some(l)) = (o.year_first, o.year_last)
            && f > l
        {
            return Err(t.cell_error(r, last, format!("before year_first {f}")).into());
        }
        let key = (o.iso3.clone(), crate::shared::normalize::fold(&o.name));
        let earlier = seen.entry(key).or_default();
        let overlaps = |p: &Override| {
            o.year_first.unwrap_or(i32::MIN) <= p.year_last.unwrap_or(i32::MAX)
                && p.year_first.unwrap_or(i32::MIN) <= o.year_last.unwrap_or(i32::MAX)
        };
        if let Some((line, p)) = earlier.iter().find(|(_, p)| overlaps(p)) {
            let what = if p.partyfacts_id == o.partyfacts_id { "repeats" } else { "conflicts with" };
            let decision = p.partyfacts_id.map_or_else(|| "not_a_party".to_string(), |i| i.to_string());
            let message = format!("{what} row {line} ({decision}): one name, overlapping years");
            return Err(t.cell_error(r, id, message).into());
        }
        earlier.push((r.line, o));
    }
    Ok(overrides)
}

fn parse_override_rows(t: &TextTable, countries: &Countries) -> Result<Vec<Override>> {
    let [country, name, first, last, id, by, reason] =
        t.columns(["country", "name", "year_first", "year_last", "partyfacts_id", "decided_by", "reason"])?;
    t.rows
        .iter()
        .map(|r| {
            let decision = r.cells[id].trim();
            let partyfacts_id = match decision {
                "not_a_party" => None,
                _ => Some(
                    decision
                        .parse::<i64>()
                        .map_err(|_| t.cell_error(r, id, "must be a Party Facts id or not_a_party"))?,
                ),
            };
            Ok(Override {
                iso3: iso3(t, r, country, countries)?,
                name: required(t, r, name)?,
                year_first: year(t, r, first)?,
                year_last: year(t, r, last)?,
                partyfacts_id,
                decided_by: required(t, r, by)?,
                reason: required(t, r, reason)?,
            })
        })
        .collect()
}

fn parse_abbreviations(t: &TextTable) -> Result<Vec<Abbreviation>> {
    let [id, abbreviation, name, source] = t.columns(["partyfacts_id", "abbreviation", "name_english", "source"])?;
    t.rows
        .iter()
        .map(|r| {
            Ok(Abbreviation {
                partyfacts_id: int(t, r, id)?.ok_or_else(|| t.cell_error(r, id, "empty partyfacts_id"))?,
                abbreviation: required(t, r, abbreviation)?,
                name_english: required(t, r, name)?,
                source: required(t, r, source)?,
            })
        })
        .collect()
}

fn parse_units(t: &TextTable, countries: &Countries) -> Result<Vec<PartyUnit>> {
    let [country, member, unit, first, last] =
        t.columns(["country", "member_partyfacts_id", "unit_partyfacts_id", "year_first", "year_last"])?;
    t.rows
        .iter()
        .map(|r| {
            Ok(PartyUnit {
                iso3: iso3(t, r, country, countries)?,
                member_partyfacts_id: int(t, r, member)?.ok_or_else(|| t.cell_error(r, member, "empty"))?,
                unit_partyfacts_id: int(t, r, unit)?.ok_or_else(|| t.cell_error(r, unit, "empty"))?,
                year_first: year(t, r, first)?,
                year_last: year(t, r, last)?,
            })
        })
        .collect()
}

fn parse_fh_fallbacks(t: &TextTable, countries: &Countries) -> Result<Vec<FhFallback>> {
    let rows = country_spans(t, countries, "rated_as", "a country cannot be rated as itself", false)?;
    Ok(rows
        .into_iter()
        .map(|(iso3, year_first, year_last, rated_as)| FhFallback { iso3, year_first, year_last, rated_as })
        .collect())
}

fn parse_union_members(t: &TextTable, countries: &Countries) -> Result<Vec<UnionMember>> {
    let rows = country_spans(t, countries, "member", "a state cannot be its own member", true)?;
    Ok(rows
        .into_iter()
        .map(|(iso3, year_first, year_last, member_iso3)| UnionMember { iso3, year_first, year_last, member_iso3 })
        .collect())
}

/// A row of [`country_spans`]: the country's code, its first and last year (none: open), and the
/// other country's code.
type CountrySpan = (String, i32, Option<i32>, String);

/// The rows of a table of a country, a span of years (an empty `year_last` is open) and another
/// country, with a `source`: a span in order, the other country not the country itself, and no
/// span overlapping an earlier row's of the same country (and, `per_pair`, other country).
fn country_spans(
    t: &TextTable,
    countries: &Countries,
    other_column: &str,
    itself: &str,
    per_pair: bool,
) -> Result<Vec<CountrySpan>> {
    let [country, first, last, other, source] =
        t.columns(["country", "year_first", "year_last", other_column, "source"])?;
    let mut rows: Vec<CountrySpan> = Vec::with_capacity(t.rows.len());
    for r in &t.rows {
        required(t, r, source)?;
        let row = (
            iso3(t, r, country, countries)?,
            year(t, r, first)?.ok_or_else(|| t.cell_error(r, first, "empty, but every row needs one"))?,
            year(t, r, last)?,
            iso3(t, r, other, countries)?,
        );
        let ends = |row: &(String, i32, Option<i32>, String)| row.2.unwrap_or(i32::MAX);
        if ends(&row) < row.1 {
            return Err(t.cell_error(r, last, "year_last is before year_first").into());
        }
        if row.3 == row.0 {
            return Err(t.cell_error(r, other, itself).into());
        }
        if rows.iter().any(|o| o.0 == row.0 && (!per_pair || o.3 == row.3) && o.1 <= ends(&row) && row.1 <= ends(o)) {
            return Err(t.cell_error(r, first, "overlaps the years of an earlier row for the same country").into());
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_tables_load() {
        let r = Reference::load(None).unwrap();
        assert!(r.aliases.iter().any(|a| a.iso3 == "TZA" && a.partyfacts_id == 2328));
        assert!(r.units.iter().any(|u| u.member_partyfacts_id == 1731 && u.unit_partyfacts_id == 211));
        assert!(r.dpi_placeholders.iter().any(|(v, _)| v == "independent"));
        let serbia: Vec<(i32, &str)> =
            r.fh_fallbacks.iter().filter(|f| f.iso3 == "SRB").map(|f| (f.year_first, f.rated_as.as_str())).collect();
        assert_eq!(serbia, [(2002, "YUG"), (2003, "SCG")]);
        let union: Vec<(&str, i32)> = r
            .union_members
            .iter()
            .filter(|m| m.iso3 == "SCG")
            .map(|m| (m.member_iso3.as_str(), m.year_first))
            .collect();
        assert_eq!(union, [("MNE", 2003), ("SRB", 2003)]);
        assert!(r.abbreviations.iter().any(|a| a.abbreviation == "CPV"));
        let [topic] = r.keywords.columns(["topic"]).unwrap();
        assert!(r.keywords.rows.iter().any(|row| row.cells[topic] == "belt_and_road"));
    }

    #[test]
    fn overlapping_fh_fallbacks_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("fh_country_fallbacks.csv"),
            "country,year_first,year_last,rated_as,source\nSerbia,2002,2004,Yugoslavia,x\nSerbia,2004,,Serbia and Montenegro,y\n",
        )
        .unwrap();
        let e = format!("{:#}", Reference::load(Some(dir.path())).err().unwrap());
        assert!(e.contains("fh_country_fallbacks.csv") && e.contains("overlaps"), "{e}");
    }

    #[test]
    fn a_union_state_cannot_be_its_own_member() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("union_states.csv"),
            "country,year_first,year_last,member,source\nYugoslavia,1992,2006,Serbia,x\nYugoslavia,1992,,FR Yugoslavia,y\n",
        )
        .unwrap();
        let e = format!("{:#}", Reference::load(Some(dir.path())).err().unwrap());
        assert!(e.contains("union_states.csv, row 3, column \"member\"") && e.contains("its own member"), "{e}");
    }

    #[test]
    fn a_bad_override_names_its_cell() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("party_overrides.csv"),
            "country,name,year_first,year_last,partyfacts_id,decided_by,reason\nJapan,X,,,maybe,me,why\n",
        )
        .unwrap();
        let e = format!("{:#}", Reference::load(Some(dir.path())).err().unwrap());
        assert!(e.contains("party_overrides.csv, row 2, column \"partyfacts_id\", value \"maybe\""), "{e}");
    }
}
