//! The report step: which tables a run writes under which names, in which formats, staged so
//! that a failed run leaves the last outputs as they were, with a manifest of the whole.
//!
//! [`format`] holds the one [`Format`] every command writes or prints in, with its encoders
//! ([`parquet`] the parallel Parquet writer, [`xlsx`] workbooks); [`staging`] the atomic
//! staging of a run's files; [`lock`] one run at a time per output directory; [`manifest`] the
//! manifest; [`audit`] the crosswalk audit's part of EVALUATION.md; [`figures`] the paper's
//! figures and Table 1 as SVG and PNG, [`html`] report.html, and [`draw`] both from a run's
//! tables.

pub mod audit;
mod csv_text;
mod direct;
pub mod draw;
pub mod feed;
pub mod figures;
pub mod format;
pub mod html;
pub mod lock;
pub mod manifest;
pub mod parquet;
pub mod queue;
pub mod staging;
pub mod xlsx;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;

pub use format::Format;
pub use manifest::sha256_hex;
pub use staging::{Staging, Written};

use crate::enrich::expand::Expansion;
use crate::resolve::Outcome;

/// An output table: the registered table it comes from and the path it is written to
/// (without extension; each is written in the run's formats).
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub table: &'static str,
    pub path: &'static str,
}

const fn out(table: &'static str, path: &'static str) -> Output {
    Output { table, path }
}

/// What `partylink run` writes, in this order.
pub const RUN_OUTPUTS: &[Output] = &[
    out("enriched_contacts", "enriched_contacts"),
    out("interactions", "interactions"),
    out("review_queue", "review_queue"),
    out("dpi_resolver_links", "review_dpi_links"),
    out("audit_crosswalk", "audit_crosswalk"),
    out("accounting", "accounting"),
    out("contacts_by_year", "tables/contacts_by_year"),
    out("contacts_by_venue_year", "tables/contacts_by_venue_year"),
    out("contacts_by_country", "tables/contacts_by_country"),
    out("country_party_shares", "tables/country_party_shares"),
    out("top_partners", "tables/top_partners"),
    out("contacts_per_party", "tables/contacts_per_party"),
    out("party_contact_shares", "tables/party_contact_shares"),
    out("power_by_regime", "tables/power_by_regime"),
    out("power_shares", "tables/power_shares"),
    out("power_by_period", "tables/power_by_period"),
    out("power_source_agreement", "tables/power_source_agreement"),
    out("totals", "tables/totals"),
    out("contacts_by_region", "tables/contacts_by_region"),
    out("parties_by_contacts_regime_power", "tables/parties_by_contacts_regime_power"),
    out("contacts_by_period", "tables/contacts_by_period"),
];

/// What `partylink run --news` (and `partylink report --news`) writes besides: the content
/// analysis's tables.
pub const CONTENT_OUTPUTS: &[Output] = &[
    out("news_items", "news_items"),
    out("news_topic_mentions", "news_topic_mentions"),
    out("topics_by_year", "tables/topics_by_year"),
    out("topics_by_partner_regime", "tables/topics_by_partner_regime"),
];

/// The file `partylink resolve` writes its contacts to (without extension), beside the
/// review queue, the DPI links and the accounting of [`RUN_OUTPUTS`].
pub const RESOLVED_CONTACTS: &str = "resolved_contacts";

/// What `partylink extract` (and `run --news`) writes, each in the command's formats: the
/// contacts found, the review rows, the items and their accounting.
pub const EXTRACT_OUTPUTS: [&str; 4] = ["extracted_contacts", "extract_review", "extract_items", "extract_accounting"];

/// Every file a command may write into the folder it owns (`run`, `resolve`, `extract`),
/// relative: what it removes when it did not write it this time. Nothing else in the folder is
/// touched.
pub fn known_outputs() -> Vec<String> {
    let tables = RUN_OUTPUTS.iter().chain(CONTENT_OUTPUTS).map(|o| o.path).chain([RESOLVED_CONTACTS]);
    let mut known: Vec<String> = tables.chain(EXTRACT_OUTPUTS).flat_map(table_files).collect();
    for figure in figures::FILES {
        known.extend(["svg", "png"].map(|extension| format!("figures/{figure}.{extension}")));
    }
    known.extend([html::REPORT.to_string(), manifest::MANIFEST.to_string()]);
    known
}

/// The files a table (its path without extension) may be written as, one per run format.
pub fn table_files(path: &str) -> impl Iterator<Item = String> + '_ {
    Format::RUN.iter().map(move |f| f.file(path))
}

/// A table of the rows a run writes: made whole by SQL, or contacts joined to their decisions.
pub enum Table {
    Batch(RecordBatch),
    Rows(Expansion),
}

impl Table {
    pub fn schema(&self) -> SchemaRef {
        match self {
            Table::Batch(batch) => batch.schema(),
            Table::Rows(rows) => rows.schema(),
        }
    }

    /// The rows in order, a batch at a time, for a file of `format`: for CSV, a table made
    /// whole by SQL in slices of [`CHUNK_ROWS`], so that its text is formatted on every thread
    /// (`interactions` at 10^7 contacts is 3.7 million rows); for Parquet whole, whose pages
    /// would otherwise end where the slices do.
    ///
    /// [`CHUNK_ROWS`]: crate::enrich::expand::CHUNK_ROWS
    pub fn batches(&self, format: Format) -> Box<dyn Iterator<Item = Result<RecordBatch>> + Send + '_> {
        use crate::enrich::expand::CHUNK_ROWS;
        match self {
            Table::Batch(batch) if batch.num_rows() == 0 || format != Format::Csv => {
                Box::new(std::iter::once(Ok(batch.clone())))
            }
            Table::Batch(batch) => Box::new(crate::shared::batch::slices(batch, CHUNK_ROWS).into_iter().map(Ok)),
            Table::Rows(rows) => Box::new(rows.batches()),
        }
    }
}

/// Writes a table in the given formats (CSV and Parquet side by side when both), a batch at a
/// time.
pub fn write_table(staging: &mut Staging, path: &str, table: &Table, formats: &[Format]) -> Result<()> {
    let written = stage_table(staging.dir(), path, table, formats)?;
    staging.add(written);
    Ok(())
}

/// Writes a table's files into the staging directory `dir` (from any thread); returns them for
/// [`Staging::add`].
pub fn stage_table(dir: &Path, path: &str, table: &Table, formats: &[Format]) -> Result<Vec<Written>> {
    let file = |format: Format| {
        let name = format.file(path);
        let write = move |w: &mut staging::StagedWriter| format.write_batches(w, table.schema(), table.batches(format));
        (name, write)
    };
    Ok(match formats {
        [format] => {
            let (name, write) = file(*format);
            vec![staging::stage(dir, &name, write)?]
        }
        [first, second] => match table {
            Table::Rows(rows) if crate::shared::parallel::threads() > 1 => {
                stage_rows_twice(dir, path, rows, [*first, *second])?
            }
            _ => {
                let ((first, write_first), (second, write_second)) = (file(*first), file(*second));
                staging::stage_two(dir, (&first, write_first), (&second, write_second))?
            }
        },
        _ => anyhow::bail!("a table is written in one or two formats"),
    })
}

/// Batches the faster of two writers may be ahead of the slower.
const AHEAD: usize = 2;

/// Contacts joined to their decisions written in two formats from one expansion: a thread
/// makes each batch once and hands it to both writers, each on a thread of its own (the faster
/// waits when it is [`AHEAD`] batches ahead), where each writer expanding the rows itself made
/// every column's `take` twice. A writer that stops (an error) is no longer handed batches; an
/// error making a batch ends both files with it.
fn stage_rows_twice(dir: &Path, path: &str, rows: &Expansion, formats: [Format; 2]) -> Result<Vec<Written>> {
    type Handed = std::result::Result<RecordBatch, String>;
    let schema = rows.schema();
    std::thread::scope(|scope| {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            formats.iter().map(|_| std::sync::mpsc::sync_channel::<Handed>(AHEAD)).unzip();
        scope.spawn(move || {
            let mut senders: Vec<_> = senders.into_iter().map(Some).collect();
            for batch in rows.batches() {
                let batch = batch.map_err(|e| format!("{e:#}"));
                for sender in &mut senders {
                    if sender.as_ref().is_some_and(|s| s.send(batch.clone()).is_err()) {
                        *sender = None;
                    }
                }
                if batch.is_err() || senders.iter().all(Option::is_none) {
                    break;
                }
            }
        });
        let writers: Vec<_> = formats
            .into_iter()
            .zip(receivers)
            .map(|(format, handed)| {
                let (schema, name) = (schema.clone(), format.file(path));
                scope.spawn(move || {
                    let batches = handed.into_iter().map(|b| b.map_err(anyhow::Error::msg));
                    staging::stage(dir, &name, |w| format.write_batches(w, schema, batches))
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().expect("a writer thread does not panic")).collect()
    })
}

/// The closing line of a run: "384 contacts: 329 matched, 38 non-party, 17 to review".
pub fn summary(contacts: usize, outcomes: &BTreeMap<Outcome, usize>) -> String {
    let count = |outcome: Outcome| outcomes.get(&outcome).copied().unwrap_or(0);
    let mut text =
        format!("{contacts} contacts: {} matched, {} non-party", count(Outcome::Matched), count(Outcome::NonParty));
    if count(Outcome::NotAParty) > 0 {
        text.push_str(&format!(", {} not a party (overrides)", count(Outcome::NotAParty)));
    }
    text.push_str(&format!(", {} to review", count(Outcome::ReviewParty) + count(Outcome::ReviewCountry)));
    text
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, Int32Array, StringArray};
    use arrow::datatypes::{DataType, Field};

    use super::*;
    use crate::enrich::expand::{CHUNK_ROWS, Layout};

    /// Contacts over several batches, some naming two parties.
    fn rows() -> Expansion {
        let n = CHUNK_ROWS * 3 + 7;
        let decision: Vec<u32> = (0..n as u32).map(|i| i % 5).collect();
        let layout = Arc::new(Layout::new(&decision, &[1, 2, 1, 1, 2]));
        let ids: ArrayRef = Arc::new(StringArray::from((0..n).map(|i| format!("c{i}")).collect::<Vec<_>>()));
        let party: ArrayRef = Arc::new(Int32Array::from((0..7).collect::<Vec<_>>()));
        Expansion::new(layout)
            .contact(Field::new("contact_id", DataType::Utf8, false), ids)
            .decision(Field::new("party", DataType::Int32, false), party)
    }

    #[test]
    fn two_formats_from_one_expansion_are_the_files_each_writes_alone() {
        let (together, alone) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let rows = rows();
        let both = stage_rows_twice(together.path(), "t", &rows, [Format::Csv, Format::Parquet]).unwrap();
        let table = Table::Rows(rows);
        let each: Vec<Written> = [Format::Csv, Format::Parquet]
            .iter()
            .flat_map(|f| stage_table(alone.path(), "t", &table, std::slice::from_ref(f)).unwrap())
            .collect();
        assert_eq!(both.iter().map(|w| &w.path).collect::<Vec<_>>(), each.iter().map(|w| &w.path).collect::<Vec<_>>());
        assert_eq!(
            both.iter().map(|w| &w.sha256).collect::<Vec<_>>(),
            each.iter().map(|w| &w.sha256).collect::<Vec<_>>()
        );
        assert!(both[0].bytes > (CHUNK_ROWS * 3) as u64 * 4, "every batch written: {} bytes", both[0].bytes);
    }

    #[test]
    fn a_whole_table_written_in_slices_is_the_csv_of_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        let n = CHUNK_ROWS * 2 + 3;
        let batch = crate::shared::batch::BatchBuilder::new()
            .int64("row", (0..n as i64).map(Some))
            .utf8("text", (0..n).map(|i| Some(if i % 3 == 0 { "a, \"b\"" } else { "c" })))
            .build()
            .unwrap();
        let table = Table::Batch(batch.clone());
        assert_eq!(table.batches(Format::Csv).count(), 3);
        assert_eq!(table.batches(Format::Parquet).count(), 1);
        let written = stage_table(dir.path(), "t", &table, &[Format::Csv]).unwrap();
        let mut whole = Vec::new();
        Format::Csv.write(&mut whole, &batch).unwrap();
        let staged = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
        assert_eq!(std::fs::read(staged).unwrap(), whole);
        assert_eq!(written[0].bytes, whole.len() as u64);
    }
}
