//! Table 1 as a picture: the parties with most interactions, with the abbreviations English
//! sources print, set like the paper's table.

use super::chart::{Frame, MARGIN, count};
use super::svg::{Anchor, INK, LABEL_SIZE, MUTED, TICK_SIZE, TextStyle, WIDTH, Weight, text_width, wrap};

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

const ROW_SHADE: &str = "#F2F2F2";
const LINE: f64 = 15.0;

/// Draws the table; returns whether any abbreviation carries the Party Facts marker.
pub fn draw(frame: &mut Frame, partners: &[Partner]) -> bool {
    let size = LABEL_SIZE;
    let marked = partners.iter().any(|p| p.party_facts_short_name);
    let abbreviation = |p: &Partner| format!("{}{}", p.abbreviation, if p.party_facts_short_name { "*" } else { "" });
    let widest = |header: &str, cells: Vec<String>, weight: Weight| {
        cells.iter().map(|c| text_width(c, size, weight)).fold(text_width(header, size, Weight::Bold), f64::max)
    };
    let rank_w = widest("Rank", partners.iter().map(|p| p.rank.to_string()).collect(), Weight::Regular) + 14.0;
    let abbr_w = widest("Abbreviation", partners.iter().map(abbreviation).collect(), Weight::Bold) + 16.0;
    let country_w =
        widest("Country", partners.iter().map(|p| p.country.clone()).collect(), Weight::Regular).min(150.0) + 14.0;
    let count_w =
        widest("Interactions", partners.iter().map(|p| count(p.interactions as f64)).collect(), Weight::Regular);
    let left = MARGIN;
    let right = WIDTH - MARGIN;
    let party_w = right - left - rank_w - abbr_w - country_w - count_w - 14.0;
    let x_rank = left + rank_w - 14.0;
    let x_abbr = left + rank_w;
    let x_party = x_abbr + abbr_w;
    let x_country = x_party + party_w + 14.0;
    let x_count = right;
    let mut y = frame.y + 4.0;
    let header = y + size;
    let bold = TextStyle::new(size).bold();
    frame.svg.text((x_rank, header), "Rank", bold.anchor(Anchor::End));
    frame.svg.text((x_abbr, header), "Abbreviation", bold);
    frame.svg.text((x_party, header), "Party", bold);
    frame.svg.text((x_country, header), "Country", bold);
    frame.svg.text((x_count, header), "Interactions", bold.anchor(Anchor::End));
    y = header + 6.0;
    frame.svg.line((left, y), (right, y), INK, 1.0);
    for (i, p) in partners.iter().enumerate() {
        let party_lines = wrap(&p.party, size, Weight::Regular, party_w);
        let country_lines = wrap(&p.country, size, Weight::Regular, country_w - 14.0);
        let lines = party_lines.len().max(country_lines.len()).max(1);
        let height = lines as f64 * LINE + 7.0;
        if i % 2 == 1 {
            frame.svg.rect(left, y, right - left, height, ROW_SHADE);
        }
        let baseline = y + 4.0 + size;
        let plain = TextStyle::new(size);
        frame.svg.text((x_rank, baseline), &p.rank.to_string(), plain.anchor(Anchor::End));
        frame.svg.text((x_abbr, baseline), &abbreviation(p), plain.bold());
        for (j, line) in party_lines.iter().enumerate() {
            frame.svg.text((x_party, baseline + j as f64 * LINE), line, plain);
        }
        for (j, line) in country_lines.iter().enumerate() {
            frame.svg.text((x_country, baseline + j as f64 * LINE), line, plain);
        }
        frame.svg.text((x_count, baseline), &count(p.interactions as f64), plain.anchor(Anchor::End));
        y += height;
    }
    frame.svg.line((left, y), (right, y), INK, 1.0);
    frame.y = y + 2.0;
    if partners.is_empty() {
        frame.svg.text((left, y + TICK_SIZE + 6.0), "No party interactions.", TextStyle::new(TICK_SIZE).color(MUTED));
        frame.y += TICK_SIZE + 8.0;
    }
    marked
}
