-- int_interaction_groups: the contact rows each interaction merges, before it is described.
-- reads: contact_rows, enriched_decisions, run_settings
-- grain: one row per interaction: a party's visit (a joint meeting gives one per party)
-- key: party_key, island, visit_id
-- Rows of the same party (without a party: the same partner text in the same country) merge
-- when they share a visit_id, or, without one, when each follows the previous within
-- run_settings.interaction_window_days (several news items describing one visit). Rows of a
-- party that share a news_id count as of the news item's first date, so they always merge.
-- The rows are enriched_contacts': contact_rows joined to enriched_decisions on decision;
-- party_key numbers who a row is with.
with contacts as (
    select
        contact_rows.contact_id,
        decisions.party_key,
        contact_rows.date,
        cast(contact_rows.date as int) as day,
        contact_rows.visit_id,
        contact_rows.news_id,
        -- The row's place in time, packed into one number so that a plain min finds the
        -- first row of an interaction: day, then input row, then party.
        cast(contact_rows.date as int) * cast(68719476736 as bigint) + contact_rows.source_row * 256
            + decisions.party_seq as row_order
    from contact_rows
    join enriched_decisions as decisions on contact_rows.decision = decisions.decision
),

-- Rows that share a news_id count as of the news item's first date.
with_news as (
    select
        *,
        min(day) over (partition by party_key, news_id) as cluster_day
    from contacts
    where news_id is not null
),

dated as (
    select * from with_news
    union all
    select *, day as cluster_day from contacts where news_id is null
),

settings as (
    select interaction_window_days as window_days from run_settings
),

-- A party's rows of one visit belong together; without a visit_id, its rows of one day, and a
-- new interaction starts where the gap to the party's previous day is larger than the window
-- (gaps and islands). Ids are joined by the unit separator (which the contacts reader refuses
-- in an id) until they are sorted.
row_groups as (
    select
        party_key,
        visit_id,
        case when visit_id is null then cluster_day end as cluster_day,
        min(row_order) as first_row,
        min(date) as first_date,
        max(date) as last_date,
        count(*) as contact_rows,
        string_agg(contact_id, chr(31)) as contact_ids
    from dated
    group by party_key, visit_id, case when visit_id is null then cluster_day end
),

islands as (
    select
        *,
        sum(starts) over (
            partition by party_key order by cluster_day rows between unbounded preceding and current row
        ) as island
    from (
        select
            row_groups.*,
            case
                when lag(cluster_day) over (partition by party_key order by cluster_day) is null then 1
                when cluster_day - lag(cluster_day) over (partition by party_key order by cluster_day)
                    > settings.window_days then 1
                else 0
            end as starts
        from row_groups
        cross join settings
        where visit_id is null
    )
),

keyed as (
    select party_key, island, visit_id, first_row, first_date, last_date, contact_rows, contact_ids
    from islands
    union all
    select party_key, null, visit_id, first_row, first_date, last_date, contact_rows, contact_ids
    from row_groups
    where visit_id is not null
),

final as (
    select
        party_key,
        island,
        visit_id,
        min(first_row) as first_row,
        min(first_date) as first_date,
        max(last_date) as last_date,
        sum(contact_rows) as contact_rows,
        -- Sorted by id (sorted_ids is partylink's: split on the separator, sort, join by ';'); an
        -- ordered aggregate (string_agg ... order by) costs ten times as much.
        sorted_ids(string_agg(contact_ids, chr(31))) as contact_ids
    from keyed
    group by party_key, island, visit_id
)

select * from final
order by first_date, party_key, island, visit_id
