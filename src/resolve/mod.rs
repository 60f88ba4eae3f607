//! The resolve step: a contact's free-text partner to Party Facts ids, within its country, in
//! the stages of record linkage:
//!
//! - **Blocking** ([`registry`]): candidates are the parties of the contact's country (ISO3)
//!   whose Party Facts years do not exclude the contact's year. Candidate names ([`names`]) are
//!   every name Party Facts holds for a party (core, short, English and other names, and the
//!   names other datasets give it), the DPI abbreviations linked to it, and curated aliases.
//! - **Query** ([`query`]): the forms of the partner's name worth looking up, and the
//!   abbreviation it gives; a partner naming several parties is split ([`split`]).
//! - **Comparison and scoring** ([`score`], [`distance`], [`rank`]): each pair of names compared
//!   on characters and words, the parts combined into one score, the parties ranked lazily.
//! - **Decision** ([`decide`], [`rules`]): a reviewed override, then the name rules in the
//!   README's order, the DPI check, a split partner; anything else goes to review with its best
//!   candidates and their component scores.
//!
//! [`contacts`] decides every distinct contact of a file once; [`dpi_links`] links the DPI
//! parties Party Facts' import lacks, [`dpi_audit`] reads the linked DPI labels' names for the
//! crosswalk audit, and [`link_cache`] keeps both between runs.
//! [`config`] holds every number a decision uses, [`outcome`] the values of `outcome` and
//! `match_method`, [`eval`] measures the whole on a labelled set written with [`noise`].

pub mod config;
pub mod contacts;
pub mod decide;
pub mod distance;
pub mod dpi_audit;
pub mod dpi_links;
pub mod eval;
pub mod link_cache;
pub mod names;
pub mod noise;
pub mod outcome;
pub mod query;
pub mod rank;
pub mod registry;
pub mod rules;
pub mod score;
pub mod split;

pub use config::{ResolverConfig, ScoreWeights};
pub use decide::Block;
pub use outcome::{Method, Outcome};
pub use registry::{CandidateName, NameKind, Registry};

use crate::shared::batch::BatchBuilder;
use query::Query;
use score::Comparison;

/// Hash maps with foldhash: the registry's keys are short names and ids, looked up for every
/// partner, which SipHash's protection against crafted keys does not need.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

/// A party a partner was matched to.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub partyfacts_id: i64,
    pub method: Method,
    pub score: f64,
    /// The candidate name that decided, as its source writes it.
    pub matched_name: String,
    /// The part of the partner this match is for (the whole partner unless it was split).
    pub written: String,
}

/// A candidate party compared with a partner, for review and for `explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub partyfacts_id: i64,
    /// The party's name that scored best.
    pub name: String,
    /// The parts of its score.
    pub comparison: Comparison,
    pub score: f64,
}

/// What resolution decided for one partner.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// [`Outcome::Matched`], [`Outcome::NotAParty`] or [`Outcome::ReviewParty`].
    pub outcome: Outcome,
    /// One per party when matched; several when the partner named several parties.
    pub matches: Vec<Match>,
    /// Why it went to review, or why the winner won.
    pub reason: String,
    /// The best candidates of the whole partner, best first.
    pub candidates: Vec<Candidate>,
    /// The folded forms that were looked up (shared by the decisions of a country and partner).
    pub query: std::sync::Arc<Query>,
}

/// The candidates a table lists for a name: `candidate_1_...` to `candidate_3_...`. A contact
/// sent to review carries these (its `candidates_told_apart` tells apart the ones shown); `explain`
/// and the DPI links rank as many as the configuration keeps.
pub const LISTED: usize = 3;

/// `candidate_1_id`, `candidate_1_name`, `candidate_1_score`, ... up to [`LISTED`], from each
/// row's candidates, best first (an empty slice for a row with none).
pub fn candidate_columns(mut builder: BatchBuilder, rows: &[&[Candidate]]) -> BatchBuilder {
    for k in 0..LISTED {
        builder = builder
            .int64(&format!("candidate_{}_id", k + 1), rows.iter().map(|r| r.get(k).map(|c| c.partyfacts_id)))
            .utf8(&format!("candidate_{}_name", k + 1), rows.iter().map(|r| r.get(k).map(|c| c.name.as_str())))
            .float64(&format!("candidate_{}_score", k + 1), rows.iter().map(|r| r.get(k).map(|c| c.score)));
    }
    builder
}
