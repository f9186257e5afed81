//! A per-client token bucket: each client (IP address) may send `burst`
//! requests at once and then `per_minute` more each minute.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// How many requests a client may make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed at once.
    pub burst: u32,
    /// Requests added back each minute.
    pub per_minute: u32,
}

impl Default for RateLimit {
    /// A trainee submits once every few minutes; a queue that was offline
    /// flushes a handful at once. 30 at once, then one every two seconds.
    fn default() -> RateLimit {
        RateLimit {
            burst: 30,
            per_minute: 30,
        }
    }
}

impl RateLimit {
    /// Parses `BURST/PER_MINUTE` (e.g. `30/30`) or `off`; `None` for off.
    pub fn parse(text: &str) -> Result<Option<RateLimit>, RateLimitError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let (burst, per_minute) = text
            .split_once('/')
            .ok_or_else(|| RateLimitError::Format(text.to_string()))?;
        let number = |s: &str| {
            s.trim()
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| RateLimitError::NotPositive(s.to_string()))
        };
        Ok(Some(RateLimit {
            burst: number(burst)?,
            per_minute: number(per_minute)?,
        }))
    }
}

/// Why a rate limit could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RateLimitError {
    /// Not `BURST/PER_MINUTE` nor `off`.
    #[error("`{0}`: write BURST/PER_MINUTE (e.g. 30/30) or off")]
    Format(String),
    /// One of the numbers is not a whole number above 0.
    #[error("`{0}` is not a positive whole number")]
    NotPositive(String),
}

/// Clients tracked before full buckets are forgotten.
const MAX_TRACKED: usize = 10_000;

/// The buckets of every client.
#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    buckets: HashMap<IpAddr, (f64, Instant)>,
}

impl Limiter {
    /// A limiter with `limit` for each client.
    pub fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            buckets: HashMap::new(),
        }
    }

    /// Takes one request from `client`'s bucket at `now`: `Ok` if allowed,
    /// else how long until the next one is.
    pub fn check(&mut self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(self.limit.burst);
        let per_second = f64::from(self.limit.per_minute) / 60.0;
        if self.buckets.len() >= MAX_TRACKED {
            self.buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * per_second < burst
            });
        }
        let (tokens, at) = self.buckets.entry(client).or_insert((burst, now));
        let refilled =
            (*tokens + now.saturating_duration_since(*at).as_secs_f64() * per_second).min(burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(Duration::from_secs_f64((1.0 - refilled) / per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refills_per_client() {
        let mut limiter = Limiter::new(RateLimit {
            burst: 2,
            per_minute: 60,
        });
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t = Instant::now();
        assert!(limiter.check(a, t).is_ok());
        assert!(limiter.check(a, t).is_ok());
        let wait = limiter.check(a, t).unwrap_err();
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limiter.check(b, t).is_ok());
        assert!(limiter.check(a, t + Duration::from_millis(1100)).is_ok());
    }

    #[test]
    fn parses() {
        assert_eq!(RateLimit::parse("off").unwrap(), None);
        assert_eq!(
            RateLimit::parse("5/120").unwrap(),
            Some(RateLimit {
                burst: 5,
                per_minute: 120
            })
        );
        assert_eq!(
            RateLimit::parse(" 5 ").unwrap_err().to_string(),
            "`5`: write BURST/PER_MINUTE (e.g. 30/30) or off"
        );
        assert_eq!(
            RateLimit::parse("0/1"),
            Err(RateLimitError::NotPositive("0".into()))
        );
    }
}
