//! The distinct (country as written, year, partner as written, kind) of a contacts file, on
//! every thread: each thread reads every row and keeps the keys whose (country, partner) hash
//! falls to it, so that each key's table lookups, the cost at ten million rows, are made once,
//! on one thread; the threads' keys are then merged in the order of their first row. The same
//! keys and numbering as one thread reading the rows in order.

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU32, Ordering};

use arrow::array::{Date32Array, StringArray};
use foldhash::fast::FixedState;

use super::year_of_days;
use crate::load::read::contacts::{Contacts, Texts};
use crate::resolve::FastMap;
use crate::shared::parallel;

/// A contact as resolution sees it: what it decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowKey<'a> {
    pub country: &'a str,
    pub year: i32,
    pub partner: &'a str,
    pub non_party: bool,
}

/// The distinct keys in the order of their first row, and each row's index into them.
pub fn distinct_keys(contacts: &Contacts) -> (Vec<RowKey<'_>>, Vec<u32>) {
    keys_on((&contacts.country, &contacts.partner, &contacts.partner_kind), &contacts.date, parallel::threads())
}

/// [`distinct_keys`] of the country, partner and kind columns and the dates, dealt over
/// `threads` parts.
fn keys_on<'a>(
    (country, partner, kind): (&'a Texts, &'a StringArray, &'a Texts),
    date: &Date32Array,
    threads: usize,
) -> (Vec<RowKey<'a>>, Vec<u32>) {
    let rows = date.len();
    // A row's slot holds its key's index in its part's keys, times the parts, plus the part.
    let threads = match threads.max(1) {
        t if (rows as u64).saturating_mul(t as u64) < u32::MAX as u64 => t,
        _ => 1,
    };
    // Another seed than the tables': a thread's keys would otherwise share their hash's low bits.
    let deal = FixedState::with_seed(0x9e37_79b9_7f4a_7c15);
    let slot: Vec<AtomicU32> = (0..rows).map(|_| AtomicU32::new(0)).collect();
    let parts: Vec<u32> = (0..threads as u32).collect();
    let found: Vec<Vec<(u32, RowKey)>> = parallel::map(&parts, 1, |&part| {
        let mut index: FastMap<RowKey, u32> = FastMap::default();
        let mut keys: Vec<(u32, RowKey)> = Vec::new();
        for (i, slot) in slot.iter().enumerate() {
            let (country, partner) = (country.value(i), partner.value(i));
            if threads > 1 && deal.hash_one((country, partner)) % threads as u64 != part as u64 {
                continue;
            }
            let key =
                RowKey { country, year: year_of_days(date.value(i)), partner, non_party: kind.value(i) == "non_party" };
            let next = keys.len() as u32;
            let local = *index.entry(key).or_insert(next);
            if local == next {
                keys.push((i as u32, key));
            }
            slot.store(local * threads as u32 + part, Ordering::Relaxed);
        }
        keys
    });
    // Merged by first row (each thread's keys are in that order already).
    let mut global: Vec<Vec<u32>> = found.iter().map(|keys| vec![0; keys.len()]).collect();
    let mut distinct = Vec::with_capacity(found.iter().map(Vec::len).sum());
    parallel::merge_sorted(
        &found,
        |a, b| a.0.cmp(&b.0),
        |t, i| {
            global[t][i] = distinct.len() as u32;
            distinct.push(found[t][i].1);
        },
    );
    // Each row's key on every thread (at 10^7 contacts, about 0.2 s on one).
    let decision = parallel::map(&slot, 1 << 16, |s| {
        let s = s.load(Ordering::Relaxed) as usize;
        global[s % threads][s / threads]
    });
    (distinct, decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_numbered_by_first_row_on_any_number_of_threads() {
        let countries = ["Japan", "Japan", "Chile", "Japan", "Chile", "Japan", "Japan"];
        let partners = ["LDP", "DPJ", "PS", "LDP", "PS", "LDP", "NGO"];
        // 2009-01-01, 2009-06-01, 2010-01-01 ...
        let days = [14245, 14396, 14610, 14245, 14245, 14610, 14245];
        let kinds = ["party", "party", "party", "party", "party", "party", "non_party"];
        let (countries, partners, kinds) = (
            Texts::new(StringArray::from(countries.to_vec())).unwrap(),
            StringArray::from(partners.to_vec()),
            Texts::new(StringArray::from(kinds.to_vec())).unwrap(),
        );
        let days = Date32Array::from(days.to_vec());
        let expected_keys =
            [("Japan", 2009, "LDP"), ("Japan", 2009, "DPJ"), ("Chile", 2010, "PS"), ("Chile", 2009, "PS")];
        for threads in [1, 2, 3, 8] {
            let (keys, decision) = keys_on((&countries, &partners, &kinds), &days, threads);
            let seen: Vec<_> = keys.iter().map(|k| (k.country, k.year, k.partner)).collect();
            assert_eq!(&seen[..4], expected_keys, "{threads} threads");
            assert_eq!(seen[4], ("Japan", 2010, "LDP"));
            assert!(keys[5].non_party && !keys[4].non_party);
            assert_eq!(decision, [0, 1, 2, 0, 3, 4, 5], "{threads} threads");
        }
    }
}
