//! Bar charts: interactions per year (figure 1), parties by their number of interactions
//! (figure 4), and power status by regime type (figure 5).

use super::chart::{
    self, Frame, Key, MARGIN, Plot, category_axis, count, inside_label, palette, percent, plot_left, ticks, value_axis,
};
use super::svg::{Anchor, LABEL_SIZE, MUTED, TICK_SIZE, TextStyle, WIDTH, Weight, text_width};

/// One bar of stacked segments: its label and each segment's value and colour.
pub struct StackedBar {
    pub label: String,
    pub segments: Vec<(f64, &'static str)>,
}

/// Vertical stacked bars over categories (years), with a value axis of counts.
pub fn stacked_columns(
    frame: &mut Frame,
    bars: &[StackedBar],
    value_title: &str,
    category_title: &str,
    plot_height: f64,
    label_totals: bool,
) {
    let max = bars.iter().map(|b| b.segments.iter().map(|s| s.0).sum::<f64>()).fold(0.0, f64::max);
    let ticks = ticks(max, 5, true);
    let labels: Vec<String> = ticks.iter().map(|t| count(*t)).collect();
    let top = frame.y + if label_totals { TICK_SIZE + 4.0 } else { 6.0 };
    let plot = Plot { left: plot_left(&labels), right: WIDTH - MARGIN, top, bottom: top + plot_height };
    let scale = value_axis(&mut frame.svg, &plot, &ticks, count, value_title);
    let band = (plot.right - plot.left) / bars.len().max(1) as f64;
    let width = band * 0.72;
    let mut positions = Vec::new();
    for (i, bar) in bars.iter().enumerate() {
        let centre = plot.left + band * (i as f64 + 0.5);
        let mut base = 0.0;
        for &(value, colour) in &bar.segments {
            let (y0, y1) = (scale.map(base), scale.map(base + value));
            frame.svg.rect(centre - width / 2.0, y1, width, y0 - y1, colour);
            base += value;
        }
        if label_totals && base > 0.0 {
            frame.svg.text(
                (centre, scale.map(base) - 4.0),
                &count(base),
                TextStyle::new(TICK_SIZE).anchor(Anchor::Middle).color(MUTED),
            );
        }
        positions.push((centre, bar.label.clone()));
    }
    frame.y = category_axis(&mut frame.svg, &plot, &positions, category_title);
}

/// Horizontal bars split into shares that add up to 100%: one bar per group, with its share
/// labels inside the segments and its total (`n = ...`) at the right.
pub fn share_bars(frame: &mut Frame, bars: &[StackedBar], axis_title: &str) {
    let label_width = bars.iter().map(|b| text_width(&b.label, LABEL_SIZE, Weight::Regular)).fold(0.0, f64::max);
    let totals: Vec<f64> = bars.iter().map(|b| b.segments.iter().map(|s| s.0).sum()).collect();
    let n_width = totals
        .iter()
        .map(|t| text_width(&format!("n = {}", count(*t)), TICK_SIZE, Weight::Regular))
        .fold(0.0, f64::max);
    let left = MARGIN + label_width + 10.0;
    let right = WIDTH - MARGIN - n_width - 10.0;
    let row = 34.0;
    let top = frame.y + 4.0;
    let scale = chart::Scale { domain: (0.0, 1.0), range: (left, right) };
    for (i, (bar, total)) in bars.iter().zip(&totals).enumerate() {
        let y = top + row * i as f64;
        let middle = y + row * 0.4;
        frame.svg.text(
            (left - 8.0, middle + LABEL_SIZE * 0.35),
            &bar.label,
            TextStyle::new(LABEL_SIZE).anchor(Anchor::End),
        );
        let mut base = 0.0;
        for &(value, colour) in &bar.segments {
            let share = if *total > 0.0 { value / total } else { 0.0 };
            let (x0, x1) = (scale.map(base), scale.map(base + share));
            frame.svg.rect(x0, y, x1 - x0, row * 0.8, colour);
            if share > 0.0 {
                inside_label(
                    &mut frame.svg,
                    ((x0 + x1) / 2.0, middle + TICK_SIZE * 0.35),
                    x1 - x0,
                    &percent(share),
                    colour,
                );
            }
            base += share;
        }
        frame.svg.text(
            (right + 8.0, middle + TICK_SIZE * 0.35),
            &format!("n = {}", count(*total)),
            TextStyle::new(TICK_SIZE).color(MUTED),
        );
    }
    let bottom = top + row * bars.len() as f64;
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = scale.map(tick);
        frame.svg.line((x, bottom - 2.0), (x, bottom + 3.0), MUTED, 0.8);
        frame.svg.text(
            (x, bottom + TICK_SIZE + 5.0),
            &percent(tick),
            TextStyle::new(TICK_SIZE).anchor(Anchor::Middle).color(MUTED),
        );
    }
    let title_y = bottom + TICK_SIZE + LABEL_SIZE + 12.0;
    frame.svg.text(((left + right) / 2.0, title_y), axis_title, TextStyle::new(LABEL_SIZE).anchor(Anchor::Middle));
    frame.y = title_y + 2.0;
}

/// The legend entries of bars' segments.
pub fn swatches<'a>(entries: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str, Key)> {
    entries.iter().map(|(label, colour)| (*label, *colour, Key::Swatch)).collect()
}

/// Bins of a count per party for a histogram: single values up to four, then widening ranges
/// (equal-width bins would leave a long empty tail: a few parties have dozens of interactions).
pub fn bin_label(interactions: i64) -> (usize, String) {
    const EDGES: [(i64, i64); 9] =
        [(1, 1), (2, 2), (3, 3), (4, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, i64::MAX)];
    let i = EDGES.iter().position(|(lo, hi)| (*lo..=*hi).contains(&interactions)).unwrap_or(0);
    let (lo, hi) = EDGES[i];
    let label = match hi {
        _ if lo == hi => lo.to_string(),
        i64::MAX => format!("{lo}+"),
        _ => format!("{lo}\u{2013}{hi}"),
    };
    (i, label)
}

/// The colour used for the one series of a single-series bar chart.
pub const SINGLE: &str = palette::BLUE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_widen_after_four() {
        assert_eq!(bin_label(1), (0, "1".into()));
        assert_eq!(bin_label(4), (3, "4".into()));
        assert_eq!(bin_label(7), (4, "5\u{2013}9".into()));
        assert_eq!(bin_label(250), (8, "100+".into()));
    }
}
