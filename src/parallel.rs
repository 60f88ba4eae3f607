//! Work spread over the machine's cores: the distinct partners to resolve, the names to
//! prepare. Results come back in input order, so output never depends on the thread count.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on every core, in input order. Items are handed out in chunks of
/// `chunk`, so that uneven items (a partner needing every name of a big country scored beside
/// one decided by an exact name) balance out.
pub fn map<T: Sync, R: Send>(items: &[T], chunk: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = chunk.max(1);
    let chunks = items.len().div_ceil(chunk);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(chunks);
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

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..10_001).collect();
        assert_eq!(super::map(&items, 7, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], 3, |x| *x).is_empty());
    }
}
