//! A local run's enrich and report steps: the stages on this machine, in the order that frees
//! the largest tables soonest, and each output handed to the writers as soon as it is made.

use std::sync::Arc;

use anyhow::Result;
use arrow::array::RecordBatch;
use datafusion::execution::context::SessionContext;

use super::RESOLUTION_STAGES;
use crate::enrich::expand::{Expansion, Layout};
use crate::enrich::{self, CONTACT_STAGES, DECISION_STAGES};
use crate::load::read::contacts::Contacts;
use crate::report::html;
use crate::report::queue::Queue;
use crate::report::{Format, Output, RUN_OUTPUTS, Staging, Table};
use crate::shared::timing;

/// A local run's enrich step: the stages on this machine, each output handed to a writer on
/// its own thread as soon as its stage has made it (`enriched_contacts` written while the
/// stages that read it run); every output is staged when it returns.
///
/// The review queue and the accounting, which read only the resolved contacts, run first; once
/// `enriched_decisions`' plan has run nothing reads `contact_decisions` (`decisions`, its
/// slices) again, and it is freed before that table's rows are placed: 1.1 GiB at 10^7
/// diverse contacts.
pub(super) async fn enrich_and_report(
    ctx: &SessionContext,
    contacts: &Contacts,
    layout: &Arc<Layout>,
    decisions: Vec<RecordBatch>,
    staging: &mut Staging,
    formats: &[Format],
) -> Result<()> {
    let mut queue = Queue::start(staging.dir().to_path_buf(), formats);
    let ran = async {
        let mut made = |output, batch| queue.write(output, Table::Batch(batch));
        for stage in RESOLUTION_STAGES.iter().map(|t| enrich::stage_for(t).expect("a stage makes it")) {
            enrich::run_stage(ctx, stage).await?;
            collect_outputs(ctx, |o| o.table == stage.table(), &mut made).await?;
        }
        summarize_review(ctx).await?;
        let enriched = enrich_decisions(ctx, contacts, layout, decisions).await?;
        let output =
            *RUN_OUTPUTS.iter().find(|o| o.table == "enriched_contacts").expect("a run writes enriched_contacts");
        queue.write(output, Table::Rows(enriched));
        report_tables(ctx, |output, batch| queue.write(output, Table::Batch(batch))).await
    }
    .await;
    let written = queue.finish();
    ran?;
    staging.add(written?);
    Ok(())
}

/// Counts the review queue's reasons for the page ([`html::review_summary`], registered as
/// [`html::REVIEW_SUMMARY`]) and deregisters the queue: no stage reads it, and its writer holds
/// it only until it is written (0.4 GiB at 10^7 diverse contacts, held through the
/// interactions before).
async fn summarize_review(ctx: &SessionContext) -> Result<()> {
    let _timer = timing::start(|| "counting the review queue's reasons".into());
    enrich::register(ctx, html::REVIEW_SUMMARY, html::review_summary(ctx, "review_queue").await?)?;
    ctx.deregister_table("review_queue")?;
    Ok(())
}

/// Enriches the distinct decisions (the stages up to `enriched_decisions`) and returns
/// `enriched_contacts`, ready to be written while [`report_tables`] runs the stages that read it.
/// `enriched_decisions` runs without its `order by`: its rows are placed in (decision,
/// party_seq) order by the decisions' layout, which a sort of every decision did before.
/// Nothing reads `contact_decisions` (`decisions`, its slices) after that stage: it is
/// deregistered and freed as soon as the stage's plan has run, before its rows are placed.
async fn enrich_decisions(
    ctx: &SessionContext,
    contacts: &Contacts,
    layout: &Arc<Layout>,
    decisions: Vec<RecordBatch>,
) -> Result<Expansion> {
    let (last, before) = DECISION_STAGES.split_last().expect("the decision stages end with enriched_decisions");
    enrich::run_stages(ctx, before).await?;
    let table = enrich::run_stage_placed(ctx, last, |schema, batches| {
        enrich::session::deregister_packed(ctx, "contact_decisions")?;
        drop(decisions);
        layout.place_packed(schema, batches, last.table())
    })
    .await?;
    // Its repeated texts packed (two thirds of the table), read as plain text by the stages.
    ctx.deregister_table(last.table())?;
    enrich::session::register_packed(ctx, last.table(), vec![table.clone()])?;
    let _timer = timing::start(|| "enriched_decisions".into());
    enrich::contacts::enriched_contacts(contacts, layout, &table)
}

/// Runs the stages after [`enrich_decisions`] (interactions, the paper's tables; the review
/// queue and the accounting have run before), giving every output but `enriched_contacts`
/// and theirs to `made` as soon as its stage has run.
async fn report_tables(ctx: &SessionContext, mut made: impl FnMut(Output, RecordBatch)) -> Result<()> {
    // Outputs made before these stages (the DPI links the resolver checked) come first.
    let before = |o: &Output| o.table != "enriched_contacts" && !CONTACT_STAGES.iter().any(|s| s.table() == o.table);
    collect_outputs(ctx, before, &mut made).await?;
    for stage in CONTACT_STAGES.iter().filter(|s| !RESOLUTION_STAGES.contains(&s.table())) {
        enrich::run_stage(ctx, stage).await?;
        collect_outputs(ctx, |o| o.table == stage.table(), &mut made).await?;
    }
    Ok(())
}

/// Gives `made` the run's outputs that `which` picks, read from the session.
async fn collect_outputs(
    ctx: &SessionContext,
    which: impl Fn(&Output) -> bool,
    mut made: impl FnMut(Output, RecordBatch),
) -> Result<()> {
    for output in RUN_OUTPUTS.iter().filter(|o| which(o)) {
        let _timer = timing::start(|| format!("collecting {}", output.table));
        made(*output, enrich::table(ctx, output.table).await?);
    }
    Ok(())
}
