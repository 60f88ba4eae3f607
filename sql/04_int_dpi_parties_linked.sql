-- int_dpi_parties_linked: DPI parties with the Party Facts id the sources give them, and the one a reviewed correction sets.
-- reads: int_dpi_import_links, dpi_resolver_links, dpi_link_corrections
-- grain: one row per iso3, year and dpi_party
-- key: iso3, year, dpi_party
-- The link as the sources give it (source_partyfacts_id, source_link): Party Facts' DPI import
-- first; partylink's resolver links only the DPI parties the import lacks (it stops at
-- DPI2015, and DPI2017 names parties it has not seen). A reviewed correction
-- (reference/dpi_link_corrections.csv: a party, or none) decides before everything else:
-- partyfacts_id is the correction's where there is one, else the source's. The crosswalk audit
-- (int_dpi_parties_audited) checks both.
with import_links as (
    select * from int_dpi_import_links
),

resolver_links as (
    select iso3, dpi_party, partyfacts_id, link_method, link_score
    from dpi_resolver_links
    where partyfacts_id is not null
),

corrections as (
    select iso3, dpi_party, year_first, year_last, partyfacts_id, decided_by
    from dpi_link_corrections
),

sourced as (
    select
        import_links.iso3,
        import_links.year,
        import_links.dpi_party,
        import_links.role,
        import_links.holds_executive,
        import_links.in_government,
        import_links.in_opposition,
        import_links.slot,
        import_links.seats,
        import_links.import_name,
        import_links.import_name_short,
        coalesce(import_links.partyfacts_id, resolver_links.partyfacts_id) as source_partyfacts_id,
        case
            when import_links.partyfacts_id is not null then 'partyfacts_dpi_import'
            when resolver_links.partyfacts_id is not null then resolver_links.link_method
            else 'none'
        end as source_link,
        case
            when import_links.partyfacts_id is not null then 1.0
            else resolver_links.link_score
        end as link_score
    from import_links
    left join resolver_links
        on import_links.iso3 = resolver_links.iso3
        and import_links.dpi_party = resolver_links.dpi_party
        and import_links.partyfacts_id is null
),

final as (
    select
        sourced.*,
        corrections.dpi_party is not null as corrected,
        corrections.decided_by as corrected_by,
        case when corrections.dpi_party is not null then corrections.partyfacts_id else source_partyfacts_id end
            as partyfacts_id
    from sourced
    left join corrections
        on sourced.iso3 = corrections.iso3
        and sourced.dpi_party = corrections.dpi_party
        and sourced.year between corrections.year_first and corrections.year_last
)

select * from final
order by iso3, year, dpi_party
