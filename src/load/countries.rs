//! Country resolution: free-text country names to ISO3 codes through `reference/countries.csv`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::load::error::DataError;
use crate::load::read::text_table::TextTable;
use crate::shared::normalize::fold;

/// The curated spelling table shipped with partylink.
pub const EMBEDDED_COUNTRIES: &str = include_str!("../../reference/countries.csv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub iso3: String,
    pub name: String,
    /// UN M49 region (Africa, Americas, Asia, Europe, Oceania), from the optional `region` column.
    pub region: Option<String>,
    /// UN M49 sub-region or intermediate region, from the optional `subregion` column.
    pub subregion: Option<String>,
}

/// Looks up country spellings by their folded form.
#[derive(Debug, Clone)]
pub struct Countries {
    by_key: BTreeMap<String, Country>,
    by_iso3: BTreeMap<String, Country>,
    /// Spellings exactly as curated, for loading as a table: (iso3, name, spelling, source).
    pub spellings: Vec<[String; 4]>,
    /// Each country's spellings in lower case and folded, in table order, for the resolver
    /// to find in partner names without looking through the whole table.
    by_country: BTreeMap<String, Vec<Spelling>>,
}

/// A country's spelling as a partner name may contain it.
#[derive(Debug, Clone)]
pub struct Spelling {
    /// As curated, in lower case.
    pub lower: String,
    /// Folded.
    pub folded: String,
}

impl Countries {
    pub fn embedded() -> Result<Countries> {
        Self::parse(Path::new("reference/countries.csv (built in)"), EMBEDDED_COUNTRIES.as_bytes())
    }

    pub fn from_file(path: &Path) -> Result<Countries> {
        let bytes = std::fs::read(path).map_err(|e| DataError::new(path, format!("cannot read: {e}")))?;
        Self::parse(path, &bytes)
    }

    /// Parses the spelling table. Two spellings that fold to the same key but name different
    /// countries are an error: resolution must never depend on row order. Columns other than
    /// the four required ones are ignored, except `region` and `subregion`, which are read when
    /// present (an empty cell is no value) and must be the same on every row of an ISO3 code.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Countries> {
        let table = TextTable::parse_csv(path, bytes)?;
        let [iso3, name, spelling, source] = table.columns(["iso3", "name", "spelling", "source"])?;
        let [region, subregion] = ["region", "subregion"].map(|c| table.column(c).ok());
        let mut by_key: BTreeMap<String, Country> = BTreeMap::new();
        let mut by_iso3: BTreeMap<String, Country> = BTreeMap::new();
        let mut spellings = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let cell = |c: usize| row.cells[c].trim().to_string();
            let optional = |c: Option<usize>| c.map(cell).filter(|v| !v.is_empty());
            let country = Country {
                iso3: cell(iso3),
                name: cell(name),
                region: optional(region),
                subregion: optional(subregion),
            };
            if country.iso3.len() != 3 || !country.iso3.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(table.cell_error(row, iso3, "not a three-letter upper-case code").into());
            }
            let key = fold(&row.cells[spelling]);
            if key.is_empty() {
                return Err(table.cell_error(row, spelling, "empty spelling").into());
            }
            if let Some(previous) = by_key.get(&key)
                && previous.iso3 != country.iso3
            {
                let problem = format!("this spelling already names {} ({})", previous.name, previous.iso3);
                return Err(table.cell_error(row, spelling, problem).into());
            }
            if let Some(first) = by_iso3.get(&country.iso3) {
                for (col, ours, theirs) in
                    [(region, &country.region, &first.region), (subregion, &country.subregion, &first.subregion)]
                {
                    if let Some(col) = col.filter(|_| ours != theirs) {
                        let problem =
                            format!("{} has {:?} on an earlier row", country.iso3, theirs.as_deref().unwrap_or(""));
                        return Err(table.cell_error(row, col, problem).into());
                    }
                }
            }
            spellings.push([country.iso3.clone(), country.name.clone(), cell(spelling), cell(source)]);
            by_iso3.entry(country.iso3.clone()).or_insert_with(|| country.clone());
            by_key.insert(key, country);
        }
        let mut by_country: BTreeMap<String, Vec<Spelling>> = BTreeMap::new();
        for [iso3, _, spelling, _] in &spellings {
            let spelling = Spelling { lower: spelling.to_lowercase(), folded: fold(spelling) };
            by_country.entry(iso3.clone()).or_default().push(spelling);
        }
        Ok(Countries { by_key, by_iso3, spellings, by_country })
    }

    /// The country a spelling names, if the table knows it.
    pub fn resolve(&self, spelling: &str) -> Option<&Country> {
        self.by_key.get(&fold(spelling))
    }

    /// The country of an ISO3 code as such (Party Facts writes countries as codes).
    pub fn by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.by_iso3.get(iso3)
    }

    /// Every curated spelling of an ISO3 code.
    pub fn spellings_of<'a>(&'a self, iso3: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.spellings.iter().filter(move |s| s[0] == iso3).map(|s| s[2].as_str())
    }

    /// The spellings of an ISO3 code in lower case and folded, in table order.
    pub fn spellings_in_lower_case(&self, iso3: &str) -> &[Spelling] {
        self.by_country.get(iso3).map_or(&[], Vec::as_slice)
    }

    /// The UN M49 region of an ISO3 code ("Asia", "Europe", ...), if the table gives one.
    pub fn region(&self, iso3: &str) -> Option<&str> {
        self.by_iso3.get(iso3)?.region.as_deref()
    }

    /// The UN M49 sub-region of an ISO3 code ("South-eastern Asia", "Eastern Africa", ...), if the
    /// table gives one.
    pub fn subregion(&self, iso3: &str) -> Option<&str> {
        self.by_iso3.get(iso3)?.subregion.as_deref()
    }

    /// The canonical name of an ISO3 code.
    pub fn name_of(&self, iso3: &str) -> Option<&str> {
        self.spellings.iter().find(|s| s[0] == iso3).map(|s| s[1].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_resolves_the_spellings_sources_use() {
        let countries = Countries::embedded().unwrap();
        for (spelling, iso3) in [
            ("FRG/Germany", "DEU"),
            ("Germany", "DEU"),
            ("PRK", "PRK"),
            ("DPRK", "PRK"),
            ("S. Africa", "ZAF"),
            ("Congo (DRC)", "COD"),
            ("Congo (Kinshasa)", "COD"),
            ("Congo", "COG"),
            ("Viet Nam", "VNM"),
            ("Lao PDR", "LAO"),
            ("Russian Federation", "RUS"),
            ("Swaziland", "SWZ"),
            ("Eswatini", "SWZ"),
            ("ROM", "ROU"),
            ("TMP", "TLS"),
            ("ZAR", "COD"),
            ("the Netherlands", "NLD"),
        ] {
            assert_eq!(countries.resolve(spelling).map(|c| c.iso3.as_str()), Some(iso3), "{spelling}");
        }
        assert!(countries.resolve("Korea").is_none());
    }

    #[test]
    fn embedded_table_gives_every_country_a_region() {
        let countries = Countries::embedded().unwrap();
        for (iso3, region, subregion) in [
            ("VNM", "Asia", Some("South-eastern Asia")),
            ("DEU", "Europe", Some("Western Europe")),
            ("ZAF", "Africa", Some("Southern Africa")),
            ("CUB", "Americas", Some("Caribbean")),
            ("USA", "Americas", Some("Northern America")),
            ("FJI", "Oceania", Some("Melanesia")),
            ("XKX", "Europe", Some("Southern Europe")),
            ("XNC", "Asia", Some("Western Asia")),
            ("SUN", "Europe", Some("Eastern Europe")),
            ("TWN", "Asia", Some("Eastern Asia")),
            ("XEU", "Europe", None),
        ] {
            assert_eq!(countries.region(iso3), Some(region), "{iso3}");
            assert_eq!(countries.subregion(iso3), subregion, "{iso3}");
        }
        let regions = ["Africa", "Americas", "Asia", "Europe", "Oceania", "Antarctica"];
        for s in &countries.spellings {
            assert!(countries.region(&s[0]).is_some_and(|r| regions.contains(&r)), "{} has no region", s[0]);
        }
    }

    #[test]
    fn region_columns_are_optional_and_must_agree_within_a_country() {
        let plain = "iso3,name,spelling,source\nVNM,Vietnam,Vietnam,canonical\n";
        let countries = Countries::parse(Path::new("c.csv"), plain.as_bytes()).unwrap();
        assert_eq!(countries.region("VNM"), None);
        let extra = "iso3,name,spelling,source,note\nVNM,Vietnam,Vietnam,canonical,x\n";
        assert!(Countries::parse(Path::new("c.csv"), extra.as_bytes()).is_ok());
        let split = "iso3,name,spelling,source,region,subregion\n\
                     VNM,Vietnam,Vietnam,canonical,Asia,South-eastern Asia\n\
                     VNM,Vietnam,Viet Nam,iso,Asia,Eastern Asia\n";
        let e = Countries::parse(Path::new("c.csv"), split.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("row 3, column \"subregion\""), "{e}");
    }

    #[test]
    fn colliding_spellings_are_rejected() {
        let csv = "iso3,name,spelling,source\nCOG,Republic of the Congo,Congo,dpi\nCOD,DR Congo,congo,news\n";
        let e = Countries::parse(Path::new("c.csv"), csv.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("c.csv, row 3, column \"spelling\", value \"congo\": this spelling already names"), "{e}");
    }
}
