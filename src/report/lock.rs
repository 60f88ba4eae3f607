//! One writer per output directory: a run holds `.partylink.lock` there (an advisory `flock`,
//! which the system drops when the process ends, however it ends) from staging to commit, so two
//! runs into one `--out` cannot interleave their files. Under the lock, the staging directories
//! of runs that were killed are leftovers, and are removed.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub const LOCK_FILE: &str = ".partylink.lock";
pub const STAGING_PREFIX: &str = ".partylink-staging-";

/// The lock of an output directory, released (and its file removed) when dropped.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    file: File,
}

impl OutputLock {
    /// Fails, as [`OutputLock::acquire`] would, when another run holds the lock of `out` now;
    /// creates nothing. A run checks this before its work, so that it is refused at once rather
    /// than when it comes to write.
    pub fn check_free(out: &Path) -> Result<()> {
        let path = out.join(LOCK_FILE);
        let Ok(file) = File::open(&path) else { return Ok(()) };
        match file.try_lock_shared() {
            Ok(()) => {
                file.unlock().ok();
                Ok(())
            }
            Err(TryLockError::WouldBlock) => Err(busy(out, &path)),
            Err(TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
        }
    }

    /// Takes the lock of `out` (which must exist), or fails at once, naming the process that
    /// holds it. Then removes staging directories left by killed runs.
    pub fn acquire(out: &Path) -> Result<OutputLock> {
        let path = out.join(LOCK_FILE);
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("cannot create the lock file {}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(busy(out, &path)),
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
            // A run that finished removed the file it locked; a lock on that removed file guards
            // nothing, so lock the file that is there now.
            if !same_file(&file, &path) {
                continue;
            }
            let mut lock = OutputLock { path, file };
            lock.file.set_len(0)?;
            writeln!(lock.file, "{}", std::process::id())?;
            remove_stale_staging(out)?;
            return Ok(lock);
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so no other run can have locked this file meanwhile.
        std::fs::remove_file(&self.path).ok();
        self.file.unlock().ok();
    }
}

/// The error of a run refused because another holds the lock.
fn busy(out: &Path, path: &Path) -> anyhow::Error {
    let holder = std::fs::read_to_string(path).unwrap_or_default();
    let holder = holder.trim();
    let holder = if holder.is_empty() { String::new() } else { format!(" (process {holder})") };
    anyhow::anyhow!(
        "another partylink run{holder} is writing to {}: wait for it to finish or choose another output \
         directory (the lock is {})",
        out.display(),
        path.display()
    )
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// The staging directories in `out`: with the lock held, each is left by a run that was killed.
fn remove_stale_staging(out: &Path) -> Result<()> {
    for entry in std::fs::read_dir(out).with_context(|| format!("cannot list {}", out.display()))? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(STAGING_PREFIX) && entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("cannot remove the leftover staging directory {}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_directory_fails_and_a_released_one_is_free() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".partylink-staging-1")).unwrap();
        OutputLock::check_free(dir.path()).unwrap();
        let first = OutputLock::acquire(dir.path()).unwrap();
        assert!(!dir.path().join(".partylink-staging-1").exists(), "a killed run's staging is removed");
        let error = OutputLock::acquire(dir.path()).unwrap_err().to_string();
        let pid = std::process::id();
        assert!(error.starts_with(&format!("another partylink run (process {pid}) is writing to")), "{error}");
        assert_eq!(OutputLock::check_free(dir.path()).unwrap_err().to_string(), error);
        drop(first);
        assert!(!dir.path().join(LOCK_FILE).exists());
        let again = OutputLock::acquire(dir.path()).unwrap();
        drop(again);
    }
}
