//! What every figure shares: the frame (title, subtitle, legend, notes) drawn with plotters on
//! its SVG backend, text styles, ticks, number formats and the colour-blind-safe palette.
//!
//! A figure is laid out in units (see [`text`](super::text)) and drawn in pixels, [`SCALE`] to a
//! unit: plotters places elements at whole pixels, and at 1,920 pixels across (the PNG's size)
//! a pixel is a third of a unit, 0.08 mm in print.

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text::{
    FONT_FAMILIES, LABEL_SIZE, NOTE_SIZE, PRINT_WIDTH_MM, TITLE_SIZE, WIDTH, Weight, escape, text_width, wrap,
};

/// Okabe and Ito's palette (2008), which readers with any common colour-vision deficiency
/// can tell apart; grey for what is unknown.
pub mod palette {
    use plotters::style::RGBColor;

    /// A colour of the palette.
    pub type Colour = RGBColor;

    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const GREY: RGBColor = RGBColor(0xA0, 0xA0, 0xA0);
    /// The series of a figure whose colours only tell series apart.
    pub const SERIES: [RGBColor; 7] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW];
}

pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
pub const PAPER: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

pub const MARGIN: f64 = 16.0;
/// Pixels a unit.
pub const SCALE: f64 = 3.0;

/// What plotters draws a figure on: its SVG backend writing into a string.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Units to pixels.
pub fn px(units: f64) -> i32 {
    (units * SCALE).round() as i32
}

/// A line width in units as whole pixels, at least one.
pub fn stroke(units: f64) -> u32 {
    (units * SCALE).round().max(1.0) as u32
}

/// plotters' errors (drawing into a string fails only on a bug) as anyhow's.
pub fn drawn<T, E: std::fmt::Debug>(result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| anyhow!("drawing a figure: {e:?}"))
}

/// A text style: `size` in units, anchored at (`h`, top/centre/bottom `v`) of the point given.
pub fn font(size: f64, weight: Weight, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    // plotters writes a font size as the size given / 1.24: give the size that writes exactly
    // the one wanted, so the SVG says `font-size="36"`, not 36.00000000000001.
    let wanted = size * SCALE;
    let mut given = wanted * 1.24;
    for _ in 0..4 {
        if given / 1.24 == wanted {
            break;
        }
        given = if given / 1.24 < wanted { given.next_up() } else { given.next_down() };
    }
    let style = if weight == Weight::Bold { FontStyle::Bold } else { FontStyle::Normal };
    FontDesc::new(FontFamily::Name(FONT_FAMILIES), given, style).color(&colour).pos(Pos::new(h, v))
}

/// Text whose top left is at `(x, y)` units.
pub fn text_at(area: &Area, (x, y): (f64, f64), text: &str, style: &TextStyle) -> Result<()> {
    drawn(area.draw(&Text::new(text.to_string(), (px(x), px(y)), style.clone())))
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Swatch,
    Line,
    DashedLine,
}

/// A figure's frame: title and subtitle above the body, a legend, and notes below.
pub struct Frame {
    title: Vec<String>,
    subtitle: Vec<String>,
    description: String,
    legend: Vec<(String, RGBColor, Key)>,
    notes: Vec<String>,
}

const TITLE_LINE: f64 = TITLE_SIZE * 1.3;
const SUBTITLE_LINE: f64 = LABEL_SIZE * 1.35;
const LEGEND_ROW: f64 = LABEL_SIZE * 1.5;
const NOTE_LINE: f64 = NOTE_SIZE * 1.35;

impl Frame {
    /// Title and subtitle at the top; `description` is the SVG's text alternative.
    pub fn new(title: &str, subtitle: &str, description: &str) -> Frame {
        let width = WIDTH - 2.0 * MARGIN;
        Frame {
            title: wrap(title, TITLE_SIZE, Weight::Bold, width),
            subtitle: wrap(subtitle, LABEL_SIZE, Weight::Regular, width),
            description: description.to_string(),
            legend: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Legend entries, in one row (wrapping onto more rows when needed).
    pub fn legend(&mut self, entries: &[(&str, RGBColor, Key)]) {
        self.legend = entries.iter().map(|(label, colour, key)| (label.to_string(), *colour, *key)).collect();
    }

    /// Notes under the figure: what it counts and where the numbers come from.
    pub fn notes(&mut self, notes: &[String]) {
        self.notes = notes.iter().flat_map(|n| wrap(n, NOTE_SIZE, Weight::Regular, WIDTH - 2.0 * MARGIN)).collect();
    }

    /// Each legend entry's position: (x, row).
    fn legend_places(&self) -> Vec<(f64, usize)> {
        let (mut x, mut row) = (MARGIN, 0);
        let mut places = Vec::new();
        for (label, _, _) in &self.legend {
            let width = 22.0 + text_width(label, LABEL_SIZE, Weight::Regular) + 16.0;
            if x > MARGIN && x + width > WIDTH - MARGIN {
                x = MARGIN;
                row += 1;
            }
            places.push((x, row));
            x += width;
        }
        places
    }

    fn header_height(&self) -> f64 {
        let subtitle = if self.subtitle.is_empty() { 0.0 } else { 2.0 + self.subtitle.len() as f64 * SUBTITLE_LINE };
        let rows = self.legend_places().last().map_or(0, |(_, row)| row + 1);
        MARGIN + self.title.len() as f64 * TITLE_LINE + subtitle + 4.0 + rows as f64 * LEGEND_ROW
    }

    /// Draws the frame around a body `body_height` units high, drawn by `body` on its own area
    /// (the full width, from the top of the body); returns the SVG.
    pub fn draw(self, body_height: f64, body: impl FnOnce(&Area) -> Result<()>) -> Result<String> {
        let top = self.header_height();
        let height = (top + body_height + 6.0 + self.notes.len() as f64 * NOTE_LINE + NOTE_SIZE * 0.4 + MARGIN).ceil();
        let size = (px(WIDTH) as u32, px(height) as u32);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            drawn(root.fill(&PAPER))?;
            self.draw_header(&root)?;
            let (_, below) = root.split_vertically(px(top));
            let (area, _) = below.split_vertically(px(body_height));
            body(&area)?;
            let mut y = top + body_height + 6.0;
            let note = font(NOTE_SIZE, Weight::Regular, MUTED, HPos::Left, VPos::Top);
            for line in &self.notes {
                text_at(&root, (MARGIN, y + NOTE_SIZE * 0.35), line, &note)?;
                y += NOTE_LINE;
            }
            drawn(root.present())?;
        }
        Ok(self.finish(&svg, height))
    }

    fn draw_header(&self, root: &Area) -> Result<()> {
        let mut y = MARGIN;
        let title = font(TITLE_SIZE, Weight::Bold, INK, HPos::Left, VPos::Top);
        for line in &self.title {
            text_at(root, (MARGIN, y), line, &title)?;
            y += TITLE_LINE;
        }
        if !self.subtitle.is_empty() {
            y += 2.0;
            let subtitle = font(LABEL_SIZE, Weight::Regular, MUTED, HPos::Left, VPos::Top);
            for line in &self.subtitle {
                text_at(root, (MARGIN, y + LABEL_SIZE * 0.3), line, &subtitle)?;
                y += SUBTITLE_LINE;
            }
        }
        y += 4.0;
        let label = font(LABEL_SIZE, Weight::Regular, INK, HPos::Left, VPos::Center);
        for ((text, colour, key), (x, row)) in self.legend.iter().zip(self.legend_places()) {
            let middle = y + LEGEND_ROW * (row as f64 + 0.5);
            legend_key(root, (x, middle), *colour, *key)?;
            text_at(root, (x + 22.0, middle), text, &label)?;
        }
        Ok(())
    }

    /// plotters' document with the figure's own opening: its printed size, font and text
    /// alternative (`<title>`, `<desc>`) for screen readers.
    fn finish(&self, svg: &str, height: f64) -> String {
        let body = svg.split_once('>').map_or(svg, |(_, rest)| rest);
        let height_mm = height * PRINT_WIDTH_MM / WIDTH;
        let title = self.title.join(" ");
        let body = trim_texts(body);
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w_mm}mm" height="{h_mm}mm" viewBox="0 0 {w} {h}" "#,
                r#"font-family="{family}" role="img">"#,
                "\n<title>{title}</title>\n<desc>{desc}</desc>{body}"
            ),
            w_mm = PRINT_WIDTH_MM,
            h_mm = (height_mm * 100.0).round() / 100.0,
            w = px(WIDTH),
            h = px(height),
            family = FONT_FAMILIES,
            title = escape(&title),
            desc = escape(&self.description),
            body = body,
        )
    }
}

/// plotters puts each text between line breaks (`<text ...>\nlabel\n</text>`), which a renderer
/// keeping white space shows as spaces around the label: take them out.
fn trim_texts(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<text ") {
        let Some(open) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = rest[open..].find("</text>").map(|i| open + i) else { break };
        out.push_str(&rest[..open]);
        out.push_str(rest[open..close].trim_matches('\n'));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// A legend's key: a swatch, or a short line, at `(x, middle)` units.
pub fn legend_key(area: &Area, (x, middle): (f64, f64), colour: RGBColor, key: Key) -> Result<()> {
    let line = vec![(px(x), px(middle)), (px(x + 16.0), px(middle))];
    match key {
        Key::Swatch => drawn(
            area.draw(&Rectangle::new([(px(x), px(middle - 5.0)), (px(x + 14.0), px(middle + 5.0))], colour.filled())),
        ),
        Key::Line => drawn(area.draw(&PathElement::new(line, colour.stroke_width(stroke(2.5))))),
        Key::DashedLine => {
            drawn(area.draw(&DashedPathElement::new(line, px(4.0), px(3.0), colour.stroke_width(stroke(2.5)))))
        }
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

/// An axis with the ticks and labels a figure chooses (plotters picks its own otherwise): a
/// value range, and the ticks on it with their labels.
#[derive(Debug, Clone)]
pub struct Axis {
    from: f64,
    to: f64,
    ticks: Vec<(f64, String)>,
}

impl Axis {
    pub fn new(range: std::ops::Range<f64>, ticks: impl IntoIterator<Item = (f64, String)>) -> Axis {
        Axis { from: range.start, to: range.end, ticks: ticks.into_iter().collect() }
    }
}

impl Ranged for Axis {
    type ValueType = f64;
    type FormatOption = NoDefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.from..self.to
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        RangedCoordf64::from(self.from..self.to).map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Ticks are bold points (grid lines and labels); there are no light ones.
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.iter().map(|t| t.0).collect() }
    }
}

impl ValueFormatter<f64> for Axis {
    fn format(_: &f64) -> String {
        String::new()
    }

    fn format_ext(&self, value: &f64) -> String {
        self.ticks.iter().find(|(tick, _)| tick == value).map_or_else(String::new, |(_, label)| label.clone())
    }
}

/// A chart with two axes of [`Axis`], drawn on a figure's area.
pub type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Axis, Axis>>;

/// Which of `n` evenly spaced labels `spacing` units apart to print: every one, or every
/// second, fifth, tenth..., so that labels `widest` units wide do not crowd.
pub fn label_every(spacing: f64, widest: f64) -> usize {
    [1usize, 2, 5, 10, 20, 50].into_iter().find(|n| *n as f64 * spacing >= widest + 6.0).unwrap_or(100)
}

/// The width of a value axis: its title turned on its side, and its widest tick label.
pub fn value_axis_width(tick_labels: &[String]) -> f64 {
    let widest = tick_labels.iter().map(|l| text_width(l, super::text::TICK_SIZE, Weight::Regular)).fold(0.0, f64::max);
    MARGIN + LABEL_SIZE * 1.4 + widest + 10.0
}

/// A label placed inside a bar segment when it fits, in a colour readable on the fill.
pub fn inside_label_colour(fill: RGBColor) -> RGBColor {
    if [palette::BLUE, palette::VERMILLION, palette::GREEN].contains(&fill) { PAPER } else { INK }
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
    fn texts_lose_the_line_breaks_around_them() {
        let body = "<rect/>\n<text x=\"1\">\nCPV &amp; LPRP\n</text>\n<text y=\"2\">\n2002\n</text>\n";
        assert_eq!(trim_texts(body), "<rect/>\n<text x=\"1\">CPV &amp; LPRP</text>\n<text y=\"2\">2002</text>\n");
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
