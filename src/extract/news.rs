//! News items as `partylink extract` and the content analysis read them: `news_id, date, title,
//! text` (optional `url`, `kind`) from CSV, Parquet or JSON lines, or a directory of saved web
//! pages (`.html`, `.htm`, `.txt`).
//!
//! A broken file (not UTF-8, not valid JSON, a missing column, a date that is not YYYY-MM-DD)
//! is an error naming the file, the line and the column. A readable file with a bad item (no
//! text, a page that is not a news item, a duplicate `news_id`) keeps the item, with the
//! reason in [`NewsItem::problem`], so that every item is counted and none dropped silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::DataType;
use chrono::NaiveDate;

use crate::load::error::DataError;

/// One news item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewsItem {
    pub news_id: String,
    /// The posting date, when the input gives one.
    pub date: Option<NaiveDate>,
    pub title: String,
    /// The item's text, paragraphs separated by `\n`.
    pub text: String,
    pub url: Option<String>,
    /// The category the source files the item under: a hint, not a label.
    pub kind: Option<String>,
    /// Where the item was read: "items.jsonl, line 3", or the page's path.
    pub origin: String,
    /// Why the item cannot be read as a news item, if it cannot.
    pub problem: Option<String>,
}

/// The columns (or JSON keys) a news file has.
pub const REQUIRED: [&str; 4] = ["news_id", "date", "title", "text"];
/// Page extensions read from a directory.
pub const PAGE_EXTENSIONS: [&str; 3] = ["html", "htm", "txt"];

/// Reads news items from a file (by its extension) or a directory of pages, in input order.
pub fn read_news(path: &Path) -> Result<Vec<NewsItem>> {
    let mut items = if path.is_dir() {
        read_dir(path)?
    } else {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => read_csv(path)?,
            Some("jsonl" | "ndjson") => read_json_lines(path)?,
            Some("parquet") => read_parquet(path)?,
            Some(e) if PAGE_EXTENSIONS.contains(&e) => {
                let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
                vec![super::page::read_page(path.display().to_string(), e, &bytes)]
            }
            _ => anyhow::bail!(DataError::new(
                path,
                "unknown news format: use a .csv, .parquet or .jsonl (JSON lines) file, or a directory of .html, .htm or .txt pages"
            )),
        }
    };
    mark_problems(&mut items);
    Ok(items)
}

/// Items without text and repeated ids keep their place, with the reason.
fn mark_problems(items: &mut [NewsItem]) {
    let mut first: HashMap<String, String> = HashMap::with_capacity(items.len());
    for item in items.iter_mut() {
        if item.problem.is_none() && item.text.trim().is_empty() {
            item.problem = Some("the item has no text".into());
        }
        match first.get(&item.news_id) {
            Some(origin) => {
                let why = format!("duplicate news_id {:?}, first read at {origin}", item.news_id);
                item.problem = Some(item.problem.take().map_or(why.clone(), |p| format!("{why}; {p}")));
            }
            None => {
                first.insert(item.news_id.clone(), item.origin.clone());
            }
        }
    }
}

/// A posting date cell: empty is no date, anything else must be YYYY-MM-DD.
fn posting_date(path: &Path, line: usize, value: Option<&str>) -> Result<Option<NaiveDate>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(Some).map_err(|_| {
        DataError::new(path, "not a date in the form YYYY-MM-DD").row(line).column("date").value(value).into()
    })
}

/// An item from its cells; `get` gives a column's text (None when absent or null).
fn item_from(path: &Path, line: usize, get: impl Fn(&str) -> Option<String>) -> Result<NewsItem> {
    let news_id = get("news_id").map(|v| v.trim().to_string()).unwrap_or_default();
    if news_id.is_empty() {
        return Err(DataError::new(path, "empty news_id; every item needs one").row(line).column("news_id").into());
    }
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok(NewsItem {
        date: posting_date(path, line, get("date").as_deref())?,
        title: get("title").unwrap_or_default().trim().to_string(),
        text: get("text").unwrap_or_default(),
        url: get("url").filter(|u| !u.trim().is_empty()),
        kind: get("kind").filter(|k| !k.trim().is_empty()),
        origin: format!("{name}, line {line}"),
        problem: None,
        news_id,
    })
}

fn missing_columns(path: &Path, present: &[String]) -> Result<()> {
    for name in ["news_id", "text"] {
        if !present.iter().any(|p| p == name) {
            return Err(DataError::new(path, format!("missing required column; the file has {present:?}"))
                .column(name)
                .into());
        }
    }
    Ok(())
}

fn read_csv(path: &Path) -> Result<Vec<NewsItem>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| crate::load::read::text_table::csv_error(path, &e))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    missing_columns(path, &headers)?;
    let mut items = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(|e| crate::load::read::text_table::csv_error(path, &e))? {
        let line = record.position().map_or(0, |p| p.line() as usize);
        let mut cells = Vec::with_capacity(record.len());
        for (i, cell) in record.iter().enumerate() {
            cells.push(
                std::str::from_utf8(cell)
                    .map_err(|e| DataError::new(path, not_utf8(e.valid_up_to())).row(line).column(&headers[i]))?,
            );
        }
        let get = |name: &str| headers.iter().position(|h| h == name).and_then(|i| cells.get(i)).map(|c| c.to_string());
        items.push(item_from(path, line, get)?);
    }
    Ok(items)
}

fn not_utf8(valid_up_to: usize) -> String {
    format!("not UTF-8 text (a byte at offset {valid_up_to} of the cell is not): save the file as UTF-8")
}

/// JSON lines, parsed on every core (a million 2 KB items are 2 GB of JSON).
fn read_json_lines(path: &Path) -> Result<Vec<NewsItem>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let lines: Vec<(usize, &[u8])> = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim_ascii().is_empty() && line.trim_ascii() != "\u{feff}".as_bytes())
        .collect();
    let first = lines.first().map_or(0, |(n, _)| *n);
    crate::shared::parallel::map(&lines, 1024, |&(n, line)| json_line(path, n, line, n == first)).into_iter().collect()
}

/// One line's item; the first line's keys must hold the required columns.
fn json_line(path: &Path, n: usize, line: &[u8], first: bool) -> Result<NewsItem> {
    let line = std::str::from_utf8(line).map_err(|e| {
        DataError::new(
            path,
            format!("not UTF-8 text (byte {} of the line is not): save the file as UTF-8", e.valid_up_to() + 1),
        )
        .row(n)
    })?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| DataError::new(path, format!("not valid JSON: {e}")).row(n))?;
    let serde_json::Value::Object(object) = value else {
        return Err(DataError::new(path, "each line must be a JSON object").row(n).into());
    };
    if first {
        missing_columns(path, &object.keys().cloned().collect::<Vec<_>>())?;
    }
    let get = |name: &str| match object.get(name) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    item_from(path, n, get)
}

fn read_parquet(path: &Path) -> Result<Vec<NewsItem>> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| DataError::new(path, format!("not a readable Parquet file: {e}")))?;
    let mut items = Vec::new();
    let mut record = 0usize;
    for batch in reader {
        let batch = batch.map_err(|e| DataError::new(path, format!("cannot read Parquet data: {e}")))?;
        let names: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
        missing_columns(path, &names)?;
        let columns = text_columns(path, &batch)?;
        for row in 0..batch.num_rows() {
            record += 1;
            let get = |name: &str| {
                columns
                    .iter()
                    .find(|(n, _)| n == name)
                    .and_then(|(_, c)| c.is_valid(row).then(|| c.value(row).to_string()))
            };
            let mut item = item_from(path, record, get)?;
            item.origin = item.origin.replace(", line ", ", record ");
            items.push(item);
        }
    }
    Ok(items)
}

/// The columns an item is made of, as text (a Parquet date column as YYYY-MM-DD).
fn text_columns(path: &Path, batch: &RecordBatch) -> Result<Vec<(String, arrow::array::StringArray)>> {
    let mut out = Vec::new();
    for name in ["news_id", "date", "title", "text", "url", "kind"] {
        let Some(array) = batch.column_by_name(name) else { continue };
        let text = arrow::compute::cast(array, &DataType::Utf8)
            .map_err(|e| DataError::new(path, format!("cannot read as text: {e}")).column(name))?;
        out.push((name.to_string(), text.as_string::<i32>().clone()));
    }
    Ok(out)
}

/// Every page under `dir` (recursively): its .html, .htm and .txt files, sorted by path: what
/// [`read_news`] reads from it, one item a page.
pub fn page_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("cannot read directory {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if page_extension(&path).is_some() {
                files.push(path);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        anyhow::bail!(DataError::new(dir, "the directory holds no .html, .htm or .txt pages"));
    }
    Ok(files)
}

/// Every page under `dir`, in [`page_files`] order; its `news_id` is its path relative to `dir`.
fn read_dir(dir: &Path) -> Result<Vec<NewsItem>> {
    let files = page_files(dir)?;
    files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let id = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
            let ext = page_extension(path).expect("filtered by extension");
            Ok(super::page::read_page(id, &ext, &bytes))
        })
        .collect()
}

fn page_extension(path: &Path) -> Option<String> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    PAGE_EXTENSIONS.contains(&ext.as_str()).then_some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn json_lines_with_missing_dates_and_problems() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "n.jsonl",
            br#"{"news_id": "a", "date": "2010-03-04", "title": "T", "text": "Beijing, March 4th-X met Y."}
{"news_id": "b", "date": null, "title": "T", "text": "  "}

{"news_id": "a", "title": "T", "text": "again"}
"#,
        );
        let items = read_news(&path).unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].date, NaiveDate::from_ymd_opt(2010, 3, 4));
        assert_eq!(items[0].origin, "n.jsonl, line 1");
        assert_eq!(items[1].date, None);
        assert_eq!(items[1].problem.as_deref(), Some("the item has no text"));
        assert_eq!(items[2].origin, "n.jsonl, line 4");
        assert!(
            items[2].problem.as_deref().unwrap().contains("duplicate news_id \"a\", first read at n.jsonl, line 1")
        );
    }

    #[test]
    fn broken_files_name_the_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let latin1 = write(
            dir.path(),
            "l.jsonl",
            b"{\"news_id\": \"a\", \"date\": null, \"title\": \"T\", \"text\": \"Bras\xedlia\"}\n",
        );
        let e = format!("{:#}", read_news(&latin1).unwrap_err());
        assert!(e.contains("l.jsonl, row 1: not UTF-8 text"), "{e}");
        let date = write(dir.path(), "d.csv", b"news_id,date,title,text\na,4 March 2010,T,x\n");
        let e = format!("{:#}", read_news(&date).unwrap_err());
        assert!(e.contains("d.csv, row 2, column \"date\", value \"4 March 2010\""), "{e}");
        let csv = write(dir.path(), "c.csv", b"news_id,date,title,text\na,,T,Bras\xedlia\n");
        let e = format!("{:#}", read_news(&csv).unwrap_err());
        assert!(e.contains("c.csv, row 2, column \"text\": not UTF-8"), "{e}");
        let columns = write(dir.path(), "m.csv", b"id,date,title,text\na,,T,x\n");
        let e = format!("{:#}", read_news(&columns).unwrap_err());
        assert!(e.contains("column \"news_id\": missing required column"), "{e}");
    }
}
