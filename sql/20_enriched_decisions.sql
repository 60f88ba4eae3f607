-- enriched_decisions: every distinct decision with its party, power status and regime type.
-- reads: contact_decisions, int_party_years_powered, stg_fh_ratings, pf_core
-- grain: one row per decision (a distinct country as written, year and partner as written) and party
-- key: decision, party_seq
-- Contacts that repeat a decision share its enrichment: enriched_contacts is contact_rows joined
-- to this table on decision, made in input order by src/expand.rs.
with decisions as (
    select * from contact_decisions
),

powered as (
    select iso3, year, partyfacts_id, dpi_party, dpi_link, power_status, power_basis from int_party_years_powered
),

ratings as (
    select iso3, year, status, regime, pr, cl from stg_fh_ratings
),

party_names as (
    select partyfacts_id, coalesce(nullif(name_english, ''), name) as party_name from pf_core
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
        party_names.party_name,
        powered.dpi_party,
        powered.dpi_link,
        decisions.match_method,
        decisions.match_score,
        decisions.matched_name,
        -- Power status is a party's: a contact without a matched party has none.
        case when decisions.outcome = 'matched' then powered.power_status else 'unknown' end as power_status,
        case when decisions.outcome = 'matched' then powered.power_basis else decisions.outcome end as power_basis,
        coalesce(ratings.status, 'unknown') as fh_status,
        coalesce(ratings.regime, 'unknown') as regime,
        ratings.pr as fh_pr,
        ratings.cl as fh_cl,
        decisions.outcome
    from decisions
    left join powered
        on decisions.iso3 = powered.iso3
        and decisions.year = powered.year
        and decisions.partyfacts_id = powered.partyfacts_id
    left join ratings on decisions.iso3 = ratings.iso3 and decisions.year = ratings.year
    left join party_names on decisions.partyfacts_id = party_names.partyfacts_id
),

final as (
    select
        *,
        -- Who the row is with, numbered in the order interactions are listed: a party by its
        -- id; without one, the partner text in its country.
        dense_rank() over (
            order by
                partyfacts_id,
                case when partyfacts_id is null then coalesce(iso3, country) end,
                case when partyfacts_id is null then lower(partner) end
        ) as party_key
    from joined
)

select * from final
order by decision, party_seq
