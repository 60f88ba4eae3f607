-- stg_parlgov_cabinet_parties: ParlGov's cabinets, each party in parliament with its Party Facts id.
-- reads: parlgov_cabinet_parties (view_cabinet.csv), pf_external
-- grain: one row per row of the cabinet view (a cabinet and ParlGov party; ParlGov's party "none" can have several) and Party Facts link
-- key: source_row, partyfacts_id
-- A cabinet is in office from its start_date until the day before the next cabinet of its
-- country starts (end_date; null for the last cabinet of the file). ParlGov's party "none"
-- stands for ministers of no party: it is no party, and a cabinet whose every minister is of
-- no party is nonpartisan.
with cabinet_rows as (
    select * from parlgov_cabinet_parties
),

-- ParlGov's party ids are the dataset_party_id of Party Facts' parlgov rows.
parlgov_links as (
    select dataset_party_id, partyfacts_id
    from pf_external
    where dataset_key = 'parlgov' and partyfacts_id is not null
),

cabinets as (
    select distinct iso3, cabinet_id, start_date from cabinet_rows
),

spans as (
    select
        cabinet_id,
        cast(lead(start_date) over (partition by iso3 order by start_date) as date) - interval '1' day as end_date
    from cabinets
),

final as (
    select
        cabinet_rows.iso3,
        cabinet_rows.cabinet_id,
        cabinet_rows.cabinet_name,
        cabinet_rows.start_date,
        cast(spans.end_date as date) as end_date,
        cabinet_rows.caretaker,
        cabinet_rows.previous_cabinet_id,
        cabinet_rows.party_id,
        cabinet_rows.party_name_short,
        cabinet_rows.party_name_english,
        parlgov_links.partyfacts_id,
        cabinet_rows.cabinet_party,
        cabinet_rows.prime_minister,
        coalesce(cabinet_rows.party_name_short = 'none', false) as no_party,
        cabinet_rows.source_row
    from cabinet_rows
    join spans on cabinet_rows.cabinet_id = spans.cabinet_id
    left join parlgov_links on cast(cabinet_rows.party_id as varchar) = parlgov_links.dataset_party_id
)

select * from final
order by iso3, start_date, cabinet_id, party_id
