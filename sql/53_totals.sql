-- totals: the counts the paper quotes in its text (news items, contacts, parties, countries).
-- reads: contact_rows, enriched_decisions, interactions
-- grain: one row per measure
-- key: measure
-- news_items counts the distinct news_id of the period's contact rows (0 when the contacts give
-- none); parties and countries are those of interactions with a resolved party. in_review and
-- out_of_period count input rows (a decision's contacts), the rest interactions.
-- A decision's contacts counts its input rows, so only the news items need the rows themselves.
with decisions as (
    select in_period, outcome, contacts from enriched_decisions where party_seq = 1
),

news_rows as (
    select contact_rows.news_id
    from contact_rows
    join enriched_decisions as decisions
        on contact_rows.decision = decisions.decision and decisions.party_seq = 1
    where contact_rows.news_id is not null and decisions.in_period
),

-- Each table is read once, all its measures in one row: DataFusion inlines a common table
-- expression at each use, and a union of one select per measure joined every contact row to
-- its decision five times.
row_counts as (
    select
        (select count(distinct news_id) from news_rows) as news_items,
        cast(coalesce(sum(contacts), 0) as bigint) as contact_rows,
        cast(coalesce(sum(contacts) filter (where in_period), 0) as bigint) as contact_rows_in_period,
        cast(
            coalesce(sum(contacts) filter (where in_period and outcome in ('review_party', 'review_country')), 0)
            as bigint
        ) as in_review,
        cast(coalesce(sum(contacts) filter (where not in_period), 0) as bigint) as out_of_period
    from decisions
),

interaction_counts as (
    select
        count(*) as interactions,
        count(*) filter (where outcome = 'matched') as party_interactions,
        count(*) filter (where outcome in ('non_party', 'not_a_party')) as non_party_interactions,
        count(distinct partyfacts_id) filter (where outcome = 'matched') as parties,
        count(distinct iso3) filter (where outcome = 'matched') as countries
    from interactions
),

measures as (
    select position, measure from (
        values
            (1, 'news_items'),
            (2, 'contact_rows'),
            (3, 'contact_rows_in_period'),
            (4, 'interactions'),
            (5, 'party_interactions'),
            (6, 'non_party_interactions'),
            (7, 'parties'),
            (8, 'countries'),
            (9, 'in_review'),
            (10, 'out_of_period')
    ) as listed (position, measure)
),

final as (
    select
        measures.position,
        measures.measure,
        case measures.position
            when 1 then row_counts.news_items
            when 2 then row_counts.contact_rows
            when 3 then row_counts.contact_rows_in_period
            when 4 then interaction_counts.interactions
            when 5 then interaction_counts.party_interactions
            when 6 then interaction_counts.non_party_interactions
            when 7 then interaction_counts.parties
            when 8 then interaction_counts.countries
            when 9 then row_counts.in_review
            when 10 then row_counts.out_of_period
            -- (every position is listed above; an else keeps the column non-null, as counts are)
            else 0
        end as value
    from measures
    cross join row_counts
    cross join interaction_counts
)

select measure, value from final
order by position
