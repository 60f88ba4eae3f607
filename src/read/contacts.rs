//! Reader for contacts: CSV, Parquet or JSON lines, chosen by the file's extension.
//!
//! Required columns: `contact_id` (unique), `date` (YYYY-MM-DD), `country`, `partner`.
//! Optional: `venue` (china|abroad), `partner_kind` (party|non_party), `news_id`, `visit_id`. Every other
//! column passes through to the outputs untouched.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use chrono::NaiveDate;

use crate::error::DataError;
use crate::read::text_table::TextTable;

pub const REQUIRED: [&str; 4] = ["contact_id", "date", "country", "partner"];
pub const OPTIONAL: [&str; 4] = ["venue", "partner_kind", "news_id", "visit_id"];

/// One validated contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub contact_id: String,
    pub date: NaiveDate,
    pub country: String,
    pub partner: String,
    pub venue: Option<String>,
    /// `party` unless the input says `non_party`.
    pub partner_kind: String,
    pub news_id: Option<String>,
    /// Rows of one party with the same visit_id are one interaction.
    pub visit_id: Option<String>,
    /// 1-based line (CSV, JSON lines) or record (Parquet) in the input.
    pub row: usize,
}

#[derive(Debug)]
pub struct Contacts {
    pub file: PathBuf,
    pub contacts: Vec<Contact>,
    /// The columns that are neither required nor optional, as read (types kept for Parquet),
    /// in input row order.
    pub extra: RecordBatch,
}

/// Reads and validates a contacts file.
pub fn read(path: &Path) -> Result<Contacts> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let (batch, rows) = match ext.as_deref() {
        Some("csv") => read_csv(path)?,
        Some("parquet") => read_parquet(path)?,
        Some("jsonl" | "ndjson") => read_json_lines(path)?,
        _ => anyhow::bail!(DataError::new(
            path,
            "unknown contacts format: use a .csv, .parquet or .jsonl (JSON lines) file"
        )),
    };
    validate(path, &batch, &rows)
}

/// Every column as text: (column, values). None for a JSON null or a Parquet null.
fn text_column(path: &Path, batch: &RecordBatch, name: &str) -> Result<Option<Vec<Option<String>>>> {
    let Some(array) = batch.column_by_name(name) else { return Ok(None) };
    let strings = cast(array, &DataType::Utf8)
        .map_err(|e| DataError::new(path, format!("cannot read as text: {e}")).column(name))?;
    let strings = strings.as_any().downcast_ref::<StringArray>().expect("cast to Utf8 gives a StringArray");
    Ok(Some((0..strings.len()).map(|i| strings.is_valid(i).then(|| strings.value(i).to_string())).collect()))
}

fn validate(path: &Path, batch: &RecordBatch, rows: &[usize]) -> Result<Contacts> {
    for name in REQUIRED {
        if batch.column_by_name(name).is_none() {
            let columns: Vec<_> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
            return Err(DataError::new(path, format!("missing required column; the file has {columns:?}"))
                .column(name)
                .into());
        }
    }
    let column = |name| text_column(path, batch, name);
    let [ids, dates, countries, partners] = REQUIRED.map(|n| column(n).map(Option::unwrap_or_default));
    let (ids, dates, countries, partners) = (ids?, dates?, countries?, partners?);
    let [venues, kinds, news, visits] = OPTIONAL.map(column);
    let (venues, kinds, news, visits) = (venues?, kinds?, news?, visits?);
    let err = |i: usize, col: &str, value: &str, problem: &str| -> anyhow::Error {
        DataError::new(path, problem).row(rows[i]).column(col).value(value).into()
    };
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    let mut contacts = Vec::with_capacity(ids.len());
    for i in 0..ids.len() {
        let id = ids[i].as_deref().map(str::trim).unwrap_or("");
        if id.is_empty() {
            return Err(err(i, "contact_id", id, "empty contact_id; every contact needs one"));
        }
        if let Some(first) = seen.insert(id, i) {
            return Err(err(i, "contact_id", id, &format!("duplicate contact_id, first used at row {}", rows[first])));
        }
        let date_text = dates[i].as_deref().unwrap_or("").trim();
        let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
            .ok()
            .filter(|_| date_text.len() == 10)
            .ok_or_else(|| err(i, "date", date_text, "not a date in the form YYYY-MM-DD"))?;
        let optional = |values: &Option<Vec<Option<String>>>| {
            values.as_ref().and_then(|v| v[i].as_deref()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
        };
        let venue = optional(&venues);
        if let Some(v) = venue.as_deref().filter(|v| !matches!(*v, "china" | "abroad")) {
            return Err(err(i, "venue", v, "venue must be china or abroad (or empty)"));
        }
        let partner_kind = optional(&kinds).unwrap_or_else(|| "party".to_string());
        if !matches!(partner_kind.as_str(), "party" | "non_party") {
            return Err(err(i, "partner_kind", &partner_kind, "partner_kind must be party or non_party (or empty)"));
        }
        contacts.push(Contact {
            contact_id: id.to_string(),
            date,
            country: countries[i].as_deref().unwrap_or("").trim().to_string(),
            partner: partners[i].as_deref().unwrap_or("").trim().to_string(),
            venue,
            partner_kind,
            news_id: optional(&news),
            visit_id: optional(&visits),
            row: rows[i],
        });
    }
    let keep: Vec<usize> = (0..batch.num_columns())
        .filter(|&c| {
            let name = batch.schema().field(c).name().clone();
            !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str())
        })
        .collect();
    let extra = batch.project(&keep).context("selecting pass-through columns")?;
    Ok(Contacts { file: path.to_path_buf(), contacts, extra })
}

/// CSV cells stay text: the reader does not guess types for pass-through columns.
fn read_csv(path: &Path) -> Result<(RecordBatch, Vec<usize>)> {
    let table = TextTable::read_csv(path)?;
    let lines = table.rows.iter().map(|r| r.line).collect();
    let columns = table
        .headers
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let values: StringArray = table.rows.iter().map(|r| Some(r.cells[c].as_str())).collect();
            (name.trim().to_string(), Arc::new(values) as ArrayRef)
        })
        .collect();
    Ok((string_batch(path, columns)?, lines))
}

fn read_parquet(path: &Path) -> Result<(RecordBatch, Vec<usize>)> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| DataError::new(path, format!("not a readable Parquet file: {e}")))?;
    let schema = builder.schema().clone();
    let batches = builder
        .build()
        .map_err(|e| DataError::new(path, format!("not a readable Parquet file: {e}")))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DataError::new(path, format!("cannot read Parquet data: {e}")))?;
    let batch = arrow::compute::concat_batches(&schema, &batches)?;
    let rows = (1..=batch.num_rows()).collect();
    Ok((batch, rows))
}

/// JSON lines: one object a line; scalars become text, nested values their JSON text. Blank
/// lines are skipped. Columns appear in the order keys are first seen.
fn read_json_lines(path: &Path) -> Result<(RecordBatch, Vec<usize>)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut names: Vec<String> = Vec::new();
    let mut records: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| DataError::new(path, format!("not valid JSON: {e}")).row(i + 1))?;
        let serde_json::Value::Object(object) = value else {
            return Err(DataError::new(path, "each line must be a JSON object").row(i + 1).into());
        };
        for key in object.keys() {
            if !names.contains(key) {
                names.push(key.clone());
            }
        }
        records.push(object);
        lines.push(i + 1);
    }
    let columns = names
        .iter()
        .map(|name| {
            let values: StringArray = records
                .iter()
                .map(|r| match r.get(name) {
                    None | Some(serde_json::Value::Null) => None,
                    Some(serde_json::Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                })
                .collect();
            (name.clone(), Arc::new(values) as ArrayRef)
        })
        .collect();
    Ok((string_batch(path, columns)?, lines))
}

fn string_batch(path: &Path, columns: Vec<(String, ArrayRef)>) -> Result<RecordBatch> {
    let mut names = std::collections::HashSet::new();
    for (name, _) in &columns {
        if !names.insert(name.as_str()) {
            return Err(DataError::new(path, "the column appears twice in the header").column(name).into());
        }
    }
    let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(n, a.data_type().clone(), true)).collect();
    let rows = columns.first().map_or(0, |(_, a)| a.len());
    let options = arrow::array::RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns.into_iter().map(|(_, a)| a).collect(),
        &options,
    )?)
}
