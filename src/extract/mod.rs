//! From news items to contacts (`partylink extract`): read the items ([`news`], [`page`]),
//! tell what each reports ([`kind`]), and find in the meetings who met the CPC side
//! ([`partners`]: parties through the resolver's registry used as a [`gazetteer`], non-party
//! partners by their office), when ([`dates`]) and where ([`venue`]). Each party found is
//! resolved by the resolver itself, so that a party named twice ("CPV", "Communist Party of
//! Vietnam") gives one contact, and what it cannot decide is listed for review.

pub mod cues;
pub mod dates;
pub mod doc;
pub mod evaluate;
pub mod gazetteer;
pub mod kind;
pub mod news;
pub mod non_party;
pub mod page;
pub mod partners;
pub mod party_country;
pub mod places;
pub mod synth;
pub mod tables;
pub mod text;
pub mod venue;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

pub use kind::{ItemKind, classify};
pub use news::{NewsItem, NewsReader, read_news};

use crate::load::countries::Countries;
use crate::resolve::{Method, Outcome, Registry};
use crate::shared::normalize::fold;
use dates::Precision;
use doc::Doc;
use gazetteer::Gazetteer;
use partners::{Found, PartnerKind};
use places::{Iso3, Places};
use venue::Venue;

/// A contact found in an item, with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub contact_id: String,
    pub date: NaiveDate,
    pub date_precision: Precision,
    pub iso3: Iso3,
    /// The country's canonical name (as `countries.csv` writes it).
    pub country: String,
    pub partner: String,
    pub venue: Venue,
    pub partner_kind: PartnerKind,
    pub news_id: String,
    pub item_kind: ItemKind,
    pub sentence: String,
    /// Characters (not bytes) of the item's text where the partner is named, end exclusive.
    pub span_start: usize,
    pub span_end: usize,
    pub rule: String,
    pub confidence: f64,
    /// The Party Facts ids the resolver gives the partner (none for a partner it cannot decide).
    pub partyfacts_ids: Vec<i64>,
}

/// Something the extractor could not decide, for a person to look at.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub news_id: String,
    pub item_kind: ItemKind,
    pub reason: String,
    pub partner: String,
    pub country: String,
    pub date: Option<NaiveDate>,
    pub sentence: String,
}

/// What one item gave.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    pub news_id: String,
    pub origin: String,
    pub kind: ItemKind,
    pub contacts: Vec<Contact>,
    pub reviews: Vec<Review>,
}

pub struct Extractor<'a> {
    pub registry: &'a Registry,
    pub countries: &'a Countries,
    pub places: &'a Places,
    pub gazetteer: &'a Gazetteer,
    /// The resolver's decisions, by (country, year, name as written): news items name the same
    /// parties again and again, and a name the resolver cannot decide costs a ranking of every
    /// party of its country.
    decided: std::sync::Mutex<crate::resolve::FastMap<(Iso3, i32, String), Decision>>,
}

/// What the resolver decided for a name: the parties, the method and the lowest score; or why not.
type Decision = Result<(Vec<i64>, Method, f64), (Outcome, String)>;

impl<'a> Extractor<'a> {
    pub fn new(registry: &'a Registry, countries: &'a Countries, places: &'a Places, gazetteer: &'a Gazetteer) -> Self {
        Extractor { registry, countries, places, gazetteer, decided: Default::default() }
    }

    fn decide(&self, iso3: Iso3, year: i32, written: &str) -> Decision {
        let key = (iso3, year, written.to_string());
        if let Some(d) = self.decided.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return d.clone();
        }
        let r = self.registry.resolve(self.countries, iso3.as_str(), year, written);
        let decision = match r.outcome {
            Outcome::Matched => Ok((
                r.matches.iter().map(|m| m.partyfacts_id).collect(),
                r.matches[0].method,
                r.matches.iter().map(|m| m.score).fold(1.0, f64::min),
            )),
            outcome => Err((outcome, r.reason)),
        };
        self.decided.lock().unwrap_or_else(|p| p.into_inner()).insert(key, decision.clone());
        decision
    }

    /// Every item's result, in input order, on every core.
    pub fn extract_all(&self, items: &[NewsItem]) -> Vec<ItemResult> {
        crate::shared::parallel::map(items, 256, |item| self.extract(item))
    }

    pub fn extract(&self, item: &NewsItem) -> ItemResult {
        let mut result = ItemResult {
            news_id: item.news_id.clone(),
            origin: item.origin.clone(),
            kind: ItemKind::Unreadable,
            contacts: Vec::new(),
            reviews: Vec::new(),
        };
        if let Some(problem) = &item.problem {
            result.reviews.push(self.review(item, ItemKind::Unreadable, problem.clone(), None, None));
            return result;
        }
        let doc = Doc::new(item, self.places);
        result.kind = kind::classify_doc(&doc);
        // An item that reports a meeting without naming a foreign country is still a meeting when
        // it names a party the gazetteer places in one.
        let may_meet = result.kind == ItemKind::Other && doc.sentences.iter().any(|s| doc.reports_meeting(s));
        if result.kind != ItemKind::Meeting && !may_meet {
            return result;
        }
        let found = partners::find(&doc, self.gazetteer);
        if may_meet {
            if !found.iter().any(|f| f.kind == PartnerKind::Party && !f.unnamed && f.iso3.is_some()) {
                // Counted as other, but shown: a meeting with a party the gazetteer does not
                // know, in a country the item does not name, would otherwise be lost unseen.
                let reason = "the item reports a meeting but names no foreign country or known party: counted as other";
                result.reviews.push(self.review(item, result.kind, reason.into(), None, None));
                return result;
            }
            result.kind = ItemKind::Meeting;
        }
        let named: BTreeSet<Iso3> =
            found.iter().filter(|f| !f.unnamed && f.kind == PartnerKind::Party).filter_map(|f| f.iso3).collect();
        let year = dates::reference_day(doc.dateline.as_ref(), item.date).or(item.date).map(|d| d.year());
        let mut taken_ids: BTreeSet<i64> = BTreeSet::new();
        let mut taken_names: BTreeSet<(Option<Iso3>, PartnerKind, String)> = BTreeSet::new();
        let mut taken_open: BTreeSet<(Option<Iso3>, Vec<i64>)> = BTreeSet::new();
        for f in found {
            if f.unnamed && f.iso3.is_some_and(|c| named.contains(&c)) {
                continue;
            }
            let resolved = self.resolve(&f, f.date.as_ref().ok().map(|d| d.date.year()).or(year));
            if !resolved.ids.is_empty() && resolved.ids.iter().all(|id| taken_ids.contains(id)) {
                continue;
            }
            if resolved.ids.is_empty() && f.candidates.len() == 1 && taken_ids.contains(&f.candidates[0]) {
                continue;
            }
            // A name the resolver left open, named again ("the Serbian Progressive Party (SNS)
            // ... the SNS"): the same parties of the same country, one review.
            let open = resolved.ids.is_empty().then(|| {
                let mut ids = f.candidates.clone();
                ids.sort_unstable();
                ids.dedup();
                (f.iso3, ids)
            });
            if open.as_ref().is_some_and(|o| !o.1.is_empty() && taken_open.contains(o)) {
                continue;
            }
            if !taken_names.insert((f.iso3, f.kind, fold(&f.partner))) {
                continue;
            }
            if let Some(open) = open {
                taken_open.insert(open);
            }
            taken_ids.extend(resolved.ids.iter().copied());
            self.push(&doc, &mut result, f, resolved);
        }
        if result.contacts.is_empty() && result.reviews.is_empty() {
            result.reviews.push(self.review(
                item,
                result.kind,
                "the item reports a meeting, but no partner with a country was found".into(),
                None,
                None,
            ));
        }
        result
    }

    fn push(&self, doc: &Doc, result: &mut ItemResult, mut f: Found, resolved: Resolved) {
        let item = doc.item;
        if let Some(partner) = &resolved.partner {
            f.partner = partner.clone();
        }
        let sentence = doc.text[f.sentence.clone()].to_string();
        let review = |reason: String, date: Option<NaiveDate>| Review {
            news_id: item.news_id.clone(),
            item_kind: result.kind,
            reason,
            partner: f.partner.clone(),
            country: f.iso3.map(|c| self.places.name_of(c)).unwrap_or_default(),
            date,
            sentence: sentence.clone(),
        };
        let Some(iso3) = f.iso3 else {
            result.reviews.push(review(format!("no country for the {}", f.kind.as_str().replace('_', "-")), None));
            return;
        };
        let date = match f.date {
            Ok(d) => d,
            Err(why) => {
                result.reviews.push(review(format!("the meeting's date cannot be placed: {why}"), None));
                return;
            }
        };
        if f.unnamed {
            result.reviews.push(review("a party named only by its country: which party?".into(), Some(date.date)));
        } else if let Some(why) = &resolved.review {
            result.reviews.push(review(format!("the resolver cannot decide the party: {why}"), Some(date.date)));
        } else if resolved.rule.starts_with("resolver dpi_tiebreak") {
            let why = "the name fits several parties of the country; the resolver took the one DPI names that year";
            result.reviews.push(review(why.to_string(), Some(date.date)));
        }
        let chars = |byte: usize| doc.text[..byte].chars().count();
        let confidence = match f.kind {
            PartnerKind::Party if f.unnamed => 0.3,
            PartnerKind::Party => resolved.score * country_weight(&f.rule),
            PartnerKind::NonParty if f.rule == "office" => 0.8,
            PartnerKind::NonParty if f.rule == "organisation" => 0.75,
            PartnerKind::NonParty => 0.6,
        };
        let k = result.contacts.len() + 1;
        result.contacts.push(Contact {
            contact_id: format!("{}-{k}", item.news_id),
            date: date.date,
            date_precision: date.precision,
            iso3,
            country: self.places.name_of(iso3),
            partner: f.partner.clone(),
            venue: f.venue.0,
            partner_kind: f.kind,
            news_id: item.news_id.clone(),
            item_kind: result.kind,
            sentence,
            span_start: chars(f.span.start),
            span_end: chars(f.span.end),
            rule: format!(
                "{}; {}; date {}; venue {}",
                f.rule,
                resolved.rule,
                date.rule,
                if f.venue.1.is_empty() { "none" } else { f.venue.1 }
            ),
            confidence: (confidence * 100.0).round() / 100.0,
            partyfacts_ids: resolved.ids,
        });
    }

    /// The resolver's decision on a party found, in its country and the meeting's year: on the
    /// name as the item writes it, else on its shorter writings ("Workers' Party (PT)" for
    /// "Workers' Party (PT) of Brazil", then "Workers' Party").
    fn resolve(&self, f: &Found, year: Option<i32>) -> Resolved {
        let (Some(iso3), Some(year), PartnerKind::Party, false) = (f.iso3, year, f.kind, f.unnamed) else {
            return Resolved { ids: Vec::new(), score: 0.5, rule: "not resolved".into(), review: None, partner: None };
        };
        let mut first_review = None;
        for (k, written) in std::iter::once(&f.partner).chain(&f.shorter).enumerate() {
            if k > 0 && *written == f.partner {
                continue;
            }
            match self.decide(iso3, year, written) {
                Ok((ids, method, score)) => {
                    return Resolved {
                        rule: format!(
                            "resolver {method} {}",
                            ids.iter().map(i64::to_string).collect::<Vec<_>>().join("+")
                        ),
                        score,
                        ids,
                        review: None,
                        partner: (k > 0).then(|| written.clone()),
                    };
                }
                Err(why) => {
                    first_review.get_or_insert(why);
                }
            }
        }
        let (outcome, reason) = first_review.expect("the name was tried");
        Resolved {
            ids: Vec::new(),
            score: 0.5,
            rule: format!("resolver {outcome}"),
            review: Some(reason),
            partner: None,
        }
    }

    fn review(
        &self,
        item: &NewsItem,
        kind: ItemKind,
        reason: String,
        partner: Option<String>,
        country: Option<String>,
    ) -> Review {
        Review {
            news_id: item.news_id.clone(),
            item_kind: kind,
            reason,
            partner: partner.unwrap_or_default(),
            country: country.unwrap_or_default(),
            date: None,
            sentence: String::new(),
        }
    }
}

struct Resolved {
    /// The writing the resolver matched, when it is shorter than the item's.
    partner: Option<String>,
    ids: Vec<i64>,
    score: f64,
    rule: String,
    review: Option<String>,
}

/// How much a party's country is trusted, by how it was found.
fn country_weight(rule: &str) -> f64 {
    if rule.contains("not a country of the name") {
        0.6
    } else if rule.contains("only_country_of_the_name") {
        0.8
    } else if rule.contains("dateline") {
        0.85
    } else if rule.contains("in_item") {
        0.9
    } else {
        1.0
    }
}
