//! Medians measured side by side: the functions a ratio compares, timed in
//! alternation, batch after batch, so that each ratio compares times taken
//! under the same conditions.
//!
//! Why (docs/performance.md, "Measured side by side"): on the shared 2-core
//! machine these benchmarks run on, the speed of one and the same function
//! changes by up to 1.5x from one stretch of seconds to the next (the same
//! binary, the same case, address randomization off: 73, 50, 49 and 52 ns
//! in four runs), whatever the code does. Criterion measures each function
//! in a stretch of its own, so a ratio of two of its medians can be off by
//! that much. Here every round times one batch of each function, in an
//! order that rotates from round to round, and each function's median is
//! taken over the rounds: a slow stretch slows all of them alike.

use std::hint::black_box;
use std::time::Instant;

/// A function to time: runs its work `n` times.
pub type Work<'a> = &'a mut dyn FnMut(u64);

/// `call`, as a [`Work`]: `n` calls in a loop.
pub fn repeated<T>(mut call: impl FnMut() -> T) -> impl FnMut(u64) {
    move |n| {
        for _ in 0..n {
            black_box(call());
        }
    }
}

/// The median time of one call of each of `works`, in nanoseconds, in the
/// order given: `rounds` rounds, each timing one batch of `batch` calls of
/// every function (the first function first in round 0, the second in
/// round 1, and so on).
pub fn medians<const N: usize>(works: [Work<'_>; N], rounds: usize, batch: u64) -> [f64; N] {
    let mut works = works;
    let mut times: [Vec<f64>; N] = std::array::from_fn(|_| Vec::with_capacity(rounds));
    // Warm-up: one round, not kept.
    for work in works.iter_mut() {
        work(batch);
    }
    for round in 0..rounds {
        for k in 0..N {
            let which = (round + k) % N;
            let work = &mut works[which];
            let start = Instant::now();
            work(black_box(batch));
            let elapsed = start.elapsed();
            #[allow(
                clippy::cast_precision_loss,
                reason = "nanoseconds of a batch fit an f64 exactly"
            )]
            times[which].push(elapsed.as_nanos() as f64 / batch as f64);
        }
    }
    times.map(median_of)
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median_of(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}
