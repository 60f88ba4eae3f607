//! The words that tell what an item reports: a meeting ("met", "held talks", "was received
//! by"), a message ("sent a message of condolence"), a future or a wish ("will meet", "hopes
//! to visit"), a delegation's leader ("led by"), a passing mention ("relations between the two
//! parties"), a call at a distance ("video conference"). All are found in one pass of an
//! automaton over the folded text.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A meeting, a visit, talks, a reception, a seminar with named participants.
    Meet,
    /// "received" alone: a meeting ("was received by") or a message ("received a letter").
    Received,
    /// A message, letter or greeting.
    Message,
    Congratulation,
    Condolence,
    /// "led by", "headed by": what follows is the delegation's leader, not another partner.
    LedBy,
    /// "relations between", "exchanges with": parties named next are mentioned, not met.
    Passing,
    /// A meeting at a distance: no venue.
    Remote,
    /// "here": the dateline's city.
    Here,
}

const PHRASES: &[(Cue, &[&str])] = &[
    (
        Cue::Meet,
        &[
            "met",
            "meets",
            "meet with",
            "meeting with",
            "meetings with",
            "talks with",
            "held talks",
            "holds talks",
            "hold talks",
            "held a discussion",
            "held discussions",
            "held a meeting",
            "consultation",
            "consultations",
            "courtesy call",
            "called on",
            "called at",
            "calls on",
            "among the guests",
            "attended by",
            "is attended by",
            "video conference",
            "videoconference",
            "online seminar",
            "held a reception",
            "visited",
            "visiting china",
            "visit china",
            "visited china",
            "paid a visit",
            "paid a call",
            "dialogue with",
            "held a dialogue",
            "welcomed the delegation",
            "hosted a banquet",
            "hosted a dinner",
            "reception for",
            "working session",
            "working meeting",
            "had talks",
            "has talks",
            "have talks",
            "held separate talks",
            "had separate talks",
            "held in depth talks",
            "held friendly talks",
            "held cordial talks",
            "held official talks",
            "had a meeting",
            "video call",
            "video calls",
        ],
    ),
    (Cue::Received, &["received", "receives", "receive"]),
    (
        Cue::Message,
        &[
            "message",
            "messages",
            "letter",
            "letters",
            "greetings",
            "greeting cards",
            "greeting card",
            "telegram",
            "telegrams",
            "cable",
            "new year cards",
            "congratulatory message",
            "congratulatory messages",
            "congratulatory letter",
            "congratulatory letters",
            "joint appeal",
            "joint statement",
            "joint declaration",
            "open letter",
        ],
    ),
    (
        Cue::Congratulation,
        &[
            "congratulation",
            "congratulations",
            "congratulate",
            "congratulated",
            "congratulates",
            "congratulating",
            "congratulatory",
        ],
    ),
    (Cue::Condolence, &["condolence", "condolences", "on the death of", "on the passing of", "passed away"]),
    (Cue::LedBy, &["led by", "headed by", "composed of", "accompanied by", "including its", "who is", "who was"]),
    (
        Cue::Passing,
        &[
            "relations between",
            "relations with",
            "relationship with",
            "relationship between",
            "exchanges with",
            "exchanges between",
            "cooperation with",
            "cooperation between",
            "work with",
            "working with",
            "ties with",
            "ties between",
            "friendship with",
            "friendship between",
            "support for",
            "together with",
            "among them",
            "sister party of",
            "alliance with",
            "merger of",
            "formed by",
            "formerly",
        ],
    ),
    (
        Cue::Remote,
        &[
            "video",
            "videoconference",
            "video conference",
            "video link",
            "online",
            "by telephone",
            "phone call",
            "virtual",
        ],
    ),
    (Cue::Here, &["here"]),
];

/// A cue found in a folded text: which, and its folded bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueHit {
    pub cue: Cue,
    pub start: usize,
    pub end: usize,
}

struct Automaton {
    automaton: AhoCorasick,
    cues: Vec<Cue>,
}

fn automaton() -> &'static Automaton {
    static A: OnceLock<Automaton> = OnceLock::new();
    A.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut cues = Vec::new();
        for (cue, phrases) in PHRASES {
            for p in *phrases {
                patterns.push(format!(" {p} "));
                cues.push(*cue);
            }
        }
        Automaton { automaton: AhoCorasick::new(&patterns).expect("valid cue patterns"), cues }
    })
}

/// Every cue in a folded text (which begins and ends with a space), in text order. Where a
/// longer phrase of the same cue covers a shorter one, both are kept: the callers ask whether a
/// range holds a cue, and where.
pub fn scan(folded: &str) -> Vec<CueHit> {
    let a = automaton();
    // The phrases are written between spaces: only whole words match.
    let mut hits: Vec<CueHit> = a
        .automaton
        .find_overlapping_iter(folded)
        .map(|m| CueHit { cue: a.cues[m.pattern().as_usize()], start: m.start() + 1, end: m.end() - 1 })
        .collect();
    hits.sort_by_key(|h| (h.start, h.end));
    hits
}

/// The cues within folded bytes `range`.
pub fn within(hits: &[CueHit], range: std::ops::Range<usize>) -> impl Iterator<Item = &CueHit> {
    let first = hits.partition_point(|h| h.start < range.start);
    hits[first..].iter().take_while(move |h| h.start < range.end).filter(move |h| h.end <= range.end)
}

/// Whether a meeting cue is put in the future or among wishes by the words before it ("will
/// meet", "will also meet", "expected to visit China", "hopes to meet", "is scheduled to hold
/// talks with", "plans to hold a larger dialogue with"): a modal verb, or an infinitive's "to"
/// with nothing between it and the cue but the words a planned meeting puts there (an adverb,
/// an article, "hold", "pay", "larger"). A "to" after anything else is a preposition ("a
/// delegation to Vietnam met", "on its visit to China, was received").
pub fn is_future(folded: &str, hit: &CueHit) -> bool {
    const MODAL: [&str; 6] = ["will", "would", "shall", "may", "might", "going"];
    const BRIDGE: [&str; 31] = [
        "also",
        "then",
        "later",
        "soon",
        "first",
        "jointly",
        "again",
        "not",
        "further",
        "formally",
        "officially",
        "a",
        "an",
        "the",
        "its",
        "their",
        "hold",
        "have",
        "pay",
        "make",
        "host",
        "conduct",
        "attend",
        "larger",
        "new",
        "more",
        "annual",
        "regular",
        "formal",
        "official",
        "separate",
    ];
    for w in folded[..hit.start].split_whitespace().rev().take(5) {
        if MODAL.contains(&w) || w == "to" {
            return true;
        }
        if !BRIDGE.contains(&w) {
            return false;
        }
    }
    false
}

/// Whether a "calls on" cue is an exhortation, not a visit: a collective ("all countries",
/// "the governments of the region", "political parties") called on to do something ("calls on
/// all countries to strengthen solidarity"). "called on the Prime Minister to exchange views"
/// stays a visit.
pub fn is_exhortation(folded: &str, hit: &CueHit) -> bool {
    const COLLECTIVE: [&str; 16] = [
        "all",
        "both",
        "each",
        "every",
        "countries",
        "nations",
        "governments",
        "parties",
        "political",
        "international",
        "world",
        "member",
        "people",
        "peoples",
        "young",
        "youth",
    ];
    let phrase = &folded[hit.start..hit.end];
    let mut after = folded[hit.end..].split_whitespace().peekable();
    if after.peek() == Some(&"the") {
        after.next();
    }
    matches!(phrase, "calls on" | "called on" | "call on")
        && after.next().is_some_and(|w| COLLECTIVE.contains(&w))
        && folded[hit.end..].split_whitespace().take(8).any(|w| w == "to")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(text: &str) -> Vec<(Cue, String)> {
        let f = super::super::text::Folded::new(text);
        scan(&f.text).into_iter().map(|h| (h.cue, f.text[h.start..h.end].to_string())).collect()
    }

    #[test]
    fn phrases_on_word_boundaries() {
        let got = cues("He met here today with a delegation led by its Speaker; the meeting was warm.");
        assert_eq!(
            got,
            [(Cue::Meet, "met".to_string()), (Cue::Here, "here".to_string()), (Cue::LedBy, "led by".to_string()),]
        );
        assert!(cues("Metropolitan lettering").is_empty());
    }

    #[test]
    fn a_call_on_a_collective_to_act_is_no_visit() {
        for (text, exhortation) in [
            ("The appeal calls on all countries to strengthen solidarity", true),
            ("The statement calls on the governments of the region to keep supply chains open", true),
            ("It also calls on political parties to reject prejudice", true),
            ("Wang called on the Prime Minister to exchange views", false),
            ("The delegation called on the Speaker of the National Assembly", false),
        ] {
            let f = super::super::text::Folded::new(text);
            let hit = scan(&f.text).into_iter().find(|h| h.cue == Cue::Meet).expect("a meeting cue");
            assert_eq!(is_exhortation(&f.text, &hit), exhortation, "{text}");
        }
    }

    #[test]
    fn a_meeting_put_in_the_future() {
        for (text, future) in [
            ("On February 9, the delegation will meet with leaders", true),
            ("delegations are expected to visit China", true),
            ("the delegation will also meet with leaders", true),
            ("the delegation met with leaders", false),
            ("who came to attend the forum and met with", false),
            ("the delegation is scheduled to hold talks with the leaders", true),
            ("the department plans to hold a larger dialogue with foreign parties", true),
            ("a delegation to vietnam met with", false),
            ("the delegation, on its visit to China, held talks with", false),
        ] {
            let f = super::super::text::Folded::new(text);
            let hits = scan(&f.text);
            // Every meeting cue of the phrase ("hold talks", "talks with") is put in the future.
            let meets: Vec<_> = hits.iter().filter(|h| h.cue == Cue::Meet).collect();
            assert!(!meets.is_empty(), "{text}");
            for meet in meets {
                assert_eq!(is_future(&f.text, meet), future, "{text}");
            }
        }
    }
}
