//! Third-party decoders run on untrusted bytes, with their panics turned into errors.
//!
//! The parquet crate checks a file's structure but not every value inside its pages: a damaged
//! page (a bit width, a run length, a level count) makes it index past a buffer and panic. A
//! reader of user files must answer with an error naming the file instead, so decoding runs in
//! [`decode`], which catches the panic, and a panic hook installed once keeps such a caught
//! panic off stderr (every other panic is shown as before).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`decode`], whose panics become errors.
    static DECODING: Cell<bool> = const { Cell::new(false) };
}

/// `f`'s answer, or the message of the panic it ended in.
pub fn decode<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let shown = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !DECODING.with(Cell::get) {
                shown(info);
            }
        }));
    });
    let outer = DECODING.with(|d| d.replace(true));
    let answer = catch_unwind(AssertUnwindSafe(f));
    DECODING.with(|d| d.set(outer));
    answer.map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        format!("the decoder failed on damaged data ({message})")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_its_message_and_an_answer_passes_through() {
        assert_eq!(super::decode(|| 7), Ok(7));
        let index = std::hint::black_box(9);
        let failed = super::decode(|| [1, 2, 3][index]).unwrap_err();
        assert!(failed.contains("index out of bounds"), "{failed}");
        let nested = super::decode(|| super::decode(|| panic!("inner")).unwrap_err()).unwrap();
        assert!(nested.contains("inner"), "{nested}");
    }
}
