-- int_dpi_link_checks: the crosswalk audit's checks of each DPI label's link, as the sources give it and as corrected.
-- reads: int_dpi_parties_linked, dpi_label_readings, pf_core, crosswalk_settings
-- grain: one row per iso3, year, dpi_party and links (as_given, corrected) where the label has a link
-- key: iso3, year, dpi_party, links
-- Each check needs no outside knowledge:
--   government_and_opposition: another label of the country-year with the same Party Facts id
--     sits on the other side (a government slot gov1-3 against an opposition slot);
--   executive_and_opposition: the same, with the executive's slot against an opposition slot;
--   names_point_elsewhere: the resolver, with a registry that holds no DPI label, reads one of
--     the label's names (the label, the import's long name or abbreviation) as another party
--     of the country, and none of them as the linked one;
--   years_apart: the country-year falls more than crosswalk_settings.link_years_after years (5:
--     one legislative term, a party elected in its last Party Facts year keeps its seats until
--     the next election) after the party's last year in the Party Facts core, or more than
--     link_years_before (1) before its first;
--   labels_share_id: another label of the country-year links to the same id.
-- reading_partyfacts_id is the party the resolver's confident readings of the names agree on.
with linked as (
    select * from int_dpi_parties_linked
),

settings as (
    select link_years_after, link_years_before from crosswalk_settings
),

links as (
    select iso3, year, dpi_party, 'as_given' as links, source_partyfacts_id as partyfacts_id,
        holds_executive, in_government, in_opposition
    from linked
    where source_partyfacts_id is not null
    union all
    select iso3, year, dpi_party, 'corrected', partyfacts_id, holds_executive, in_government, in_opposition
    from linked
    where partyfacts_id is not null
),

-- in_government counts gov1-3 only here: the executive's slot has a check of its own.
shared as (
    select
        a.iso3,
        a.year,
        a.dpi_party,
        a.links,
        bool_or((a.in_government and b.in_opposition) or (a.in_opposition and b.in_government))
            as government_and_opposition,
        bool_or((a.holds_executive and b.in_opposition) or (a.in_opposition and b.holds_executive))
            as executive_and_opposition,
        array_to_string(array_sort(array_agg(b.dpi_party)), '; ') as same_id_labels
    from links as a
    join links as b
        on a.iso3 = b.iso3
        and a.year = b.year
        and a.links = b.links
        and a.partyfacts_id = b.partyfacts_id
        and a.dpi_party <> b.dpi_party
    group by a.iso3, a.year, a.dpi_party, a.links
),

party_years as (
    select partyfacts_id, year_first, year_last from pf_core
),

readings as (
    select iso3, year, dpi_party, name_kind, partyfacts_id from dpi_label_readings
),

read as (
    select
        links.iso3,
        links.year,
        links.dpi_party,
        links.links,
        coalesce(bool_or(readings.partyfacts_id = links.partyfacts_id), false) as reads_link,
        count(distinct readings.partyfacts_id) as parties_read,
        min(readings.partyfacts_id) as reading_partyfacts_id,
        coalesce(bool_or(readings.name_kind = 'label' and readings.partyfacts_id is not null), false)
            as label_read,
        coalesce(bool_or(readings.name_kind = 'long_name' and readings.partyfacts_id is null), false)
            as long_name_unread
    from links
    join readings
        on links.iso3 = readings.iso3
        and links.year = readings.year
        and links.dpi_party = readings.dpi_party
    group by links.iso3, links.year, links.dpi_party, links.links
),

checked as (
    select
        links.iso3,
        links.year,
        links.dpi_party,
        links.links,
        links.partyfacts_id,
        coalesce(shared.government_and_opposition, false) as government_and_opposition,
        coalesce(shared.executive_and_opposition, false) as executive_and_opposition,
        coalesce(read.parties_read > 0 and not read.reads_link, false) as names_point_elsewhere,
        coalesce(
            links.year > party_years.year_last + settings.link_years_after
                or links.year < party_years.year_first - settings.link_years_before,
            false
        ) as years_apart,
        shared.dpi_party is not null as labels_share_id,
        shared.same_id_labels,
        coalesce(read.reads_link, false) as reads_link,
        -- The link read back is a reading; another party is one only where DPI's label itself
        -- reads as it, no name reads as a third party, and the import's long name, if any, is
        -- read too (the import's own names sometimes name another party than its link).
        case
            when read.parties_read = 1 and read.reads_link then read.reading_partyfacts_id
            when read.parties_read = 1 and read.label_read and not read.long_name_unread
                then read.reading_partyfacts_id
        end as reading_partyfacts_id
    from settings
    cross join links
    left join shared
        on links.iso3 = shared.iso3
        and links.year = shared.year
        and links.dpi_party = shared.dpi_party
        and links.links = shared.links
    left join read
        on links.iso3 = read.iso3
        and links.year = read.year
        and links.dpi_party = read.dpi_party
        and links.links = read.links
    left join party_years on links.partyfacts_id = party_years.partyfacts_id
),

final as (
    select
        *,
        government_and_opposition or executive_and_opposition or names_point_elsewhere or years_apart
            or labels_share_id as flagged,
        concat_ws(
            '; ',
            case when government_and_opposition then 'government_and_opposition' end,
            case when executive_and_opposition then 'executive_and_opposition' end,
            case when names_point_elsewhere then 'names_point_elsewhere' end,
            case when years_apart then 'years_apart' end,
            case when labels_share_id then 'labels_share_id' end
        ) as checks
    from checked
)

select * from final
order by iso3, year, dpi_party, links
