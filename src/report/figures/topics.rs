//! Figures 6 to 8: the topics of the news items by year, one panel a topic. Which topics go in
//! which figure, and their headings, are listed here; a topic of `reference/keywords.csv` that
//! no figure lists is named in the last figure's notes (and is in `tables/topics_by_year`).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use datafusion::execution::context::SessionContext;

use super::chart::{Frame, count, palette};
use super::lines::{Panel, Series, small_multiples, small_multiples_height};
use super::{Figure, data, source, year_range};

struct TopicFigure {
    file: &'static str,
    label: &'static str,
    title: &'static str,
    topics: &'static [&'static str],
}

/// The paper's three groups: China's core interests, its vision of the world order, and the
/// sharing of its experience of governance.
const FIGURES: [TopicFigure; 3] = [
    TopicFigure {
        file: "figure_6_topics_core_interests",
        label: "Figure 6",
        title: "Taiwan, Tibet, Xinjiang and the South China Sea in the news items",
        topics: &["taiwan", "tibet", "xinjiang", "south_china_sea", "hong_kong"],
    },
    TopicFigure {
        file: "figure_7_topics_world_order",
        label: "Figure 7",
        title: "The Belt and Road and China's vision of the world order in the news items",
        topics: &["belt_and_road", "community_of_shared_future", "human_rights"],
    },
    TopicFigure {
        file: "figure_8_topics_governance",
        label: "Figure 8",
        title: "China's experience of governance in the news items",
        topics: &["governance_experience", "party_building", "poverty_reduction", "anti_corruption"],
    },
];

/// The topics the paper counts; `reference/keywords.csv` adds the others.
const PAPER_TOPICS: [&str; 6] =
    ["taiwan", "tibet", "xinjiang", "south_china_sea", "belt_and_road", "governance_experience"];

/// A topic's heading in a figure.
pub fn heading(topic: &str) -> String {
    let known = match topic {
        "taiwan" => "Taiwan, one China",
        "tibet" => "Tibet",
        "xinjiang" => "Xinjiang",
        "south_china_sea" => "South China Sea",
        "hong_kong" => "Hong Kong",
        "belt_and_road" => "Belt and Road",
        "community_of_shared_future" => "Community with a shared future",
        "human_rights" => "Human rights",
        "governance_experience" => "Experience of governance",
        "party_building" => "Party building",
        "poverty_reduction" => "Poverty reduction",
        "anti_corruption" => "Anti-corruption",
        other => return other.replace('_', " "),
    };
    known.to_string()
}

pub async fn draw(ctx: &SessionContext) -> Result<Vec<Figure>> {
    let rows = data::rows(ctx, data::TOPICS_BY_YEAR).await?;
    let mut shares: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
    for ((year, topic), share) in
        rows.ints("year").into_iter().zip(rows.texts("topic")).zip(rows.floats("share_of_items"))
    {
        shares.entry(topic).or_default().insert(year, share);
    }
    let analysed = data::rows(ctx, data::ITEMS_ANALYSED_BY_YEAR).await?;
    let per_year: Vec<(i64, i64)> = analysed.ints("year").into_iter().zip(analysed.ints("items")).collect();
    let years = year_range(&per_year.iter().map(|(y, _)| *y).collect::<Vec<_>>());
    let total: i64 = per_year.iter().map(|(_, n)| n).sum();
    let per_year_note = format!(
        "News items analysed, by the year of their date ({} in all; congratulations, condolences, unreadable and \
         undated items left out): {}.",
        count(total as f64),
        per_year.iter().map(|(y, n)| format!("{y}: {n}")).collect::<Vec<_>>().join(", ")
    );
    let rule = "An item mentions a topic when its text matches one of the topic's patterns in \
                reference/keywords.csv (rules in reference/README.md).";
    let drawn: BTreeSet<&str> = FIGURES.iter().flat_map(|f| f.topics.iter().copied()).collect();
    let undrawn: Vec<String> = shares.keys().filter(|t| !drawn.contains(t.as_str())).cloned().collect();
    let mut figures = Vec::new();
    for (i, figure) in FIGURES.iter().enumerate() {
        let panels: Vec<Panel> = figure
            .topics
            .iter()
            .filter_map(|topic| {
                let by_year = shares.get(*topic)?;
                let extra = if PAPER_TOPICS.contains(topic) { "" } else { " (added)" };
                Some(Panel {
                    heading: format!("{}{extra}", heading(topic)),
                    series: Series {
                        values: years.iter().map(|y| by_year.get(y).copied()).collect(),
                        colour: palette::SERIES[0],
                        dashed: false,
                    },
                })
            })
            .collect();
        let subtitle = "Share of the news items analysed in a year that mention each topic";
        let frame = Frame::new(&format!("{}. {}", figure.label, figure.title), subtitle, subtitle);
        let mut notes = vec![rule.to_string(), per_year_note.clone()];
        if panels.iter().any(|p| p.heading.ends_with("(added)")) {
            notes.push(
                "(added): a topic partylink counts beyond the paper's six (Taiwan, Tibet, Xinjiang, the South China \
                 Sea, the Belt and Road, experience of governance)."
                    .to_string(),
            );
        }
        if i + 1 == FIGURES.len() && !undrawn.is_empty() {
            notes.push(format!("Topics in no figure: {}.", undrawn.join(", ")));
        }
        notes.push(source(&["tables/topics_by_year", "news_items"]));
        let height = small_multiples_height(&panels);
        figures.push(Figure::new(figure.file, figure.label, figure.title, subtitle, frame, &notes, height, |area| {
            small_multiples(area, &years, &panels, "share of news items")
        })?);
    }
    Ok(figures)
}
