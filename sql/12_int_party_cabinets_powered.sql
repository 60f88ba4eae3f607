-- int_party_cabinets_powered: the power status of each matched party under the ParlGov cabinet in office on its contacts' date.
-- reads: contact_decisions, int_party_year_ids, stg_parlgov_cabinet_parties, pf_core, party_successions, dpi_alliances, int_dpi_parties_audited, crosswalk_settings
-- grain: one row per country, year, cabinet and party (Party Facts id) among the matched contacts ParlGov covers
-- key: iso3, year, cabinet_id, partyfacts_id
-- ParlGov lists every party that held cabinet posts (cabinet_party): a party among them, under
-- one of its ids (int_party_year_ids: its own, its unit's, a predecessor's), governs; a party
-- outside them is in opposition, unless the list cannot say so:
--   parlgov_nonpartisan_cabinet: every minister is of no party (a technocratic caretaker);
--   parlgov_cabinet_party_unlinked: a cabinet party has no Party Facts link, or one to a party
--     whose Party Facts years ended more than crosswalk_settings.link_years_after (5) years
--     before (a lineage ParlGov keeps under an old id) and that no succession carries on;
--   parlgov_cabinet_alliance: a cabinet party is an alliance (a Party Facts id that DPI's
--     alliance labels link to, reference/dpi_alliances.csv) whose members are not listed for
--     the year. Where they are listed, its members govern.
-- A caretaker cabinet decides in the same way, under its own basis (parlgov_caretaker_cabinet).
with party_cabinets as (
    select distinct iso3, year, cabinet_id, partyfacts_id
    from contact_decisions
    where partyfacts_id is not null and cabinet_id is not null
),

cabinet_parties as (
    select * from stg_parlgov_cabinet_parties where cabinet_party and not no_party
),

party_years as (
    select partyfacts_id, year_last from pf_core
),

settings as (
    select link_years_after from crosswalk_settings
),

-- Party Facts ids of the labels DPI uses for alliances, with their members and years.
alliance_members as (
    select distinct
        audited.iso3,
        audited.partyfacts_id as alliance_partyfacts_id,
        dpi_alliances.member_partyfacts_id,
        dpi_alliances.year_first,
        dpi_alliances.year_last
    from dpi_alliances
    join int_dpi_parties_audited as audited
        on dpi_alliances.iso3 = audited.iso3
        and dpi_alliances.dpi_party = audited.dpi_party
    where audited.partyfacts_id is not null
),

-- Each cabinet party in each year a contact asks for it.
cabinet_years as (
    select
        party_cabinets.iso3,
        party_cabinets.year,
        party_cabinets.cabinet_id,
        cabinet_parties.partyfacts_id,
        cabinet_parties.caretaker,
        party_years.year_last
    from (select distinct iso3, year, cabinet_id from party_cabinets) as party_cabinets
    join cabinet_parties on party_cabinets.cabinet_id = cabinet_parties.cabinet_id
    left join party_years on cabinet_parties.partyfacts_id = party_years.partyfacts_id
),

-- Cabinet parties a succession carries on in the year.
carried as (
    select distinct cabinet_years.year, cabinet_years.partyfacts_id
    from cabinet_years
    join party_successions
        on cabinet_years.iso3 = party_successions.iso3
        and cabinet_years.partyfacts_id = party_successions.predecessor_partyfacts_id
        and party_successions.year <= cabinet_years.year
),

-- Cabinet parties that are alliances, and whether their members are listed for the year.
alliances as (
    select
        cabinet_years.year,
        cabinet_years.partyfacts_id,
        bool_or(cabinet_years.year between alliance_members.year_first and alliance_members.year_last) as listed
    from cabinet_years
    join alliance_members
        on cabinet_years.iso3 = alliance_members.iso3
        and cabinet_years.partyfacts_id = alliance_members.alliance_partyfacts_id
    group by cabinet_years.year, cabinet_years.partyfacts_id
),

members as (
    select
        cabinet_years.*,
        cabinet_years.partyfacts_id is not null
            and coalesce(cabinet_years.year_last + settings.link_years_after < cabinet_years.year, false)
            and carried.partyfacts_id is null as stale,
        alliances.partyfacts_id is not null and not alliances.listed as unlisted_alliance
    from settings
    cross join cabinet_years
    left join carried
        on cabinet_years.year = carried.year and cabinet_years.partyfacts_id = carried.partyfacts_id
    left join alliances
        on cabinet_years.year = alliances.year and cabinet_years.partyfacts_id = alliances.partyfacts_id
),

cabinets as (
    select
        year,
        cabinet_id,
        bool_or(caretaker) as caretaker,
        count(*) filter (where partyfacts_id is null or stale) as unlinked_members,
        count(*) filter (where unlisted_alliance) as unlisted_alliances
    from members
    group by year, cabinet_id
),

-- The party is a cabinet party under one of its ids, or a listed member of one that is an alliance.
in_cabinet as (
    select distinct ids.iso3, ids.year, members.cabinet_id, ids.partyfacts_id
    from int_party_year_ids as ids
    join members
        on ids.iso3 = members.iso3
        and ids.year = members.year
        and ids.recorded_partyfacts_id = members.partyfacts_id
    union
    select distinct party_cabinets.iso3, party_cabinets.year, party_cabinets.cabinet_id, party_cabinets.partyfacts_id
    from party_cabinets
    join members
        on party_cabinets.cabinet_id = members.cabinet_id
        and party_cabinets.year = members.year
    join alliance_members
        on members.iso3 = alliance_members.iso3
        and members.partyfacts_id = alliance_members.alliance_partyfacts_id
        and party_cabinets.partyfacts_id = alliance_members.member_partyfacts_id
        and party_cabinets.year between alliance_members.year_first and alliance_members.year_last
),

-- power_basis names the rule that decided; the rules are tried in this order.
classified as (
    select
        party_cabinets.iso3,
        party_cabinets.year,
        party_cabinets.cabinet_id,
        party_cabinets.partyfacts_id,
        in_cabinet.partyfacts_id is not null as in_cabinet,
        case
            when in_cabinet.partyfacts_id is not null and cabinets.caretaker then 'parlgov_caretaker_cabinet'
            when in_cabinet.partyfacts_id is not null then 'parlgov_cabinet'
            when cabinets.cabinet_id is null then 'parlgov_nonpartisan_cabinet'
            when cabinets.unlinked_members > 0 then 'parlgov_cabinet_party_unlinked'
            when cabinets.unlisted_alliances > 0 then 'parlgov_cabinet_alliance'
            when cabinets.caretaker then 'parlgov_caretaker_cabinet'
            else 'parlgov_cabinet'
        end as power_basis
    from party_cabinets
    left join cabinets
        on party_cabinets.cabinet_id = cabinets.cabinet_id
        and party_cabinets.year = cabinets.year
    left join in_cabinet
        on party_cabinets.iso3 = in_cabinet.iso3
        and party_cabinets.year = in_cabinet.year
        and party_cabinets.cabinet_id = in_cabinet.cabinet_id
        and party_cabinets.partyfacts_id = in_cabinet.partyfacts_id
),

final as (
    select
        iso3,
        year,
        cabinet_id,
        partyfacts_id,
        case
            when in_cabinet then 'government'
            when power_basis in ('parlgov_cabinet', 'parlgov_caretaker_cabinet') then 'opposition'
            else 'unknown'
        end as power_status,
        power_basis
    from classified
)

select * from final
order by iso3, year, cabinet_id, partyfacts_id
