//! `partylink synth`: synthetic contacts with known truth, for benchmarks and tests at scale.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{Array, ArrayRef, AsArray, Date32Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Int32Type, Int64Type, Schema};
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs};
use crate::enrich;
use crate::load::countries::Countries;
use crate::report::{Format, Staging};
use crate::resolve::noise::{NOISE, Rng, TEXT_NOISE, apply_noise};

/// Write synthetic contacts with known truth (true_partyfacts_id), drawn from real parties.
///
/// Each row names a party that DPI names in its year (2002-2017) and Party Facts links, as one
/// of a few spellings of that party (its names with the noise `partylink eval` uses: typos,
/// word order, possessives, brackets...), so that many rows share a spelling as in news data;
/// popular parties recur more (a Zipf-like draw). With `--spellings per-row` most rows damage
/// their spelling further, each in its own way (swapped, dropped, doubled or wrong letters,
/// lost or moved spaces, doubled words, stray punctuation, a misspelled country, case), so
/// that distinct names grow with rows as in event data, OCR or hand-typed sources. About 5%
/// are non-party partners. Writes Parquet or CSV, chosen by the extension of --to, in
/// batches of a million rows. With --news N it writes N news items about the same parties
/// instead (JSON lines, about 2 KB each: meetings in China and abroad, messages, other items),
/// for benchmarking `partylink extract`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// How many contacts
    #[arg(long, required_unless_present = "news", conflicts_with = "news")]
    pub rows: Option<usize>,

    /// Write this many news items instead (JSON lines, for `partylink extract`): meetings in
    /// China and abroad, messages and other items about the same parties, about 2 KB each
    #[arg(long, value_name = "N")]
    pub news: Option<usize>,

    /// Seed of every draw: the same seed gives the same file
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Output file: .parquet or .csv
    #[arg(short = 'o', long, alias = "out", value_name = "FILE")]
    pub to: PathBuf,

    /// How partners are spelled: a few spellings per party, or damaged row by row
    #[arg(long, value_enum, default_value_t = Spellings::Few)]
    pub spellings: Spellings,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// How the rows spell their partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Spellings {
    /// One of six spellings per party: distinct names stop growing at a few thousand
    Few,
    /// Three rows in four damaged further, each by one or two kinds of text noise of its own
    PerRow,
}

/// A party that can be drawn: where, when, as what.
struct Party {
    iso3: String,
    id: i64,
    years: Vec<i32>,
    spellings: Vec<String>,
    /// Its short name and its country's name, for the noise that writes them.
    short: Option<String>,
    country: String,
    countries: Vec<String>,
}

const SPELLINGS_PER_PARTY: usize = 6;
const BATCH: usize = 1_000_000;
const NON_PARTY: [&str; 6] = [
    "Friendship Association delegation",
    "former ministers",
    "think-tank scholars",
    "Young Political Leaders delegation",
    "women's federation",
    "trade union delegation",
];

pub async fn run(args: SynthArgs) -> Result<()> {
    let loaded = args.sources.load(&args.resolver).await?;
    let links = enrich::query(
        &loaded.ctx,
        "select iso3, year, partyfacts_id from int_dpi_parties_linked \
         where partyfacts_id is not null and year between 2002 and 2017 order by iso3, partyfacts_id, year",
    )
    .await?;
    let names = enrich::query(
        &loaded.ctx,
        "select partyfacts_id, coalesce(nullif(name_english, ''), name) as name, name_short from pf_core order by partyfacts_id",
    )
    .await?;
    let mut by_id: std::collections::HashMap<i64, (String, Option<String>)> = std::collections::HashMap::new();
    let (ids, full, short) = (
        names.column(0).as_primitive::<Int64Type>(),
        names.column(1).as_string::<i32>(),
        names.column(2).as_string::<i32>(),
    );
    for i in 0..names.num_rows() {
        if full.is_valid(i) {
            by_id.insert(
                ids.value(i),
                (full.value(i).to_string(), short.is_valid(i).then(|| short.value(i).to_string())),
            );
        }
    }
    let mut rng = Rng::new(args.seed);
    let parties = parties(&links, &by_id, &loaded.reference.countries, &mut rng);
    anyhow::ensure!(!parties.is_empty(), "no linked DPI parties to draw from");
    if let Some(n) = args.news {
        return write_news(&args.to, n, &parties, &by_id, &loaded.reference.countries, &mut rng);
    }
    let rows = args.rows.expect("clap requires --rows or --news");

    let schema = Arc::new(Schema::new(vec![
        Field::new("contact_id", DataType::Utf8, false),
        Field::new("date", DataType::Date32, false),
        Field::new("country", DataType::Utf8, false),
        Field::new("partner", DataType::Utf8, false),
        Field::new("venue", DataType::Utf8, false),
        Field::new("partner_kind", DataType::Utf8, false),
        Field::new("true_partyfacts_id", DataType::Int64, true),
    ]));
    let mut staging =
        Staging::new(args.to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")))?;
    let file = args.to.file_name().context("--to needs a file name")?.to_string_lossy().into_owned();
    let batches = (0..rows.div_ceil(BATCH)).map(|b| {
        let rows = BATCH.min(rows - b * BATCH);
        batch(&schema, &parties, b * BATCH, rows, args.spellings, &mut rng)
    });
    let format = match args.to.extension().and_then(|e| e.to_str()) {
        Some("parquet") => Format::Parquet,
        Some("csv") => Format::Csv,
        _ => anyhow::bail!("{}: use a .parquet or .csv file", args.to.display()),
    };
    staging.write_batches(&file, format, schema.clone(), batches)?;
    staging.commit()?;
    Ok(())
}

fn parties(
    links: &RecordBatch,
    names: &std::collections::HashMap<i64, (String, Option<String>)>,
    countries: &Countries,
    rng: &mut Rng,
) -> Vec<Party> {
    let (iso3, year, id) = (
        links.column(0).as_string::<i32>(),
        links.column(1).as_primitive::<Int32Type>(),
        links.column(2).as_primitive::<Int64Type>(),
    );
    let mut out: Vec<Party> = Vec::new();
    for i in 0..links.num_rows() {
        let (iso3, year, id) = (iso3.value(i), year.value(i), id.value(i));
        if let Some(last) = out.last_mut().filter(|p| p.iso3 == iso3 && p.id == id) {
            last.years.push(year);
            continue;
        }
        let Some((name, short)) = names.get(&id) else { continue };
        let country = countries.name_of(iso3).unwrap_or(iso3).to_string();
        let spellings = (0..SPELLINGS_PER_PARTY)
            .map(|k| {
                if k == 0 {
                    name.clone()
                } else {
                    apply_noise(NOISE[rng.below(NOISE.len())], name, &country, short.as_deref(), rng)
                }
            })
            .collect();
        let spellings_of_country: Vec<String> =
            countries.spellings_of(iso3).filter(|s| s.len() > 3).map(str::to_string).collect();
        out.push(Party {
            iso3: iso3.to_string(),
            id,
            years: vec![year],
            spellings,
            short: short.clone(),
            country: country.clone(),
            countries: if spellings_of_country.is_empty() { vec![country] } else { spellings_of_country },
        });
    }
    out
}

/// Writes `n` news items about the parties, as JSON lines.
fn write_news(
    out: &std::path::Path,
    n: usize,
    parties: &[Party],
    names: &std::collections::HashMap<i64, (String, Option<String>)>,
    countries: &crate::load::countries::Countries,
    rng: &mut Rng,
) -> Result<()> {
    use crate::extract::places::{Iso3, PlaceKind, Places};
    use crate::extract::synth::{SynthParty, item};
    anyhow::ensure!(
        out.extension().is_some_and(|e| e == "jsonl"),
        "{}: news items are written as JSON lines (.jsonl)",
        out.display()
    );
    let places = Places::built_in();
    let news_parties: Vec<SynthParty> = parties
        .iter()
        .filter_map(|p| {
            let (name, short) = names.get(&p.id)?;
            let code = Iso3::new(&p.iso3)?;
            Some(SynthParty {
                name: name.clone(),
                short: short.clone().filter(|s| s.chars().all(|c| c.is_alphanumeric() || c == '-')),
                country: countries.name_of(&p.iso3)?.to_string(),
                capital: places.form_of(code, PlaceKind::Capital).map(str::to_string),
                demonym: places.form_of(code, PlaceKind::Demonym).map(str::to_string),
                years: p.years.clone(),
            })
        })
        .collect();
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut staging = Staging::new(dir)?;
    let file = out.file_name().context("--to needs a file name")?.to_string_lossy().into_owned();
    staging.write_with(&file, |w| {
        use std::io::Write;
        for i in 0..n {
            writeln!(w, "{}", item(i + 1, &news_parties, rng))?;
        }
        Ok(())
    })?;
    staging.commit()?;
    Ok(())
}

/// Draws `rows` contacts; party k (in a fixed shuffled order) has weight 1/(k+1).
fn batch(
    schema: &Arc<Schema>,
    parties: &[Party],
    first: usize,
    rows: usize,
    spellings: Spellings,
    rng: &mut Rng,
) -> Result<RecordBatch> {
    let harmonic: f64 = (1..=parties.len()).map(|k| 1.0 / k as f64).sum();
    let (mut ids, mut days, mut countries, mut partners, mut venues, mut kinds, mut truth) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    for i in 0..rows {
        let p = zipf(parties.len(), harmonic, rng);
        let party = &parties[(p * 7919) % parties.len()];
        let year = party.years[rng.below(party.years.len())];
        let date = chrono::NaiveDate::from_yo_opt(year, 1 + rng.below(365) as u32).expect("a day of the year");
        ids.push(format!("s{:09}", first + i));
        days.push((date - epoch).num_days() as i32);
        countries.push(party.countries[rng.below(party.countries.len())].clone());
        venues.push(if rng.below(4) == 0 { "abroad" } else { "china" });
        if rng.below(20) == 0 {
            partners.push(NON_PARTY[rng.below(NON_PARTY.len())].to_string());
            kinds.push("non_party");
            truth.push(None);
        } else {
            // The plain name half the time, a noisy spelling otherwise.
            let s = if rng.below(2) == 0 { 0 } else { rng.below(party.spellings.len()) };
            let spelled = &party.spellings[s];
            partners.push(match spellings {
                Spellings::Few => spelled.clone(),
                Spellings::PerRow => damaged(spelled, party, rng),
            });
            kinds.push("party");
            truth.push(Some(party.id));
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(ids)),
        Arc::new(Date32Array::from(days)),
        Arc::new(StringArray::from(countries)),
        Arc::new(StringArray::from(partners)),
        Arc::new(StringArray::from(venues)),
        Arc::new(StringArray::from(kinds)),
        Arc::new(Int64Array::from(truth)),
    ];
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}

/// A spelling damaged by one kind of text noise in two rows of four, by two kinds in one, and
/// left alone in the fourth.
fn damaged(spelled: &str, party: &Party, rng: &mut Rng) -> String {
    let kinds = match rng.below(4) {
        0 => 0,
        3 => 2,
        _ => 1,
    };
    let mut out = spelled.to_string();
    for _ in 0..kinds {
        let kind = TEXT_NOISE[rng.below(TEXT_NOISE.len())];
        out = apply_noise(kind, &out, &party.country, party.short.as_deref(), rng);
    }
    out
}

/// A rank in 0..n drawn with probability proportional to 1/(rank+1).
fn zipf(n: usize, harmonic: f64, rng: &mut Rng) -> usize {
    let mut target = (rng.next() as f64 / u64::MAX as f64) * harmonic;
    for k in 0..n {
        target -= 1.0 / (k + 1) as f64;
        if target <= 0.0 {
            return k;
        }
    }
    n - 1
}
