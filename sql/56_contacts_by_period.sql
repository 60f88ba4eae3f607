-- contacts_by_period: interactions, parties, countries and power shares by period.
-- reads: interactions, run_settings
-- grain: one row per period
-- key: period
-- The periods are before and since run_settings.period_split (the paper's comparisons before and
-- after 2013).
-- The shares divide by the period's party interactions with a known power status, as
-- power_shares' known_status base.
with periods as (
    select
        case
            when interactions.year < run_settings.period_split then 'before_' || cast(run_settings.period_split as varchar)
            else 'since_' || cast(run_settings.period_split as varchar)
        end as period,
        interactions.year < run_settings.period_split as earlier,
        interactions.year,
        interactions.outcome,
        interactions.partyfacts_id,
        interactions.iso3,
        interactions.power_status
    from run_settings
    cross join interactions
),

counts as (
    select
        period,
        earlier,
        min(year) as first_year,
        max(year) as last_year,
        count(*) as interactions,
        count(*) filter (where outcome = 'matched') as party_interactions,
        count(distinct partyfacts_id) filter (where outcome = 'matched') as parties,
        count(distinct iso3) filter (where outcome = 'matched') as countries,
        count(*) filter (where outcome = 'matched' and power_status = 'government') as government,
        count(*) filter (where outcome = 'matched' and power_status = 'opposition') as opposition
    from periods
    group by period, earlier
),

final as (
    select
        period,
        earlier,
        first_year,
        last_year,
        interactions,
        party_interactions,
        parties,
        countries,
        government,
        opposition,
        case when government + opposition > 0 then round(cast(government as double) / (government + opposition), 4) end
            as government_share,
        case when government + opposition > 0 then round(cast(opposition as double) / (government + opposition), 4) end
            as opposition_share
    from counts
)

select * exclude (earlier) from final
order by earlier desc
