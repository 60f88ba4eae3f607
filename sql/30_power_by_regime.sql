-- power_by_regime: party interactions by regime type and power status (the paper's figure 5).
-- reads: interactions
-- grain: one row per regime and power_status (interactions with a resolved party)
-- key: regime, power_status
with party_interactions as (
    select regime, power_status
    from interactions
    where outcome = 'matched'
),

counts as (
    select regime, power_status, count(*) as interactions
    from party_interactions
    group by regime, power_status
),

final as (
    select
        regime,
        power_status,
        interactions,
        round(cast(interactions as double) / sum(interactions) over (partition by regime), 4) as share_of_regime,
        round(cast(interactions as double) / sum(interactions) over (), 4) as share_of_all
    from counts
)

select * from final
order by
    case regime when 'free' then 1 when 'partly_free' then 2 when 'not_free' then 3 else 4 end,
    case power_status when 'government' then 1 when 'opposition' then 2 else 3 end
