-- enriched_decisions: every distinct decision with its party, power status and regime type.
-- reads: contact_decisions, int_party_years_powered, int_party_cabinets_powered, stg_fh_ratings, pf_core, run_settings
-- grain: one row per decision (a distinct country as written, year, cabinet in office and partner as written) and party
-- key: decision, party_seq
-- Contacts that repeat a decision share its enrichment: enriched_contacts is contact_rows joined
-- to this table on decision, made in input order by src/enrich/expand.rs.
-- Two readings of power status: DPI's for the contact's year (dpi_power_status), and the one on
-- the contact's date (power_status_on_date): the ParlGov cabinet in office where ParlGov covers
-- the country and date, else DPI where it gives the same status on 1 January of the year and of
-- the next. A party DPI names that year only in another country's rows (a Turkish Cypriot party
-- contacted under Cyprus) is in neither government nor opposition of the contact's country,
-- unless the cabinet in office there counts it. run_settings.power_source picks the reading
-- that feeds power_status. in_period says whether the contact's year is in the run's --period:
-- rows outside it enter no interaction and no table.
with decisions as (
    select * from contact_decisions
),

powered as (
    select iso3, year, partyfacts_id, dpi_party, dpi_link, dpi_other_country, power_status, power_basis
    from int_party_years_powered
),

cabinet_powered as (
    select iso3, year, cabinet_id, partyfacts_id, power_status, power_basis from int_party_cabinets_powered
),

settings as (
    select power_source, period_from, period_to from run_settings
),

ratings as (
    select iso3, year, status, regime, pr, cl from stg_fh_ratings
),

party_names as (
    select partyfacts_id, coalesce(nullif(name_english, ''), name) as party_name from pf_core
),

-- What a decision's party, country and year look up (the party's name, DPI's and the cabinet's
-- readings of its power status, Freedom House's rating, the period) is looked up once per
-- distinct (country code, year, cabinet, party, outcome), 3% of the decisions at 10^6 contacts
-- whose names vary row by row, and joined to the decisions once: five joins each carrying every
-- column of every decision took twice as long (operator time).
lookup_keys as (
    select distinct iso3, year, cabinet_id, partyfacts_id, outcome from decisions
),

looked_up as (
    select
        lookup_keys.iso3,
        lookup_keys.year,
        lookup_keys.cabinet_id,
        lookup_keys.partyfacts_id,
        lookup_keys.outcome,
        party_names.party_name,
        powered.dpi_party,
        powered.dpi_link,
        powered.dpi_other_country,
        -- Power status is a party's: a contact without a matched party has none.
        case when lookup_keys.outcome = 'matched' then powered.power_status else 'unknown' end as dpi_power_status,
        case when lookup_keys.outcome = 'matched' then powered.power_basis else lookup_keys.outcome end
            as dpi_power_basis,
        case
            when lookup_keys.outcome <> 'matched' then 'unknown'
            when cabinet_powered.power_status = 'government' then 'government'
            when powered.dpi_other_country is not null then 'unknown'
            when cabinet_powered.power_status is not null then cabinet_powered.power_status
            when powered.power_status <> 'unknown' and powered.power_status = next_year.power_status
                then powered.power_status
            else 'unknown'
        end as power_status_on_date,
        case
            when lookup_keys.outcome <> 'matched' then lookup_keys.outcome
            when cabinet_powered.power_status = 'government' then cabinet_powered.power_basis
            when powered.dpi_other_country is not null then 'dpi_names_party_elsewhere'
            when cabinet_powered.power_basis is not null then cabinet_powered.power_basis
            when powered.power_status = 'unknown' then 'dpi_status_unknown'
            when next_year.power_basis = 'dpi_no_country_year' then 'dpi_no_next_year'
            when next_year.power_status = 'unknown' then 'dpi_status_unknown'
            when powered.power_status = next_year.power_status then 'dpi_stable'
            else 'dpi_changes_in_year'
        end as power_basis_on_date,
        coalesce(ratings.status, 'unknown') as fh_status,
        coalesce(ratings.regime, 'unknown') as regime,
        ratings.pr as fh_pr,
        ratings.cl as fh_cl,
        coalesce(lookup_keys.year between settings.period_from and settings.period_to, true) as in_period
    from settings
    cross join lookup_keys
    left join powered
        on lookup_keys.iso3 = powered.iso3
        and lookup_keys.year = powered.year
        and lookup_keys.partyfacts_id = powered.partyfacts_id
    left join powered as next_year
        on lookup_keys.iso3 = next_year.iso3
        and lookup_keys.year + 1 = next_year.year
        and lookup_keys.partyfacts_id = next_year.partyfacts_id
    left join cabinet_powered
        on lookup_keys.iso3 = cabinet_powered.iso3
        and lookup_keys.year = cabinet_powered.year
        and lookup_keys.cabinet_id = cabinet_powered.cabinet_id
        and lookup_keys.partyfacts_id = cabinet_powered.partyfacts_id
    left join ratings on lookup_keys.iso3 = ratings.iso3 and lookup_keys.year = ratings.year
    left join party_names on lookup_keys.partyfacts_id = party_names.partyfacts_id
),

joined as (
    select
        decisions.decision,
        decisions.party_seq,
        decisions.parties_in_contact,
        decisions.year,
        decisions.country,
        decisions.iso3,
        decisions.partner,
        decisions.partner_part,
        decisions.partner_kind,
        decisions.partyfacts_id,
        looked_up.party_name,
        looked_up.dpi_party,
        looked_up.dpi_link,
        looked_up.dpi_other_country,
        decisions.match_method,
        decisions.match_score,
        decisions.matched_name,
        looked_up.dpi_power_status,
        looked_up.dpi_power_basis,
        looked_up.power_status_on_date,
        looked_up.power_basis_on_date,
        looked_up.fh_status,
        looked_up.regime,
        looked_up.fh_pr,
        looked_up.fh_cl,
        decisions.outcome,
        decisions.contacts,
        looked_up.in_period
    from looked_up
    -- Every decision has its keys' row; a null key (no country code, cabinet or party) is one.
    -- Each condition is in brackets: `is not distinct from` would take the `and` after it. Year
    -- and outcome are never null, but DataFusion makes a hash join of `is not distinct from`
    -- conditions only when every condition is one.
    join decisions
        on (decisions.iso3 is not distinct from looked_up.iso3)
        and (decisions.year is not distinct from looked_up.year)
        and (decisions.cabinet_id is not distinct from looked_up.cabinet_id)
        and (decisions.partyfacts_id is not distinct from looked_up.partyfacts_id)
        and (decisions.outcome is not distinct from looked_up.outcome)
),

-- Who a row is with, numbered in the order interactions are listed: a party by its id; without
-- one, the partner text in its country. The distinct keys are numbered (the numbers a
-- dense_rank over every row gives) and joined back on keys without nulls (-1 and '' stand for
-- a null: Party Facts ids are positive): a window over every row sorted all of the rows'
-- columns in one partition, 3.7 million rows at 10^7 contacts.
party_keys as (
    select
        row_number() over (order by partyfacts_id, key_country, key_partner) as party_key,
        coalesce(partyfacts_id, -1) as on_id,
        coalesce(key_country, '') as on_country,
        coalesce(key_partner, '') as on_partner
    from (
        select distinct
            partyfacts_id,
            case when partyfacts_id is null then coalesce(iso3, country) end as key_country,
            case when partyfacts_id is null then lower(partner) end as key_partner
        from decisions
    )
),

final as (
    select
        joined.*,
        case when settings.power_source = 'on-date' then power_status_on_date else dpi_power_status end
            as power_status,
        case when settings.power_source = 'on-date' then power_basis_on_date else dpi_power_basis end
            as power_basis,
        party_keys.party_key
    from settings
    cross join party_keys
    join joined
        on party_keys.on_id = coalesce(joined.partyfacts_id, -1)
        and party_keys.on_country
            = coalesce(case when joined.partyfacts_id is null then coalesce(joined.iso3, joined.country) end, '')
        and party_keys.on_partner = coalesce(case when joined.partyfacts_id is null then lower(joined.partner) end, '')
)

select * from final
order by decision, party_seq
