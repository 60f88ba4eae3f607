//! Helpers every step uses: Arrow batches from Rust values, name folding, work spread over the
//! threads, third-party decoders whose panics become errors, step timings and progress on
//! stderr, and checksums written as hexadecimal.

pub mod batch;
pub mod guard;
pub mod normalize;
pub mod parallel;
pub mod progress;
pub mod timing;

/// Lower-case hexadecimal, as checksums are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
