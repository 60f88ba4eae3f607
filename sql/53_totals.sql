-- totals: the counts the paper quotes in its text (news items, contacts, parties, countries).
-- reads: contact_rows, enriched_decisions, interactions
-- grain: one row per measure
-- key: measure
-- news_items counts the distinct news_id of the period's contact rows (0 when the contacts give
-- none); parties and countries are those of interactions with a resolved party. in_review and
-- out_of_period count input rows, the rest interactions.
with rows_in as (
    select contact_rows.news_id, decisions.in_period, decisions.outcome
    from contact_rows
    join enriched_decisions as decisions
        on contact_rows.decision = decisions.decision and decisions.party_seq = 1
),

measures as (
    select 1 as position, 'news_items' as measure, count(distinct news_id) filter (where in_period) as value
    from rows_in
    union all
    select 2, 'contact_rows', count(*) from rows_in
    union all
    select 3, 'contact_rows_in_period', count(*) filter (where in_period) from rows_in
    union all
    select 4, 'interactions', count(*) from interactions
    union all
    select 5, 'party_interactions', count(*) filter (where outcome = 'matched') from interactions
    union all
    select 6, 'non_party_interactions', count(*) filter (where outcome in ('non_party', 'not_a_party'))
    from interactions
    union all
    select 7, 'parties', count(distinct partyfacts_id) filter (where outcome = 'matched') from interactions
    union all
    select 8, 'countries', count(distinct iso3) filter (where outcome = 'matched') from interactions
    union all
    select 9, 'in_review', count(*) filter (where in_period and outcome in ('review_party', 'review_country'))
    from rows_in
    union all
    select 10, 'out_of_period', count(*) filter (where not in_period) from rows_in
),

final as (
    select position, measure, value from measures
)

select measure, value from final
order by position
