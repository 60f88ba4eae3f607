//! `partylink review`: a run's review queue as a ready-to-edit overrides file.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cmd::{ResolverArgs, RunDirArgs, SourceArgs, is_stdout, report_line, to_stdout};
use crate::pipeline;
use crate::report::{Format, Staging, staging};

/// Turn a run's review queue into an overrides file to edit.
///
/// Reads review_queue from a run's folder (--run; it must match its manifest.json) and the
/// sources, which describe each candidate. Writes, to --to (stdout by default), the columns of
/// party_overrides.csv (country, name, year_first, year_last, partyfacts_id, decided_by,
/// reason) with a row per name to decide and candidate party, then what tells the candidates
/// apart and what the row would decide: candidate ("1 of 2"), score, party_name, party_years,
/// other_names, dpi_names (the DPI labels linked to the party), contacts, contact_ids and
/// review_reason. To decide a name, keep the right candidate's row (or write not_a_party as its
/// partyfacts_id), delete the others, fill decided_by and reason, and pass the file's directory
/// as --reference (the file named party_overrides.csv). Contacts sent to review for their
/// country are left out: an override cannot decide them. An existing file is never replaced.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub run: RunDirArgs,

    /// Where to write the overrides file (e.g. review/party_overrides.csv), or `-` for stdout
    #[arg(short = 'o', long, value_name = "FILE", default_value = "-")]
    pub to: PathBuf,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

pub async fn run(args: ReviewArgs) -> Result<()> {
    let stdout = is_stdout(&args.to);
    if !stdout {
        // A reviewer's edits are never overwritten: the file is made once, then edited.
        if args.to.exists() {
            anyhow::bail!("{} exists (edited, perhaps): give another --to, or remove it first", args.to.display());
        }
        staging::check_replaceable(&args.to)?;
    }
    let review = pipeline::review(&args.run.dir, &args.sources.inputs()?, args.resolver.config()).await?;
    let mut bytes = Vec::new();
    Format::Csv.write(&mut bytes, &review.table)?;
    let summary = format!(
        "{} names of {} contacts to decide, {} rows{}",
        review.names,
        review.contacts,
        review.table.num_rows(),
        match review.no_country {
            0 => String::new(),
            n => format!("; {n} contacts without a country left out (add its spelling to countries.csv)"),
        }
    );
    if stdout {
        to_stdout(&bytes)?;
        report_line(&summary);
        return Ok(());
    }
    let dir = args.to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let file = args.to.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let mut staging = Staging::new(dir)?;
    staging.write_bytes(&file, &bytes)?;
    staging.commit()?;
    report_line(&format!("{summary}; wrote {}", args.to.display()));
    Ok(())
}
