-- int_dpi_country_years: what DPI says about each country-year as a whole, and whether its list of government parties is complete.
-- reads: dpi, dpi_placeholders, dpi_alliances, int_dpi_parties_audited
-- grain: one row per iso3 and year that has a DPI row
-- key: iso3, year
-- A party DPI does not name is in opposition by elimination only where DPI's list of
-- government parties is complete. government_list says why it is not, in this order:
--   other_government_parties: govoth (or govothst, its seats) counts government parties
--     beyond the three DPI names;
--   other_government_parties_missing: govoth is missing (-999, NA or empty);
--   government_placeholder: a government slot holds no party (Appointees, No party, ...);
--   government_slot_missing: DPI names the executive's party but no government party (gov1me);
--   government_alliance: a government label is an alliance that reference/dpi_alliances.csv
--     lists in other years but not in this one, so its members are unknown;
--   government_party_unlinked: a government label has no Party Facts link partylink vouches for;
--   complete: none of these.
-- The country-year has no government party at all where DPI names none (no_government_party).
with country_years as (
    select
        iso3,
        year,
        govoth,
        govothst,
        gov1me,
        gov2me,
        gov3me
    from dpi
),

placeholders as (
    select lower(value) as value from dpi_placeholders
),

placeholder_slots as (
    select country_years.iso3, country_years.year, count(*) as government_placeholders
    from country_years
    join placeholders
        on lower(country_years.gov1me) = placeholders.value
        or lower(country_years.gov2me) = placeholders.value
        or lower(country_years.gov3me) = placeholders.value
    group by country_years.iso3, country_years.year
),

alliances as (
    select iso3, dpi_party, year_first, year_last from dpi_alliances
),

audited as (
    select * from int_dpi_parties_audited
),

-- Government labels that are alliances without members listed for the year.
alliance_labels as (
    select
        audited.iso3,
        audited.year,
        audited.dpi_party,
        bool_or(audited.year between alliances.year_first and alliances.year_last) as unfolded
    from audited
    join alliances on audited.iso3 = alliances.iso3 and audited.dpi_party = alliances.dpi_party
    where audited.role = 'government'
    group by audited.iso3, audited.year, audited.dpi_party
),

folded_alliances as (
    select iso3, year, count(*) as folded
    from alliance_labels
    where not unfolded
    group by iso3, year
),

unfolded as (
    select distinct audited.iso3, audited.year, audited.dpi_party
    from audited
    join alliances
        on audited.iso3 = alliances.iso3
        and audited.dpi_party = alliances.dpi_party
        and audited.year between alliances.year_first and alliances.year_last
),

parties as (
    select
        audited.iso3,
        audited.year,
        count(*) filter (where audited.role = 'government') as government_parties,
        count(*) filter (
            where audited.role = 'government' and audited.partyfacts_id is null and unfolded.dpi_party is null
        ) as unlinked_government_parties,
        count(*) filter (where audited.role = 'opposition') as opposition_parties
    from audited
    left join unfolded
        on audited.iso3 = unfolded.iso3
        and audited.year = unfolded.year
        and audited.dpi_party = unfolded.dpi_party
    group by audited.iso3, audited.year
),

final as (
    select
        country_years.iso3,
        country_years.year,
        coalesce(parties.government_parties, 0) as government_parties,
        coalesce(parties.unlinked_government_parties, 0) as unlinked_government_parties,
        coalesce(parties.opposition_parties, 0) as opposition_parties,
        country_years.govoth,
        country_years.govothst,
        coalesce(placeholder_slots.government_placeholders, 0) as government_placeholders,
        case
            when coalesce(parties.government_parties, 0) = 0 then 'no_government_party'
            when country_years.govoth > 0 or country_years.govothst > 0 then 'other_government_parties'
            when country_years.govoth is null then 'other_government_parties_missing'
            when placeholder_slots.government_placeholders > 0 then 'government_placeholder'
            when country_years.gov1me is null then 'government_slot_missing'
            when folded_alliances.folded > 0 then 'government_alliance'
            when parties.unlinked_government_parties > 0 then 'government_party_unlinked'
            else 'complete'
        end as government_list
    from country_years
    left join parties on country_years.iso3 = parties.iso3 and country_years.year = parties.year
    left join placeholder_slots
        on country_years.iso3 = placeholder_slots.iso3 and country_years.year = placeholder_slots.year
    left join folded_alliances
        on country_years.iso3 = folded_alliances.iso3 and country_years.year = folded_alliances.year
)

select * from final
order by iso3, year
