//! Bar charts: interactions per year (figure 1), parties by their number of interactions
//! (figure 4), and power status by regime type (figure 5), drawn with plotters.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::chart::{
    Area, Axis, Chart, GRID, INK, Key, MARGIN, MUTED, count, drawn, font, inside_label_colour, label_every, palette,
    percent, px, stroke, ticks, value_axis_width,
};
use super::text::{LABEL_SIZE, TICK_SIZE, WIDTH, Weight, text_width};

/// One bar of stacked segments: its label and each segment's value and colour.
pub struct StackedBar {
    pub label: String,
    pub segments: Vec<(f64, RGBColor)>,
}

/// The height of a category axis under a plot: tick labels and the axis title.
pub const CATEGORY_AXIS: f64 = TICK_SIZE + LABEL_SIZE + 16.0;

/// The room above a plot of columns: for the totals over the bars, or a little.
fn columns_top(label_totals: bool) -> f64 {
    if label_totals { TICK_SIZE + 4.0 } else { 10.0 }
}

/// The height [`stacked_columns`] draws in.
pub fn stacked_columns_height(plot_height: f64, label_totals: bool) -> f64 {
    columns_top(label_totals) + plot_height + CATEGORY_AXIS
}

/// The grid across the values, the axes, their labels, and their titles when given (value,
/// category).
pub fn count_mesh(chart: &mut Chart, titles: Option<(&str, &str)>) -> Result<()> {
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .bold_line_style(GRID.stroke_width(stroke(0.8)))
        .light_line_style(TRANSPARENT)
        .axis_style(MUTED.stroke_width(stroke(0.8)))
        .set_all_tick_mark_size(px(3.0))
        .label_style(font(TICK_SIZE, Weight::Regular, MUTED, HPos::Center, VPos::Center))
        .axis_desc_style(font(LABEL_SIZE, Weight::Regular, INK, HPos::Center, VPos::Center));
    if let Some((value, category)) = titles {
        mesh.y_desc(value).x_desc(category);
    }
    drawn(mesh.draw())
}

/// A value axis of counts from zero to the last of `ticks`.
pub fn count_axis(ticks: &[f64]) -> Axis {
    Axis::new(0.0..*ticks.last().unwrap_or(&1.0), ticks.iter().map(|t| (*t, count(*t))))
}

/// Vertical stacked bars over categories (years), with a value axis of counts.
pub fn stacked_columns(
    area: &Area,
    bars: &[StackedBar],
    value_title: &str,
    category_title: &str,
    label_totals: bool,
) -> Result<()> {
    let max = bars.iter().map(|b| b.segments.iter().map(|s| s.0).sum::<f64>()).fold(0.0, f64::max);
    let ticks = ticks(max, 5, true);
    let labels: Vec<String> = ticks.iter().map(|t| count(*t)).collect();
    let left = value_axis_width(&labels);
    let n = bars.len().max(1);
    let band = (WIDTH - MARGIN - left) / n as f64;
    let widest = bars.iter().map(|b| text_width(&b.label, TICK_SIZE, Weight::Regular)).fold(0.0, f64::max);
    let every = label_every(band, widest);
    let keys = bars.iter().enumerate().step_by(every).map(|(i, b)| (i as f64, b.label.clone()));
    let mut chart = drawn(
        ChartBuilder::on(area)
            .margin_top(px(columns_top(label_totals)))
            .margin_left(px(MARGIN))
            .margin_right(px(MARGIN))
            .y_label_area_size(px(left - MARGIN))
            .x_label_area_size(px(CATEGORY_AXIS))
            .build_cartesian_2d(Axis::new(-0.5..n as f64 - 0.5, keys), count_axis(&ticks)),
    )?;
    count_mesh(&mut chart, Some((value_title, category_title)))?;
    let half = 0.36;
    for (i, bar) in bars.iter().enumerate() {
        let x = i as f64;
        let mut base = 0.0;
        for &(value, colour) in bar.segments.iter().filter(|(v, _)| *v > 0.0) {
            let rect = Rectangle::new([(x - half, base), (x + half, base + value)], colour.filled());
            drawn(chart.draw_series(std::iter::once(rect)))?;
            base += value;
        }
        if label_totals && base > 0.0 {
            let total = EmptyElement::at((x, base))
                + Text::new(
                    count(base),
                    (0, -px(4.0)),
                    font(TICK_SIZE, Weight::Regular, MUTED, HPos::Center, VPos::Bottom),
                );
            drawn(chart.draw_series(std::iter::once(total)))?;
        }
    }
    Ok(())
}

const SHARE_ROW: f64 = 34.0;

/// The height [`share_bars`] draws in.
pub fn share_bars_height(bars: usize) -> f64 {
    4.0 + SHARE_ROW * bars as f64 + CATEGORY_AXIS + 4.0
}

/// Horizontal bars split into shares that add up to 100%: one bar per group, with its share
/// labels inside the segments and its total (`n = ...`) at the right.
pub fn share_bars(area: &Area, bars: &[StackedBar], axis_title: &str) -> Result<()> {
    let label_width = bars.iter().map(|b| text_width(&b.label, LABEL_SIZE, Weight::Regular)).fold(0.0, f64::max);
    let totals: Vec<f64> = bars.iter().map(|b| b.segments.iter().map(|s| s.0).sum()).collect();
    let n_width = totals
        .iter()
        .map(|t| text_width(&format!("n = {}", count(*t)), TICK_SIZE, Weight::Regular))
        .fold(0.0, f64::max);
    let left = MARGIN + label_width + 10.0;
    let right = MARGIN + n_width + 10.0;
    let n = bars.len().max(1);
    // The first bar at the top.
    let row = |i: usize| (n - 1 - i) as f64;
    let mut chart = drawn(
        ChartBuilder::on(area)
            .margin_top(px(4.0))
            .margin_left(px(MARGIN))
            .margin_right(px(right))
            .y_label_area_size(px(left - MARGIN))
            .x_label_area_size(px(CATEGORY_AXIS + 4.0))
            .build_cartesian_2d(
                Axis::new(0.0..1.0, [0.0, 0.25, 0.5, 0.75, 1.0].map(|t| (t, percent(t)))),
                Axis::new(-0.5..n as f64 - 0.5, bars.iter().enumerate().map(|(i, b)| (row(i), b.label.clone()))),
            ),
    )?;
    drawn(
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(MUTED.stroke_width(stroke(0.8)))
            .set_all_tick_mark_size(px(3.0))
            .x_label_style(font(TICK_SIZE, Weight::Regular, MUTED, HPos::Center, VPos::Center))
            .y_label_style(font(LABEL_SIZE, Weight::Regular, INK, HPos::Center, VPos::Center))
            .axis_desc_style(font(LABEL_SIZE, Weight::Regular, INK, HPos::Center, VPos::Center))
            .x_desc(axis_title)
            .draw(),
    )?;
    let plot_width = WIDTH - left - right;
    for (i, (bar, total)) in bars.iter().zip(&totals).enumerate() {
        let y = row(i);
        let mut base = 0.0;
        for &(value, colour) in &bar.segments {
            let share = if *total > 0.0 { value / total } else { 0.0 };
            if share <= 0.0 {
                continue;
            }
            let rect = Rectangle::new([(base, y - 0.4), (base + share, y + 0.4)], colour.filled());
            drawn(chart.draw_series(std::iter::once(rect)))?;
            let text = percent(share);
            if text_width(&text, TICK_SIZE, Weight::Regular) + 6.0 <= share * plot_width {
                let style = font(TICK_SIZE, Weight::Regular, inside_label_colour(colour), HPos::Center, VPos::Center);
                drawn(chart.draw_series(std::iter::once(Text::new(text, (base + share / 2.0, y), style))))?;
            }
            base += share;
        }
        let n_label = EmptyElement::at((1.0, y))
            + Text::new(
                format!("n = {}", count(*total)),
                (px(8.0), 0),
                font(TICK_SIZE, Weight::Regular, MUTED, HPos::Left, VPos::Center),
            );
        drawn(chart.draw_series(std::iter::once(n_label)))?;
    }
    Ok(())
}

/// The legend entries of bars' segments.
pub fn swatches<'a>(entries: &[(&'a str, RGBColor)]) -> Vec<(&'a str, RGBColor, Key)> {
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
pub const SINGLE: RGBColor = palette::BLUE;

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
