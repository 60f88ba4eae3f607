//! Step timings on stderr, printed when the environment variable `PARTYLINK_TIMINGS` is 1 (or
//! true): where a run spends its time, step by step and SQL stage by stage.

use std::sync::OnceLock;
use std::time::Instant;

static ON: OnceLock<bool> = OnceLock::new();

/// Whether timings are printed; read once per process.
pub fn enabled() -> bool {
    *ON.get_or_init(|| super::env_switch("PARTYLINK_TIMINGS").unwrap_or(false))
}

/// `-v` / `--verbose`: timings on whatever the environment says.
pub fn enable() {
    ON.set(true).ok();
}

/// A step being timed: its time is printed when it is dropped.
pub struct Timer {
    label: Option<String>,
    start: Instant,
}

/// Starts timing a step. The label is only built when timings are on.
pub fn start(label: impl FnOnce() -> String) -> Timer {
    Timer { label: enabled().then(label), start: Instant::now() }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(label) = &self.label {
            let seconds = self.start.elapsed().as_secs_f64();
            match resident_mib() {
                Some(mib) => eprintln!("partylink: timing {seconds:>9.3} s  {mib:>6} MiB  {label}"),
                None => eprintln!("partylink: timing {seconds:>9.3} s  {label}"),
            }
        }
    }
}

/// The process's resident memory in MiB as the step ends (Linux's `/proc/self/statm`; none
/// elsewhere): with the step's time, where memory rises and falls.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a system setting.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()? / (1024 * 1024))
}
