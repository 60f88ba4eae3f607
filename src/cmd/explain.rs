//! `partylink explain`: why a name resolves to a party, or goes to review, and the party's
//! power status in both readings.

use anyhow::Result;
use arrow::array::RecordBatch;
use arrow::util::display::array_value_to_string;
use chrono::{Datelike, NaiveDate};
use clap::Args;

use crate::cmd::{ResolverArgs, SourceArgs};
use crate::enrich;
use crate::pipeline;
use crate::resolve::{Decision, Outcome};

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
    let loaded = args.sources.load(&args.resolver).await?;
    let countries = &loaded.reference.countries;
    let country = countries
        .by_iso3(&args.country)
        .or_else(|| countries.resolve(&args.country))
        .ok_or_else(|| anyhow::anyhow!("country {:?} is not in reference/countries.csv", args.country))?;
    let mut decision = loaded.registry.resolve(countries, &country.iso3, year, &args.name);
    // A decision made without scoring, or on its best two candidates, still shows how every
    // candidate scores.
    loaded.registry.complete_candidates(&country.iso3, year, &mut decision);
    if decision.candidates.is_empty() {
        decision.candidates = loaded.registry.candidates(&country.iso3, year, &decision.query);
    }
    let parties = loaded.registry.parties_in(&country.iso3);
    let mut text = render(&args, year, &country.iso3, &country.name, parties, &decision);
    let mut ids: Vec<i64> = decision.matches.iter().map(|m| m.partyfacts_id).collect();
    for c in &decision.candidates {
        if !ids.contains(&c.partyfacts_id) {
            ids.push(c.partyfacts_id);
        }
    }
    let labels = enrich::explain::dpi_labels(&loaded.ctx, &country.iso3, year, &ids).await?;
    text.push_str(&render_labels(&country.iso3, year, &labels));
    if decision.outcome == Outcome::Matched {
        let day = args.date.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January"));
        let powered = pipeline::power_readings(&loaded, &args.country, day, &args.name).await?;
        text.push_str(&render_power(year, args.date, &powered));
    }
    text.push_str(&same_names(&loaded.registry, &country.iso3, &decision));
    crate::cmd::to_stdout(text.as_bytes())
}

fn render(args: &ExplainArgs, year: i32, iso3: &str, country: &str, parties: usize, r: &Decision) -> String {
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

/// The text of a cell, "" for a null.
fn cell(batch: &RecordBatch, column: &str, row: usize) -> String {
    let array = batch.column_by_name(column).expect("the query selects the column");
    if array.is_null(row) { String::new() } else { array_value_to_string(array, row).unwrap_or_default() }
}

/// The DPI labels naming the candidates, with their links and the audit's decision.
fn render_labels(iso3: &str, year: i32, b: &RecordBatch) -> String {
    let mut out = format!("\nDPI labels naming these parties in {iso3} on 1 January {year}:\n");
    out.push_str(&format!("{:>13}  {:<20}  {:<10}  {:<24}  {}\n", "partyfacts_id", "label", "slot", "link", "audit"));
    if b.num_rows() == 0 {
        out.push_str("  (DPI names none of them under its own id)\n");
    }
    for i in 0..b.num_rows() {
        let (source, linked) = (cell(b, "source_partyfacts_id", i), cell(b, "partyfacts_id", i));
        let mut audit = cell(b, "audit_decision", i);
        if source != linked && !source.is_empty() {
            audit.push_str(&format!(" (the sources' link: {source})"));
        }
        out.push_str(&format!(
            "{:>13}  {:<20}  {:<10}  {:<24}  {}\n",
            if linked.is_empty() { "-".to_string() } else { linked },
            cell(b, "dpi_party", i),
            cell(b, "slot", i),
            cell(b, "link_method", i),
            audit
        ));
    }
    out
}

/// Each matched party's power status in both readings, and what decided each.
fn render_power(year: i32, date: Option<NaiveDate>, powered: &RecordBatch) -> String {
    let mut out = String::new();
    for i in 0..powered.num_rows() {
        let get = |c: &str| cell(powered, c, i);
        out.push_str(&format!("\npower status of party {} ({}):\n", get("partyfacts_id"), get("party_name")));
        let through = match get("dpi_party").as_str() {
            "" => match get("dpi_other_country").as_str() {
                "" => "DPI names it under no label".to_string(),
                other => format!("DPI names it in {other}, not here"),
            },
            labels => format!("DPI label {labels}, through {}", get("dpi_link")),
        };
        let dpi = format!("DPI {year}");
        out.push_str(&format!("  {dpi:<14}{} ({}; {through})\n", get("dpi_power_status"), get("dpi_power_basis")));
        match date {
            Some(date) => {
                let source = match get("cabinet_name").as_str() {
                    "" => "ParlGov has no cabinet of the country on the day: DPI on 1 January of the year and the next"
                        .to_string(),
                    cabinet => format!("ParlGov cabinet {cabinet}, in office from {}", get("start_date")),
                };
                let on = format!("on {date}");
                out.push_str(&format!(
                    "  {on:<14}{} ({}; {source})\n",
                    get("power_status_on_date"),
                    get("power_basis_on_date")
                ));
            }
            None => out.push_str("  on the date    give --date YYYY-MM-DD for the reading on the day of the contact\n"),
        }
    }
    out
}

/// Candidates that share a name, told apart by their years, other names and DPI labels
/// (Pakistan Muslim League is two parties in Party Facts, 2384 and 2385).
fn same_names(registry: &crate::resolve::Registry, iso3: &str, r: &Decision) -> String {
    let mut out = String::new();
    for c in &r.candidates {
        if r.candidates.iter().filter(|o| o.name == c.name).count() < 2 {
            continue;
        }
        if out.is_empty() {
            out.push_str("\ncandidates of the same name, told apart:\n");
        }
        let profile = registry.party_profile(iso3, c.partyfacts_id, &c.name);
        out.push_str(&format!("{:>13}  {:?}  years {}\n", c.partyfacts_id, c.name, profile.line()));
    }
    out
}
