-- int_party_cabinets_powered: the power status of each matched party under the ParlGov cabinet in office on its contacts' date.
-- reads: contact_decisions, party_units, stg_parlgov_cabinet_parties
-- grain: one row per country, year, cabinet and party (Party Facts id) among the matched contacts ParlGov covers
-- ParlGov lists every party that held cabinet posts (cabinet_party): a party among them
-- governs; a party outside them is in opposition, unless the list cannot say so: a cabinet
-- party without a Party Facts link might be the party, and a cabinet of ministers of no
-- party (a technocratic caretaker such as Monti's) has no opposition to speak of.
with party_cabinets as (
    select distinct iso3, year, cabinet_id, partyfacts_id
    from contact_decisions
    where partyfacts_id is not null and cabinet_id is not null
),

-- The ids under which ParlGov may list a party: its own, and its unit (the CSU within CDU/CSU).
party_ids as (
    select iso3, year, cabinet_id, partyfacts_id, partyfacts_id as cabinet_partyfacts_id
    from party_cabinets
    union all
    select party_cabinets.iso3, party_cabinets.year, party_cabinets.cabinet_id, party_cabinets.partyfacts_id,
        party_units.unit_partyfacts_id
    from party_cabinets
    join party_units
        on party_cabinets.iso3 = party_units.iso3
        and party_cabinets.partyfacts_id = party_units.member_partyfacts_id
        and (party_units.year_first is null or party_units.year_first <= party_cabinets.year)
        and (party_units.year_last is null or party_cabinets.year <= party_units.year_last)
),

members as (
    select distinct cabinet_id, partyfacts_id
    from stg_parlgov_cabinet_parties
    where cabinet_party and partyfacts_id is not null
),

cabinets as (
    select
        cabinet_id,
        bool_or(caretaker) as caretaker,
        count(*) filter (where cabinet_party and not no_party) as party_members,
        count(*) filter (where cabinet_party and not no_party and partyfacts_id is null) as unlinked_members
    from stg_parlgov_cabinet_parties
    group by cabinet_id
),

in_cabinet as (
    select party_ids.iso3, party_ids.year, party_ids.cabinet_id, party_ids.partyfacts_id
    from party_ids
    join members
        on party_ids.cabinet_id = members.cabinet_id
        and party_ids.cabinet_partyfacts_id = members.partyfacts_id
    group by party_ids.iso3, party_ids.year, party_ids.cabinet_id, party_ids.partyfacts_id
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
            when cabinets.party_members = 0 then 'parlgov_nonpartisan_cabinet'
            when cabinets.unlinked_members > 0 then 'parlgov_cabinet_party_unlinked'
            when cabinets.caretaker then 'parlgov_caretaker_cabinet'
            else 'parlgov_cabinet'
        end as power_basis
    from party_cabinets
    join cabinets on party_cabinets.cabinet_id = cabinets.cabinet_id
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
