//! The report step: which tables a run writes under which names, and its manifest.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cmd::run::TableFormat;
use crate::output::{self, Staging, Written};
use crate::pipeline::Table;

/// An output table: the registered table it comes from and the path it is written to
/// (without extension; each is written as .csv and .parquet).
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub table: &'static str,
    pub path: &'static str,
}

const fn out(table: &'static str, path: &'static str) -> Output {
    Output { table, path }
}

/// What `partylink run` writes, in this order.
pub const RUN_OUTPUTS: &[Output] = &[
    out("enriched_contacts", "enriched_contacts"),
    out("interactions", "interactions"),
    out("review_queue", "review_queue"),
    out("dpi_resolver_links", "review_dpi_links"),
    out("audit_crosswalk", "audit_crosswalk"),
    out("accounting", "accounting"),
    out("contacts_by_year", "tables/contacts_by_year"),
    out("contacts_by_venue_year", "tables/contacts_by_venue_year"),
    out("contacts_by_country", "tables/contacts_by_country"),
    out("country_party_shares", "tables/country_party_shares"),
    out("top_partners", "tables/top_partners"),
    out("contacts_per_party", "tables/contacts_per_party"),
    out("party_contact_shares", "tables/party_contact_shares"),
    out("power_by_regime", "tables/power_by_regime"),
    out("power_shares", "tables/power_shares"),
    out("power_by_period", "tables/power_by_period"),
    out("power_source_agreement", "tables/power_source_agreement"),
];

/// Writes a table in the given formats (CSV and Parquet side by side when both), a batch at a
/// time.
pub fn write_table(staging: &mut Staging, path: &str, table: &Table, formats: &[TableFormat]) -> Result<()> {
    let written = stage_table(staging.dir(), path, table, formats)?;
    staging.add(written);
    Ok(())
}

/// Writes a table's files into the staging directory `dir` (from any thread); returns them for
/// [`Staging::add`].
pub fn stage_table(dir: &Path, path: &str, table: &Table, formats: &[TableFormat]) -> Result<Vec<Written>> {
    let csv = |w: &mut output::StagedWriter| output::write_csv_from(w, table.batches());
    let parquet = |w: &mut output::StagedWriter| output::write_parquet_from(w, table.schema(), table.batches());
    Ok(match formats {
        [TableFormat::Csv] => vec![output::stage(dir, &format!("{path}.csv"), csv)?],
        [TableFormat::Parquet] => vec![output::stage(dir, &format!("{path}.parquet"), parquet)?],
        _ => output::stage_two(dir, (&format!("{path}.csv"), csv), (&format!("{path}.parquet"), parquet))?,
    })
}

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
    crate::output::hex(&Sha256::digest(bytes))
}

/// The manifest: partylink's version, the inputs, the settings, each staged output's size and
/// sha256, and last the run time, the only part that changes between two runs on the same inputs.
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
        },
    })
}
