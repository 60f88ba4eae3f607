-- power_by_period: party interactions by power status before and since run_settings.period_split.
-- reads: interactions, run_settings
-- grain: one row per period and power_status
-- key: period, power_status
-- period is before_YEAR or since_YEAR (--period-split, 2013 by default: Xi Jinping's first full
-- year as General Secretary, the paper's comparison). share_of_period divides by the period's
-- party interactions, unknown status included; share_of_period_known by those with a known one.
with periods as (
    select
        case
            when interactions.year < run_settings.period_split then 'before_' || cast(run_settings.period_split as varchar)
            else 'since_' || cast(run_settings.period_split as varchar)
        end as period,
        interactions.year < run_settings.period_split as earlier,
        interactions.power_status
    from run_settings
    cross join interactions
    where interactions.outcome = 'matched'
),

counts as (
    select period, earlier, power_status, count(*) as interactions
    from periods
    group by period, earlier, power_status
),

final as (
    select
        period,
        earlier,
        power_status,
        interactions,
        round(cast(interactions as double) / sum(interactions) over (partition by period), 4) as share_of_period,
        case
            when power_status in ('government', 'opposition') then round(
                cast(interactions as double)
                    / sum(case when power_status in ('government', 'opposition') then interactions end)
                        over (partition by period),
                4
            )
        end as share_of_period_known
    from counts
)

select period, power_status, interactions, share_of_period, share_of_period_known from final
order by earlier desc, case power_status when 'government' then 1 when 'opposition' then 2 else 3 end
