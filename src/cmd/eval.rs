//! `partylink eval`: precision, recall and review rate of party resolution on a labelled set
//! built from the sources (see `eval.rs` for how the set is made).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs};
use crate::eval;
use crate::load::Sources;
use crate::output::Staging;
use crate::pipeline;
use crate::registry;

/// Evaluate party resolution on a labelled set built from the sources.
///
/// Positives are the parties DPI names in 2002-2017 that Party Facts' DPI import links to a
/// Party Facts id, written as a held-out dataset (V-Party, Wikipedia) names them, with noise;
/// negatives are parties of other countries. Prints the report as Markdown, or writes it to --out.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    /// Seed of the noise and the sampling
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Write the report here (e.g. EVALUATION.md) instead of printing it
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Labelled news items for the evaluation of `partylink extract`: a directory with
    /// items.jsonl, labels.csv and item_kinds.csv
    #[arg(long, value_name = "DIR", default_value = "tests/fixtures/news")]
    pub news_labels: PathBuf,
}

const INTRO: &str = "# Evaluation of party resolution

This file is written by `make eval` (`partylink eval --seed 1 --out EVALUATION.md`, release
build) from the source files alone; rerun it after changing the resolver or the reference
tables. Same sources and seed, same file.

## The labelled set

- **Positives**: every party that DPI2017 names (executive, government or opposition) in
  2002-2017 and that Party Facts' own DPI import links to a Party Facts id: the contacts whose
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

pub async fn run(args: EvalArgs) -> Result<()> {
    let paths = args.sources.paths()?;
    let reference = args.sources.reference()?;
    let sources = Sources::read(&paths, &reference.countries)?;
    let config = args.resolver.config();
    let (ctx, _) = pipeline::prepare(&sources, &reference, config, &crate::cache::LinkCache::disabled()).await?;
    let truth = pipeline::dpi_links(&ctx, "int_dpi_import_links").await?;
    let all_links = pipeline::dpi_links(&ctx, "int_dpi_parties_linked").await?;
    let mut text = INTRO.to_string();
    for (title, registry) in [
        ("Names seen: the registry holds every source", registry::build(&sources, &reference, &all_links, config)),
        ("Names held out: V-Party and Wikipedia removed from the registry", {
            registry::build(&eval::without_held_out(&sources), &reference, &all_links, config)
        }),
    ] {
        let items = eval::build_items(&sources, &reference.countries, &truth, &registry, args.seed);
        let report = eval::evaluate(&items, &registry, &reference.countries);
        text.push_str(&format!("\n### {title}\n\n"));
        text.push_str(&eval::render(&report, args.seed, config.accept, config.margin, registry.len()));
    }
    text.push_str(&extraction_section(&args, &sources, &reference, &all_links)?);
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

const EXTRACTION_INTRO: &str = "
## Extraction from news items

`partylink extract` on the labelled news items of `tests/fixtures/news` (invented items in the
style of the CPC International Department's English news, labelled by hand; see the README
there for the rules the labels follow), with the registry of the names-seen setting above as
gazetteer and resolver.

- **Party contacts**: (item, Party Facts id), the ids the resolver gives the partners the
  extractor writes, against the labelled ids. Labelled parties without an id (named only by
  their country, or missing from Party Facts) are review cases, counted in the last column.
- **Non-party contacts**: (item, country), each label matched once.
- **Non-meeting items recognised**: congratulations, condolences, other messages and other
  items that are not taken for meetings; **item kind exact**: items whose kind is the label's.
- **Date** and **venue agreement**: among the contacts found that match a label with a date,
  the same day and precision, and the same venue (an empty one agreeing with an empty one).
- **Expected reviews given**: items the labels expect a person to look at (a party named only
  as \"the ruling party\", a name that fits two parties, an undatable meeting...) that have a
  row in `extract_review.csv`.

The rules were developed on the items with even ids; the odd ones were held out, and their row
is the estimate for items the rules have not seen.

";

fn extraction_section(
    args: &EvalArgs,
    sources: &Sources,
    reference: &crate::reference::Reference,
    links: &[crate::registry::DpiLink],
) -> Result<String> {
    use crate::extract::{self, evaluate, gazetteer::Gazetteer, places::Places};
    let registry = registry::build(sources, reference, links, args.resolver.config());
    let places = Places::load(args.sources.reference.as_deref(), &reference.countries)?;
    let gazetteer = Gazetteer::new(&registry, &places, args.sources.reference.as_deref())?;
    let extractor = extract::Extractor::new(&registry, &reference.countries, &places, &gazetteer);
    let items = extract::read_news(&args.news_labels.join("items.jsonl"))?;
    let labels = evaluate::Labels::read(&args.news_labels)?;
    let results = extractor.extract_all(&items);
    let rows = [
        ("all", evaluate::score(&results, &labels, |_| true)),
        ("development: even ids", evaluate::score(&results, &labels, evaluate::even_id)),
        ("held out: odd ids", evaluate::score(&results, &labels, |id| !evaluate::even_id(id))),
    ];
    Ok(format!("{EXTRACTION_INTRO}{}", evaluate::render(&rows)))
}
