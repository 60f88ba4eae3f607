//! The manifest a run writes beside its outputs: partylink's version, every input with its
//! size and sha256, the settings, every output with its size and sha256, and the run time.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::staging::Written;

/// The manifest's file name in a run's folder.
pub const MANIFEST: &str = "manifest.json";

/// An input file as the manifest records it.
pub fn describe_input(role: &str, path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(json!({"role": role, "path": path.display().to_string(), "bytes": bytes.len(), "sha256": sha256_hex(&bytes)}))
}

/// A built-in or given reference table as the manifest records it.
pub fn describe_text(role: &str, origin: &str, text: &[u8]) -> Value {
    json!({"role": role, "path": origin, "bytes": text.len(), "sha256": sha256_hex(text)})
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::shared::hex(&Sha256::digest(bytes))
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

/// A run's folder as its manifest describes it, checked against the files there.
#[derive(Debug)]
pub struct RunFolder {
    /// The command that wrote it: `run` or `resolve`.
    pub command: String,
    /// Its outputs, relative to the folder, in the manifest's order.
    pub outputs: Vec<PathBuf>,
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
/// with its size (the Parquet files, which `sql` and `export` read, with their sha256 too),
/// and no file of `known` is there that it does not list. A folder that does not match was
/// changed since its run (or mixes two runs) and is refused.
pub fn verify(dir: &Path, known: &[String]) -> Result<RunFolder> {
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
        let meta = std::fs::metadata(&file).ok().filter(|m| m.is_file());
        let found = match meta {
            None => Some("is missing".to_string()),
            Some(m) if m.len() != bytes => Some(format!("has {} bytes, the manifest {bytes}", m.len())),
            Some(_) if relative.ends_with(".parquet") => {
                let actual =
                    sha256_hex(&std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?);
                (actual != sha256).then(|| "has another sha256 than the manifest's".to_string())
            }
            Some(_) => None,
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
    Ok(RunFolder { command, outputs })
}
