//! What `partylink eval` and `explain` run: resolution measured on the labelled set, and contacts
//! resolved and enriched up to their decisions without writing anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use arrow::array::RecordBatch;
use chrono::NaiveDate;

use super::{Inputs, Loaded, prepare, registry_sources, resolve};
use crate::enrich::{self, DECISION_STAGES, RunSettings};
use crate::extract;
use crate::load::Sources;
use crate::load::read::contacts::{self, Contacts};
use crate::load::reference::Reference;
use crate::report;
use crate::resolve::link_cache::LinkCache;
use crate::resolve::{ResolverConfig, eval, names};

/// `partylink eval`: resolution measured on the labelled set built from the sources, with
/// every name in the registry and with the held-out datasets' names removed; then the crosswalk
/// audit, and what it changes for the party contacts of `sample`; the report's results, as
/// Markdown.
/// Then extraction measured on the labelled news items of `news_labels` (the corpus the rules
/// were written on) and of `news_blind` (corpora written blind), with the names-seen registry
/// as gazetteer and resolver.
pub async fn evaluate(
    inputs: &Inputs,
    config: ResolverConfig,
    seed: u64,
    sample: &Path,
    news_labels: &Path,
    news_blind: &[PathBuf],
) -> Result<String> {
    let reference = Reference::load(inputs.reference.as_deref())?;
    let sources = Sources::read(&inputs.paths, &reference.countries)?;
    let (ctx, run_registry) = prepare(&sources, &reference, config, &LinkCache::disabled()).await?;
    // The truth is the import's links, each item kept where the crosswalk audit vouches for its
    // party in its country-year; the registry is the one a run resolves with (every link the
    // audit vouches for, no DPI rows of Party Facts' external file).
    let truth = enrich::links::dpi_links(&ctx, "int_dpi_import_links").await?;
    let all_links = enrich::links::dpi_links(&ctx, "int_dpi_parties_audited").await?;
    let vouched: BTreeSet<(String, i32, i64)> = all_links
        .iter()
        .flat_map(|l| (l.year_first..=l.year_last).map(move |y| (l.iso3.clone(), y, l.partyfacts_id)))
        .collect();
    let mut text = String::new();
    let seen = names::build(&registry_sources(&sources, &[]), &reference, &all_links, config);
    let held_out = names::build(&registry_sources(&sources, &eval::HELD_OUT), &reference, &all_links, config);
    for (title, registry, two_kinds) in [
        ("Names seen: the registry holds every source", &seen, false),
        ("Names held out: V-Party and Wikipedia removed from the registry", &held_out, false),
        ("Names seen, two kinds of noise on every item", &seen, true),
    ] {
        let items = eval::build_items(&sources, &reference.countries, &truth, &vouched, registry, seed, two_kinds);
        let report = eval::evaluate(&items, registry, &reference.countries);
        text.push_str(&format!("\n### {title}\n\n"));
        text.push_str(&eval::render(&report, seed, config.accept, config.margin, registry.len()));
    }
    drop(held_out);
    let registry = seen;
    let labelled = |dir: &Path| -> Result<_> {
        let items = extract::read_news(&dir.join("items.jsonl"))?;
        let labels = extract::evaluate::Labels::read(dir)?;
        Ok((super::extract_items(&registry, &reference, inputs.reference.as_deref(), items)?, labels))
    };
    let blind = news_blind
        .iter()
        .map(|dir| {
            let (results, labels) = labelled(dir)?;
            let name = dir.file_name().unwrap_or(dir.as_os_str()).to_string_lossy().into_owned();
            Ok((name, results, labels))
        })
        .collect::<Result<Vec<_>>>()?;
    text.push_str(&extract::evaluate::section(labelled(news_labels)?, blind));
    // The crosswalk audit, and what it changes for the sample's party contacts (enriched first:
    // the audit's counts then reuse the decision stages for the parties DPI names).
    text.push_str(report::audit::INTRO);
    let contacts = contacts::read(sample)?;
    let loaded = Loaded { reference, ctx, registry: run_registry, cabinets: sources.cabinets };
    let settings = RunSettings::default();
    enrich_only(&loaded, &contacts, settings).await?;
    let sample_text = report::audit::render_sample(&loaded.ctx, &sample.display().to_string()).await?;
    let table_one = report::audit::render_table_one(&loaded.ctx).await?;
    text.push_str(&report::audit::render_links(&loaded.ctx).await?);
    text.push_str(&sample_text);
    text.push_str(&table_one);
    Ok(text)
}

/// Resolves and enriches contacts up to `enriched_decisions` (both readings of power status)
/// without writing anything: what `explain` and `eval` read.
pub async fn enrich_only(loaded: &Loaded, contacts: &Contacts, settings: RunSettings) -> Result<()> {
    resolve(loaded, contacts)?;
    enrich::register(&loaded.ctx, "run_settings", settings.table()?)?;
    enrich::run_stages(&loaded.ctx, DECISION_STAGES).await
}

/// `partylink explain`'s power side: `partner` in `country` on `day` enriched as a one-row
/// contacts file, as a run would; each matched party with both readings of its power status.
pub async fn power_readings(loaded: &Loaded, country: &str, day: NaiveDate, partner: &str) -> Result<RecordBatch> {
    let contact = contacts::one(country, day, partner)?;
    let settings = RunSettings::default();
    enrich_only(loaded, &contact, settings).await?;
    enrich::explain::power_readings(&loaded.ctx).await
}
