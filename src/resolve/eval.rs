//! Evaluation of party resolution on a labelled set built from the sources.
//!
//! **Positives**: every party that DPI names in 2002-2017 and that Party Facts' own DPI import
//! links to a Party Facts id (the truth). Its name as written is taken from a *held-out*
//! dataset (V-Party and Wikipedia rows of Party Facts' external parties, removed from the
//! registry for the evaluation, so the resolver never saw the name verbatim from them), and
//! one kind of noise is applied: none, a typo, another word order, "Party" dropped or added,
//! the country added, the abbreviation alone, a possessive country prefix, the abbreviation
//! in brackets, upper case without accents.
//!
//! **Negatives**: names of parties of other countries, asked in a country where no party has
//! that name. Any match is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::dpi_links::DpiLink;
use super::noise::{NOISE, Rng, TEXT_NOISE, apply_noise, apply_two};
use super::{Outcome, Registry};
use crate::load::Sources;
use crate::load::countries::Countries;
use crate::shared::normalize::fold;

/// Datasets whose names are held out of the registry and used as the names "as written".
pub const HELD_OUT: [&str; 2] = ["vparty", "wikipedia"];

/// One labelled name.
#[derive(Debug, Clone)]
pub struct Item {
    pub iso3: String,
    pub year: i32,
    pub written: String,
    /// The kind of noise, or the two kinds ("space_moved + doubled_word").
    pub noise: String,
    /// The party it names; None for a negative.
    pub truth: Option<i64>,
}

/// Builds the labelled set. `truth` are the import links of DPI parties: (iso3, party id) with
/// the years DPI names them, restricted to 2002-2017. A positive whose party the crosswalk audit
/// does not vouch for in its country-year (`vouched`: iso3, year, party id) is left out, its
/// truth being in doubt; it is drawn all the same, so that the other items do not change.
pub fn build_items(
    sources: &Sources,
    countries: &Countries,
    truth: &[DpiLink],
    vouched: &BTreeSet<(String, i32, i64)>,
    registry: &Registry,
    seed: u64,
    two_kinds: bool,
) -> Vec<Item> {
    let kinds: Vec<&'static str> = NOISE.iter().chain(&TEXT_NOISE).copied().collect();
    let mut rng = Rng::new(seed);
    let mut held_out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (_, p) in &sources.pf_external {
        if let Some(id) = p.partyfacts_id.filter(|_| HELD_OUT.contains(&p.dataset_key.as_str())) {
            let name = if p.name_english.is_empty() { &p.name } else { &p.name_english };
            // As a person would write it: without "alliance: " or Party Facts' [optional] marks.
            if let Some(form) = super::names::name_forms(name).into_iter().next() {
                held_out.entry(id).or_default().push(form);
            }
        }
    }
    let short: BTreeMap<i64, String> = sources
        .pf_core
        .iter()
        .filter(|(_, p)| !p.name_short.is_empty())
        .map(|(_, p)| (p.partyfacts_id, p.name_short.clone()))
        .collect();
    let mut parties: BTreeMap<(String, i64), (i32, i32)> = BTreeMap::new();
    for link in truth {
        let (first, last) = (link.year_first.max(2002), link.year_last.min(2017));
        if first > last {
            continue;
        }
        let span = parties.entry((link.iso3.clone(), link.partyfacts_id)).or_insert((first, last));
        span.0 = span.0.min(first);
        span.1 = span.1.max(last);
    }
    let mut items = Vec::new();
    for ((iso3, id), (first, last)) in &parties {
        let Some(names) = held_out.get(id) else { continue };
        let name = names[rng.below(names.len())].clone();
        let year = first + rng.below((last - first + 1) as usize) as i32;
        let country = countries.name_of(iso3).unwrap_or(iso3).to_string();
        let short = short.get(id).map(String::as_str);
        let (written, noise) = if two_kinds {
            let (written, [a, b]) = apply_two(&kinds[1..], &name, &country, short, &mut rng);
            (written, format!("{a} + {b}"))
        } else {
            let noise = kinds[rng.below(kinds.len())];
            (apply_noise(noise, &name, &country, short, &mut rng), noise.to_string())
        };
        if vouched.contains(&(iso3.clone(), year, *id)) {
            items.push(Item { iso3: iso3.clone(), year, written, noise, truth: Some(*id) });
        }
    }
    // Negatives: one per positive country, a held-out name from another country.
    let all: Vec<(&String, &String)> =
        parties.keys().filter_map(|(iso3, id)| held_out.get(id).map(|n| (iso3, &n[0]))).collect();
    let countries_seen: BTreeSet<&String> = parties.keys().map(|(iso3, _)| iso3).collect();
    for iso3 in countries_seen {
        for _ in 0..10 {
            let (other, name) = all[rng.below(all.len())];
            if other != iso3 && !registry.has_name(iso3, &fold(name)) {
                let year = 2002 + rng.below(16) as i32;
                items.push(Item {
                    iso3: iso3.clone(),
                    year,
                    written: name.clone(),
                    noise: "other_country".into(),
                    truth: None,
                });
                break;
            }
        }
    }
    items
}

/// Counts for one group of items.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub items: usize,
    pub matched: usize,
    pub correct: usize,
    pub review: usize,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        if self.matched == 0 { 1.0 } else { self.correct as f64 / self.matched as f64 }
    }
    pub fn recall(&self) -> f64 {
        if self.items == 0 { 0.0 } else { self.correct as f64 / self.items as f64 }
    }
    pub fn review_rate(&self) -> f64 {
        if self.items == 0 { 0.0 } else { self.review as f64 / self.items as f64 }
    }
}

/// Results: by noise, by method (positives), overall, and for negatives; with the wrong
/// matches listed for inspection.
pub struct Report {
    /// By kind of noise; items with two kinds by the second ("any + space_lost").
    pub by_noise: BTreeMap<String, Tally>,
    pub by_method: BTreeMap<&'static str, Tally>,
    pub positives: Tally,
    pub negatives: Tally,
    pub wrong: Vec<(Item, i64, &'static str)>,
    /// Positives sent to review, with the reason.
    pub reviewed: Vec<(Item, String)>,
}

pub fn evaluate(items: &[Item], registry: &Registry, countries: &Countries) -> Report {
    let mut report = Report {
        by_noise: BTreeMap::new(),
        by_method: BTreeMap::new(),
        positives: Tally::default(),
        negatives: Tally::default(),
        wrong: Vec::new(),
        reviewed: Vec::new(),
    };
    for item in items {
        let r = registry.resolve(countries, &item.iso3, item.year, &item.written);
        let matched = r.outcome == Outcome::Matched;
        let single = (matched && r.matches.len() == 1).then(|| &r.matches[0]);
        let correct = single.is_some_and(|m| Some(m.partyfacts_id) == item.truth);
        // By the method's name, so that the report lists the methods alphabetically.
        let method = r.matches.first().map_or("review", |m| m.method.as_str());
        let groups: Vec<&mut Tally> = if item.truth.is_some() {
            let group = match item.noise.split_once(" + ") {
                Some((_, second)) => format!("any + {second}"),
                None => item.noise.clone(),
            };
            vec![report.by_noise.entry(group).or_default(), &mut report.positives]
        } else {
            vec![&mut report.negatives]
        };
        for t in groups {
            t.items += 1;
            t.matched += matched as usize;
            t.correct += correct as usize;
            t.review += (!matched) as usize;
        }
        if item.truth.is_some() && matched {
            let t = report.by_method.entry(method).or_default();
            t.items += 1;
            t.matched += 1;
            t.correct += correct as usize;
        }
        if item.truth.is_some() && !matched {
            report.reviewed.push((item.clone(), r.reason.clone()));
        }
        if matched && !correct {
            report.wrong.push((item.clone(), r.matches[0].partyfacts_id, method));
        }
    }
    report
}

/// The report as Markdown.
/// The cells a report row gives every item: "| country | year | written | noise | truth |".
fn item_cells(item: &Item) -> String {
    let truth = item.truth.map_or("none".to_string(), |t| t.to_string());
    format!("| {} | {} | {} | {} | {truth} |", item.iso3, item.year, item.written.replace('|', "/"), item.noise)
}

pub fn render(report: &Report, seed: u64, accept: f64, margin: f64, registry_names: usize) -> String {
    let mut md = String::new();
    let row = |md: &mut String, name: &str, t: &Tally| {
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {} | {:.4} | {:.4} | {:.4} |",
            t.items,
            t.matched,
            t.correct,
            t.review,
            t.precision(),
            t.recall(),
            t.review_rate()
        );
    };
    let _ = writeln!(
        md,
        "Seed {seed}; acceptance threshold {accept}, margin {margin}; {registry_names} candidate names in the evaluation registry.\n"
    );
    let _ = writeln!(md, "#### Positives by noise\n");
    let _ = writeln!(
        md,
        "| noise | items | matched | correct | review | precision | recall | review rate |\n|---|---|---|---|---|---|---|---|"
    );
    for (noise, t) in &report.by_noise {
        row(&mut md, noise, t);
    }
    row(&mut md, "**all positives**", &report.positives);
    let _ = writeln!(md, "\n#### Matches by method (positives)\n");
    let _ = writeln!(md, "| method | matched | correct | precision |\n|---|---|---|---|");
    for (method, t) in &report.by_method {
        let _ = writeln!(md, "| {method} | {} | {} | {:.4} |", t.matched, t.correct, t.precision());
    }
    let n = &report.negatives;
    let _ = writeln!(md, "\n#### Negatives (a party of another country)\n");
    let _ = writeln!(
        md,
        "| items | wrongly matched | sent to review |\n|---|---|---|\n| {} | {} | {} |",
        n.items, n.matched, n.review
    );
    let _ = writeln!(md, "\n#### Wrong matches\n");
    if report.wrong.is_empty() {
        let _ = writeln!(md, "None.");
    } else {
        let _ = writeln!(
            md,
            "| country | year | written | noise | truth | matched | method |\n|---|---|---|---|---|---|---|"
        );
        for (item, got, method) in &report.wrong {
            let _ = writeln!(md, "{} {got} | {method} |", item_cells(item));
        }
    }
    let _ = writeln!(md, "\n#### Positives sent to review\n");
    let _ = writeln!(md, "| country | year | written | noise | truth | why |\n|---|---|---|---|---|---|");
    for (item, why) in &report.reviewed {
        let _ = writeln!(md, "{} {} |", item_cells(item), why.replace('|', "/"));
    }
    md
}
