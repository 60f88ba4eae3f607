//! Source readers, one module per source, over a shared text-table reader.

pub mod contacts;
pub mod dpi;
pub mod fh;
pub mod parlgov;
pub mod parquet;
pub mod partyfacts;
pub mod text_table;
