//! The content analysis of news items, and `partylink report`: a run's folder drawn again.

use std::path::Path;

use anyhow::Result;
use arrow::array::RecordBatch;
use datafusion::execution::context::SessionContext;

use crate::content::{self, keywords::Keywords};
use crate::enrich;
use crate::load::reference::Reference;
use crate::report::manifest::describe_input;
use crate::report::{self, CONTENT_OUTPUTS, Format, Output, Staging, Table, draw};

/// The content analysis of the news items in `path`: the items read and analysed, the content
/// stages run over them and the contacts registered in `ctx`, and the tables of
/// [`CONTENT_OUTPUTS`], in its order.
pub(super) async fn content_tables(
    ctx: &SessionContext,
    path: &Path,
    keywords: &Keywords,
    registered: enrich::Registered,
) -> Result<Vec<(Output, RecordBatch)>> {
    let items = crate::extract::read_news(path)?;
    let analysis = content::analyse(&items, keywords)?;
    content::run(ctx, &analysis, registered).await?;
    let mut tables = Vec::with_capacity(CONTENT_OUTPUTS.len());
    for output in CONTENT_OUTPUTS {
        tables.push((*output, enrich::table(ctx, output.table).await?));
    }
    Ok(tables)
}

/// What `partylink report` drew, for its closing line.
pub struct Drawn {
    pub figures: usize,
    pub written: usize,
}

/// `partylink report`: the figures and report.html drawn again from the run's folder `out`
/// (its tables and manifest.json), after the content analysis of `reporting.news` if given;
/// the manifest's entries for the files written are replaced.
pub async fn report_folder(
    out: &Path,
    reference: Option<&Path>,
    formats: &[Format],
    news: Option<&Path>,
) -> Result<Drawn> {
    // The folder must be a run's, as its manifest says; what the page shows of the run (its
    // inputs and settings) is read from the manifest. The figures and the page are drawn
    // afresh, and with news items the content tables too, in the formats asked for: earlier
    // files of theirs not written again leave the folder and the manifest.
    let content = CONTENT_OUTPUTS.iter().filter(|_| news.is_some()).flat_map(|o| report::table_files(o.path));
    let replaced: Vec<String> = report::known_outputs()
        .into_iter()
        .filter(|path| path.starts_with("figures/") || path == report::html::REPORT)
        .chain(content)
        .collect();
    let redrawn = |path: &str| replaced.iter().any(|r| r == path);
    let folder = report::manifest::verify_but(out, &report::known_outputs(), redrawn)?;
    let ctx = enrich::create_context();
    enrich::register_outputs(&ctx, out, &folder.outputs).await?;
    let mut manifest = folder.manifest;
    let mut staging = Staging::new(out)?;
    if let Some(news) = news {
        let keywords = Keywords::parse(&Reference::load(reference)?.keywords)?;
        // A folder a run with --news wrote holds the content tables already: the new analysis
        // replaces them.
        for output in CONTENT_OUTPUTS {
            ctx.deregister_table(enrich::Registered::Folder.name(output.table, output.path))?;
        }
        let formats = super::distinct(formats);
        for (output, batch) in content_tables(&ctx, news, &keywords, enrich::Registered::Folder).await? {
            report::write_table(&mut staging, output.path, &Table::Batch(batch), &formats)?;
        }
        let files = content::news_files(news)?;
        let described = files.iter().map(|f| describe_input("news", f)).collect::<Result<Vec<_>>>()?;
        report::manifest::replace_inputs(&mut manifest, "news", described);
    }
    let figures = draw::figures_and_page(&ctx, enrich::Registered::Folder, &manifest, &mut staging).await?;
    report::manifest::replace_outputs(&mut manifest, staging.staged(), &replaced);
    staging.write_text(report::manifest::MANIFEST, &(serde_json::to_string_pretty(&manifest)? + "\n"))?;
    let written = staging.commit_owned(&replaced)?.len();
    Ok(Drawn { figures: figures.len(), written })
}
