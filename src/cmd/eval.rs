//! `partylink eval`: precision, recall and review rate of party resolution on a labelled set
//! built from the sources (see `eval.rs` for how the set is made).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs};
use crate::pipeline::{PowerSource, RunSettings};
use crate::read::contacts;
use crate::{eval, eval_audit};
use crate::load::Sources;
use crate::output::Staging;
use crate::pipeline;
use crate::registry;

/// Evaluate party resolution on a labelled set built from the sources.
///
/// Positives are the parties DPI names in 2002-2017 that Party Facts' DPI import links to a
/// Party Facts id (where the crosswalk audit keeps the link), written as a held-out dataset
/// (V-Party, Wikipedia) names them, with noise; negatives are parties of other countries. Then
/// the crosswalk audit: links checked, flagged by each check, decided; the country-years whose
/// list of government parties is open; power status before and after the audit for the parties
/// DPI names and for the party contacts of --contacts. Prints the report as Markdown, or writes
/// it to --out.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    /// Seed of the noise and the sampling
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Contacts whose party contacts' power status the crosswalk audit section compares before
    /// and after the audit
    #[arg(long, value_name = "FILE", default_value = "examples/contacts_sample.csv")]
    pub contacts: PathBuf,

    /// Write the report here (e.g. EVALUATION.md) instead of printing it
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

const INTRO: &str = "# Evaluation of party resolution

This file is written by `make eval` (`partylink eval --seed 1 --out EVALUATION.md`, release
build) from the source files alone; rerun it after changing the resolver or the reference
tables. Same sources and seed, same file.

## The labelled set

- **Positives**: every party that DPI2017 names (executive, government or opposition) in
  2002-2017 and that Party Facts' own DPI import links to a Party Facts id, in a year where the
  crosswalk audit vouches for the party (see *The crosswalk audit* below; an item drawn in a year
  it does not is left out, its truth being in doubt): the contacts whose
  party DPI names that year, one item per party and country, in a year DPI names it. The name
  *as written* is the one the V-Party or Wikipedia rows of Party Facts' external parties give
  the party (their English name). The set is evaluated twice:
  - **names seen**: the registry holds every source, V-Party and Wikipedia included, so the
    test is of the noise below;
  - **names held out**: V-Party and Wikipedia rows are removed from the registry, so the
    resolver never saw these names verbatim from them (another dataset may still spell a party
    the same way), and a name only those datasets use is a name the resolver cannot know: the
    right answer for it is review.
- **Noise**, one kind per item, drawn with the seed: `none`; `typo` (two neighbouring letters
  swapped in the longest word); `word_order` (\"Vietnam Communist Party\"); `party_word` (\"Party\"
  dropped, or added where absent); `country_added` (\"... of Japan\"); `abbreviation_only`
  (Party Facts' short name alone); `possessive` (\"Japan's ...\"); `bracket` (\"... (SPD)\");
  `upper_ascii` (upper case, accents and punctuation removed).
- **Negatives**: for each country, the held-out name of a party of another country that no
  party of this country bears. Every match is wrong.

A match counts as correct when it is a single party and that party is the truth. Precision is
correct / matched, recall is correct / items, review rate is the share sent to review.

## Results
";

const AUDIT_INTRO: &str = "
## The crosswalk audit

partylink takes each DPI label's Party Facts id from Party Facts' DPI import (and from its own
resolver for the labels the import lacks), and checks every such link before it lets the link
decide a power status; see the README (*The crosswalk audit*, *Power status*) for the checks,
the decisions and the rules. The counts below are written by the same `partylink eval`.

";

pub async fn run(args: EvalArgs) -> Result<()> {
    let paths = args.sources.paths()?;
    let reference = args.sources.reference()?;
    let sources = Sources::read(&paths, &reference.countries)?;
    let config = args.resolver.config();
    let (ctx, run_registry) =
        pipeline::prepare(&sources, &reference, config, &crate::cache::LinkCache::disabled()).await?;
    // The truth is the import's links, each item kept where the crosswalk audit vouches for its
    // party in its country-year; the registry is the one a run resolves with (every link the
    // audit vouches for, no DPI rows of Party Facts' external file).
    let truth = pipeline::dpi_links(&ctx, "int_dpi_import_links").await?;
    let all_links = pipeline::dpi_links(&ctx, "int_dpi_parties_audited").await?;
    let vouched: std::collections::BTreeSet<(String, i32, i64)> = all_links
        .iter()
        .flat_map(|l| (l.year_first..=l.year_last).map(move |y| (l.iso3.clone(), y, l.partyfacts_id)))
        .collect();
    let mut text = INTRO.to_string();
    for (title, registry) in [
        ("Names seen: the registry holds every source", {
            registry::build(&pipeline::registry_sources(&sources, &[]), &reference, &all_links, config)
        }),
        ("Names held out: V-Party and Wikipedia removed from the registry", {
            let held_out = pipeline::registry_sources(&sources, &eval::HELD_OUT);
            registry::build(&held_out, &reference, &all_links, config)
        }),
    ] {
        let items = eval::build_items(&sources, &reference.countries, &truth, &vouched, &registry, args.seed);
        let report = eval::evaluate(&items, &registry, &reference.countries);
        text.push_str(&format!("\n### {title}\n\n"));
        text.push_str(&eval::render(&report, args.seed, config.accept, config.margin, registry.len()));
    }
    // The crosswalk audit, and what it changes for the sample's party contacts (run first:
    // the audit's counts then reuse the decision stages for the parties DPI names).
    text.push_str(AUDIT_INTRO);
    let contacts = contacts::read(&args.contacts)?;
    let settings = RunSettings { interaction_window_days: 7, power_source: PowerSource::Dpi };
    pipeline::enrich(&ctx, &run_registry, &reference.countries, &sources.cabinets, &contacts, &settings).await?;
    let sample = eval_audit::render_sample(&ctx, &args.contacts.display().to_string()).await?;
    text.push_str(&eval_audit::render_links(&ctx).await?);
    text.push_str(&sample);
    match &args.out {
        Some(path) => {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
            let mut staging = Staging::new(dir)?;
            staging.write_text(&path.file_name().unwrap_or_default().to_string_lossy(), &text)?;
            staging.commit()?;
        }
        None => print!("{text}"),
    }
    Ok(())
}
