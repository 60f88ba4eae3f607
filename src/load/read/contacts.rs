//! Reader for contacts: CSV, Parquet or JSON lines, chosen by the file's extension.
//!
//! Required columns: `contact_id` (unique, no control characters), `date` (YYYY-MM-DD), `country`, `partner`.
//! Optional: `venue` (china|abroad), `partner_kind` (party|non_party), `news_id`, `visit_id`. Every other
//! column passes through to the outputs untouched.
//!
//! The contacts stay in Arrow columns from the file to the outputs: a row is never a Rust
//! struct of strings, so ten million contacts take little more memory than their text.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{Array, ArrayRef, AsArray, Date32Array, Int64Array, RecordBatch, StringArray, StringBuilder};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use chrono::NaiveDate;

use crate::load::error::DataError;
use crate::load::paths::read_file;
use crate::load::read::text_table::{check_quotes, csv_error, shown, utf8_cells};

mod ids;
mod texts;

pub use texts::Texts;

pub const REQUIRED: [&str; 4] = ["contact_id", "date", "country", "partner"];
pub const OPTIONAL: [&str; 4] = ["venue", "partner_kind", "news_id", "visit_id"];
/// The longest country or partner name accepted.
pub const MAX_NAME_BYTES: usize = 1000;

/// The validated contacts, one Arrow column each, in input order. Text is trimmed; empty
/// optional cells are null.
#[derive(Debug, Clone)]
pub struct Contacts {
    pub file: PathBuf,
    pub contact_id: StringArray,
    pub date: Date32Array,
    pub country: Texts,
    pub partner: StringArray,
    pub venue: Texts,
    /// `party` unless the input says `non_party`.
    pub partner_kind: Texts,
    pub news_id: StringArray,
    /// Rows of one party with the same visit_id are one interaction.
    pub visit_id: StringArray,
    /// 1-based line (CSV, JSON lines) or record (Parquet) in the input.
    pub source_row: Int64Array,
    /// The columns that are neither required nor optional, as read (types kept for Parquet),
    /// in input row order.
    pub extra: RecordBatch,
}

impl Contacts {
    pub fn len(&self) -> usize {
        self.contact_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
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
    validate(path, &batch, rows)
}

/// One contact made in memory (what `partylink explain` enriches): a party partner in a
/// country on a date.
pub fn one(country: &str, date: NaiveDate, partner: &str) -> Result<Contacts> {
    let days = date.signed_duration_since(NaiveDate::default()).num_days() as i32;
    let batch = RecordBatch::try_from_iter([
        ("contact_id", Arc::new(StringArray::from(vec!["explain"])) as ArrayRef),
        ("date", Arc::new(Date32Array::from(vec![days])) as ArrayRef),
        ("country", Arc::new(StringArray::from(vec![country])) as ArrayRef),
        ("partner", Arc::new(StringArray::from(vec![partner])) as ArrayRef),
    ])?;
    validate(Path::new("the command line"), &batch, Int64Array::from(vec![1]))
}

/// A column as text, or None when the file lacks it.
fn text_column(path: &Path, batch: &RecordBatch, name: &str) -> Result<Option<StringArray>> {
    let Some(array) = batch.column_by_name(name) else { return Ok(None) };
    let strings = cast(array, &DataType::Utf8)
        .map_err(|e| DataError::new(path, format!("cannot read as text: {e}")).column(name))?;
    Ok(Some(strings.as_string::<i32>().clone()))
}

/// The values trimmed; with `empty_as_null`, empty values become null. The array is shared,
/// not copied, when no value changes.
fn trimmed(values: &StringArray, empty_as_null: bool) -> StringArray {
    let changes = |v: &str| v.trim().len() != v.len() || (empty_as_null && v.is_empty());
    if !values.iter().flatten().any(changes) {
        return values.clone();
    }
    values.iter().map(|v| v.map(str::trim).filter(|v| !(empty_as_null && v.is_empty()))).collect()
}

/// Days since 1970-01-01 of a YYYY-MM-DD date.
fn parse_date(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let date = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    Some(date.signed_duration_since(NaiveDate::default()).num_days() as i32)
}

fn validate(path: &Path, batch: &RecordBatch, rows: Int64Array) -> Result<Contacts> {
    if batch.num_columns() == 0 {
        return Err(DataError::new(path, "the file is empty: no header row").into());
    }
    for name in REQUIRED {
        if batch.column_by_name(name).is_none() {
            let columns: Vec<_> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
            return Err(DataError::new(path, format!("missing required column; the file has {columns:?}"))
                .column(name)
                .into());
        }
    }
    if batch.num_rows() == 0 {
        return Err(DataError::new(path, "no contacts: the file has a header but no rows").into());
    }
    let err = |i: usize, col: &str, value: &str, problem: &str| cell_error(path, &rows, i, col, value, problem);
    let column = |name: &str, empty_as_null: bool| -> Result<StringArray> {
        let values = text_column(path, batch, name)?.unwrap_or_else(|| StringArray::new_null(batch.num_rows()));
        Ok(trimmed(&values, empty_as_null))
    };

    let contact_id = column("contact_id", false)?;
    ids::check_ids(&contact_id, &rows, err)?;

    let date = dates(path, batch, &rows)?;
    let [country, partner] = ["country", "partner"].map(|n| column(n, false));
    let (country, partner) = (country?, partner?);
    let country =
        if country.null_count() > 0 { country.iter().map(|v| Some(v.unwrap_or(""))).collect() } else { country };
    let partner =
        if partner.null_count() > 0 { partner.iter().map(|v| Some(v.unwrap_or(""))).collect() } else { partner };

    // A country or partner spanning lines is two rows run together, and a NUL or a megabyte
    // is not a name: each is refused, not matched.
    for (name, values) in [("country", &country), ("partner", &partner)] {
        let bad = |v: &str| v.len() > MAX_NAME_BYTES || v.bytes().any(|b| b.is_ascii_control());
        if let Some(i) = (0..values.len()).find(|&i| bad(values.value(i))) {
            let value = values.value(i);
            let problem = if value.len() > MAX_NAME_BYTES {
                format!("longer than {MAX_NAME_BYTES} bytes; not a name")
            } else {
                "a control character (a line break, NUL, ...) in the value: two rows run together, or not text".into()
            };
            return Err(err(i, name, &shown(value), &problem));
        }
    }
    let venue = column("venue", true)?;
    if let Some(i) = (0..venue.len()).find(|&i| venue.is_valid(i) && !matches!(venue.value(i), "china" | "abroad")) {
        return Err(err(i, "venue", venue.value(i), "venue must be china or abroad (or empty)"));
    }
    let kind = column("partner_kind", true)?;
    if let Some(i) = (0..kind.len()).find(|&i| kind.is_valid(i) && !matches!(kind.value(i), "party" | "non_party")) {
        return Err(err(i, "partner_kind", kind.value(i), "partner_kind must be party or non_party (or empty)"));
    }
    let partner_kind =
        if kind.null_count() > 0 { kind.iter().map(|k| Some(k.unwrap_or("party"))).collect() } else { kind };

    let keep: Vec<usize> = (0..batch.num_columns())
        .filter(|&c| {
            let name = batch.schema().field(c).name().clone();
            !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str())
        })
        .collect();
    let extra = batch.project(&keep).context("selecting pass-through columns")?;
    // The three columns of few distinct texts are packed on every thread.
    let packed = crate::shared::parallel::map(&[country, venue, partner_kind], 1, |texts| Texts::new(texts.clone()));
    let [country, venue, partner_kind] = <[_; 3]>::try_from(packed).expect("three columns packed");
    let packing = |texts: Result<Texts, _>| texts.with_context(|| format!("{}: packing the texts", path.display()));
    Ok(Contacts {
        file: path.to_path_buf(),
        contact_id,
        date,
        country: packing(country)?,
        partner,
        venue: packing(venue)?,
        partner_kind: packing(partner_kind)?,
        news_id: column("news_id", true)?,
        visit_id: column("visit_id", true)?,
        source_row: rows,
        extra,
    })
}

/// A bad value of contact `i`, named by its row in the file, its column and the value.
fn cell_error(path: &Path, rows: &Int64Array, i: usize, column: &str, value: &str, problem: &str) -> anyhow::Error {
    DataError::new(path, problem).row(rows.value(i) as usize).column(column).value(value).into()
}

/// The date column: dates as they are (a Parquet date column), text parsed as YYYY-MM-DD.
fn dates(path: &Path, batch: &RecordBatch, rows: &Int64Array) -> Result<Date32Array> {
    let array = batch.column_by_name("date").expect("checked as required");
    let bad = |i: usize, value: &str| cell_error(path, rows, i, "date", value, "not a date in the form YYYY-MM-DD");
    if array.data_type() == &DataType::Date32 {
        let days = array.as_primitive::<arrow::datatypes::Date32Type>();
        if let Some(i) = (0..days.len()).find(|&i| days.is_null(i)) {
            return Err(bad(i, ""));
        }
        return Ok(days.clone());
    }
    let text = text_column(path, batch, "date")?.expect("checked as required");
    let mut days = Vec::with_capacity(text.len());
    for i in 0..text.len() {
        let value = if text.is_valid(i) { text.value(i).trim() } else { "" };
        days.push(parse_date(value).ok_or_else(|| bad(i, value))?);
    }
    Ok(Date32Array::from(days))
}

/// CSV cells stay text: the reader does not guess types for pass-through columns. A UTF-8 byte
/// order mark is dropped; a row with more or fewer cells than the header is an error.
fn read_csv(path: &Path) -> Result<(RecordBatch, Int64Array)> {
    let bytes = read_file(path)?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let headers: Vec<String> =
        reader.headers().map_err(|e| csv_error(path, &e))?.iter().map(|h| h.trim().to_string()).collect();
    check_quotes(path, bytes, &headers)?;
    let mut builders: Vec<StringBuilder> = headers.iter().map(|_| StringBuilder::new()).collect();
    let mut lines = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(|e| csv_error(path, &e))? {
        let line = record.position().map_or(0, |p| p.line() as usize);
        lines.push(line as i64);
        for (builder, cell) in builders.iter_mut().zip(utf8_cells(path, &headers, line, &record)?) {
            builder.append_value(cell);
        }
    }
    let columns = headers.into_iter().zip(builders).map(|(h, mut b)| (h, Arc::new(b.finish()) as ArrayRef)).collect();
    Ok((string_batch(path, columns, lines.len())?, Int64Array::from(lines)))
}

/// Parquet: the row groups are decoded on every thread, each a run of consecutive groups, then
/// joined in file order. The footer is read once and shared by all.
fn read_parquet(path: &Path) -> Result<(RecordBatch, Int64Array)> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let _timer = crate::shared::timing::start(|| "decoding the Parquet contacts".into());
    let metadata = super::parquet::metadata(path)?;
    let open = || File::open(path).with_context(|| format!("cannot open {}", path.display()));
    let schema = metadata.schema().clone();
    let groups: Vec<usize> = (0..metadata.metadata().num_row_groups()).collect();
    let decode = |row_groups: &&[usize]| -> Result<Vec<RecordBatch>> {
        let mut reader = ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, metadata.clone())
            .with_row_groups(row_groups.to_vec())
            .build()
            .map_err(|e| DataError::new(path, format!("not a readable Parquet file: {e}")))?;
        let mut batches = Vec::new();
        while let Some(batch) = super::parquet::next_batch(path, &mut reader)? {
            batches.push(batch);
        }
        Ok(batches)
    };
    let parts = crate::shared::parallel::split(&groups, crate::shared::parallel::threads());
    let mut batches: Vec<RecordBatch> = Vec::new();
    for decoded in crate::shared::parallel::map(&parts, 1, decode) {
        batches.extend(decoded?);
    }
    let _timer = crate::shared::timing::start(|| "joining the Parquet batches".into());
    let batch = crate::shared::batch::join(&schema, batches)?;
    let rows = (1..=batch.num_rows() as i64).collect();
    Ok((batch, rows))
}

/// JSON lines: one object a line; scalars become text, nested values their JSON text. Blank
/// lines are skipped. Columns appear in the order keys are first seen.
fn read_json_lines(path: &Path) -> Result<(RecordBatch, Int64Array)> {
    let bytes = read_file(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        DataError::new(path, "not UTF-8 text: save the file as UTF-8").row(line)
    })?;
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
        lines.push(i as i64 + 1);
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
    Ok((string_batch(path, columns, records.len())?, Int64Array::from(lines)))
}

fn string_batch(path: &Path, columns: Vec<(String, ArrayRef)>, rows: usize) -> Result<RecordBatch> {
    let mut names = std::collections::HashSet::new();
    for (name, _) in &columns {
        if !names.insert(name.as_str()) {
            return Err(DataError::new(path, "the column appears twice in the header").column(name).into());
        }
    }
    let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(n, a.data_type().clone(), true)).collect();
    let options = arrow::array::RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns.into_iter().map(|(_, a)| a).collect(),
        &options,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_only_in_the_iso_form() {
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("2010-03-01"), Some(14669));
        for bad in ["2010-3-01", "2010-02-30", "01/03/2010", "2010-03-01x", "", "2010-0a-01"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn trimming_shares_an_unchanged_array() {
        let clean = StringArray::from(vec!["a", "b"]);
        assert_eq!(trimmed(&clean, true).values().as_ptr(), clean.values().as_ptr());
        let messy = StringArray::from(vec![" a ", ""]);
        assert_eq!(trimmed(&messy, true), StringArray::from(vec![Some("a"), None]));
        assert_eq!(trimmed(&messy, false), StringArray::from(vec!["a", ""]));
    }
}
