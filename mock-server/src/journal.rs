//! The journal of received requests, with secrets redacted, for tests and benchmarks.

use std::collections::VecDeque;

use serde::Serialize;
use serde_json::Value;

/// One received request.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// The order of arrival, from 1.
    pub seq: u64,
    /// The method.
    pub method: String,
    /// The path, as received.
    pub path: String,
    /// The query string, as received.
    pub query: String,
    /// The JSON body with secret-looking values redacted (`null` when there was none or it was
    /// not JSON).
    pub body: Value,
    /// The status answered (0 when the connection was dropped on purpose).
    pub status: u16,
    /// Whether credentials were presented.
    pub authenticated: bool,
}

/// A bounded journal.
pub(crate) struct Journal {
    entries: VecDeque<JournalEntry>,
    capacity: usize,
    next_seq: u64,
}

impl Journal {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity,
            next_seq: 1,
        }
    }

    pub(crate) fn record(&mut self, mut entry: JournalEntry) {
        entry.seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}
