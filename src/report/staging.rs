//! Writing outputs atomically: every file of a run goes to a staging directory inside the output
//! directory and is moved into place only once all of them are written. A failed run leaves the
//! output directory as it was.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use sha2::{Digest, Sha256};

use super::Format;
use super::direct::Direct;
use super::lock::{OutputLock, STAGING_PREFIX};
use crate::shared::parallel;

/// A run's (or an export's) files, staged until every one is written.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    files: Vec<Written>,
    committed: bool,
    /// Held until the staging directory is gone; dropped after it (fields drop in order).
    _lock: OutputLock,
}

/// A staged file: its path within the output directory, its size and its sha256, taken as it
/// was written (a run's outputs are never read back to be checksummed).
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

/// A writer that counts and hashes the bytes passing through it.
pub struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// What a staged file is written through.
pub type StagedWriter = BufWriter<Hashing<Direct>>;

/// Writes one file under the staging directory `dir` with `write`, hashing it on the way.
pub fn stage(dir: &Path, relative: &str, write: impl FnOnce(&mut StagedWriter) -> Result<()>) -> Result<Written> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let file = Direct::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut writer = BufWriter::with_capacity(1 << 20, Hashing { inner: file, hasher: Sha256::new(), bytes: 0 });
    write(&mut writer).with_context(|| format!("writing {relative}"))?;
    let hashing = writer.into_inner().map_err(|e| e.into_error())?;
    hashing.inner.finish().with_context(|| format!("writing {}", path.display()))?;
    let sha256 = crate::shared::hex(&hashing.hasher.finalize());
    Ok(Written { path: PathBuf::from(relative), bytes: hashing.bytes, sha256 })
}

/// Two files staged in `dir`, written side by side when there are two threads.
pub fn stage_two(
    dir: &Path,
    (first, write_first): (&str, impl FnOnce(&mut StagedWriter) -> Result<()> + Send),
    (second, write_second): (&str, impl FnOnce(&mut StagedWriter) -> Result<()> + Send),
) -> Result<Vec<Written>> {
    let (second, first) = parallel::join(|| stage(dir, second, write_second), || stage(dir, first, write_first));
    Ok(vec![first?, second?])
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging> {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create output directory {}", out.display()))?;
        let lock = OutputLock::acquire(out)?;
        let dir = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging { out: out.to_path_buf(), dir, files: Vec::new(), committed: false, _lock: lock })
    }

    /// Where files are staged, for a writer on another thread; [`Staging::add`] takes what it
    /// wrote.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Files a writer on another thread staged in [`Staging::dir`].
    pub fn add(&mut self, written: Vec<Written>) {
        self.files.extend(written);
    }

    /// Stages one file written by `write`.
    pub fn write_with(&mut self, relative: &str, write: impl FnOnce(&mut StagedWriter) -> Result<()>) -> Result<()> {
        let written = stage(&self.dir, relative, write)?;
        self.files.push(written);
        Ok(())
    }

    /// Stages one table, written in `format`.
    pub fn write_batch(&mut self, relative: &str, format: Format, batch: &RecordBatch) -> Result<()> {
        self.write_with(relative, |w| format.write(w, batch))
    }

    /// Stages a table made a batch at a time, so that a large table is never whole in memory.
    pub fn write_batches(
        &mut self,
        relative: &str,
        format: Format,
        schema: SchemaRef,
        batches: impl Iterator<Item = Result<RecordBatch>>,
    ) -> Result<()> {
        self.write_with(relative, |w| format.write_batches(w, schema, batches))
    }

    pub fn write_text(&mut self, relative: &str, text: &str) -> Result<()> {
        self.write_bytes(relative, text.as_bytes())
    }

    pub fn write_bytes(&mut self, relative: &str, bytes: &[u8]) -> Result<()> {
        self.write_with(relative, |w| Ok(w.write_all(bytes)?))
    }

    /// The staged files so far, with their sizes and checksums (for the manifest).
    pub fn staged(&self) -> &[Written] {
        &self.files
    }

    /// Moves every staged file into the output directory. Nothing is moved unless every
    /// target is a regular file or absent: a rename over a symlink, a device or a directory
    /// would replace it.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        for written in &self.files {
            check_replaceable(&self.out.join(&written.path))?;
        }
        for written in &self.files {
            let target = self.out.join(&written.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(self.dir.join(&written.path), &target)
                .with_context(|| format!("cannot move output into place: {}", target.display()))?;
        }
        self.committed = true;
        std::fs::remove_dir_all(&self.dir).ok();
        Ok(self.files.iter().map(|f| self.out.join(&f.path)).collect())
    }

    /// [`Staging::commit`] for a folder the command owns: then removes each of `known` (paths
    /// relative to the folder) that this commit did not write, so that the folder holds this
    /// run's outputs only. Files the folder holds under other names are left alone.
    pub fn commit_owned(self, known: &[String]) -> Result<Vec<PathBuf>> {
        let out = self.out.clone();
        let written: std::collections::BTreeSet<PathBuf> = self.files.iter().map(|f| f.path.clone()).collect();
        let moved = self.commit()?;
        for relative in known.iter().filter(|k| !written.contains(Path::new(k.as_str()))) {
            let stale = out.join(relative);
            if std::fs::symlink_metadata(&stale).is_ok_and(|m| m.file_type().is_file()) {
                std::fs::remove_file(&stale)
                    .with_context(|| format!("cannot remove {}, an output of an earlier run", stale.display()))?;
            }
        }
        Ok(moved)
    }
}

/// Refuses a path that exists and is not a regular file (a symlink, a device, a pipe, a
/// directory): an output renamed over it would replace it.
pub fn check_replaceable(target: &Path) -> Result<()> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot inspect {}", target.display())),
    };
    let kind = meta.file_type();
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a directory"
    } else {
        "a device, pipe or socket"
    };
    anyhow::bail!(
        "refusing to write {}: it is {what}, not a regular file (use `-` to write to standard output)",
        target.display()
    )
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.dir).ok();
        }
    }
}
