//! Links for the DPI parties that Party Facts' DPI import lacks, made by the party resolver.
//!
//! The import stops at DPI2015, so parties DPI2017 first names later (Argentina's PRO and
//! Cambiemos, for instance) have no Party Facts id. Each such abbreviation is resolved once
//! within its country, as of the last year DPI names it; the links, and the abbreviations left
//! unlinked, are written to `review_dpi_links.csv` for a person to check.

use anyhow::Result;
use arrow::array::{AsArray, RecordBatch};
use arrow::datatypes::Int32Type;
use datafusion::execution::context::SessionContext;

use crate::batch::BatchBuilder;
use crate::country::Countries;
use crate::enrich;
use crate::resolve::{Candidate, PartyMatch, Registry, Resolution};

/// A DPI abbreviation without an import link, and what the resolver made of it.
pub struct ResolvedDpiParty {
    pub iso3: String,
    pub dpi_party: String,
    pub year_first: i32,
    pub year_last: i32,
    pub resolution: Resolution,
}

impl ResolvedDpiParty {
    /// The party it links to: only a single, accepted match makes a link.
    pub fn partyfacts_id(&self) -> Option<i64> {
        match self.resolution.matches.as_slice() {
            [only] if self.resolution.outcome == "matched" => Some(only.partyfacts_id),
            _ => None,
        }
    }
}

/// Resolves every DPI party of `int_dpi_import_links` that the import left without an id.
pub async fn resolve_unlinked(
    ctx: &SessionContext,
    registry: &Registry,
    countries: &Countries,
) -> Result<Vec<ResolvedDpiParty>> {
    let unlinked = enrich::query(
        ctx,
        "select iso3, dpi_party, min(year) as year_first, max(year) as year_last \
         from int_dpi_import_links group by iso3, dpi_party \
         having count(partyfacts_id) = 0 order by iso3, dpi_party",
    )
    .await?;
    let (iso3, party) = (unlinked.column(0).as_string::<i32>(), unlinked.column(1).as_string::<i32>());
    let (first, last) =
        (unlinked.column(2).as_primitive::<Int32Type>(), unlinked.column(3).as_primitive::<Int32Type>());
    let rows: Vec<usize> = (0..unlinked.num_rows()).collect();
    Ok(crate::parallel::map(&rows, 8, |&i| ResolvedDpiParty {
        iso3: iso3.value(i).to_string(),
        dpi_party: party.value(i).to_string(),
        year_first: first.value(i),
        year_last: last.value(i),
        resolution: registry.resolve(countries, iso3.value(i), last.value(i), party.value(i)),
    }))
}

fn single(r: &ResolvedDpiParty) -> Option<&PartyMatch> {
    r.partyfacts_id().and(r.resolution.matches.first())
}

/// The `dpi_resolver_links` table: one row per DPI abbreviation the import lacks.
pub fn table(resolved: &[ResolvedDpiParty]) -> Result<RecordBatch> {
    let methods: Vec<String> =
        resolved.iter().map(|r| single(r).map_or("none".to_string(), |m| format!("resolver_{}", m.method))).collect();
    let candidates: Vec<&[Candidate]> = resolved.iter().map(|r| r.resolution.candidates.as_slice()).collect();
    BatchBuilder::new()
        .utf8("iso3", resolved.iter().map(|r| Some(r.iso3.as_str())))
        .utf8("dpi_party", resolved.iter().map(|r| Some(r.dpi_party.as_str())))
        .int32("year_first", resolved.iter().map(|r| Some(r.year_first)))
        .int32("year_last", resolved.iter().map(|r| Some(r.year_last)))
        .int64("partyfacts_id", resolved.iter().map(|r| r.partyfacts_id()))
        .utf8("link_method", methods.iter().map(|m| Some(m.as_str())))
        .float64("link_score", resolved.iter().map(|r| single(r).map(|m| m.score)))
        .utf8("matched_name", resolved.iter().map(|r| single(r).map(|m| m.matched_name.as_str())))
        .utf8("reason", resolved.iter().map(|r| Some(r.resolution.reason.as_str())))
        .candidates(&candidates)
        .build()
}
