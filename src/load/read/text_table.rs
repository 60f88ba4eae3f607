//! A table of text cells read from a CSV file or a workbook sheet, remembering where each row came from.
//!
//! The source readers (DPI, Party Facts, the reference tables) parse their columns from this
//! common shape, so every one of them reports bad values with the same file/sheet/row/column.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use calamine::{Data, Reader};

use crate::load::error::{DataError, column_letters};

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
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse_csv(path, &bytes)
    }

    /// Parses CSV text; `path` only names the source in errors.
    pub fn parse_csv(path: &Path, bytes: &[u8]) -> Result<TextTable> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
        let headers = reader.headers().map_err(|e| csv_error(path, &e))?.iter().map(str::to_string).collect::<Vec<_>>();
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line() as usize);
                    rows.push(TextRow { line, cells: record.iter().map(str::to_string).collect() });
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

    /// Reads CSV or a workbook, chosen by the file's extension.
    pub fn read_any(path: &Path) -> Result<TextTable> {
        if is_workbook(path) { Self::read_sheet(path, None) } else { Self::read_csv(path) }
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
    fn ragged_csv_names_the_line() {
        let e = TextTable::parse_csv(Path::new("x.csv"), b"a,b\n1,2\n3\n").unwrap_err().to_string();
        assert!(e.contains("x.csv, row 3: malformed CSV"), "{e}");
    }
}
