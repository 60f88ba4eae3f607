//! Step timings on stderr, printed when the environment variable `PARTYLINK_TIMINGS` is set
//! (to anything but `0`): where a run spends its time, step by step and SQL stage by stage.

use std::sync::OnceLock;
use std::time::Instant;

static ON: OnceLock<bool> = OnceLock::new();

/// Whether timings are printed; read once per process.
pub fn enabled() -> bool {
    *ON.get_or_init(|| std::env::var("PARTYLINK_TIMINGS").is_ok_and(|v| !v.is_empty() && v != "0"))
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
            eprintln!("partylink: timing {:>9.3} s  {label}", self.start.elapsed().as_secs_f64());
        }
    }
}
