-- audit_crosswalk: every DPI label's link to Party Facts, the audit's checks, both readings and the decision.
-- reads: int_dpi_parties_audited, int_dpi_link_checks, pf_core
-- grain: one row per iso3, DPI label and span of consecutive years with the same links, checks and decision
-- key: iso3, dpi_party, year_first
-- Both readings of each label: Party Facts' (source_partyfacts_id: the import's link, or
-- partylink's resolver's for a label the import lacks) and the resolver's reading of the
-- label's names (reading_partyfacts_id); partyfacts_id is the link partylink vouches for.
-- checks_as_given are the checks on the links as the sources give them; checks, on the links
-- after the reviewed corrections, decide (see int_dpi_parties_audited).
with audited as (
    select * from int_dpi_parties_audited
    where source_partyfacts_id is not null or audit_decision = 'corrected'
),

as_given as (
    select iso3, year, dpi_party, checks from int_dpi_link_checks where links = 'as_given'
),

names as (
    select partyfacts_id, coalesce(nullif(name_english, ''), name) as party_name from pf_core
),

label_years as (
    select
        audited.iso3,
        audited.year,
        audited.dpi_party,
        concat_ws('; ', case when audited.holds_executive then 'exec' end, audited.slot) as slots,
        audited.source_partyfacts_id,
        audited.source_link,
        coalesce(as_given.checks, '') as checks_as_given,
        coalesce(audited.checks, '') as checks,
        audited.reading_partyfacts_id,
        audited.audit_decision,
        audited.partyfacts_id,
        audited.link_method,
        audited.corrected_by
    from audited
    left join as_given
        on audited.iso3 = as_given.iso3
        and audited.year = as_given.year
        and audited.dpi_party = as_given.dpi_party
),

-- Consecutive years with the same links, checks and decision are one span (gaps and islands).
islands as (
    select
        *,
        year - cast(row_number() over (
            partition by iso3, dpi_party, source_partyfacts_id, source_link, checks_as_given, checks,
                reading_partyfacts_id, audit_decision, partyfacts_id, link_method, corrected_by
            order by year
        ) as int) as island
    from label_years
),

spans as (
    select
        iso3,
        dpi_party,
        min(year) as year_first,
        max(year) as year_last,
        array_to_string(array_sort(array_distinct(array_agg(slots))), '; ') as slots,
        source_partyfacts_id,
        source_link,
        checks_as_given,
        checks,
        reading_partyfacts_id,
        audit_decision,
        partyfacts_id,
        link_method,
        corrected_by
    from islands
    group by
        iso3, dpi_party, island, source_partyfacts_id, source_link, checks_as_given, checks,
        reading_partyfacts_id, audit_decision, partyfacts_id, link_method, corrected_by
),

final as (
    select
        spans.iso3,
        spans.dpi_party,
        spans.year_first,
        spans.year_last,
        spans.slots,
        spans.source_partyfacts_id,
        source_names.party_name as source_party_name,
        spans.source_link,
        spans.checks_as_given,
        spans.checks,
        spans.reading_partyfacts_id,
        reading_names.party_name as reading_party_name,
        spans.audit_decision,
        spans.partyfacts_id,
        names.party_name,
        spans.link_method,
        spans.corrected_by
    from spans
    left join names as source_names on spans.source_partyfacts_id = source_names.partyfacts_id
    left join names as reading_names on spans.reading_partyfacts_id = reading_names.partyfacts_id
    left join names on spans.partyfacts_id = names.partyfacts_id
)

select * from final
order by iso3, dpi_party, year_first
