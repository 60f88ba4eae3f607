//! The figures' text: the bundled font, its sizes, and its widths for laying figures out.
//!
//! Every figure is laid out in units on a canvas [`WIDTH`] wide, which prints at the text width
//! of an A4 page ([`PRINT_WIDTH_MM`]); text is set in the bundled Noto Sans, so the widths
//! measured here are the widths the PNG (rendered with that font alone) and the report (which
//! embeds it) show. plotters, built without its font support (which would bring in system font
//! libraries), only estimates widths; wrapping titles and notes needs the font's own.

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
/// The family list written on every text element: the bundled font, else any sans-serif (a
/// figure's SVG opened on its own, where the font is not embedded).
pub const FONT_FAMILIES: &str = "Noto Sans, sans-serif";

/// Text sizes in user units: at 0.25 mm a unit, 11 units print at 7.8 pt.
pub const TITLE_SIZE: f64 = 15.0;
pub const LABEL_SIZE: f64 = 12.0;
pub const TICK_SIZE: f64 = 11.0;
pub const NOTE_SIZE: f64 = 10.5;

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
    fn wrap_keeps_lines_within_the_width() {
        let lines = wrap("one two three four five six seven eight nine ten", 12.0, Weight::Regular, 80.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| text_width(l, 12.0, Weight::Regular) <= 80.0 || !l.contains(' ')));
    }
}
