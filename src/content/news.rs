//! News items for the content analysis: `news_id, date, title, text`, optional `kind`, from
//! JSON lines or CSV, or a directory of such files.
//!
//! This is the one place the content analysis reads news from ([`items`]); the reader of
//! `partylink extract` takes over here once it is part of partylink.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::error::DataError;

/// A news item as the content analysis uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsItem {
    pub news_id: String,
    /// The posting date, when the item has one.
    pub date: Option<NaiveDate>,
    pub title: String,
    pub text: String,
    /// The category of the page the item came from, when given (a hint, see [`super::kinds`]).
    pub kind: Option<String>,
}

/// The files news items are read from: the file itself, or every `.jsonl` and `.csv` file in a
/// directory, sorted by name.
pub fn files(path: &Path) -> Result<Vec<PathBuf>> {
    Ok(if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| matches!(extension(p).as_str(), "jsonl" | "csv"))
            .collect();
        files.sort();
        anyhow::ensure!(!files.is_empty(), "{}: no news items here (.jsonl or .csv files)", path.display());
        files
    } else {
        anyhow::ensure!(path.is_file(), "{}: no such file or directory of news items", path.display());
        vec![path.to_path_buf()]
    })
}

/// The items of a file (`.jsonl`, `.csv`) or of every such file in a directory (sorted by name),
/// in order. Ids must be unique.
pub fn items(path: &Path) -> Result<Vec<NewsItem>> {
    let mut items = Vec::new();
    for file in &files(path)? {
        match extension(file).as_str() {
            "jsonl" => items.extend(read_jsonl(file)?),
            "csv" => items.extend(read_csv(file)?),
            other => {
                return Err(DataError::new(
                    file,
                    format!("news items are read from .jsonl or .csv files, not .{other}"),
                )
                .into());
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for item in &items {
        anyhow::ensure!(
            seen.insert(item.news_id.as_str()),
            "{}: news_id {:?} occurs twice",
            path.display(),
            item.news_id
        );
    }
    Ok(items)
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_lowercase()
}

fn date(file: &Path, line: usize, text: Option<&str>) -> Result<Option<NaiveDate>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| DataError::new(file, "the date is not YYYY-MM-DD").row(line).column("date").value(t).into()),
    }
}

fn required(file: &Path, line: usize, column: &str, value: Option<String>) -> Result<String> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| DataError::new(file, "missing, but every news item needs it").row(line).column(column).into())
}

fn read_jsonl(file: &Path) -> Result<Vec<NewsItem>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let n = i + 1;
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| DataError::new(file, format!("not a JSON object: {e}")).row(n))?;
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_string);
        items.push(NewsItem {
            news_id: required(file, n, "news_id", field("news_id"))?,
            date: date(file, n, field("date").as_deref())?,
            title: field("title").unwrap_or_default(),
            text: required(file, n, "text", field("text"))?,
            kind: field("kind").filter(|k| !k.is_empty()),
        });
    }
    Ok(items)
}

fn read_csv(file: &Path) -> Result<Vec<NewsItem>> {
    let table = crate::read::text_table::TextTable::read_csv(file)?;
    let [id, text] = table.columns(["news_id", "text"])?;
    let optional = |name: &str| table.headers.iter().position(|h| h == name);
    let (date_col, title, kind) = (optional("date"), optional("title"), optional("kind"));
    table
        .rows
        .iter()
        .map(|row| {
            let cell = |col: Option<usize>| col.map(|c| row.cells[c].clone());
            Ok(NewsItem {
                news_id: required(file, row.line, "news_id", cell(Some(id)))?,
                date: date(file, row.line, cell(date_col).as_deref())?,
                title: cell(title).unwrap_or_default(),
                text: required(file, row.line, "text", cell(Some(text)))?,
                kind: cell(kind).filter(|k| !k.is_empty()),
            })
        })
        .collect()
}
