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
    select iso3, regime, power_status
    from interactions
    where outcome = 'matched'
),

-- The party interactions by regime and power status: the few rows every share below sums.
-- (DataFusion inlines a common table expression at each use: each share counted from party
-- itself read every interaction again, and the bases' join of every interaction to each base
-- took 0.2-0.6 s of the threads' time at 10^6 diverse contacts.)
tally as (
    select regime, power_status, count(*) as interactions
    from party
    group by regime, power_status
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

-- Each share: an interaction is in its denominator when it is in the base (party_contacts:
-- every party interaction with a power status; known_status: government or opposition;
-- opposition: the opposition's) and of the denominator's regime (any, where null); in its
-- numerator when it is also of the numerator's status and regime. The first six are shares
-- of both bases.
definitions as (
    select position, share, bases.base, definition, status, regime, regime as base_regime
    from (
        values
            (1, 'government_share', 'government / the base', 'government', cast(null as varchar)),
            (2, 'opposition_share', 'opposition / the base', 'opposition', null),
            (3, 'government_share_free', 'government / the base, in Free countries', 'government', 'free'),
            (
                4, 'government_share_partly_free', 'government / the base, in Partly Free countries',
                'government', 'partly_free'
            ),
            (
                5, 'opposition_share_partly_free', 'opposition / the base, in Partly Free countries',
                'opposition', 'partly_free'
            ),
            (6, 'government_share_not_free', 'government / the base, in Not Free countries', 'government', 'not_free')
    ) as shares(position, share, definition, status, regime)
    cross join (values ('party_contacts'), ('known_status')) as bases(base)
    union all
    select position, share, 'opposition', definition, 'opposition', regime, cast(null as varchar)
    from (
        values
            (7, 'opposition_in_free_share', 'opposition in Free countries / all opposition', 'free'),
            (8, 'opposition_in_partly_free_share', 'opposition in Partly Free countries / all opposition', 'partly_free'),
            (9, 'opposition_in_not_free_share', 'opposition in Not Free countries / all opposition', 'not_free')
    ) as shares(position, share, definition, regime)
),

-- Every share has its row even when no interaction falls in it (a denominator of 0).
counted as (
    select
        definitions.*,
        tally.regime as tally_regime,
        tally.power_status,
        tally.interactions,
        case definitions.base
            when 'party_contacts' then tally.power_status is not null
            when 'known_status' then tally.power_status in ('government', 'opposition')
            else tally.power_status = 'opposition'
        end
        and (definitions.base_regime is null or tally.regime = definitions.base_regime) as in_base
    from definitions
    left join tally on true
),

shares as (
    select
        position,
        share,
        base,
        definition,
        coalesce(
            sum(interactions) filter (
                where in_base and power_status = status and (regime is null or tally_regime = regime)
            ),
            0
        ) as numerator,
        coalesce(sum(interactions) filter (where in_base), 0) as denominator,
        cast(null as varchar) as detail
    from counted
    group by position, share, base, definition
    union all
    select
        10, 'top_country_opposition_not_free', 'opposition_not_free',
        'the country with most opposition interactions in Not Free countries / all of those', interactions,
        all_interactions, iso3
    from top_country
),

context as (
    select
        (
            select coalesce(sum(interactions), 0)
            from tally
            where power_status not in ('government', 'opposition')
        ) as unknown_status,
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
