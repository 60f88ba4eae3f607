//! ParlGov's cabinets as a calendar: which cabinet of a country was in office on a given day.
//!
//! A cabinet is in office from its `start_date` (that day included) until the day before the
//! next cabinet of its country starts. The file is an export: every country's last cabinet
//! was still in office when the latest cabinet in the file started, and nothing is known
//! after that day, so the calendar covers each country from its first cabinet's start to the
//! latest start date of the whole file.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::load::error::DataError;
use crate::load::read::parlgov::CabinetParty;

/// Days since 1970-01-01, as Arrow's Date32 counts them.
pub fn epoch_days(date: chrono::NaiveDate) -> i32 {
    (date - chrono::NaiveDate::default()).num_days() as i32
}

#[derive(Debug, Clone, Default)]
pub struct Cabinets {
    /// Per country, its cabinets' (start day, cabinet id), in order of start.
    by_country: BTreeMap<String, Vec<(i32, i64)>>,
    /// The latest start day in the file: the last day the calendar covers.
    last_day: i32,
}

impl Cabinets {
    /// The calendar of the cabinet rows (each with its country's ISO3 code). Two cabinets of
    /// one country starting on the same day leave the calendar ambiguous: an error naming both.
    pub fn new(path: &Path, rows: &[(String, CabinetParty)]) -> Result<Cabinets> {
        let mut starts: BTreeMap<(&str, i32), &CabinetParty> = BTreeMap::new();
        for (iso3, row) in rows {
            let day = epoch_days(row.start_date);
            match starts.get(&(iso3.as_str(), day)) {
                Some(other) if other.cabinet_id != row.cabinet_id => {
                    let problem = format!(
                        "cabinets {} (row {}) and {} of {iso3} both start on this day",
                        other.cabinet_id, other.row, row.cabinet_id
                    );
                    let value = row.start_date.format("%d/%m/%Y").to_string();
                    return Err(DataError::new(path, problem).row(row.row).column("start_date").value(&value).into());
                }
                Some(_) => {}
                None => {
                    starts.insert((iso3.as_str(), day), row);
                }
            }
        }
        let mut calendar = Cabinets::default();
        for ((iso3, day), row) in &starts {
            calendar.by_country.entry(iso3.to_string()).or_default().push((*day, row.cabinet_id));
            calendar.last_day = calendar.last_day.max(*day);
        }
        Ok(calendar)
    }

    /// Every country's cabinets as terms of office, (ISO3, first day, last day, cabinet id), in
    /// order: a cabinet's term ends the day before the next one's starts, the last at the last
    /// day the calendar covers. What [`Calendar::in_office`] answers, as rows to join dates to.
    pub fn terms(&self) -> Vec<(&str, i32, i32, i64)> {
        let mut terms = Vec::new();
        for (iso3, starts) in &self.by_country {
            for (at, &(first, cabinet)) in starts.iter().enumerate() {
                let last = starts.get(at + 1).map_or(self.last_day, |next| next.0 - 1);
                terms.push((iso3.as_str(), first, last, cabinet));
            }
        }
        terms
    }

    /// Every country's calendar, by ISO3 code, in order of the codes.
    pub fn calendars(&self) -> impl Iterator<Item = (&str, Calendar<'_>)> {
        (self.by_country.iter()).map(|(iso3, starts)| (iso3.as_str(), Calendar { starts, last_day: self.last_day }))
    }

    /// The calendar of one country, to look up many days in (None when the file has none).
    pub fn of(&self, iso3: &str) -> Option<Calendar<'_>> {
        Some(Calendar { starts: self.by_country.get(iso3)?, last_day: self.last_day })
    }
}

/// One country's cabinets.
#[derive(Debug, Clone, Copy)]
pub struct Calendar<'a> {
    starts: &'a [(i32, i64)],
    last_day: i32,
}

impl Calendar<'_> {
    /// The cabinet in office on `day` (days since 1970-01-01), if the file covers it.
    pub fn in_office(&self, day: i32) -> Option<i64> {
        self.term_on(day).map(|term| self.cabinet(term))
    }

    /// The place in the calendar of the cabinet in office on `day` (first cabinet 0), if the
    /// file covers it: four bytes where a cabinet id takes eight, for ten million days.
    pub fn term_on(&self, day: i32) -> Option<u32> {
        if day > self.last_day {
            return None;
        }
        let started = self.starts.partition_point(|(start, _)| *start <= day);
        started.checked_sub(1).map(|i| i as u32)
    }

    /// The id of the cabinet at `term` ([`Calendar::term_on`]).
    pub fn cabinet(&self, term: u32) -> i64 {
        self.starts[term as usize].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn row(cabinet_id: i64, start: (i32, u32, u32), line: usize) -> (String, CabinetParty) {
        let party = CabinetParty {
            country: "JPN".into(),
            cabinet_id,
            cabinet_name: format!("cabinet {cabinet_id}"),
            start_date: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
            caretaker: false,
            previous_cabinet_id: None,
            party_id: 1,
            party_name_short: "P".into(),
            party_name_english: "P".into(),
            cabinet_party: true,
            prime_minister: true,
            row: line,
        };
        ("JPN".into(), party)
    }

    fn day(y: i32, m: u32, d: u32) -> i32 {
        epoch_days(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn a_cabinet_holds_office_from_its_first_day_until_the_next_starts() {
        let calendar = Cabinets::new(
            Path::new("c.csv"),
            &[row(2, (2009, 9, 16), 3), row(1, (2008, 9, 24), 2), row(3, (2010, 6, 8), 4)],
        )
        .unwrap();
        let in_office = |iso3: &str, day: i32| calendar.of(iso3).and_then(|c| c.in_office(day));
        assert_eq!(in_office("JPN", day(2009, 9, 15)), Some(1), "the day before");
        assert_eq!(in_office("JPN", day(2009, 9, 16)), Some(2), "the first day");
        assert_eq!(in_office("JPN", day(2010, 6, 8)), Some(3), "the last start in the file");
        assert_eq!(in_office("JPN", day(2010, 6, 9)), None, "after the file's last start");
        assert_eq!(in_office("JPN", day(2008, 9, 23)), None, "before the first cabinet");
        assert_eq!(in_office("DEU", day(2009, 9, 16)), None);
        // The terms say the same of every day.
        let terms = calendar.terms();
        assert_eq!(terms.len(), 3);
        for day in day(2008, 1, 1)..day(2011, 1, 1) {
            let term = terms.iter().find(|(_, first, last, _)| (*first..=*last).contains(&day)).map(|t| t.3);
            assert_eq!(term, in_office("JPN", day), "day {day}");
        }
    }

    #[test]
    fn two_cabinets_starting_on_one_day_are_an_error() {
        let e = Cabinets::new(Path::new("c.csv"), &[row(1, (2009, 9, 16), 2), row(2, (2009, 9, 16), 5)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.csv, row 5, column \"start_date\", value \"16/09/2009\": cabinets 1 (row 2) and 2 of JPN both start on this day"
        );
    }
}
