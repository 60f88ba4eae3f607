-- power_shares: the shares the paper quotes from figure 5.
-- reads: interactions
-- grain: one row per share
-- key: share
-- Denominators count interactions with a known power status (government or opposition).
with known as (
    select regime, power_status
    from interactions
    where outcome = 'matched' and power_status in ('government', 'opposition')
),

shares as (
    select
        'government_share' as share,
        'government / all with a known power status' as definition,
        count(*) filter (where power_status = 'government') as numerator,
        count(*) as denominator
    from known
    union all
    select
        'opposition_share',
        'opposition / all with a known power status',
        count(*) filter (where power_status = 'opposition'),
        count(*)
    from known
    union all
    select
        'opposition_in_free_share',
        'opposition in Free countries / all opposition',
        count(*) filter (where regime = 'free'),
        count(*)
    from known
    where power_status = 'opposition'
    union all
    select
        'opposition_in_not_free_share',
        'opposition in Not Free countries / all opposition',
        count(*) filter (where regime = 'not_free'),
        count(*)
    from known
    where power_status = 'opposition'
    union all
    select
        'government_share_partly_free',
        'government / all with a known power status, in Partly Free countries',
        count(*) filter (where power_status = 'government'),
        count(*)
    from known
    where regime = 'partly_free'
),

final as (
    select
        case share
            when 'government_share' then 1
            when 'opposition_share' then 2
            when 'opposition_in_free_share' then 3
            when 'opposition_in_not_free_share' then 4
            else 5
        end as position,
        share,
        definition,
        numerator,
        denominator,
        case when denominator = 0 then null else round(cast(numerator as double) / denominator, 4) end as value
    from shares
)

select share, definition, numerator, denominator, value from final
order by position
