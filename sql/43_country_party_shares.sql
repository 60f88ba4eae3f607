-- country_party_shares: how many parties a country's interactions are spread over (figure 3).
-- reads: contacts_by_country
-- grain: one row
-- key: (one row)
-- A share is empty only when no country has a resolved party.
with countries as (
    select parties from contacts_by_country
),

final as (
    select
        count(*) as countries,
        count(*) filter (where parties = 1) as countries_one_party,
        case when count(*) > 0 then round(cast(count(*) filter (where parties = 1) as double) / count(*), 4) end
            as share_one_party,
        count(*) filter (where parties <= 3) as countries_at_most_three_parties,
        case when count(*) > 0 then round(cast(count(*) filter (where parties <= 3) as double) / count(*), 4) end
            as share_at_most_three_parties
    from countries
)

select * from final
