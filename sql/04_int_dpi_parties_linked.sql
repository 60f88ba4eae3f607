-- int_dpi_parties_linked: DPI parties with their Party Facts id, by the DPI import or the resolver.
-- reads: int_dpi_import_links, dpi_resolver_links
-- grain: one row per iso3, year and dpi_party (partyfacts_id null where neither links it)
-- key: iso3, year, dpi_party
-- Party Facts' DPI import decides first; partylink's resolver links only the DPI parties the
-- import lacks (it stops at DPI2015, and DPI2017 names parties it has not seen).
with import_links as (
    select * from int_dpi_import_links
),

resolver_links as (
    select iso3, dpi_party, partyfacts_id, link_method, link_score
    from dpi_resolver_links
    where partyfacts_id is not null
),

final as (
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
        coalesce(import_links.partyfacts_id, resolver_links.partyfacts_id) as partyfacts_id,
        case
            when import_links.partyfacts_id is not null then 'partyfacts_dpi_import'
            when resolver_links.partyfacts_id is not null then resolver_links.link_method
            else 'none'
        end as link_method,
        case
            when import_links.partyfacts_id is not null then 1.0
            else resolver_links.link_score
        end as link_score
    from import_links
    left join resolver_links
        on import_links.iso3 = resolver_links.iso3
        and import_links.dpi_party = resolver_links.dpi_party
        and import_links.partyfacts_id is null
)

select * from final
order by iso3, year, dpi_party
