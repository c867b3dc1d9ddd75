//! Following a connection while DoiT sets it up: read it, and read it again with back-off until
//! it settles (the connection's page, and the accounts' status while deploying). One
//! `LocalResource` per id, Check again and poll: each read is retried, aborted when the page
//! goes, and the next poll is a timer dropped with it.

use futures::future::{abortable, AbortHandle};
use leptos::prelude::*;

use crate::api::{ApiError, Connection, Versioned};
use crate::retry::{poll_delay, with_retries, Retrying};
use crate::session::Session;

/// How the last read of the connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Read, and still being created: the next read is due after [`poll_delay`].
    Creating,
    /// Read, and settled (as the follower's `settled` says).
    Settled,
    /// The read failed for good.
    Failed(ApiError),
    /// Given up: Check again was pressed meanwhile, or the page went away.
    Aborted,
    /// Nothing to read (a draft not saved yet).
    Nothing,
}

/// A connection followed while it is being created: read once per id, Check again and poll
/// (each read retried with back-off), and read again after [`poll_delay`] until `settled`
/// says so or a read fails for good.
#[derive(Clone, Copy)]
pub struct Following {
    /// The connection as last read (or as Disable/Enable left it).
    pub current: RwSignal<Option<Versioned>>,
    /// The read in flight failed and is tried again.
    pub retrying: RwSignal<Option<Retrying>>,
    /// How the last read ended; `None` until the first read (or the first since Check again)
    /// is over.
    last: LocalResource<Outcome>,
    /// Check again: a new run.
    again: RwSignal<u32>,
    /// The polls so far in this run.
    polls: RwSignal<u32>,
    /// Aborts the read in flight.
    in_flight: StoredValue<Option<AbortHandle>>,
}

impl Following {
    /// Follows the connection `id` (none: nothing to follow yet) until `settled`.
    pub fn new(
        id: Signal<Option<String>>,
        settled: fn(&Connection) -> bool,
        session: Session,
    ) -> Self {
        let again = RwSignal::new(0u32);
        let polls = RwSignal::new(0u32);
        let current = RwSignal::new(None);
        let retrying = RwSignal::new(None);
        let next_poll: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
        let in_flight: StoredValue<Option<AbortHandle>> = StoredValue::new(None);
        let last = LocalResource::new(move || {
            again.track();
            let n = polls.get();
            let id = id.get();
            let api = session.api();
            let Some(id) = id else {
                return futures::future::Either::Left(async { Outcome::Nothing });
            };
            let on_retry = move |attempt, wait, e: &ApiError| {
                retrying.set(Some(Retrying {
                    attempt,
                    wait,
                    error: e.clone(),
                }));
            };
            let (read, handle) =
                abortable(async move { with_retries(|| api.connection(&id), on_retry).await });
            in_flight.set_value(Some(handle.clone()));
            // Leaving the page aborts this read (and with it its request) and drops its timer; so
            // does the next run, which the resource starts only once this read is over (hence
            // the abort in check_again).
            on_cleanup(move || {
                handle.abort();
                if let Some(timer) = next_poll.try_update_value(Option::take).flatten() {
                    timer.clear();
                }
            });
            futures::future::Either::Right(async move {
                let Ok(result) = read.await else {
                    return Outcome::Aborted;
                };
                retrying.set(None);
                match result {
                    Ok(v) if settled(&v.connection) => {
                        current.set(Some(v));
                        Outcome::Settled
                    }
                    Ok(v) => {
                        current.set(Some(v));
                        let timer =
                            set_timeout_with_handle(move || polls.set(n + 1), poll_delay(n));
                        next_poll.set_value(timer.ok());
                        Outcome::Creating
                    }
                    Err(e) => Outcome::Failed(e),
                }
            })
        });
        Self {
            current,
            retrying,
            last,
            again,
            polls,
            in_flight,
        }
    }

    /// Whether a read is in flight or due: until the connection is settled or a read fails.
    pub fn polling(self) -> bool {
        !self.last.with(|o| {
            matches!(
                o,
                Some(Outcome::Settled | Outcome::Failed(_) | Outcome::Nothing)
            )
        })
    }

    /// Why the last read failed.
    pub fn error(self) -> Option<ApiError> {
        self.last.with(|o| match o {
            Some(Outcome::Failed(e)) => Some(e.clone()),
            _ => None,
        })
    }

    /// Check again: the read in flight (the resource would wait for it) aborted and the last
    /// answer (and its error) forgotten, a new run from its first read.
    pub fn check_again(self) {
        self.in_flight.with_value(|handle| {
            if let Some(handle) = handle {
                handle.abort();
            }
        });
        self.last.set(None);
        self.polls.set(0);
        self.again.update(|n| *n += 1);
    }
}
