-- enriched_contacts: every contact with its party, power status and regime type.
-- reads: contacts_resolved, int_party_years_powered, stg_fh_ratings, pf_core
-- grain: one row per contact and party, in input order
with contacts as (
    select * from contacts_resolved
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

final as (
    select
        contacts.contact_id,
        contacts.source_row,
        contacts.party_seq,
        contacts.parties_in_contact,
        contacts.date,
        contacts.year,
        contacts.country,
        contacts.iso3,
        contacts.partner,
        contacts.partner_part,
        contacts.partner_kind,
        contacts.venue,
        contacts.news_id,
        contacts.visit_id,
        contacts.partyfacts_id,
        party_names.party_name,
        powered.dpi_party,
        powered.dpi_link,
        contacts.match_method,
        contacts.match_score,
        contacts.matched_name,
        -- Power status is a party's: a contact without a matched party has none.
        case when contacts.outcome = 'matched' then powered.power_status else 'unknown' end as power_status,
        case when contacts.outcome = 'matched' then powered.power_basis else contacts.outcome end as power_basis,
        coalesce(ratings.status, 'unknown') as fh_status,
        coalesce(ratings.regime, 'unknown') as regime,
        ratings.pr as fh_pr,
        ratings.cl as fh_cl,
        contacts.outcome
    from contacts
    left join powered
        on contacts.iso3 = powered.iso3
        and contacts.year = powered.year
        and contacts.partyfacts_id = powered.partyfacts_id
    left join ratings on contacts.iso3 = ratings.iso3 and contacts.year = ratings.year
    left join party_names on contacts.partyfacts_id = party_names.partyfacts_id
)

select * from final
order by source_row, party_seq
