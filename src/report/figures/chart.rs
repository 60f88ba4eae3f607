//! What every figure shares: the frame (title, subtitle, legend, notes), scales, ticks, axes
//! and the colour-blind-safe palette.

use super::svg::{
    Anchor, GRID, INK, LABEL_SIZE, MUTED, NOTE_SIZE, Svg, TICK_SIZE, TITLE_SIZE, TextStyle, WIDTH, Weight, text_width,
    wrap,
};

/// Okabe and Ito's palette (2008), which readers with any common colour-vision deficiency
/// can tell apart; grey for what is unknown.
pub mod palette {
    pub const BLUE: &str = "#0072B2";
    pub const ORANGE: &str = "#E69F00";
    pub const SKY_BLUE: &str = "#56B4E9";
    pub const GREEN: &str = "#009E73";
    pub const VERMILLION: &str = "#D55E00";
    pub const PURPLE: &str = "#CC79A7";
    pub const YELLOW: &str = "#F0E442";
    pub const GREY: &str = "#A0A0A0";
    /// The series of a figure whose colours only tell series apart.
    pub const SERIES: [&str; 7] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW];
}

pub const MARGIN: f64 = 16.0;

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Swatch,
    Line,
    DashedLine,
}

/// A figure being drawn: the SVG and how far down it has got.
pub struct Frame {
    pub svg: Svg,
    pub y: f64,
}

impl Frame {
    /// Title and subtitle at the top; `description` is the SVG's text alternative.
    pub fn new(title: &str, subtitle: &str, description: &str) -> Frame {
        let mut svg = Svg::new(title, description);
        let mut y = MARGIN + TITLE_SIZE;
        for line in wrap(title, TITLE_SIZE, Weight::Bold, WIDTH - 2.0 * MARGIN) {
            svg.text((MARGIN, y), &line, TextStyle::new(TITLE_SIZE).bold());
            y += TITLE_SIZE * 1.3;
        }
        if !subtitle.is_empty() {
            y += 2.0;
            for line in wrap(subtitle, LABEL_SIZE, Weight::Regular, WIDTH - 2.0 * MARGIN) {
                svg.text((MARGIN, y), &line, TextStyle::new(LABEL_SIZE).color(MUTED));
                y += LABEL_SIZE * 1.35;
            }
        }
        Frame { svg, y: y + 4.0 }
    }

    /// One row of legend entries (wrapping onto more rows when needed).
    pub fn legend(&mut self, entries: &[(&str, &str, Key)]) {
        let mut x = MARGIN;
        let row = LABEL_SIZE * 1.5;
        let mut y = self.y + LABEL_SIZE * 0.5;
        for (label, color, key) in entries {
            let width = 22.0 + text_width(label, LABEL_SIZE, Weight::Regular) + 16.0;
            if x > MARGIN && x + width > WIDTH - MARGIN {
                x = MARGIN;
                y += row;
            }
            match key {
                Key::Swatch => self.svg.rect(x, y - 5.0, 14.0, 10.0, color),
                Key::Line => self.svg.line((x, y), (x + 16.0, y), color, 2.5),
                Key::DashedLine => self.svg.dashed_line((x, y), (x + 16.0, y), color, 2.5),
            }
            self.svg.text((x + 22.0, y + LABEL_SIZE * 0.35), label, TextStyle::new(LABEL_SIZE));
            x += width;
        }
        self.y = y + row;
    }

    /// Notes under the figure: what it counts and where the numbers come from.
    pub fn notes(&mut self, notes: &[String]) {
        self.y += 6.0;
        for note in notes {
            for line in wrap(note, NOTE_SIZE, Weight::Regular, WIDTH - 2.0 * MARGIN) {
                self.y += NOTE_SIZE * 1.35;
                self.svg.text((MARGIN, self.y), &line, TextStyle::new(NOTE_SIZE).color(MUTED));
            }
        }
    }

    pub fn finish(mut self) -> String {
        self.svg.set_height(self.y + MARGIN);
        self.svg.finish()
    }
}

/// A linear map from data values to canvas positions.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 { r0 } else { r0 + (value - d0) / (d1 - d0) * (r1 - r0) }
    }
}

/// Round tick values from 0 to at least `max`, about `target` of them; whole numbers only when
/// `whole`. Returns the ticks; the last is the axis's top.
pub fn ticks(max: f64, target: usize, whole: bool) -> Vec<f64> {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let step = if whole { step.max(1.0).round() } else { step };
    let count = (max / step).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// A count as printed: 1,234.
pub fn count(value: f64) -> String {
    let digits = format!("{}", value.round() as i64);
    let (sign, digits) = digits.strip_prefix('-').map_or(("", digits.as_str()), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// A share as a percentage: 40%, 12.5% where a whole number would mislead.
pub fn percent(share: f64) -> String {
    let value = share * 100.0;
    if (value - value.round()).abs() < 0.05 || value >= 10.0 {
        format!("{}%", value.round() as i64)
    } else {
        format!("{value:.1}%")
    }
}

/// The plot area of a chart with a vertical value axis.
#[derive(Debug, Clone, Copy)]
pub struct Plot {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// Draws a vertical value axis with grid lines across the plot, its tick labels and its title
/// (turned on its side); returns the scale. The plot's left edge leaves room for the labels.
pub fn value_axis(svg: &mut Svg, plot: &Plot, ticks: &[f64], label: impl Fn(f64) -> String, title: &str) -> Scale {
    let top = *ticks.last().unwrap_or(&1.0);
    let scale = Scale { domain: (0.0, top), range: (plot.bottom, plot.top) };
    for &tick in ticks {
        let y = scale.map(tick);
        svg.line((plot.left, y), (plot.right, y), if tick == 0.0 { MUTED } else { GRID }, 0.8);
        svg.text(
            (plot.left - 6.0, y + TICK_SIZE * 0.35),
            &label(tick),
            TextStyle::new(TICK_SIZE).anchor(Anchor::End).color(MUTED),
        );
    }
    svg.text(
        (MARGIN + LABEL_SIZE * 0.8, (plot.top + plot.bottom) / 2.0),
        title,
        TextStyle::new(LABEL_SIZE).anchor(Anchor::Middle).vertical(),
    );
    scale
}

/// The left edge of a plot whose value axis carries these tick labels and a title.
pub fn plot_left(tick_labels: &[String]) -> f64 {
    let widest = tick_labels.iter().map(|l| text_width(l, TICK_SIZE, Weight::Regular)).fold(0.0, f64::max);
    MARGIN + LABEL_SIZE * 1.4 + widest + 10.0
}

/// Labels along a horizontal axis of years (or other categories) centred at `positions`,
/// skipping some when they would crowd; then the axis title. Returns the y below them.
pub fn category_axis(svg: &mut Svg, plot: &Plot, labels: &[(f64, String)], title: &str) -> f64 {
    let widest = labels.iter().map(|(_, l)| text_width(l, TICK_SIZE, Weight::Regular)).fold(0.0, f64::max);
    let spacing = if labels.len() > 1 { (labels[1].0 - labels[0].0).abs() } else { f64::INFINITY };
    let every = [1usize, 2, 5, 10, 20, 50].into_iter().find(|n| *n as f64 * spacing >= widest + 6.0).unwrap_or(100);
    let y = plot.bottom + TICK_SIZE + 5.0;
    for (i, (x, label)) in labels.iter().enumerate() {
        if i % every == 0 {
            svg.line((*x, plot.bottom), (*x, plot.bottom + 3.0), MUTED, 0.8);
            svg.text((*x, y), label, TextStyle::new(TICK_SIZE).anchor(Anchor::Middle).color(MUTED));
        }
    }
    let title_y = y + LABEL_SIZE + 6.0;
    svg.text(((plot.left + plot.right) / 2.0, title_y), title, TextStyle::new(LABEL_SIZE).anchor(Anchor::Middle));
    title_y + 2.0
}

/// A label placed inside a bar segment when it fits, in a colour readable on the fill.
pub fn inside_label(svg: &mut Svg, (x, y): (f64, f64), width: f64, text: &str, fill: &str) {
    if text_width(text, TICK_SIZE, Weight::Regular) + 6.0 <= width {
        let color = if matches!(fill, palette::BLUE | palette::VERMILLION | palette::GREEN) { "#FFFFFF" } else { INK };
        svg.text((x, y), text, TextStyle::new(TICK_SIZE).anchor(Anchor::Middle).color(color));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_reach_the_maximum() {
        assert_eq!(ticks(47.0, 5, true), [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(ticks(3.0, 5, true), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.0, 5, true), [0.0, 1.0]);
        let shares = ticks(0.42, 4, false);
        assert!(shares.last().unwrap() >= &0.42 && shares.len() <= 6, "{shares:?}");
    }

    #[test]
    fn counts_and_shares_print_as_readers_expect() {
        assert_eq!(count(1234567.0), "1,234,567");
        assert_eq!(count(12.0), "12");
        assert_eq!(percent(0.4), "40%");
        assert_eq!(percent(0.025), "2.5%");
        assert_eq!(percent(0.125), "13%");
    }
}
