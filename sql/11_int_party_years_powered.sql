-- int_party_years_powered: the DPI power status of each matched party in each country-year it has contacts.
-- reads: int_party_year_ids, dpi_alliances, int_dpi_parties_audited, int_dpi_country_years
-- grain: one row per country, year and party (Party Facts id) among the matched contacts, and the year after each
-- key: iso3, year, partyfacts_id
-- Power status depends on the party and the country-year alone, so it is decided here once for
-- each of them, however many contacts share it; enriched_contacts joins it to the contacts.
-- The year after a contact's is read too (dpi_stable).
with party_years as (
    select distinct iso3, year, partyfacts_id from int_party_year_ids
),

audited as (
    select * from int_dpi_parties_audited
),

-- The DPI labels under which a party may be recorded in a country-year (dpi_link): a label
-- linked to an id of int_party_year_ids (party, unit, predecessor), or one DPI uses for an
-- alliance the party belongs to in that year (alliance: reference/dpi_alliances.csv, the
-- Democrats of the Left within L'Unione in 2007).
party_labels as (
    select ids.iso3, ids.year, ids.partyfacts_id, audited.dpi_party, ids.dpi_link
    from int_party_year_ids as ids
    join audited
        on ids.iso3 = audited.iso3
        and ids.year = audited.year
        and ids.recorded_partyfacts_id = audited.partyfacts_id
    union all
    select party_years.iso3, party_years.year, party_years.partyfacts_id, dpi_alliances.dpi_party, 'alliance'
    from party_years
    join dpi_alliances
        on party_years.iso3 = dpi_alliances.iso3
        and party_years.partyfacts_id = dpi_alliances.member_partyfacts_id
        and party_years.year between dpi_alliances.year_first and dpi_alliances.year_last
),

-- A party's roles under every label that records it in the country-year.
party_roles as (
    select
        party_labels.iso3,
        party_labels.year,
        party_labels.partyfacts_id,
        bool_or(audited.holds_executive) as holds_executive,
        bool_or(audited.in_government) as in_government,
        bool_or(audited.in_opposition) as in_opposition,
        -- Sorted by name (an ordered string_agg takes DataFusion's slow path).
        array_to_string(array_sort(array_distinct(array_agg(party_labels.dpi_party))), '; ') as dpi_party,
        array_to_string(array_sort(array_distinct(array_agg(party_labels.dpi_link))), '; ') as dpi_link
    from party_labels
    join audited
        on party_labels.iso3 = audited.iso3
        and party_labels.year = audited.year
        and party_labels.dpi_party = audited.dpi_party
    group by party_labels.iso3, party_labels.year, party_labels.partyfacts_id
),

-- A government label the import linked to the party, which the audit could not vouch for.
disputed as (
    select distinct party_years.iso3, party_years.year, party_years.partyfacts_id
    from party_years
    join audited
        on party_years.iso3 = audited.iso3
        and party_years.year = audited.year
        and party_years.partyfacts_id = audited.source_partyfacts_id
    where audited.audit_decision in ('unlinked', 'unlinked_conflict') and audited.role = 'government'
),

-- Countries whose DPI rows name the party that year, other than the contact's.
elsewhere as (
    select
        party_years.iso3,
        party_years.year,
        party_years.partyfacts_id,
        array_to_string(array_sort(array_distinct(array_agg(audited.iso3))), '; ') as dpi_other_country
    from party_years
    join audited
        on party_years.year = audited.year
        and party_years.partyfacts_id = audited.partyfacts_id
        and party_years.iso3 <> audited.iso3
    group by party_years.iso3, party_years.year, party_years.partyfacts_id
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
        disputed.partyfacts_id is not null as disputed,
        case when party_roles.dpi_party is null then elsewhere.dpi_other_country end as dpi_other_country,
        country_years.iso3 is not null as dpi_has_country_year,
        country_years.government_list
    from party_years
    left join party_roles
        on party_years.iso3 = party_roles.iso3
        and party_years.year = party_roles.year
        and party_years.partyfacts_id = party_roles.partyfacts_id
    left join disputed
        on party_years.iso3 = disputed.iso3
        and party_years.year = disputed.year
        and party_years.partyfacts_id = disputed.partyfacts_id
    left join elsewhere
        on party_years.iso3 = elsewhere.iso3
        and party_years.year = elsewhere.year
        and party_years.partyfacts_id = elsewhere.partyfacts_id
    left join int_dpi_country_years as country_years
        on party_years.iso3 = country_years.iso3
        and party_years.year = country_years.year
),

-- power_basis names the rule that decided power_status; the rules are tried in this order. A
-- party DPI does not name is in opposition only where DPI's list of government parties is
-- complete (int_dpi_country_years.government_list), never because a list was short.
classified as (
    select
        *,
        case
            when holds_executive then 'dpi_executive'
            when in_government then 'dpi_government_party'
            when in_opposition then 'dpi_opposition_party'
            when not dpi_has_country_year then 'dpi_no_country_year'
            when disputed then 'dpi_link_disputed'
            when dpi_other_country is not null then 'dpi_names_party_elsewhere'
            when government_list = 'complete' then 'outside_dpi_government'
            when government_list = 'no_government_party' then 'dpi_names_no_government_party'
            else 'dpi_' || government_list
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
        dpi_other_country,
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
