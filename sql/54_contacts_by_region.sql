-- contacts_by_region: party interactions by year and region (UN M49, reference/countries.csv).
-- reads: interactions, countries
-- grain: one row per year and region (unknown where the country has none)
-- key: year, region
with regions as (
    select iso3, min(region) as region from countries group by iso3
),

party_interactions as (
    select interactions.year, coalesce(regions.region, 'unknown') as region
    from interactions
    left join regions on interactions.iso3 = regions.iso3
    where interactions.outcome = 'matched'
),

final as (
    select
        year,
        region,
        count(*) as interactions,
        round(cast(count(*) as double) / sum(count(*)) over (partition by year), 4) as share_of_year
    from party_interactions
    group by year, region
)

select * from final
order by year, region
