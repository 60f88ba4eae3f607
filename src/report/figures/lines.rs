//! Line charts over years, drawn with plotters: interactions in China and abroad (figure 2), and
//! the topics of the news items as small multiples, one panel a topic (figures 6 to 8).

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::bars::{CATEGORY_AXIS, count_axis, count_mesh};
use super::chart::{
    Area, Axis, Chart, INK, MARGIN, PAPER, count, drawn, font, label_every, px, stroke, ticks, value_axis_width,
};
use super::text::{LABEL_SIZE, TICK_SIZE, WIDTH, Weight, text_width, wrap};

/// A series of values, one per year of the chart; a year without a value (no news item that
/// year) is a gap in the line, not a zero.
pub struct Series {
    pub values: Vec<Option<f64>>,
    pub colour: RGBColor,
    pub dashed: bool,
}

fn draw_series(chart: &mut Chart, years: &[i64], series: &Series) -> Result<()> {
    let points: Vec<Option<(f64, f64)>> =
        years.iter().zip(&series.values).map(|(year, v)| v.map(|v| (*year as f64, v))).collect();
    let style = series.colour.stroke_width(stroke(2.2));
    for run in points.split(Option::is_none).filter(|run| run.len() > 1) {
        let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
        if series.dashed {
            drawn(chart.draw_series(DashedLineSeries::new(run, px(5.0), px(3.0), style)))?;
        } else {
            drawn(chart.draw_series(LineSeries::new(run, style)))?;
        }
    }
    // Each value as a dot with a white rim, so that a lone year between gaps shows.
    let dots = points
        .iter()
        .flatten()
        .flat_map(|p| [Circle::new(*p, px(3.4), PAPER.filled()), Circle::new(*p, px(2.6), series.colour.filled())]);
    drawn(chart.draw_series(dots))?;
    Ok(())
}

/// The years' axis: half a year of room at each end, so the first and last points are not on
/// the frame; labels on every year, or every second, fifth, tenth, as many as fit.
fn year_axis(years: &[i64], plot_width: f64) -> Axis {
    let first = *years.first().unwrap_or(&0);
    let last = *years.last().unwrap_or(&first).max(&first);
    let spacing = plot_width / (last - first + 1) as f64;
    let every = label_every(spacing, text_width("2000", TICK_SIZE, Weight::Regular) + 2.0);
    let keys = (first..=last).step_by(every).map(|y| (y as f64, y.to_string()));
    Axis::new(first as f64 - 0.5..last as f64 + 0.5, keys)
}

/// The height [`count_lines`] draws in.
pub fn count_lines_height(plot_height: f64) -> f64 {
    10.0 + plot_height + CATEGORY_AXIS
}

/// Lines over the years with a count axis.
pub fn count_lines(area: &Area, years: &[i64], series: &[Series], value_title: &str) -> Result<()> {
    let max = series.iter().flat_map(|s| s.values.iter().flatten().copied()).fold(0.0, f64::max);
    let ticks = ticks(max, 5, true);
    let labels: Vec<String> = ticks.iter().map(|t| count(*t)).collect();
    let left = value_axis_width(&labels);
    let mut chart = drawn(
        ChartBuilder::on(area)
            .margin_top(px(10.0))
            .margin_left(px(MARGIN))
            .margin_right(px(MARGIN))
            .y_label_area_size(px(left - MARGIN))
            .x_label_area_size(px(CATEGORY_AXIS))
            .build_cartesian_2d(year_axis(years, WIDTH - MARGIN - left), count_axis(&ticks)),
    )?;
    count_mesh(&mut chart, Some((value_title, "year")))?;
    for s in series {
        draw_series(&mut chart, years, s)?;
    }
    Ok(())
}

/// One panel of small multiples: its heading and its series.
pub struct Panel {
    pub heading: String,
    pub series: Series,
}

const PANEL_HEIGHT: f64 = 92.0;
const PANEL_GAP: f64 = 18.0;
const HEADING_LINE: f64 = LABEL_SIZE * 1.25;
const YEARS_UNDER: f64 = TICK_SIZE + 10.0;

/// Where small multiples go: panels a row, the value axis's width and its tick labels, each
/// panel's width, and each row's heading lines.
struct Grid {
    columns: usize,
    ticks: Vec<f64>,
    left: f64,
    panel_width: f64,
    headings: Vec<Vec<String>>,
    row_heights: Vec<f64>,
}

fn share_label(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

fn grid(panels: &[Panel]) -> Grid {
    let columns = if panels.len() <= 4 { 2 } else { 3 };
    let max = panels.iter().flat_map(|p| p.series.values.iter().flatten().copied()).fold(0.0, f64::max);
    let ticks = ticks(max.max(0.05), 4, false);
    let labels: Vec<String> = ticks.iter().map(|t| share_label(*t)).collect();
    let left = value_axis_width(&labels);
    let panel_width = (WIDTH - MARGIN - left - PANEL_GAP * (columns - 1) as f64) / columns as f64;
    let headings: Vec<Vec<String>> =
        panels.iter().map(|p| wrap(&p.heading, LABEL_SIZE, Weight::Bold, panel_width)).collect();
    let row_heights = headings
        .chunks(columns)
        .map(|row| row.iter().map(Vec::len).max().unwrap_or(1) as f64 * HEADING_LINE + 8.0 + PANEL_HEIGHT + YEARS_UNDER)
        .collect();
    Grid { columns, ticks, left, panel_width, headings, row_heights }
}

/// The height [`small_multiples`] draws in.
pub fn small_multiples_height(panels: &[Panel]) -> f64 {
    4.0 + grid(panels).row_heights.iter().sum::<f64>()
}

/// Small multiples sharing one value axis (shares, shown as percentages), up to three panels a
/// row; tick labels on the first panel of a row only.
pub fn small_multiples(area: &Area, years: &[i64], panels: &[Panel], value_title: &str) -> Result<()> {
    let grid = grid(panels);
    let mut top = 4.0;
    let bold = font(LABEL_SIZE, Weight::Bold, INK, HPos::Left, VPos::Top);
    for (row, chunk) in panels.chunks(grid.columns).enumerate() {
        let row_height = grid.row_heights[row];
        let heading = row_height - PANEL_HEIGHT - YEARS_UNDER - 4.0;
        for (column, panel) in chunk.iter().enumerate() {
            let x0 = grid.left + column as f64 * (grid.panel_width + PANEL_GAP);
            for (j, text) in grid.headings[row * grid.columns + column].iter().enumerate() {
                drawn(area.draw(&Text::new(text.clone(), (px(x0), px(top + j as f64 * HEADING_LINE)), bold.clone())))?;
            }
            // The first panel of a row carries the tick labels to its left.
            let axis = if column == 0 { grid.left - MARGIN - LABEL_SIZE * 1.4 } else { 0.0 };
            let panel_area = area.clone().shrink(
                (px(x0 - axis), px(top + heading)),
                (px(grid.panel_width + axis), px(PANEL_HEIGHT + YEARS_UNDER)),
            );
            panel_chart(&panel_area, years, panel, &grid, axis)?;
        }
        top += row_height;
    }
    let turned = font(LABEL_SIZE, Weight::Regular, INK, HPos::Center, VPos::Center).transform(FontTransform::Rotate270);
    drawn(area.draw(&Text::new(value_title.to_string(), (px(MARGIN + LABEL_SIZE * 0.8), px(top / 2.0)), turned)))
}

/// One panel: grid lines, its series, and years under it; tick labels when `axis` leaves room.
fn panel_chart(area: &Area, years: &[i64], panel: &Panel, grid: &Grid, axis: f64) -> Result<()> {
    let top = *grid.ticks.last().unwrap_or(&1.0);
    let mut chart = drawn(
        ChartBuilder::on(area).y_label_area_size(px(axis)).x_label_area_size(px(YEARS_UNDER)).build_cartesian_2d(
            year_axis(years, grid.panel_width),
            Axis::new(
                0.0..top,
                grid.ticks.iter().map(|t| (*t, if axis > 0.0 { share_label(*t) } else { String::new() })),
            ),
        ),
    )?;
    count_mesh(&mut chart, None)?;
    draw_series(&mut chart, years, &panel.series)
}
