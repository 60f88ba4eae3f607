-- int_dpi_country_years: what DPI says about each country-year as a whole.
-- reads: dpi, int_dpi_parties_linked
-- grain: one row per iso3 and year that has a DPI row
-- key: iso3, year
with country_years as (
    select distinct iso3, year from dpi
),

parties as (
    select
        iso3,
        year,
        count(*) filter (where role = 'government') as government_parties,
        count(*) filter (where role = 'government' and partyfacts_id is null) as unlinked_government_parties,
        count(*) filter (where role = 'opposition') as opposition_parties
    from int_dpi_parties_linked
    group by iso3, year
),

final as (
    select
        country_years.iso3,
        country_years.year,
        coalesce(parties.government_parties, 0) as government_parties,
        coalesce(parties.unlinked_government_parties, 0) as unlinked_government_parties,
        coalesce(parties.opposition_parties, 0) as opposition_parties
    from country_years
    left join parties on country_years.iso3 = parties.iso3 and country_years.year = parties.year
)

select * from final
order by iso3, year
