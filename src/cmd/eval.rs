//! `partylink eval`: precision, recall and review rate of party resolution on a labelled set
//! built from the sources (see `src/resolve/eval.rs` for how the set is made).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs};
use crate::pipeline;
use crate::report::Staging;

/// Evaluate party resolution on a labelled set built from the sources.
///
/// Positives are the parties DPI names in 2002-2017 that Party Facts' DPI import links to a
/// Party Facts id (where the crosswalk audit keeps the link), written as a held-out dataset
/// (V-Party, Wikipedia) names them, with noise; negatives are parties of other countries. Then
/// the crosswalk audit: links checked, flagged by each check, decided; the country-years whose
/// list of government parties is open; power status before and after the audit for the parties
/// DPI names and for the party contacts of --contacts. Prints the report as Markdown, or writes
/// it to --to.
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
    #[arg(short = 'o', long, alias = "out", value_name = "FILE")]
    pub to: Option<PathBuf>,

    /// Labelled news items for the evaluation of `partylink extract`: a directory with
    /// items.jsonl, labels.csv and item_kinds.csv
    #[arg(long, value_name = "DIR", default_value = "tests/fixtures/news")]
    pub news_labels: PathBuf,

    /// Labelled news items written without sight of the extractor's rules, in the same layout:
    /// the estimate for items the rules have not seen (repeat for several corpora)
    #[arg(
        long,
        value_name = "DIR",
        default_values = ["tests/fixtures/news_holdout", "tests/fixtures/news_holdout_2"]
    )]
    pub news_blind: Vec<PathBuf>,
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
- **Noise**, one kind per item, drawn with the seed from twenty: `none`; `typo` (two neighbouring letters
  swapped in the longest word); `word_order` (\"Vietnam Communist Party\"); `party_word` (\"Party\"
  dropped, or added where absent); `country_added` (\"... of Japan\"); `abbreviation_only`
  (Party Facts' short name alone); `possessive` (\"Japan's ...\"); `bracket` (\"... (SPD)\");
  `upper_ascii` (upper case, accents and punctuation removed); and the damage of hand-typed,
  OCR'd or extracted text (`src/resolve/noise.rs`): `swapped_letters`, `letter_dropped`,
  `letter_doubled`, `letter_substituted` (in a word of four letters or more, not its first),
  `space_lost` (\"BroadFront\"), `space_moved` (\"Partyo f\"), `space_added`, `doubled_word`
  (\"the The ...\"), `stray_punctuation` (a trailing comma, an unbalanced bracket, \"... SDP)\"),
  `country_misspelled` (\"... of Ecuaor\"), `lower_case`.
- **Two kinds at once**: the names-seen set again, every item with two different kinds, the
  second a kind of text damage (\"the The Democratic Partyo f Japan\"); grouped by the second.
- **Negatives**: for each country, the held-out name of a party of another country that no
  party of this country bears. Every match is wrong.

A match counts as correct when it is a single party and that party is the truth. Precision is
correct / matched, recall is correct / items, review rate is the share sent to review.

## Results
";

pub async fn run(args: EvalArgs) -> Result<()> {
    let results = pipeline::evaluate(
        &args.sources.inputs()?,
        args.resolver.config(),
        args.seed,
        &args.contacts,
        &args.news_labels,
        &args.news_blind,
    )
    .await?;
    let text = format!("{INTRO}{results}");
    match args.to.as_deref().filter(|path| !crate::cmd::is_stdout(path)) {
        Some(path) => {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
            let mut staging = Staging::new(dir)?;
            staging.write_text(&path.file_name().unwrap_or_default().to_string_lossy(), &text)?;
            staging.commit()?;
        }
        None => crate::cmd::to_stdout(text.as_bytes())?,
    }
    Ok(())
}
