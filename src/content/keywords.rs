//! The topic lexicon (`reference/keywords.csv`) and the count of a text's mentions of each
//! topic, by the matching rules of `reference/README.md`: word boundaries, case, and one
//! mention per span of overlapping matches, credited to its longest match.

use std::collections::BTreeMap;

use anyhow::Result;
use regex::Regex;

use crate::load::read::text_table::TextTable;

/// One row of the lexicon.
#[derive(Debug, Clone)]
pub struct Keyword {
    pub topic: String,
    pub pattern: String,
    /// A stop row names a phrase that is not a mention (`Tibetan mastiff`).
    pub stop: bool,
    regex: Regex,
}

/// The lexicon, rows in file order (the order breaks ties between equally long matches).
#[derive(Debug, Clone)]
pub struct Keywords {
    pub rows: Vec<Keyword>,
}

impl Keywords {
    pub fn parse(table: &TextTable) -> Result<Keywords> {
        let [topic, pattern, kind, case] = table.columns(["topic", "pattern", "kind", "case_sensitive"])?;
        let mut rows = Vec::new();
        for row in &table.rows {
            let text = row.cells[pattern].trim();
            let body = match row.cells[kind].trim() {
                "phrase" | "stop" => text.split_whitespace().map(regex::escape).collect::<Vec<_>>().join(r"\s+"),
                "regex" => text.to_string(),
                _ => return Err(table.cell_error(row, kind, "must be phrase, regex or stop").into()),
            };
            let flags = match row.cells[case].trim() {
                "yes" => "",
                "no" => "(?i)",
                _ => return Err(table.cell_error(row, case, "must be yes or no").into()),
            };
            let regex = Regex::new(&format!(r"{flags}\b(?:{body})\b"))
                .map_err(|e| table.cell_error(row, pattern, format!("not a pattern the regex crate reads: {e}")))?;
            if row.cells[topic].trim().is_empty() {
                return Err(table.cell_error(row, topic, "empty, but every row needs one").into());
            }
            rows.push(Keyword {
                topic: row.cells[topic].trim().to_string(),
                pattern: text.to_string(),
                stop: row.cells[kind].trim() == "stop",
                regex,
            });
        }
        Ok(Keywords { rows })
    }

    /// The topics in the order the lexicon first names them.
    pub fn topics(&self) -> Vec<&str> {
        let mut topics: Vec<&str> = Vec::new();
        for row in &self.rows {
            if !row.stop && !topics.contains(&row.topic.as_str()) {
                topics.push(&row.topic);
            }
        }
        topics
    }

    /// Mentions of each topic in `text` (topics without one are left out).
    pub fn mentions(&self, text: &str) -> BTreeMap<&str, i64> {
        // Every row's matches: (start, end, row).
        let mut matches: Vec<(usize, usize, usize)> = self
            .rows
            .iter()
            .enumerate()
            .flat_map(|(i, row)| row.regex.find_iter(text).map(move |m| (m.start(), m.end(), i)))
            .collect();
        matches.sort_unstable();
        let mut counts = BTreeMap::new();
        let mut at = 0;
        while at < matches.len() {
            // A span: matches that overlap, each sharing a character with the span so far.
            let mut end = matches[at].1;
            let mut best = matches[at];
            let mut next = at + 1;
            while next < matches.len() && matches[next].0 < end {
                end = end.max(matches[next].1);
                let m = matches[next];
                let longer = (m.1 - m.0) > (best.1 - best.0);
                let tie_earlier_row = (m.1 - m.0) == (best.1 - best.0) && m.2 < best.2;
                if longer || tie_earlier_row {
                    best = m;
                }
                next += 1;
            }
            let row = &self.rows[best.2];
            if !row.stop {
                *counts.entry(row.topic.as_str()).or_insert(0) += 1;
            }
            at = next;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Keywords {
        Keywords::parse(&crate::load::reference::Reference::load(None).unwrap().keywords).unwrap()
    }

    #[test]
    fn the_rules_of_the_readme() {
        let k = lexicon();
        let count = |text: &str| k.mentions(text).into_iter().map(|(t, n)| format!("{t}={n}")).collect::<Vec<_>>();
        assert!(count("Taiwanese investors came").is_empty());
        assert!(count("the BRICS summit").is_empty());
        assert!(count("a Tibetan mastiff").is_empty());
        assert_eq!(count("the Belt and Road Initiative (BRI)"), ["belt_and_road=2"]);
        assert_eq!(count("Tibet (Xizang)"), ["tibet=2"]);
        assert_eq!(count("experience in state governance"), ["governance_experience=1"]);
        assert_eq!(count("the one-China\nprinciple and the Taiwan question"), ["taiwan=2"]);
        assert_eq!(count("Xinjiang Uygur Autonomous Region"), ["xinjiang=1"]);
    }

    #[test]
    fn a_bad_row_names_its_cell() {
        let table = TextTable::parse_csv(
            std::path::Path::new("keywords.csv"),
            b"topic,pattern,kind,case_sensitive,note\ntaiwan,Taiwan,word,no,\n",
        )
        .unwrap();
        let e = format!("{:#}", Keywords::parse(&table).unwrap_err());
        assert!(e.contains("row 2") && e.contains("kind"), "{e}");
    }
}
