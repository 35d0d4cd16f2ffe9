//! Throttling (`--rate-limit N/SECONDS`): at most `N` requests in any
//! window of `SECONDS` (a sliding window: the times of the requests
//! admitted in the last `SECONDS` are kept), counted per caller after
//! authentication: per access key when signatures are on, the admin
//! endpoints apart from the actions. Past it, `Throttling`. ECS documents
//! 500 `ReInitDisk` calls per 60 s.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// The largest `N` taken: the window keeps one time per request admitted
/// (16 bytes), so a caller costs at most 1.6 MB.
pub const MAX_RATE_LIMIT: u32 = 100_000;

/// A limit of requests per window, for each caller.
#[derive(Debug)]
pub struct RateLimit {
    limit: u32,
    window: Duration,
    /// Each caller's admitted requests in the window under way, oldest
    /// first. The callers are the configured access keys (and one for
    /// unsigned requests when signatures are off, one for an admin
    /// token), so the map stays as small as the configuration.
    admitted: Mutex<HashMap<String, VecDeque<Duration>>>,
}

impl RateLimit {
    /// `N/SECONDS`, as `--rate-limit` takes it (`500/60`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "--rate-limit {}: expected N/SECONDS, N a whole number from 1 to {MAX_RATE_LIMIT} and SECONDS one from 1 to 86400 (500/60: 500 requests a minute)",
                reinit_disk::echo::Echo(text)
            )
        };
        let (n, seconds) = text.split_once('/').ok_or_else(bad)?;
        let limit: u32 = n
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=MAX_RATE_LIMIT).contains(n))
            .ok_or_else(bad)?;
        let seconds: u32 = seconds
            .trim()
            .parse()
            .ok()
            .filter(|s| (1..=86_400).contains(s))
            .ok_or_else(bad)?;
        Ok(Self {
            limit,
            window: Duration::from_secs(u64::from(seconds)),
            admitted: Mutex::new(HashMap::new()),
        })
    }

    /// Whether `caller`'s request at `now` is admitted (and counts it if
    /// so): fewer than `N` of its requests were admitted in the `SECONDS`
    /// before `now` (a request exactly `SECONDS` old no longer counts).
    pub fn admit(&self, caller: &str, now: Duration) -> bool {
        let mut admitted = self
            .admitted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let times = match admitted.get_mut(caller) {
            Some(times) => times,
            None => admitted.entry(caller.to_owned()).or_default(),
        };
        while times
            .front()
            .is_some_and(|at| now.saturating_sub(*at) >= self.window)
        {
            times.pop_front();
        }
        if times.len() < usize::try_from(self.limit).unwrap_or(usize::MAX) {
            times.push_back(now);
            true
        } else {
            false
        }
    }

    /// `N/SECONDS`.
    pub fn describe(&self) -> String {
        format!("{}/{}", self.limit, self.window.as_secs())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed assumption is a failed test"
    )]
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn the_window_slides_instead_of_resetting_on_a_boundary() {
        let limit = RateLimit::parse("5/60").unwrap();
        for _ in 0..5 {
            assert!(limit.admit("k", secs(59.9)));
        }
        // A fixed window would start afresh at 60 s.
        assert!(!limit.admit("k", secs(60.1)));
        assert!(!limit.admit("k", secs(119.8)));
        // Exactly a window after them, they no longer count.
        assert!(limit.admit("k", secs(119.9)));
    }

    #[test]
    fn each_caller_has_its_own_window() {
        let limit = RateLimit::parse("2/10").unwrap();
        assert!(limit.admit("a", secs(0.0)));
        assert!(limit.admit("a", secs(0.0)));
        assert!(!limit.admit("a", secs(1.0)));
        assert!(limit.admit("b", secs(1.0)), "a's flood does not lock b out");
        assert!(limit.admit("b", secs(1.0)));
        assert!(!limit.admit("b", secs(1.0)));
        // A refused request does not count.
        assert!(limit.admit("a", secs(10.0)));
    }

    #[test]
    fn the_flag_takes_bounded_whole_numbers_and_says_which() {
        for good in ["1/1", "500/60", "100000/86400", " 3 / 7 "] {
            assert!(RateLimit::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "0/60",
            "100001/60",
            "5/0",
            "5/86401",
            "5",
            "x/60",
            "5/x",
            "-1/60",
        ] {
            let error = RateLimit::parse(bad).unwrap_err();
            assert!(
                error.contains("from 1 to 100000") && error.contains("from 1 to 86400"),
                "{bad}: {error}"
            );
        }
        assert_eq!(RateLimit::parse("500/60").unwrap().describe(), "500/60");
    }
}
