//! The SQL stages: the `sql/` files, run in order, each making the table it is named after
//! (`04_int_dpi_parties_linked.sql` makes `int_dpi_parties_linked`) from tables registered
//! before it. The files are built into the binary, so a run does not depend on the directory it
//! starts in.
//!
//! Each file opens with a header: what it makes, `-- reads:` the tables it reads, `-- grain:`
//! what one row is, and `-- key:` the columns that tell its rows apart (`(one row)` for a table
//! of one row). A stage's result is checked against its key as it runs, and the tests hold the
//! `reads:` line to the tables the SQL names.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result, ensure};
use arrow::array::{ArrayRef, RecordBatch, make_comparator};
use arrow::compute::SortOptions;
use arrow::datatypes::SchemaRef;
use datafusion::common::hash_utils::{RandomState, create_hashes};
use datafusion::execution::context::SessionContext;

use super::session::{query_batches, register};
use crate::shared::batch::{BatchBuilder, join};
use crate::shared::timing;

/// A SQL stage: the file it is read from and its text.
#[derive(Debug, Clone, Copy)]
pub struct Stage {
    pub file: &'static str,
    pub sql: &'static str,
}

impl Stage {
    /// The table a stage makes: its file name without the order prefix and `.sql`.
    pub fn table(&self) -> &'static str {
        let stem = self.file.strip_suffix(".sql").unwrap_or(self.file);
        stem.split_once('_').map_or(stem, |(_, name)| name)
    }

    /// The stage's SQL, without its final `order by` when its table is one of `unordered`.
    pub fn sql_unless_in(&self, unordered: &[&str]) -> &'static str {
        match unordered.contains(&self.table()) {
            true => without_final_order(self.sql),
            false => self.sql,
        }
    }

    /// The comment lines the file opens with, without their `-- `.
    fn header(&self) -> impl Iterator<Item = &'static str> {
        self.sql.lines().map_while(|l| l.strip_prefix("--")).map(str::trim)
    }

    /// The value of a header field (`reads`, `grain`, `key`): the rest of its line.
    pub fn field(&self, name: &str) -> Option<&'static str> {
        self.header().find_map(|l| l.strip_prefix(name)?.strip_prefix(':')).map(str::trim)
    }

    /// The tables the `-- reads:` line names (what is in brackets describes them).
    pub fn reads(&self) -> Vec<String> {
        let mut names = String::new();
        let mut depth = 0;
        for c in self.field("reads").unwrap_or_default().chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ if depth == 0 => names.push(c),
                _ => {}
            }
        }
        names.split(',').map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect()
    }

    /// The columns the `-- key:` line names; none for a table of one row.
    pub fn key(&self) -> Vec<String> {
        match self.field("key") {
            None | Some("(one row)") => Vec::new(),
            Some(key) => key.split(',').map(|c| c.trim().to_string()).collect(),
        }
    }
}

macro_rules! stage {
    ($file:literal) => {
        Stage { file: $file, sql: include_str!(concat!("../../sql/", $file)) }
    };
}

/// Stages that need only the sources.
pub const SOURCE_STAGES: &[Stage] =
    &[stage!("01_stg_fh_ratings.sql"), stage!("02_stg_dpi_parties.sql"), stage!("03_int_dpi_import_links.sql")];

/// Stages that need the resolver's links of the DPI parties the import lacks (`dpi_resolver_links`).
pub const LINK_STAGES: &[Stage] = &[stage!("04_int_dpi_parties_linked.sql")];

/// Stages that need the resolver's readings of the linked DPI parties' names
/// (`dpi_label_readings`): the crosswalk audit, and what reads its links.
pub const AUDIT_STAGES: &[Stage] = &[
    stage!("05_int_dpi_link_checks.sql"),
    stage!("06_int_dpi_parties_audited.sql"),
    stage!("08_int_dpi_country_years.sql"),
    stage!("09_stg_parlgov_cabinet_parties.sql"),
];

/// Stages that enrich the distinct decisions (`contact_decisions`); `enriched_contacts` is
/// `contact_rows` joined to the last of them on `decision` (src/enrich/contacts.rs).
pub const DECISION_STAGES: &[Stage] = &[
    stage!("10_int_party_year_ids.sql"),
    stage!("11_int_party_years_powered.sql"),
    stage!("12_int_party_cabinets_powered.sql"),
    stage!("20_enriched_decisions.sql"),
];

/// Stages that need the enriched contacts.
pub const CONTACT_STAGES: &[Stage] = &[
    stage!("21_int_interaction_groups.sql"),
    stage!("22_interactions.sql"),
    stage!("30_power_by_regime.sql"),
    stage!("31_review_queue.sql"),
    stage!("32_accounting.sql"),
    stage!("33_audit_crosswalk.sql"),
    stage!("40_contacts_by_year.sql"),
    stage!("41_contacts_by_venue_year.sql"),
    stage!("42_contacts_by_country.sql"),
    stage!("43_country_party_shares.sql"),
    stage!("44_top_partners.sql"),
    stage!("45_contacts_per_party.sql"),
    stage!("46_party_contact_shares.sql"),
    stage!("47_power_shares.sql"),
    stage!("48_power_by_period.sql"),
    stage!("49_power_source_agreement.sql"),
    stage!("53_totals.sql"),
    stage!("54_contacts_by_region.sql"),
    stage!("55_parties_by_contacts_regime_power.sql"),
    stage!("56_contacts_by_period.sql"),
];

/// Stages of the content analysis (with --news), after the contact stages: they read the news
/// items and their mentions of each topic (`src/content/`) and the items' contacts.
pub const CONTENT_STAGES: &[Stage] =
    &[stage!("60_int_item_topics.sql"), stage!("61_topics_by_year.sql"), stage!("62_topics_by_partner_regime.sql")];

/// Every stage in the order a run runs them.
pub fn all_stages() -> impl Iterator<Item = &'static Stage> {
    SOURCE_STAGES
        .iter()
        .chain(LINK_STAGES)
        .chain(AUDIT_STAGES)
        .chain(DECISION_STAGES)
        .chain(CONTACT_STAGES)
        .chain(CONTENT_STAGES)
}

/// The stage that makes `table`.
pub fn stage_for(table: &str) -> Option<&'static Stage> {
    all_stages().find(|s| s.table() == table)
}

/// Runs stages in order.
pub async fn run_stages(ctx: &SessionContext, stages: &[Stage]) -> Result<()> {
    for stage in stages {
        run_stage(ctx, stage).await?;
    }
    Ok(())
}

/// Intermediate tables whose row order nothing reads: `int_interaction_groups` is read by
/// `interactions` alone, which numbers its rows by their own `order by` (a total order: it
/// holds the key). They are made without their final `order by`, which sorted 372,497 rows
/// and their contact ids at 10^6 contacts for nothing (0.3 s of compute); the rows are the
/// same, and so is every output.
pub const UNORDERED_STAGES: &[&str] = &["int_interaction_groups"];

/// Runs one stage, checks its result against its key, and registers it under its table name;
/// a stage of [`UNORDERED_STAGES`] without its final `order by`, and `interactions` placed by
/// [`by_interaction_number`].
pub async fn run_stage(ctx: &SessionContext, stage: &Stage) -> Result<()> {
    match stage.table() {
        "interactions" => run_stage_placed(ctx, stage, |schema, batches| by_interaction_number(join(schema, batches)?))
            .await
            .map(drop),
        _ => run_stage_as(ctx, stage, stage.sql_unless_in(UNORDERED_STAGES), join).await.map(drop),
    }
}

/// `interactions` in the order of its final `order by number`, which its ids spell (`i000001`,
/// ..., `i1000000`: the number after the `i`): each row is put at its number, where a sort of
/// the wide rows took 0.6 s of compute at 10^6 contacts. Ids that do not number the rows 1 to
/// n, each once, are an error.
pub fn by_interaction_number(batch: RecordBatch) -> Result<RecordBatch> {
    use arrow::array::{Array, AsArray, UInt32Array};
    let ids = batch.column_by_name("interaction_id").and_then(|c| c.as_string_opt::<i32>());
    let ids = ids.context("interactions: no interaction_id column of text")?;
    let mut rows = vec![u32::MAX; ids.len()];
    for (row, id) in ids.iter().enumerate() {
        let number = id.and_then(|id| id.strip_prefix('i')?.parse::<usize>().ok());
        let place = number.filter(|n| (1..=rows.len()).contains(n)).map(|n| &mut rows[n - 1]);
        match place {
            Some(place) if *place == u32::MAX => *place = row as u32,
            _ => anyhow::bail!("interactions: the interaction_id {id:?} does not number one of its {} rows", ids.len()),
        }
    }
    Ok(arrow::compute::take_record_batch(&batch, &UInt32Array::from(rows))?)
}

/// [`run_stage`] for a stage whose rows `order` can put in the order of its final `order by`
/// more cheaply than a sort: the stage runs without it, and `order` places the rows (given as
/// the plan made them: the result's schema and batches). Returns the table registered (the
/// caller reads it at once: no query to read it back).
pub async fn run_stage_placed(
    ctx: &SessionContext,
    stage: &Stage,
    order: impl FnOnce(&SchemaRef, Vec<RecordBatch>) -> Result<RecordBatch>,
) -> Result<RecordBatch> {
    run_stage_as(ctx, stage, without_final_order(stage.sql), order).await
}

async fn run_stage_as(
    ctx: &SessionContext,
    stage: &Stage,
    sql: &str,
    order: impl FnOnce(&SchemaRef, Vec<RecordBatch>) -> Result<RecordBatch>,
) -> Result<RecordBatch> {
    let explain = std::env::var("PARTYLINK_EXPLAIN").unwrap_or_default();
    if explain.split(',').any(|name| name == stage.table()) {
        // PARTYLINK_EXPLAIN=table[,table]: the stage's plan with each operator's time and rows.
        let plan = ctx.sql(&format!("explain analyze {sql}")).await?.collect().await?;
        eprintln!("{}", arrow::util::pretty::pretty_format_batches(&plan)?);
    }
    let batch = {
        let _timer = timing::start(|| format!("sql/{}", stage.file));
        let (schema, batches) =
            query_batches(ctx, sql).await.with_context(|| format!("SQL stage sql/{}", stage.file))?;
        order(&schema, batches).with_context(|| format!("SQL stage sql/{}", stage.file))?
    };
    {
        let _timer = timing::start(|| {
            let mib = batch.get_array_memory_size() as f64 / (1024.0 * 1024.0);
            format!("sql/{}: key ({} rows, {mib:.0} MiB)", stage.file, batch.num_rows())
        });
        check_key(stage, &batch)?;
    }
    register(ctx, stage.table(), batch.clone())?;
    Ok(batch)
}

/// Checks a stage's result against its `-- key:` header: no two rows share the key's values
/// (nulls count as equal, as `group by` has them); a table of one row has one row at most.
/// Rows are told apart by a hash of their key, sorted (8 bytes a row, a few percent of a
/// stage's time); rows of one hash are compared in full.
pub fn check_key(stage: &Stage, batch: &RecordBatch) -> Result<()> {
    let key = stage.key();
    let grain = stage.field("grain").unwrap_or_default();
    if key.is_empty() {
        ensure!(batch.num_rows() <= 1, "sql/{}: {} rows, but its grain is {grain}", stage.file, batch.num_rows());
        return Ok(());
    }
    let columns = key
        .iter()
        .map(|c| batch.column_by_name(c).cloned().with_context(|| format!("sql/{}: no key column {c}", stage.file)))
        .collect::<Result<Vec<ArrayRef>>>()?;
    let hashes = || -> Result<Vec<u64>> {
        let mut hashes = vec![0; batch.num_rows()];
        create_hashes(&columns, &RandomState::default(), &mut hashes)?;
        Ok(hashes)
    };
    let mut sorted = hashes()?;
    sorted.sort_unstable();
    let shared: HashSet<u64> = sorted.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    if shared.is_empty() {
        return Ok(());
    }
    let comparators = columns
        .iter()
        .map(|c| make_comparator(c.as_ref(), c.as_ref(), SortOptions::default()))
        .collect::<Result<Vec<_>, _>>()?;
    let same = |a: usize, b: usize| comparators.iter().all(|compare| compare(a, b).is_eq());
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
    for (row, hash) in hashes()?.into_iter().enumerate().filter(|(_, h)| shared.contains(h)) {
        let earlier = by_hash.entry(hash).or_default();
        if earlier.iter().any(|&e| same(e, row)) {
            let values = columns
                .iter()
                .map(|c| arrow::util::display::array_value_to_string(c, row))
                .collect::<Result<Vec<_>, _>>()?;
            anyhow::bail!(
                "sql/{}: two rows have the key ({}) = ({}), but its grain is {grain}",
                stage.file,
                key.join(", "),
                values.join(", ")
            );
        }
        earlier.push(row);
    }
    Ok(())
}

/// Settings the SQL stages read from the one-row table `run_settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSettings {
    /// Rows of one party and venue this many days or less after a visit's first row join it.
    pub interaction_window_days: i32,
    /// No interaction lasts longer: a row this many days or more after its first row opens the
    /// next one, whatever ties the rows (a visit_id, a news item).
    pub max_visit_days: i32,
    /// The years the tables cover (both included); `None` for every year.
    pub period: Option<(i32, i32)>,
    /// The first year of the later period in `contacts_by_period` and `power_by_period`.
    pub period_split: i32,
    /// Which reading of power status feeds `power_status` and the tables.
    pub power_source: PowerSource,
}

impl Default for RunSettings {
    /// The paper's: 2002-2017, visits of a week, none longer than three weeks, before and since
    /// 2013, DPI's power status for the year.
    fn default() -> Self {
        RunSettings {
            interaction_window_days: 7,
            max_visit_days: 21,
            period: Some((2002, 2017)),
            period_split: 2013,
            power_source: PowerSource::Dpi,
        }
    }
}

/// The two readings of power status: DPI's for the contact's year, or the one on its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PowerSource {
    Dpi,
    OnDate,
}

impl PowerSource {
    /// As the command line, the manifest and the SQL stages write it.
    pub fn name(self) -> &'static str {
        match self {
            PowerSource::Dpi => "dpi",
            PowerSource::OnDate => "on-date",
        }
    }
}

impl RunSettings {
    /// The `run_settings` table.
    pub fn table(&self) -> Result<RecordBatch> {
        BatchBuilder::new()
            .int32("interaction_window_days", [Some(self.interaction_window_days)])
            .int32("max_visit_days", [Some(self.max_visit_days)])
            .int32("period_from", [self.period.map(|p| p.0)])
            .int32("period_to", [self.period.map(|p| p.1)])
            .int32("period_split", [Some(self.period_split)])
            .utf8("power_source", [Some(self.power_source.name())])
            .build()
    }

    /// The settings as the manifest records them.
    pub fn describe(&self, settings: &mut serde_json::Map<String, serde_json::Value>) {
        settings.insert("interaction_window_days".into(), self.interaction_window_days.into());
        settings.insert("max_visit_days".into(), self.max_visit_days.into());
        let period = self.period.map_or_else(|| "all".to_string(), |(from, to)| format!("{from}-{to}"));
        settings.insert("period".into(), period.into());
        settings.insert("period_split".into(), self.period_split.into());
        settings.insert("power_source".into(), self.power_source.name().into());
    }
}

/// The years the tables cover, both included; `None` for every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period(pub Option<(i32, i32)>);

/// A period as `--period` takes it: `FROM-TO` (years, both included), one year, or `all`.
pub fn parse_period(text: &str) -> std::result::Result<Period, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("all") {
        return Ok(Period(None));
    }
    let year = |t: &str| {
        t.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1000..=9999).contains(y))
            .ok_or_else(|| format!("{t:?} is not a year (expected FROM-TO, such as 2002-2017, or all)"))
    };
    let (from, to) = match text.split_once('-') {
        Some((from, to)) => (year(from)?, year(to)?),
        None => (year(text)?, year(text)?),
    };
    if from > to {
        return Err(format!("the period {from}-{to} ends before it begins"));
    }
    Ok(Period(Some((from, to))))
}

/// A stage's SQL without the `order by` after its last `from final` (the stages end so), for
/// a table whose order is made another way; other SQL as it is.
pub fn without_final_order(sql: &'static str) -> &'static str {
    let Some(end) = sql.rfind("from final") else { return sql };
    let tail = &sql[end + "from final".len()..];
    match tail.trim_start().starts_with("order by") {
        true => &sql[..end + "from final".len()],
        false => sql,
    }
}

#[cfg(test)]
mod tests;
