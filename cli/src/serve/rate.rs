//! Throttling (`--rate-limit N/SECONDS`): at most `N` requests in any
//! window of `SECONDS`, counted in fixed windows from the server's start;
//! past it, `Throttling`. ECS documents 500 `ReInitDisk` calls per 60 s.

use std::sync::Mutex;
use std::time::Duration;

/// A limit of requests per window.
#[derive(Debug)]
pub struct RateLimit {
    limit: u32,
    window: Duration,
    /// The window under way (its index) and the requests admitted in it.
    count: Mutex<(u128, u32)>,
}

impl RateLimit {
    /// `N/SECONDS`, as `--rate-limit` takes it (`500/60`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "--rate-limit {}: expected N/SECONDS, two whole numbers from 1 to 4294967295 (500/60: 500 requests a minute)",
                reinit_disk::echo::Echo(text)
            )
        };
        let (n, seconds) = text.split_once('/').ok_or_else(bad)?;
        let limit: u32 = n.trim().parse().ok().filter(|n| *n > 0).ok_or_else(bad)?;
        let seconds: u32 = seconds
            .trim()
            .parse()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(bad)?;
        Ok(Self {
            limit,
            window: Duration::from_secs(u64::from(seconds)),
            count: Mutex::new((0, 0)),
        })
    }

    /// Whether a request at `now` is admitted (and counts it if so).
    pub fn admit(&self, now: Duration) -> bool {
        let window = now.as_nanos() / self.window.as_nanos().max(1);
        let mut count = self
            .count
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if count.0 != window {
            *count = (window, 0);
        }
        if count.1 < self.limit {
            count.1 += 1;
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
