//! Name normalisation shared by country and party resolution: case, accents, punctuation, spacing.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds a name to a comparison key: lower case, accents removed, curly quotes and dashes made
/// plain, every other punctuation mark turned into a space, runs of spaces collapsed, and a
/// leading "the" dropped ("the Netherlands" and "Netherlands" are the same country).
///
/// Apostrophes vanish rather than split words, so "Workers' Party" and "Workers Party" agree.
///
/// A character lost to a broken encoding (U+FFFD, or `_` where some exports put it, as in
/// Party Facts' DPI import: "Acci\u{fffd}n Democr\u{fffd}tica", "D_mocratie") is kept as
/// [`WILDCARD`], which [`wildcard_eq`] lets stand for any one character.
pub fn fold(name: &str) -> String {
    // NFKD leaves ASCII as it is: most names skip the decomposition, and are folded byte by byte.
    if name.is_ascii() { fold_ascii(name) } else { fold_chars(name.len(), name.nfkd()) }
}

/// [`fold`] of an ASCII name: the same steps on bytes (no ASCII character is a combining mark,
/// and the alphanumeric ones are the letters and digits).
fn fold_ascii(name: &str) -> String {
    let mut folded = Folded::with_capacity(name.len());
    for b in name.bytes() {
        match b {
            b'\'' | b'`' => {}
            b'_' => folded.push(WILDCARD),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => folded.push(char::from(b.to_ascii_lowercase())),
            _ => folded.separate(),
        }
    }
    folded.finish()
}

fn fold_chars(capacity: usize, chars: impl Iterator<Item = char>) -> String {
    let mut folded = Folded::with_capacity(capacity);
    for c in chars {
        if is_combining_mark(c) || matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}') {
            continue;
        }
        if c == WILDCARD || c == '_' {
            folded.push(WILDCARD);
        } else if c.is_alphanumeric() {
            c.to_lowercase().for_each(|l| folded.push(l));
        } else {
            folded.separate();
        }
    }
    folded.finish()
}

/// A folded name as it is written: words joined by one space, none before the first.
struct Folded {
    text: String,
    /// Whether a separator came since the last character kept.
    space_owed: bool,
}

impl Folded {
    fn with_capacity(capacity: usize) -> Folded {
        Folded { text: String::with_capacity(capacity), space_owed: false }
    }

    /// A character of a word; a new word after a separator.
    fn push(&mut self, c: char) {
        if self.space_owed && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space_owed = false;
        self.text.push(c);
    }

    /// Anything between words: punctuation, spaces.
    fn separate(&mut self) {
        self.space_owed = true;
    }

    fn finish(self) -> String {
        without_leading_the(self.text)
    }
}

/// A folded name without its leading "the"s, in place.
fn without_leading_the(mut folded: String) -> String {
    let mut start = 0;
    while folded[start..].starts_with("the ") {
        start += 4;
    }
    folded.drain(..start);
    folded
}

/// Stands for one character lost to a broken encoding.
pub const WILDCARD: char = '\u{fffd}';

/// Equality of folded names where [`WILDCARD`] in `pattern` matches any one character of
/// `text` (a letter, or the space a broken non-breaking space stood for).
pub fn wildcard_eq(pattern: &str, text: &str) -> bool {
    let (mut p, mut t) = (pattern.chars(), text.chars());
    loop {
        match (p.next(), t.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == WILDCARD || a == b => continue,
            _ => return false,
        }
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

    #[test]
    fn broken_encodings_become_wildcards() {
        let damaged = fold("Acci\u{fffd}n Democr\u{fffd}tica Nacionalista");
        assert!(wildcard_eq(&damaged, &fold("Acción Democrática Nacionalista")));
        assert!(wildcard_eq(&fold("Bharatiya Janata\u{fffd}Party"), &fold("Bharatiya Janata Party")));
        assert!(wildcard_eq(&fold("Congr\u{fffd}s pour la D_mocratie"), &fold("Congrès pour la Démocratie")));
        assert!(!wildcard_eq(&damaged, &fold("Accion Democratica")));
    }

    proptest::proptest! {
        /// The byte loop for ASCII names folds as the loop over characters does.
        #[test]
        fn ascii_names_fold_alike_byte_by_byte(name in "[ -~]{0,40}|(the |The |THE |_|'|`| )*[a-zA-Z_ '.-]{0,20}") {
            proptest::prop_assert_eq!(fold_ascii(&name), fold_chars(name.len(), name.chars()));
        }
    }
}
