-- stg_dpi_parties: DPI disaggregated to the party level.
-- reads: dpi (the DPI basefile, -999/NA/empty already null), dpi_placeholders
-- grain: one row per iso3, year and party as DPI writes it (dpi_party)
-- key: iso3, year, dpi_party
with slots as (
    select iso3, year, 'exec' as slot, execme as dpi_party, cast(null as bigint) as seats from dpi
    union all
    select iso3, year, 'gov1', gov1me, gov1seat from dpi
    union all
    select iso3, year, 'gov2', gov2me, gov2seat from dpi
    union all
    select iso3, year, 'gov3', gov3me, gov3seat from dpi
    union all
    select iso3, year, 'opp1', opp1me, opp1seat from dpi
    union all
    select iso3, year, 'opp2', opp2me, opp2seat from dpi
    union all
    select iso3, year, 'opp3', opp3me, opp3seat from dpi
),

placeholders as (
    select lower(value) as value from dpi_placeholders
),

named as (
    select slots.*
    from slots
    left join placeholders on lower(slots.dpi_party) = placeholders.value
    where slots.dpi_party is not null
      and placeholders.value is null
),

by_party as (
    select
        iso3,
        year,
        dpi_party,
        bool_or(slot = 'exec') as holds_executive,
        bool_or(slot like 'gov%') as in_government,
        bool_or(slot like 'opp%') as in_opposition,
        min(case when slot <> 'exec' then slot end) as slot,
        max(seats) as seats
    from named
    group by iso3, year, dpi_party
),

final as (
    select
        iso3,
        year,
        dpi_party,
        case
            when holds_executive or in_government then 'government'
            else 'opposition'
        end as role,
        holds_executive,
        in_government,
        in_opposition,
        slot,
        seats
    from by_party
)

select * from final
order by iso3, year, dpi_party
