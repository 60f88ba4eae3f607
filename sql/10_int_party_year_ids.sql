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
    select distinct iso3, cast(year + shift as int) as year, partyfacts_id
    from contact_years
    cross join (values (0), (1)) as shifts(shift)
),

-- The ids a party may be recorded under besides its own, and from and until which year (a
-- succession from its year on).
links as (
    select
        iso3,
        member_partyfacts_id as partyfacts_id,
        unit_partyfacts_id as recorded_partyfacts_id,
        'unit' as dpi_link,
        year_first,
        year_last
    from party_units
    union all
    select iso3, successor_partyfacts_id, predecessor_partyfacts_id, 'predecessor', year, cast(null as int)
    from party_successions
    where year is not null
),

-- Each party-year once with its own id, and once with each id it links to in that year.
-- (party_years is read once: DataFusion inlines a common table expression at each use, and a
-- union of the party's own id and its links read every contact decision once per branch.)
final as (
    select
        party_years.iso3,
        party_years.year,
        party_years.partyfacts_id,
        case when sides.linked then links.recorded_partyfacts_id else party_years.partyfacts_id end
            as recorded_partyfacts_id,
        case when sides.linked then links.dpi_link else 'party' end as dpi_link
    from party_years
    cross join (values (false), (true)) as sides(linked)
    left join links
        on sides.linked
        and party_years.iso3 = links.iso3
        and party_years.partyfacts_id = links.partyfacts_id
        and (links.year_first is null or links.year_first <= party_years.year)
        and (links.year_last is null or party_years.year <= links.year_last)
    where not sides.linked or links.dpi_link is not null
)

select * from final
order by iso3, year, partyfacts_id, recorded_partyfacts_id
