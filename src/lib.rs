//! partylink: links event data that mentions political parties (such as the CPC International
//! Department's contacts) to Party Facts ids, DPI power status and Freedom House regime type.
//!
//! The pipeline's steps are its modules: [`load`] (with [`read`] for each source format),
//! [`resolve`] (with [`country`] and [`registry`]), [`enrich`] (the SQL stages in `sql/`), and
//! [`output`]; [`pipeline`] runs them in order and [`cmd`] holds the subcommands.

pub mod batch;
pub mod cabinets;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod country;
pub mod crosswalk;
pub mod dpi_audit;
pub mod dpi_links;
pub mod enrich;
pub mod error;
pub mod eval;
pub mod eval_audit;
pub mod expand;
pub mod extract;
pub mod load;
pub mod normalize;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod progress;
pub mod read;
pub mod reference;
pub mod registry;
pub mod report;
pub mod resolve;
pub mod sources;
pub mod timing;
