//! A small SVG writer for the figures, and the bundled font's text widths for laying them out.
//!
//! Every figure is drawn in user units on a canvas [`WIDTH`] wide, which prints at the text
//! width of an A4 page ([`PRINT_WIDTH_MM`]); text is set in the bundled Noto Sans, so the
//! widths measured here are the widths the PNG (rendered with that font alone) and the report
//! (which embeds it) show.

use std::fmt::Write;
use std::sync::OnceLock;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// The canvas width in user units.
pub const WIDTH: f64 = 640.0;
/// The printed width: an A4 page (210 mm) less margins of 25 mm.
pub const PRINT_WIDTH_MM: f64 = 160.0;

pub const FONT_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.subset.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.subset.ttf");
pub const FONT_FAMILY: &str = "Noto Sans";

/// Text sizes in user units: at 0.25 mm a unit, 11 units print at 7.8 pt.
pub const TITLE_SIZE: f64 = 15.0;
pub const LABEL_SIZE: f64 = 12.0;
pub const TICK_SIZE: f64 = 11.0;
pub const NOTE_SIZE: f64 = 10.5;

pub const INK: &str = "#222222";
pub const MUTED: &str = "#555555";
pub const GRID: &str = "#DDDDDD";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// Advance widths of the bundled font, per character, in ems.
struct Metrics {
    regular: Vec<(char, f32)>,
    bold: Vec<(char, f32)>,
}

fn advances(data: &'static [u8]) -> Vec<(char, f32)> {
    let font = skrifa::FontRef::new(data).expect("the bundled font parses");
    let em = font.metrics(Size::unscaled(), LocationRef::default()).units_per_em as f32;
    let glyphs = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let mut widths: Vec<(char, f32)> = font
        .charmap()
        .mappings()
        .filter_map(|(code, glyph)| Some((char::from_u32(code)?, glyphs.advance_width(glyph)? / em)))
        .collect();
    widths.sort_by_key(|(c, _)| *c);
    widths
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| Metrics { regular: advances(FONT_REGULAR), bold: advances(FONT_BOLD) })
}

/// The width of `text` set at `size` (kerning left out: it narrows a line by a percent or so).
pub fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    let table = match weight {
        Weight::Regular => &metrics().regular,
        Weight::Bold => &metrics().bold,
    };
    let ems: f32 = text
        .chars()
        .map(|c| match table.binary_search_by_key(&c, |(k, _)| *k) {
            Ok(i) => table[i].1,
            Err(_) => 0.6,
        })
        .sum();
    f64::from(ems) * size
}

/// Splits `text` into lines no wider than `width`, at spaces.
pub fn wrap(text: &str, size: f64, weight: Weight, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && text_width(&candidate, size, weight) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Escapes text for SVG and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A coordinate as written: two decimals at most, no trailing zeros, so the same figure is the
/// same bytes.
pub fn num(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{:.2}", if rounded == 0.0 { 0.0 } else { rounded });
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// An SVG document being drawn: elements in painting order.
pub struct Svg {
    height: f64,
    title: String,
    description: String,
    body: String,
}

impl Svg {
    pub fn new(title: &str, description: &str) -> Svg {
        Svg { height: 0.0, title: title.to_string(), description: description.to_string(), body: String::new() }
    }

    /// The canvas's height; figures set it once they know how much they drew.
    pub fn set_height(&mut self, height: f64) {
        self.height = height.ceil();
    }

    pub fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
            num(x),
            num(y),
            num(width.max(0.0)),
            num(height.max(0.0))
        );
    }

    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}"/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(width)
        );
    }

    pub fn dashed_line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}" stroke-dasharray="4 3"/>"#,
            num(from.0),
            num(from.1),
            num(to.0),
            num(to.1),
            num(width)
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64, dashed: bool) {
        let points: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect();
        let dash = if dashed { r#" stroke-dasharray="5 3""# } else { "" };
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{}" stroke-linejoin="round"{dash}/>"#,
            points.join(" "),
            num(width)
        );
    }

    pub fn circle(&mut self, (cx, cy): (f64, f64), r: f64, fill: &str, stroke: &str, stroke_width: f64) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{stroke}" stroke-width="{}"/>"#,
            num(cx),
            num(cy),
            num(r),
            num(stroke_width)
        );
    }

    /// A circle whose fill lets what lies under it show through.
    pub fn translucent_circle(&mut self, (cx, cy): (f64, f64), r: f64, fill: &str, opacity: f64, stroke: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" fill-opacity="{}" stroke="{stroke}" stroke-width="0.7"/>"#,
            num(cx),
            num(cy),
            num(r),
            num(opacity)
        );
    }

    /// A path given as SVG path data, filled and outlined.
    pub fn path(&mut self, data: &str, fill: &str, stroke: &str, stroke_width: f64) {
        let _ = writeln!(
            self.body,
            r#"<path d="{data}" fill="{fill}" stroke="{stroke}" stroke-width="{}" stroke-linejoin="round"/>"#,
            num(stroke_width)
        );
    }

    pub fn text(&mut self, (x, y): (f64, f64), text: &str, style: TextStyle) {
        let anchor = match style.anchor {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
            Anchor::End => r#" text-anchor="end""#,
        };
        let weight = if style.weight == Weight::Bold { r#" font-weight="bold""# } else { "" };
        let rotate =
            if style.vertical { format!(r#" transform="rotate(-90 {} {})""#, num(x), num(y)) } else { String::new() };
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}" fill="{}"{anchor}{weight}{rotate}>{}</text>"#,
            num(x),
            num(y),
            num(style.size),
            style.color,
            escape(text)
        );
    }

    /// The finished document. It prints at [`PRINT_WIDTH_MM`] and scales to its container in a
    /// page; `<title>` and `<desc>` name it for screen readers.
    pub fn finish(self) -> String {
        let height_mm = self.height * PRINT_WIDTH_MM / WIDTH;
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w_mm}mm" height="{h_mm}mm" viewBox="0 0 {w} {h}" "#,
                r#"font-family="{family}, sans-serif" role="img">"#,
                "\n<title>{title}</title>\n<desc>{desc}</desc>\n",
                r##"<rect width="{w}" height="{h}" fill="#FFFFFF"/>"##,
                "\n{body}</svg>\n"
            ),
            w_mm = num(PRINT_WIDTH_MM),
            h_mm = num(height_mm),
            w = num(WIDTH),
            h = num(self.height),
            family = FONT_FAMILY,
            title = escape(&self.title),
            desc = escape(&self.description),
            body = self.body,
        )
    }
}

#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    pub size: f64,
    pub anchor: Anchor,
    pub weight: Weight,
    pub color: &'static str,
    pub vertical: bool,
}

impl TextStyle {
    pub const fn new(size: f64) -> TextStyle {
        TextStyle { size, anchor: Anchor::Start, weight: Weight::Regular, color: INK, vertical: false }
    }

    pub const fn anchor(self, anchor: Anchor) -> TextStyle {
        TextStyle { anchor, ..self }
    }

    pub const fn bold(self) -> TextStyle {
        TextStyle { weight: Weight::Bold, ..self }
    }

    pub const fn color(self, color: &'static str) -> TextStyle {
        TextStyle { color, ..self }
    }

    pub const fn vertical(self) -> TextStyle {
        TextStyle { vertical: true, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        let narrow = text_width("iiii", 10.0, Weight::Regular);
        let wide = text_width("WWWW", 10.0, Weight::Regular);
        assert!(narrow > 0.0 && wide > 2.0 * narrow, "{narrow} {wide}");
        assert!(text_width("Party", 12.0, Weight::Bold) > text_width("Party", 12.0, Weight::Regular));
    }

    #[test]
    fn numbers_are_written_the_same_way() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(12.5), "12.5");
    }

    #[test]
    fn wrap_keeps_lines_within_the_width() {
        let lines = wrap("one two three four five six seven eight nine ten", 12.0, Weight::Regular, 80.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| text_width(l, 12.0, Weight::Regular) <= 80.0 || !l.contains(' ')));
    }
}
