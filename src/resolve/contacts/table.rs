//! The `contact_decisions` table: one row per distinct decision and party, made a slice of
//! rows at a time on every thread.

use anyhow::Result;
use arrow::array::RecordBatch;

use std::sync::{Arc, Mutex};

use super::{ContactDecision, ContactDecisions, ContactKey};
use crate::resolve::{Candidate, FastMap, FastSet, Method, Outcome, Registry, candidate_columns};
use crate::shared::batch::{self, BatchBuilder};
use crate::shared::parallel;

/// Decision-table rows a thread makes at a time.
pub(super) const TABLE_SLICE: usize = 8192;

impl ContactDecisions {
    /// `contact_decisions`: one row per distinct decision and party (a decision naming two
    /// parties has two rows; one without a party, one), ordered by (decision, party_seq).
    /// `contacts` is the number of input rows with the decision; `candidates_told_apart`
    /// describes the candidates of what goes to review that share a name, from `registry`.
    /// In slices of rows, in order (at least one): they are registered as they are, since
    /// joining them into one batch wrote every value again.
    pub fn table_slices(&self, registry: &Registry) -> Result<Vec<RecordBatch>> {
        let profiles = self.profiles(registry);
        let parts: Vec<Part> = slice_bounds(&self.widths())
            .into_iter()
            .map(|(start, end)| Part {
                start,
                decisions: &self.decisions[start..end],
                keys: &self.keys[start..end],
                per_decision: &self.per_decision[start..end],
            })
            .collect();
        parallel::map(&parts, 1, |part| part.table_rows(&profiles)).into_iter().collect()
    }

    /// [`ContactDecisions::table_slices`], each slice's decisions freed as soon as it is made:
    /// the table never sits beside all of them (at 10^7 diverse contacts, 1.1 GiB of table
    /// beside 1.5 GiB of decisions). Each slice's decisions and keys are lent to the thread
    /// that makes the slice, which empties them in place (moving them into a vector per slice
    /// first copied 0.3 GB into fresh memory on one thread at 10^7). The slices are
    /// [`ContactDecisions::table_slices`]', their repeated texts packed as dictionaries.
    /// `widths` are the decisions' [`ContactDecisions::widths`], which the caller has made for
    /// the contacts' layout.
    pub fn into_table_slices(self, registry: &Registry, widths: &[u32]) -> Result<Vec<RecordBatch>> {
        anyhow::ensure!(
            widths.len() == self.decisions.len(),
            "contact_decisions: {} widths given for {} decisions",
            widths.len(),
            self.decisions.len()
        );
        let profiles = self.profiles(registry);
        let bounds = slice_bounds(widths);
        let widest = bounds.iter().map(|&(start, end)| rows(&widths[start..end])).max().unwrap_or(0);
        let ContactDecisions { mut decisions, mut keys, per_decision, .. } = self;
        let mut parts: Vec<(usize, Lent)> = Vec::with_capacity(bounds.len());
        let (mut decisions_left, mut keys_left) = (decisions.as_mut_slice(), keys.as_mut_slice());
        for &(start, end) in &bounds {
            let (these, rest) = std::mem::take(&mut decisions_left).split_at_mut(end - start);
            let (their_keys, rest_keys) = std::mem::take(&mut keys_left).split_at_mut(end - start);
            (decisions_left, keys_left) = (rest, rest_keys);
            parts.push((start, Mutex::new(Some((these, their_keys)))));
        }
        let make = |(start, lent): &(usize, Lent)| {
            let taken = lent.lock().unwrap_or_else(|e| e.into_inner()).take();
            let (decisions, keys) = taken.expect("each slice is made once");
            let end = start + decisions.len();
            let part =
                Part { start: *start, decisions: &*decisions, keys: &*keys, per_decision: &per_decision[*start..end] };
            let made = part.table_rows(&profiles);
            empty(decisions, keys);
            made
        };
        // The texts that repeat in the first slice are packed in every slice as it is made
        // (the table at 10^7 diverse contacts: 1.1 GiB plain); the stages read them as plain
        // text, through the view the enrich step registers the table behind.
        let (first, others) = parts.split_first().expect("the table has at least one slice");
        let first = make(first)?;
        let packing = batch::Packing::of(&first, widest);
        let others = parallel::map(others, 1, |part| packing.apply(make(part)?));
        std::iter::once(packing.apply(first)).chain(others).collect()
    }

    /// [`ContactDecisions::table_slices`] as one batch.
    pub fn table(&self, registry: &Registry) -> Result<RecordBatch> {
        batch::join_slices(self.table_slices(registry)?)
    }

    /// The profile line ([`Registry::party_profile`]) of each candidate that goes to review
    /// beside another of its name, by (country, party, name): a profile reads every name of
    /// its country, so each is made once, on every thread (made for each row, they took most
    /// of the table's time at 10^6 diverse contacts).
    fn profiles(&self, registry: &Registry) -> Profiles {
        // The decisions read on every thread (each its own allocation, reached once).
        let parts = parallel::split(&self.decisions, parallel::threads());
        let found = parallel::map(&parts, 1, |part| {
            let mut wanted: FastSet<(&str, i64, &str)> = FastSet::default();
            for d in *part {
                let Some(iso3) = d.iso3.as_deref() else { continue };
                wanted.extend(sharing_a_name(listed(d)).map(|c| (iso3, c.partyfacts_id, c.name.as_str())));
            }
            wanted
        });
        let wanted: Vec<_> = found.into_iter().flatten().collect::<FastSet<_>>().into_iter().collect();
        let lines = parallel::map(&wanted, 64, |&(iso3, id, name)| registry.party_profile(iso3, id, name).line());
        wanted.into_iter().map(|(iso3, id, name)| (iso3.to_string(), id, name.to_string())).zip(lines).collect()
    }
}

/// One slice's decisions and their keys, lent to the thread that makes the slice.
type Lent<'a> = Mutex<Option<(&'a mut [ContactDecision], &'a mut [ContactKey])>>;

/// Frees what `decisions` and `keys` hold (each decision its own allocations, each key its
/// partner's text), leaving each an empty placeholder; the texts of the placeholders are one
/// allocation of this thread's, not one every thread counts references on.
fn empty(decisions: &mut [ContactDecision], keys: &mut [ContactKey]) {
    decisions.fill_with(ContactDecision::emptied);
    let nothing: Arc<str> = Arc::from("");
    keys.fill_with(|| ContactKey::emptied(&nothing));
}

/// The decisions of one slice of the table: the first is decision `start`.
struct Part<'a> {
    start: usize,
    decisions: &'a [ContactDecision],
    keys: &'a [ContactKey],
    per_decision: &'a [usize],
}

/// The slices of the table, as ranges of decisions: whole decisions of about
/// [`TABLE_SLICE`] rows each (a decision has one row per party), at least one. The table is
/// made a slice at a time on every thread: the cost is in reaching the decisions (each its
/// own allocation, made on the resolving threads), and a slice's decisions stay in the cache
/// while its columns are made one after the other (at 10^6 diverse contacts, half the columns
/// over every row on each of two threads took 0.6 and 1.0 s).
fn slice_bounds(widths: &[u32]) -> Vec<(usize, usize)> {
    let mut bounds = Vec::new();
    let (mut start, mut rows) = (0, 0);
    for (d, &width) in widths.iter().enumerate() {
        rows += width as usize;
        if rows >= TABLE_SLICE {
            bounds.push((start, d + 1));
            (start, rows) = (d + 1, 0);
        }
    }
    if start < widths.len() || bounds.is_empty() {
        bounds.push((start, widths.len()));
    }
    bounds
}

/// The table's rows of decisions of these [`ContactDecisions::widths`].
fn rows(widths: &[u32]) -> usize {
    widths.iter().map(|&w| w as usize).sum()
}

impl Part<'_> {
    /// The rows of [`ContactDecisions::table`] for this part's decisions, in their order.
    fn table_rows(&self, profiles: &Profiles) -> Result<RecordBatch> {
        // One row per party; one without a party when there is none.
        let rows: Vec<(usize, Option<usize>)> = self
            .decisions
            .iter()
            .enumerate()
            .flat_map(|(d, r)| {
                let width = r.parties();
                (0..width.max(1)).map(move |k| (d, (width > 0).then_some(k)))
            })
            .collect();
        let decision = |row: &(usize, Option<usize>)| &self.decisions[row.0];
        let key = |row: &(usize, Option<usize>)| &self.keys[row.0];
        let party = |row: &(usize, Option<usize>)| decision(row).party.as_deref();
        let matched = |row: &(usize, Option<usize>)| row.1.and_then(|k| party(row).map(|p| &p.matches[k]));
        let reason = |row: &(usize, Option<usize>)| match decision(row).outcome {
            Outcome::ReviewCountry => Some("country not in reference/countries.csv"),
            Outcome::Matched | Outcome::NonParty => None,
            _ => party(row).map(|p| p.reason.as_str()),
        };
        let candidates: Vec<&[Candidate]> = rows.iter().map(|r| listed(decision(r))).collect();
        let told: Vec<Option<String>> =
            rows.iter().zip(&candidates).map(|(r, c)| told_apart(profiles, decision(r).iso3.as_deref(), c)).collect();
        let decided = BatchBuilder::new()
            .int32("decision", rows.iter().map(|r| Some((self.start + r.0) as i32)))
            .int32("party_seq", rows.iter().map(|r| Some(r.1.map_or(1, |k| k as i32 + 1))))
            .int32("parties_in_contact", rows.iter().map(|r| Some(decision(r).parties() as i32)))
            .int32("year", rows.iter().map(|r| Some(key(r).year)))
            .int64("cabinet_id", rows.iter().map(|r| key(r).cabinet_id))
            .utf8("country", rows.iter().map(|r| Some(&*key(r).country)))
            .utf8("iso3", rows.iter().map(|r| decision(r).iso3.as_deref()))
            .utf8("partner", rows.iter().map(|r| Some(&*key(r).partner)))
            .utf8("partner_kind", rows.iter().map(|r| Some(if key(r).non_party { "non_party" } else { "party" })))
            .utf8("partner_part", rows.iter().map(|r| matched(r).map(|m| m.written.as_str())))
            .utf8("outcome", rows.iter().map(|r| Some(decision(r).outcome.as_str())))
            .int64("partyfacts_id", rows.iter().map(|r| matched(r).map(|m| m.partyfacts_id)))
            // A "not a party" override matches no party but was decided, by the override.
            .utf8(
                "match_method",
                rows.iter().map(|r| match decision(r).outcome {
                    Outcome::NotAParty => Some(Method::Override.as_str()),
                    _ => matched(r).map(|m| m.method.as_str()),
                }),
            )
            .float64("match_score", rows.iter().map(|r| matched(r).map(|m| m.score)))
            .utf8("matched_name", rows.iter().map(|r| matched(r).map(|m| m.matched_name.as_str())))
            .utf8("review_reason", rows.iter().map(reason));
        candidate_columns(decided, &candidates)
            .utf8("candidates_told_apart", told.iter().map(Option::as_deref))
            .int64("contacts", rows.iter().map(|r| Some(self.per_decision[r.0] as i64)))
            .build()
    }
}

/// The candidates a decision's rows list: those of what goes to review only.
fn listed(decision: &ContactDecision) -> &[Candidate] {
    decision.party.as_deref().filter(|p| p.outcome == Outcome::ReviewParty).map_or(&[], |p| p.candidates.as_slice())
}

/// The candidates that share a name with another, each told apart by its years, other names
/// and DPI labels: "2384: 1990-; also PML-N, ...; DPI PML-N | 2385: 2002-; ...". None where
/// every candidate's name is its own.
fn told_apart(profiles: &Profiles, iso3: Option<&str>, candidates: &[Candidate]) -> Option<String> {
    let iso3 = iso3?;
    let shared: Vec<String> = sharing_a_name(candidates)
        .map(|c| format!("{}: {}", c.partyfacts_id, profiles[&(iso3.to_string(), c.partyfacts_id, c.name.clone())]))
        .collect();
    (!shared.is_empty()).then(|| shared.join(" | "))
}

/// The candidates whose name another candidate has too.
fn sharing_a_name(candidates: &[Candidate]) -> impl Iterator<Item = &Candidate> {
    candidates.iter().filter(|c| candidates.iter().filter(|o| o.name == c.name).count() > 1)
}

/// Profile lines of candidates by (country, party, name).
type Profiles = FastMap<(String, i64, String), String>;
