//! Work spread over the threads `--threads` allows (by default the machine's cores): the
//! distinct partners to resolve, the names to prepare, the files to read and the columns to
//! encode. Results come back in input order, so output never depends on the thread count.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The `--threads` setting; 0 until it is set, which means the machine's cores.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Sets the number of threads every step works on (the command line's `--threads`).
pub fn set_threads(threads: usize) {
    THREADS.store(threads, Ordering::Relaxed);
}

/// The number of threads to work on: `--threads`, else the machine's cores.
pub fn threads() -> usize {
    match THREADS.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Both results: `b` on a second thread while `a` runs on this one, or one after the other
/// when there is one thread.
pub fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    if threads() <= 1 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|scope| {
        let b = scope.spawn(b);
        let a = a();
        (a, b.join().expect("a worker thread does not panic"))
    })
}

/// `f` applied to every item, on every thread, in input order. Items are handed out in chunks
/// of `chunk`, so that uneven items (a partner needing every name of a big country scored
/// beside one decided by an exact name) balance out.
pub fn map<T: Sync, R: Send>(items: &[T], chunk: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = chunk.max(1);
    let chunks = items.len().div_ceil(chunk);
    let threads = threads().min(chunks);
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks {
                            break done;
                        }
                        let part = &items[c * chunk..((c + 1) * chunk).min(items.len())];
                        done.push((c, part.iter().map(&f).collect()));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a worker thread does not panic")).collect()
    });
    done.sort_by_key(|(c, _)| *c);
    done.into_iter().flat_map(|(_, r)| r).collect()
}

/// `items` cut into `parts` runs of consecutive items, as even as can be (the first ones the
/// longer); some are empty when there are fewer items than parts.
pub fn split<T>(items: &[T], parts: usize) -> Vec<&[T]> {
    let each = items.len().div_ceil(parts.max(1));
    (0..parts.max(1)).map(|p| &items[(p * each).min(items.len())..((p + 1) * each).min(items.len())]).collect()
}

/// Merges `parts`, each sorted by `cmp`, as the threads that made them left them: calls `each`
/// with (part, index) for every item, in `cmp`'s order over all of them (among equal items,
/// the lower part first).
pub fn merge_sorted<T>(
    parts: &[Vec<T>],
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
    mut each: impl FnMut(usize, usize),
) {
    let mut at = vec![0usize; parts.len()];
    while let Some(p) =
        (0..parts.len()).filter(|&p| at[p] < parts[p].len()).min_by(|&p, &q| cmp(&parts[p][at[p]], &parts[q][at[q]]))
    {
        each(p, at[p]);
        at[p] += 1;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..10_001).collect();
        assert_eq!(super::map(&items, 7, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], 3, |x| *x).is_empty());
    }

    #[test]
    fn merged_parts_come_in_order_the_lower_part_first_among_equals() {
        let parts = vec![vec![1, 4, 4], vec![], vec![2, 4, 9]];
        let mut order = Vec::new();
        super::merge_sorted(&parts, |a, b| a.cmp(b), |p, i| order.push((p, i)));
        assert_eq!(order, [(0, 0), (2, 0), (0, 1), (0, 2), (2, 1), (2, 2)]);
    }

    #[test]
    fn split_keeps_every_item_once_in_order() {
        assert_eq!(super::split(&[1, 2, 3, 4, 5], 2), [&[1, 2, 3][..], &[4, 5]]);
        assert_eq!(super::split(&[1], 3), [&[1][..], &[], &[]]);
        assert_eq!(super::split::<u8>(&[], 2), [&[] as &[u8], &[]]);
    }
}
