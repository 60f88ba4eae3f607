//! The manifest a run writes beside its outputs: partylink's version, every input with its
//! size and sha256, the settings, every output with its size and sha256, and the run time.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::staging::Written;
use crate::load::paths::Source;

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

/// Replaces the manifest's entries for the files staged (each output is listed with its size
/// and sha256) and adds those it did not list.
pub fn replace_outputs(manifest: &mut Value, staged: &[Written]) {
    let Some(object) = manifest.as_object_mut() else { return };
    if let Value::Array(outputs) = object.entry("outputs").or_insert_with(|| json!([])) {
        for f in staged {
            let entry = json!({"path": f.path.display().to_string(), "bytes": f.bytes, "sha256": f.sha256});
            match outputs.iter_mut().find(|o| o.get("path") == entry.get("path")) {
                Some(old) => *old = entry,
                None => outputs.push(entry),
            }
        }
    }
}
