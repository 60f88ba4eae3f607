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
        source_row,
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
        -- Who the row is with: a party by its id; without one, the partner text in its country.
        case when partyfacts_id is null then coalesce(iso3, country) end as key_country,
        case when partyfacts_id is null then lower(partner) end as key_partner,
        -- The row's place in time, packed into one number so that a plain min finds the
        -- first row of an interaction: day, then input row, then party.
        cast(date as int) * cast(68719476736 as bigint) + source_row * 256 + party_seq as row_order
    from enriched_contacts
),

-- Rows that share a news_id count as of the news item's first date.
with_news as (
    select
        *,
        min(day) over (partition by partyfacts_id, key_country, key_partner, news_id) as cluster_day
    from contact_rows
    where news_id is not null
),

dated as (
    select * from with_news
    union all
    select *, day as cluster_day from contact_rows where news_id is null
),

settings as (
    select interaction_window_days as window_days from run_settings
),

-- Without a visit_id: a new interaction starts where the gap to the previous row is larger
-- than the window (gaps and islands).
gaps as (
    select
        dated.*,
        cluster_day - lag(cluster_day) over (
            partition by partyfacts_id, key_country, key_partner
            order by cluster_day, source_row, party_seq
        ) as gap
    from dated
    where visit_id is null
),

islands as (
    select
        gaps.*,
        sum(case when gap is null or gap > (select window_days from settings) then 1 else 0 end) over (
            partition by partyfacts_id, key_country, key_partner
            order by cluster_day, source_row, party_seq
            rows between unbounded preceding and current row
        ) as island
    from gaps
),

keyed as (
    select partyfacts_id, key_country, key_partner, island, visit_id, row_order, date, contact_id from islands
    union all
    select partyfacts_id, key_country, key_partner, null, visit_id, row_order, date, contact_id from dated
    where visit_id is not null
),

grouped as (
    select
        partyfacts_id,
        key_country,
        key_partner,
        island,
        visit_id,
        min(row_order) as first_row,
        min(date) as first_date,
        max(date) as last_date,
        count(*) as contact_rows,
        -- Sorted by id: an ordered aggregate (string_agg ... order by) costs ten times as much.
        array_to_string(array_sort(array_agg(contact_id)), ';') as contact_ids
    from keyed
    group by partyfacts_id, key_country, key_partner, island, visit_id
),

-- Each interaction is described by its first row.
described as (
    select
        row_number() over (
            order by grouped.first_date, grouped.partyfacts_id, grouped.key_country, grouped.key_partner,
                grouped.island, grouped.visit_id
        ) as number,
        grouped.partyfacts_id,
        first.party_name,
        first.dpi_party,
        first.iso3,
        first.country,
        first.partner,
        first.partner_kind,
        first.venue,
        grouped.first_date,
        grouped.last_date,
        first.power_status,
        first.regime,
        first.outcome,
        grouped.contact_rows,
        grouped.contact_ids
    from grouped
    join contact_rows as first on first.row_order = grouped.first_row
),

final as (
    select
        -- i000001 ... i999999, then i1000000 ...
        arrow_cast(
            'i' || case when number < 1000000 then lpad(cast(number as varchar), 6, '0') else cast(number as varchar) end,
            'Utf8'
        ) as interaction_id,
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
        contact_ids,
        number
    from described
)

select * exclude (number) from final
order by number
