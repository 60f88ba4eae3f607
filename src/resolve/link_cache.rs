//! A cache of the tables the resolver makes before any contact is read: the links for the DPI
//! parties that Party Facts' import lacks, and the crosswalk audit's readings of the linked
//! DPI labels.
//!
//! Making them is the slowest part of preparing a run (name registries built and thousands of
//! names resolved), and they depend only on the source files, the reference tables, the
//! thresholds and the partylink build. The table is stored as Arrow IPC under the cache
//! directory, in a file named by the sha256 of all of those (a source file by its path, size
//! and modification time; a reference table by its bytes), so any change to one of them makes
//! a new entry. A missing or unreadable entry is made again: deleting the directory is
//! always safe, and a run's outputs are the same with or without the cache (tested).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use sha2::{Digest, Sha256};

use crate::load::paths::SourcePaths;
use crate::load::reference::Reference;
use crate::resolve::ResolverConfig;

/// Where the tables of one set of inputs are cached, if anywhere: `{table}-{key}.arrow`.
#[derive(Debug, Clone, Default)]
pub struct LinkCache {
    dir: Option<PathBuf>,
    key: String,
}

impl LinkCache {
    /// No cache: the links are made every time.
    pub fn disabled() -> LinkCache {
        LinkCache { dir: None, key: String::new() }
    }

    /// The cache entry under `dir` for these inputs.
    pub fn new(dir: &Path, paths: &SourcePaths, reference: &Reference, config: ResolverConfig) -> Result<LinkCache> {
        let mut key = Sha256::new();
        key.update(format!("partylink {} {}\n", env!("CARGO_PKG_VERSION"), build_id()));
        // A source is known by its path, size and modification time, as make knows its inputs:
        // hashing every source's bytes would cost a replication-scale run a tenth of its time.
        for (role, source) in paths.roles() {
            if let Some(built_in) = source.built_in {
                key.update(format!("{role} built-in {}\n", built_in.sha256));
                continue;
            }
            let path = &source.path;
            let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
            let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            key.update(format!("{role} {} {} {}\n", path.display(), meta.len(), modified.map_or(0, |d| d.as_nanos())));
        }
        for (name, _, bytes) in &reference.files {
            key.update(format!("reference/{name} {}\n", bytes.len()));
            key.update(bytes);
        }
        // Every number a decision uses.
        key.update(format!(
            "{config:?}
"
        ));
        Ok(LinkCache { dir: Some(dir.to_path_buf()), key: crate::shared::hex(&key.finalize()) })
    }

    fn file(&self, table: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|dir| dir.join(format!("{table}-{}.arrow", self.key)))
    }

    /// The cached table, if there is a readable one.
    pub fn load(&self, table: &str) -> Option<RecordBatch> {
        let file = std::fs::File::open(self.file(table)?).ok()?;
        let reader = arrow::ipc::reader::FileReader::try_new(file, None).ok()?;
        let schema = reader.schema();
        let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().ok()?;
        arrow::compute::concat_batches(&schema, &batches).ok()
    }

    /// Stores the table; written to a temporary file and renamed, so that two runs at once
    /// never read half an entry. A cache that cannot be written is reported and skipped: the
    /// run does not need it.
    pub fn store(&self, name: &str, table: &RecordBatch) {
        let Some(file) = self.file(name) else { return };
        if let Err(e) = write(&file, table) {
            eprintln!("partylink: warning: cannot write the cache {}: {e:#}", file.display());
        }
    }
}

fn write(file: &Path, table: &RecordBatch) -> Result<()> {
    let dir = file.parent().context("a cache file has a directory")?;
    std::fs::create_dir_all(dir)?;
    let temporary =
        dir.join(format!(".{}.{}", std::process::id(), file.file_name().and_then(|n| n.to_str()).unwrap_or("entry")));
    let mut writer = arrow::ipc::writer::FileWriter::try_new(std::fs::File::create(&temporary)?, &table.schema())?;
    writer.write(table)?;
    writer.finish()?;
    writer.into_inner()?.flush()?;
    std::fs::rename(&temporary, file)?;
    Ok(())
}

/// Tells builds of one version apart: the running executable's size and modification time.
fn build_id() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            format!("{} {}", m.len(), modified.map_or(0, |d| d.as_nanos()))
        })
        .unwrap_or_default()
}

/// The default cache directory: `$XDG_CACHE_HOME/partylink`, else `$HOME/.cache/partylink`.
pub fn default_dir() -> Option<PathBuf> {
    let nonempty = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    nonempty("XDG_CACHE_HOME").or_else(|| nonempty("HOME").map(|h| h.join(".cache"))).map(|d| d.join("partylink"))
}
