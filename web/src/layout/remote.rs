//! API data and API writes as signals, for pages to render from.
//!
//! Leptos' `LocalResource` and `Action` would do, but each use of them compiles its own copy
//! of their machinery (async-derived signals, scoped futures, send wrappers), and this app has
//! dozens: these two do only what the pages need, with one task each, and keep the app within
//! its download budget (Q4).

use std::future::Future;

use leptos::{prelude::*, task::spawn_local};

use crate::api::ApiError;

/// What a page reads from the API: nothing yet, then the answer or the failure. It loads when
/// created, again when a signal the fetcher reads changes, and on [`Remote::refetch`]; the
/// last answer stays shown while the next one loads.
pub struct Remote<T: 'static> {
    value: RwSignal<Option<Result<T, ApiError>>>,
    again: RwSignal<u32>,
    // Only the latest request may answer: filters may change while one is under way.
    latest: StoredValue<u32>,
}

impl<T: 'static> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Remote<T> {}

impl<T: Clone + Send + Sync + 'static> Remote<T> {
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let remote = Self {
            value: RwSignal::new(None),
            again: RwSignal::new(0),
            latest: StoredValue::new(0),
        };
        Effect::new(move |_| {
            remote.again.track();
            let request = fetch();
            let number = remote.latest.get_value().wrapping_add(1);
            remote.latest.set_value(number);
            spawn_local(async move {
                let result = request.await;
                if remote.latest.try_get_value() == Some(number) {
                    remote.value.try_set(Some(result));
                }
            });
        });
        remote
    }

    /// The last answer (tracked); `None` until the first arrives.
    #[must_use]
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.value.get()
    }

    /// Reads the last answer without copying it (tracked).
    pub fn with<R>(&self, read: impl FnOnce(Option<&Result<T, ApiError>>) -> R) -> R {
        self.value.with(|value| read(value.as_ref()))
    }

    pub fn refetch(&self) {
        self.again.update(|n| *n = n.wrapping_add(1));
    }
}

/// A write to the API: whether one is under way, and how the last one went. The answer itself
/// goes to the callback given with the request, so this type is the same whatever the answer.
#[derive(Clone, Copy)]
pub struct Submission {
    outcome: RwSignal<Option<Result<(), ApiError>>>,
    pending: RwSignal<bool>,
}

impl Submission {
    #[must_use]
    pub fn new() -> Self {
        Self {
            outcome: RwSignal::new(None),
            pending: RwSignal::new(false),
        }
    }

    /// Sends `request`, forgetting how the previous one went; a successful answer goes to
    /// `done`, before the outcome shows.
    pub fn run<T: 'static>(
        self,
        request: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.outcome.set(None);
        self.pending.set(true);
        spawn_local(async move {
            let result = request.await;
            // The page may be gone by now; nothing of it may be touched then.
            if self.outcome.is_disposed() {
                return;
            }
            let outcome = result.map(done);
            self.outcome.set(Some(outcome));
            self.pending.set(false);
        });
    }

    /// Whether the last write succeeded (tracked).
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.outcome.with(|outcome| matches!(outcome, Some(Ok(()))))
    }

    /// The refusal of the last write (tracked).
    #[must_use]
    pub fn error(&self) -> Option<ApiError> {
        self.outcome.with(|outcome| {
            outcome
                .as_ref()
                .and_then(|result| result.as_ref().err().cloned())
        })
    }

    /// Whether a write is under way (tracked).
    #[must_use]
    pub fn pending(&self) -> Signal<bool> {
        self.pending.into()
    }

    /// Forgets how the last write went, e.g. when the form is edited again.
    pub fn clear(&self) {
        self.outcome.set(None);
    }
}

impl Default for Submission {
    fn default() -> Self {
        Self::new()
    }
}
