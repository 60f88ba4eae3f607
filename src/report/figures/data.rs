//! The numbers each figure draws, read from the output tables by name. Every table and column
//! a figure uses is named here and nowhere else, so a renamed or added column is one edit.

use anyhow::{Context, Result};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::execution::context::SessionContext;

use crate::enrich;

/// A query's result with its columns read as whole numbers, decimals or text.
pub struct Rows {
    batch: RecordBatch,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.batch.num_rows()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn column(&self, name: &str, to: &DataType) -> arrow::array::ArrayRef {
        let column = self.batch.column_by_name(name).unwrap_or_else(|| panic!("the query selects {name}"));
        arrow::compute::cast(column, to).unwrap_or_else(|e| panic!("{name} as {to}: {e}"))
    }

    pub fn ints(&self, name: &str) -> Vec<i64> {
        let column = self.column(name, &DataType::Int64);
        let values = column.as_primitive::<Int64Type>();
        (0..values.len()).map(|i| if values.is_null(i) { 0 } else { values.value(i) }).collect()
    }

    pub fn floats(&self, name: &str) -> Vec<f64> {
        let column = self.column(name, &DataType::Float64);
        let values = column.as_primitive::<Float64Type>();
        (0..values.len()).map(|i| if values.is_null(i) { 0.0 } else { values.value(i) }).collect()
    }

    /// Text values; nulls become empty strings.
    pub fn texts(&self, name: &str) -> Vec<String> {
        let column = self.column(name, &DataType::Utf8);
        let values = column.as_string::<i32>();
        (0..values.len()).map(|i| if values.is_null(i) { String::new() } else { values.value(i).to_string() }).collect()
    }
}

/// Runs a query over the run's tables; a missing table is named in the error.
pub async fn rows(ctx: &SessionContext, sql: &str) -> Result<Rows> {
    let batch = enrich::query(ctx, sql).await.with_context(|| format!("reading the figures' numbers: {sql}"))?;
    Ok(Rows { batch })
}

/// Whether a table is registered (the content analysis's tables exist only with --news).
pub async fn has_table(ctx: &SessionContext, name: &str) -> bool {
    ctx.table_exist(name).unwrap_or(false)
}

/// Figure 1: interactions per year, with parties and with non-party partners.
pub const CONTACTS_BY_YEAR: &str = "select year, party, non_party from contacts_by_year order by year";

/// Figure 2: interactions per year and venue (`china`, `abroad`, `unknown`).
pub const CONTACTS_BY_VENUE_YEAR: &str =
    "select year, venue, interactions from contacts_by_venue_year order by year, venue";

/// Figure 3: party interactions and distinct parties per country.
pub const CONTACTS_BY_COUNTRY: &str =
    "select iso3, country, interactions, parties from contacts_by_country order by interactions desc, iso3";

/// Figure 4: how many parties had each number of interactions.
pub const CONTACTS_PER_PARTY: &str = "select interactions, parties from contacts_per_party order by interactions";
/// Figure 4's shares: parties with at most two and with at least five interactions.
pub const PARTY_CONTACT_SHARES: &str =
    "select parties, share_at_most_two, share_at_least_five from party_contact_shares";

/// Figure 5: party interactions by regime type and power status.
pub const POWER_BY_REGIME: &str = "select regime, power_status, interactions, share_of_regime from power_by_regime";

/// Table 1: the parties with most interactions, with English abbreviations and the country's
/// name (from contacts_by_country, which every matched party's country is in).
pub const TOP_PARTNERS: &str = "select top_partners.rank, top_partners.abbreviation_en, \
     top_partners.abbreviation_source, top_partners.party_name_en, \
     coalesce(contacts_by_country.country, top_partners.iso3) as country, top_partners.interactions \
     from top_partners left join contacts_by_country on top_partners.iso3 = contacts_by_country.iso3 \
     order by top_partners.rank, top_partners.iso3, top_partners.party_name";

/// Figures 6 to 8: news items mentioning each topic, by year.
pub const TOPICS_BY_YEAR: &str =
    "select year, topic, items, mentions, share_of_items from topics_by_year order by year, topic";
/// Figures 6 to 8's denominators: news items analysed per year.
pub const ITEMS_ANALYSED_BY_YEAR: &str =
    "select year, count(*) as items from news_items where analysed and year is not null group by year order by year";
