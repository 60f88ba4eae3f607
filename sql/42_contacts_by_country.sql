-- contacts_by_country: party interactions by country, with the number of distinct parties (figure 3).
-- reads: interactions, countries
-- grain: one row per country (iso3) with a resolved party
-- key: iso3
with party_interactions as (
    select iso3, partyfacts_id from interactions where outcome = 'matched'
),

names as (
    select distinct iso3, name from countries
),

final as (
    select
        party_interactions.iso3,
        min(names.name) as country,
        count(*) as interactions,
        count(distinct party_interactions.partyfacts_id) as parties
    from party_interactions
    left join names on party_interactions.iso3 = names.iso3
    group by party_interactions.iso3
)

select * from final
order by interactions desc, iso3
