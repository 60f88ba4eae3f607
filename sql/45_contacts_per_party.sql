-- contacts_per_party: the distribution of interactions per party (figure 4).
-- reads: interactions
-- grain: one row per number of interactions a party had
-- key: interactions
with per_party as (
    select partyfacts_id, count(*) as interactions
    from interactions
    where outcome = 'matched'
    group by partyfacts_id
),

final as (
    select
        interactions,
        count(*) as parties,
        round(cast(count(*) as double) / sum(count(*)) over (), 4) as share_of_parties
    from per_party
    group by interactions
)

select * from final
order by interactions
