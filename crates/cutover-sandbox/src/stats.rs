//! Request counting per route, for tests that assert how often cutover called the target.
//!
//! Routes are counted under a stable key, the method and the route template with the `/admin`
//! prefix (`PATCH /admin/identities`, `GET /admin/identities/{id}`,
//! `GET /admin/identities/by/external`), whether or not the client used the prefix.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

/// Requests received per route key since the start or the last reset.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    requests: Mutex<BTreeMap<String, u64>>,
}

impl Stats {
    /// Counts one request on `route`.
    pub(crate) fn record(&self, route: &str) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        *requests.entry(route.to_owned()).or_default() += 1;
    }

    /// The counts so far.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, u64> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets every count.
    pub(crate) fn reset(&self) {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}
