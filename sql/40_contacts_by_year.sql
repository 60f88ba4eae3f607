-- contacts_by_year: interactions per year, with parties and with non-party partners (figure 1).
-- reads: interactions
-- grain: one row per year
-- key: year
with kinds as (
    select
        year,
        case when outcome in ('non_party', 'not_a_party') then 'non_party' else 'party' end as kind
    from interactions
),

final as (
    select
        year,
        count(*) filter (where kind = 'party') as party,
        count(*) filter (where kind = 'non_party') as non_party,
        count(*) as total
    from kinds
    group by year
)

select * from final
order by year
