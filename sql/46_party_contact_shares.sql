-- party_contact_shares: shares of parties with few and with many interactions (figure 4).
-- reads: contacts_per_party
-- grain: one row
-- key: (one row)
-- A share is 0 when no party qualifies, and empty only when there is no party at all.
with distribution as (
    select interactions, parties from contacts_per_party
),

counts as (
    select
        coalesce(sum(parties), 0) as parties,
        coalesce(sum(interactions * parties), 0) as interactions,
        coalesce(sum(parties) filter (where interactions <= 2), 0) as parties_at_most_two,
        coalesce(sum(parties) filter (where interactions >= 5), 0) as parties_at_least_five
    from distribution
),

final as (
    select
        parties,
        interactions,
        case when parties > 0 then round(cast(parties_at_most_two as double) / parties, 4) end as share_at_most_two,
        case when parties > 0 then round(cast(parties_at_least_five as double) / parties, 4) end as share_at_least_five,
        parties_at_most_two,
        parties_at_least_five
    from counts
)

select * from final
