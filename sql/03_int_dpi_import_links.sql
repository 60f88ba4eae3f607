-- int_dpi_import_links: DPI parties with the Party Facts id that Party Facts' DPI import gives them.
-- reads: stg_dpi_parties, pf_dpi_import, pf_external, pf_core
-- grain: one row per iso3, year and dpi_party (partyfacts_id null where the import has no link)
-- key: iso3, year, dpi_party
with parties as (
    select * from stg_dpi_parties
),

import as (
    select country as iso3, party as dpi_party, first, last, party_id
    from pf_dpi_import
),

-- Party Facts' "technical" entries (unknown, independent, other...) are no party to link to.
technical as (
    select partyfacts_id from pf_core where technical is not null
),

dpi_links as (
    select pf_external.dataset_party_id as party_id, pf_external.partyfacts_id
    from pf_external
    left join technical on pf_external.partyfacts_id = technical.partyfacts_id
    where pf_external.dataset_key = 'dpi'
      and pf_external.partyfacts_id is not null
      and technical.partyfacts_id is null
),

-- An abbreviation can name different parties in different eras: prefer the import row whose
-- years cover the country-year, then the nearest one.
ranked as (
    select
        parties.iso3,
        parties.year,
        parties.dpi_party,
        dpi_links.partyfacts_id,
        row_number() over (
            partition by parties.iso3, parties.year, parties.dpi_party
            order by
                case when parties.year between import.first and import.last then 0 else 1 end,
                abs(parties.year - coalesce(import.last, parties.year)),
                import.party_id
        ) as rank
    from parties
    join import on parties.iso3 = import.iso3 and parties.dpi_party = import.dpi_party
    join dpi_links on import.party_id = dpi_links.party_id
),

final as (
    select
        parties.iso3,
        parties.year,
        parties.dpi_party,
        parties.role,
        parties.holds_executive,
        parties.in_government,
        parties.in_opposition,
        parties.slot,
        parties.seats,
        ranked.partyfacts_id
    from parties
    left join ranked
        on parties.iso3 = ranked.iso3
        and parties.year = ranked.year
        and parties.dpi_party = ranked.dpi_party
        and ranked.rank = 1
)

select * from final
order by iso3, year, dpi_party
