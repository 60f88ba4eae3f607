-- interactions: delegation visits as the paper counts them: one per party and visit.
-- reads: int_interaction_groups, contact_rows, enriched_decisions
-- grain: one row per interaction: a party's visit (a joint meeting gives one per party)
-- key: interaction_id
-- Each interaction is described by its first row (by date, then input row, then party);
-- venues lists every venue its rows give.
with groups as (
    select
        *,
        row_number() over (order by first_date, party_key, visit_id, venue_key, visit) as number,
        -- first_row packs the first row's day, input row and party; without the day, its input
        -- row and party are left.
        first_row - cast(first_date as int) * cast(68719476736 as bigint) as first_rest
    from int_interaction_groups
),

-- (groups is read once: DataFusion inlines a common table expression at each use, and a
-- second use numbered every interaction again and joined the two on their number)
described as (
    select
        groups.number,
        first.partyfacts_id,
        first.party_name,
        first.dpi_party,
        first.iso3,
        first.country,
        first.partner,
        first.partner_kind,
        first_rows.venue,
        groups.venues,
        groups.first_date,
        groups.last_date,
        first.power_status,
        first.regime,
        first.outcome,
        groups.contact_rows,
        groups.contact_ids
    from groups
    join contact_rows as first_rows on first_rows.source_row = groups.first_rest / 256
    join enriched_decisions as first
        on first.decision = first_rows.decision and first.party_seq = groups.first_rest % 256
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
        venues,
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
