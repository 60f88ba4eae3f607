//! What `--reference` may hold: the names of the tables partylink reads from it, and the check
//! that the directory holds nothing else.

use std::path::Path;

use anyhow::Result;

use crate::load::error::DataError;

/// The tables `--reference` may replace (`demonyms.csv` and `places.csv` are extract's).
pub const READ: [&str; 14] = [
    "countries.csv",
    "demonyms.csv",
    "dpi_alliances.csv",
    "dpi_link_corrections.csv",
    "dpi_placeholders.csv",
    "fh_country_fallbacks.csv",
    "keywords.csv",
    "party_abbreviations.csv",
    "party_aliases.csv",
    "party_overrides.csv",
    "party_successions.csv",
    "party_units.csv",
    "places.csv",
    "union_states.csv",
];

/// The other tables of the repository's `reference/`, built in only: a copy of that folder is a
/// valid `--reference`.
const BUILT_IN_ONLY: [&str; 1] = ["map_points.csv"];

/// `--reference` is a directory, and every CSV file in it is a table partylink knows: a
/// misspelt name (`party_override.csv`) would otherwise be ignored and the built-in table used.
pub(super) fn check_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        anyhow::bail!("--reference {}: not a directory (of {})", dir.display(), READ.join(", "));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| DataError::new(dir, format!("cannot read: {e}")))?;
    let mut unknown: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.to_ascii_lowercase().ends_with(".csv"))
        .filter(|name| !READ.contains(&name.as_str()) && !BUILT_IN_ONLY.contains(&name.as_str()))
        .collect();
    unknown.sort();
    if !unknown.is_empty() {
        anyhow::bail!(
            "--reference {}: {} is not a reference table partylink reads; the names are {}",
            dir.display(),
            unknown.join(", "),
            READ.join(", ")
        );
    }
    Ok(())
}
