-- parties_by_contacts_regime_power: parties by interactions, regime and power status.
-- reads: interactions
-- grain: one row per contact band, regime and power_status
-- key: contacts, regime, power_status
-- For the paper's claim about parties with few contacts (mostly opposition parties in
-- democratic and hybrid regimes).
-- contacts bands a party's interactions: 1, 2, 3-4, 5+. A party's regime and power status are
-- those of its first interaction (by date, then interaction_id).
with ranked as (
    select
        partyfacts_id,
        regime,
        power_status,
        count(*) over (partition by partyfacts_id) as interactions,
        row_number() over (partition by partyfacts_id order by first_date, interaction_id) as nth
    from interactions
    where outcome = 'matched'
),

parties as (
    select
        case when interactions = 1 then '1' when interactions = 2 then '2' when interactions <= 4 then '3-4' else '5+' end
            as contacts,
        case when interactions = 1 then 1 when interactions = 2 then 2 when interactions <= 4 then 3 else 4 end as band,
        regime,
        power_status
    from ranked
    where nth = 1
),

final as (
    select
        contacts,
        band,
        regime,
        power_status,
        count(*) as parties,
        round(cast(count(*) as double) / sum(count(*)) over (partition by band), 4) as share_of_band
    from parties
    group by contacts, band, regime, power_status
)

select contacts, regime, power_status, parties, share_of_band from final
order by
    band,
    case regime when 'free' then 1 when 'partly_free' then 2 when 'not_free' then 3 else 4 end,
    case power_status when 'government' then 1 when 'opposition' then 2 else 3 end
