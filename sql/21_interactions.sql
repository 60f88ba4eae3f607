-- interactions: delegation visits as the paper counts them: one per party and visit.
-- reads: enriched_contacts, run_settings
-- grain: one row per interaction: a party's visit (a joint meeting gives one per party)
-- Rows of the same party (without a party: the same partner text in the same country) merge
-- when they share a visit_id, or, without one, when each follows the previous within
-- run_settings.interaction_window_days (several news items describing one visit). Rows of a
-- party that share a news_id count as of the news item's first date, so they always merge.
with contact_rows as (
    select
        contact_id,
        party_seq,
        date,
        cast(date as int) as day,
        iso3,
        country,
        partner,
        partner_kind,
        venue,
        visit_id,
        news_id,
        partyfacts_id,
        party_name,
        dpi_party,
        power_status,
        regime,
        outcome,
        case
            when partyfacts_id is not null then 'party:' || cast(partyfacts_id as varchar)
            else 'partner:' || coalesce(iso3, country) || ':' || lower(partner)
        end as partner_key
    from enriched_contacts
),

dated as (
    select
        contact_rows.*,
        case
            when news_id is null then day
            else min(day) over (partition by partner_key, news_id)
        end as cluster_day
    from contact_rows
),

settings as (
    select interaction_window_days as window_days from run_settings
),

-- Without a visit_id: a new interaction starts where the gap to the previous row is larger
-- than the window (gaps and islands).
windowed as (
    select
        dated.*,
        case
            when lag(cluster_day) over (partition by partner_key order by cluster_day, contact_id, party_seq) is null
                then 1
            when cluster_day - lag(cluster_day) over (partition by partner_key order by cluster_day, contact_id, party_seq)
                > (select window_days from settings) then 1
            else 0
        end as starts_interaction
    from dated
    where visit_id is null
),

islands as (
    select
        windowed.*,
        partner_key || '|w' || cast(sum(starts_interaction) over (
            partition by partner_key
            order by cluster_day, contact_id, party_seq
            rows between unbounded preceding and current row
        ) as varchar) as interaction_key
    from windowed
),

visits as (
    select dated.*, 0 as starts_interaction, partner_key || '|v' || visit_id as interaction_key
    from dated
    where visit_id is not null
),

keyed as (
    select * from islands
    union all
    select * from visits
),

grouped as (
    select
        interaction_key,
        min(partner_key) as partner_key,
        min(partyfacts_id) as partyfacts_id,
        first_value(party_name order by day, contact_id) as party_name,
        first_value(dpi_party order by day, contact_id) as dpi_party,
        first_value(iso3 order by day, contact_id) as iso3,
        first_value(country order by day, contact_id) as country,
        first_value(partner order by day, contact_id) as partner,
        first_value(partner_kind order by day, contact_id) as partner_kind,
        first_value(venue order by day, contact_id) as venue,
        first_value(power_status order by day, contact_id) as power_status,
        first_value(regime order by day, contact_id) as regime,
        first_value(outcome order by day, contact_id) as outcome,
        min(date) as first_date,
        max(date) as last_date,
        count(*) as contact_rows,
        string_agg(contact_id, ';' order by day, contact_id) as contact_ids
    from keyed
    group by interaction_key
),

final as (
    select
        'i' || lpad(cast(row_number() over (order by first_date, partner_key, interaction_key) as varchar), 6, '0')
            as interaction_id,
        partyfacts_id,
        party_name,
        dpi_party,
        iso3,
        country,
        partner,
        partner_kind,
        venue,
        first_date,
        last_date,
        cast(date_part('year', first_date) as int) as year,
        power_status,
        regime,
        outcome,
        contact_rows,
        contact_ids
    from grouped
)

select * from final
order by interaction_id
