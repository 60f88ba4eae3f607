//! The crosswalk audit's own reading of each linked DPI label: the party the resolver reads in
//! the label's names (the label as DPI writes it, and the long name and abbreviation Party
//! Facts' DPI import gives it), in the label's country and year.
//!
//! The registry it reads with holds no DPI label, so a label never confirms its own link: what
//! decides is whether Party Facts' names of the party fit what DPI wrote. The SQL stages
//! compare the reading with the link (`sql/05_int_dpi_link_checks.sql`) and decide
//! (`sql/06_int_dpi_parties_audited.sql`).

use std::collections::BTreeMap;

use anyhow::Result;
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::Int32Type;

use super::{Method, Outcome, Registry};
use crate::load::countries::Countries;
use crate::shared::batch::BatchBuilder;
use crate::shared::parallel;

/// One name of a DPI label in a year, and the party the resolver reads in it.
struct Reading {
    iso3: String,
    year: i32,
    dpi_party: String,
    /// `label`, `long_name` or `short_name`.
    name_kind: &'static str,
    name: String,
    /// The single party the name resolves to, if it resolves to one.
    partyfacts_id: Option<i64>,
    method: Option<Method>,
    score: Option<f64>,
    reason: String,
}

/// Reads every name of every linked DPI label-year (`labels`: iso3, year, dpi_party, the
/// import's long name and abbreviation; see `enrich::links::linked_dpi_labels`); returns the
/// `dpi_label_readings` table, one row per label, year and distinct name.
pub fn read_labels(labels: &RecordBatch, registry: &Registry, countries: &Countries) -> Result<RecordBatch> {
    let (iso3, year, party) = (
        labels.column(0).as_string::<i32>(),
        labels.column(1).as_primitive::<Int32Type>(),
        labels.column(2).as_string::<i32>(),
    );
    let (long, short) = (labels.column(3).as_string::<i32>(), labels.column(4).as_string::<i32>());
    // Each distinct (country, name) is scored once, on one thread, for all its years.
    let mut groups: BTreeMap<(&str, &str), Vec<(usize, &'static str)>> = BTreeMap::new();
    for i in 0..labels.num_rows() {
        let mut kinds: Vec<(&'static str, &str)> = vec![("label", party.value(i))];
        for (kind, column) in [("long_name", long), ("short_name", short)] {
            if column.is_valid(i) && !kinds.iter().any(|(_, n)| n.eq_ignore_ascii_case(column.value(i).trim())) {
                kinds.push((kind, column.value(i).trim()));
            }
        }
        for (kind, name) in kinds.into_iter().filter(|(_, n)| !n.is_empty()) {
            groups.entry((iso3.value(i), name)).or_default().push((i, kind));
        }
    }
    let groups: Vec<_> = groups.into_iter().collect();
    let readings = parallel::map(&groups, 8, |((code, name), members)| {
        let block = registry.block(countries, code, name);
        members
            .iter()
            .map(|&(i, kind)| {
                let r = registry.resolve_in_block(countries, code, year.value(i), name, &block);
                let single = match r.matches.as_slice() {
                    [only] if r.outcome == Outcome::Matched => Some(only),
                    _ => None,
                };
                Reading {
                    iso3: code.to_string(),
                    year: year.value(i),
                    dpi_party: party.value(i).to_string(),
                    name_kind: kind,
                    name: name.to_string(),
                    partyfacts_id: single.map(|m| m.partyfacts_id),
                    method: single.map(|m| m.method),
                    score: single.map(|m| m.score),
                    reason: r.reason,
                }
            })
            .collect::<Vec<_>>()
    });
    let mut rows: Vec<Reading> = readings.into_iter().flatten().collect();
    rows.sort_by(|a, b| {
        (&a.iso3, &a.dpi_party, a.year, a.name_kind).cmp(&(&b.iso3, &b.dpi_party, b.year, b.name_kind))
    });
    BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|r| Some(r.iso3.as_str())))
        .int32("year", rows.iter().map(|r| Some(r.year)))
        .utf8("dpi_party", rows.iter().map(|r| Some(r.dpi_party.as_str())))
        .utf8("name_kind", rows.iter().map(|r| Some(r.name_kind)))
        .utf8("name", rows.iter().map(|r| Some(r.name.as_str())))
        .int64("partyfacts_id", rows.iter().map(|r| r.partyfacts_id))
        .utf8("method", rows.iter().map(|r| r.method.map(Method::as_str)))
        .float64("score", rows.iter().map(|r| r.score))
        .utf8("reason", rows.iter().map(|r| Some(r.reason.as_str())))
        .build()
}
