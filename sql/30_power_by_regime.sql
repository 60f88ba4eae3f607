-- power_by_regime: party contacts by regime type and power status (the paper's figure 5).
-- reads: enriched_contacts
-- grain: one row per regime and power_status (party contacts only)
with party_contacts as (
    select regime, power_status
    from enriched_contacts
    where outcome = 'matched'
),

counts as (
    select regime, power_status, count(*) as contacts
    from party_contacts
    group by regime, power_status
),

final as (
    select
        regime,
        power_status,
        contacts,
        round(cast(contacts as double) / sum(contacts) over (partition by regime), 4) as share_of_regime,
        round(cast(contacts as double) / sum(contacts) over (), 4) as share_of_all
    from counts
)

select * from final
order by
    case regime when 'free' then 1 when 'partly_free' then 2 when 'not_free' then 3 else 4 end,
    case power_status when 'government' then 1 when 'opposition' then 2 else 3 end
