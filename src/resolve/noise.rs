//! The noise names are written with, for `partylink eval`'s labelled set and `partylink
//! synth`'s contacts: the variants a source writes a party's name in (word order, "Party"
//! dropped, a possessive country, a bracketed abbreviation...) and the damage hand-typed,
//! OCR'd and machine-extracted text does to it (swapped, dropped, doubled or wrong letters,
//! lost or moved spaces, doubled words, stray punctuation, a misspelled country, case). Every
//! draw comes from one seeded generator, so a seed gives the same names on any machine.

use crate::shared::normalize::fold;

/// How a source writes a party's name, one kind per name.
pub const NOISE: [&str; 9] = [
    "none",
    "typo",
    "word_order",
    "party_word",
    "country_added",
    "abbreviation_only",
    "possessive",
    "bracket",
    "upper_ascii",
];

/// The damage of hand-typed, OCR'd or extracted text, each at a random place in the name.
pub const TEXT_NOISE: [&str; 11] = [
    "swapped_letters",
    "letter_dropped",
    "letter_doubled",
    "letter_substituted",
    "space_lost",
    "space_moved",
    "space_added",
    "doubled_word",
    "stray_punctuation",
    "country_misspelled",
    "lower_case",
];

/// A small deterministic generator (xorshift64*), so the set depends on the seed alone.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items` (which must not be empty).
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// `name` written with one kind of noise (of [`NOISE`] or [`TEXT_NOISE`]); the name itself
/// when the kind does not apply to it (no space to lose, no word long enough to damage).
pub fn apply_noise(noise: &str, name: &str, country: &str, short: Option<&str>, rng: &mut Rng) -> String {
    match noise {
        "typo" => typo(name, rng),
        "word_order" => match name.split_once(" of ") {
            Some((head, tail)) => format!("{tail} {head}"),
            None => {
                let mut words: Vec<&str> = name.split(' ').collect();
                if words.len() >= 2 {
                    words.swap(0, 1);
                }
                words.join(" ")
            }
        },
        "party_word" => {
            let without: Vec<&str> = name.split(' ').filter(|w| !w.eq_ignore_ascii_case("party")).collect();
            if without.len() < name.split(' ').count() { without.join(" ") } else { format!("{name} Party") }
        }
        "country_added" if !name.contains(country) => format!("{name} of {country}"),
        "abbreviation_only" => short.map_or_else(|| name.to_string(), str::to_string),
        "possessive" => format!("{country}'s {name}"),
        "bracket" => short.map_or_else(|| name.to_string(), |s| format!("{name} ({s})")),
        "upper_ascii" => fold(name).to_uppercase(),
        "swapped_letters" => edit_letters(name, rng, Edit::Swap),
        "letter_dropped" => edit_letters(name, rng, Edit::Drop),
        "letter_doubled" => edit_letters(name, rng, Edit::Double),
        "letter_substituted" => edit_letters(name, rng, Edit::Substitute),
        "space_lost" => space_lost(name, rng),
        "space_moved" => space_moved(name, rng),
        "space_added" => edit_letters(name, rng, Edit::Space),
        "doubled_word" => doubled_word(name, rng),
        "stray_punctuation" => stray_punctuation(name, short, rng),
        "country_misspelled" => country_misspelled(name, country, rng),
        "lower_case" => name.to_lowercase(),
        _ => name.to_string(),
    }
}

/// `name` with two different kinds of noise, the first drawn from `first`, the second from
/// [`TEXT_NOISE`]: "the The Democratic Partyo f Japan". Returns the name and the two kinds.
pub fn apply_two(
    first: &[&'static str],
    name: &str,
    country: &str,
    short: Option<&str>,
    rng: &mut Rng,
) -> (String, [&'static str; 2]) {
    let a = rng.pick(first);
    let mut b = rng.pick(&TEXT_NOISE);
    while b == a {
        b = rng.pick(&TEXT_NOISE);
    }
    let once = apply_noise(a, name, country, short, rng);
    (apply_noise(b, &once, country, short, rng), [a, b])
}

/// Swaps two neighbouring letters inside the longest word.
fn typo(name: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let Some((at, word)) = words.iter().enumerate().max_by_key(|(_, w)| w.chars().count()) else { return name.into() };
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return name.to_string();
    }
    let i = 1 + rng.below(chars.len() - 3);
    chars.swap(i, i + 1);
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[at] = chars.into_iter().collect();
    out.join(" ")
}

#[derive(Clone, Copy, PartialEq)]
enum Edit {
    Swap,
    Drop,
    Double,
    Substitute,
    Space,
}

/// One edit at a random letter of a word of four letters or more (not its first letter, which
/// people rarely get wrong): "aPrty", "Tajikstan", "Partty", "Pxrty", "Demo cratic".
fn edit_letters(name: &str, rng: &mut Rng, edit: Edit) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let word_len = |i: usize| {
        let start = chars[..i].iter().rposition(|c| !c.is_alphabetic()).map_or(0, |p| p + 1);
        let end = chars[i..].iter().position(|c| !c.is_alphabetic()).map_or(chars.len(), |p| i + p);
        (i - start, end - start)
    };
    let places: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .filter(|&i| {
            let (at, len) = word_len(i);
            len >= 4
                && match edit {
                    Edit::Swap => at + 1 < len,
                    Edit::Space => at >= 2 && at + 2 <= len,
                    _ => at >= 1,
                }
        })
        .collect();
    if places.is_empty() {
        return name.to_string();
    }
    let i = rng.pick(&places);
    match edit {
        Edit::Swap => chars.swap(i, i + 1),
        Edit::Drop => {
            chars.remove(i);
        }
        Edit::Double => chars.insert(i, chars[i]),
        Edit::Space => chars.insert(i, ' '),
        Edit::Substitute => {
            let was = chars[i].to_ascii_lowercase();
            let mut c = (b'a' + rng.below(26) as u8) as char;
            if c == was {
                c = if c == 'z' { 'a' } else { (c as u8 + 1) as char };
            }
            chars[i] = if chars[i].is_uppercase() { c.to_ascii_uppercase() } else { c };
        }
    }
    chars.into_iter().collect()
}

/// One space between words dropped: "BroadFront", "the National HeritageParty".
fn space_lost(name: &str, rng: &mut Rng) -> String {
    let spaces: Vec<usize> = name.match_indices(' ').map(|(i, _)| i).collect();
    if spaces.is_empty() {
        return name.to_string();
    }
    let at = rng.pick(&spaces);
    format!("{}{}", &name[..at], &name[at + 1..])
}

/// A space moved one letter on: "Partyo f", "Communis tParty".
fn space_moved(name: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let places: Vec<usize> = (1..chars.len().saturating_sub(2))
        .filter(|&i| chars[i] == ' ' && chars[i + 1].is_alphabetic() && chars[i + 2].is_alphabetic())
        .collect();
    if places.is_empty() {
        return name.to_string();
    }
    let i = rng.pick(&places);
    chars.swap(i, i + 1);
    chars.into_iter().collect()
}

/// A word written twice: "the The Democratic Party of Japan", "Social Social Democrats".
fn doubled_word(name: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return name.to_string();
    }
    if words[0].eq_ignore_ascii_case("the") {
        return format!("the {name}");
    }
    let at = rng.below(words.len());
    let mut out = words.clone();
    out.insert(at, words[at]);
    out.join(" ")
}

/// A stray or unbalanced mark: a trailing comma or full stop, a bracket left open or closed,
/// the abbreviation without its opening bracket ("Sosiaalidemokraattinen Puolue SDP)").
fn stray_punctuation(name: &str, short: Option<&str>, rng: &mut Rng) -> String {
    match (rng.below(6), short) {
        (0, _) => format!("{name},"),
        (1, _) => format!("{name}."),
        (2, _) => format!("{name})"),
        (3, _) => format!("({name}"),
        (4, Some(s)) => format!("{name} {s})"),
        _ => match name.split_once(' ') {
            Some((head, tail)) => format!("{head}, {tail}"),
            None => format!("{name};"),
        },
    }
}

/// The country named in (or after) the name, misspelled: "... Party of Ecuaor".
fn country_misspelled(name: &str, country: &str, rng: &mut Rng) -> String {
    let edits = [Edit::Swap, Edit::Drop, Edit::Double, Edit::Substitute];
    let edit = rng.pick(&edits);
    let misspelled = edit_letters(country, rng, edit);
    if name.contains(country) { name.replacen(country, &misspelled, 1) } else { format!("{name} of {misspelled}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noisy(noise: &str, name: &str, seed: u64) -> String {
        apply_noise(noise, name, "Japan", Some("DPJ"), &mut Rng::new(seed))
    }

    #[test]
    fn noise_is_what_it_says() {
        let mut rng = Rng::new(1);
        assert_eq!(
            apply_noise("word_order", "Communist Party of Vietnam", "Vietnam", None, &mut rng),
            "Vietnam Communist Party"
        );
        assert_eq!(
            apply_noise("party_word", "Cambodian People's Party", "Cambodia", None, &mut rng),
            "Cambodian People's"
        );
        assert_eq!(apply_noise("possessive", "New Komeito", "Japan", None, &mut rng), "Japan's New Komeito");
        assert_eq!(
            apply_noise("bracket", "Social Democratic Party of Germany", "Germany", Some("SPD"), &mut rng),
            "Social Democratic Party of Germany (SPD)"
        );
        let t = apply_noise("typo", "Communist Party", "X", None, &mut rng);
        assert_ne!(t, "Communist Party");
        assert_eq!(t.len(), "Communist Party".len());
    }

    #[test]
    fn text_noise_damages_the_name_as_said() {
        let name = "Democratic Party of Japan";
        for seed in 1..40 {
            let edited = |noise: &str| noisy(noise, name, seed);
            let swapped = edited("swapped_letters");
            assert_eq!(swapped.len(), name.len());
            assert_ne!(swapped, name);
            assert_eq!(edited("letter_dropped").len(), name.len() - 1);
            assert_eq!(edited("letter_doubled").len(), name.len() + 1);
            let substituted = edited("letter_substituted");
            assert_eq!(substituted.len(), name.len());
            assert_ne!(substituted, name);
            assert_eq!(edited("space_lost").replace(' ', ""), name.replace(' ', ""));
            assert_eq!(edited("space_lost").matches(' ').count(), 2);
            let moved = edited("space_moved");
            assert_eq!(moved.replace(' ', ""), name.replace(' ', ""));
            assert_ne!(moved, name);
            assert_eq!(edited("space_added").matches(' ').count(), 4);
            assert_eq!(edited("doubled_word").split(' ').count(), 5);
            assert_ne!(edited("stray_punctuation"), name);
            assert_ne!(edited("country_misspelled"), name);
            assert!(edited("country_misspelled").starts_with("Democratic Party of "));
        }
        assert_eq!(noisy("doubled_word", "The Democratic Party", 1), "the The Democratic Party");
        assert_eq!(noisy("lower_case", "Liberal Party", 1), "liberal party");
        assert_eq!(noisy("space_lost", "Broad Front", 1), "BroadFront");
        // Nothing to damage: the name itself.
        assert_eq!(noisy("space_moved", "PRI", 1), "PRI");
        assert_eq!(noisy("letter_dropped", "PRI", 1), "PRI");
    }

    #[test]
    fn two_kinds_are_two_different_kinds() {
        let mut rng = Rng::new(5);
        for _ in 0..50 {
            let (written, [a, b]) = apply_two(&TEXT_NOISE, "Democratic Party of Japan", "Japan", None, &mut rng);
            assert_ne!(a, b);
            assert_ne!(written, "Democratic Party of Japan", "{a} {b}");
        }
    }

    #[test]
    fn the_generator_depends_on_the_seed_alone() {
        let draw = |seed| {
            let mut r = Rng::new(seed);
            (0..5).map(|_| r.next()).collect::<Vec<u64>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }
}
