//! The contact ids checked: every one there, free of control characters, and used once.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault};

use anyhow::Result;
use arrow::array::{Array, Int64Array, StringArray};

use super::MAX_NAME_BYTES;
use crate::load::read::text_table::shown;
use crate::shared::parallel;

/// Every contact_id is there, free of control characters, and used once; the error is that of
/// the first bad row. The ids are told apart by a 64-bit hash, and two ids with one hash
/// compared in full, so that ten million ids are checked without a table of strings. The ids
/// are dealt over the threads by their hash (a repeated id falls to the thread that saw it
/// first); each thread stops at its first bad row, and the earliest of those is the file's.
pub fn check_ids(
    ids: &StringArray,
    rows: &Int64Array,
    err: impl Fn(usize, &str, &str, &str) -> anyhow::Error + Sync,
) -> Result<()> {
    let _timer = crate::shared::timing::start(|| format!("checking {} contact ids", ids.len()));
    let parts: Vec<u64> = (0..parallel::threads().max(1) as u64).collect();
    let first_bad = parallel::map(&parts, 1, |&part| check_part(ids, rows, &err, part, parts.len() as u64));
    match first_bad.into_iter().flatten().min_by_key(|(row, _)| *row) {
        Some((_, error)) => Err(error),
        None => Ok(()),
    }
}

/// The first bad row among the ids whose hash falls to `part` of `parts`, and its error.
fn check_part(
    ids: &StringArray,
    rows: &Int64Array,
    err: &impl Fn(usize, &str, &str, &str) -> anyhow::Error,
    part: u64,
    parts: u64,
) -> Option<(usize, anyhow::Error)> {
    let state = foldhash::fast::FixedState::default();
    // First row by hash; rows whose hash an earlier id had, by hash, for the exact comparison.
    let mut first: HashMap<u64, u32, BuildHasherDefault<NoHash>> =
        HashMap::with_capacity_and_hasher(ids.len() / parts as usize, BuildHasherDefault::default());
    let mut shared: HashMap<u64, Vec<u32>> = HashMap::new();
    for i in 0..ids.len() {
        let id = if ids.is_valid(i) { ids.value(i) } else { "" };
        let hash = state.hash_one(id);
        // Dealt by bits the table does not place entries by.
        if (hash >> 32) % parts != part {
            continue;
        }
        let bad = |column_value: &str, problem: &str| Some((i, err(i, "contact_id", column_value, problem)));
        if id.is_empty() {
            return bad(id, "empty contact_id; every contact needs one");
        }
        // Interactions list their rows' ids joined; a control character has no place in an id.
        if id.bytes().any(|b| b.is_ascii_control()) {
            return bad(&shown(id), "a contact_id may not hold control characters");
        }
        if id.len() > MAX_NAME_BYTES {
            return bad(&shown(id), &format!("longer than {MAX_NAME_BYTES} bytes"));
        }
        let Some(&earlier) = first.get(&hash) else {
            first.insert(hash, i as u32);
            continue;
        };
        let others = shared.entry(hash).or_insert_with(|| vec![earlier]);
        if let Some(&same) = others.iter().find(|&&j| ids.value(j as usize) == id) {
            return bad(id, &format!("duplicate contact_id, first used at row {}", rows.value(same as usize)));
        }
        others.push(i as u32);
    }
    None
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct NoHash(u64);

impl std::hash::Hasher for NoHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_bad(ids: &[Option<&str>], parts: u64) -> Option<(usize, String)> {
        let (ids, rows) = (StringArray::from(ids.to_vec()), Int64Array::from_iter_values(1..=ids.len() as i64));
        let err = |i: usize, _: &str, value: &str, problem: &str| anyhow::anyhow!("row {}: {value}: {problem}", i + 1);
        let found: Vec<_> = (0..parts).filter_map(|part| check_part(&ids, &rows, &err, part, parts)).collect();
        found.into_iter().min_by_key(|(row, _)| *row).map(|(row, e)| (row, e.to_string()))
    }

    #[test]
    fn the_first_bad_row_is_found_however_the_ids_are_dealt() {
        let ids: Vec<String> = (0..500).map(|i| format!("c{i}")).collect();
        let mut with: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
        for parts in [1, 2, 3, 7] {
            assert!(first_bad(&with, parts).is_none(), "{parts}");
        }
        with[300] = Some("c17");
        with[420] = None;
        with[450] = Some("c4\u{7}");
        for parts in [1, 2, 3, 7] {
            let (row, message) = first_bad(&with, parts).unwrap();
            assert_eq!(row, 300, "{parts}: {message}");
            assert!(message.contains("duplicate contact_id, first used at row 18"), "{message}");
        }
        with[300] = Some("c300");
        for parts in [1, 2, 3, 7] {
            assert_eq!(first_bad(&with, parts).unwrap().0, 420, "{parts}");
        }
    }
}
