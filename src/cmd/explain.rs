//! `partylink explain`: why a name resolves to a party, or goes to review, and the party's
//! power status in both readings.

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs, load};
use crate::resolve::Resolution;

/// Explain how a partner's name resolves in a country and year (or on a date).
///
/// Prints the forms of the name that are looked up, the abbreviation it gives, the best
/// candidate parties with every component score (Jaro-Winkler, normalised Levenshtein, word
/// overlap, abbreviation agreement, combined), and why the winner won or why the name would
/// go to review; then the DPI side: which DPI labels name each candidate in the country-year,
/// through which link (correction, Party Facts' import, partylink's resolver, the audit's
/// re-link) and what the crosswalk audit decided; and the matched party's power status in both
/// readings, DPI's for the year and, with --date, the one on that day (ParlGov's cabinet in
/// office, else DPI on 1 January of the year and of the next).
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").required(true).args(["year", "date"])))]
pub struct ExplainArgs {
    /// The partner's country, as written (a name, a spelling or an ISO3 code)
    #[arg(long, value_name = "COUNTRY")]
    pub country: String,

    /// The year of the contact
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,

    /// The date of the contact (YYYY-MM-DD): its year, and the power status on that day
    #[arg(long, value_name = "DATE")]
    pub date: Option<NaiveDate>,

    /// The partner's name as written, e.g. "Japan's New Komeito"
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

pub async fn run(args: ExplainArgs) -> Result<()> {
    let year = args.date.map_or_else(|| args.year.unwrap_or_default(), |d| d.year());
    let loaded = load(&args.sources, &args.resolver).await?;
    let countries = &loaded.reference.countries;
    let country = countries
        .by_iso3(&args.country)
        .or_else(|| countries.resolve(&args.country))
        .ok_or_else(|| anyhow::anyhow!("country {:?} is not in reference/countries.csv", args.country))?;
    let mut resolution = loaded.registry.resolve(countries, &country.iso3, year, &args.name);
    // A name decided without scoring still shows how every candidate scores.
    if resolution.candidates.is_empty() {
        resolution.candidates = loaded.registry.candidates(&country.iso3, year, &resolution.query);
    }
    let parties = loaded.registry.parties_in(&country.iso3);
    let mut text = render(&args, year, &country.iso3, &country.name, parties, &resolution);
    text.push_str(&super::explain_power::render(&loaded, &args.country, &country.iso3, year, args.date, &args.name, &resolution).await?);
    print!("{text}");
    Ok(())
}

fn render(args: &ExplainArgs, year: i32, iso3: &str, country: &str, parties: usize, r: &Resolution) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<14}{value}\n"));
    line("name", format!("{:?}", args.name));
    line("country", format!("{:?} -> {iso3} ({country}; {parties} parties in the registry)", args.country));
    line("year", year.to_string());
    if let Some(date) = args.date {
        line("date", date.to_string());
    }
    line("forms", r.query.variants.join(" | "));
    line("abbreviation", r.query.acronym.clone().unwrap_or_else(|| "-".into()));
    let decision = match r.outcome {
        "matched" => r
            .matches
            .iter()
            .map(|m| format!("party {} {:?} by {} (score {:.4})", m.partyfacts_id, m.matched_name, m.method, m.score))
            .collect::<Vec<_>>()
            .join("; "),
        "not_a_party" => "not a party".to_string(),
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
        let acronym = c.components.acronym.map_or("-".to_string(), |a| format!("{a:.0}"));
        out.push_str(&format!(
            "{:>4}  {:>13}  {:>6.4}  {:>12.4}  {:>11.4}  {:>6.4}  {:>7}  {}\n",
            i + 1,
            c.partyfacts_id,
            c.score,
            c.components.jaro_winkler,
            c.components.levenshtein,
            c.components.tokens,
            acronym,
            c.name
        ));
    }
    if r.candidates.is_empty() {
        out.push_str("  (no party of this country fits the year)\n");
    }
    out
}
