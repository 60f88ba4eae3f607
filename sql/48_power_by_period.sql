-- power_by_period: party interactions by power status before 2013 and since 2013.
-- reads: interactions
-- grain: one row per period and power_status
-- key: period, power_status
with periods as (
    select
        case when year < 2013 then 'before_2013' else 'since_2013' end as period,
        power_status
    from interactions
    where outcome = 'matched'
),

counts as (
    select period, power_status, count(*) as interactions
    from periods
    group by period, power_status
),

final as (
    select
        period,
        power_status,
        interactions,
        round(cast(interactions as double) / sum(interactions) over (partition by period), 4) as share_of_period
    from counts
)

select * from final
order by period, case power_status when 'government' then 1 when 'opposition' then 2 else 3 end
