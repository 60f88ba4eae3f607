//! A command's output folder: its claim on the folder, the manifest's inputs and settings, and
//! the commit that leaves the folder holding this command's outputs and nothing else of its.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::Value;

use super::extraction::input_files;
use super::{Input, Job, Loaded};
use crate::load::paths::Source;
use crate::report::manifest::{MANIFEST, describe_source, describe_text, manifest, written_by};
use crate::report::{self, Format, Staging};
use crate::shared::timing;

/// A command's claim on its output folder. A folder another command wrote is refused where
/// writing there would spoil it: resolving alone in a run's folder would leave its tables
/// disagreeing, and a run or a resolve in an extraction's folder would remove the contacts it
/// found (which a run reads). A run may take over a resolve's folder; the same command's folder
/// is its own to write again.
pub(super) fn claim(out: &Path, command: &str) -> Result<()> {
    let Some(other) = written_by(out)? else { return Ok(()) };
    if other == command || (command == "run" && other == "resolve") {
        return Ok(());
    }
    let whose = match other.as_str() {
        "run" => "a run's".to_string(),
        "extract" => "an extraction's".to_string(),
        other => format!("`partylink {other}`'s"),
    };
    anyhow::bail!(
        "{} holds {whose} outputs, which `partylink {command}` would spoil; give {command} another --out",
        out.display()
    )
}

/// The manifest's checksums of the inputs (the contacts or news items, the news items of the
/// content analysis, the sources), taken on another thread while the run works.
pub(super) fn describe_inputs(
    job: &Job,
    news_files: &[PathBuf],
) -> Result<std::thread::JoinHandle<Result<Vec<Value>>>> {
    let to_describe: Vec<(&'static str, Source)> = input_files(&job.input)?
        .into_iter()
        .chain(news_files.iter().filter(|_| !matches!(job.input, Input::News(_))).map(|f| ("news", f.clone())))
        .map(|(role, path)| (role, Source::file(path)))
        .chain(job.inputs.paths.roles().map(|(role, source)| (role, source.clone())))
        .collect();
    Ok(std::thread::spawn(move || {
        to_describe.iter().map(|(role, source)| describe_source(role, source)).collect::<Result<Vec<_>>>()
    }))
}

/// The inputs described, and the reference tables after them.
pub(super) fn join_inputs(
    described: std::thread::JoinHandle<Result<Vec<Value>>>,
    loaded: &Loaded,
) -> Result<Vec<Value>> {
    let mut inputs = described.join().expect("the checksum thread does not panic")?;
    for (name, origin, bytes) in &loaded.reference.files {
        inputs.push(describe_text(&format!("reference/{name}"), origin, bytes));
    }
    Ok(inputs)
}

/// The settings every command's manifest records: the resolver's numbers and the formats.
pub(super) fn settings_of(loaded: &Loaded, formats: &[Format]) -> serde_json::Map<String, Value> {
    let mut settings = loaded.registry.config.settings();
    settings.insert("formats".into(), formats.iter().map(|f| f.name()).collect::<Vec<_>>().into());
    settings
}

/// Writes the manifest of what was staged and moves it all into the folder the command owns,
/// removing the outputs of an earlier run it did not write again. Returns the files written.
pub(super) fn finish(
    mut staging: Staging,
    command: &str,
    inputs: Vec<Value>,
    settings: Value,
    started: std::time::SystemTime,
) -> Result<usize> {
    let _timer = timing::start(|| "manifest (sha256 of every output)".into());
    let manifest = manifest(command, inputs, settings, staging.staged(), started);
    staging.write_text(MANIFEST, &(serde_json::to_string_pretty(&manifest)? + "\n"))?;
    Ok(staging.commit_owned(&report::known_outputs())?.len())
}
