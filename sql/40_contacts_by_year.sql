-- contacts_by_year: interactions per year, with parties and with non-party partners (figure 1).
-- reads: interactions
-- grain: one row per year
-- key: year
-- party counts every interaction with a party partner, resolved or not; party_in_review those of
-- them still in review (they are in no table by party: contacts_by_country, top_partners,
-- power_by_regime and power_shares leave them out).
with kinds as (
    select
        year,
        case when outcome in ('non_party', 'not_a_party') then 'non_party' else 'party' end as kind,
        outcome in ('review_party', 'review_country') as in_review
    from interactions
),

final as (
    select
        year,
        count(*) filter (where kind = 'party') as party,
        count(*) filter (where kind = 'non_party') as non_party,
        count(*) as total,
        count(*) filter (where in_review) as party_in_review
    from kinds
    group by year
)

select * from final
order by year
