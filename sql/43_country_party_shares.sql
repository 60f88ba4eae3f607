-- country_party_shares: how many parties a country's interactions are spread over (figure 3).
-- reads: contacts_by_country
-- grain: one row
-- key: (one row)
with countries as (
    select parties from contacts_by_country
),

final as (
    select
        count(*) as countries,
        count(*) filter (where parties = 1) as countries_one_party,
        round(cast(count(*) filter (where parties = 1) as double) / count(*), 4) as share_one_party,
        count(*) filter (where parties <= 3) as countries_at_most_three_parties,
        round(cast(count(*) filter (where parties <= 3) as double) / count(*), 4) as share_at_most_three_parties
    from countries
)

select * from final
