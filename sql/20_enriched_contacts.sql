-- enriched_contacts: every contact with its party, power status and regime type.
-- reads: contacts_resolved, int_contacts_powered, stg_fh_ratings, pf_core
-- grain: one row per contact and party
with contacts as (
    select * from contacts_resolved
),

powered as (
    select contact_id, party_seq, dpi_party, dpi_link, power_status, power_basis from int_contacts_powered
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
        powered.power_status,
        powered.power_basis,
        coalesce(ratings.status, 'unknown') as fh_status,
        coalesce(ratings.regime, 'unknown') as regime,
        ratings.pr as fh_pr,
        ratings.cl as fh_cl,
        contacts.outcome
    from contacts
    left join powered
        on contacts.contact_id = powered.contact_id
        and contacts.party_seq = powered.party_seq
    left join ratings on contacts.iso3 = ratings.iso3 and contacts.year = ratings.year
    left join party_names on contacts.partyfacts_id = party_names.partyfacts_id
)

select * from final
order by contact_id, party_seq
