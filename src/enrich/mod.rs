//! The enrich step: the SQL stages in `sql/`, run in order by DataFusion, add the DPI power
//! status and the Freedom House status to each distinct decision, then make the interactions,
//! the review queue, the accounting and the paper's tables.
//!
//! [`session`] builds the one DataFusion session and gets tables into it; [`stages`] lists the
//! stage files and runs them, checking each result against its declared key; [`contacts`] and
//! [`expand`] make the tables at the grain of a contact from the tables at the grain of a
//! decision; [`links`] reads the DPI links the resolver needs between stages.

pub mod contacts;
pub mod expand;
pub mod links;
pub mod session;
pub mod stages;

pub use session::{create_context, query, register, register_outputs, register_sliced, table};
pub use stages::{
    CONTACT_STAGES, DECISION_STAGES, LINK_STAGES, RunSettings, SOURCE_STAGES, Stage, all_stages, run_stage, run_stages,
    stage_for,
};
