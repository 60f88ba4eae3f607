-- top_partners: parties ranked by interactions (the paper's table 1).
-- reads: interactions, pf_core
-- grain: one row per party with a resolved Party Facts id
-- key: partyfacts_id
-- Ties share a rank and the next rank skips (1, 2, 2, 4), listed by country then name.
with counts as (
    select partyfacts_id, min(iso3) as iso3, count(*) as interactions
    from interactions
    where outcome = 'matched'
    group by partyfacts_id
),

parties as (
    select partyfacts_id, name_short, coalesce(nullif(name_english, ''), name) as party_name from pf_core
),

final as (
    select
        rank() over (order by counts.interactions desc) as rank,
        counts.partyfacts_id,
        parties.name_short as abbreviation,
        parties.party_name,
        counts.iso3,
        counts.interactions
    from counts
    left join parties on counts.partyfacts_id = parties.partyfacts_id
)

select * from final
order by rank, iso3, party_name
