-- power_by_regime: party interactions by regime type and power status (the paper's figure 5).
-- reads: interactions
-- grain: one row per regime and power_status (interactions with a resolved party)
-- key: regime, power_status
-- Two bases, those of power_shares: share_of_regime divides by the regime's interactions with a
-- known power status (government or opposition; empty for the unknown row), share_of_regime_all
-- by all its party interactions. share_of_all divides by every party interaction.
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

bases as (
    select
        *,
        sum(case when power_status in ('government', 'opposition') then interactions else 0 end)
            over (partition by regime) as regime_known,
        sum(interactions) over (partition by regime) as regime_all,
        sum(interactions) over () as all_party
    from counts
),

final as (
    select
        regime,
        power_status,
        interactions,
        regime_known,
        regime_all,
        case
            when power_status in ('government', 'opposition') and regime_known > 0
                then round(cast(interactions as double) / regime_known, 4)
        end as share_of_regime,
        round(cast(interactions as double) / regime_all, 4) as share_of_regime_all,
        round(cast(interactions as double) / all_party, 4) as share_of_all
    from bases
)

select * from final
order by
    case regime when 'free' then 1 when 'partly_free' then 2 when 'not_free' then 3 else 4 end,
    case power_status when 'government' then 1 when 'opposition' then 2 else 3 end
