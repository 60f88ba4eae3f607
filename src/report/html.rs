//! `report.html`: the page a reader of a replication opens. One self-contained file: the
//! figures as inline SVG with their captions, the tables, the accounting and review summary,
//! and the inputs with their sha256; CSS and the font inline, nothing fetched.

use std::fmt::Write;

/// The page's file name in a run's folder.
pub const REPORT: &str = "report.html";

use anyhow::Result;
use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use base64::Engine;
use datafusion::execution::context::SessionContext;
use serde_json::Value;

use super::figures::Figure;
use super::figures::text::{FONT_BOLD, FONT_REGULAR, escape};
use super::{CONTENT_OUTPUTS, Output, RUN_OUTPUTS};
use crate::enrich::{self, Registered};

/// The table a run registers the page's review summary as ([`review_summary`] of its review
/// queue), made as soon as the queue is, so that the queue need not be kept until the page is
/// drawn.
pub const REVIEW_SUMMARY: &str = "report_review_summary";

/// Rows of a table the page shows before it points to the file.
const MAX_ROWS: usize = 25;

/// What the content analysis did, for the page to say.
#[derive(Debug, Clone)]
pub enum Content {
    NotRun,
    Ran { items: usize, analysed: usize },
}

/// Everything the page shows besides the figures, read from the run's tables.
pub struct Gathered {
    accounting: RecordBatch,
    review: RecordBatch,
    dpi_links: usize,
    tables: Vec<(Output, RecordBatch)>,
    content: Content,
}

/// Reads what the page shows from the run's tables (registered in `ctx` as `registered` says).
pub async fn gather(ctx: &SessionContext, registered: Registered) -> Result<Gathered> {
    let name = |table: &str| -> String {
        let output = RUN_OUTPUTS.iter().chain(CONTENT_OUTPUTS).find(|o| o.table == table).expect("a known output");
        registered.name(output.table, output.path).to_string()
    };
    let accounting = enrich::query(ctx, &format!("select * from {}", name("accounting"))).await?;
    let review = match registered {
        Registered::Run if ctx.table_exist(REVIEW_SUMMARY)? => enrich::table(ctx, REVIEW_SUMMARY).await?,
        _ => review_summary(ctx, name("review_queue").as_str()).await?,
    };
    let dpi_links = enrich::query(ctx, &format!("select count(*) as n from {}", name("dpi_resolver_links"))).await?;
    let dpi_links = arrow::compute::cast(dpi_links.column(0), &arrow::datatypes::DataType::Int64)?;
    let dpi_links = dpi_links.as_any().downcast_ref::<arrow::array::Int64Array>().map_or(0, |a| a.value(0)) as usize;
    let mut tables = Vec::new();
    let content_ran = ctx.table_exist(name("topics_by_year").as_str()).unwrap_or(false);
    let outputs = RUN_OUTPUTS.iter().chain(CONTENT_OUTPUTS.iter().filter(|_| content_ran));
    for output in outputs.filter(|o| o.path.starts_with("tables/")) {
        tables.push((
            *output,
            enrich::query(ctx, &format!("select * from {}", registered.name(output.table, output.path))).await?,
        ));
    }
    let content = if content_ran {
        let items = enrich::query(
            ctx,
            &format!(
                "select count(*) as items, count(*) filter (where analysed) as analysed from {}",
                name("news_items")
            ),
        )
        .await?;
        let value = |i: usize| {
            let column = arrow::compute::cast(items.column(i), &arrow::datatypes::DataType::Int64).ok()?;
            Some(column.as_any().downcast_ref::<arrow::array::Int64Array>()?.value(0) as usize)
        };
        Content::Ran { items: value(0).unwrap_or(0), analysed: value(1).unwrap_or(0) }
    } else {
        Content::NotRun
    };
    Ok(Gathered { accounting, review, dpi_links, tables, content })
}

/// The review queue by outcome and kind of reason: a reason's numbers (scores, ids) are left
/// out, so that "best score 0.61 is below ..." and "best score 0.82 is below ..." count together.
/// `queue` is the review queue's table in `ctx`; its distinct (outcome, reason) are counted in
/// SQL first, so that each distinct reason is read once.
pub async fn review_summary(ctx: &SessionContext, queue: &str) -> Result<RecordBatch> {
    let reasons = enrich::query(
        ctx,
        &format!("select outcome, review_reason, count(*) as n from {queue} group by outcome, review_reason"),
    )
    .await?;
    let text = |name: &str| -> Result<ArrayRef> {
        Ok(arrow::compute::cast(reasons.column_by_name(name).expect("selected"), &arrow::datatypes::DataType::Utf8)?)
    };
    let (outcome, reason) = (text("outcome")?, text("review_reason")?);
    let (outcome, reason) = (outcome.as_string::<i32>(), reason.as_string::<i32>());
    let n = arrow::compute::cast(reasons.column_by_name("n").expect("selected"), &arrow::datatypes::DataType::Int64)?;
    let n = n.as_primitive::<arrow::datatypes::Int64Type>();
    let mut counts: std::collections::BTreeMap<(String, String), i64> = std::collections::BTreeMap::new();
    for i in 0..reasons.num_rows() {
        let key = (text_at(outcome, i).to_string(), reason_kind(text_at(reason, i)));
        *counts.entry(key).or_default() += n.value(i);
    }
    let mut rows: Vec<((String, String), i64)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    crate::shared::batch::BatchBuilder::new()
        .utf8("outcome", rows.iter().map(|((o, _), _)| Some(o.as_str())))
        .utf8("reason", rows.iter().map(|((_, r), _)| Some(r.as_str())))
        .int64("contacts", rows.iter().map(|(_, n)| Some(*n)))
        .build()
}

/// Row `i`'s text, empty where null.
fn text_at(column: &arrow::array::StringArray, i: usize) -> &str {
    if column.is_null(i) { "" } else { column.value(i) }
}

/// A review reason with its numbers (scores, ids, lists of ids) replaced by "…".
fn reason_kind(reason: &str) -> String {
    static NUMBERS: std::sync::OnceLock<(regex::Regex, regex::Regex)> = std::sync::OnceLock::new();
    let (number, list) = NUMBERS.get_or_init(|| {
        (
            regex::Regex::new(r"\d(?:[\d.]*\d)?").expect("a pattern"),
            regex::Regex::new(r"\(…(?:, …)*\)").expect("a pattern"),
        )
    });
    list.replace_all(&number.replace_all(reason, "…"), "(…)").into_owned()
}

const STYLE: &str = r#"
body { font-family: "Noto Sans", sans-serif; color: #222; line-height: 1.45; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1rem; margin-top: 1.5rem; }
figure { margin: 2rem 0; break-inside: avoid; } figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #444; margin-top: .4rem; }
table { border-collapse: collapse; font-size: .8rem; margin: .5rem 0; }
th, td { padding: .15rem .5rem; border-bottom: 1px solid #e2e2e2; text-align: left; vertical-align: top; }
th { border-bottom: 1px solid #888; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.wide { overflow-x: auto; } .sha { font-family: monospace; font-size: .72rem; word-break: break-all; }
.note { color: #555; font-size: .85rem; } nav ol { columns: 2; font-size: .9rem; }
@media print { body { max-width: none; margin: 0; } h2 { break-before: page; } }
"#;

fn font_faces() -> String {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    format!(
        "@font-face {{ font-family: \"Noto Sans\"; font-weight: 400; src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n\
         @font-face {{ font-family: \"Noto Sans\"; font-weight: 700; src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n",
        b64(FONT_REGULAR),
        b64(FONT_BOLD)
    )
}

/// A table as HTML, its first [`MAX_ROWS`] rows, numbers right-aligned.
fn html_table(batch: &RecordBatch, rows: usize) -> String {
    let options = FormatOptions::default().with_null("");
    let mut html = String::from("<div class=\"wide\"><table>\n<thead><tr>");
    for field in batch.schema().fields() {
        let _ = write!(html, "<th>{}</th>", escape(field.name()));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    let formatters: Vec<_> = batch
        .columns()
        .iter()
        .map(|c| (ArrayFormatter::try_new(c.as_ref(), &options).ok(), c.data_type().is_numeric()))
        .collect();
    for i in 0..batch.num_rows().min(rows) {
        html.push_str("<tr>");
        for (formatter, numeric) in &formatters {
            let cell = formatter.as_ref().map(|f| f.value(i).to_string()).unwrap_or_default();
            let class = if *numeric { " class=\"n\"" } else { "" };
            let _ = write!(html, "<td{class}>{}</td>", escape(&cell));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></div>\n");
    html
}

fn figure_html(figure: &Figure) -> String {
    let id = figure.label.to_lowercase().replace(' ', "-");
    format!(
        "<figure id=\"{id}\" data-figure=\"{file}\">\n{svg}<figcaption><b>{label}. {title}.</b> {caption} \
         Files: <a href=\"figures/{file}.svg\">SVG</a>, <a href=\"figures/{file}.png\">PNG</a>.</figcaption>\n</figure>\n",
        file = figure.file,
        svg = figure.svg,
        label = escape(&figure.label),
        title = escape(&figure.title),
        caption = escape(&figure.caption),
    )
}

fn count_of(batch: &RecordBatch, outcome: &str) -> Option<String> {
    let outcomes = arrow::compute::cast(batch.column_by_name("outcome")?, &arrow::datatypes::DataType::Utf8).ok()?;
    let rows = arrow::compute::cast(batch.column_by_name("rows")?, &arrow::datatypes::DataType::Int64).ok()?;
    let outcomes = outcomes.as_any().downcast_ref::<arrow::array::StringArray>()?;
    let rows = rows.as_any().downcast_ref::<arrow::array::Int64Array>()?;
    (0..batch.num_rows()).find(|i| outcomes.value(*i) == outcome).map(|i| rows.value(i).to_string())
}

/// The page. `manifest` gives the run's version, command, inputs and settings.
pub fn render(figures: &[Figure], gathered: &Gathered, manifest: &Value) -> String {
    let mut html = String::new();
    let version = manifest.get("partylink_version").and_then(Value::as_str).unwrap_or("?");
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>partylink report</title>\n<style>\n{}{STYLE}</style>\n</head>\n<body>\n",
        font_faces()
    );
    let _ = write!(
        html,
        "<header>\n<h1>partylink report</h1>\n<p class=\"note\">Run with partylink {}; page drawn by partylink {}. \
         Figures and tables are counted from the files beside this page.</p>\n</header>\n",
        escape(version),
        env!("CARGO_PKG_VERSION")
    );
    html.push_str(
        "<nav><ol><li><a href=\"#accounting\">Accounting and review</a></li><li><a href=\"#figures\">Figures 1 to 5 \
         and Table 1</a></li><li><a href=\"#content-analysis\">Content analysis (figures 6 to 8)</a></li>\
         <li><a href=\"#tables\">The paper's tables</a></li><li><a href=\"#inputs\">Inputs and settings</a></li></ol></nav>\n",
    );

    html.push_str("<section id=\"accounting\">\n<h2>Accounting and review</h2>\n");
    let input_rows = count_of(&gathered.accounting, "input_rows").unwrap_or_else(|| "?".into());
    let _ = write!(
        html,
        "<p>Every row of the contacts file is counted once, by what became of it ({input_rows} rows in all; \
         <a href=\"accounting.csv\">accounting.csv</a>).</p>\n{}",
        html_table(&gathered.accounting, MAX_ROWS)
    );
    let _ = write!(
        html,
        "<h3>Review queue</h3>\n<p>Contacts partylink would not decide alone, by reason (each with its three best \
         candidates in <a href=\"review_queue.csv\">review_queue.csv</a>). {}</p>\n{}",
        if gathered.review.num_rows() == 0 { "The queue is empty." } else { "" },
        if gathered.review.num_rows() == 0 { String::new() } else { html_table(&gathered.review, MAX_ROWS) }
    );
    let _ = writeln!(
        html,
        "<p>{} DPI parties that Party Facts' DPI import does not link were linked, or left unlinked, by the resolver: \
         <a href=\"review_dpi_links.csv\">review_dpi_links.csv</a>.</p>\n</section>",
        gathered.dpi_links
    );

    html.push_str("<section id=\"figures\">\n<h2>Figures 1 to 5 and Table 1</h2>\n");
    for figure in figures.iter().filter(|f| !f.file.contains("_topics_")) {
        html.push_str(&figure_html(figure));
    }
    html.push_str("</section>\n");

    html.push_str("<section id=\"content-analysis\">\n<h2>Content analysis (figures 6 to 8)</h2>\n");
    match &gathered.content {
        Content::NotRun => html.push_str(
            "<p><b>The content analysis was not run</b>: it needs the news items (<code>partylink run --news FILE</code> \
             or <code>partylink report --news FILE</code>), so figures 6 to 8 and the tables topics_by_year and \
             topics_by_partner_regime are not here.</p>\n",
        ),
        Content::Ran { items, analysed } => {
            let _ = writeln!(
                html,
                "<p>{items} news items read, {analysed} analysed: congratulations and condolences are left out, as the \
                 paper did (by the item's kind field, else by the item-kind rules of extraction), and so are items \
                 that cannot be read. Topics are counted with reference/keywords.csv; each item's kind is in news_items.csv and its mentions in \
                 news_topic_mentions.csv.</p>"
            );
            for figure in figures.iter().filter(|f| f.file.contains("_topics_")) {
                html.push_str(&figure_html(figure));
            }
        }
    }
    html.push_str("</section>\n");

    html.push_str("<section id=\"tables\">\n<h2>The paper's tables</h2>\n");
    for (output, batch) in &gathered.tables {
        let shown = batch.num_rows().min(MAX_ROWS);
        let _ = write!(
            html,
            "<h3 id=\"table-{name}\">{name}</h3>\n<p class=\"note\">{rows} rows{more}; the whole table is \
             <a href=\"{path}.csv\">{path}</a> (.csv and .parquet).</p>\n{table}",
            name = escape(output.table),
            rows = batch.num_rows(),
            more = if shown < batch.num_rows() { format!(", the first {shown} shown") } else { String::new() },
            path = output.path,
            table = html_table(batch, MAX_ROWS)
        );
    }
    html.push_str("</section>\n");

    html.push_str(
        "<section id=\"inputs\">\n<h2>Inputs and settings</h2>\n<p>The files this run read, with their \
                   sha256 (from <a href=\"manifest.json\">manifest.json</a>, which also lists every output's).</p>\n",
    );
    html.push_str("<div class=\"wide\"><table><thead><tr><th>role</th><th>path</th><th>bytes</th><th>sha256</th></tr></thead>\n<tbody>\n");
    for input in manifest.get("inputs").and_then(Value::as_array).into_iter().flatten() {
        let text = |key: &str| {
            input.get(key).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).unwrap_or_default()
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"sha\">{}</td></tr>",
            escape(&text("role")),
            escape(&text("path")),
            escape(&text("bytes")),
            escape(&text("sha256"))
        );
    }
    html.push_str("</tbody></table></div>\n");
    if let Some(settings) = manifest.get("settings").and_then(Value::as_object) {
        html.push_str("<table><tbody>\n");
        for (key, value) in settings {
            let _ = writeln!(html, "<tr><td>{}</td><td>{}</td></tr>", escape(key), escape(&value.to_string()));
        }
        html.push_str("</tbody></table>\n");
    }
    html.push_str("</section>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_reasons_are_grouped_without_their_numbers() {
        assert_eq!(
            reason_kind("best score 0.8200 is below the acceptance threshold 0.9"),
            "best score … is below the acceptance threshold …"
        );
        assert_eq!(reason_kind("the name fits 3 parties (2384, 2385, 7)"), "the name fits … parties (…)");
    }

    #[tokio::test]
    async fn the_review_summary_counts_each_kind_of_reason_once_per_outcome() {
        let ctx = SessionContext::new();
        let queue = crate::shared::batch::BatchBuilder::new()
            .utf8(
                "outcome",
                ["review_party", "review_party", "review_party", "review_country", "review_party"].map(Some),
            )
            .utf8(
                "review_reason",
                [
                    Some("best score 0.61 is below the acceptance threshold 0.9"),
                    Some("best score 0.82 is below the acceptance threshold 0.9"),
                    Some("best score 0.61 is below the acceptance threshold 0.9"),
                    Some("country not in reference/countries.csv"),
                    None,
                ],
            )
            .build()
            .unwrap();
        enrich::register(&ctx, "queue", queue).unwrap();
        let summary = review_summary(&ctx, "queue").await.unwrap();
        let column = |name: &str| summary.column_by_name(name).unwrap().clone();
        let reasons = column("reason");
        let rows: Vec<(String, String, i64)> = (0..summary.num_rows())
            .map(|i| {
                (
                    column("outcome").as_string::<i32>().value(i).to_string(),
                    reasons.as_string::<i32>().value(i).to_string(),
                    column("contacts").as_primitive::<arrow::datatypes::Int64Type>().value(i),
                )
            })
            .collect();
        let row = |o: &str, r: &str, n| (o.to_string(), r.to_string(), n);
        assert_eq!(
            rows,
            [
                row("review_party", "best score … is below the acceptance threshold …", 3),
                row("review_country", "country not in reference/countries.csv", 1),
                row("review_party", "", 1),
            ]
        );
    }
}
