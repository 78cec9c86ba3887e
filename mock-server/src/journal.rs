//! The journal of received requests, with secrets redacted, for tests and benchmarks. It is
//! bounded by its number of entries and by the bytes they hold, and keeps bodies only of
//! requests that were authenticated and routed: a hostile client cannot make it grow.

use std::collections::VecDeque;

use serde::Serialize;
use serde_json::Value;

/// One received request.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JournalEntry {
    /// The order of arrival, from 1.
    pub seq: u64,
    /// The method.
    pub method: String,
    /// The HTTP version the request came with (`HTTP/1.1`, `HTTP/2.0`).
    pub http_version: String,
    /// The path, as received.
    pub path: String,
    /// The query string, with the values of secret-looking parameters redacted.
    pub query: String,
    /// The JSON body with secret-looking values redacted; `null` when there was none, it was
    /// not JSON, or the request was not authenticated and routed. Numbers are JSON numbers as
    /// `serde_json` reads them: one that `f64` cannot hold (`10^30`, a decimal with many digits)
    /// is its nearest `f64` here, and exact in [`body_text`](Self::body_text).
    pub body: Value,
    /// The same body as JSON text, numbers exactly as the client wrote them (`1.50`,
    /// `12345678901234567890123`); `None` when `body` is `null` for lack of a body. Not part of
    /// the `GET /_mock/journal` answer, whose `body` is already exact.
    #[serde(skip)]
    pub body_text: Option<String>,
    /// The status answered (0 when the connection was dropped on purpose).
    pub status: u16,
    /// Whether the request was authenticated (or, when recording, carried credentials the
    /// upstream accepted).
    pub authenticated: bool,
    /// The operation ID that served the request (`getSource`), when the emulation routed it.
    pub operation: Option<String>,
}

/// A request as the journal layer reports it.
pub(crate) struct Received {
    pub(crate) method: http::Method,
    pub(crate) version: http::Version,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) status: u16,
    pub(crate) authenticated: bool,
    pub(crate) operation: Option<&'static str>,
    /// The body as redacted JSON text, numbers exactly as sent (no marked numbers: see
    /// [`crate::lossless`]).
    pub(crate) body: Option<String>,
}

/// An entry as kept, with its order of arrival and its size as the budget counts it.
struct Stored {
    seq: u64,
    received: Received,
    bytes: usize,
}

/// A journal bounded in entries and bytes.
pub(crate) struct Journal {
    entries: VecDeque<Stored>,
    capacity: usize,
    max_bytes: usize,
    bytes: usize,
    next_seq: u64,
}

impl Journal {
    pub(crate) fn new(capacity: usize, max_bytes: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity,
            max_bytes,
            bytes: 0,
            next_seq: 1,
        }
    }

    /// Records a request. A body larger than the whole budget is left out; older entries go
    /// first to make room.
    pub(crate) fn record(&mut self, mut received: Received) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            return;
        }
        let fixed = received.path.len() + received.query.len() + 64;
        received.body = received
            .body
            .filter(|text| fixed + text.len() <= self.max_bytes);
        let bytes = fixed + received.body.as_ref().map_or(0, String::len);
        while !self.entries.is_empty()
            && (self.entries.len() >= self.capacity || self.bytes + bytes > self.max_bytes)
        {
            if let Some(old) = self.entries.pop_front() {
                self.bytes -= old.bytes;
            }
        }
        self.bytes += bytes;
        self.entries.push_back(Stored {
            seq,
            received,
            bytes,
        });
    }

    /// The entries for the library: bodies with plain `serde_json` numbers, and their exact text.
    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        self.entries_with(|text| serde_json::from_str(text).ok())
    }

    /// The entries for `GET /_mock/journal`: bodies parsed with [`crate::lossless::parse`], so
    /// that the answer (written through [`crate::answer::Resp`]) has every number as sent.
    pub(crate) fn wire_entries(&self) -> Vec<JournalEntry> {
        self.entries_with(|text| crate::lossless::parse(text.as_bytes()).ok())
    }

    fn entries_with(&self, parse: impl Fn(&str) -> Option<Value>) -> Vec<JournalEntry> {
        self.entries
            .iter()
            .map(|stored| {
                let received = &stored.received;
                JournalEntry {
                    seq: stored.seq,
                    method: received.method.as_str().to_owned(),
                    http_version: format!("{:?}", received.version),
                    path: received.path.clone(),
                    query: received.query.clone(),
                    body: received
                        .body
                        .as_deref()
                        .and_then(&parse)
                        .unwrap_or(Value::Null),
                    body_text: received.body.clone(),
                    status: received.status,
                    authenticated: received.authenticated,
                    operation: received.operation.map(str::to_owned),
                }
            })
            .collect()
    }

    /// The bytes the entries hold, as the budget counts them.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: Option<String>) -> Received {
        Received {
            method: http::Method::POST,
            version: http::Version::HTTP_11,
            path: "/v1/sources".into(),
            query: String::new(),
            status: 200,
            authenticated: true,
            operation: None,
            body,
        }
    }

    #[test]
    fn the_journal_stays_within_its_byte_budget() {
        let mut journal = Journal::new(1000, 10_000);
        for _ in 0..50 {
            journal.record(entry(Some("x".repeat(3_000))));
            assert!(journal.bytes() <= 10_000, "{}", journal.bytes());
        }
        assert_eq!(journal.entries().len(), 3);
        // A body over the whole budget is dropped, the entry kept.
        journal.record(entry(Some("y".repeat(20_000))));
        let last = journal.entries().pop().unwrap();
        assert_eq!(last.seq, 51);
        assert_eq!(last.body, Value::Null);
        assert!(journal.bytes() <= 10_000);
    }

    #[test]
    fn the_journal_keeps_its_newest_entries() {
        let mut journal = Journal::new(2, 1_000_000);
        for _ in 0..5 {
            journal.record(entry(Some("{\"a\":1}".into())));
        }
        let seqs: Vec<u64> = journal.entries().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [4, 5]);
        assert_eq!(journal.entries()[0].body, serde_json::json!({"a": 1}));
        journal.clear();
        assert_eq!(journal.bytes(), 0);
    }
}
