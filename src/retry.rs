//! Retrying calls with back-off: network errors, 5xx, 429 (honouring
//! `Retry-After`) and 409 `idempotency_request_in_progress` are retried; other
//! 4xx never are.

use std::time::Duration;

use crate::api::ApiError;

/// How many times a call is tried in all before its error is shown.
pub const MAX_ATTEMPTS: u32 = 6;

/// The wait before attempt `attempt + 1` after `error` (attempts count from 1),
/// or `None` when the call must not be retried.
pub fn retry_delay(attempt: u32, error: &ApiError) -> Option<Duration> {
    if !error.is_retryable() || attempt >= MAX_ATTEMPTS {
        return None;
    }
    if let Some(secs) = error.retry_after() {
        return Some(Duration::from_secs(u64::from(secs.min(60))));
    }
    // 0.5 s, 1 s, 2 s, 4 s, 8 s.
    Some(Duration::from_millis(500u64 << (attempt - 1).min(4)))
}

/// A call that failed and is tried again: which attempt failed (from 1), the wait before
/// the next one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrying {
    /// The attempt that failed, counting from 1.
    pub attempt: u32,
    /// The wait before the next attempt.
    pub wait: Duration,
    /// Why the attempt failed.
    pub error: ApiError,
}

impl Retrying {
    /// What the page says meanwhile (see [`retrying_message`]).
    pub fn message(&self) -> String {
        retrying_message(&self.error, self.attempt, self.wait)
    }
}

/// What the page says while it waits to try again: the error, the wait (in tenths of a
/// second, written without float formatting) and which attempt comes next.
pub fn retrying_message(error: &ApiError, attempt: u32, wait: Duration) -> String {
    let tenths = wait.as_millis() / 100;
    crate::i18n::fill(
        crate::i18n::t().retrying,
        &[
            error,
            &format_args!("{}.{}", tenths / 10, tenths % 10),
            &(attempt + 1),
            &MAX_ATTEMPTS,
        ],
    )
}

/// Back-off for polling a connection while it is being created: 1 s, 2 s, 4 s, then every 5 s.
pub fn poll_delay(polls: u32) -> Duration {
    Duration::from_millis((1000u64 << polls.min(3)).min(5000))
}

/// Runs `call` until it succeeds, fails for good, or runs out of attempts;
/// `on_retry(attempt, wait, error)` is told before each wait, so the page can
/// say it is retrying rather than look frozen.
pub async fn with_retries<T, F, Fut>(
    mut call: F,
    on_retry: impl Fn(u32, Duration, &ApiError),
) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Ok(v) => return Ok(v),
            Err(e) => match retry_delay(attempt, &e) {
                Some(wait) => {
                    on_retry(attempt, wait, &e);
                    gloo_timers::future::sleep(wait).await;
                    attempt += 1;
                }
                None => return Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ProblemDetails;

    fn status(s: u16, retry_after: Option<u32>) -> ApiError {
        ApiError::Status {
            status: s,
            problem: Box::default(),
            request_id: None,
            retry_after,
        }
    }

    #[test]
    fn retries_network_5xx_and_429_but_never_other_4xx() {
        assert!(retry_delay(1, &ApiError::Network("down".into())).is_some());
        assert!(retry_delay(1, &status(503, None)).is_some());
        assert!(retry_delay(1, &status(500, None)).is_some());
        assert_eq!(
            retry_delay(1, &status(429, Some(3))),
            Some(Duration::from_secs(3))
        );
        for s in [400, 401, 403, 404, 409, 412, 422, 428] {
            assert_eq!(retry_delay(1, &status(s, None)), None, "{s}");
        }
        assert_eq!(retry_delay(1, &ApiError::Decode("x".into())), None);
    }

    #[test]
    fn a_409_is_retried_only_while_the_same_key_is_in_progress() {
        let conflict = |code: &str| ApiError::Status {
            status: 409,
            problem: Box::new(ProblemDetails {
                code: Some(code.into()),
                ..ProblemDetails::default()
            }),
            request_id: None,
            retry_after: None,
        };
        assert_eq!(
            retry_delay(1, &conflict("idempotency_request_in_progress")),
            Some(Duration::from_millis(500))
        );
        for code in [
            "duplicate_name",
            "conflict",
            "delete_blocked_by_dependencies",
        ] {
            assert_eq!(retry_delay(1, &conflict(code)), None, "{code}");
        }
    }

    #[test]
    fn back_off_doubles_and_stops_after_the_last_attempt() {
        let e = status(502, None);
        let waits: Vec<_> = (1..MAX_ATTEMPTS)
            .map(|a| retry_delay(a, &e).unwrap().as_millis())
            .collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000]);
        assert_eq!(retry_delay(MAX_ATTEMPTS, &e), None);
        assert_eq!(
            retry_delay(1, &status(429, Some(100_000))),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn the_retry_message_says_the_wait_and_the_next_attempt() {
        let e = ApiError::Network("down".into());
        let m = retrying_message(&e, 2, Duration::from_millis(1500));
        assert!(m.ends_with("Retrying in 1.5 s (attempt 3 of 6)."), "{m}");
        assert!(retrying_message(&e, 1, Duration::from_secs(8)).contains("in 8.0 s"));
    }

    #[test]
    fn a_retry_says_its_message() {
        let r = Retrying {
            attempt: 2,
            wait: Duration::from_millis(1500),
            error: ApiError::Network("down".into()),
        };
        assert_eq!(r.message(), retrying_message(&r.error, 2, r.wait));
    }

    #[test]
    fn polling_backs_off_to_five_seconds() {
        let waits: Vec<_> = (0..6).map(|p| poll_delay(p).as_millis()).collect();
        assert_eq!(waits, [1000, 2000, 4000, 5000, 5000, 5000]);
    }
}
