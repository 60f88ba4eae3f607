//! A table of text cells read from a CSV file or a workbook sheet, remembering where each row came from.
//!
//! The source readers (DPI, Party Facts, the reference tables) parse their columns from this
//! common shape, so every one of them reports bad values with the same file/sheet/row/column.

use std::path::{Path, PathBuf};

use anyhow::Result;
use calamine::{Data, Reader};

use crate::load::error::{DataError, column_letters};
use crate::load::paths::{Source, read_file};

#[derive(Debug, Clone)]
pub struct TextRow {
    /// 1-based line (CSV) or sheet row (workbook) where the record starts.
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TextTable {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<TextRow>,
}

impl TextTable {
    /// Reads a CSV file with a header row. A UTF-8 byte order mark is dropped.
    pub fn read_csv(path: &Path) -> Result<TextTable> {
        Self::parse_csv(path, &read_file(path)?)
    }

    /// Parses CSV text; `path` only names the source in errors.
    pub fn parse_csv(path: &Path, bytes: &[u8]) -> Result<TextTable> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
        let headers = reader.headers().map_err(|e| csv_error(path, &e))?.iter().map(str::to_string).collect::<Vec<_>>();
        check_quotes(path, bytes, &headers)?;
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(DataError::new(path, "the file is empty: no header row").into());
        }
        let mut rows = Vec::new();
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line() as usize);
                    let cells = utf8_cells(path, &headers, line, &record)?;
                    rows.push(TextRow { line, cells: cells.into_iter().map(str::to_string).collect() });
                }
                Err(e) => return Err(csv_error(path, &e).into()),
            }
        }
        Ok(TextTable { file: path.to_path_buf(), sheet: None, headers, rows })
    }

    /// Reads a workbook sheet (.xlsx, .xlsm, .xls, .ods) whose first row holds the headers.
    /// `sheet` picks the sheet by name; without it the first sheet is read.
    pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<TextTable> {
        let mut workbook = open_workbook(path)?;
        let names = workbook.sheet_names();
        let name = match sheet {
            Some(wanted) => names.iter().find(|n| n.as_str() == wanted).cloned().ok_or_else(|| {
                DataError::new(path, format!("no sheet named {wanted:?}; the workbook has {names:?}"))
            })?,
            None => names.first().cloned().ok_or_else(|| DataError::new(path, "the workbook has no sheets"))?,
        };
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| DataError::new(path, format!("cannot read sheet: {e}")).sheet(&name))?;
        let cells = SheetCells::new(path, &name, &range);
        let (first_row, _) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for r in 0..range.height() {
            let line = first_row as usize + r + 1;
            let row = (0..range.width()).map(|c| cells.text(r, c)).collect::<Result<Vec<_>>>()?;
            rows.push(TextRow { line, cells: row });
        }
        let mut rows = rows.into_iter();
        let headers = rows.next().ok_or_else(|| DataError::new(path, "the sheet is empty").sheet(&name))?.cells;
        let rows = rows.filter(|r| r.cells.iter().any(|c| !c.is_empty())).collect();
        Ok(TextTable { file: path.to_path_buf(), sheet: Some(name), headers, rows })
    }

    /// Reads a source: a built-in one is CSV; a file is read by [`TextTable::read_any`]. A
    /// source with a header but no rows is an error.
    pub fn read_source(source: &Source) -> Result<TextTable> {
        let table = match source.built_in {
            Some(b) => Self::parse_csv(&source.path, b.bytes)?,
            None => Self::read_any(&source.path)?,
        };
        Ok(table.with_rows()?)
    }

    /// Reads CSV or a workbook, chosen by the file's extension.
    pub fn read_any(path: &Path) -> Result<TextTable> {
        if is_workbook(path) { Self::read_sheet(path, None) } else { Self::read_csv(path) }
    }

    /// The table, or an error when it has a header but no rows: a source without rows would
    /// leave every contact without its values, silently.
    pub fn with_rows(self) -> Result<TextTable, DataError> {
        if self.rows.is_empty() {
            let mut e = DataError::new(&self.file, "no data rows, only a header");
            e.sheet = self.sheet.clone();
            return Err(e);
        }
        Ok(self)
    }

    /// The index of a required column, or an error naming the file and the columns it has.
    pub fn column(&self, name: &str) -> Result<usize, DataError> {
        self.headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            let mut e =
                DataError::new(&self.file, format!("missing required column; the header has {:?}", self.headers))
                    .column(name);
            e.sheet = self.sheet.clone();
            e
        })
    }

    /// The indices of several required columns, in the order asked.
    pub fn columns<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], DataError> {
        let mut out = [0; N];
        for (slot, name) in out.iter_mut().zip(names) {
            *slot = self.column(name)?;
        }
        Ok(out)
    }

    /// A whole number in the cell ("12", or "12.0" as spreadsheets export it); None when the
    /// cell holds one of `missing`.
    pub fn whole_number(&self, row: &TextRow, col: usize, missing: &[&str]) -> Result<Option<i64>, DataError> {
        let text = row.cells[col].trim();
        if missing.contains(&text) {
            return Ok(None);
        }
        text.parse::<i64>()
            .ok()
            .or_else(|| text.parse::<f64>().ok().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| self.cell_error(row, col, "not a whole number"))
    }

    /// The trimmed text of a cell that every row must fill.
    pub fn required_text(&self, row: &TextRow, col: usize) -> Result<String, DataError> {
        let text = row.cells[col].trim();
        if text.is_empty() {
            return Err(self.cell_error(row, col, "empty, but every row needs one"));
        }
        Ok(text.to_string())
    }

    /// An error about the cell of `row` in column `col`.
    pub fn cell_error(&self, row: &TextRow, col: usize, problem: impl Into<String>) -> DataError {
        let mut e = DataError::new(&self.file, problem)
            .row(row.line)
            .column(&self.headers[col])
            .value(row.cells.get(col).map_or("", String::as_str));
        e.sheet = self.sheet.clone();
        e
    }
}

/// True for the extensions calamine reads.
pub fn is_workbook(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
    )
}

pub fn open_workbook(path: &Path) -> Result<calamine::Sheets<std::io::BufReader<std::fs::File>>> {
    if !path.exists() {
        anyhow::bail!("{}: file not found", path.display());
    }
    if path.is_dir() {
        anyhow::bail!("{}: is a directory, not a file", path.display());
    }
    calamine::open_workbook_auto(path).map_err(|e| DataError::new(path, format!("cannot open workbook: {e}")).into())
}

/// Cells of one sheet as text, with errors that name the cell.
pub struct SheetCells<'a> {
    path: &'a Path,
    sheet: &'a str,
    range: &'a calamine::Range<Data>,
}

impl<'a> SheetCells<'a> {
    pub fn new(path: &'a Path, sheet: &'a str, range: &'a calamine::Range<Data>) -> Self {
        SheetCells { path, sheet, range }
    }

    /// The cell at (row, col), relative to the used range, as the text a CSV export would hold.
    /// Whole numbers print without a decimal point; an Excel error value (#N/A, ...) is an error.
    pub fn text(&self, row: usize, col: usize) -> Result<String> {
        Ok(match self.range.get((row, col)) {
            None | Some(Data::Empty) => String::new(),
            Some(Data::String(s)) => s.clone(),
            Some(Data::Int(i)) => i.to_string(),
            Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Some(Data::Float(f)) => f.to_string(),
            Some(Data::Bool(b)) => b.to_string(),
            Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => s.clone(),
            Some(Data::DateTime(d)) => d.to_string(),
            Some(Data::Error(e)) => {
                return Err(DataError::new(self.path, format!("the cell holds the spreadsheet error {e}"))
                    .sheet(self.sheet)
                    .row(self.sheet_row(row))
                    .column(&self.cell_column(col))
                    .into());
            }
        })
    }

    /// The sheet's 1-based row number of a row relative to the used range.
    pub fn sheet_row(&self, row: usize) -> usize {
        self.range.start().map_or(0, |(r, _)| r as usize) + row + 1
    }

    /// The sheet's column letters of a column relative to the used range.
    pub fn cell_column(&self, col: usize) -> String {
        column_letters(self.range.start().map_or(0, |(_, c)| c as usize) + col)
    }
}

/// Fails on a quote the CSV reader would read past. Like most CSV readers, the `csv` crate ends a
/// quoted field that is never closed at the end of the file, and adds text after a closing quote
/// to the field: either way one stray quote merges the rows after it into one cell, silently.
/// The error names the row where the field starts, its column and its first characters.
pub fn check_quotes(path: &Path, bytes: &[u8], headers: &[String]) -> Result<(), DataError> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let (mut state, mut line, mut record_line, mut field, mut field_start) = (State::FieldStart, 1, 1, 0, 0);
    let error = |record_line: usize, field: usize, start: usize, problem: &str| {
        let column = headers.get(field).cloned().unwrap_or_else(|| format!("#{}", field + 1));
        let text = String::from_utf8_lossy(&bytes[start..bytes.len().min(start + 40)]);
        let value = text.split(['\r', '\n']).next().unwrap_or_default();
        DataError::new(path, problem).row(record_line).column(&column).value(value)
    };
    for (i, &b) in bytes.iter().enumerate() {
        let record_starts = state == State::FieldStart && field == 0;
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b',') => {
                field += 1;
                State::FieldStart
            }
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b'\r' | b'\n') => {
                field = 0;
                State::FieldStart
            }
            (State::QuoteInQuoted, _) => {
                let problem = "text after the closing quote of a quoted field (a stray quote would merge rows)";
                return Err(error(record_line, field, field_start, problem));
            }
            (State::FieldStart, b'"') => State::Quoted,
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
        };
        if record_starts && b != b'\r' && b != b'\n' {
            record_line = line;
        }
        if state == State::FieldStart {
            field_start = i + 1;
        }
        if b == b'\n' {
            line += 1;
        }
    }
    if state == State::Quoted {
        let problem = "unclosed quote: the quoted field runs to the end of the file, swallowing the rows after it";
        return Err(error(record_line, field, field_start, problem));
    }
    Ok(())
}

/// The cells of a CSV record as text. A cell that is not UTF-8 (a file saved as Latin-1 or
/// Windows-1252) is named with its row, column and the value as far as it can be shown.
pub fn utf8_cells<'r>(
    path: &Path,
    headers: &[String],
    line: usize,
    record: &'r csv::ByteRecord,
) -> Result<Vec<&'r str>, DataError> {
    record
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            std::str::from_utf8(cell).map_err(|_| {
                let column = headers.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1));
                DataError::new(
                    path,
                    "not UTF-8 text: save the file as UTF-8 (was it saved as Latin-1 or Windows-1252?)",
                )
                .row(line)
                .column(&column)
                .value(&String::from_utf8_lossy(cell))
            })
        })
        .collect()
}

/// A value shown in an error, cut to its first 60 characters: a 10 MB cell must not become a
/// 10 MB message.
pub fn shown(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((end, _)) => format!("{}... ({} bytes)", &value[..end], value.len()),
        None => value.to_string(),
    }
}

pub fn csv_error(path: &Path, e: &csv::Error) -> DataError {
    let mut err = DataError::new(path, format!("malformed CSV: {e}"));
    if let Some(p) = e.position() {
        err = err.row(p.line() as usize);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_drops_bom_and_keeps_line_numbers() {
        let t =
            TextTable::parse_csv(Path::new("x.csv"), "\u{feff}a,b\n1,2\n\"multi\nline\",3\n4,5\n".as_bytes()).unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 5]);
        assert_eq!(t.column("b").unwrap(), 1);
    }

    #[test]
    fn missing_column_is_named() {
        let t = TextTable::parse_csv(Path::new("x.csv"), b"a,b\n1,2\n").unwrap();
        let e = t.column("year").unwrap_err().to_string();
        assert!(e.starts_with("x.csv, column \"year\": missing required column"), "{e}");
    }

    #[test]
    fn an_unclosed_quote_is_an_error_not_a_merged_row() {
        let csv = "id,date,country,partner\n1,2010-01-01,Germany,\"SPD\n2,2011-01-01,Japan,LDP\n";
        let e = TextTable::parse_csv(Path::new("c.csv"), csv.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            e,
            "c.csv, row 2, column \"partner\", value \"\\\"SPD\": unclosed quote: the quoted field runs to the end of the file, swallowing the rows after it"
        );
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error() {
        let csv = "a,b\n1,\"x\n2,\"y\"\n3,z\n";
        let e = TextTable::parse_csv(Path::new("c.csv"), csv.as_bytes()).unwrap_err().to_string();
        assert!(e.starts_with("c.csv, row 2, column \"b\", value \"\\\"x\": text after the closing quote"), "{e}");
    }

    #[test]
    fn quoted_fields_that_close_pass() {
        let csv = "a,b\r\n\"x \"\"y\"\"\",\"multi\nline\"\r\n\"\",plain\"quote\r\n";
        let t = TextTable::parse_csv(Path::new("c.csv"), csv.as_bytes()).unwrap();
        assert_eq!(t.rows[0].cells, ["x \"y\"", "multi\nline"]);
        assert_eq!(t.rows[1].cells, ["", "plain\"quote"]);
    }

    #[test]
    fn ragged_csv_names_the_line() {
        let e = TextTable::parse_csv(Path::new("x.csv"), b"a,b\n1,2\n3\n").unwrap_err().to_string();
        assert!(e.contains("x.csv, row 3: malformed CSV"), "{e}");
    }
}
