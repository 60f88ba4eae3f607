//! The date of a meeting, not of the posting. Every date is placed against the item's
//! reference day: the dateline's day (its year the posting date's, or the year before when the
//! dateline's month comes after the posting's: "Hanoi, December 30th—" posted on 3 January),
//! or the posting date when there is no dateline.
//!
//! In a sentence, in this order: days within one month ("from October 12 to 16": the month);
//! an explicit date ("On September 14, 2009", "on October 11");
//! "N days after" the item's first explicit date; "the next day" after the meeting before; a weekday ("met here Tuesday": the latest such
//! day on or before the reference day); "yesterday"; "today", "this afternoon"; the same day as
//! the meeting before ("On the same day", "Earlier in the day"); and, when the text only bounds
//! the meeting, its month (`date_precision = month`, the first of the month) if the bound lies
//! within one calendar month: "In March 2011", "In late February", "earlier this month",
//! "during its visit", "last week" (the Monday-to-Sunday week before). A sentence without any
//! of these takes the date of the meeting before it, else the month an earlier sentence gives
//! the visit ("returned today after visiting Morocco earlier this month"), else the reference
//! day. A sentence that names two days gives each partner the day of its own clause: "On
//! Saturday, it met the PPP, and today it met the PTI".

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::Regex;

use super::text::{Dateline, month_number};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
}

impl Precision {
    pub fn as_str(&self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
        }
    }
}

/// A meeting's date and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingDate {
    pub date: NaiveDate,
    pub precision: Precision,
    pub rule: &'static str,
}

/// The day relative words are placed against.
pub fn reference_day(dateline: Option<&Dateline>, posted: Option<NaiveDate>) -> Option<NaiveDate> {
    let Some(d) = dateline else { return posted };
    let year = d.year.or(posted.map(|p| p.year()))?;
    let day = NaiveDate::from_ymd_opt(year, d.month, d.day)?;
    match posted {
        // A dateline is never far after the posting: its month is then last year's.
        Some(p) if d.year.is_none() && day > p + Days::new(7) => NaiveDate::from_ymd_opt(year - 1, d.month, d.day),
        _ => Some(day),
    }
}

const MONTH: &str = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";

static EXPLICIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d)\b)?|\b(\d{{1,2}})\s+{MONTH}\s+((?:19|20)\d\d)\b"))
        .expect("a valid date pattern")
});
static MONTH_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?i:in|since|during|by)\s+(?:(?i:early|late|mid|the end of|the beginning of|the middle of)[\s-]+)?{MONTH}(?:,?\s+((?:19|20)\d\d))?\b"
    ))
    .expect("a valid month pattern")
});
/// A span of days within one month ("from October 12 to 16", "October 12-16"): the meeting is
/// on one of them, the month is what is known.
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:to|until|till|through|-|–)\s*(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d)\b)?"
    ))
    .expect("a valid range pattern")
});
static DAYS_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(one|two|three|four|five|six|seven|\d)\s+days?\s+(?:after|later)\b").expect("a valid pattern")
});
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b").expect("a valid pattern")
});

/// The words for the reference day itself ...
const TODAY: [&str; 5] = ["today", "this morning", "this afternoon", "this evening", "tonight"];
/// ... and for the day after the meeting before.
const NEXT_DAY: [&str; 3] = ["the next day", "the following day", "the day after"];

/// What the sentences before a sentence said about dates.
#[derive(Debug, Clone, Default)]
pub struct DateContext {
    pub reference: Option<NaiveDate>,
    /// The item's first explicit day, for "two days after the talks".
    pub first_explicit: Option<NaiveDate>,
    /// The date of the last meeting placed.
    pub last: Option<MeetingDate>,
    /// The month a sentence before the meetings gives the visit ("returned today after visiting
    /// Algeria and Morocco earlier this month"), for a meeting sentence with no date of its own.
    pub visit_bound: Option<MeetingDate>,
}

/// The date a sentence gives its meeting, or why there is none. Explicit dates are remembered
/// in `context` even in sentences that report no meeting.
pub fn sentence_date(sentence: &str, context: &mut DateContext) -> Result<MeetingDate, &'static str> {
    let lower = sentence.to_lowercase();
    let day = |date: NaiveDate, rule| MeetingDate { date, precision: Precision::Day, rule };
    let month = |date: NaiveDate, rule| MeetingDate { date: first_of_month(date), precision: Precision::Month, rule };
    let reference = context.reference;
    let found = (|| {
        if let Some(c) = RANGE.captures(sentence) {
            let (first, last) = (c[2].parse::<u32>().unwrap_or(0), c[3].parse::<u32>().unwrap_or(0));
            if let (Some(m), true) = (month_number(&c[1]), first < last) {
                let year = match c.get(4) {
                    Some(y) => y.as_str().parse().unwrap_or(0),
                    None => {
                        let r = reference.ok_or("a date without a year, and no posting date to take one from")?;
                        if m > r.month() { r.year() - 1 } else { r.year() }
                    }
                };
                let date = NaiveDate::from_ymd_opt(year, m, first).ok_or("a date that is no calendar day")?;
                context.first_explicit.get_or_insert(date);
                return Ok(month(date, "day_range"));
            }
        }
        if let Some(c) = EXPLICIT.captures(sentence) {
            let (month_word, day_text, year) = match c.get(1) {
                Some(m) => (m.as_str(), &c[2], c.get(3).map(|y| y.as_str())),
                None => (c.get(5).expect("day-first month").as_str(), &c[4], c.get(6).map(|y| y.as_str())),
            };
            let (Some(m), Ok(d)) = (month_number(month_word), day_text.parse::<u32>()) else {
                return Err("a date that is no calendar day");
            };
            let date = match year {
                Some(y) => NaiveDate::from_ymd_opt(y.parse().unwrap_or(0), m, d),
                None => {
                    let r = reference.ok_or("a date without a year, and no posting date to take one from")?;
                    NaiveDate::from_ymd_opt(r.year(), m, d).map(|x| {
                        if x > r + Days::new(7) { NaiveDate::from_ymd_opt(r.year() - 1, m, d).unwrap_or(x) } else { x }
                    })
                }
            }
            .ok_or("a date that is no calendar day")?;
            context.first_explicit.get_or_insert(date);
            return Ok(day(date, "explicit_date"));
        }
        if let Some(c) = DAYS_AFTER.captures(&lower) {
            let n = match &c[1] {
                "one" => 1,
                "two" => 2,
                "three" => 3,
                "four" => 4,
                "five" => 5,
                "six" => 6,
                "seven" => 7,
                d => d.parse().unwrap_or(0),
            };
            let base = context
                .first_explicit
                .or(context.last.map(|l| l.date))
                .ok_or("\"days after\" with no day to count from")?;
            return Ok(day(base + Days::new(n), "days_after"));
        }
        if NEXT_DAY.iter().any(|w| lower.contains(w)) {
            // After a meeting known only by its month, the next day is known as well as that.
            return match (context.last, context.first_explicit) {
                (Some(last), _) if last.precision == Precision::Month => Ok(MeetingDate { rule: "next_day", ..last }),
                (Some(last), _) => Ok(day(last.date + Days::new(1), "next_day")),
                (None, Some(first)) => Ok(day(first + Days::new(1), "next_day")),
                (None, None) => Err("\"the next day\" with no day to count from"),
            };
        }
        let r = || reference.ok_or("no posting date and no year in the item");
        if let Some(c) = WEEKDAY.captures(sentence) {
            let weekday: Weekday = c[1].parse().expect("a weekday name");
            let r = r()?;
            let back = (7 + r.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
            return Ok(day(r - Days::new(u64::from(back)), "weekday"));
        }
        if has_word(&lower, "yesterday") || lower.contains("last night") {
            return Ok(day(r()? - Days::new(1), "yesterday"));
        }
        if TODAY.iter().any(|w| has_word(&lower, w)) {
            return Ok(day(r()?, "today"));
        }
        if ["on the same day", "the same day", "earlier in the day", "later in the day", "that day"]
            .iter()
            .any(|w| lower.contains(w))
            && let Some(last) = context.last
        {
            return Ok(MeetingDate { rule: "same_day", ..last });
        }
        if let Some(found) = month_bound(sentence, &lower, reference) {
            return found;
        }
        if [
            "during its visit",
            "during the visit",
            "during their visit",
            "during its stay",
            "during the stay",
            "during his visit",
        ]
        .iter()
        .any(|w| lower.contains(w))
        {
            return Ok(month(r()?, "during_visit"));
        }
        match (context.last, context.visit_bound) {
            (Some(last), _) => Ok(MeetingDate { rule: "as_before", ..last }),
            (None, Some(bound)) => Ok(MeetingDate { rule: "visit_before", ..bound }),
            (None, None) => Ok(day(r()?, "reference_day")),
        }
    })();
    if let Ok(d) = &found {
        context.last = Some(*d);
    }
    found
}

/// The month a sentence bounds a meeting to, if it does: "In March 2011", "In late February",
/// "last week" (when the week lies within one month), "earlier this month", "last month".
fn month_bound(sentence: &str, lower: &str, reference: Option<NaiveDate>) -> Option<Result<MeetingDate, &'static str>> {
    let month = |date: NaiveDate, rule| MeetingDate { date: first_of_month(date), precision: Precision::Month, rule };
    let r = || reference.ok_or("no posting date and no year in the item");
    if let Some(c) = MONTH_ONLY.captures(sentence) {
        let Some(m) = month_number(&c[1]) else { return Some(Err("no month")) };
        let year = match c.get(2) {
            Some(y) => y.as_str().parse().unwrap_or(0),
            None => match r() {
                Ok(r) if m > r.month() => r.year() - 1,
                Ok(r) => r.year(),
                Err(e) => return Some(Err(e)),
            },
        };
        return Some(NaiveDate::from_ymd_opt(year, m, 1).map(|d| month(d, "month")).ok_or("no month"));
    }
    if lower.contains("last week") {
        return Some(r().and_then(|r| {
            let monday = r - Days::new(u64::from(r.weekday().num_days_from_monday()) + 7);
            let sunday = monday + Days::new(6);
            if monday.month() == sunday.month() {
                Ok(month(monday, "last_week"))
            } else {
                Err("\"last week\" spans two months")
            }
        }));
    }
    if lower.contains("this month") {
        return Some(r().map(|r| month(r, "this_month")));
    }
    if lower.contains("last month") {
        return Some(r().map(|r| month(first_of_month(r) - Days::new(1), "last_month")));
    }
    None
}

/// Remembers what a sentence that reports no meeting says of dates: its explicit date
/// ("arrived here on December 28"), for "two days after"; and the month it gives a visit
/// ("after visiting Algeria and Morocco earlier this month"), for the meetings of that visit
/// that give no date of their own.
pub fn note_explicit(sentence: &str, context: &mut DateContext) {
    if context.first_explicit.is_none() && EXPLICIT.is_match(sentence) {
        let mut scratch = context.clone();
        if let Ok(d) = sentence_date(sentence, &mut scratch)
            && d.rule == "explicit_date"
        {
            context.first_explicit = Some(d.date);
        }
    }
    if context.last.is_some() || context.visit_bound.is_some() {
        return;
    }
    let lower = sentence.to_lowercase();
    if ["visit", "tour"].iter().any(|w| lower.contains(w))
        && let Some(Ok(bound)) = month_bound(sentence, &lower, context.reference)
    {
        context.visit_bound = Some(bound);
    }
}

/// Whether a text names a day: an explicit date, a weekday, "yesterday", "today", "the next
/// day".
pub fn names_a_day(text: &str) -> bool {
    let lower = text.to_lowercase();
    EXPLICIT.is_match(text)
        || WEEKDAY.is_match(text)
        || std::iter::once(&"yesterday").chain(&TODAY).any(|w| has_word(&lower, w))
        || NEXT_DAY.iter().any(|w| lower.contains(w))
}

fn has_word(lower: &str, word: &str) -> bool {
    lower.match_indices(word).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(reference: Option<NaiveDate>, sentences: &[&str]) -> Vec<Result<(String, &'static str), &'static str>> {
        let mut c = DateContext { reference, ..DateContext::default() };
        sentences
            .iter()
            .map(|s| sentence_date(s, &mut c).map(|d| (format!("{} {}", d.date, d.precision.as_str()), d.rule)))
            .collect()
    }

    #[test]
    fn the_reference_day_takes_the_posting_year() {
        let d = |city: &str, month, day| Dateline { city: city.into(), month, day, year: None, agency: None, len: 0 };
        assert_eq!(reference_day(Some(&d("Beijing", 9, 11)), Some(ymd(2002, 9, 11))), Some(ymd(2002, 9, 11)));
        assert_eq!(reference_day(Some(&d("Hanoi", 12, 30)), Some(ymd(2009, 1, 3))), Some(ymd(2008, 12, 30)));
        assert_eq!(reference_day(None, Some(ymd(2003, 11, 17))), Some(ymd(2003, 11, 17)));
        assert_eq!(reference_day(Some(&d("Beijing", 9, 2)), None), None);
    }

    #[test]
    fn relative_days_against_the_reference_day() {
        // 2002-09-11 was a Wednesday; 2003-11-17 a Monday.
        let got = at(
            Some(ymd(2002, 9, 11)),
            &["met here Tuesday with a delegation", "On Wednesday, also in Beijing, Gu met"],
        );
        assert_eq!(got, [Ok(("2002-09-10 day".into(), "weekday")), Ok(("2002-09-11 day".into(), "weekday"))]);
        let got = at(Some(ymd(2003, 11, 17)), &["met in Beijing on Friday with"]);
        assert_eq!(got, [Ok(("2003-11-14 day".into(), "weekday"))]);
        let got =
            at(Some(ymd(2012, 7, 11)), &["met here yesterday with leaders", "Today, the delegation was received"]);
        assert_eq!(got, [Ok(("2012-07-10 day".into(), "yesterday")), Ok(("2012-07-11 day".into(), "today"))]);
    }

    #[test]
    fn explicit_dates_win_and_count_on() {
        let got = at(
            Some(ymd(2005, 11, 3)),
            &[
                "On November 1, the delegation held talks in Berlin with",
                "On November 2, the delegation called at the Konrad Adenauer Foundation",
                "Two days after the talks in Berlin, the delegation met in Munich with",
                "On the same day, it met the mayor",
            ],
        );
        let days: Vec<_> = got.into_iter().map(|r| r.unwrap().0).collect();
        assert_eq!(days, ["2005-11-01 day", "2005-11-02 day", "2005-11-03 day", "2005-11-03 day"]);
        assert_eq!(
            at(None, &["On September 14, 2009, a delegation"]),
            [Ok(("2009-09-14 day".into(), "explicit_date"))]
        );
        assert_eq!(
            at(Some(ymd(2009, 1, 3)), &["arrived here on December 28"]),
            [Ok(("2008-12-28 day".into(), "explicit_date"))]
        );
    }

    #[test]
    fn bounds_within_a_month_give_the_month() {
        let r = Some(ymd(2011, 4, 20));
        assert_eq!(at(r, &["In March 2011, He met in Beijing with"])[0], Ok(("2011-03-01 month".into(), "month")));
        assert_eq!(at(r, &["In late February, a delegation visited"])[0], Ok(("2011-02-01 month".into(), "month")));
        // 2008-06-12 was a Thursday: last week is 2-8 June.
        assert_eq!(
            at(Some(ymd(2008, 6, 12)), &["which visited Beijing last week, was received"])[0],
            Ok(("2008-06-01 month".into(), "last_week"))
        );
        assert_eq!(
            at(Some(ymd(2016, 11, 22)), &["Earlier this month, a delegation"])[0],
            Ok(("2016-11-01 month".into(), "this_month"))
        );
        assert_eq!(
            at(Some(ymd(2002, 4, 6)), &["During its visit to Laos the delegation was received"])[0],
            Ok(("2002-04-01 month".into(), "during_visit"))
        );
        // 2008-06-04 was a Wednesday: last week is 26 May - 1 June.
        assert!(at(Some(ymd(2008, 6, 4)), &["last week"])[0].is_err());
    }

    #[test]
    fn the_next_day_and_a_visit_bounded_before() {
        let got = at(
            Some(ymd(2006, 9, 14)),
            &["On September 12, the delegation held talks with the NC", "The next day, it met with the UML"],
        );
        assert_eq!(got[1], Ok(("2006-09-13 day".into(), "next_day")));
        let mut c = DateContext { reference: Some(ymd(2018, 11, 27)), ..DateContext::default() };
        note_explicit("A delegation returned today after visiting Algeria and Morocco earlier this month.", &mut c);
        let got = sentence_date("In Algiers, the delegation held talks with leaders of the FLN.", &mut c).unwrap();
        assert_eq!((got.date, got.precision, got.rule), (ymd(2018, 11, 1), Precision::Month, "visit_before"));
        // A month that is no visit's bounds nothing.
        let mut c = DateContext { reference: Some(ymd(2011, 4, 20)), ..DateContext::default() };
        note_explicit("In March 2011, the party won the elections.", &mut c);
        assert_eq!(sentence_date("He met the delegation.", &mut c).unwrap().rule, "reference_day");
    }

    #[test]
    fn days_of_a_visit_give_its_month() {
        let r = Some(ymd(2003, 10, 22));
        assert_eq!(
            at(r, &["During its visit to Greece from October 12 to 16, the delegation held talks"])[0],
            Ok(("2003-10-01 month".into(), "day_range"))
        );
        assert_eq!(at(r, &["On October 12-16, 2003, it visited"])[0], Ok(("2003-10-01 month".into(), "day_range")));
        assert_eq!(at(r, &["On October 12, 2003, it met"])[0], Ok(("2003-10-12 day".into(), "explicit_date")));
    }

    #[test]
    fn a_clause_and_its_day() {
        let s = "On Saturday, the delegation met the PPP, and today it met the PTI (Insaf, Pakistan).";
        let clause = super::super::text::clause_at(s, s.find("PTI").unwrap());
        assert_eq!(&s[clause.clone()], " and today it met the PTI (Insaf, Pakistan).");
        assert!(names_a_day(&s[clause]));
        assert!(!names_a_day(&s[super::super::text::clause_at(s, s.find("PPP").unwrap())]));
    }

    #[test]
    fn no_year_no_date() {
        assert!(at(None, &["met on Tuesday with"])[0].is_err());
        assert!(at(None, &["met here today with"])[0].is_err());
    }
}
