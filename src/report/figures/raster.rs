//! PNG copies of the figures: the SVG rendered by resvg with the bundled font alone, so a
//! figure looks the same on any machine and needs no installed fonts.

use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use resvg::{tiny_skia, usvg};

use super::chart::SCALE;
use super::text::{FONT_BOLD, FONT_FAMILY, FONT_REGULAR, WIDTH};

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(FONT_REGULAR.to_vec());
            db.load_font_data(FONT_BOLD.to_vec());
            db.set_sans_serif_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// The PNG of a figure's SVG, [`SCALE`] pixels a unit: a figure 640 units wide becomes 1,920
/// pixels, 300 dpi at its printed width of 160 mm.
pub fn png(svg: &str) -> Result<Vec<u8>> {
    let options = usvg::Options { fontdb: fonts(), font_family: FONT_FAMILY.to_string(), ..Default::default() };
    let tree = usvg::Tree::from_str(svg, &options).context("parsing a figure's SVG")?;
    let size = tree.size();
    let factor = (WIDTH * SCALE) as f32 / size.width();
    let (width, height) = ((WIDTH * SCALE).round() as u32, (size.height() * factor).round() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(width, height).context("a figure's size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(factor, factor), &mut pixmap.as_mut());
    pixmap.encode_png().context("encoding a figure as PNG")
}
