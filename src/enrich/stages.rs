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
use datafusion::common::hash_utils::{RandomState, create_hashes};
use datafusion::execution::context::SessionContext;

use super::session::{query, register};
use crate::shared::batch::BatchBuilder;
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

/// Runs one stage, checks its result against its key, and registers it under its table name.
pub async fn run_stage(ctx: &SessionContext, stage: &Stage) -> Result<()> {
    let explain = std::env::var("PARTYLINK_EXPLAIN").unwrap_or_default();
    if explain.split(',').any(|name| name == stage.table()) {
        // PARTYLINK_EXPLAIN=table[,table]: the stage's plan with each operator's time and rows.
        let plan = ctx.sql(&format!("explain analyze {}", stage.sql)).await?.collect().await?;
        eprintln!("{}", arrow::util::pretty::pretty_format_batches(&plan)?);
    }
    let batch = {
        let _timer = timing::start(|| format!("sql/{}", stage.file));
        query(ctx, stage.sql).await.with_context(|| format!("SQL stage sql/{}", stage.file))?
    };
    {
        let _timer = timing::start(|| format!("sql/{}: key ({} rows)", stage.file, batch.num_rows()));
        check_key(stage, &batch)?;
    }
    register(ctx, stage.table(), batch)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_list_matches_the_sql_directory() {
        let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sql"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = all_stages().map(|s| s.file).collect();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn every_stage_says_what_it_makes_reads_its_grain_and_key() {
        for stage in all_stages() {
            let head: Vec<&str> = stage.sql.lines().take(3).collect();
            assert!(stage.sql.contains("from final"), "{} ends by selecting from final", stage.file);
            assert!(head[0].starts_with(&format!("-- {}: ", stage.table())), "{}", stage.file);
            assert!(head[1].starts_with("-- reads: "), "{}", stage.file);
            assert!(head[2].starts_with("-- grain: "), "{}", stage.file);
            let key = stage.field("key").unwrap_or_else(|| panic!("{} has no -- key: line", stage.file));
            assert!(!key.is_empty(), "{}", stage.file);
            assert_eq!(stage.key().is_empty(), key == "(one row)", "{}", stage.file);
        }
    }

    /// The tables a stage's SQL names (its CTEs aside), by DataFusion's own parser.
    fn referenced(stage: &Stage) -> Vec<String> {
        let state = super::super::create_context().state();
        let statement = state.sql_to_statement(stage.sql, &Default::default()).unwrap();
        let mut tables: Vec<String> =
            state.resolve_table_references(&statement).unwrap().iter().map(|t| t.table().to_string()).collect();
        tables.sort();
        tables.dedup();
        tables
    }

    #[test]
    fn every_stage_reads_what_its_header_says_and_what_is_made_before_it() {
        // What the readers, the resolver and the content analysis register before any stage
        // runs.
        let mut made: Vec<String> = "fh_ratings fh_country_fallbacks dpi dpi_placeholders party_units \
            party_abbreviations pf_core pf_external pf_dpi_import countries parlgov_cabinet_parties \
            dpi_link_corrections party_successions dpi_alliances dpi_resolver_links dpi_label_readings \
            crosswalk_settings contact_decisions contact_rows run_settings news_items news_topic_mentions topics \
            news_contacts"
            .split_whitespace()
            .map(str::to_string)
            .collect();
        for stage in all_stages() {
            let mut reads = stage.reads();
            reads.sort();
            assert_eq!(reads, referenced(stage), "sql/{}: its reads: line and its SQL", stage.file);
            for table in &reads {
                assert!(made.contains(table), "sql/{} reads {table}, which nothing made before it", stage.file);
            }
            made.push(stage.table().to_string());
        }
    }

    /// A cross join with the run's settings (one row) names the settings first: without
    /// statistics (a `--cluster` run reads Parquet without them) the planner keeps a cross
    /// join's sides as written and holds the first in memory, and with the settings second each
    /// row of the other side came out in a batch of its own (sql/21 took 21 s on the cluster at
    /// 10^6 contacts, and did not finish with one task slot).
    #[test]
    fn the_one_row_settings_come_first_in_a_cross_join() {
        for stage in all_stages() {
            for line in stage.sql.lines().map(|l| l.trim().to_lowercase()) {
                let Some(joined) = line.strip_prefix("cross join ") else { continue };
                let table = joined.split_whitespace().next().unwrap_or_default();
                assert!(!table.ends_with("settings"), "sql/{}: `{line}`: name {table} first", stage.file);
            }
        }
    }

    #[test]
    fn periods_are_read_as_the_flag_documents_them() {
        assert_eq!(parse_period("2002-2017"), Ok(Period(Some((2002, 2017)))));
        assert_eq!(parse_period(" 2010 "), Ok(Period(Some((2010, 2010)))));
        assert_eq!(parse_period("ALL"), Ok(Period(None)));
        assert_eq!(parse_period("2017-2002").unwrap_err(), "the period 2017-2002 ends before it begins");
        assert!(parse_period("2002-").unwrap_err().contains("is not a year"));
        assert!(parse_period("02-17").is_err());
    }

    #[test]
    fn a_repeated_key_is_refused_with_its_values() {
        let stage =
            Stage { file: "99_t.sql", sql: "-- t: x\n-- reads: u\n-- grain: one row per a and b\n-- key: a, b\n" };
        let batch = |b: Vec<Option<&str>>| {
            BatchBuilder::new().int32("a", [Some(1), Some(1), None]).utf8("b", b).build().unwrap()
        };
        check_key(&stage, &batch(vec![Some("x"), Some("y"), Some("x")])).unwrap();
        let e = check_key(&stage, &batch(vec![Some("x"), Some("x"), None])).unwrap_err().to_string();
        assert_eq!(e, "sql/99_t.sql: two rows have the key (a, b) = (1, x), but its grain is one row per a and b");
        let one = Stage { file: "98_t.sql", sql: "-- t: x\n-- grain: one row\n-- key: (one row)\n" };
        assert!(check_key(&one, &batch(vec![None, None, None])).is_err());
    }
}
