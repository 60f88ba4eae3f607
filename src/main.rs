//! The `partylink` binary: parses the command line and reports errors with their causes.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: resolution and the readers make many small strings, and DataFusion many buffers;
/// glibc's allocator spent a fifth of a replication-scale run in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes: 0 success, 1 a run failed (bad input, missing file), 2 bad command line (clap).
fn main() -> ExitCode {
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
