//! Table 1 as a picture: the parties with most interactions, with the abbreviations English
//! sources print, set like the paper's table. plotters has charts, not tables: the cells are
//! its text, rectangle and line elements, placed here by the font's widths.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{Area, INK, MARGIN, MUTED, count, drawn, font, px, stroke};
use super::text::{LABEL_SIZE, TICK_SIZE, WIDTH, Weight, text_width, wrap};

/// One row of Table 1.
pub struct Partner {
    pub rank: i64,
    pub abbreviation: String,
    /// Whether the abbreviation is Party Facts' short name rather than an English source's.
    pub party_facts_short_name: bool,
    pub party: String,
    pub country: String,
    pub interactions: i64,
}

const ROW_SHADE: RGBColor = RGBColor(0xF2, 0xF2, 0xF2);
const LINE: f64 = 15.0;
const SIZE: f64 = LABEL_SIZE;

fn abbreviation(p: &Partner) -> String {
    format!("{}{}", p.abbreviation, if p.party_facts_short_name { "*" } else { "" })
}

/// The columns' left edges (rank and interactions: right edges) and the wrapping widths.
struct Columns {
    rank: f64,
    abbreviation: f64,
    party: f64,
    party_width: f64,
    country: f64,
    country_width: f64,
    count: f64,
}

fn columns(partners: &[Partner]) -> Columns {
    let widest = |header: &str, cells: Vec<String>, weight: Weight| {
        cells.iter().map(|c| text_width(c, SIZE, weight)).fold(text_width(header, SIZE, Weight::Bold), f64::max)
    };
    let rank_w = widest("Rank", partners.iter().map(|p| p.rank.to_string()).collect(), Weight::Regular) + 14.0;
    let abbr_w = widest("Abbreviation", partners.iter().map(abbreviation).collect(), Weight::Bold) + 16.0;
    let country_w =
        widest("Country", partners.iter().map(|p| p.country.clone()).collect(), Weight::Regular).min(150.0) + 14.0;
    let count_w =
        widest("Interactions", partners.iter().map(|p| count(p.interactions as f64)).collect(), Weight::Regular);
    let (left, right) = (MARGIN, WIDTH - MARGIN);
    let party_width = right - left - rank_w - abbr_w - country_w - count_w - 14.0;
    let party = left + rank_w + abbr_w;
    Columns {
        rank: left + rank_w - 14.0,
        abbreviation: left + rank_w,
        party,
        party_width,
        country: party + party_width + 14.0,
        country_width: country_w - 14.0,
        count: right,
    }
}

/// Each row's party and country, wrapped to their columns.
fn wrapped(partners: &[Partner], columns: &Columns) -> Vec<(Vec<String>, Vec<String>)> {
    partners
        .iter()
        .map(|p| {
            (
                wrap(&p.party, SIZE, Weight::Regular, columns.party_width),
                wrap(&p.country, SIZE, Weight::Regular, columns.country_width),
            )
        })
        .collect()
}

fn row_height((party, country): &(Vec<String>, Vec<String>)) -> f64 {
    party.len().max(country.len()).max(1) as f64 * LINE + 7.0
}

const HEADER: f64 = 4.0 + SIZE + 6.0;

/// The height [`draw`] draws in.
pub fn height(partners: &[Partner]) -> f64 {
    let rows: f64 = wrapped(partners, &columns(partners)).iter().map(row_height).sum();
    HEADER + rows + 2.0 + if partners.is_empty() { TICK_SIZE + 8.0 } else { 0.0 }
}

/// Draws the table.
pub fn draw(area: &Area, partners: &[Partner]) -> Result<()> {
    let c = columns(partners);
    let text = |x: f64, y: f64, s: &str, style: &TextStyle| {
        drawn(area.draw(&Text::new(s.to_string(), (px(x), px(y)), style.clone())))
    };
    let rule =
        |y: f64| {
            drawn(area.draw(&PathElement::new(
                vec![(px(MARGIN), px(y)), (px(c.count), px(y))],
                INK.stroke_width(stroke(1.0)),
            )))
        };
    let bold = font(SIZE, Weight::Bold, INK, HPos::Left, VPos::Bottom);
    let bold_end = font(SIZE, Weight::Bold, INK, HPos::Right, VPos::Bottom);
    let header = 4.0 + SIZE;
    text(c.rank, header, "Rank", &bold_end)?;
    text(c.abbreviation, header, "Abbreviation", &bold)?;
    text(c.party, header, "Party", &bold)?;
    text(c.country, header, "Country", &bold)?;
    text(c.count, header, "Interactions", &bold_end)?;
    let mut y = HEADER;
    rule(y)?;
    let plain = font(SIZE, Weight::Regular, INK, HPos::Left, VPos::Top);
    let plain_end = font(SIZE, Weight::Regular, INK, HPos::Right, VPos::Top);
    let strong = font(SIZE, Weight::Bold, INK, HPos::Left, VPos::Top);
    for (i, (p, lines)) in partners.iter().zip(wrapped(partners, &c)).enumerate() {
        let height = row_height(&lines);
        if i % 2 == 1 {
            let shade = Rectangle::new([(px(MARGIN), px(y)), (px(c.count), px(y + height))], ROW_SHADE.filled());
            drawn(area.draw(&shade))?;
        }
        let top = y + 4.0;
        text(c.rank, top, &p.rank.to_string(), &plain_end)?;
        text(c.abbreviation, top, &abbreviation(p), &strong)?;
        for (j, line) in lines.0.iter().enumerate() {
            text(c.party, top + j as f64 * LINE, line, &plain)?;
        }
        for (j, line) in lines.1.iter().enumerate() {
            text(c.country, top + j as f64 * LINE, line, &plain)?;
        }
        text(c.count, top, &count(p.interactions as f64), &plain_end)?;
        y += height;
    }
    rule(y)?;
    if partners.is_empty() {
        let note = font(TICK_SIZE, Weight::Regular, MUTED, HPos::Left, VPos::Top);
        text(MARGIN, y + 6.0, "No party interactions.", &note)?;
    }
    Ok(())
}
