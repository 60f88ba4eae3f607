//! What became of a contact ([`Outcome`]) and which rule matched its party ([`Method`]): the
//! values of the outputs' `outcome` and `match_method` columns, which the SQL stages and the
//! README name too (a test below holds them to each other).

use std::fmt;

/// What became of a contact: every input row has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Its party (or parties) resolved to Party Facts ids.
    Matched,
    /// The input says the partner is no party: counted, not resolved.
    NonParty,
    /// A reviewed decision says the name is no party.
    NotAParty,
    /// The party could not be placed with certainty.
    ReviewParty,
    /// The country is not in `reference/countries.csv`.
    ReviewCountry,
}

impl Outcome {
    pub const ALL: [Outcome; 5] =
        [Outcome::Matched, Outcome::NonParty, Outcome::NotAParty, Outcome::ReviewParty, Outcome::ReviewCountry];

    /// The value the outputs write.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Matched => "matched",
            Outcome::NonParty => "non_party",
            Outcome::NotAParty => "not_a_party",
            Outcome::ReviewParty => "review_party",
            Outcome::ReviewCountry => "review_country",
        }
    }
}

/// The rule that matched a party, in the order the resolver tries them (the README's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Override,
    ExactName,
    Abbreviation,
    Alias,
    DpiTiebreak,
    BracketAbbreviation,
    TokenSet,
    Fuzzy,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Override,
        Method::ExactName,
        Method::Abbreviation,
        Method::Alias,
        Method::DpiTiebreak,
        Method::BracketAbbreviation,
        Method::TokenSet,
        Method::Fuzzy,
    ];

    /// The value the outputs write.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Override => "override",
            Method::ExactName => "exact_name",
            Method::Abbreviation => "abbreviation",
            Method::Alias => "alias",
            Method::DpiTiebreak => "dpi_tiebreak",
            Method::BracketAbbreviation => "bracket_abbreviation",
            Method::TokenSet => "token_set",
            Method::Fuzzy => "fuzzy",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(relative: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
    }

    /// The quoted values the SQL compares `outcome` with: `outcome = 'x'`, `outcome in ('x', 'y')`
    /// and the branches of `case outcome when 'x' ...`.
    fn outcome_literals(sql: &str) -> Vec<String> {
        let mut found = Vec::new();
        let quoted =
            |text: &str| -> Vec<String> { text.split('\'').skip(1).step_by(2).map(str::to_string).collect::<Vec<_>>() };
        for (at, _) in sql.match_indices("outcome") {
            let rest = sql[at + "outcome".len()..].trim_start();
            if let Some(rest) = rest.strip_prefix("= '") {
                found.push(rest.split('\'').next().unwrap().to_string());
            } else if let Some(rest) = rest.strip_prefix("in (") {
                found.extend(quoted(rest.split(')').next().unwrap()));
            } else if sql[..at].trim_end().ends_with("case") {
                let block = rest.split("end").next().unwrap();
                for branch in block.split("when").skip(1) {
                    found.extend(quoted(branch.split("then").next().unwrap()));
                }
            }
        }
        found
    }

    #[test]
    fn the_sql_compares_outcome_with_outcomes_only() {
        let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        let mut compared = 0;
        for entry in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sql")).unwrap() {
            let path = entry.unwrap().path();
            let sql = std::fs::read_to_string(&path).unwrap();
            for literal in outcome_literals(&sql) {
                assert!(names.contains(&literal.as_str()), "{}: {literal:?} is no Outcome", path.display());
                compared += 1;
            }
        }
        assert!(compared >= 10, "the SQL's comparisons with outcome were found ({compared})");
        // The accounting describes every outcome.
        let accounting = outcome_literals(&read("sql/32_accounting.sql"));
        for name in names {
            assert!(accounting.iter().any(|l| l == name), "sql/32_accounting.sql does not describe {name}");
        }
    }

    #[test]
    fn the_readme_lists_every_method_in_order() {
        let readme = read("README.md");
        let listed: Vec<&str> = readme
            .split("| method | rule |")
            .nth(1)
            .unwrap()
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .flat_map(|l| l.split('|').nth(1).unwrap().split(',').map(|m| m.trim().trim_matches('`')))
            .collect();
        let methods: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
        assert_eq!(listed, methods);
    }

    #[test]
    fn the_readme_lists_every_outcome_as_a_power_basis() {
        // A contact without a resolved party has its outcome as power_basis (sql/20).
        let readme = read("README.md");
        let row = readme.lines().find(|l| l.starts_with("| `non_party`, ")).unwrap();
        for outcome in Outcome::ALL.iter().filter(|o| **o != Outcome::Matched) {
            assert!(row.contains(&format!("`{outcome}`")), "{outcome}");
        }
    }
}
