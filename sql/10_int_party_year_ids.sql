-- int_party_year_ids: the Party Facts ids under which a source may record each matched party in a country-year.
-- reads: contact_decisions, party_units, party_successions
-- grain: one row per country, year, party (among the matched contacts' years and the year after each) and id it may be recorded under
-- key: iso3, year, partyfacts_id, recorded_partyfacts_id
-- dpi_link names how:
--   party: the party's own id;
--   unit: the unit it belongs to (reference/party_units.csv: the CSU within CDU/CSU);
--   predecessor: a party it succeeded, from the year of the succession on
--     (reference/party_successions.csv: Unity and Fatherland-All Russia for United Russia from 2001).
-- DPI describes 1 January, so the year after each contact's is here too (dpi_stable).
with contact_years as (
    select distinct iso3, year, partyfacts_id
    from contact_decisions
    where partyfacts_id is not null
),

party_years as (
    select iso3, year, partyfacts_id from contact_years
    union
    select iso3, cast(year + 1 as int), partyfacts_id from contact_years
),

final as (
    select iso3, year, partyfacts_id, partyfacts_id as recorded_partyfacts_id, 'party' as dpi_link
    from party_years
    union all
    select party_years.iso3, party_years.year, party_years.partyfacts_id, party_units.unit_partyfacts_id, 'unit'
    from party_years
    join party_units
        on party_years.iso3 = party_units.iso3
        and party_years.partyfacts_id = party_units.member_partyfacts_id
        and (party_units.year_first is null or party_units.year_first <= party_years.year)
        and (party_units.year_last is null or party_years.year <= party_units.year_last)
    union all
    select party_years.iso3, party_years.year, party_years.partyfacts_id,
        party_successions.predecessor_partyfacts_id, 'predecessor'
    from party_years
    join party_successions
        on party_years.iso3 = party_successions.iso3
        and party_years.partyfacts_id = party_successions.successor_partyfacts_id
        and party_successions.year <= party_years.year
)

select * from final
order by iso3, year, partyfacts_id, recorded_partyfacts_id
