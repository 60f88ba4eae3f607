//! partylink: links event data that mentions political parties (such as the CPC International
//! Department's contacts) to Party Facts ids, DPI power status and Freedom House regime type.
//!
//! The modules are the run's steps, in the order a run takes them: [`load`] (the readers, the
//! source files, the reference tables), [`resolve`] (countries to ISO3 codes, partners to Party
//! Facts ids), [`enrich`] (the SQL stages in `sql/`) and [`report`] (the output tables, their
//! formats, staging and the manifest). [`pipeline`] runs them in order; [`cmd`] holds one file
//! per subcommand above it, and [`shared`] the helpers every step uses. Dependencies run one
//! way: cmd, pipeline, the steps (each may use the ones before it), shared. ARCHITECTURE.md
//! draws the picture and names the file that holds each part.

pub mod cli;
pub mod cmd;
pub mod enrich;
pub mod load;
pub mod pipeline;
pub mod report;
pub mod resolve;
pub mod shared;
