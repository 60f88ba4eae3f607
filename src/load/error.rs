//! Errors about input data, each carrying where the bad value sits (file, sheet, row, column, value).

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with one value, or one missing piece, of an input file.
///
/// Rows are 1-based as a spreadsheet or text editor shows them: for CSV and JSON lines the
/// file's line number, for workbooks the sheet's row number, for Parquet the record number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub problem: String,
}

impl DataError {
    pub fn new(file: &Path, problem: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            sheet: None,
            row: None,
            column: None,
            value: None,
            problem: problem.into(),
        }
    }

    pub fn sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    pub fn column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }

    pub fn value(mut self, value: &str) -> Self {
        self.value = Some(value.to_string());
        self
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {sheet:?}")?;
        }
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column:?}")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {value:?}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for DataError {}

/// Spreadsheet letters for a 0-based column index (0 -> A, 26 -> AA), so that errors about
/// workbooks point at the cell a user would click.
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_match_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(153), "EX");
    }

    #[test]
    fn display_names_every_position() {
        let e = DataError::new(Path::new("fh.xlsx"), "not a rating from 1 to 7")
            .sheet("Country Ratings, Statuses ")
            .row(12)
            .column("PR 2010 (EE)")
            .value("X");
        assert_eq!(
            e.to_string(),
            "fh.xlsx, sheet \"Country Ratings, Statuses \", row 12, column \"PR 2010 (EE)\", value \"X\": not a rating from 1 to 7"
        );
    }
}
