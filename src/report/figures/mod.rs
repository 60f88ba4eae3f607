//! The paper's figures 1 to 8 and its Table 1, drawn from the output tables as SVG (and PNG
//! through [`raster`]) into `figures/`.
//!
//! Each figure is a function that reads its numbers ([`data`]), draws them with plotters through
//! the pieces in [`chart`], [`bars`], [`lines`], [`map`] and [`table`], and says in its notes
//! what it counts and which table it comes from.

pub mod bars;
pub mod chart;
pub mod data;
pub mod lines;
pub mod map;
pub mod raster;
pub mod table;
pub mod text;
pub mod topics;

use std::collections::BTreeMap;

use anyhow::Result;
use datafusion::execution::context::SessionContext;

use bars::{StackedBar, share_bars, stacked_columns, swatches};
use chart::{Area, Frame, Key, count, palette, percent};

/// The file names of every figure [`draw`] may draw (without extension), in its order: what a
/// run's folder may hold under `figures/`.
pub const FILES: [&str; 9] = [
    "figure_1_contacts_by_year",
    "figure_2_contacts_by_venue",
    "figure_3_map_contacts_by_country",
    "figure_4_contacts_per_party",
    "figure_5_power_by_regime",
    "table_1_top_partners",
    "figure_6_topics_core_interests",
    "figure_7_topics_world_order",
    "figure_8_topics_governance",
];

/// A drawn figure: its file name in `figures/` (without extension), its label and title, what
/// it counts (the report's caption), and the SVG.
#[derive(Debug, Clone)]
pub struct Figure {
    pub file: &'static str,
    pub label: String,
    pub title: String,
    pub caption: String,
    pub svg: String,
}

impl Figure {
    /// Draws the figure: its frame with the notes under it, around a body `height` units high
    /// that `body` draws. Its caption in the report is what it counts (the subtitle) and its
    /// source (the last note); the other notes are in the picture.
    #[allow(clippy::too_many_arguments)]
    fn new(
        file: &'static str,
        label: &str,
        title: &str,
        subtitle: &str,
        mut frame: Frame,
        notes: &[String],
        height: f64,
        body: impl FnOnce(&Area) -> Result<()>,
    ) -> Result<Figure> {
        frame.notes(notes);
        let caption = format!("{subtitle}. {}", notes.last().map_or("", String::as_str));
        let svg = frame.draw(height, body)?;
        Ok(Figure { file, label: label.to_string(), title: title.to_string(), caption, svg })
    }
}

/// Every figure the run's tables allow, in the paper's order: figures 1 to 5, Table 1, and
/// figures 6 to 8 when the content analysis ran (its table `topics_by_year` exists).
pub async fn draw(ctx: &SessionContext) -> Result<Vec<Figure>> {
    let mut figures = vec![
        contacts_by_year(ctx).await?,
        contacts_by_venue(ctx).await?,
        contacts_by_country(ctx).await?,
        contacts_per_party(ctx).await?,
        power_by_regime(ctx).await?,
        top_partners(ctx).await?,
    ];
    if data::has_table(ctx, "topics_by_year").await {
        figures.extend(topics::draw(ctx).await?);
    }
    Ok(figures)
}

/// Every year from the first to the last, so that a year without interactions shows as zero.
fn year_range(years: &[i64]) -> Vec<i64> {
    match (years.iter().min(), years.iter().max()) {
        (Some(first), Some(last)) => (*first..=*last).collect(),
        _ => Vec::new(),
    }
}

/// The note naming the output files a figure is drawn from.
fn source(files: &[&str]) -> String {
    format!("Source: {} (partylink).", files.join(", "))
}

const INTERACTION: &str = "An interaction is a party's visit: contact rows of one party whose dates follow each other \
     within the interaction window, or that share a visit_id; a joint meeting with two parties counts once for each.";

async fn contacts_by_year(ctx: &SessionContext) -> Result<Figure> {
    let rows = data::rows(ctx, data::CONTACTS_BY_YEAR).await?;
    let by_year: BTreeMap<i64, (i64, i64)> =
        rows.ints("year").into_iter().zip(rows.ints("party").into_iter().zip(rows.ints("non_party"))).collect();
    let years = year_range(&by_year.keys().copied().collect::<Vec<_>>());
    let bars: Vec<StackedBar> = years
        .iter()
        .map(|year| {
            let (party, non_party) = by_year.get(year).copied().unwrap_or((0, 0));
            StackedBar {
                label: year.to_string(),
                segments: vec![(party as f64, palette::BLUE), (non_party as f64, palette::ORANGE)],
            }
        })
        .collect();
    let total: i64 = by_year.values().map(|(p, n)| p + n).sum();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) => format!("{a}\u{2013}{b}, "),
        _ => String::new(),
    };
    let title = "Interactions per year";
    let subtitle =
        format!("Interactions with parties and with non-party partners, {span}{} in all", count(total as f64));
    let mut frame = Frame::new(&format!("Figure 1. {title}"), &subtitle, &subtitle);
    frame.legend(&swatches(&[("with a party", palette::BLUE), ("with a non-party partner", palette::ORANGE)]));
    let notes = [INTERACTION.to_string(), source(&["tables/contacts_by_year"])];
    let height = bars::stacked_columns_height(220.0, false);
    Figure::new("figure_1_contacts_by_year", "Figure 1", title, &subtitle, frame, &notes, height, |area| {
        stacked_columns(area, &bars, "interactions", "year", false)
    })
}

async fn contacts_by_venue(ctx: &SessionContext) -> Result<Figure> {
    let rows = data::rows(ctx, data::CONTACTS_BY_VENUE_YEAR).await?;
    let mut by_venue: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
    for ((year, venue), n) in rows.ints("year").into_iter().zip(rows.texts("venue")).zip(rows.ints("interactions")) {
        *by_venue.entry(venue).or_default().entry(year).or_default() += n as f64;
    }
    let years = year_range(&by_venue.values().flat_map(|m| m.keys().copied()).collect::<Vec<_>>());
    // A year without interactions at a venue is a zero: the contacts cover the whole span.
    let series_of = |venue: &str| -> Vec<Option<f64>> {
        years.iter().map(|y| Some(by_venue.get(venue).and_then(|m| m.get(y)).copied().unwrap_or(0.0))).collect()
    };
    let mut series = vec![
        lines::Series { values: series_of("china"), colour: palette::VERMILLION, dashed: false },
        lines::Series { values: series_of("abroad"), colour: palette::BLUE, dashed: false },
    ];
    let mut legend = vec![("in China", palette::VERMILLION, Key::Line), ("abroad", palette::BLUE, Key::Line)];
    let unknown = series_of("unknown");
    let unknown_total: f64 = unknown.iter().flatten().sum();
    if unknown_total > 0.0 {
        series.push(lines::Series { values: unknown, colour: palette::GREY, dashed: true });
        legend.push(("venue not given", palette::GREY, Key::DashedLine));
    }
    let title = "Interactions in China and abroad";
    let subtitle =
        "Interactions per year by where they took place: a delegation visiting China, or a CPC delegation abroad";
    let mut frame = Frame::new(&format!("Figure 2. {title}"), subtitle, subtitle);
    frame.legend(&legend);
    let venue = "Venue as the contacts file gives it (venue: china or abroad); an interaction takes the venue of its first contact row.";
    let notes = [venue.to_string(), source(&["tables/contacts_by_venue_year"])];
    let height = lines::count_lines_height(210.0);
    Figure::new("figure_2_contacts_by_venue", "Figure 2", title, subtitle, frame, &notes, height, |area| {
        lines::count_lines(area, &years, &series, "interactions")
    })
}

async fn contacts_by_country(ctx: &SessionContext) -> Result<Figure> {
    let rows = data::rows(ctx, data::CONTACTS_BY_COUNTRY).await?;
    let countries: Vec<map::CountryCount> = rows
        .texts("iso3")
        .into_iter()
        .zip(rows.texts("country"))
        .zip(rows.ints("interactions"))
        .map(|((iso3, country), interactions)| map::CountryCount {
            country: if country.is_empty() { iso3.clone() } else { country },
            iso3,
            interactions,
        })
        .collect();
    let total: i64 = countries.iter().map(|c| c.interactions).sum();
    let title = "Party interactions by country";
    let subtitle = format!(
        "{} party interactions with {} countries; the area of a circle is proportional to a country's party interactions",
        count(total as f64),
        countries.len()
    );
    let mut frame = Frame::new(&format!("Figure 3. {title}"), &subtitle, &subtitle);
    frame.legend(&[("country with party interactions", map::LAND_WITH_CONTACTS, Key::Swatch)]);
    let mut notes = map::notes(&countries)?;
    let top: Vec<String> =
        countries.iter().take(10).map(|c| format!("{} {}", c.country, count(c.interactions as f64))).collect();
    if !top.is_empty() {
        notes.insert(0, format!("Most party interactions: {}.", top.join(", ")));
    }
    notes.push(
        "Outlines: Natural Earth 1:110m (public domain), Equal Earth projection; each circle sits at the point \
         farthest inside the country's largest outline."
            .to_string(),
    );
    notes.push(source(&["tables/contacts_by_country"]));
    Figure::new(
        "figure_3_map_contacts_by_country",
        "Figure 3",
        title,
        &subtitle,
        frame,
        &notes,
        map::height(),
        |area| map::draw(area, &countries),
    )
}

async fn contacts_per_party(ctx: &SessionContext) -> Result<Figure> {
    let rows = data::rows(ctx, data::CONTACTS_PER_PARTY).await?;
    let mut bins: BTreeMap<usize, (String, i64)> = BTreeMap::new();
    for (interactions, parties) in rows.ints("interactions").into_iter().zip(rows.ints("parties")) {
        let (bin, label) = bars::bin_label(interactions);
        bins.entry(bin).or_insert((label, 0)).1 += parties;
    }
    // Every bin up to the last one used, so that an empty bin shows as an empty bar.
    let last = bins.keys().max().copied().unwrap_or(0);
    let bars: Vec<StackedBar> = (0..=last)
        .map(|bin| {
            let (label, parties) = bins.get(&bin).cloned().unwrap_or_else(|| (bars::bin_label(bin_floor(bin)).1, 0));
            StackedBar { label, segments: vec![(parties as f64, bars::SINGLE)] }
        })
        .collect();
    let shares = data::rows(ctx, data::PARTY_CONTACT_SHARES).await?;
    let parties = shares.ints("parties").first().copied().unwrap_or(0);
    let at_most_two = shares.floats("share_at_most_two").first().copied().unwrap_or(0.0);
    let at_least_five = shares.floats("share_at_least_five").first().copied().unwrap_or(0.0);
    let title = "Parties by their number of interactions";
    let subtitle = format!(
        "{} parties: {} had at most two interactions, {} five or more",
        count(parties as f64),
        percent(at_most_two),
        percent(at_least_five)
    );
    let frame = Frame::new(&format!("Figure 4. {title}"), &subtitle, &subtitle);
    let what = "Parties resolved to a Party Facts id, by their number of interactions; from five on, the bars group \
                several numbers.";
    let notes = [what.to_string(), source(&["tables/contacts_per_party", "tables/party_contact_shares"])];
    let height = bars::stacked_columns_height(200.0, true);
    Figure::new("figure_4_contacts_per_party", "Figure 4", title, &subtitle, frame, &notes, height, |area| {
        stacked_columns(area, &bars, "parties", "interactions per party", true)
    })
}

/// The smallest number of interactions in a histogram bin.
fn bin_floor(bin: usize) -> i64 {
    (1..).find(|n| bars::bin_label(*n).0 == bin).unwrap_or(1)
}

/// Regime types and power statuses in the order the paper shows them, with their labels.
const REGIMES: [(&str, &str); 4] =
    [("free", "Free"), ("partly_free", "Partly Free"), ("not_free", "Not Free"), ("unknown", "Not rated")];
const POWER: [(&str, &str, palette::Colour); 3] = [
    ("government", "government party", palette::BLUE),
    ("opposition", "opposition party", palette::ORANGE),
    ("unknown", "power status unknown", palette::GREY),
];

async fn power_by_regime(ctx: &SessionContext) -> Result<Figure> {
    let rows = data::rows(ctx, data::POWER_BY_REGIME).await?;
    let mut cells: BTreeMap<(String, String), f64> = BTreeMap::new();
    for ((regime, status), n) in
        rows.texts("regime").into_iter().zip(rows.texts("power_status")).zip(rows.ints("interactions"))
    {
        *cells.entry((regime, status)).or_default() += n as f64;
    }
    let bars: Vec<StackedBar> = REGIMES
        .iter()
        .filter(|(regime, _)| cells.keys().any(|(r, _)| r == regime))
        .map(|(regime, label)| StackedBar {
            label: label.to_string(),
            segments: POWER
                .iter()
                .map(|(status, _, colour)| {
                    (cells.get(&(regime.to_string(), status.to_string())).copied().unwrap_or(0.0), *colour)
                })
                .collect(),
        })
        .collect();
    let title = "Power status by regime type";
    let subtitle = "Shares of each regime type's party interactions with governing and with opposition parties";
    let mut frame = Frame::new(&format!("Figure 5. {title}"), subtitle, subtitle);
    let legend: Vec<(&str, palette::Colour)> = POWER.iter().map(|(_, label, colour)| (*label, *colour)).collect();
    frame.legend(&swatches(&legend));
    let what = "Regime type: Freedom House status of the partner's country in the year of the interaction (Not \
                rated: no rating for that country-year). Power status: the Database of Political Institutions' \
                government and opposition parties in that country-year.";
    let notes = [what.to_string(), source(&["tables/power_by_regime"])];
    let height = bars::share_bars_height(bars.len());
    Figure::new("figure_5_power_by_regime", "Figure 5", title, subtitle, frame, &notes, height, |area| {
        share_bars(area, &bars, "share of the regime type's party interactions")
    })
}

/// How many ranks Table 1 shows, as the paper's table does (ties at the last rank included).
pub const TOP_RANKS: i64 = 10;

async fn top_partners(ctx: &SessionContext) -> Result<Figure> {
    let rows = data::rows(ctx, data::TOP_PARTNERS).await?;
    let partners: Vec<table::Partner> = rows
        .ints("rank")
        .into_iter()
        .zip(rows.texts("abbreviation_en"))
        .zip(rows.texts("abbreviation_source"))
        .zip(rows.texts("party_name_en"))
        .zip(rows.texts("country"))
        .zip(rows.ints("interactions"))
        .filter(|(((((rank, _), _), _), _), _)| *rank <= TOP_RANKS)
        .map(|(((((rank, abbreviation), source), party), country), interactions)| table::Partner {
            rank,
            party_facts_short_name: source.starts_with("Party Facts"),
            abbreviation: if abbreviation.is_empty() { "\u{2013}".to_string() } else { abbreviation },
            party,
            country,
            interactions,
        })
        .collect();
    let title = "The parties with most interactions";
    let subtitle = format!(
        "Ranks 1 to {TOP_RANKS} of {} parties by their interactions; ties share a rank",
        count(rows.len() as f64)
    );
    let frame = Frame::new(&format!("Table 1. {title}"), &subtitle, &subtitle);
    let marked = partners.iter().any(|p| p.party_facts_short_name);
    let mut notes = vec![
        "Abbreviations as English-language sources print them (reference/party_abbreviations.csv; the source of \
         each is in the column abbreviation_source of tables/top_partners)."
            .to_string(),
    ];
    if marked {
        notes.push("* Party Facts' short name: no English abbreviation is recorded for the party.".to_string());
    }
    notes.push(source(&["tables/top_partners"]));
    let height = table::height(&partners);
    Figure::new("table_1_top_partners", "Table 1", title, &subtitle, frame, &notes, height, |area| {
        table::draw(area, &partners)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges_fill_the_gaps() {
        assert_eq!(year_range(&[2005, 2002, 2003]), [2002, 2003, 2004, 2005]);
        assert!(year_range(&[]).is_empty());
    }

    #[test]
    fn bin_floors() {
        assert_eq!(bin_floor(0), 1);
        assert_eq!(bin_floor(4), 5);
        assert_eq!(bin_floor(5), 10);
    }
}
