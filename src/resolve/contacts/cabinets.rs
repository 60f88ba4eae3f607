//! Each decision split by the ParlGov cabinet in office on its contacts' dates.

use std::sync::Arc;

use arrow::array::Date32Array;

use super::{ContactDecision, ContactDecisions, ContactKey};
use crate::load::cabinets::{Cabinets, Calendar};
use crate::resolve::FastMap;
use crate::shared::{parallel, timing};

/// Rows a thread looks up cabinets for at a time.
const ROWS_PER_SLICE: usize = 1 << 16;

/// No cabinet (a row's), or no row yet (a decision's).
const NONE: u32 = u32::MAX;

impl ContactDecisions {
    /// Splits each decision by the ParlGov cabinet in office on its contacts' dates: a
    /// decision's contacts in one year can fall under two cabinets (Japan's 2009 contacts
    /// before and after 16 September), and a status on the day of the contact depends on
    /// which. Decisions keep their resolution; their order is that of their first contact.
    pub(super) fn split_by_cabinet(self, dates: &Date32Array, cabinets: &Cabinets) -> ContactDecisions {
        let _timer = timing::start(|| "splitting the decisions by cabinet".into());
        // Each row's cabinet is looked up on every thread, a slice of rows each; what is left
        // for one thread is numbering the splits in the order of their first row (at 10^7
        // diverse contacts, the whole step took 4-5 s on one thread, the other idle).
        // Each decision's calendar, by its place among the countries' (NONE without one).
        let (countries, calendars): (FastMap<&str, u32>, Vec<Calendar>) =
            cabinets.calendars().enumerate().map(|(at, (iso3, calendar))| ((iso3, at as u32), calendar)).unzip();
        let calendar_of: Vec<u32> = parallel::map(&self.decisions, 4096, |d| {
            d.iso3.as_deref().and_then(|iso3| countries.get(iso3).copied()).unwrap_or(NONE)
        });
        let calendar = |d: u32| calendars.get(calendar_of[d as usize] as usize);
        let slices: Vec<(&[u32], &[i32])> =
            self.decision.chunks(ROWS_PER_SLICE).zip(dates.values().chunks(ROWS_PER_SLICE)).collect();
        // A row's cabinet as its place in its country's calendar (NONE without one): four
        // bytes a row where an optional id took sixteen (160 MB at 10^7 contacts).
        let cabinet_of = |&(decisions, days): &(&[u32], &[i32])| -> Vec<u32> {
            let term = |d: u32, day: i32| calendar(d).and_then(|c| c.term_on(day)).unwrap_or(NONE);
            decisions.iter().zip(days).map(|(&d, &day)| term(d, day)).collect()
        };
        let cabinets_by_slice = parallel::map(&slices, 1, cabinet_of);
        // Per decision, its first cabinet and what it became (NONE, NONE before its first row);
        // a decision's later cabinets (a few) in a map: a map of every row's (decision,
        // cabinet) took 2.4 s at 10^7 rows. A decision's first split takes it over, leaving an
        // empty one behind (no reference counts of its own touched); a later split copies the
        // first.
        let cabinet_id = |d: u32, term: u32| match term {
            NONE => None,
            term => calendar(d).map(|c| c.cabinet(term)),
        };
        let (mut unsplit, mut unsplit_keys) = (self.decisions, self.keys);
        let empty: Arc<str> = Arc::from("");
        let mut first: Vec<(u32, u32)> = vec![(NONE, NONE); unsplit.len()];
        let mut later: FastMap<(u32, u32), u32> = FastMap::default();
        let (mut decisions, mut keys): (Vec<ContactDecision>, Vec<ContactKey>) =
            (Vec::with_capacity(unsplit.len()), Vec::with_capacity(unsplit.len()));
        let mut decision = Vec::with_capacity(self.decision.len());
        for ((rows, _), cabinets) in slices.iter().zip(cabinets_by_slice) {
            for (&d, term) in rows.iter().zip(cabinets) {
                let to = match first[d as usize] {
                    (_, NONE) => {
                        decisions.push(std::mem::replace(&mut unsplit[d as usize], ContactDecision::emptied()));
                        let key = std::mem::replace(&mut unsplit_keys[d as usize], ContactKey::emptied(&empty));
                        keys.push(ContactKey { cabinet_id: cabinet_id(d, term), ..key });
                        let to = (decisions.len() - 1) as u32;
                        first[d as usize] = (term, to);
                        to
                    }
                    (c, to) if c == term => to,
                    (_, to) => *later.entry((d, term)).or_insert_with(|| {
                        decisions.push(decisions[to as usize].clone());
                        keys.push(ContactKey { cabinet_id: cabinet_id(d, term), ..keys[to as usize].clone() });
                        (decisions.len() - 1) as u32
                    }),
                };
                decision.push(to);
            }
        }
        drop(calendar_of);
        let per_decision = count_per_decision(&decision, decisions.len());
        ContactDecisions { decision, decisions, keys, per_decision }
    }
}

/// Input rows per decision, from each row's decision.
fn count_per_decision(decision: &[u32], decisions: usize) -> Vec<usize> {
    let mut per_decision = vec![0usize; decisions];
    for &d in decision {
        per_decision[d as usize] += 1;
    }
    per_decision
}
