//! Helpers every step uses: Arrow batches from Rust values, name folding, work spread over the
//! threads, third-party decoders whose panics become errors, step timings and progress on
//! stderr, and checksums written as hexadecimal.

pub mod batch;
pub mod guard;
pub mod normalize;
pub mod parallel;
pub mod progress;
pub mod timing;

/// An on/off environment switch (`PARTYLINK_TIMINGS`, `PARTYLINK_DIRECT_IO`): `Some(true)` for
/// 1 or true, `Some(false)` for 0 or false, `None` when unset or empty (the switch's default)
/// or any other value (which the command line's check of the environment refuses).
pub fn switch(value: Option<&str>) -> Option<bool> {
    match value? {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

/// An environment switch's value as [`switch`] reads it.
pub fn env_switch(name: &str) -> Option<bool> {
    switch(std::env::var(name).ok().as_deref())
}

/// Lower-case hexadecimal, as checksums are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::switch;

    #[test]
    fn a_switch_reads_one_true_zero_and_false_and_nothing_else() {
        assert_eq!([switch(Some("1")), switch(Some("true"))], [Some(true); 2]);
        assert_eq!([switch(Some("0")), switch(Some("false"))], [Some(false); 2]);
        assert_eq!([switch(None), switch(Some("")), switch(Some("yes")), switch(Some("TRUE"))], [None; 4]);
    }
}
