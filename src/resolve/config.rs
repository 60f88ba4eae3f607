//! Every number a decision uses, in one place, written to the manifest.

use serde_json::{Map, Value, json};

/// The numbers resolution decides with. `--accept-threshold` and `--margin` set the first two;
/// the others are fixed, and listed here so that a reader finds them and a manifest records
/// them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResolverConfig {
    /// `fuzzy`: the best party's combined score must reach this ...
    pub accept: f64,
    /// ... and lead the second-best party by at least this much.
    pub margin: f64,
    /// The score of a `dpi_tiebreak` among parties with the same name or the same words.
    pub dpi_tiebreak_score: f64,
    /// `bracket_abbreviation` goes to review when another party's name alone scores this much.
    pub bracket_rival_score: f64,
    /// The DPI check: a party DPI names in the country-year is a rival to a match it does not
    /// name when its name alone scores at least this ...
    pub dpi_rival_score: f64,
    /// ... and at most this much below the match's own name score.
    pub dpi_rival_gap: f64,
    /// Blocking: a party is a candidate in the years Party Facts knows it, give or take these.
    pub year_slack: i32,
    /// The best candidates kept for review and for `explain`.
    pub candidates: usize,
    /// How a comparison's parts make one score.
    pub weights: ScoreWeights,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        ResolverConfig {
            accept: 0.90,
            margin: 0.05,
            dpi_tiebreak_score: 0.95,
            bracket_rival_score: 0.85,
            dpi_rival_score: 0.8,
            dpi_rival_gap: 0.15,
            year_slack: 1,
            candidates: 5,
            weights: ScoreWeights::default(),
        }
    }
}

impl ResolverConfig {
    /// The numbers as the manifest's settings record them, the command line's first.
    pub fn settings(&self) -> Map<String, Value> {
        let w = &self.weights;
        let value = json!({
            "accept_threshold": self.accept,
            "margin": self.margin,
            "dpi_tiebreak_score": self.dpi_tiebreak_score,
            "bracket_rival_score": self.bracket_rival_score,
            "dpi_rival_score": self.dpi_rival_score,
            "dpi_rival_gap": self.dpi_rival_gap,
            "year_slack": self.year_slack,
            "candidates_kept": self.candidates,
            "score_weights": {
                "jaro_winkler": w.jaro_winkler,
                "levenshtein": w.levenshtein,
                "tokens": w.tokens,
                "name_beside_abbreviation": w.name,
                "abbreviation": w.acronym,
            },
        });
        match value {
            Value::Object(map) => map,
            _ => unreachable!("a JSON object"),
        }
    }
}

/// The weights of the combined score: `jaro_winkler × JW + levenshtein × Lev + tokens × words`,
/// and where the partner gives an abbreviation, `name × that + acronym × agreement`. Names and
/// words weigh most; an abbreviation that disagrees costs enough to push an otherwise exact
/// name below the acceptance threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreWeights {
    pub jaro_winkler: f64,
    pub levenshtein: f64,
    pub tokens: f64,
    /// The name's share of the score when an abbreviation is compared too ...
    pub name: f64,
    /// ... and the abbreviation's.
    pub acronym: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights { jaro_winkler: 0.25, levenshtein: 0.25, tokens: 0.5, name: 0.85, acronym: 0.15 }
    }
}
