//! The crosswalk audit's part of EVALUATION.md: the links checked, what each check flags, how
//! the flagged links were decided, which country-years DPI's list of government parties leaves
//! open, and how power status moves from the rules partylink had before the audit to its rules
//! now, for the parties DPI names and for the sample's party contacts.
//!
//! "Before" is DPI's reading with the links as the sources give them (Party Facts' import, and
//! partylink's resolver for labels it lacks) and opposition by elimination wherever every named
//! government label is linked. "After" is the run's own reading (`int_party_years_powered`).

use std::fmt::Write;

use anyhow::Result;
use arrow::array::RecordBatch;
use arrow::util::display::array_value_to_string;
use datafusion::execution::context::SessionContext;

use crate::enrich;

/// The section's opening.
pub const INTRO: &str = "
## The crosswalk audit

partylink takes each DPI label's Party Facts id from Party Facts' DPI import (and from its own
resolver for the labels the import lacks), and checks every such link before it lets the link
decide a power status; see the README (*The crosswalk audit*, *Power status*) for the checks,
the decisions and the rules. The counts below are written by the same `partylink eval`.

";

/// The paper's years, over which the audit's counts are also given.
const PAPER_YEARS: (i32, i32) = (2002, 2017);

/// The parties of the paper's Table 1 that the README names (CPV, LPRP, CPP, WPK, LDP, PCC,
/// SPD, ANC) and the rest of the sample's top ten (MPLA, CCM), by Party Facts id, in the order
/// the chain is shown.
const TABLE_ONE: [(&str, i64); 10] = [
    ("CPV", 4898),
    ("LPRP", 5203),
    ("CPP", 3765),
    ("WPK", 4712),
    ("LDP", 1746),
    ("PCC", 4892),
    ("SPD", 383),
    ("ANC", 1219),
    ("MPLA", 2298),
    ("CCM", 2328),
];

/// DPI's reading under the rules before the audit, for every (iso3, year, partyfacts_id) of
/// the table `parties`: a party named by a label linked to it (or to its unit) takes the
/// label's role; one not named is in opposition where every government label is linked.
const BEFORE: &str = "
with given as (
    select iso3, year, dpi_party, role, source_partyfacts_id as partyfacts_id from int_dpi_parties_linked
),
ids as (
    select iso3, year, partyfacts_id, partyfacts_id as label_id from parties
    union all
    select parties.iso3, parties.year, parties.partyfacts_id, party_units.unit_partyfacts_id
    from parties
    join party_units on parties.iso3 = party_units.iso3 and parties.partyfacts_id = party_units.member_partyfacts_id
),
named as (
    select ids.iso3, ids.year, ids.partyfacts_id,
        bool_or(given.role = 'government') as government, bool_or(given.role = 'opposition') as opposition
    from ids
    join given on ids.iso3 = given.iso3 and ids.year = given.year and ids.label_id = given.partyfacts_id
    group by ids.iso3, ids.year, ids.partyfacts_id
),
country_years as (
    select iso3, year,
        count(*) filter (where role = 'government') as government_labels,
        count(*) filter (where role = 'government' and partyfacts_id is null) as unlinked
    from given
    group by iso3, year
)
select parties.iso3, parties.year, parties.partyfacts_id,
    case
        when named.government then 'government'
        when named.opposition then 'opposition'
        when country_years.government_labels > 0 and country_years.unlinked = 0 then 'opposition'
        else 'unknown'
    end as before
from parties
left join named on parties.iso3 = named.iso3 and parties.year = named.year and parties.partyfacts_id = named.partyfacts_id
left join country_years on parties.iso3 = country_years.iso3 and parties.year = country_years.year
";

/// Drops registered tables, so that they can be made again for other rows, and the packed
/// slices of those registered packed (`contact_decisions`, as resolving registers it).
fn forget(ctx: &SessionContext, tables: &[&str]) -> Result<()> {
    for table in tables {
        enrich::session::deregister_packed(ctx, table)?;
    }
    Ok(())
}

/// DPI's power status (`int_party_years_powered`) of the (iso3, year, partyfacts_id) rows of
/// `parties`, which replace the decisions the stages read (and the table `parties`).
async fn power_of(ctx: &SessionContext, parties: RecordBatch) -> Result<()> {
    forget(ctx, &["contact_decisions", "parties", "int_party_year_ids", "int_party_years_powered"])?;
    enrich::register(ctx, "contact_decisions", parties.clone())?;
    enrich::register(ctx, "parties", parties)?;
    let stages: Vec<enrich::Stage> = enrich::DECISION_STAGES
        .iter()
        .filter(|s| ["int_party_year_ids", "int_party_years_powered"].contains(&s.table()))
        .copied()
        .collect();
    enrich::run_stages(ctx, &stages).await
}

fn text(batch: &RecordBatch, row: usize, col: usize) -> String {
    let array = batch.column(col);
    if array.is_null(row) { String::new() } else { array_value_to_string(array, row).unwrap_or_default() }
}

/// A query's rows as a Markdown table with the given header.
async fn markdown(ctx: &SessionContext, header: &[&str], sql: &str) -> Result<String> {
    let batch = enrich::query(ctx, sql).await?;
    let mut md = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len()));
    for row in 0..batch.num_rows() {
        let cells: Vec<String> = (0..batch.num_columns()).map(|c| text(&batch, row, c)).collect();
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    Ok(md)
}

/// The audit's counts and the moves of power status over the parties DPI names, from the
/// tables `pipeline::prepare` made. Registers and runs the decision stages on those parties
/// (after [`render_sample`], whose tables it replaces).
pub async fn render_links(ctx: &SessionContext) -> Result<String> {
    let (first, last) = PAPER_YEARS;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "Every DPI2017 label-year with a link (Party Facts' import, or partylink's resolver for a \
         label it lacks) is checked; the counts are of label-years (a label in one year) and of \
         distinct labels (country and label), over all DPI years and over {first}-{last}. The \
         checks are counted on the links as the sources give them; the decisions follow the \
         checks on the corrected links (see the README, *The crosswalk audit*).\n"
    );
    let span = |all: &str| format!("case when year between {first} and {last} then {all} end");
    let counts = |filter: &str| {
        format!(
            "count(*) filter (where {filter}), count(distinct iso3 || '|' || dpi_party) filter (where {filter}), \
             count(*) filter (where {filter} and year between {first} and {last}), \
             count(distinct {}) filter (where {filter})",
            span("iso3 || '|' || dpi_party")
        )
    };
    // Each row carries its place, since a union keeps no order.
    let mut rows = vec![format!(
        "select 0, 'links checked', {} from int_dpi_link_checks where links = 'as_given'",
        counts("true")
    )];
    let checks = [
        "government_and_opposition",
        "executive_and_opposition",
        "names_point_elsewhere",
        "years_apart",
        "labels_share_id",
    ];
    for (i, check) in checks.iter().enumerate() {
        rows.push(format!(
            "select {}, 'flagged: {check}', {} from int_dpi_link_checks where links = 'as_given'",
            i + 1,
            counts(check)
        ));
    }
    rows.push(format!(
        "select 10, 'flagged by any check', {} from int_dpi_link_checks where links = 'as_given'",
        counts("flagged")
    ));
    let decisions = ["corrected", "kept", "confirmed", "relinked", "unlinked", "unlinked_conflict"];
    for (i, decision) in decisions.iter().enumerate() {
        rows.push(format!(
            "select {}, 'decided: {decision}', {} from int_dpi_parties_audited \
             where source_partyfacts_id is not null or corrected_by is not null",
            11 + i,
            counts(&format!("audit_decision = '{decision}'"))
        ));
    }
    let header =
        ["", "label-years", "labels", &format!("label-years {first}-{last}"), &format!("labels {first}-{last}")];
    let sql = format!(
        "select c1, c2, c3, c4, c5 from ({}) as t(place, c1, c2, c3, c4, c5) order by place",
        rows.join(" union all ")
    );
    md.push_str(&markdown(ctx, &header, &sql).await?);
    // The issue's own measures, on the links as given, for the paper's years.
    let _ = writeln!(md, "\nOn the links as the sources give them, {first}-{last}:\n");
    md.push_str(
        &markdown(
            ctx,
            &["measure", "count"],
            &format!(
                "with links as (
                    select iso3, year, dpi_party, role, source_partyfacts_id as id from int_dpi_parties_linked
                    where source_partyfacts_id is not null and year between {first} and {last}
                ),
                ids as (
                    select iso3, year, id, bool_or(role = 'government') and bool_or(role = 'opposition') as both_sides,
                        count(distinct dpi_party) as labels
                    from links group by iso3, year, id
                )
                select measure, n from (
                    select 1 as place, 'country-years with one Party Facts id in a government and an opposition slot' as measure,
                        count(distinct iso3 || cast(year as varchar)) filter (where both_sides) as n from ids
                    union all
                    select 2, 'country-year-ids with two or more DPI labels', count(*) filter (where labels > 1) from ids
                    union all
                    select 3, 'labels whose party''s Party Facts years are apart from the years DPI uses them (years_apart)',
                        count(distinct iso3 || '|' || dpi_party) from int_dpi_link_checks
                        where links = 'as_given' and years_apart and year between {first} and {last}
                ) order by place"
            ),
        )
        .await?,
    );
    // Country-years whose list of government parties is not complete.
    let _ = writeln!(
        md,
        "\nCountry-years {first}-{last} whose list of government parties leaves a party DPI does not \
         name without a status (`int_dpi_country_years.government_list`; the first reason that \
         applies):\n"
    );
    md.push_str(
        &markdown(
            ctx,
            &["government_list", "country-years"],
            &format!(
                "select government_list, count(*) from int_dpi_country_years where year between {first} and {last} \
                 group by government_list order by count(*) desc, government_list"
            ),
        )
        .await?,
    );
    // Power status of every party a DPI label links to (as given or audited), before and after.
    let parties = enrich::query(
        ctx,
        &format!(
            "select distinct iso3, year, partyfacts_id from (
                select iso3, year, source_partyfacts_id as partyfacts_id from int_dpi_parties_audited
                union all
                select iso3, year, partyfacts_id from int_dpi_parties_audited
            ) where partyfacts_id is not null and year between {first} and {last}"
        ),
    )
    .await?;
    // The run on the sample registered these; here they are the parties DPI names.
    power_of(ctx, parties).await?;
    let _ = writeln!(
        md,
        "\nDPI's power status of every party a DPI label links to, as given or after the audit \
         ({first}-{last}; one row per country, year and party), under the rules before the audit \
         and now:\n"
    );
    md.push_str(
        &markdown(
            ctx,
            &["before", "after", "power_basis after", "party-years"],
            &format!(
                "with before as ({BEFORE}) \
                 select before.before, after.power_status, after.power_basis, count(*) \
                 from before join int_party_years_powered as after \
                     on before.iso3 = after.iso3 and before.year = after.year and before.partyfacts_id = after.partyfacts_id \
                 where after.year between {first} and {last} and before.before <> after.power_status \
                 group by 1, 2, 3 order by 4 desc, 1, 2, 3"
            ),
        )
        .await?,
    );
    let _ = writeln!(md, "\n(Party-years whose status is the same under both are left out.)");
    Ok(md)
}

/// The Table 1 parties through the whole chain: how the sample writes them and how each name
/// resolved, then for every year of the paper the DPI labels that record the party and its
/// power status, consecutive years with the same reading in one row. Reads the sample's
/// `enriched_decisions` (so runs after [`render_sample`]) and replaces the decision stages'
/// tables, as [`render_links`] does after it.
pub async fn render_table_one(ctx: &SessionContext) -> Result<String> {
    let (first, last) = PAPER_YEARS;
    let order: Vec<String> =
        TABLE_ONE.iter().enumerate().map(|(i, (abbr, id))| format!("({i}, '{abbr}', cast({id} as bigint))")).collect();
    let order = format!("select * from (values {}) as t(place, abbreviation, partyfacts_id)", order.join(", "));
    let parties = enrich::query(
        ctx,
        &format!(
            "with wanted as ({order})              select distinct core.iso3, cast(years.year as int) as year, wanted.partyfacts_id              from wanted join pf_core as core on wanted.partyfacts_id = core.partyfacts_id              cross join unnest(range({first}, {})) as years(year)",
            last + 1
        ),
    )
    .await?;
    let written = enrich::query(
        ctx,
        "select partyfacts_id, array_to_string(array_sort(array_distinct(array_agg(partner || ' (' || match_method || ')'))), '; ')              as written, sum(contacts) as contacts          from enriched_decisions where outcome = 'matched' and in_period group by partyfacts_id",
    )
    .await?;
    forget(ctx, &["table_one_written"])?;
    enrich::register(ctx, "table_one_written", written)?;
    power_of(ctx, parties).await?;
    let mut md = format!(
        "\nThe parties of the paper's Table 1 (those the README names, and the rest of the sample's \
         top ten) through the chain: the names the sample writes for each and the rule that \
         resolved them (with the sample's party contacts of {first}-{last}), the Party Facts id, and \
         for each year {first}-{last} the DPI labels that record the party (`dpi_link`: its own \
         label, a unit, a predecessor or an alliance) and DPI's power status, consecutive years \
         with the same reading in one row:\n\n"
    );
    md.push_str(
        &markdown(
            ctx,
            &[
                "party",
                "country",
                "Party Facts id",
                "written in the sample (rule)",
                "contacts",
                "years",
                "DPI label (dpi_link)",
                "power status",
                "power_basis",
            ],
            &format!(
                "with wanted as ({order}),
                yearly as (
                    select wanted.place, wanted.abbreviation, p.iso3, p.partyfacts_id, p.year,
                        coalesce(p.dpi_party || ' (' || p.dpi_link || ')', '') as label, p.power_status, p.power_basis
                    from int_party_years_powered as p
                    join wanted on p.partyfacts_id = wanted.partyfacts_id
                    where p.year between {first} and {last}
                ),
                islands as (
                    select *, year - cast(row_number() over (
                        partition by partyfacts_id, label, power_status, power_basis order by year
                    ) as int) as island
                    from yearly
                ),
                island_spans as (
                    select place, abbreviation, iso3, partyfacts_id, label, power_status, power_basis,
                        min(year) as year_first, max(year) as year_last
                    from islands
                    group by place, abbreviation, iso3, partyfacts_id, label, power_status, power_basis, island
                ),
                spans as (
                    select *, row_number() over (partition by partyfacts_id order by year_first) = 1 as first_span
                    from island_spans
                )
                select spans.abbreviation, spans.iso3, spans.partyfacts_id,
                    case when spans.first_span then coalesce(w.written, '(none)') else '' end,
                    case when spans.first_span then cast(coalesce(w.contacts, 0) as varchar) else '' end,
                    case when year_first = year_last then cast(year_first as varchar)
                        else cast(year_first as varchar) || '-' || cast(year_last as varchar) end,
                    spans.label, spans.power_status, spans.power_basis
                from spans left join table_one_written as w on spans.partyfacts_id = w.partyfacts_id
                order by spans.place, spans.year_first"
            ),
        )
        .await?,
    );
    Ok(md)
}

/// How the sample's party contacts move, from the enriched decisions of a run on it.
pub async fn render_sample(ctx: &SessionContext, sample: &str) -> Result<String> {
    let parties = enrich::query(
        ctx,
        "select distinct iso3, year, partyfacts_id from contact_decisions where partyfacts_id is not null",
    )
    .await?;
    enrich::register(ctx, "parties", parties)?;
    let mut md = format!(
        "\nThe party contacts of `{sample}` (one per contact and party), DPI's power status before \
         the audit and after (the sample is illustrative: see examples/README.md):\n\n"
    );
    md.push_str(
        &markdown(
            ctx,
            &["before", "after", "power_basis after", "party contacts", "share"],
            &format!(
                "with before as ({BEFORE}),
                contacts as (
                    select before.before, e.dpi_power_status as after, e.dpi_power_basis as basis, e.contacts
                    from enriched_decisions as e
                    join before on e.iso3 = before.iso3 and e.year = before.year and e.partyfacts_id = before.partyfacts_id
                    where e.outcome = 'matched'
                )
                select before, after, case when before = after then '(same)' else basis end, sum(contacts),
                    round(cast(sum(contacts) as double) / (select sum(contacts) from contacts), 4)
                from contacts group by 1, 2, 3 order by 4 desc, 1, 2, 3"
            ),
        )
        .await?,
    );
    let changed = enrich::query(
        ctx,
        &format!(
            "with before as ({BEFORE})
            select cast(sum(e.contacts) filter (where before.before <> e.dpi_power_status) as varchar),
                cast(sum(e.contacts) as varchar),
                cast(round(cast(sum(e.contacts) filter (where before.before <> e.dpi_power_status) as double)
                    / sum(e.contacts), 4) as varchar)
            from enriched_decisions as e
            join before on e.iso3 = before.iso3 and e.year = before.year and e.partyfacts_id = before.partyfacts_id
            where e.outcome = 'matched'"
        ),
    )
    .await?;
    let _ = writeln!(
        md,
        "\nPower status changed for {} of the sample's {} party contacts (a share of {}).",
        text(&changed, 0, 0),
        text(&changed, 0, 1),
        text(&changed, 0, 2)
    );
    Ok(md)
}
