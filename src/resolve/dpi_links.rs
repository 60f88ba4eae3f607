//! Links for the DPI parties that Party Facts' DPI import lacks, made by the party resolver.
//!
//! The import stops at DPI2015, so parties DPI2017 first names later (Argentina's PRO and
//! Cambiemos, for instance) have no Party Facts id. Each such abbreviation is resolved once
//! within its country, as of the last year DPI names it; the links, and the abbreviations left
//! unlinked, are written to `review_dpi_links.csv` for a person to check.

use std::collections::BTreeMap;

use anyhow::Result;
use arrow::array::{AsArray, RecordBatch};
use arrow::datatypes::Int32Type;

use super::{Candidate, Decision, Match, Outcome, Registry, candidate_columns};
use crate::load::countries::Countries;
use crate::shared::batch::BatchBuilder;
use crate::shared::parallel;

/// A DPI party abbreviation with the Party Facts id it links to and the years DPI names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpiLink {
    pub iso3: String,
    pub dpi_party: String,
    pub partyfacts_id: i64,
    pub year_first: i32,
    pub year_last: i32,
}

/// Collapses per-year DPI link rows into one link per (country, abbreviation, party id).
pub fn collapse_links(rows: impl IntoIterator<Item = (String, i32, String, i64)>) -> Vec<DpiLink> {
    let mut spans: BTreeMap<(String, String, i64), (i32, i32)> = BTreeMap::new();
    for (iso3, year, party, id) in rows {
        let span = spans.entry((iso3, party, id)).or_insert((year, year));
        span.0 = span.0.min(year);
        span.1 = span.1.max(year);
    }
    spans
        .into_iter()
        .map(|((iso3, dpi_party, partyfacts_id), (year_first, year_last))| DpiLink {
            iso3,
            dpi_party,
            partyfacts_id,
            year_first,
            year_last,
        })
        .collect()
}

/// A DPI abbreviation without an import link, and what the resolver decided for it.
pub struct UnlinkedDpiParty {
    pub iso3: String,
    pub dpi_party: String,
    pub year_first: i32,
    pub year_last: i32,
    pub decision: Decision,
}

impl UnlinkedDpiParty {
    /// The party it links to: only a single, accepted match makes a link.
    pub fn partyfacts_id(&self) -> Option<i64> {
        match self.decision.matches.as_slice() {
            [only] if self.decision.outcome == Outcome::Matched => Some(only.partyfacts_id),
            _ => None,
        }
    }

    fn link(&self) -> Option<&Match> {
        self.partyfacts_id().and(self.decision.matches.first())
    }
}

/// Resolves each DPI party the import left without an id (`unlinked`: iso3, dpi_party,
/// year_first, year_last), as of the last year DPI names it.
pub fn resolve_unlinked(registry: &Registry, countries: &Countries, unlinked: &RecordBatch) -> Vec<UnlinkedDpiParty> {
    let (iso3, party) = (unlinked.column(0).as_string::<i32>(), unlinked.column(1).as_string::<i32>());
    let (first, last) =
        (unlinked.column(2).as_primitive::<Int32Type>(), unlinked.column(3).as_primitive::<Int32Type>());
    let rows: Vec<usize> = (0..unlinked.num_rows()).collect();
    parallel::map(&rows, 8, |&i| {
        let mut decision = registry.resolve(countries, iso3.value(i), last.value(i), party.value(i));
        registry.complete_candidates(iso3.value(i), last.value(i), &mut decision);
        UnlinkedDpiParty {
            iso3: iso3.value(i).to_string(),
            dpi_party: party.value(i).to_string(),
            year_first: first.value(i),
            year_last: last.value(i),
            decision,
        }
    })
}

/// The `dpi_resolver_links` table: one row per DPI abbreviation the import lacks.
pub fn table(resolved: &[UnlinkedDpiParty]) -> Result<RecordBatch> {
    let methods: Vec<String> =
        resolved.iter().map(|r| r.link().map_or("none".to_string(), |m| format!("resolver_{}", m.method))).collect();
    let candidates: Vec<&[Candidate]> = resolved.iter().map(|r| r.decision.candidates.as_slice()).collect();
    let builder = BatchBuilder::new()
        .utf8("iso3", resolved.iter().map(|r| Some(r.iso3.as_str())))
        .utf8("dpi_party", resolved.iter().map(|r| Some(r.dpi_party.as_str())))
        .int32("year_first", resolved.iter().map(|r| Some(r.year_first)))
        .int32("year_last", resolved.iter().map(|r| Some(r.year_last)))
        .int64("partyfacts_id", resolved.iter().map(|r| r.partyfacts_id()))
        .utf8("link_method", methods.iter().map(|m| Some(m.as_str())))
        .float64("link_score", resolved.iter().map(|r| r.link().map(|m| m.score)))
        .utf8("matched_name", resolved.iter().map(|r| r.link().map(|m| m.matched_name.as_str())))
        .utf8("reason", resolved.iter().map(|r| Some(r.decision.reason.as_str())));
    candidate_columns(builder, &candidates).build()
}
