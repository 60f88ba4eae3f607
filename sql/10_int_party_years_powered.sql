-- int_party_years_powered: the DPI power status of each matched party in each country-year it has contacts.
-- reads: contact_decisions, party_units, int_dpi_parties_linked, int_dpi_country_years
-- grain: one row per country, year and party (Party Facts id) among the matched contacts
-- key: iso3, year, partyfacts_id
-- Power status depends on the party and the country-year alone, so it is decided here once for
-- each of them, however many contacts share it; enriched_contacts joins it to the contacts.
with party_years as (
    select distinct iso3, year, partyfacts_id
    from contact_decisions
    where partyfacts_id is not null
),

-- The ids under which DPI may record a party: its own, and the unit it belongs to in that
-- year (reference/party_units.csv: the CSU within CDU/CSU).
party_ids as (
    select iso3, year, partyfacts_id, partyfacts_id as dpi_partyfacts_id, 'party' as dpi_link
    from party_years
    union all
    select party_years.iso3, party_years.year, party_years.partyfacts_id, party_units.unit_partyfacts_id, 'unit'
    from party_years
    join party_units
        on party_years.iso3 = party_units.iso3
        and party_years.partyfacts_id = party_units.member_partyfacts_id
        and (party_units.year_first is null or party_units.year_first <= party_years.year)
        and (party_units.year_last is null or party_years.year <= party_units.year_last)
),

-- Several DPI abbreviations can link to one Party Facts id (CDU as executive, CDU/CSU as gov1).
dpi_roles as (
    select
        iso3,
        year,
        partyfacts_id,
        bool_or(holds_executive) as holds_executive,
        bool_or(in_government) as in_government,
        bool_or(in_opposition) as in_opposition,
        -- Sorted by name (an ordered string_agg takes DataFusion's slow path).
        array_to_string(array_sort(array_agg(dpi_party)), '; ') as dpi_party
    from int_dpi_parties_linked
    where partyfacts_id is not null
    group by iso3, year, partyfacts_id
),

-- A party's roles, directly or through its unit, in the country-year.
party_roles as (
    select
        party_ids.iso3,
        party_ids.year,
        party_ids.partyfacts_id,
        bool_or(dpi_roles.holds_executive) as holds_executive,
        bool_or(dpi_roles.in_government) as in_government,
        bool_or(dpi_roles.in_opposition) as in_opposition,
        array_to_string(array_sort(array_agg(dpi_roles.dpi_party)), '; ') as dpi_party,
        min(party_ids.dpi_link) as dpi_link
    from party_ids
    join dpi_roles
        on party_ids.iso3 = dpi_roles.iso3
        and party_ids.year = dpi_roles.year
        and party_ids.dpi_partyfacts_id = dpi_roles.partyfacts_id
    group by party_ids.iso3, party_ids.year, party_ids.partyfacts_id
),

joined as (
    select
        party_years.iso3,
        party_years.year,
        party_years.partyfacts_id,
        party_roles.dpi_party,
        party_roles.dpi_link,
        party_roles.holds_executive,
        party_roles.in_government,
        party_roles.in_opposition,
        country_years.iso3 is not null as dpi_has_country_year,
        coalesce(country_years.government_parties, 0) as government_parties,
        coalesce(country_years.unlinked_government_parties, 0) as unlinked_government_parties
    from party_years
    left join party_roles
        on party_years.iso3 = party_roles.iso3
        and party_years.year = party_roles.year
        and party_years.partyfacts_id = party_roles.partyfacts_id
    left join int_dpi_country_years as country_years
        on party_years.iso3 = country_years.iso3
        and party_years.year = country_years.year
),

-- power_basis names the rule that decided power_status; the rules are tried in this order.
classified as (
    select
        *,
        case
            when holds_executive then 'dpi_executive'
            when in_government then 'dpi_government_party'
            when in_opposition then 'dpi_opposition_party'
            when government_parties > 0 and unlinked_government_parties = 0 then 'outside_dpi_government'
            when government_parties > 0 then 'dpi_government_party_unlinked'
            when dpi_has_country_year then 'dpi_names_no_government_party'
            else 'dpi_no_country_year'
        end as power_basis
    from joined
),

final as (
    select
        iso3,
        year,
        partyfacts_id,
        dpi_party,
        dpi_link,
        case
            when power_basis in ('dpi_executive', 'dpi_government_party') then 'government'
            when power_basis in ('dpi_opposition_party', 'outside_dpi_government') then 'opposition'
            else 'unknown'
        end as power_status,
        power_basis
    from classified
)

select * from final
order by iso3, year, partyfacts_id
