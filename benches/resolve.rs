//! Micro-benchmarks of resolution: normalisation, scoring, and candidate search, the last on
//! the real registry (PARTYLINK_DATA), on names that vary row by row, and on registries of
//! growing size.
//!
//! `cargo bench --bench resolve`; figures in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use partylink::load::Sources;
use partylink::load::countries::Countries;
use partylink::load::paths::SourcePaths;
use partylink::load::reference::Reference;
use partylink::pipeline;
use partylink::resolve::distance;
use partylink::resolve::link_cache::LinkCache;
use partylink::resolve::noise::{self, Rng};
use partylink::resolve::score::{Form, Prepared, compare};
use partylink::resolve::{CandidateName, NameKind, Registry, ResolverConfig, ScoreWeights};
use partylink::shared::normalize::fold;

/// The allocator of the `partylink` binary, so that the figures are those of a run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn data_dir() -> std::path::PathBuf {
    std::env::var_os("PARTYLINK_DATA")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data"))
}

fn real_registry() -> (Registry, Countries, Sources) {
    let reference = Reference::load(None).expect("reference tables");
    let paths = SourcePaths::locate(Some(&data_dir()), None, None, None, None, None, None).expect("source files");
    let sources = Sources::read(&paths, &reference.countries).expect("sources");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (_, registry) = runtime
        .block_on(pipeline::prepare(&sources, &reference, ResolverConfig::default(), &LinkCache::disabled()))
        .expect("prepare");
    (registry, reference.countries, sources)
}

fn normalisation(c: &mut Criterion) {
    c.bench_function("fold/short", |b| b.iter(|| fold(black_box("Japan's New Komeito"))));
    c.bench_function("fold/accents", |b| {
        b.iter(|| fold(black_box("Partido da Reconstrução Nacional – Côte d’Ivoire")))
    });
}

fn scoring(c: &mut Criterion) {
    let q = Form::new(&fold("Communist Party of Veitnam"));
    let n = Prepared::new(&fold("Communist Party of Vietnam"));
    let weights = ScoreWeights::default();
    c.bench_function("compare/one_pair", |b| b.iter(|| compare(black_box(&q), black_box(&n)).score(&weights)));
    c.bench_function("compare/bounds", |b| b.iter(|| black_box(&q).name.bounds(black_box(&n))));
    let (x, y) = ("social democratic party of germany", "sozialdemokratische partei deutschlands");
    c.bench_function("distance/jaro_winkler", |b| b.iter(|| distance::jaro_winkler(black_box(x), black_box(y))));
    c.bench_function("distance/osa", |b| b.iter(|| distance::normalized_osa(black_box(x), black_box(y))));
}

fn candidate_search(c: &mut Criterion) {
    let (registry, countries, sources) = real_registry();
    let mut group = c.benchmark_group("resolve/real_registry");
    for (label, iso3, partner) in [
        ("exact", "VNM", "Communist Party of Vietnam (CPV)"),
        ("possessive", "JPN", "Japan's New Komeito"),
        ("fuzzy", "DEU", "Social Democatic Party of Germany"),
        ("review", "AUS", "Australian Labor Party (LP)"),
        ("noisy_swap", "PHL", "the Liberal aPrty"),
        ("noisy_space", "URY", "BroadFront"),
        ("noisy_country", "ECU", "January 21 Patriotic Society Party of Ecuaor"),
    ] {
        group.bench_function(label, |b| b.iter(|| registry.resolve(&countries, iso3, 2010, black_box(partner))));
    }
    // Names that vary row by row: every fifth Party Facts party's name damaged by two kinds of
    // text noise (`make eval`'s), each resolved from scratch on this thread, as a run resolves
    // its distinct names. Time per name = the figure / NOISY_NAMES.
    let mut rng = Rng::new(7);
    let names: Vec<(String, String)> = sources
        .pf_core
        .iter()
        .filter(|(_, p)| p.technical.is_none() && !p.name.is_empty())
        .step_by(5)
        .take(NOISY_NAMES)
        .map(|(iso3, p)| {
            let name = if p.name_english.is_empty() { &p.name } else { &p.name_english };
            let country = countries.name_of(iso3).unwrap_or(iso3);
            let short = (!p.name_short.is_empty()).then_some(p.name_short.as_str());
            (iso3.clone(), noise::apply_two(&noise::TEXT_NOISE, name, country, short, &mut rng).0)
        })
        .collect();
    assert_eq!(names.len(), NOISY_NAMES);
    group.sample_size(20);
    group.bench_function("noisy_names_1000", |b| {
        b.iter(|| {
            for (iso3, name) in &names {
                std::hint::black_box(registry.resolve(&countries, iso3, 2010, name).outcome);
            }
        })
    });
    group.finish();
}

/// The names of `resolve/real_registry/noisy_names_1000`.
const NOISY_NAMES: usize = 1000;

/// Cost of a fuzzy search as the country's registry grows: a partner that goes to review, its
/// candidates ranked as far as the rules look.
fn registry_size(c: &mut Criterion) {
    let countries = Countries::embedded().expect("countries");
    let mut group = c.benchmark_group("resolve/registry_size");
    for size in [100usize, 1_000, 10_000] {
        let names = (0..size)
            .map(|i| CandidateName {
                iso3: "XXX".into(),
                partyfacts_id: i as i64,
                name: format!(
                    "Party of the {} Movement number {i}",
                    ["People", "Workers", "National", "Democratic"][i % 4]
                ),
                kind: NameKind::Full,
                origin: "partyfacts".into(),
                year_first: None,
                year_last: None,
            })
            .collect();
        let registry = Registry::new(names, Vec::new(), ResolverConfig::default());
        group.bench_with_input(BenchmarkId::from_parameter(size), &registry, |b, r| {
            b.iter(|| r.resolve(&countries, "XXX", 2010, black_box("Peoples Movement Party")))
        });
    }
    group.finish();
}

criterion_group!(benches, normalisation, scoring, candidate_search, registry_size);
criterion_main!(benches);
