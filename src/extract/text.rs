//! An item's text prepared for reading: its dateline, its sentences, and a folded copy (the
//! registry's folding: lower case, no accents, punctuation as spaces, apostrophes dropped)
//! whose every byte points back at the original, so that a name found in the folded text is
//! shown as the item writes it.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The item's opening "City, Month Dayth (AGENCY)—".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    pub city: String,
    pub month: u32,
    pub day: u32,
    /// A year the dateline gives (rare in the house style).
    pub year: Option<i32>,
    /// A news agency in brackets ("VNA", "Xinhua"): the agency's city, not the meeting's.
    pub agency: Option<String>,
    /// Bytes of the text the dateline takes.
    pub len: usize,
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?P<city>\p{Lu}[\p{L}.'’ -]{1,40}?),\s+(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\s*(?:\((?P<agency>[\p{L} ]{2,30})\))?\s*(?:—|–|--|-|:)\s*",
    )
    .expect("a valid dateline pattern")
});

pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names (full or three-letter, any case), 1-based.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| *m == w || (m.starts_with(&w) && (w.len() == 3 || w == "sept"))).map(|i| i as u32 + 1)
}

pub fn dateline(text: &str) -> Option<Dateline> {
    let end = (0..=text.len().min(200)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let head = &text[..end];
    let c = DATELINE.captures(head)?;
    Some(Dateline {
        city: c["city"].trim().to_string(),
        month: month_number(&c["month"])?,
        day: c["day"].parse().ok().filter(|d| (1..=31).contains(d))?,
        year: c.name("year").and_then(|y| y.as_str().parse().ok()),
        agency: c.name("agency").map(|a| a.as_str().to_string()),
        len: c.get(0).expect("the whole match").end(),
    })
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: [&str; 16] =
    ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "gen", "lt", "col", "prof", "sen", "rep", "gov", "messrs"];

/// Byte ranges of the sentences of `text` from `start` on: a paragraph (a line) ends one, and
/// so does `.`, `?` or `!` before a space and a capital letter, a digit or a quote, except after
/// a title ("Mr.") or an initial ("U.S.", "J.").
pub fn sentences(text: &str, start: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut begin = start;
    let b = text.as_bytes();
    let push = |from: usize, to: usize, out: &mut Vec<std::ops::Range<usize>>| {
        let s = &text[from..to];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if from + lead < to - trail {
            out.push(from + lead..to - trail);
        }
    };
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                push(begin, i, &mut out);
                begin = i + 1;
            }
            b'.' | b'?' | b'!' if ends_sentence(text, i) => {
                push(begin, i + 1, &mut out);
                begin = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    push(begin, b.len(), &mut out);
    out
}

fn ends_sentence(text: &str, i: usize) -> bool {
    let rest = &text[i + 1..];
    let rest = rest.trim_start_matches(['"', '”', '’', '\'', ')']);
    let Some(after) = rest.strip_prefix(' ') else { return rest.is_empty() || rest.starts_with('\n') };
    let next = after.trim_start().chars().next();
    if !next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘')) {
        return false;
    }
    if text.as_bytes()[i] != b'.' {
        return true;
    }
    let word: String = text[..i].chars().rev().take_while(|c| c.is_alphanumeric() || *c == '.').collect();
    let word: String = word.chars().rev().collect();
    let last = word.rsplit('.').next().unwrap_or("");
    // An initial ("J. Smith", "U.S. delegation") or a title ("Mr. Lim").
    !(last.chars().count() == 1 && last.chars().all(char::is_uppercase)
        || ABBREVIATIONS.contains(&last.to_ascii_lowercase().as_str()))
}

/// A folded copy of a text with, for each folded byte, the span of the original character it
/// comes from. Folding is the registry's ([`crate::shared::normalize::fold`]) without dropping a
/// leading "the", so that a registry name, folded, is found in the folded text.
#[derive(Debug, Default)]
pub struct Folded {
    pub text: String,
    start: Vec<u32>,
    end: Vec<u32>,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut f = Folded {
            text: String::with_capacity(original.len() + 2),
            start: Vec::with_capacity(original.len() + 2),
            end: Vec::with_capacity(original.len() + 2),
        };
        // A space at either end, so that every word is bounded by spaces.
        f.push(' ', 0, 0);
        let mut pending_space = false;
        for (at, c) in original.char_indices() {
            let end = (at + c.len_utf8()) as u32;
            let at = at as u32;
            let mut emit = |c: char, f: &mut Folded| {
                if is_combining_mark(c) || matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}') {
                    return;
                }
                if c.is_alphanumeric() {
                    if pending_space {
                        f.push(' ', at, at);
                        pending_space = false;
                    }
                    for lower in c.to_lowercase() {
                        f.push(lower, at, end);
                    }
                } else if !f.text.ends_with(' ') {
                    pending_space = true;
                }
            };
            if c.is_ascii() {
                // The same as `emit` for ASCII, without the Unicode tables: most news text is
                // ASCII, and folding every item's text is a tenth of extraction's time.
                let b = c as u8;
                if b.is_ascii_alphanumeric() {
                    if pending_space {
                        f.push_ascii(b' ', at, at);
                        pending_space = false;
                    }
                    f.push_ascii(b.to_ascii_lowercase(), at, end);
                } else if !matches!(b, b'\'' | b'`') && !f.text.ends_with(' ') {
                    pending_space = true;
                }
            } else {
                decompose_compatible(c, |d| emit(d, &mut f));
            }
        }
        let n = original.len() as u32;
        f.push(' ', n, n);
        f
    }

    fn push_ascii(&mut self, b: u8, start: u32, end: u32) {
        self.start.push(start);
        self.end.push(end);
        self.text.push(b as char);
    }

    fn push(&mut self, c: char, start: u32, end: u32) {
        for _ in 0..c.len_utf8() {
            self.start.push(start);
            self.end.push(end);
        }
        self.text.push(c);
    }

    /// The original byte range of folded bytes `range` (which must start and end on words).
    pub fn original(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.start[range.start] as usize..self.end[range.end - 1] as usize
    }

    /// The first folded byte at or after original byte `at`.
    pub fn folded_at(&self, at: usize) -> usize {
        self.start.partition_point(|&s| (s as usize) < at)
    }
}

/// The clause of a sentence that holds byte `at`: between the commas or semicolons around it
/// (not those inside brackets).
pub fn clause_at(sentence: &str, at: usize) -> std::ops::Range<usize> {
    let mut depth = 0i32;
    let (mut start, mut end) = (0, sentence.len());
    for (i, c) in sentence.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' | ';' if depth <= 0 => {
                if i < at {
                    start = i + 1;
                } else {
                    end = i;
                    break;
                }
            }
            _ => {}
        }
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_in_the_house_style_and_an_agency_s() {
        let d = dateline("Beijing, January 15th—Chen Rui met").unwrap();
        assert_eq!((d.city.as_str(), d.month, d.day, d.agency), ("Beijing", 1, 15, None));
        assert_eq!(&"Beijing, January 15th—Chen Rui met"[d.len..], "Chen Rui met");
        let d = dateline("Hanoi, March 3 (VNA)—Officials").unwrap();
        assert_eq!((d.city.as_str(), d.month, d.day, d.agency.as_deref()), ("Hanoi", 3, 3, Some("VNA")));
        assert_eq!(dateline("Dar es Salaam, September 15th—A").unwrap().city, "Dar es Salaam");
        assert_eq!(dateline("Sept. 4, 2009 -- x"), None);
        assert_eq!(dateline("On September 14, 2009, a delegation"), None);
        let long = format!("Thimphu, July 27th—{}’s", "x".repeat(176));
        assert_eq!(dateline(&long).map(|d| d.len), Some("Thimphu, July 27th—".len()));
        assert_eq!(dateline("Lu Kaiming, Vice-minister of the International Department, met"), None);
    }

    #[test]
    fn sentences_end_at_stops_and_lines_but_not_at_titles_or_initials() {
        let text = "Mr. Lim met the U.S. delegation today. He said so.\nNew line? Yes! On March 2, 2010 they met";
        let got: Vec<&str> = sentences(text, 0).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            ["Mr. Lim met the U.S. delegation today.", "He said so.", "New line?", "Yes!", "On March 2, 2010 they met"]
        );
    }

    #[test]
    fn folding_matches_the_registry_and_points_back() {
        let text = "the Workers’ Party (PT) of São Paulo";
        let f = Folded::new(text);
        assert_eq!(f.text, " the workers party pt of sao paulo ");
        assert_eq!(
            f.text.trim(),
            "the ".to_string() + &crate::shared::normalize::fold("Workers’ Party (PT) of São Paulo")
        );
        let at = f.text.find("workers party").unwrap();
        let r = f.original(at..at + "workers party".len());
        assert_eq!(&text[r], "Workers’ Party");
        let at = f.text.find("sao").unwrap();
        assert_eq!(&text[f.original(at..at + 3)], "São");
        assert_eq!(f.folded_at(text.find("(PT)").unwrap()), f.text.find(" pt").unwrap());
    }

    #[test]
    fn ascii_folds_as_the_registry_folds_it() {
        // ASCII takes its own path through the folding: it must agree with the registry's fold
        // and with the offsets of the general path, apostrophes, backticks and runs of
        // punctuation included.
        let text = "  O'Neill's `Fianna Fáil' -- (FF), 2nd CONGRESS;;KMT/DPP  ";
        let f = Folded::new(text);
        assert_eq!(f.text, " oneills fianna fail ff 2nd congress kmt dpp ");
        assert_eq!(f.text.trim(), crate::shared::normalize::fold(text));
        assert_eq!((f.start.len(), f.end.len()), (f.text.len(), f.text.len()));
        for word in ["oneills", "fianna", "fail", "ff", "2nd", "congress", "kmt", "dpp"] {
            let at = f.text.find(&format!(" {word} ")).unwrap() + 1;
            let r = f.original(at..at + word.len());
            let original = &text[r];
            let folded: String =
                original.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
            assert_eq!(crate::shared::normalize::fold(&folded), word, "{original:?}");
        }
    }
}
