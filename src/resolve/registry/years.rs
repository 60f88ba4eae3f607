//! The registry's blocking on years: which parties a name may mean in a year, by Party Facts'
//! years, a union state's membership years and the years DPI names a party.

use std::collections::BTreeSet;

use super::Registry;

impl Registry {
    /// The distinct parties among `hits` whose Party Facts years allow `year` (with the
    /// configured slack); when there are several, those whose years cover `year` exactly, if
    /// that leaves some.
    pub(in crate::resolve) fn narrow_by_year(&self, hits: &[usize], year: i32) -> BTreeSet<i64> {
        let all: BTreeSet<i64> = hits
            .iter()
            .map(|&i| &self.names[i])
            .filter(|n| {
                self.party_in_year(n.partyfacts_id, year) && self.member_in_year(&n.iso3, n.partyfacts_id, year)
            })
            .map(|n| n.partyfacts_id)
            .collect();
        if all.len() < 2 {
            return all;
        }
        let in_year: BTreeSet<i64> = all.iter().copied().filter(|id| self.party_in_years(*id, year, 0)).collect();
        if in_year.is_empty() { all } else { in_year }
    }

    /// Of several parties, the one DPI names in the country-year, if exactly one of them is.
    pub(in crate::resolve) fn dpi_names_one_of(
        &self,
        iso3: &str,
        year: i32,
        ids: impl Iterator<Item = i64>,
    ) -> Option<i64> {
        let named: BTreeSet<i64> = ids.filter(|&id| self.dpi_names(iso3, id, year)).collect();
        (named.len() == 1).then(|| *named.first().expect("one party"))
    }

    /// Whether DPI names the party in the country-year.
    pub(in crate::resolve) fn dpi_names(&self, iso3: &str, id: i64, year: i32) -> bool {
        self.dpi_years
            .get(&(iso3.to_string(), id))
            .is_some_and(|spans| spans.iter().any(|(first, last)| (*first..=*last).contains(&year)))
    }

    /// Whether Party Facts' years of a party allow `year`, with the configured slack: the
    /// blocking on years.
    pub(in crate::resolve) fn party_in_year(&self, id: i64, year: i32) -> bool {
        self.party_in_years(id, year, self.config.year_slack)
    }

    /// Whether a party the country's block holds as a member's of a union state (a Serbian
    /// party under Serbia and Montenegro) was a member's in `year`; true for every other party.
    pub(in crate::resolve) fn member_in_year(&self, iso3: &str, id: i64, year: i32) -> bool {
        self.member_years
            .get(&(iso3.to_string(), id))
            .is_none_or(|spans| spans.iter().any(|(first, last)| *first <= year && last.is_none_or(|l| year <= l)))
    }

    /// Whether Party Facts' years of a party cover `year`, give or take `slack` years.
    fn party_in_years(&self, id: i64, year: i32, slack: i32) -> bool {
        self.parties.get(&id).is_none_or(|p| {
            p.year_first.is_none_or(|f| f <= year + slack)
                && (p.open_ended || p.year_last.is_none_or(|l| year - slack <= l))
        })
    }
}
