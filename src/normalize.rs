//! Name normalisation shared by country and party resolution: case, accents, punctuation, spacing.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds a name to a comparison key: lower case, accents removed, curly quotes and dashes made
/// plain, every other punctuation mark turned into a space, runs of spaces collapsed, and a
/// leading "the" dropped ("the Netherlands" and "Netherlands" are the same country).
///
/// Apostrophes vanish rather than split words, so "Workers' Party" and "Workers Party" agree.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}') {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

/// The words of a folded name.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_punctuation_and_leading_the() {
        assert_eq!(fold("  The Netherlands "), "netherlands");
        assert_eq!(fold("Côte d’Ivoire"), "cote divoire");
        assert_eq!(fold("Congo (DRC)"), "congo drc");
        assert_eq!(fold("Workers' Party of Korea"), "workers party of korea");
        assert_eq!(fold("ZANU–PF"), "zanu pf");
        assert_eq!(fold("S. Africa"), "s africa");
        assert_eq!(fold("Theravada Party"), "theravada party");
    }
}
