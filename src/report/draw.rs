//! Drawing a run's report: the figures as SVG and PNG into `figures/`, and `report.html`. What
//! `partylink run` does at its end and `partylink report` does over a run's folder.

use anyhow::Result;
use datafusion::execution::context::SessionContext;
use serde_json::Value;

use super::figures::{self, Figure, raster};
use super::{Staging, html};
use crate::enrich::Registered;

/// Stages `figures/*.svg`, `figures/*.png` and `report.html`; returns the figures drawn.
/// `manifest` gives the page the run's version, inputs and settings.
pub async fn figures_and_page(
    ctx: &SessionContext,
    registered: Registered,
    manifest: &Value,
    staging: &mut Staging,
) -> Result<Vec<Figure>> {
    let figures = {
        let _timer = crate::shared::timing::start(|| "drawing the figures".into());
        figures::draw(ctx).await?
    };
    let pngs = {
        let _timer = crate::shared::timing::start(|| "rendering the figures as PNG".into());
        pngs(&figures)?
    };
    for (figure, png) in figures.iter().zip(&pngs) {
        staging.write_text(&format!("figures/{}.svg", figure.file), &figure.svg)?;
        staging.write_bytes(&format!("figures/{}.png", figure.file), png)?;
    }
    let gathered = html::gather(ctx, registered).await?;
    staging.write_text(html::REPORT, &html::render(&figures, &gathered, manifest))?;
    Ok(figures)
}

/// The figures' PNGs, rendered on `--threads` threads, in the figures' order.
fn pngs(figures: &[Figure]) -> Result<Vec<Vec<u8>>> {
    crate::shared::parallel::map(figures, 1, |f| raster::png(&f.svg)).into_iter().collect()
}
