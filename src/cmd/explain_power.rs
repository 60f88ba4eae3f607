//! The DPI side of `partylink explain`: the DPI labels that name each candidate party in the
//! country-year and through which link, and the matched party's power status in both readings,
//! as a run would give them (the name is enriched as a one-row contacts file).

use anyhow::Result;
use arrow::array::RecordBatch;
use arrow::util::display::array_value_to_string;
use chrono::NaiveDate;

use crate::cmd::Loaded;
use crate::enrich;
use crate::pipeline::{self, PowerSource, RunSettings};
use crate::read::contacts;
use crate::resolve::Resolution;

/// The text of a cell, "" for a null.
fn cell(batch: &RecordBatch, column: &str, row: usize) -> String {
    let array = batch.column_by_name(column).expect("the query selects the column");
    if array.is_null(row) { String::new() } else { array_value_to_string(array, row).unwrap_or_default() }
}

pub async fn render(
    loaded: &Loaded,
    country: &str,
    iso3: &str,
    year: i32,
    date: Option<NaiveDate>,
    name: &str,
    r: &Resolution,
) -> Result<String> {
    let mut out = String::new();
    let mut ids: Vec<i64> = r.matches.iter().map(|m| m.partyfacts_id).collect();
    for c in &r.candidates {
        if !ids.contains(&c.partyfacts_id) {
            ids.push(c.partyfacts_id);
        }
    }
    out.push_str(&format!("\nDPI labels naming these parties in {iso3} on 1 January {year}:\n"));
    out.push_str(&format!("{:>13}  {:<20}  {:<10}  {:<24}  {}\n", "partyfacts_id", "label", "slot", "link", "audit"));
    let labels = if ids.is_empty() {
        None
    } else {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "select coalesce(partyfacts_id, source_partyfacts_id) as id, dpi_party, \
             concat_ws('; ', case when holds_executive then 'exec' end, slot) as slot, link_method, audit_decision, \
             source_partyfacts_id, partyfacts_id from int_dpi_parties_audited \
             where iso3 = '{iso3}' and year = {year} and (partyfacts_id in ({list}) or source_partyfacts_id in ({list})) \
             order by id, dpi_party"
        );
        Some(enrich::query(&loaded.ctx, &sql).await?)
    };
    match labels.filter(|b| b.num_rows() > 0) {
        None => out.push_str("  (DPI names none of them under its own id)\n"),
        Some(b) => {
            for i in 0..b.num_rows() {
                let (source, linked) = (cell(&b, "source_partyfacts_id", i), cell(&b, "partyfacts_id", i));
                let mut audit = cell(&b, "audit_decision", i);
                if source != linked && !source.is_empty() {
                    audit.push_str(&format!(" (the sources' link: {source})"));
                }
                out.push_str(&format!(
                    "{:>13}  {:<20}  {:<10}  {:<24}  {}\n",
                    if linked.is_empty() { "-".to_string() } else { linked },
                    cell(&b, "dpi_party", i),
                    cell(&b, "slot", i),
                    cell(&b, "link_method", i),
                    audit
                ));
            }
        }
    }
    if r.outcome != "matched" {
        return Ok(out);
    }
    // The name as a one-row contacts file, enriched as a run would.
    let day = date.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January"));
    let contact = contacts::one(country, day, name)?;
    let settings = RunSettings { interaction_window_days: 7, power_source: PowerSource::Dpi };
    let (registry, countries) = (&loaded.registry, &loaded.reference.countries);
    pipeline::enrich(&loaded.ctx, registry, countries, &loaded.cabinets, &contact, &settings).await?;
    let powered = enrich::query(
        &loaded.ctx,
        "select e.partyfacts_id, e.party_name, e.dpi_party, e.dpi_link, e.dpi_other_country, e.dpi_power_status, \
         e.dpi_power_basis, e.power_status_on_date, e.power_basis_on_date, c.cabinet_name, c.start_date \
         from enriched_decisions as e \
         join contact_decisions as d on e.decision = d.decision and e.party_seq = d.party_seq \
         left join (select distinct cabinet_id, cabinet_name, start_date from stg_parlgov_cabinet_parties) as c \
             on d.cabinet_id = c.cabinet_id \
         order by e.party_seq",
    )
    .await?;
    for i in 0..powered.num_rows() {
        let get = |c: &str| cell(&powered, c, i);
        out.push_str(&format!("\npower status of party {} ({}):\n", get("partyfacts_id"), get("party_name")));
        let through = match get("dpi_party").as_str() {
            "" => match get("dpi_other_country").as_str() {
                "" => "DPI names it under no label".to_string(),
                other => format!("DPI names it in {other}, not here"),
            },
            labels => format!("DPI label {labels}, through {}", get("dpi_link")),
        };
        out.push_str(&format!(
            "  {:<14}{} ({}; {through})\n",
            format!("DPI {year}"),
            get("dpi_power_status"),
            get("dpi_power_basis")
        ));
        match date {
            Some(date) => {
                let source = match get("cabinet_name").as_str() {
                    "" => "ParlGov has no cabinet of the country on the day: DPI on 1 January of the year and the next"
                        .to_string(),
                    cabinet => format!("ParlGov cabinet {cabinet}, in office from {}", get("start_date")),
                };
                out.push_str(&format!(
                    "  {:<14}{} ({}; {source})\n",
                    format!("on {date}"),
                    get("power_status_on_date"),
                    get("power_basis_on_date")
                ));
            }
            None => out.push_str("  on the date    give --date YYYY-MM-DD for the reading on the day of the contact\n"),
        }
    }
    Ok(out)
}
