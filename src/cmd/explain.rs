//! `partylink explain`: why a name resolves to a party, or goes to review.

use anyhow::Result;
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs};
use crate::resolve::{Decision, Outcome};

/// Explain how a partner's name resolves in a country and year.
///
/// Prints the forms of the name that are looked up, the abbreviation it gives, the best
/// candidate parties with every component score (Jaro-Winkler, normalised Levenshtein, word
/// overlap, abbreviation agreement, combined), and why the winner won or why the name would
/// go to review.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The partner's country, as written (a name, a spelling or an ISO3 code)
    #[arg(long, value_name = "COUNTRY")]
    pub country: String,

    /// The year of the contact
    #[arg(long, value_name = "YEAR")]
    pub year: i32,

    /// The partner's name as written, e.g. "Japan's New Komeito"
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

pub async fn run(args: ExplainArgs) -> Result<()> {
    let loaded = args.sources.load(&args.resolver).await?;
    let countries = &loaded.reference.countries;
    let country = countries
        .by_iso3(&args.country)
        .or_else(|| countries.resolve(&args.country))
        .ok_or_else(|| anyhow::anyhow!("country {:?} is not in reference/countries.csv", args.country))?;
    let mut decision = loaded.registry.resolve(countries, &country.iso3, args.year, &args.name);
    // A name decided without scoring still shows how every candidate scores.
    if decision.candidates.is_empty() {
        decision.candidates = loaded.registry.candidates(&country.iso3, args.year, &decision.query);
    }
    let mut text =
        render(&args, &country.iso3, &country.name, loaded.registry.parties_in(&country.iso3), &decision);
    text.push_str(&same_names(&loaded.registry, &country.iso3, &decision));
    crate::cmd::to_stdout(text.as_bytes())
}

fn render(args: &ExplainArgs, iso3: &str, country: &str, parties: usize, r: &Decision) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<14}{value}\n"));
    line("name", format!("{:?}", args.name));
    line("country", format!("{:?} -> {iso3} ({country}; {parties} parties in the registry)", args.country));
    line("year", args.year.to_string());
    line("forms", r.query.variants.join(" | "));
    line("abbreviation", r.query.acronym.clone().unwrap_or_else(|| "-".into()));
    let decision = match r.outcome {
        Outcome::Matched => r
            .matches
            .iter()
            .map(|m| format!("party {} {:?} by {} (score {:.4})", m.partyfacts_id, m.matched_name, m.method, m.score))
            .collect::<Vec<_>>()
            .join("; "),
        Outcome::NotAParty => "not a party".to_string(),
        _ => "review".to_string(),
    };
    line("decision", decision);
    line("why", r.reason.clone());
    out.push_str("\ncandidates, best first:\n");
    out.push_str(&format!(
        "{:>4}  {:>13}  {:>6}  {:>12}  {:>11}  {:>6}  {:>7}  {}\n",
        "rank", "partyfacts_id", "score", "jaro_winkler", "levenshtein", "tokens", "acronym", "name"
    ));
    for (i, c) in r.candidates.iter().enumerate() {
        let acronym = c.comparison.acronym.map_or("-".to_string(), |a| format!("{a:.0}"));
        out.push_str(&format!(
            "{:>4}  {:>13}  {:>6.4}  {:>12.4}  {:>11.4}  {:>6.4}  {:>7}  {}\n",
            i + 1,
            c.partyfacts_id,
            c.score,
            c.comparison.jaro_winkler,
            c.comparison.levenshtein,
            c.comparison.tokens,
            acronym,
            c.name
        ));
    }
    if r.candidates.is_empty() {
        out.push_str("  (no party of this country fits the year)\n");
    }
    out
}

/// Candidates that share a name, told apart by their years and other names (Pakistan Muslim
/// League is two parties in Party Facts, 2384 and 2385).
fn same_names(registry: &crate::resolve::Registry, iso3: &str, r: &Decision) -> String {
    let mut out = String::new();
    for c in &r.candidates {
        if r.candidates.iter().filter(|o| o.name == c.name).count() < 2 {
            continue;
        }
        if out.is_empty() {
            out.push_str("\ncandidates of the same name, told apart:\n");
        }
        let (years, names) = registry.party_profile(iso3, c.partyfacts_id, &c.name);
        let names = match names.len() {
            0 => "no other name".to_string(),
            n if n > 8 => format!("{}; and {} more", names[..8].join("; "), n - 8),
            _ => names.join("; "),
        };
        out.push_str(&format!("{:>13}  {:?}  years {years}  also: {names}\n", c.partyfacts_id, c.name));
    }
    out
}
