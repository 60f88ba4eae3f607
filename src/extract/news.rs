//! News items as `partylink extract` and the content analysis read them: `news_id, date, title,
//! text` (optional `url`, `kind`) from CSV, Parquet or JSON lines, or a directory of saved web
//! pages (`.html`, `.htm`, `.txt`).
//!
//! A broken file (not UTF-8, not valid JSON, a missing column, a date that is not YYYY-MM-DD)
//! is an error naming the file, the line and the column. A readable file with a bad item (no
//! text, a page that is not a news item, a duplicate `news_id`) keeps the item, with the
//! reason in [`NewsItem::problem`], so that every item is counted and none dropped silently.

use std::collections::HashMap;
use std::io::BufRead;
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

/// Items a batch holds when read a batch at a time: about 20 MB of text at 2 KB an item.
pub const BATCH: usize = 8192;

/// Reads news items from a file (by its extension) or a directory of pages, in input order.
pub fn read_news(path: &Path) -> Result<Vec<NewsItem>> {
    let mut reader = NewsReader::open(path)?;
    let mut items = Vec::new();
    while let Some(batch) = reader.next_batch(BATCH)? {
        items.extend(batch);
    }
    Ok(items)
}

/// News items read a batch at a time, so that a million items are never in memory at once:
/// each batch is extracted and let go before the next is read. Items without text and repeated
/// ids (across batches too) keep their place, with the reason in [`NewsItem::problem`].
pub struct NewsReader {
    path: PathBuf,
    source: Source,
    /// Every `news_id` read so far, with where it was first read.
    first: HashMap<String, String>,
}

enum Source {
    JsonLines { lines: std::io::BufReader<std::fs::File>, line: usize, first: bool },
    Csv { reader: csv::Reader<std::io::BufReader<std::fs::File>>, headers: Vec<String> },
    Parquet { batches: parquet::arrow::arrow_reader::ParquetRecordBatchReader, record: usize },
    Pages { dir: PathBuf, files: std::vec::IntoIter<PathBuf> },
    Page(Option<NewsItem>),
}

impl NewsReader {
    /// Opens a news file (by its extension) or a directory of pages; a file's header or first
    /// line is checked here.
    pub fn open(path: &Path) -> Result<NewsReader> {
        let source = if path.is_dir() {
            Source::Pages { dir: path.to_path_buf(), files: page_files(path)?.into_iter() }
        } else {
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            match ext.as_deref() {
                Some("csv") => open_csv(path)?,
                Some("jsonl" | "ndjson") => Source::JsonLines { lines: buffered(path)?, line: 0, first: true },
                Some("parquet") => open_parquet(path)?,
                Some(e) if PAGE_EXTENSIONS.contains(&e) => {
                    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
                    Source::Page(Some(super::page::read_page(path.display().to_string(), e, &bytes)))
                }
                _ => anyhow::bail!(DataError::new(
                    path,
                    "unknown news format: use a .csv, .parquet or .jsonl (JSON lines) file, or a directory of .html, .htm or .txt pages"
                )),
            }
        };
        Ok(NewsReader { path: path.to_path_buf(), source, first: HashMap::new() })
    }

    /// The next items, at most `max` of them; None at the end.
    pub fn next_batch(&mut self, max: usize) -> Result<Option<Vec<NewsItem>>> {
        let max = max.max(1);
        let path = self.path.as_path();
        let mut items = match &mut self.source {
            Source::JsonLines { lines, line, first } => json_lines(path, lines, line, first, max)?,
            Source::Csv { reader, headers } => csv_records(path, reader, headers, max)?,
            Source::Parquet { batches, record } => parquet_records(path, batches, record, max)?,
            Source::Pages { dir, files } => files
                .take(max)
                .map(|file| {
                    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
                    let id = file.strip_prefix(&*dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
                    let ext = page_extension(&file).expect("filtered by extension");
                    Ok(super::page::read_page(id, &ext, &bytes))
                })
                .collect::<Result<Vec<_>>>()?,
            Source::Page(item) => item.take().into_iter().collect(),
        };
        if items.is_empty() {
            return Ok(None);
        }
        self.mark_problems(&mut items);
        Ok(Some(items))
    }

    /// Items without text and repeated ids keep their place, with the reason.
    fn mark_problems(&mut self, items: &mut [NewsItem]) {
        for item in items.iter_mut() {
            if item.problem.is_none() && item.text.trim().is_empty() {
                item.problem = Some("the item has no text".into());
            }
            match self.first.get(&item.news_id) {
                Some(origin) => {
                    let why = format!("duplicate news_id {:?}, first read at {origin}", item.news_id);
                    item.problem = Some(item.problem.take().map_or(why.clone(), |p| format!("{why}; {p}")));
                }
                None => {
                    self.first.insert(item.news_id.clone(), item.origin.clone());
                }
            }
        }
    }
}

fn buffered(path: &Path) -> Result<std::io::BufReader<std::fs::File>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(std::io::BufReader::with_capacity(1 << 20, file))
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

fn open_csv(path: &Path) -> Result<Source> {
    let mut file = buffered(path)?;
    let bom = "\u{feff}".as_bytes();
    if file.fill_buf().with_context(|| format!("cannot read {}", path.display()))?.starts_with(bom) {
        file.consume(bom.len());
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(file);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| crate::load::read::text_table::csv_error(path, &e))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    missing_columns(path, &headers)?;
    Ok(Source::Csv { reader, headers })
}

fn csv_records(
    path: &Path,
    reader: &mut csv::Reader<std::io::BufReader<std::fs::File>>,
    headers: &[String],
    max: usize,
) -> Result<Vec<NewsItem>> {
    let mut items = Vec::new();
    let mut record = csv::ByteRecord::new();
    while items.len() < max
        && reader.read_byte_record(&mut record).map_err(|e| crate::load::read::text_table::csv_error(path, &e))?
    {
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

fn not_utf8(at: usize) -> String {
    format!("not UTF-8 text (a byte at offset {at} of the cell is not): save the file as UTF-8")
}

/// The next `max` items of a JSON lines file, parsed on every core (a million 2 KB items are
/// 2 GB of JSON). Blank lines are skipped; `line` counts the lines read so far.
fn json_lines(
    path: &Path,
    lines: &mut std::io::BufReader<std::fs::File>,
    line: &mut usize,
    first: &mut bool,
    max: usize,
) -> Result<Vec<NewsItem>> {
    let mut read: Vec<(usize, Vec<u8>, bool)> = Vec::new();
    while read.len() < max {
        let mut bytes = Vec::new();
        if lines.read_until(b'\n', &mut bytes).with_context(|| format!("cannot read {}", path.display()))? == 0 {
            break;
        }
        *line += 1;
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() || trimmed == "\u{feff}".as_bytes() {
            continue;
        }
        read.push((*line, bytes, std::mem::take(first)));
    }
    crate::shared::parallel::map(&read, 256, |(n, bytes, first)| json_line(path, *n, bytes, *first))
        .into_iter()
        .collect()
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

fn open_parquet(path: &Path) -> Result<Source> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let metadata = crate::load::read::parquet::metadata(path)?;
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata);
    let names: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
    missing_columns(path, &names)?;
    let batches = builder
        .with_batch_size(1024)
        .build()
        .map_err(|e| DataError::new(path, format!("not a readable Parquet file: {e}")))?;
    Ok(Source::Parquet { batches, record: 0 })
}

/// The next items of a Parquet file, a record batch at a time (so at most `max` plus one batch
/// of 1,024 records).
fn parquet_records(
    path: &Path,
    batches: &mut parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    record: &mut usize,
    max: usize,
) -> Result<Vec<NewsItem>> {
    let mut items = Vec::new();
    while items.len() < max {
        let Some(batch) = crate::load::read::parquet::next_batch(path, batches)? else { break };
        let columns = text_columns(path, &batch)?;
        for row in 0..batch.num_rows() {
            *record += 1;
            let get = |name: &str| {
                columns
                    .iter()
                    .find(|(n, _)| n == name)
                    .and_then(|(_, c)| c.is_valid(row).then(|| c.value(row).to_string()))
            };
            let mut item = item_from(path, *record, get)?;
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
    fn batches_read_what_the_whole_file_holds_and_find_duplicates_across_them() {
        let dir = tempfile::tempdir().unwrap();
        let lines: String = (0..7)
            .map(|i| format!("{{\"news_id\":\"n{}\",\"date\":null,\"title\":\"T\",\"text\":\"x {i}\"}}\n", i % 5))
            .collect();
        let jsonl = write(dir.path(), "n.jsonl", lines.as_bytes());
        let csv: String = std::iter::once("news_id,date,title,text\n".to_string())
            .chain((0..7).map(|i| format!("n{},,T,x {i}\n", i % 5)))
            .collect();
        let csv = write(dir.path(), "n.csv", csv.as_bytes());
        for path in [jsonl, csv] {
            let whole = read_news(&path).unwrap();
            let mut reader = NewsReader::open(&path).unwrap();
            let mut batches = Vec::new();
            while let Some(batch) = reader.next_batch(2).unwrap() {
                assert!(batch.len() <= 2);
                batches.push(batch);
            }
            assert_eq!(batches.len(), 4, "{}", path.display());
            assert_eq!(batches.concat(), whole);
            let duplicates: Vec<_> = whole.iter().filter(|i| i.problem.is_some()).map(|i| &i.news_id).collect();
            assert_eq!(duplicates, ["n0", "n1"], "{}", path.display());
            assert!(whole[5].problem.as_deref().unwrap().contains("first read at n."), "{:?}", whole[5]);
        }
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
