//! What `partylink explain` reads of the stages for the DPI side of a name: the DPI labels
//! naming its candidate parties in the country-year, with their links and the audit's
//! decision, and the matched party's power status in both readings.

use anyhow::Result;
use arrow::array::RecordBatch;
use datafusion::execution::context::SessionContext;

use super::session::query;

/// The DPI labels of `int_dpi_parties_audited` that name one of `ids` in the country-year
/// (under the link partylink vouches for, or the sources' link), by party and label.
pub async fn dpi_labels(ctx: &SessionContext, iso3: &str, year: i32, ids: &[i64]) -> Result<RecordBatch> {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let list = if list.is_empty() { "null".to_string() } else { list };
    let iso3 = iso3.replace('\'', "''");
    let sql = format!(
        "select coalesce(partyfacts_id, source_partyfacts_id) as id, dpi_party, \
         concat_ws('; ', case when holds_executive then 'exec' end, slot) as slot, link_method, audit_decision, \
         source_partyfacts_id, partyfacts_id from int_dpi_parties_audited \
         where iso3 = '{iso3}' and year = {year} and (partyfacts_id in ({list}) or source_partyfacts_id in ({list})) \
         order by id, dpi_party"
    );
    query(ctx, &sql).await
}

/// Each party of the decisions enriched last, with both readings of its power status and the
/// ParlGov cabinet in office on the contact's date (if ParlGov covers it).
pub async fn power_readings(ctx: &SessionContext) -> Result<RecordBatch> {
    query(
        ctx,
        "select e.partyfacts_id, e.party_name, e.dpi_party, e.dpi_link, e.dpi_other_country, e.dpi_power_status, \
         e.dpi_power_basis, e.power_status_on_date, e.power_basis_on_date, c.cabinet_name, c.start_date \
         from enriched_decisions as e \
         join contact_decisions as d on e.decision = d.decision and e.party_seq = d.party_seq \
         left join (select distinct cabinet_id, cabinet_name, start_date from stg_parlgov_cabinet_parties) as c \
             on d.cabinet_id = c.cabinet_id \
         order by e.party_seq",
    )
    .await
}
