-- int_contacts_powered: each resolved contact with its party's DPI power status that country-year.
-- reads: contacts_resolved, party_units, int_dpi_parties_linked, int_dpi_country_years
-- grain: one row per contact and party
with contacts as (
    select contact_id, party_seq, iso3, year, partyfacts_id, outcome
    from contacts_resolved
),

-- The ids under which DPI may record a contact's party: its own, and the unit it belongs to
-- in that year (reference/party_units.csv: the CSU within CDU/CSU).
party_ids as (
    select contact_id, party_seq, partyfacts_id as dpi_partyfacts_id, 'party' as dpi_link
    from contacts
    where partyfacts_id is not null
    union all
    select contacts.contact_id, contacts.party_seq, party_units.unit_partyfacts_id, 'unit'
    from contacts
    join party_units
        on contacts.iso3 = party_units.iso3
        and contacts.partyfacts_id = party_units.member_partyfacts_id
        and (party_units.year_first is null or party_units.year_first <= contacts.year)
        and (party_units.year_last is null or contacts.year <= party_units.year_last)
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
        string_agg(dpi_party, '; ' order by dpi_party) as dpi_party
    from int_dpi_parties_linked
    where partyfacts_id is not null
    group by iso3, year, partyfacts_id
),

-- A party's roles, directly or through its unit, in its contact's country-year.
contact_roles as (
    select
        party_ids.contact_id,
        party_ids.party_seq,
        bool_or(dpi_roles.holds_executive) as holds_executive,
        bool_or(dpi_roles.in_government) as in_government,
        bool_or(dpi_roles.in_opposition) as in_opposition,
        string_agg(dpi_roles.dpi_party, '; ' order by dpi_roles.dpi_party) as dpi_party,
        min(party_ids.dpi_link) as dpi_link
    from party_ids
    join contacts
        on party_ids.contact_id = contacts.contact_id
        and party_ids.party_seq = contacts.party_seq
    join dpi_roles
        on contacts.iso3 = dpi_roles.iso3
        and contacts.year = dpi_roles.year
        and party_ids.dpi_partyfacts_id = dpi_roles.partyfacts_id
    group by party_ids.contact_id, party_ids.party_seq
),

joined as (
    select
        contacts.contact_id,
        contacts.party_seq,
        contacts.partyfacts_id,
        contacts.outcome,
        contact_roles.dpi_party,
        contact_roles.dpi_link,
        contact_roles.holds_executive,
        contact_roles.in_government,
        contact_roles.in_opposition,
        country_years.iso3 is not null as dpi_has_country_year,
        coalesce(country_years.government_parties, 0) as government_parties,
        coalesce(country_years.unlinked_government_parties, 0) as unlinked_government_parties
    from contacts
    left join contact_roles
        on contacts.contact_id = contact_roles.contact_id
        and contacts.party_seq = contact_roles.party_seq
    left join int_dpi_country_years as country_years
        on contacts.iso3 = country_years.iso3
        and contacts.year = country_years.year
),

-- power_basis names the rule that decided power_status; the rules are tried in this order.
classified as (
    select
        *,
        case
            when outcome <> 'matched' then outcome
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
        contact_id,
        party_seq,
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
order by contact_id, party_seq
