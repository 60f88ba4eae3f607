//! Where things are: country names (`reference/countries.csv`), their adjectives
//! (`reference/demonyms.csv`) and cities and Chinese provinces (`reference/places.csv`),
//! found in an item's folded text by one multi-pattern automaton.

use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use anyhow::Result;

use crate::load::countries::Countries;
use crate::load::read::text_table::TextTable;

use super::text::Folded;

pub const EMBEDDED_DEMONYMS: &str = include_str!("../../reference/demonyms.csv");
pub const EMBEDDED_PLACES: &str = include_str!("../../reference/places.csv");

/// An ISO3 code (or one of `countries.csv`'s own codes), small and copied freely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iso3([u8; 3]);

impl Iso3 {
    pub const CHINA: Iso3 = Iso3(*b"CHN");

    pub fn new(code: &str) -> Option<Iso3> {
        let b = code.as_bytes();
        (b.len() == 3 && b.iter().all(u8::is_ascii_uppercase)).then(|| Iso3([b[0], b[1], b[2]]))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII letters")
    }

    /// China and the places whose names are topics of the CPC's talks rather than partners'
    /// countries (Taiwan, Hong Kong, Macao, Tibet).
    pub fn is_chinese(&self) -> bool {
        matches!(&self.0, b"CHN" | b"TWN" | b"HKG" | b"MAC" | b"XTB")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Demonym,
    Capital,
    City,
    /// A Chinese province or autonomous region.
    Province,
}

/// A place named in an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceHit {
    pub iso3: Iso3,
    pub kind: PlaceKind,
    /// Folded bytes (within [`Folded::text`]) and original bytes of the mention.
    pub folded: (usize, usize),
    pub start: usize,
    pub end: usize,
}

impl PlaceHit {
    pub fn is_town(&self) -> bool {
        matches!(self.kind, PlaceKind::Capital | PlaceKind::City | PlaceKind::Province)
    }
}

pub struct Places {
    automaton: AhoCorasick,
    entries: Vec<Vec<(Iso3, PlaceKind)>>,
    /// Pattern of each folded name.
    index: std::collections::HashMap<String, usize>,
    /// Every form as the tables write it.
    written: Vec<(String, Iso3, PlaceKind)>,
    pub countries: Countries,
}

impl Places {
    /// The built-in tables.
    pub fn built_in() -> &'static Places {
        static PLACES: OnceLock<Places> = OnceLock::new();
        PLACES.get_or_init(|| {
            Places::new(
                Countries::embedded().expect("the built-in countries.csv is valid"),
                EMBEDDED_DEMONYMS.as_bytes(),
                EMBEDDED_PLACES.as_bytes(),
            )
            .expect("the built-in demonyms.csv and places.csv are valid")
        })
    }

    /// The tables, each replaced by its copy in `dir` where there is one.
    pub fn load(dir: Option<&Path>, countries: &Countries) -> Result<Places> {
        let read = |name: &str, built_in: &str| -> Result<Vec<u8>> {
            match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(path) => std::fs::read(&path)
                    .map_err(|e| crate::load::error::DataError::new(&path, format!("cannot read: {e}")).into()),
                None => Ok(built_in.as_bytes().to_vec()),
            }
        };
        Places::new(countries.clone(), &read("demonyms.csv", EMBEDDED_DEMONYMS)?, &read("places.csv", EMBEDDED_PLACES)?)
    }

    pub fn new(countries: Countries, demonyms: &[u8], places: &[u8]) -> Result<Places> {
        let mut forms: Vec<(String, Iso3, PlaceKind)> = Vec::new();
        for [iso3, _, spelling, source] in &countries.spellings {
            // Codes that only sources write (DPI's ifs, Party Facts' own) are no words of news.
            if matches!(source.as_str(), "dpi_ifs" | "partyfacts") {
                continue;
            }
            if let Some(code) = Iso3::new(iso3) {
                forms.push((spelling.clone(), code, PlaceKind::Country));
            }
        }
        let table = TextTable::parse_csv(Path::new("reference/demonyms.csv"), demonyms)?;
        let [demonym, country] = table.columns(["demonym", "country"])?;
        for row in &table.rows {
            let code = code_of(&countries, &row.cells[country])
                .ok_or_else(|| table.cell_error(row, country, "not a country in countries.csv"))?;
            forms.push((row.cells[demonym].clone(), code, PlaceKind::Demonym));
        }
        let table = TextTable::parse_csv(Path::new("reference/places.csv"), places)?;
        let [place, country, kind] = table.columns(["place", "country", "kind"])?;
        for row in &table.rows {
            let code = code_of(&countries, &row.cells[country])
                .ok_or_else(|| table.cell_error(row, country, "not a country in countries.csv"))?;
            let kind = match row.cells[kind].trim() {
                "capital" => PlaceKind::Capital,
                "city" => PlaceKind::City,
                "province" => PlaceKind::Province,
                _ => return Err(table.cell_error(row, kind, "kind must be capital, city or province").into()),
            };
            forms.push((row.cells[place].clone(), code, kind));
        }
        let written = forms.clone();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<(Iso3, PlaceKind)>> = Vec::new();
        for (form, code, kind) in forms {
            let folded = crate::shared::normalize::fold(&form);
            if folded.is_empty() {
                continue;
            }
            let i = *index.entry(folded.clone()).or_insert_with(|| {
                patterns.push(format!(" {folded}"));
                entries.push(Vec::new());
                patterns.len() - 1
            });
            if !entries[i].contains(&(code, kind)) {
                entries[i].push((code, kind));
            }
        }
        let automaton = AhoCorasick::new(&patterns)?;
        Ok(Places { automaton, entries, index, written, countries })
    }

    /// Every place named in `text` (folded as `folded`), longest first where names overlap
    /// ("South Sudanese" over "Sudanese"), in text order. A name must be capitalised as names
    /// are ("Lao", "Chad"), and written in capitals when it is three letters or fewer ("US").
    pub fn find(&self, text: &str, folded: &Folded) -> Vec<PlaceHit> {
        let mut hits: Vec<PlaceHit> = Vec::new();
        for m in self.automaton.find_overlapping_iter(&folded.text) {
            let (start, end) = (m.start() + 1, m.end());
            let orig = folded.original(start..end);
            // Folding drops apostrophes, so "Kenya's" is folded "kenyas": a country with its
            // possessive is still the country.
            let bytes = folded.text.as_bytes();
            let possessive = bytes.get(end) == Some(&b's')
                && bytes.get(end + 1) == Some(&b' ')
                && (text[orig.end..].starts_with("'s") || text[orig.end..].starts_with("’s"));
            if bytes.get(end) != Some(&b' ') && !possessive {
                continue;
            }
            let written = &text[orig.clone()];
            if !capitalised(written) {
                continue;
            }
            for &(iso3, kind) in &self.entries[m.pattern().as_usize()] {
                hits.push(PlaceHit { iso3, kind, folded: (start, end), start: orig.start, end: orig.end });
            }
        }
        longest_first(hits)
    }

    /// The country of a place's name as written ("Viet Nam", "Lao PDR", a demonym), if any.
    pub fn country_named(&self, written: &str) -> Option<Iso3> {
        let entries = &self.entries[*self.index.get(&crate::shared::normalize::fold(written))?];
        entries.iter().find(|(_, k)| matches!(k, PlaceKind::Country | PlaceKind::Demonym)).map(|(c, _)| *c)
    }

    /// The first form of a kind the tables give a code (its capital, its demonym).
    pub fn form_of(&self, iso3: Iso3, kind: PlaceKind) -> Option<&str> {
        self.written.iter().find(|(_, c, k)| *c == iso3 && *k == kind).map(|(f, _, _)| f.as_str())
    }

    /// The canonical name of a code.
    pub fn name_of(&self, iso3: Iso3) -> String {
        self.countries.name_of(iso3.as_str()).unwrap_or(iso3.as_str()).to_string()
    }
}

fn code_of(countries: &Countries, cell: &str) -> Option<Iso3> {
    let c = countries.by_iso3(cell.trim()).or_else(|| countries.resolve(cell))?;
    Iso3::new(&c.iso3)
}

/// A name as English writes names: its first letter a capital (or a digit), and if it is a
/// short word, all capitals.
pub fn capitalised(written: &str) -> bool {
    let letters = written.chars().filter(|c| c.is_alphanumeric()).count();
    let first = written.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    first && (letters > 3 || written.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) || written == "Lao")
}

/// Of overlapping hits, the longest (then the first); the rest in text order.
fn longest_first(mut hits: Vec<PlaceHit>) -> Vec<PlaceHit> {
    hits.sort_by_key(|h| (std::cmp::Reverse(h.folded.1 - h.folded.0), h.folded.0));
    let mut kept: Vec<PlaceHit> = Vec::new();
    for h in hits {
        let overlaps = kept.iter().any(|k| k.folded.0 < h.folded.1 && h.folded.0 < k.folded.1 && k.folded != h.folded);
        if !overlaps {
            kept.push(h);
        }
    }
    kept.sort_by_key(|h| h.folded.0);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &'static str, PlaceKind)> {
        let p = Places::built_in();
        let f = Folded::new(text);
        p.find(text, &f)
            .into_iter()
            .map(|h| {
                let code: &'static str = Box::leak(h.iso3.as_str().to_string().into_boxed_str());
                (text[h.start..h.end].to_string(), code, h.kind)
            })
            .collect()
    }

    #[test]
    fn countries_demonyms_and_towns_longest_first() {
        use PlaceKind::*;
        assert_eq!(
            found("the South Sudanese delegation left Juba for Ghana, Kenya and Zambia via Dar es Salaam"),
            vec![
                ("South Sudanese".to_string(), "SSD", Demonym),
                ("Juba".to_string(), "SSD", Capital),
                ("Ghana".to_string(), "GHA", Country),
                ("Kenya".to_string(), "KEN", Country),
                ("Zambia".to_string(), "ZMB", Country),
                ("Dar es Salaam".to_string(), "TZA", City),
            ]
        );
        assert_eq!(
            found("the Lao PDR and Kunming"),
            vec![("Lao PDR".to_string(), "LAO", Country), ("Kunming".to_string(), "CHN", City)]
        );
        assert!(found("the japanese lao chad us").is_empty(), "names are capitalised");
        assert_eq!(
            found("the US and Japanese"),
            vec![("US".to_string(), "USA", Country), ("Japanese".to_string(), "JPN", Demonym)]
        );
        assert_eq!(
            found("Kenya's ruling party"),
            vec![("Kenya".to_string(), "KEN", Country)],
            "a possessive is its country"
        );
        assert!(found("Kenyas").is_empty());
    }

    #[test]
    fn a_name_as_written_names_its_country() {
        let p = Places::built_in();
        assert_eq!(p.country_named("Viet Nam").map(|c| c.as_str().to_string()), Some("VNM".into()));
        assert_eq!(p.country_named("the Lao PDR").map(|c| c.as_str().to_string()), Some("LAO".into()));
        assert_eq!(p.country_named("Vietnam Women's Union"), None);
    }
}
