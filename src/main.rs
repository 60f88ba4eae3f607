//! The `partylink` binary: parses the command line and reports errors with their causes.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: resolution and the readers make many small strings, and DataFusion many buffers;
/// glibc's allocator spent a fifth of a replication-scale run in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process. mimalloc asks the kernel for them
/// (`madvise`), and a run frees and takes back much of its memory: each 2 MiB page taken again
/// is zeroed whole, which cost an eighth of a 10^6-contact run's CPU (a second of its wall time,
/// in `clear_page_erms`). The same as `MIMALLOC_ALLOW_THP=0`, which a binary cannot set for
/// itself; on a kernel without the call it does nothing.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and changes only this process's flag.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Exit codes: 0 success, 1 a run failed (bad input, missing file), 2 bad command line (clap).
fn main() -> ExitCode {
    without_huge_pages();
    let cli = partylink::cli::Cli::parse();
    match partylink::cli::main(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("partylink: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
