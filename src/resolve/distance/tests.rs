//! Each similarity checked against strsim's, on names from small alphabets.

use super::*;
use proptest::prelude::*;

/// Names from a small alphabet, so that near-equal pairs are common; some longer than 64.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[abc ]{0,12}",
        2 => "[a-e]{0,40}",
        1 => "[ab]{60,80}",
        1 => "[a-c ]{50,70}",
        1 => "[aé ]{0,8}",
        1 => "[aéœ\u{fffd}b ]{0,70}",
        1 => "[a-cà-ÿ]{0,40}",
        1 => "[a-c ]{100,140}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn osa_is_strsims(a in name(), b in name()) {
        let longer = a.chars().count().max(b.chars().count());
        let expected = if longer == 0 { 1.0 } else { 1.0 - strsim::osa_distance(&a, &b) as f64 / longer as f64 };
        prop_assert_eq!(normalized_osa(&a, &b), expected);
    }

    #[test]
    fn jaro_winkler_is_strsims(a in name(), b in name()) {
        prop_assert_eq!(jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
    }

    /// Either name may be the pattern: the query is, whichever strsim takes first.
    #[test]
    fn a_pattern_compares_from_either_side(a in name(), b in name()) {
        if let Some(pattern) = Pattern::new(&a) {
            prop_assert_eq!(pattern.jaro_winkler(&b), strsim::jaro_winkler(&a, &b));
            prop_assert_eq!(pattern.osa(&b), strsim::osa_distance(&a, &b));
        }
    }

    /// Two names compared with two patterns side by side give what each gives alone.
    #[test]
    fn pairs_are_two_single_runs(p in name(), a in name(), q in name(), b in name()) {
        if let (Some(p), Some(q)) = (Pattern::new(&p), Pattern::new(&q)) {
            prop_assert_eq!(p.normalized_osa_pair(&a, &q, &b), (p.normalized_osa(&a), q.normalized_osa(&b)));
            prop_assert_eq!(p.jaro_winkler_pair(&a, &q, &b), (p.jaro_winkler(&a), q.jaro_winkler(&b)));
        }
    }

    #[test]
    fn one_edit_is_strsims(a in name(), b in name()) {
        let expected = a.chars().count().abs_diff(b.chars().count()) <= 1 && strsim::osa_distance(&a, &b) <= 1;
        prop_assert_eq!(within_one_edit(&a, &b), expected);
    }

    #[test]
    fn one_edit_of_a_word_is_found(a in "[a-d]{1,10}", at in 0usize..10, c in "[a-d]") {
        // Every single edit of a word, and the word itself, is within one edit.
        let at = at % a.len();
        let c = c.as_bytes()[0];
        let mut edits = vec![a.clone().into_bytes()];
        let mut substituted = a.clone().into_bytes();
        substituted[at] = c;
        edits.push(substituted);
        let mut inserted = a.clone().into_bytes();
        inserted.insert(at, c);
        edits.push(inserted);
        let mut deleted = a.clone().into_bytes();
        deleted.remove(at);
        edits.push(deleted);
        if at + 1 < a.len() {
            let mut swapped = a.clone().into_bytes();
            swapped.swap(at, at + 1);
            edits.push(swapped);
        }
        for edit in edits {
            let edit = String::from_utf8(edit).unwrap();
            prop_assert!(within_one_edit(&a, &edit), "{} {}", a, edit);
        }
    }
}

#[test]
fn known_distances() {
    let osa_of = |a: &str, b: &str| Pattern::new(a).unwrap().osa(b);
    assert_eq!(osa_of("kitten", "sitting"), 3);
    assert_eq!(osa_of("", "abc"), 3);
    assert_eq!(osa_of(&"a".repeat(64), &"a".repeat(70)), 6);
    assert_eq!(osa_of(&"a".repeat(70), &"a".repeat(64)), 6);
    assert_eq!(osa_of(&"ab".repeat(64), &"ba".repeat(64)), 2, "128 characters, two words");
    assert_eq!(osa_of(&"abcd".repeat(32), &"bacd".repeat(32)), 32, "a swap in every four");
    assert!(Pattern::new(&"a".repeat(129)).is_none());
    assert_eq!(osa_of("aprty", "party"), 1);
    assert_eq!(osa_of("ca", "abc"), 3, "no edit of a swapped pair");
    assert_eq!(osa_of("sécurité", "securite"), 2);
    assert_eq!(osa_of("éa", "aé"), 1);
    assert!(within_one_edit("veitnam", "vietnam"));
    assert!(within_one_edit("vietnam", "vitenam"));
    assert!(!within_one_edit("abcd", "badc"));
    assert!(!within_one_edit("vietnam", "vietnamese"));
}
