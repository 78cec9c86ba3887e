//! A copy of what the server last said about a resource, shared by the clones of its handle.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The last answer the server gave about a resource (none before the first), shared by the
/// clones of the handle that keeps it, so that a read through one serves them all. Every
/// write replaces the whole value, so a lock poisoned by a panicking holder still guards a
/// whole answer, and is taken over.
#[derive(Debug)]
pub(crate) struct Cached<T>(Arc<Mutex<Option<T>>>);

impl<T> Clone for Cached<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T: Clone> Cached<T> {
    pub(crate) fn new(value: Option<T>) -> Self {
        Self(Arc::new(Mutex::new(value)))
    }

    /// A copy of the answer kept, if any.
    pub(crate) fn get(&self) -> Option<T> {
        self.lock().clone()
    }

    /// Keeps `value` in place of the answer before.
    pub(crate) fn set(&self, value: T) {
        *self.lock() = Some(value);
    }

    /// The answer kept, locked: for a write that looks at it first.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Option<T>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
