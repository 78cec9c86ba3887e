//! An ordered table keyed by ID: insertion order for lists, hashing for lookups.

use std::collections::{BTreeMap, HashMap};

/// A row with an ID.
pub(crate) trait Row {
    fn id(&self) -> &str;
}

/// Rows in insertion order, found by ID in constant time.
pub(crate) struct Table<T> {
    rows: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
    next: u64,
}

impl<T: Row> Table<T> {
    pub(crate) fn new() -> Self {
        Self {
            rows: BTreeMap::new(),
            index: HashMap::new(),
            next: 0,
        }
    }

    pub(crate) fn insert(&mut self, row: T) {
        let key = self.next;
        self.next += 1;
        if let Some(old) = self.index.insert(row.id().to_owned(), key) {
            self.rows.remove(&old);
        }
        self.rows.insert(key, row);
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.rows.get(self.index.get(id)?)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let key = *self.index.get(id)?;
        self.rows.get_mut(&key)
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<T> {
        let key = self.index.remove(id)?;
        self.rows.remove(&key)
    }

    /// Rows oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.rows.values()
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.rows.values_mut()
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}
