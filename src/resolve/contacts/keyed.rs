//! The decisions of contacts whose distinct keys were found elsewhere (by a Ballista cluster,
//! `run --cluster`): each distinct (country as written, year, partner as written, kind, cabinet
//! in office) with its first input row and its number of rows. They are decided as
//! [`resolve_contacts`](super::resolve_contacts) decides a file's contacts, and numbered as
//! [`ContactDecisions::split_by_cabinet`] numbers them: by first row.

use super::{ContactDecision, ContactDecisions, ContactKey, RowKey, resolve_keys};
use crate::load::countries::Countries;
use crate::resolve::{FastMap, Registry};
use crate::shared::timing;

/// One distinct contact as a cluster found it.
#[derive(Debug, Clone, Copy)]
pub struct DistinctContact<'a> {
    pub key: RowKey<'a>,
    /// The ParlGov cabinet in office on the rows' dates, where the calendar covers them.
    pub cabinet_id: Option<i64>,
    /// The first of its input rows (`source_row`).
    pub first_row: i64,
    /// Its input rows.
    pub contacts: usize,
}

impl ContactDecisions {
    /// Decides `distinct` (in any order): keys that differ only by cabinet share their
    /// resolution. No row's decision is known here (`decision` is empty); `per_decision` is
    /// each distinct contact's count.
    pub fn of_distinct(registry: &Registry, countries: &Countries, mut distinct: Vec<DistinctContact>) -> Self {
        let timer = timing::start(|| "finding the distinct contacts".into());
        // A row belongs to one distinct contact: first rows are unique.
        distinct.sort_unstable_by_key(|d| d.first_row);
        let mut index: FastMap<RowKey, u32> = FastMap::default();
        let mut found: Vec<RowKey> = Vec::new();
        let resolution: Vec<u32> = distinct
            .iter()
            .map(|d| {
                let next = found.len() as u32;
                let at = *index.entry(d.key).or_insert(next);
                if at == next {
                    found.push(d.key);
                }
                at
            })
            .collect();
        drop(index);
        let (resolved, resolved_keys) = resolve_keys(registry, countries, found, timer);
        let decisions: Vec<ContactDecision> = resolution.iter().map(|&r| resolved[r as usize].clone()).collect();
        let keys = resolution
            .iter()
            .zip(&distinct)
            .map(|(&r, d)| ContactKey { cabinet_id: d.cabinet_id, ..resolved_keys[r as usize].clone() })
            .collect();
        ContactDecisions {
            decision: Vec::new(),
            decisions,
            keys,
            per_decision: distinct.iter().map(|d| d.contacts).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::cabinets::Cabinets;
    use crate::load::read::contacts::{Contacts, Texts};
    use crate::resolve::ResolverConfig;
    use crate::resolve::{CandidateName, NameKind};
    use arrow::array::{Array, Date32Array, Int32Array, Int64Array, RecordBatch, StringArray};

    fn registry() -> Registry {
        let name = |id: i64, name: &str| CandidateName {
            iso3: "JPN".into(),
            partyfacts_id: id,
            name: name.into(),
            kind: NameKind::Full,
            origin: "partyfacts".into(),
            year_first: None,
            year_last: None,
        };
        let names = vec![name(1, "Liberal Democratic Party"), name(2, "Democratic Party of Japan")];
        Registry::new(names, Vec::new(), ResolverConfig::default())
    }

    /// Contacts of (country, days since 1970, partner, partner kind), numbered from row 2.
    fn contacts_of(rows: &[(&'static str, i32, &'static str, &'static str)]) -> Contacts {
        let text = |f: fn(&(&'static str, i32, &'static str, &'static str)) -> &'static str| {
            StringArray::from(rows.iter().map(f).collect::<Vec<_>>())
        };
        Contacts {
            file: "contacts.csv".into(),
            contact_id: StringArray::from((0..rows.len()).map(|i| i.to_string()).collect::<Vec<_>>()),
            date: Date32Array::from(rows.iter().map(|r| r.1).collect::<Vec<_>>()),
            country: Texts::new(text(|r| r.0)).unwrap(),
            partner: text(|r| r.2),
            venue: Texts::new(StringArray::new_null(rows.len())).unwrap(),
            partner_kind: Texts::new(text(|r| r.3)).unwrap(),
            news_id: StringArray::new_null(rows.len()),
            visit_id: StringArray::new_null(rows.len()),
            source_row: Int64Array::from((2..2 + rows.len() as i64).collect::<Vec<_>>()),
            extra: RecordBatch::new_empty(std::sync::Arc::new(arrow::datatypes::Schema::empty())),
        }
    }

    #[test]
    fn the_table_made_as_the_decisions_are_freed_is_the_table() {
        let (registry, countries) = (registry(), Countries::embedded().unwrap());
        let rows = [
            ("Japan", 14245, "Liberal Democratic Party", "party"),
            (
                "Japan",
                14245,
                "a joint delegation of the Liberal Democratic Party and the Democratic Party of Japan",
                "party",
            ),
            ("Japan", 14245, "a trade union", "non_party"),
            ("Atlantis", 14245, "Liberal Democratic Party", "party"),
        ];
        let one = crate::resolve::contacts::resolve_contacts(
            &registry,
            &countries,
            &Cabinets::default(),
            &contacts_of(&rows),
        );
        assert_eq!(one.widths(), [1, 2, 1, 1]);
        // Enough of them for several slices, a slice's last decision naming two parties.
        let many = || {
            let times = 6000;
            ContactDecisions {
                decision: Vec::new(),
                decisions: one.decisions.iter().cycle().take(4 * times).cloned().collect(),
                keys: one.keys.iter().cycle().take(4 * times).cloned().collect(),
                per_decision: (0..4 * times).collect(),
            }
        };
        let slices = many().table_slices(&registry).unwrap();
        let freed = many().into_table_slices(&registry, &many().widths()).unwrap();
        // The same rows, the texts that repeat packed as dictionaries, in every slice alike.
        assert_eq!(slices.len(), freed.len());
        for (plain, packed) in slices.iter().zip(&freed) {
            assert_eq!(packed.schema(), freed[0].schema());
            assert!(packed.get_array_memory_size() < plain.get_array_memory_size());
            for (p, k) in plain.columns().iter().zip(packed.columns()) {
                assert_eq!(&arrow::compute::cast(k, p.data_type()).unwrap(), p);
            }
        }
        let outcome = freed[0].schema().field_with_name("outcome").unwrap().data_type().clone();
        assert!(matches!(outcome, arrow::datatypes::DataType::Dictionary(..)));
        assert_eq!(slices.len(), 4);
        // The first slice ends with a decision of two parties that its 8,192nd row began.
        assert_eq!(slices[0].num_rows(), super::super::table::TABLE_SLICE + 1);
        for slice in &slices[..3] {
            // Whole decisions: a slice starts at a decision's first party.
            let seq = slice.column_by_name("party_seq").unwrap().as_any().downcast_ref::<Int32Array>().unwrap();
            assert_eq!(seq.value(0), 1);
            assert!(slice.num_rows() >= super::super::table::TABLE_SLICE);
        }
        let rows: usize = slices.iter().map(RecordBatch::num_rows).sum();
        assert_eq!(rows, 5 * 6000);
    }

    #[test]
    fn distinct_contacts_get_the_decisions_and_numbers_of_a_files_contacts() {
        let (registry, countries) = (registry(), Countries::embedded().unwrap());
        let rows = [
            ("Japan", 14245, "Liberal Democratic Party", "party"),
            ("Japan", 14700, "Liberal Democratic Party", "party"),
            ("Atlantis", 14245, "Liberal Democratic Party", "party"),
            ("Japan", 14245, "Democratic Party of Japan", "party"),
            ("Japan", 14245, "Liberal Democratic Party", "party"),
            ("Japan", 14245, "a trade union", "non_party"),
            ("Japan", 14250, "Liberal Democratic Party", "party"),
        ];
        let contacts = contacts_of(&rows);
        // No cabinet file: the split keeps each key whole.
        let local = crate::resolve::contacts::resolve_contacts(&registry, &countries, &Cabinets::default(), &contacts);
        // The cluster's distinct contacts, out of order, the first split by two cabinets.
        let key = |at: usize| -> RowKey<'static> {
            let (country, days, partner, kind) = rows[at];
            let year = crate::resolve::contacts::year_of_days(days);
            RowKey { country, year, partner, non_party: kind == "non_party" }
        };
        let distinct = vec![
            DistinctContact { key: key(5), cabinet_id: None, first_row: 7, contacts: 1 },
            DistinctContact { key: key(0), cabinet_id: Some(20), first_row: 8, contacts: 1 },
            DistinctContact { key: key(1), cabinet_id: None, first_row: 3, contacts: 1 },
            DistinctContact { key: key(0), cabinet_id: Some(10), first_row: 2, contacts: 2 },
            DistinctContact { key: key(2), cabinet_id: None, first_row: 4, contacts: 1 },
            DistinctContact { key: key(3), cabinet_id: None, first_row: 5, contacts: 1 },
        ];
        let cluster = ContactDecisions::of_distinct(&registry, &countries, distinct);
        assert!(cluster.decision.is_empty());
        assert_eq!(cluster.per_decision, [2, 1, 1, 1, 1, 1]);
        let cabinets: Vec<_> = cluster.keys.iter().map(|k| k.cabinet_id).collect();
        assert_eq!(cabinets, [Some(10), None, None, None, None, Some(20)]);
        // The same decisions, in the order of first rows, as the file's own.
        let described = |d: &ContactDecisions, at: usize| {
            let (decision, key) = (&d.decisions[at], &d.keys[at]);
            let ids: Vec<i64> = decision.party.iter().flat_map(|p| p.matches.iter().map(|m| m.partyfacts_id)).collect();
            (key.country.to_string(), key.year, key.partner.to_string(), decision.outcome, ids)
        };
        for at in 0..5 {
            assert_eq!(described(&cluster, at), described(&local, at), "decision {at}");
        }
        assert_eq!(described(&cluster, 5), described(&local, 0), "a cabinet's split shares its resolution");
        assert_eq!(cluster.outcomes(), local.outcomes());
        assert_eq!(local.decision, [0, 1, 2, 3, 0, 4, 0]);
    }
}
