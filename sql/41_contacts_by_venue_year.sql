-- contacts_by_venue_year: interactions by venue (in China or abroad) and year (figure 2).
-- reads: interactions
-- grain: one row per year and venue (unknown where the input gives none)
-- key: year, venue
with venues as (
    select year, coalesce(venue, 'unknown') as venue from interactions
),

final as (
    select year, venue, count(*) as interactions
    from venues
    group by year, venue
)

select * from final
order by year, venue
