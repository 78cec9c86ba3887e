//! The list envelope of the Public API.

use serde::{Deserialize, Serialize};

/// One page of a Public API list: `{"data": [...], "next": "...", "previous": "..."}`.
///
/// `next` and `previous` are absolute URLs. The server sends `""` at the ends, keeps a `next`
/// on the last non-empty page, and drops most filters from these links, so clients should page
/// by `limit`/`offset` and stop on an empty or short page rather than follow `next`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// The URL of the next page, `""` or absent at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The URL of the previous page, `""` or absent at the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
}

impl<T> ListResponse<T> {
    /// A page holding `data`, with no links.
    #[must_use]
    pub fn new(data: Vec<T>) -> Self {
        Self {
            data,
            next: None,
            previous: None,
        }
    }

    /// Whether the server announced a next page (a non-empty `next`).
    #[must_use]
    pub fn has_next(&self) -> bool {
        self.next.as_deref().is_some_and(|next| !next.is_empty())
    }
}

impl<T> Default for ListResponse<T> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}
