//! Reader for Freedom House's "Country and Territory Ratings and Statuses" workbook (FIW 1973-20xx).
//!
//! The sheets are wide: one 3-column block (PR, CL, Status) per survey edition. Row 1 holds the
//! edition, row 2 the year(s) under review, row 3 the headers. Values are keyed on the year under
//! review, because editions skip a year ("2001-02" is followed by "2003", which reviews 2002).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use calamine::{Data, Reader};

use crate::load::error::DataError;
use crate::load::paths::Source;
use crate::load::read::text_table::{SheetCells, open_workbook};

pub const COUNTRY_SHEET: &str = "Country Ratings, Statuses";
pub const TERRITORY_SHEET: &str = "Territory Ratings, Statuses";

/// One country (or territory) and year under review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhRating {
    /// The name as Freedom House writes it, trimmed.
    pub country: String,
    pub territory: bool,
    pub year: i32,
    /// Row 2's label: the year itself, or a survey period such as "Nov.1983-Nov.1984".
    pub year_label: String,
    pub edition: String,
    pub pr: Option<i32>,
    pub cl: Option<i32>,
    /// F, PF or NF.
    pub status: Option<String>,
    /// Set when a cell held more than a plain value, e.g. South Africa 1972's "2(5)".
    pub note: Option<String>,
    pub sheet: String,
    /// 1-based sheet row of the country.
    pub row: usize,
}

/// Reads the country sheet (required) and the territory sheet (when present).
pub fn read_ratings(source: &Source) -> Result<Vec<FhRating>> {
    match source.built_in {
        Some(b) => {
            let workbook = calamine::Xlsx::new(std::io::Cursor::new(b.bytes))
                .map_err(|e| DataError::new(source, format!("cannot open workbook: {e}")))?;
            read_workbook(source, calamine::Sheets::Xlsx(workbook))
        }
        None => read_workbook(source, open_workbook(source)?),
    }
}

fn read_workbook<RS: std::io::Read + std::io::Seek>(
    path: &Path,
    mut workbook: calamine::Sheets<RS>,
) -> Result<Vec<FhRating>> {
    let names = workbook.sheet_names();
    let find = |wanted: &str| names.iter().find(|n| n.trim() == wanted).cloned();
    let country_sheet = find(COUNTRY_SHEET).ok_or_else(|| {
        DataError::new(
            path,
            format!("no sheet named {COUNTRY_SHEET:?} (Freedom House writes it with a trailing space); the workbook has {names:?}"),
        )
    })?;
    let mut out = Vec::new();
    for (sheet, territory) in [(Some(country_sheet), false), (find(TERRITORY_SHEET), true)] {
        let Some(sheet) = sheet else { continue };
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| DataError::new(path, format!("cannot read sheet: {e}")).sheet(&sheet))?;
        out.extend(read_sheet(path, &sheet, &range, territory)?);
    }
    Ok(out)
}

/// One edition's 3-column block.
#[derive(Debug)]
struct Block {
    col: usize,
    edition: String,
    year_label: String,
    year: i32,
}

fn read_sheet(path: &Path, sheet: &str, range: &calamine::Range<Data>, territory: bool) -> Result<Vec<FhRating>> {
    if range.start() != Some((0, 0)) {
        return Err(DataError::new(path, "the sheet does not start at cell A1 as the FIW layout does")
            .sheet(sheet)
            .into());
    }
    let cells = SheetCells::new(path, sheet, range);
    let blocks = find_blocks(path, sheet, &cells, range.width())?;
    let mut out = Vec::new();
    for r in 3..range.height() {
        let country = cells.text(r, 0)?.trim().to_string();
        if country.is_empty() {
            continue;
        }
        for block in &blocks {
            let at = |k: usize| -> Result<(String, String)> {
                let col = block.col + k;
                let header = ["PR", "CL", "Status"][k];
                Ok((
                    cells.text(r, col)?.trim().to_string(),
                    format!("{header} {} ({})", block.year_label, cells.cell_column(col)),
                ))
            };
            let err = |(value, column): &(String, String), problem: &str| -> anyhow::Error {
                DataError::new(path, problem).sheet(sheet).row(cells.sheet_row(r)).column(column).value(value).into()
            };
            let (pr, cl, status) = (at(0)?, at(1)?, at(2)?);
            let mut notes = Vec::new();
            let pr_value = parse_rating(&pr.0, &mut notes).map_err(|p| err(&pr, p))?;
            let cl_value = parse_rating(&cl.0, &mut notes).map_err(|p| err(&cl, p))?;
            let status_value = parse_status(&status.0, &mut notes).map_err(|p| err(&status, p))?;
            if pr_value.is_none() && cl_value.is_none() && status_value.is_none() {
                continue;
            }
            out.push(FhRating {
                country: country.clone(),
                territory,
                year: block.year,
                year_label: block.year_label.clone(),
                edition: block.edition.clone(),
                pr: pr_value,
                cl: cl_value,
                status: status_value,
                note: (!notes.is_empty()).then(|| notes.join("; ")),
                sheet: sheet.to_string(),
                row: cells.sheet_row(r),
            });
        }
    }
    Ok(out)
}

/// Finds the PR/CL/Status blocks in row 3 and keys each on its year under review from row 2.
fn find_blocks(path: &Path, sheet: &str, cells: &SheetCells, width: usize) -> Result<Vec<Block>> {
    let header_err = |col: usize, value: &str, problem: &str| -> anyhow::Error {
        DataError::new(path, problem).sheet(sheet).row(3).column(&cells.cell_column(col)).value(value).into()
    };
    let mut blocks = Vec::new();
    let mut periods = Vec::new();
    let mut col = 1;
    while col < width {
        let header = cells.text(2, col)?;
        if header.trim().is_empty() {
            col += 1;
            continue;
        }
        for (k, expected) in ["PR", "CL", "Status"].iter().enumerate() {
            let found = cells.text(2, col + k)?;
            if found.trim() != *expected {
                return Err(header_err(
                    col + k,
                    &found,
                    &format!("expected the header {expected:?} of a PR/CL/Status block"),
                ));
            }
        }
        let edition = cells.text(0, col)?.trim().to_string();
        let year_label = cells.text(1, col)?.trim().to_string();
        match year_label.parse::<i32>() {
            Ok(year) => blocks.push(Block { col, edition, year_label, year }),
            Err(_) => {
                let period = parse_period(&year_label).ok_or_else(|| {
                    DataError::new(
                        path,
                        "row 2 should hold a year under review or a survey period such as \"Nov.1983-Nov.1984\"",
                    )
                    .sheet(sheet)
                    .row(2)
                    .column(&cells.cell_column(col))
                    .value(&year_label)
                })?;
                periods.push((Block { col, edition, year_label, year: 0 }, period));
            }
        }
        col += 3;
    }
    if blocks.is_empty() && periods.is_empty() {
        return Err(DataError::new(path, "no PR/CL/Status blocks in row 3").sheet(sheet).into());
    }
    blocks.extend(assign_period_years(periods, &blocks));
    blocks.sort_by_key(|b| b.col);
    Ok(blocks)
}

/// A survey period as (year, month) at start and end, both inclusive.
type Period = ((i32, u32), (i32, u32));

/// Parses labels such as "Jan.1981-Aug. 1982" or "Nov.1988-Dec.1989".
fn parse_period(label: &str) -> Option<Period> {
    let (start, end) = label.split_once('-')?;
    Some((parse_month_year(start)?, parse_month_year(end)?))
}

fn parse_month_year(text: &str) -> Option<(i32, u32)> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let text = text.trim().to_ascii_lowercase();
    let month = MONTHS.iter().position(|m| text.starts_with(m))? as u32 + 1;
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let year = digits.parse::<i32>().ok().filter(|_| digits.len() == 4)?;
    Some((year, month))
}

/// Gives each calendar year the survey period that covers most of its months (the earlier
/// period on a tie), unless a block already reviews that year alone. Periods covering no year
/// that way are dropped, so each (country, year) has one rating.
fn assign_period_years(periods: Vec<(Block, Period)>, whole_years: &[Block]) -> Vec<Block> {
    let mut best: BTreeMap<i32, (u32, usize)> = BTreeMap::new();
    for (i, (_, ((y1, m1), (y2, m2)))) in periods.iter().enumerate() {
        for year in *y1..=*y2 {
            let first = if year == *y1 { *m1 } else { 1 };
            let last = if year == *y2 { *m2 } else { 12 };
            let months = last.saturating_sub(first) + 1;
            let entry = best.entry(year).or_insert((0, i));
            if months > entry.0 {
                *entry = (months, i);
            }
        }
    }
    let mut out = Vec::new();
    for (year, (_, i)) in best {
        if whole_years.iter().any(|b| b.year == year) {
            continue;
        }
        let b = &periods[i].0;
        out.push(Block { col: b.col, edition: b.edition.clone(), year_label: b.year_label.clone(), year });
    }
    out
}

/// PR and CL: integers 1-7; "-" or empty for none; "2(5)" (South Africa 1972: rating for
/// whites, bracket for the whole population) keeps the first value and notes the whole cell.
fn parse_rating(value: &str, notes: &mut Vec<String>) -> Result<Option<i32>, &'static str> {
    if value.is_empty() || value == "-" {
        return Ok(None);
    }
    let (plain, rest) = split_bracket(value);
    let rating = plain.parse::<i32>().ok().filter(|r| (1..=7).contains(r)).ok_or("not a rating from 1 to 7")?;
    if rest {
        notes.push(format!("cell reads {value:?}"));
    }
    Ok(Some(rating))
}

fn parse_status(value: &str, notes: &mut Vec<String>) -> Result<Option<String>, &'static str> {
    if value.is_empty() || value == "-" {
        return Ok(None);
    }
    let (plain, rest) = split_bracket(value);
    if !matches!(plain, "F" | "PF" | "NF") {
        return Err("not a Freedom House status (F, PF or NF)");
    }
    if rest {
        notes.push(format!("cell reads {value:?}"));
    }
    Ok(Some(plain.to_string()))
}

/// "2(5)" -> ("2", true); "F (NF)" -> ("F", true); "PF" -> ("PF", false).
fn split_bracket(value: &str) -> (&str, bool) {
    match value.split_once('(') {
        Some((plain, _)) => (plain.trim(), true),
        None => (value, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(label: &str) -> (Block, Period) {
        (Block { col: 1, edition: String::new(), year_label: label.into(), year: 0 }, parse_period(label).unwrap())
    }

    #[test]
    fn periods_of_the_1980s_cover_each_year_once() {
        let labels = [
            "Jan.1981-Aug. 1982",
            "Aug.1982-Nov.1983",
            "Nov.1983-Nov.1984",
            "Nov.1984-Nov.1985",
            "Nov.1985-Nov.1986",
            "Nov.1986-Nov.1987",
            "Nov.1987-Nov.1988",
            "Nov.1988-Dec.1989",
        ];
        let blocks = assign_period_years(labels.iter().map(|l| block(l)).collect(), &[]);
        let got: Vec<(i32, &str)> = blocks.iter().map(|b| (b.year, b.year_label.as_str())).collect();
        assert_eq!(
            got,
            [
                (1981, "Jan.1981-Aug. 1982"),
                (1982, "Jan.1981-Aug. 1982"),
                (1983, "Aug.1982-Nov.1983"),
                (1984, "Nov.1983-Nov.1984"),
                (1985, "Nov.1984-Nov.1985"),
                (1986, "Nov.1985-Nov.1986"),
                (1987, "Nov.1986-Nov.1987"),
                (1988, "Nov.1987-Nov.1988"),
                (1989, "Nov.1988-Dec.1989"),
            ]
        );
    }

    #[test]
    fn ratings_and_statuses_parse_with_their_oddities() {
        let mut notes = Vec::new();
        assert_eq!(parse_rating("3", &mut notes), Ok(Some(3)));
        assert_eq!(parse_rating("-", &mut notes), Ok(None));
        assert!(notes.is_empty());
        assert_eq!(parse_rating("2(5)", &mut notes), Ok(Some(2)));
        assert_eq!(parse_status("F (NF)", &mut notes), Ok(Some("F".into())));
        assert_eq!(notes.len(), 2);
        assert!(parse_rating("8", &mut notes).is_err());
        assert!(parse_status("Free", &mut notes).is_err());
    }
}
