//! The load step: the contacts and every source read, the sources' countries put to ISO3 codes,
//! and the tables the SQL stages start from.
//!
//! [`read`] holds one reader per file format (the contacts, Freedom House, DPI, Party Facts,
//! ParlGov's cabinets), [`paths`] where the source files are, [`reference`] the curated tables
//! of `reference/` (with [`countries`], the spellings of country names, and [`crosswalk`], the
//! reviewed DPI links, successions and alliances), [`cabinets`] ParlGov's cabinets as a
//! calendar, [`tables`] the sources as Arrow tables, and [`error`] the positioned errors every
//! reader reports.

pub mod cabinets;
pub mod countries;
pub mod crosswalk;
pub mod error;
pub mod paths;
pub mod read;
pub mod reference;
pub mod reference_dir;
pub mod tables;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::load::cabinets::Cabinets;
use crate::load::countries::Countries;
use crate::load::error::DataError;
use crate::load::paths::SourcePaths;
use crate::load::read::dpi::DpiRow;
use crate::load::read::fh::FhRating;
use crate::load::read::parlgov::CabinetParty;
use crate::load::read::partyfacts::{CoreParty, DpiImportParty, ExternalParty};
use crate::load::read::{dpi, fh, parlgov, partyfacts};
use crate::shared::parallel;

/// Every source, parsed.
pub struct Sources {
    pub fh: Vec<(String, FhRating)>,
    pub dpi: Vec<(String, DpiRow)>,
    pub pf_core: Vec<(String, CoreParty)>,
    pub pf_external: Vec<(String, ExternalParty)>,
    /// Self-links dropped from the external parties file.
    pub pf_external_dropped: usize,
    pub pf_dpi_import: Vec<DpiImportParty>,
    /// ParlGov's cabinet rows (one per cabinet and party in parliament).
    pub parlgov: Vec<(String, CabinetParty)>,
    /// The same cabinets as a calendar: which one was in office on a day.
    pub cabinets: Cabinets,
}

impl Sources {
    pub fn read(paths: &SourcePaths, countries: &Countries) -> Result<Sources> {
        // The files are independent: read them side by side.
        let ((fh, dpi), (core, (external, (import, cabinet_rows)))) = parallel::join(
            || {
                parallel::join(
                    || timed("reading Freedom House", || fh::read_ratings(&paths.fh)),
                    || timed("reading DPI", || dpi::read(&paths.dpi)),
                )
            },
            || {
                let core = timed("reading Party Facts core", || partyfacts::read_core(&paths.partyfacts_core));
                let external =
                    timed("reading Party Facts external", || partyfacts::read_external(&paths.partyfacts_external));
                let import = partyfacts::read_dpi_import(&paths.partyfacts_dpi);
                let cabinets = timed("reading ParlGov", || parlgov::read(&paths.parlgov_cabinets));
                (core, (external, (import, cabinets)))
            },
        );
        let fh = with_iso3(fh?, countries, |r| (r.country.as_str(), fh_error(&paths.fh, r, "")))?;
        check_one_rating_per_year(&paths.fh, &fh)?;
        let dpi = with_iso3(dpi?, countries, |r| {
            (r.countryname.as_str(), DataError::new(&paths.dpi, "").row(r.row).column("countryname"))
        })?;
        let pf_core = with_iso3(core?, countries, |p| {
            (p.country.as_str(), DataError::new(&paths.partyfacts_core, "").column("country"))
        })?;
        let (external, pf_external_dropped) = external?;
        let pf_external = with_iso3(external, countries, |p| {
            (p.country.as_str(), DataError::new(&paths.partyfacts_external, "").column("country"))
        })?;
        let pf_dpi_import = import?;
        let parlgov = with_iso3(cabinet_rows?, countries, |c| {
            (c.country.as_str(), DataError::new(&paths.parlgov_cabinets, "").row(c.row).column("country_name_short"))
        })?;
        let cabinets = Cabinets::new(&paths.parlgov_cabinets, &parlgov)?;
        Ok(Sources { fh, dpi, pf_core, pf_external, pf_external_dropped, pf_dpi_import, parlgov, cabinets })
    }

    /// The same sources without the names some of Party Facts' linked datasets give (by
    /// `dataset_key`): the evaluation holds out V-Party's and Wikipedia's, the crosswalk audit
    /// DPI's own. Only the Party Facts names are kept.
    pub fn without_datasets(&self, keys: &[&str]) -> Sources {
        Sources {
            fh: Vec::new(),
            dpi: Vec::new(),
            pf_core: self.pf_core.clone(),
            pf_external: self
                .pf_external
                .iter()
                .filter(|(_, p)| !keys.contains(&p.dataset_key.as_str()))
                .cloned()
                .collect(),
            pf_external_dropped: self.pf_external_dropped,
            pf_dpi_import: self.pf_dpi_import.clone(),
            parlgov: Vec::new(),
            cabinets: Cabinets::default(),
        }
    }
}

fn timed<T>(label: &str, read: impl FnOnce() -> T) -> T {
    let _timer = crate::shared::timing::start(|| label.to_string());
    read()
}

/// Pairs each record with the ISO3 code of its country. A spelling the reference table does not
/// know is an error naming where it stands: silently dropping a country would lose its rows.
fn with_iso3<T>(
    records: Vec<T>,
    countries: &Countries,
    place: impl Fn(&T) -> (&str, DataError),
) -> Result<Vec<(String, T)>> {
    records
        .into_iter()
        .map(|r| {
            let (spelling, mut error) = place(&r);
            match countries.resolve(spelling).or_else(|| countries.by_iso3(spelling)) {
                Some(c) => Ok((c.iso3.clone(), r)),
                None => {
                    error.value = Some(spelling.to_string());
                    error.problem = "country not in reference/countries.csv; add the spelling there".to_string();
                    Err(error.into())
                }
            }
        })
        .collect()
}

fn fh_error(path: &Path, r: &FhRating, problem: impl Into<String>) -> DataError {
    DataError::new(path, problem).sheet(&r.sheet).row(r.row).column("A")
}

/// Two sheet rows (say "Germany" and "Germany, W.") must not both rate one country in one year.
fn check_one_rating_per_year(path: &Path, ratings: &[(String, FhRating)]) -> Result<()> {
    let mut seen: BTreeMap<(&str, i32), &FhRating> = BTreeMap::new();
    for (iso3, r) in ratings {
        if let Some(first) = seen.insert((iso3, r.year), r) {
            let problem = format!(
                "{iso3} {} is rated twice: also by {:?} in sheet {:?} row {}",
                r.year, first.country, first.sheet, first.row
            );
            return Err(fh_error(path, r, problem).value(&r.country).into());
        }
    }
    Ok(())
}
