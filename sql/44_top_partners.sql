-- top_partners: parties ranked by interactions (the paper's table 1).
-- reads: interactions, pf_core, party_abbreviations
-- grain: one row per party with a resolved Party Facts id
-- key: partyfacts_id
-- Ties share a rank and the next rank skips (1, 2, 2, 4), listed by country then name.
-- abbreviation is Party Facts' short name (often in the original language: DCVN, KPK);
-- abbreviation_en the one English-language sources print (reference/party_abbreviations.csv),
-- else Party Facts' short name, and abbreviation_source says which; party_name_en the English
-- name those sources use (the same table), else party_name.
with counts as (
    select partyfacts_id, min(iso3) as iso3, count(*) as interactions
    from interactions
    where outcome = 'matched'
    group by partyfacts_id
),

parties as (
    select partyfacts_id, name_short, coalesce(nullif(name_english, ''), name) as party_name from pf_core
),

english as (
    select partyfacts_id, abbreviation, name_english, source from party_abbreviations
),

final as (
    select
        rank() over (order by counts.interactions desc) as rank,
        counts.partyfacts_id,
        parties.name_short as abbreviation,
        coalesce(english.abbreviation, nullif(parties.name_short, '')) as abbreviation_en,
        case
            when english.abbreviation is not null then english.source
            when nullif(parties.name_short, '') is not null
                then 'Party Facts name_short (no row in reference/party_abbreviations.csv)'
        end as abbreviation_source,
        parties.party_name,
        coalesce(english.name_english, parties.party_name) as party_name_en,
        counts.iso3,
        counts.interactions
    from counts
    left join parties on counts.partyfacts_id = parties.partyfacts_id
    left join english on counts.partyfacts_id = english.partyfacts_id
)

select * from final
order by rank, iso3, party_name
