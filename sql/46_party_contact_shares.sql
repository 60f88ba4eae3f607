-- party_contact_shares: shares of parties with few and with many interactions (figure 4).
-- reads: contacts_per_party
-- grain: one row
-- key: (one row)
with distribution as (
    select interactions, parties from contacts_per_party
),

final as (
    select
        sum(parties) as parties,
        sum(interactions * parties) as interactions,
        round(cast(sum(parties) filter (where interactions <= 2) as double) / sum(parties), 4) as share_at_most_two,
        round(cast(sum(parties) filter (where interactions >= 5) as double) / sum(parties), 4) as share_at_least_five
    from distribution
)

select * from final
