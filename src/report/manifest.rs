//! The manifest a run writes beside its outputs: partylink's version, every input with its
//! size and sha256, the settings, every output with its size and sha256, and the run time.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::staging::Written;
use crate::load::paths::Source;

/// The manifest's file name in a run's folder.
pub const MANIFEST: &str = "manifest.json";

/// An input file as the manifest records it.
pub fn describe_input(role: &str, path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(json!({"role": role, "path": path.display().to_string(), "bytes": bytes.len(), "sha256": sha256_hex(&bytes)}))
}

/// A source as the manifest records it: a file (hashed here), or a built-in copy (its digest
/// known at build time).
pub fn describe_source(role: &str, source: &Source) -> Result<Value> {
    let Some(built_in) = source.built_in else { return describe_input(role, &source.path) };
    Ok(json!({
        "role": role,
        "path": source.path.display().to_string(),
        "built_in": true,
        "bytes": built_in.bytes.len(),
        "sha256": built_in.sha256,
    }))
}

/// A built-in or given reference table as the manifest records it.
pub fn describe_text(role: &str, origin: &str, text: &[u8]) -> Value {
    json!({"role": role, "path": origin, "bytes": text.len(), "sha256": sha256_hex(text)})
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::shared::hex(&Sha256::digest(bytes))
}

/// A file's sha256, read a block at a time (an output may be gigabytes).
fn file_sha256(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(crate::shared::hex(&hasher.finalize()))
}

/// The manifest: partylink's version, the inputs, the settings, each staged output's size and
/// sha256, and last how the run ran (its start, its time, its threads), the only part that
/// changes between two runs on the same inputs.
pub fn manifest(
    command: &str,
    inputs: Vec<Value>,
    settings: Value,
    staged: &[Written],
    started: std::time::SystemTime,
) -> Value {
    let outputs: Vec<Value> = staged
        .iter()
        .map(|f| json!({"path": f.path.display().to_string(), "bytes": f.bytes, "sha256": f.sha256}))
        .collect();
    let since_epoch = started.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let started_at = chrono::DateTime::from_timestamp(since_epoch.as_secs() as i64, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    json!({
        "partylink_version": env!("CARGO_PKG_VERSION"),
        "command": command,
        "inputs": inputs,
        "settings": settings,
        "outputs": outputs,
        "run": {
            "started_at": started_at,
            "seconds": (started.elapsed().unwrap_or_default().as_millis() as f64) / 1000.0,
            "threads": crate::shared::parallel::threads(),
            "command_line": std::env::args().collect::<Vec<_>>(),
        },
    })
}

/// Replaces the manifest's inputs of one role (the news items `partylink report` read) with
/// `described`, where the first of them was (so that the page lists the inputs in the order a
/// run does), else at the end.
pub fn replace_inputs(manifest: &mut Value, role: &str, described: Vec<Value>) {
    let Some(object) = manifest.as_object_mut() else { return };
    if let Value::Array(inputs) = object.entry("inputs").or_insert_with(|| json!([])) {
        let of_role = |i: &Value| i.get("role").and_then(Value::as_str) == Some(role);
        let at = inputs.iter().position(of_role).unwrap_or(inputs.len());
        inputs.retain(|i| !of_role(i));
        inputs.splice(at.min(inputs.len())..at.min(inputs.len()), described);
    }
}

/// Puts the files just `staged` into the manifest's outputs, in place of their earlier entries;
/// the entries of `replaced` (outputs the command writes afresh, in whatever formats) that were
/// not staged this time are dropped, as their files are removed.
pub fn replace_outputs(manifest: &mut Value, staged: &[Written], replaced: &[String]) {
    let Some(object) = manifest.as_object_mut() else { return };
    if let Value::Array(outputs) = object.entry("outputs").or_insert_with(|| json!([])) {
        let staged_paths: Vec<String> = staged.iter().map(|f| f.path.display().to_string()).collect();
        outputs.retain(|o| {
            let path = o.get("path").and_then(Value::as_str).unwrap_or_default();
            staged_paths.iter().any(|s| s == path) || !replaced.iter().any(|r| r == path)
        });
        for f in staged {
            let entry = json!({"path": f.path.display().to_string(), "bytes": f.bytes, "sha256": f.sha256});
            match outputs.iter_mut().find(|o| o.get("path") == entry.get("path")) {
                Some(old) => *old = entry,
                None => outputs.push(entry),
            }
        }
    }
}

/// A run's folder as its manifest describes it, checked against the files there.
#[derive(Debug)]
pub struct RunFolder {
    /// The command that wrote it: `run` or `resolve`.
    pub command: String,
    /// Its outputs, relative to the folder, in the manifest's order.
    pub outputs: Vec<PathBuf>,
    /// The manifest itself.
    pub manifest: Value,
}

/// The command whose manifest is in `dir`, if there is one (for a command about to write
/// there).
pub fn written_by(dir: &Path) -> Result<Option<String>> {
    let path = dir.join(MANIFEST);
    if !path.is_file() {
        return Ok(None);
    }
    let manifest = read(&path)?;
    Ok(manifest["command"].as_str().map(str::to_string))
}

fn read(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not a partylink manifest", path.display()))
}

/// Reads `dir`'s manifest and checks the folder against it: every output it lists is there
/// with its size and sha256,
/// and no file of `known` is there that it does not list. A folder that does not match was
/// changed since its run (or mixes two runs) and is refused.
pub fn verify(dir: &Path, known: &[String]) -> Result<RunFolder> {
    verify_but(dir, known, |_| false)
}

/// [`verify`], but the outputs `redrawn` says the caller is about to write again (`report`'s
/// figures and page) may be missing or changed.
pub fn verify_but(dir: &Path, known: &[String], redrawn: impl Fn(&str) -> bool) -> Result<RunFolder> {
    let path = dir.join(MANIFEST);
    if !path.is_file() {
        anyhow::bail!(
            "{}: no {MANIFEST}, so not a run's output folder; run `partylink run --out {}` first",
            dir.display(),
            dir.display()
        );
    }
    let manifest = read(&path)?;
    let command = manifest["command"].as_str().unwrap_or_default().to_string();
    let listed = manifest["outputs"].as_array().with_context(|| format!("{}: no \"outputs\" list", path.display()))?;
    let rerun =
        format!("run `partylink {} --out {}` again", if command.is_empty() { "run" } else { &command }, dir.display());
    let mut outputs = Vec::with_capacity(listed.len());
    for output in listed {
        let (Some(relative), Some(bytes), Some(sha256)) =
            (output["path"].as_str(), output["bytes"].as_u64(), output["sha256"].as_str())
        else {
            anyhow::bail!("{}: an output without path, bytes or sha256: {output}", path.display());
        };
        let file = dir.join(relative);
        if redrawn(relative) {
            outputs.push(PathBuf::from(relative));
            continue;
        }
        let meta = std::fs::metadata(&file).ok().filter(|m| m.is_file());
        let found = match meta {
            None => Some("is missing".to_string()),
            Some(m) if m.len() != bytes => Some(format!("has {} bytes, the manifest {bytes}", m.len())),
            // Every file by its sha256, not its size alone: a CSV edited in place (a value
            // changed, the length kept) is no longer what the run wrote.
            Some(_) => (file_sha256(&file)? != sha256).then(|| "has another sha256 than the manifest's".to_string()),
        };
        if let Some(found) = found {
            anyhow::bail!("{} does not match its {MANIFEST}: {relative} {found}; {rerun}", dir.display());
        }
        outputs.push(PathBuf::from(relative));
    }
    for relative in known.iter().filter(|k| k.as_str() != MANIFEST) {
        if dir.join(relative).is_file() && !outputs.iter().any(|o| o == Path::new(relative.as_str())) {
            anyhow::bail!(
                "{} does not match its {MANIFEST}: {relative} is there but not in the manifest (left by another run); {rerun}",
                dir.display()
            );
        }
    }
    Ok(RunFolder { command, outputs, manifest })
}
