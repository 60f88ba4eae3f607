//! The contacts beside the decision tables: `contact_rows` (each contact with its decision) for
//! the stages to join, and the tables at the grain of a contact and its party that a run and
//! `partylink resolve` write, made by [`Expansion`] in input order.

use std::sync::Arc;

use anyhow::Result;
use arrow::array::{ArrayRef, Int32Array, RecordBatch};
use arrow::datatypes::{Field, Schema};

use super::expand::{Expansion, Layout};
use crate::load::read::contacts::Contacts;
use crate::shared::batch::unpacked_type;

/// The names of a contact's own columns, in `contact_rows`' order.
pub const CONTACT_COLUMNS: [&str; 9] =
    ["source_row", "contact_id", "date", "country", "partner", "partner_kind", "venue", "news_id", "visit_id"];

/// A contact's own columns, as `contact_rows` has them ([`CONTACT_COLUMNS`]): country, kind
/// and venue packed as dictionaries when their texts repeat (as read).
pub fn contact_columns(contacts: &Contacts) -> Vec<(&'static str, ArrayRef)> {
    let arrays: [ArrayRef; 9] = [
        Arc::new(contacts.source_row.clone()),
        Arc::new(contacts.contact_id.clone()),
        Arc::new(contacts.date.clone()),
        contacts.country.array(),
        Arc::new(contacts.partner.clone()),
        contacts.partner_kind.array(),
        contacts.venue.array(),
        Arc::new(contacts.news_id.clone()),
        Arc::new(contacts.visit_id.clone()),
    ];
    CONTACT_COLUMNS.into_iter().zip(arrays).collect()
}

/// `contact_rows`: one row per contact, in input order, its own columns and its `decision`.
pub fn contact_rows(contacts: &Contacts, decision: &[u32]) -> Result<RecordBatch> {
    let mut rows: Vec<(&str, ArrayRef)> = contact_columns(contacts);
    rows.push(("decision", Arc::new(decision.iter().map(|&d| d as i32).collect::<Int32Array>())));
    let fields: Vec<Field> = rows.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), rows.into_iter().map(|(_, a)| a).collect())?)
}

/// Contacts beside columns of a decision table: each name is a contact's column if
/// `contact_rows` has it, else the decision table's; the input's own extra columns come last.
fn expand(contacts: &Contacts, layout: &Arc<Layout>, decisions: &RecordBatch, names: &[&str]) -> Result<Expansion> {
    let own = contact_columns(contacts);
    let mut table = Expansion::new(layout.clone());
    for name in names {
        table = match own.iter().find(|(n, _)| n == name) {
            Some((n, array)) => table.contact(Field::new(*n, unpacked_type(array.data_type()), true), array.clone()),
            None => table.decision_column(decisions, name)?,
        };
    }
    refuse_taken_names(contacts, names, "an output column")?;
    for (field, column) in contacts.extra.schema().fields().iter().zip(contacts.extra.columns()) {
        table = table.contact(field.as_ref().clone(), column.clone());
    }
    Ok(table)
}

/// Refuses an input column (one the outputs pass through) that has one of the `taken` names,
/// `whose` they are: the first such column in the input's order, with the file.
pub fn refuse_taken_names(contacts: &Contacts, taken: &[&str], whose: &str) -> Result<()> {
    let schema = contacts.extra.schema();
    if let Some(field) = schema.fields().iter().find(|f| taken.contains(&f.name().as_str())) {
        anyhow::bail!(
            "{}: the input column {:?} has the name of {whose}; rename it",
            contacts.file.display(),
            field.name()
        );
    }
    Ok(())
}

/// `resolved_contacts`: one row per contact and party, in input order, with what resolution
/// decided (what `partylink resolve` writes), from `contact_decisions`.
pub fn resolved_contacts(contacts: &Contacts, layout: &Arc<Layout>, decisions: &RecordBatch) -> Result<Expansion> {
    let mut names: Vec<&str> = "contact_id party_seq parties_in_contact source_row date year country iso3 partner \
        partner_part partner_kind venue news_id visit_id outcome partyfacts_id match_method match_score matched_name \
        review_reason"
        .split_whitespace()
        .collect();
    let candidates: Vec<String> =
        (1..=3).flat_map(|k| ["id", "name", "score"].map(|part| format!("candidate_{k}_{part}"))).collect();
    names.extend(candidates.iter().map(String::as_str));
    expand(contacts, layout, decisions, &names)
}

/// The columns of `enriched_contacts`, before the input's extra columns.
pub const ENRICHED_COLUMNS: &str = "contact_id source_row party_seq parties_in_contact date year country iso3 partner \
    partner_part partner_kind venue news_id visit_id partyfacts_id party_name dpi_party dpi_link \
    dpi_other_country match_method match_score matched_name power_status power_basis power_status_on_date \
    power_basis_on_date fh_status regime fh_pr fh_cl outcome in_period";

/// `enriched_contacts`: one row per contact and party, in input order: the contact's own
/// columns beside its decision's row of `enriched_decisions`, then the input's extra columns.
pub fn enriched_contacts(contacts: &Contacts, layout: &Arc<Layout>, enriched: &RecordBatch) -> Result<Expansion> {
    expand(contacts, layout, enriched, &ENRICHED_COLUMNS.split_whitespace().collect::<Vec<_>>())
}
