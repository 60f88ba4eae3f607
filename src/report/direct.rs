//! An output file written past the page cache (`O_DIRECT`), from a buffer of whole blocks.
//!
//! A run writes hundreds of megabytes to gigabytes of outputs while it makes and frees its
//! tables. Written through the page cache, every page of a new file is a page the kernel takes
//! and the process copies into; on a virtual machine that hands freed memory back to its host
//! (virtio-balloon free page reporting), each such page is backed afresh as it is first
//! written, and the copy cost a tenth of a diverse 10^6-contact run's CPU (460 MB in about a
//! second, where the same copy takes 0.1 s into pages already backed). Written directly, the
//! device reads the blocks from this buffer, which stays backed.
//!
//! A direct write waits for the device, where a write into the page cache leaves the kernel to
//! write it back later: on a slow disk or a network file system a run would wait for every
//! block. So the first few direct writes of a run are timed, and if even the fastest of them
//! took longer than [`SLOWEST`] the files are written through the page cache from there on (the
//! file being written continues where it is). Where the file system refuses direct writes
//! (tmpfs), and with `PARTYLINK_DIRECT_IO=0`, files are written through the page cache; the
//! bytes on disk are the same either way.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Direct writes move whole blocks from a buffer aligned to a block: 4 KiB covers the devices
/// (and file systems' blocks) of the machines partylink runs on.
const BLOCK: usize = 4096;
/// The buffer: whole blocks, written to the file each time it fills.
const CAPACITY: usize = 4 << 20;
/// How many full buffers of a run are timed, and the longest the fastest of them may take (4
/// MiB in 10 ms: 400 MB/s, about what copying into fresh page-cache pages costs on a machine
/// that hands its freed memory back).
const TIMED: u32 = 8;
const SLOWEST: Duration = Duration::from_millis(10);

/// Direct writes are off for the rest of the run: the device was too slow.
static BUFFERED: AtomicBool = AtomicBool::new(false);
/// Full buffers written directly so far, and whether one of them was written within
/// [`SLOWEST`].
static TIMED_WRITES: AtomicU32 = AtomicU32::new(0);
static FAST_ENOUGH: AtomicBool = AtomicBool::new(false);

/// Whether `PARTYLINK_DIRECT_IO` allows direct writes: unset, empty, 1 or true does; 0 or false
/// does not.
pub fn switched_on(value: Option<&str>) -> bool {
    crate::shared::switch(value).unwrap_or(true)
}

/// A new file written from a block-aligned buffer, directly where the file system allows it.
/// [`Direct::finish`] writes the last, partial block; a file dropped without it is incomplete
/// (the caller's error path, whose staged file is removed).
pub struct Direct {
    path: PathBuf,
    file: File,
    direct: bool,
    /// Allocated a block larger than [`CAPACITY`], so that a block-aligned window fits in it.
    memory: Vec<u8>,
    /// Where the aligned window starts in `memory`, and how much of it is filled.
    start: usize,
    filled: usize,
    written: u64,
}

impl Direct {
    /// Creates (or truncates) `path`.
    pub fn create(path: &Path) -> std::io::Result<Direct> {
        // The switch, read once per process (as the timings' is).
        static SWITCHED_ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let on = *SWITCHED_ON.get_or_init(|| switched_on(std::env::var("PARTYLINK_DIRECT_IO").ok().as_deref()));
        let allowed = on && !BUFFERED.load(Ordering::Relaxed);
        let (file, direct) = match allowed.then(|| open_direct(path)) {
            Some(Ok(file)) => (file, true),
            _ => (File::create(path)?, false),
        };
        let memory = vec![0u8; CAPACITY + BLOCK];
        let start = memory.as_ptr().align_offset(BLOCK);
        Ok(Direct { path: path.to_path_buf(), file, direct, memory, start, filled: 0, written: 0 })
    }

    fn window(&mut self) -> &mut [u8] {
        &mut self.memory[self.start..self.start + CAPACITY]
    }

    /// Writes the first `len` bytes of the window, a whole number of blocks unless the file is
    /// written through the page cache.
    fn write_window(&mut self, len: usize) -> std::io::Result<()> {
        let (start, direct) = (self.start, self.direct);
        let began = Instant::now();
        match self.file.write_all(&self.memory[start..start + len]) {
            // A file system that took the flag but refuses direct writes: the file (nothing is in
            // it yet) written through the page cache.
            Err(e) if direct && self.written == 0 && e.raw_os_error() == Some(libc::EINVAL) => {
                self.go_through_page_cache()?;
                self.file.write_all(&self.memory[start..start + len])
            }
            other => other,
        }?;
        self.written += len as u64;
        if self.direct && len == CAPACITY {
            self.time(began.elapsed())?;
        }
        Ok(())
    }

    /// Counts a full buffer written directly in `took`; once [`TIMED`] of them are written and
    /// none was fast enough, this file and the run's next ones go through the page cache.
    fn time(&mut self, took: Duration) -> std::io::Result<()> {
        if took <= SLOWEST {
            FAST_ENOUGH.store(true, Ordering::Relaxed);
        }
        let timed = TIMED_WRITES.fetch_add(1, Ordering::Relaxed) + 1;
        if timed >= TIMED && !FAST_ENOUGH.load(Ordering::Relaxed) {
            BUFFERED.store(true, Ordering::Relaxed);
        }
        match BUFFERED.load(Ordering::Relaxed) {
            true => self.go_through_page_cache(),
            false => Ok(()),
        }
    }

    /// Goes on writing the file through the page cache, from where the direct writes left it.
    fn go_through_page_cache(&mut self) -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new().write(true).open(&self.path)?;
        file.seek(SeekFrom::Start(self.written))?;
        (self.file, self.direct) = (file, false);
        Ok(())
    }

    /// Writes what is left: the last block padded with zeros, and the file cut back to its
    /// length.
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.filled == 0 {
            return Ok(());
        }
        let length = self.written + self.filled as u64;
        let padded = if self.direct { self.filled.div_ceil(BLOCK) * BLOCK } else { self.filled };
        let filled = self.filled;
        self.window()[filled..padded].fill(0);
        self.write_window(padded)?;
        if padded != filled {
            self.file.set_len(length)?;
        }
        Ok(())
    }
}

impl Write for Direct {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(CAPACITY - self.filled);
        let filled = self.filled;
        self.window()[filled..filled + n].copy_from_slice(&buf[..n]);
        self.filled += n;
        if self.filled == CAPACITY {
            self.write_window(CAPACITY)?;
            self.filled = 0;
        }
        Ok(n)
    }

    /// Bytes short of a whole buffer stay in it until [`Direct::finish`]: a direct write takes
    /// whole blocks only, and nothing reads a staged file before it is finished.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(target_os = "linux")]
fn open_direct(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).custom_flags(libc::O_DIRECT).open(path)
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_path: &Path) -> std::io::Result<File> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files of every length around the block and the buffer hold exactly the bytes written,
    /// in pieces of every size.
    #[test]
    fn a_file_holds_what_was_written_whatever_its_length() {
        let dir = tempfile::tempdir().unwrap();
        for length in
            [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, CAPACITY - 1, CAPACITY, CAPACITY + 5, 2 * CAPACITY + BLOCK + 3]
        {
            let bytes: Vec<u8> = (0..length).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join(format!("f{length}"));
            let mut file = Direct::create(&path).unwrap();
            for piece in bytes.chunks(BLOCK / 3 + 7) {
                file.write_all(piece).unwrap();
            }
            file.finish().unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "length {length}");
        }
    }

    /// A file that goes on through the page cache after some direct writes (a slow device)
    /// holds every byte once, in order.
    #[test]
    fn a_file_continued_through_the_page_cache_holds_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..3 * CAPACITY + 1234).map(|i| (i * 7 % 253) as u8).collect();
        let path = dir.path().join("continued");
        let mut file = Direct::create(&path).unwrap();
        file.write_all(&bytes[..CAPACITY + 10]).unwrap();
        file.go_through_page_cache().unwrap();
        file.write_all(&bytes[CAPACITY + 10..]).unwrap();
        file.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn the_switch_turns_direct_writes_off_with_0_or_false_only() {
        assert!(switched_on(None) && switched_on(Some("")) && switched_on(Some("1")));
        assert!(!switched_on(Some("0")) && !switched_on(Some("false")));
    }
}
