-- power_shares: the shares the paper quotes from figure 5, each with its numerator and denominator.
-- reads: interactions, enriched_decisions
-- grain: one row per share and base
-- key: share, base
-- Two bases the paper could mean: party_contacts (every interaction with a resolved party) and
-- known_status (those with a government or opposition status). power_by_regime divides by the
-- same bases. detail names the country of the top_country rows. Beside every row: the party
-- interactions of unknown status, the interactions still in review, and the input rows outside
-- the run's --period, which no share counts. A share with a zero denominator is empty.
with party as (
    select iso3, regime, power_status, power_status in ('government', 'opposition') as known
    from interactions
    where outcome = 'matched'
),

opposition_not_free as (
    select iso3, count(*) as interactions
    from party
    where power_status = 'opposition' and regime = 'not_free'
    group by iso3
),

top_country as (
    select iso3, interactions, sum(interactions) over () as all_interactions
    from opposition_not_free
    order by interactions desc, iso3
    limit 1
),

-- Every base has its rows even when no interaction falls in it (a share with denominator 0).
by_base as (
    select bases.base, party.regime, party.power_status
    from (values ('party_contacts'), ('known_status')) as bases(base)
    left join party on bases.base = 'party_contacts' or party.known
),

shares as (
    select
        1 as position,
        'government_share' as share,
        base,
        'government / the base' as definition,
        count(*) filter (where power_status = 'government') as numerator,
        count(power_status) as denominator,
        cast(null as varchar) as detail
    from by_base
    group by base
    union all
    select 2, 'opposition_share', base, 'opposition / the base',
        count(*) filter (where power_status = 'opposition'), count(power_status), null
    from by_base
    group by base
    union all
    select 3, 'government_share_free', base, 'government / the base, in Free countries',
        count(*) filter (where regime = 'free' and power_status = 'government'),
        count(power_status) filter (where regime = 'free'), null
    from by_base
    group by base
    union all
    select 4, 'government_share_partly_free', base, 'government / the base, in Partly Free countries',
        count(*) filter (where regime = 'partly_free' and power_status = 'government'),
        count(power_status) filter (where regime = 'partly_free'), null
    from by_base
    group by base
    union all
    select 5, 'opposition_share_partly_free', base, 'opposition / the base, in Partly Free countries',
        count(*) filter (where regime = 'partly_free' and power_status = 'opposition'),
        count(power_status) filter (where regime = 'partly_free'), null
    from by_base
    group by base
    union all
    select 6, 'government_share_not_free', base, 'government / the base, in Not Free countries',
        count(*) filter (where regime = 'not_free' and power_status = 'government'),
        count(power_status) filter (where regime = 'not_free'), null
    from by_base
    group by base
    union all
    select 7, 'opposition_in_free_share', 'opposition', 'opposition in Free countries / all opposition',
        count(*) filter (where regime = 'free'), count(*), null
    from party
    where power_status = 'opposition'
    union all
    select 8, 'opposition_in_partly_free_share', 'opposition', 'opposition in Partly Free countries / all opposition',
        count(*) filter (where regime = 'partly_free'), count(*), null
    from party
    where power_status = 'opposition'
    union all
    select 9, 'opposition_in_not_free_share', 'opposition', 'opposition in Not Free countries / all opposition',
        count(*) filter (where regime = 'not_free'), count(*), null
    from party
    where power_status = 'opposition'
    union all
    select 10, 'top_country_opposition_not_free', 'opposition_not_free',
        'the country with most opposition interactions in Not Free countries / all of those', interactions,
        all_interactions, iso3
    from top_country
),

context as (
    select
        (select count(*) from party where not known) as unknown_status,
        (select count(*) from interactions where outcome in ('review_party', 'review_country')) as in_review,
        (
            select coalesce(sum(contacts), 0)
            from enriched_decisions
            where party_seq = 1 and not in_period
        ) as out_of_period
),

final as (
    select
        shares.position,
        shares.share,
        shares.base,
        shares.definition,
        shares.numerator,
        shares.denominator,
        case when shares.denominator > 0 then round(cast(shares.numerator as double) / shares.denominator, 4) end
            as value,
        shares.detail,
        context.unknown_status,
        context.in_review,
        context.out_of_period
    from shares
    cross join context
)

select share, base, definition, numerator, denominator, value, detail, unknown_status, in_review, out_of_period
from final
order by position, base desc
