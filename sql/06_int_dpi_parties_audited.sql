-- int_dpi_parties_audited: DPI parties with the Party Facts id partylink vouches for, after the crosswalk audit.
-- reads: int_dpi_parties_linked, int_dpi_link_checks
-- grain: one row per iso3, year and dpi_party (partyfacts_id null where no link is vouched for)
-- key: iso3, year, dpi_party
-- audit_decision says how the link was decided, in this order:
--   corrected: a reviewed correction (reference/dpi_link_corrections.csv) set it, or left it none;
--   no_link: neither the import nor the resolver links the label;
--   kept: no check flags the link (checks on the corrected links: a correction of one label
--     settles the conflicts it caused for others);
--   confirmed: flagged, but the resolver reads the label's names as the linked party;
--   relinked: flagged, and the resolver reads them, with one voice, as another party;
--   unlinked: flagged, and the resolver reads no party, or several: no link is vouched for, so
--     the label's party has no power status by elimination (power status becomes unknown);
--   unlinked_conflict: kept, confirmed or relinked, but the id still sits in a government and
--     an opposition slot of the country-year under another label; both sides are unlinked.
-- link_method says where the id comes from: correction, partyfacts_dpi_import, resolver_*
-- (partylink's resolver, for labels the import lacks), audit_relinked, or none.
with linked as (
    select * from int_dpi_parties_linked
),

checks as (
    select * from int_dpi_link_checks where links = 'corrected'
),

decided as (
    select
        linked.*,
        checks.checks,
        checks.reading_partyfacts_id,
        case
            when linked.corrected then 'corrected'
            when linked.partyfacts_id is null then 'no_link'
            when not checks.flagged then 'kept'
            when checks.reads_link and checks.reading_partyfacts_id = linked.partyfacts_id then 'confirmed'
            when checks.reading_partyfacts_id is not null then 'relinked'
            else 'unlinked'
        end as decision
    from linked
    left join checks
        on linked.iso3 = checks.iso3
        and linked.year = checks.year
        and linked.dpi_party = checks.dpi_party
),

provisional as (
    select
        *,
        case
            when decision in ('corrected', 'kept', 'confirmed') then partyfacts_id
            when decision = 'relinked' then reading_partyfacts_id
        end as decided_partyfacts_id
    from decided
),

-- A relinked label can land on an id another label holds on the other side; such a conflict is
-- left to review, never resolved by keeping one side.
conflicts as (
    select distinct a.iso3, a.year, a.dpi_party
    from provisional as a
    join provisional as b
        on a.iso3 = b.iso3
        and a.year = b.year
        and a.decided_partyfacts_id = b.decided_partyfacts_id
        and a.dpi_party <> b.dpi_party
    where a.decision <> 'corrected'
      and ((a.in_government or a.holds_executive) and b.in_opposition
        or a.in_opposition and (b.in_government or b.holds_executive))
),

final as (
    select
        provisional.iso3,
        provisional.year,
        provisional.dpi_party,
        provisional.role,
        provisional.holds_executive,
        provisional.in_government,
        provisional.in_opposition,
        provisional.slot,
        provisional.seats,
        case when conflicts.dpi_party is null then provisional.decided_partyfacts_id end as partyfacts_id,
        case
            when conflicts.dpi_party is not null then 'none'
            when provisional.decision = 'corrected' and provisional.partyfacts_id is not null then 'correction'
            when provisional.decision = 'relinked' then 'audit_relinked'
            when provisional.decision in ('kept', 'confirmed') then provisional.source_link
            else 'none'
        end as link_method,
        case when conflicts.dpi_party is not null then 'unlinked_conflict' else provisional.decision end
            as audit_decision,
        provisional.checks,
        provisional.source_partyfacts_id,
        provisional.source_link,
        provisional.reading_partyfacts_id,
        provisional.corrected_by
    from provisional
    left join conflicts
        on provisional.iso3 = conflicts.iso3
        and provisional.year = conflicts.year
        and provisional.dpi_party = conflicts.dpi_party
)

select * from final
order by iso3, year, dpi_party
