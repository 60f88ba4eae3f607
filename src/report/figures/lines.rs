//! Line charts over years: interactions in China and abroad (figure 2), and the topics of the
//! news items as small multiples, one panel a topic (figures 6 to 8).

use super::chart::{Frame, MARGIN, Plot, Scale, category_axis, count, plot_left, ticks, value_axis};
use super::svg::{Anchor, GRID, LABEL_SIZE, MUTED, TICK_SIZE, TextStyle, WIDTH, Weight, text_width, wrap};

/// A series of values, one per year of the chart; a year without a value (no news item that
/// year) is a gap in the line, not a zero.
pub struct Series {
    pub values: Vec<Option<f64>>,
    pub colour: &'static str,
    pub dashed: bool,
}

fn draw_series(frame: &mut Frame, x: &Scale, y: &Scale, years: &[i64], series: &Series) {
    let points: Vec<Option<(f64, f64)>> =
        years.iter().zip(&series.values).map(|(year, v)| v.map(|v| (x.map(*year as f64), y.map(v)))).collect();
    for run in points.split(Option::is_none).filter(|run| run.len() > 1) {
        let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
        frame.svg.polyline(&run, series.colour, 2.2, series.dashed);
    }
    for point in points.iter().flatten() {
        frame.svg.circle(*point, 2.6, series.colour, "#FFFFFF", 0.8);
    }
}

fn year_scale(years: &[i64], left: f64, right: f64) -> Scale {
    let first = *years.first().unwrap_or(&0) as f64;
    let last = *years.last().unwrap_or(&0) as f64;
    // Half a year of room at each end, so the first and last points are not on the frame.
    let pad = (right - left) / (2.0 * (last - first + 1.0));
    Scale { domain: (first, last.max(first + 1.0)), range: (left + pad, right - pad) }
}

/// Lines over the years with a count axis.
pub fn count_lines(frame: &mut Frame, years: &[i64], series: &[Series], value_title: &str, plot_height: f64) {
    let max = series.iter().flat_map(|s| s.values.iter().flatten().copied()).fold(0.0, f64::max);
    let ticks = ticks(max, 5, true);
    let labels: Vec<String> = ticks.iter().map(|t| count(*t)).collect();
    let top = frame.y + 8.0;
    let plot = Plot { left: plot_left(&labels), right: WIDTH - MARGIN, top, bottom: top + plot_height };
    let y = value_axis(&mut frame.svg, &plot, &ticks, count, value_title);
    let x = year_scale(years, plot.left, plot.right);
    for s in series {
        draw_series(frame, &x, &y, years, s);
    }
    let positions: Vec<(f64, String)> = years.iter().map(|year| (x.map(*year as f64), year.to_string())).collect();
    frame.y = category_axis(&mut frame.svg, &plot, &positions, "year");
}

/// One panel of small multiples: its heading and its series.
pub struct Panel {
    pub heading: String,
    pub series: Series,
}

/// Small multiples sharing one value axis (shares, shown as percentages), up to three panels a
/// row; tick labels on the outer panels only.
pub fn small_multiples(frame: &mut Frame, years: &[i64], panels: &[Panel], value_title: &str) {
    let columns = if panels.len() <= 4 { 2 } else { 3 };
    let max = panels.iter().flat_map(|p| p.series.values.iter().flatten().copied()).fold(0.0, f64::max);
    let ticks = ticks(max.max(0.05), 4, false);
    let labels: Vec<String> = ticks.iter().map(|t| format!("{}%", (t * 100.0).round() as i64)).collect();
    let left = plot_left(&labels);
    let gap = 18.0;
    let panel_width = (WIDTH - MARGIN - left - gap * (columns - 1) as f64) / columns as f64;
    let panel_height = 92.0;
    let headings: Vec<Vec<String>> =
        panels.iter().map(|p| wrap(&p.heading, LABEL_SIZE, Weight::Bold, panel_width)).collect();
    let line = LABEL_SIZE * 1.25;
    let mut top = frame.y + 4.0;
    for (row, chunk) in panels.chunks(columns).enumerate() {
        let heading_lines =
            headings[row * columns..row * columns + chunk.len()].iter().map(Vec::len).max().unwrap_or(1);
        let heading = heading_lines as f64 * line + 4.0;
        for (column, panel) in chunk.iter().enumerate() {
            let x0 = left + column as f64 * (panel_width + gap);
            for (j, text) in headings[row * columns + column].iter().enumerate() {
                frame.svg.text((x0, top + LABEL_SIZE + j as f64 * line), text, TextStyle::new(LABEL_SIZE).bold());
            }
            let plot = Plot {
                left: x0,
                right: x0 + panel_width,
                top: top + heading + 4.0,
                bottom: top + heading + 4.0 + panel_height,
            };
            panel_chart(frame, years, panel, &plot, &ticks, column == 0);
        }
        top += heading + 4.0 + panel_height + TICK_SIZE + 14.0;
    }
    frame.svg.text(
        (MARGIN + LABEL_SIZE * 0.8, (frame.y + top) / 2.0),
        value_title,
        TextStyle::new(LABEL_SIZE).anchor(Anchor::Middle).vertical(),
    );
    frame.y = top;
}

/// One panel: grid lines, its series, and years under it; tick labels when it is the first of
/// its row.
fn panel_chart(frame: &mut Frame, years: &[i64], panel: &Panel, plot: &Plot, ticks: &[f64], first: bool) {
    let tick_label = |t: f64| format!("{}%", (t * 100.0).round() as i64);
    let y = Scale { domain: (0.0, *ticks.last().unwrap_or(&1.0)), range: (plot.bottom, plot.top) };
    for &tick in ticks {
        let ty = y.map(tick);
        frame.svg.line((plot.left, ty), (plot.right, ty), if tick == 0.0 { MUTED } else { GRID }, 0.8);
        if first {
            frame.svg.text(
                (plot.left - 6.0, ty + TICK_SIZE * 0.35),
                &tick_label(tick),
                TextStyle::new(TICK_SIZE).anchor(Anchor::End).color(MUTED),
            );
        }
    }
    let x = year_scale(years, plot.left, plot.right);
    draw_series(frame, &x, &y, years, &panel.series);
    // Years under every panel, as many as fit: every year, or every second, fifth, tenth.
    let Some(&first_year) = years.first() else { return };
    let label_width = text_width("2000", TICK_SIZE, Weight::Regular) + 8.0;
    let every = [1, 2, 5, 10, 20, 50]
        .into_iter()
        .find(|n| x.map((first_year + n) as f64) - x.map(first_year as f64) >= label_width)
        .unwrap_or(100);
    for year in years.iter().filter(|y| (*y - first_year) % every == 0) {
        let tx = x.map(*year as f64);
        frame.svg.line((tx, plot.bottom), (tx, plot.bottom + 3.0), MUTED, 0.8);
        frame.svg.text(
            (tx, plot.bottom + TICK_SIZE + 4.0),
            &year.to_string(),
            TextStyle::new(TICK_SIZE).anchor(Anchor::Middle).color(MUTED),
        );
    }
}
