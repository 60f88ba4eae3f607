-- contacts_by_venue_year: interactions by venue (in China or abroad) and year (figure 2).
-- reads: interactions
-- grain: one row per year and venue (unknown where the input gives none)
-- key: year, venue
-- A visit whose rows give both venues (rows tied by a visit_id or a news item) counts once under
-- each, so the venues of a year can add up to more than its interactions.
with venues as (
    select year, 'abroad' as venue from interactions where venues like '%abroad%'
    union all
    select year, 'china' from interactions where venues like '%china%'
    union all
    select year, 'unknown' from interactions where coalesce(venues, '') = ''
),

final as (
    select year, venue, count(*) as interactions
    from venues
    group by year, venue
)

select * from final
order by year, venue
