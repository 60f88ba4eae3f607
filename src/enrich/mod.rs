//! The enrich step: the SQL stages in `sql/`, run in order by DataFusion, audit the crosswalk
//! from DPI's labels to Party Facts, add both readings of power status (DPI's for the year,
//! the one on the contact's date) and the Freedom House status to each distinct decision, then make the interactions,
//! the review queue, the accounting and the paper's tables.
//!
//! [`session`] builds the one DataFusion session and gets tables into it; [`stages`] lists the
//! stage files and runs them, checking each result against its declared key; [`contacts`] and
//! [`expand`] make the tables at the grain of a contact from the tables at the grain of a
//! decision; [`links`] reads the DPI links the resolver needs between stages; [`explain`] what
//! `partylink explain` shows of the DPI side; [`visits`] is the SQL window function that groups
//! a party's rows into visits.

pub mod contacts;
pub mod expand;
pub mod explain;
pub mod links;
pub mod session;
pub mod stages;
pub mod visits;

pub use session::{
    Registered, create_context, query, register, register_outputs, register_sliced, register_slices, table,
};
pub use stages::{
    AUDIT_STAGES, CONTACT_STAGES, CONTENT_STAGES, DECISION_STAGES, LINK_STAGES, Period, PowerSource, RunSettings,
    SOURCE_STAGES, Stage, UNORDERED_STAGES, all_stages, parse_period, run_stage, run_stage_placed, run_stages,
    stage_for, without_final_order,
};
