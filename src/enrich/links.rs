//! What the resolver reads of the DPI stages: the DPI parties the import leaves unlinked, and
//! the links a stage has made.

use anyhow::Result;
use arrow::array::{AsArray, RecordBatch};
use arrow::datatypes::{Int32Type, Int64Type};
use datafusion::execution::context::SessionContext;

use super::session::query;
use crate::resolve::dpi_links::{DpiLink, collapse_links};

/// The DPI parties of `int_dpi_import_links` the import gives no Party Facts id, one row per
/// (iso3, dpi_party) with the first and last year DPI names it.
pub async fn unlinked_dpi_parties(ctx: &SessionContext) -> Result<RecordBatch> {
    query(
        ctx,
        "select iso3, dpi_party, min(year) as year_first, max(year) as year_last \
         from int_dpi_import_links group by iso3, dpi_party \
         having count(partyfacts_id) = 0 order by iso3, dpi_party",
    )
    .await
}

/// The linked DPI parties of a table with iso3, year, dpi_party and partyfacts_id.
pub async fn dpi_links(ctx: &SessionContext, table: &str) -> Result<Vec<DpiLink>> {
    let sql = format!("select iso3, year, dpi_party, partyfacts_id from {table} where partyfacts_id is not null");
    let links = query(ctx, &sql).await?;
    let (iso3, year, party, id) = (
        links.column(0).as_string::<i32>(),
        links.column(1).as_primitive::<Int32Type>(),
        links.column(2).as_string::<i32>(),
        links.column(3).as_primitive::<Int64Type>(),
    );
    Ok(collapse_links(
        (0..links.num_rows())
            .map(|i| (iso3.value(i).to_string(), year.value(i), party.value(i).to_string(), id.value(i))),
    ))
}
