//! A partner as written, taken apart for lookup: its name in the forms worth trying, and the
//! abbreviation it gives.

use super::distance::within_one_edit;
use crate::load::countries::{Countries, Spelling};
use crate::shared::normalize::fold;

/// What the resolver looks up for one partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The partner as written.
    pub written: String,
    /// Folded forms of the name, most literal first: as written with its bracket
    /// ("Communist Party of India (Marxist)"), without the bracket, without a possessive
    /// country prefix ("Japan's"), without a country suffix ("of Germany", "in Nepal").
    pub variants: Vec<String>,
    /// The abbreviation the partner gives, folded: the bracketed one, or the whole partner
    /// when it is a single short word in capitals ("ANC", "ZANU-PF").
    pub acronym: Option<String>,
    /// True when the partner is nothing but an abbreviation.
    pub only_acronym: bool,
}

impl Query {
    pub fn new(countries: &Countries, iso3: &str, partner: &str) -> Query {
        let (name, bracket) = split_bracket(partner);
        let mut variants = name_variants(countries, iso3, name);
        if bracket.is_some() {
            let whole = fold(partner);
            variants.retain(|v| *v != whole);
            variants.insert(0, whole);
        }
        let only_acronym = bracket.is_none() && looks_like_acronym(name);
        let acronym = bracket
            .filter(|b| looks_like_acronym(b))
            .map(fold)
            .or_else(|| only_acronym.then(|| fold(name)))
            .filter(|a| !a.is_empty());
        Query { written: partner.trim().to_string(), variants, acronym, only_acronym }
    }

    /// What a ranking of the country's parties reads of the query: its forms and abbreviation.
    pub fn ranking_key(&self) -> (&[String], Option<&str>) {
        (&self.variants, self.acronym.as_deref())
    }

    /// Whether the two queries rank a country's parties alike: the same [`Query::ranking_key`].
    pub fn ranks_like(&self, other: &Query) -> bool {
        self.ranking_key() == other.ranking_key()
    }
}

/// "Communist Party of Vietnam (CPV)" -> ("Communist Party of Vietnam", Some("CPV")); an
/// abbreviation whose opening bracket was lost counts too: "Sosiaalidemokraattinen Puolue SDP)".
pub fn split_bracket(partner: &str) -> (&str, Option<&str>) {
    let trimmed = partner.trim();
    if let Some(open) = trimmed.rfind('(') {
        if trimmed.ends_with(')') && open > 0 {
            let inner = trimmed[open + 1..trimmed.len() - 1].trim();
            if !inner.is_empty() {
                return (trimmed[..open].trim(), Some(inner));
            }
        }
    } else if let Some(rest) = trimmed.strip_suffix(')')
        && let Some((name, last)) = rest.trim_end().rsplit_once(' ')
        && looks_like_acronym(last)
        && !name.trim().is_empty()
    {
        return (name.trim(), Some(last));
    }
    (trimmed, None)
}

/// A single word of at most twelve characters, mostly capitals: "ANC", "ZANU-PF", "PDP-Laban".
fn looks_like_acronym(name: &str) -> bool {
    let name = name.trim();
    if name.contains(' ') || name.chars().count() > 12 {
        return false;
    }
    let (letters, capitals) = name
        .chars()
        .filter(|c| c.is_alphabetic())
        .fold((0, 0), |(letters, capitals), c| (letters + 1, capitals + usize::from(c.is_uppercase())));
    letters > 0 && capitals * 2 > letters
}

/// The folded forms of a name worth looking up.
fn name_variants(countries: &Countries, iso3: &str, name: &str) -> Vec<String> {
    let mut variants = vec![fold(name)];
    let lower = name.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
    let lower = lower.trim();
    let lower = lower.strip_prefix("the ").unwrap_or(lower);
    let spellings = countries.spellings_in_lower_case(iso3);
    for spelling in spellings.iter().map(|s| s.lower.as_str()) {
        // "Japan's X", "Japan' X".
        if let Some(rest) = lower.strip_prefix(spelling) {
            for possessive in ["'s ", "' "] {
                if let Some(rest) = rest.strip_prefix(possessive) {
                    variants.push(fold(rest));
                }
            }
        }
        // "X of Japan", "X of the Philippines", "X in Nepal", "X, Japan".
        if let Some(head) = lower.strip_suffix(spelling) {
            for joint in [" of ", " in ", ", "] {
                for article in ["", "the "] {
                    if let Some(rest) = head.strip_suffix(article).and_then(|h| h.strip_suffix(joint)) {
                        variants.push(fold(rest));
                    }
                }
            }
        }
    }
    // Without a misspelled country at the end: "... Party of Ecuaor".
    let folded = fold(lower);
    for joint in [" of ", " in "] {
        if let Some((head, tail)) = folded.rsplit_once(joint) {
            let misspelled = |s: &Spelling| tail.len() >= 5 && tail != s.folded && within_one_edit(tail, &s.folded);
            if spellings.iter().any(misspelled) {
                variants.push(head.to_string());
            }
        }
    }
    // A word written twice in a row once ("the The Democratic Party", "Social Social
    // Democrats"), and "party" with a letter swapped, lost or added ("aPrty", "Pary"), though
    // not substituted ("Parti" and "Parte" are words of their own).
    let mended: Vec<String> = variants
        .iter()
        .map(|v| {
            let mut words: Vec<&str> = v.split(' ').collect();
            words.dedup();
            for w in words.iter_mut() {
                let swapped = || {
                    let mut letters: Vec<u8> = w.bytes().collect();
                    letters.sort_unstable();
                    letters == b"aprty"
                };
                if *w != "party" && within_one_edit(w, "party") && (w.len() != 5 || swapped()) {
                    *w = "party";
                }
            }
            words.join(" ")
        })
        .collect();
    variants.extend(mended);
    // Each form once, where it first comes (a handful of forms: no set needed).
    let mut kept: Vec<String> = Vec::with_capacity(variants.len());
    for v in variants {
        if !v.is_empty() && !kept.contains(&v) {
            kept.push(v);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_drop_possessives_and_country_suffixes() {
        let c = Countries::embedded().unwrap();
        let q = Query::new(&c, "JPN", "Japan's New Komeito");
        assert_eq!(q.variants, ["japans new komeito", "new komeito"]);
        let q = Query::new(&c, "VNM", "the Communist Party of Viet Nam (CPV)");
        assert_eq!(q.variants, ["communist party of viet nam cpv", "communist party of viet nam", "communist party"]);
        assert_eq!(q.acronym.as_deref(), Some("cpv"));
        assert!(!q.only_acronym);
        let q = Query::new(&c, "IND", "Communist Party of India (Marxist)");
        assert_eq!(q.acronym, None, "a bracketed word is not an abbreviation");
    }

    #[test]
    fn damaged_text_gets_its_clean_forms() {
        let c = Countries::embedded().unwrap();
        let q = Query::new(&c, "FIN", "Sosiaalidemokraattinen Puolue SDP)");
        assert_eq!(q.acronym.as_deref(), Some("sdp"));
        assert!(q.variants.contains(&"sosiaalidemokraattinen puolue".to_string()), "{:?}", q.variants);
        let q = Query::new(&c, "ECU", "January 21 Patriotic Society Party of Ecuaor");
        assert!(q.variants.contains(&"january 21 patriotic society party".to_string()), "{:?}", q.variants);
        let q = Query::new(&c, "JPN", "the The Democratic Party of Japan");
        assert_eq!(q.variants[0], "democratic party of japan", "fold drops every leading 'the'");
        let q = Query::new(&c, "PHL", "the Liberal aPrty");
        assert!(q.variants.contains(&"liberal party".to_string()), "{:?}", q.variants);
        assert_eq!(Query::new(&c, "FRA", "Parti Socialiste").variants, ["parti socialiste"]);
        let q = Query::new(&c, "DEU", "Social Social Democratic Party");
        assert!(q.variants.contains(&"social democratic party".to_string()), "{:?}", q.variants);
        // A country spelled right is stripped as before, and a real word is not a country.
        let q = Query::new(&c, "ECU", "Party of Ecuador");
        assert_eq!(q.variants, ["party of ecuador", "party"]);
        assert_eq!(split_bracket("Unity (of the People"), ("Unity (of the People", None));
    }

    #[test]
    fn a_lone_abbreviation_is_its_own_acronym() {
        let c = Countries::embedded().unwrap();
        let q = Query::new(&c, "ZWE", "ZANU-PF");
        assert!(q.only_acronym);
        assert_eq!(q.acronym.as_deref(), Some("zanu pf"));
        assert!(!Query::new(&c, "DEU", "Die Linke").only_acronym);
    }
}
