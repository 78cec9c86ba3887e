//! Lazy, bounded paging over the API's lists.
//!
//! Whatever the server sends, paging ends: on an empty page, a short page or a page without
//! `next`; or with [`Error::Paging`] when a page repeats the one before, when a `next` link
//! names an offset that does not move forward, or when the list holds more items than the
//! limit ([`DEFAULT_MAX_LIST_ITEMS`] unless configured). Memory holds one page (and the keys of
//! the page before, to see a repeat).

use std::fmt;
use std::future::Future;

use airbyte_models::ListResponse;
use futures_core::Stream;
use futures_util::stream;

use crate::{Error, Result};

/// The page size used when reading whole lists: the API's maximum.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// The default limit on the items one list may hold before paging stops with an error: ten
/// million, far beyond any real workspace, low enough to stop a server that never ends.
pub const DEFAULT_MAX_LIST_ITEMS: u64 = 10_000_000;

/// Why paging stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingProblem {
    /// The page at this offset holds the same items as the page before it (in any order): the
    /// server ignores the offset, or is stuck.
    RepeatedPage {
        /// The offset asked for.
        offset: u64,
    },
    /// The server's `next` link asks for an offset that does not move forward.
    OffsetNotAdvancing {
        /// The offset of the current page.
        offset: u64,
        /// The offset the `next` link asks for.
        next_offset: u64,
    },
    /// The server announced a next page with a link that names no offset, so it cannot be
    /// asked for (links to other hosts are never followed).
    UnfollowableNext {
        /// The link.
        next: String,
    },
    /// The list kept changing while it was read (items created or deleted on pages already
    /// read), so an item could have been missed; it was read again this many times.
    ListMoving {
        /// How many times the list was read again from its start.
        rereads: u32,
    },
    /// The list holds more items than the limit.
    TooManyItems {
        /// The limit.
        limit: u64,
    },
}

impl fmt::Display for PagingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RepeatedPage { offset } => write!(
                f,
                "the server repeated the previous page at offset {offset} (it ignores the offset or is stuck)"
            ),
            Self::OffsetNotAdvancing {
                offset,
                next_offset,
            } => write!(
                f,
                "the next page link asks for offset {next_offset}, which does not move past offset {offset}"
            ),
            Self::UnfollowableNext { next } => write!(
                f,
                "the server announced a next page without an offset ({next:?})"
            ),
            Self::ListMoving { rereads } => write!(
                f,
                "the list kept changing while it was read (read again {rereads} times), so an item could have been missed"
            ),
            Self::TooManyItems { limit } => write!(
                f,
                "the list holds more than {limit} items (the configured limit)"
            ),
        }
    }
}

/// How one list is paged. `F` gives the identity of an item, to see a repeated page.
#[derive(Clone)]
pub(crate) struct PageSpec<F> {
    /// What is listed, for errors.
    pub(crate) list: &'static str,
    /// The page size asked for.
    pub(crate) page_size: u32,
    /// The limit on items received.
    pub(crate) max_items: u64,
    /// The identity of an item.
    pub(crate) key: F,
}

/// The checks every received page passes.
struct Guard<F, K> {
    spec: PageSpec<F>,
    received: u64,
    /// The keys of the page before, sorted: a page is a repeat whatever its order.
    previous: Vec<K>,
}

impl<F, K: Ord> Guard<F, K> {
    fn new(spec: PageSpec<F>) -> Self {
        Self {
            spec,
            received: 0,
            previous: Vec::new(),
        }
    }

    fn fail(&self, problem: PagingProblem) -> Error {
        Error::Paging {
            list: self.spec.list,
            problem,
        }
    }

    /// Checks a page received at `offset`.
    fn check<T>(&mut self, offset: u64, items: &[T]) -> Result<()>
    where
        F: Fn(&T) -> K,
    {
        let mut keys: Vec<K> = items.iter().map(&self.spec.key).collect();
        keys.sort_unstable();
        if !keys.is_empty() && keys == self.previous {
            return Err(self.fail(PagingProblem::RepeatedPage { offset }));
        }
        self.received = self.received.saturating_add(items.len() as u64);
        if self.received > self.spec.max_items {
            return Err(self.fail(PagingProblem::TooManyItems {
                limit: self.spec.max_items,
            }));
        }
        self.previous = keys;
        Ok(())
    }
}

/// A stream of every item of an offset-paged list. Pages are requested one at a time by offset
/// (the API's `next` links drop filters), so memory holds one page. The offset advances by the
/// items received, which is right even against a server that caps `limit`.
pub(crate) fn paginate<T, K, KF, F, Fut>(
    spec: PageSpec<KF>,
    start_offset: u32,
    fetch: F,
) -> impl Stream<Item = Result<T>>
where
    K: Ord,
    KF: Fn(&T) -> K,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ListResponse<T>>>,
{
    let page_size = spec.page_size;
    let state = (
        fetch,
        Guard::new(spec),
        start_offset,
        false,
        Vec::<T>::new().into_iter(),
    );
    stream::try_unfold(
        state,
        move |(mut fetch, mut guard, offset, last, mut buffer)| async move {
            if let Some(item) = buffer.next() {
                return Ok(Some((item, (fetch, guard, offset, last, buffer))));
            }
            if last {
                return Ok(None);
            }
            let page = fetch(offset, page_size).await?;
            guard.check(u64::from(offset), &page.data)?;
            let received = u32::try_from(page.data.len()).unwrap_or(u32::MAX);
            let last = received < page_size || !page.has_next();
            tracing::trace!(offset, received, last, "fetched a page");
            let mut buffer = page.data.into_iter();
            Ok(buffer.next().map(|item| {
                (
                    item,
                    (fetch, guard, offset.saturating_add(received), last, buffer),
                )
            }))
        },
    )
}

/// How many times [`collect_overlapping`] reads a list again that moved while it was read.
const MAX_REREADS: u32 = 3;

/// The items of an offset-paged list for which `keep` is true, read so that none is missed
/// when the list moves while it is read. Offset paging skips an item when another caller
/// deletes one on a page already read (every later item moves a place forward), and a
/// dependent missed that way would be deleted by the server unnamed. So each page after the
/// first starts one item early, at the last item of the page before: when that item is not
/// there, the list moved, and it is read again from its start (at most [`MAX_REREADS`] times,
/// then [`PagingProblem::ListMoving`]). Memory holds one page and the items kept.
pub(crate) async fn collect_overlapping<T, K, KF, F, Fut>(
    spec: PageSpec<KF>,
    keep: impl Fn(&T) -> bool,
    mut fetch: F,
) -> Result<Vec<T>>
where
    K: Ord,
    KF: Fn(&T) -> K + Clone,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ListResponse<T>>>,
{
    // One item of each page is the overlap: a page must hold at least one more.
    let page_size = spec.page_size.max(2);
    for read in 0..=MAX_REREADS {
        if read > 0 {
            tracing::debug!(
                list = spec.list,
                read,
                "the list moved while it was read; reading it again"
            );
        }
        let mut guard = Guard::new(spec.clone());
        let mut kept = Vec::new();
        let mut offset = 0u32;
        let mut boundary: Option<K> = None;
        let complete = loop {
            let page = fetch(offset, page_size).await?;
            let received = u32::try_from(page.data.len()).unwrap_or(u32::MAX);
            let last = received < page_size || !page.has_next();
            let mut items = page.data.into_iter().peekable();
            if let Some(expected) = &boundary {
                match items.peek() {
                    Some(first) if (spec.key)(first) == *expected => {
                        items.next();
                    }
                    _ => break false,
                }
            }
            let fresh: Vec<T> = items.collect();
            guard.check(u64::from(offset), &fresh)?;
            boundary = fresh.last().map(&spec.key).or(boundary);
            kept.extend(fresh.into_iter().filter(|item| keep(item)));
            if last {
                break true;
            }
            offset = offset.saturating_add(received - 1);
        };
        if complete {
            return Ok(kept);
        }
    }
    Err(Error::Paging {
        list: spec.list,
        problem: PagingProblem::ListMoving {
            rereads: MAX_REREADS,
        },
    })
}

/// Every item of a list that the server pages, if ever, only through its `next` links (the
/// custom definition lists). The first page is asked for without paging parameters; each next
/// one with the `offset` (and `limit`) its link names, never by following the link itself.
pub(crate) async fn collect_following_next<T, K, KF, F, Fut>(
    spec: PageSpec<KF>,
    mut fetch: F,
) -> Result<Vec<T>>
where
    K: Ord,
    KF: Fn(&T) -> K,
    F: FnMut(Option<(u32, u32)>) -> Fut,
    Fut: Future<Output = Result<ListResponse<T>>>,
{
    let mut guard = Guard::new(spec);
    let mut items = Vec::new();
    let mut offset = 0u32;
    let mut page = fetch(None).await?;
    loop {
        guard.check(u64::from(offset), &page.data)?;
        let received = page.data.len();
        items.extend(page.data);
        let next = match page.next.as_deref() {
            Some(next) if !next.is_empty() && received > 0 => next.to_owned(),
            _ => return Ok(items),
        };
        let (next_offset, limit) = page_of_link(&next)
            .ok_or_else(|| guard.fail(PagingProblem::UnfollowableNext { next: next.clone() }))?;
        if next_offset <= offset {
            return Err(guard.fail(PagingProblem::OffsetNotAdvancing {
                offset: u64::from(offset),
                next_offset: u64::from(next_offset),
            }));
        }
        offset = next_offset;
        let limit = limit.unwrap_or_else(|| u32::try_from(received).unwrap_or(u32::MAX));
        page = fetch(Some((offset, limit))).await?;
    }
}

/// The `offset` and `limit` a `next` link names.
fn page_of_link(link: &str) -> Option<(u32, Option<u32>)> {
    let query = link.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    let value = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .and_then(|(_, value)| value.parse::<u32>().ok())
    };
    Some((value("offset")?, value("limit").filter(|limit| *limit > 0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt;

    fn page(items: std::ops::Range<u32>, next: bool) -> ListResponse<u32> {
        ListResponse {
            data: items.collect(),
            next: next.then(|| "https://next".to_owned()),
            previous: None,
        }
    }

    fn spec(page_size: u32, max_items: u64) -> PageSpec<fn(&u32) -> u32> {
        PageSpec {
            list: "numbers",
            page_size,
            max_items,
            key: |item| *item,
        }
    }

    #[tokio::test]
    async fn pages_until_a_short_or_empty_page() {
        let total = 250;
        let calls = std::sync::Mutex::new(Vec::new());
        let items: Vec<u32> = paginate(spec(100, 1_000), 0, |offset, limit| {
            calls.lock().unwrap().push(offset);
            let end = (offset + limit).min(total);
            std::future::ready(Ok(page(offset..end, true)))
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, (0..250).collect::<Vec<_>>());
        assert_eq!(*calls.lock().unwrap(), [0, 100, 200]);
    }

    #[tokio::test]
    async fn a_server_that_always_announces_next_still_ends() {
        let calls = std::sync::Mutex::new(0);
        let items: Vec<u32> = paginate(spec(10, 1_000), 0, |offset, _| {
            *calls.lock().unwrap() += 1;
            let items = if offset < 30 {
                offset..offset + 10
            } else {
                0..0
            };
            std::future::ready(Ok(page(items, true)))
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items.len(), 30);
        assert_eq!(*calls.lock().unwrap(), 4);
    }

    #[tokio::test]
    async fn a_page_without_next_is_the_last() {
        let items: Vec<u32> = paginate(spec(5, 1_000), 0, |offset, _| {
            std::future::ready(Ok(page(offset..offset + 5, offset == 0)))
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items.len(), 10);
    }

    #[tokio::test]
    async fn a_repeated_page_ends_the_stream_with_an_error() {
        let error = paginate(spec(10, 1_000), 0, |_, _| {
            std::future::ready(Ok(page(0..10, true)))
        })
        .try_collect::<Vec<u32>>()
        .await
        .unwrap_err();
        assert!(matches!(
            error,
            Error::Paging {
                problem: PagingProblem::RepeatedPage { offset: 10 },
                ..
            }
        ));
    }

    #[tokio::test]
    async fn a_server_that_never_ends_stops_at_the_limit() {
        let calls = std::sync::Mutex::new(0);
        let error = paginate(spec(10, 95), 0, |offset, limit| {
            *calls.lock().unwrap() += 1;
            std::future::ready(Ok(page(offset..offset + limit, true)))
        })
        .try_collect::<Vec<u32>>()
        .await
        .unwrap_err();
        assert!(matches!(
            error,
            Error::Paging {
                problem: PagingProblem::TooManyItems { limit: 95 },
                ..
            }
        ));
        assert_eq!(*calls.lock().unwrap(), 10);
    }

    #[tokio::test]
    async fn overlapping_pages_read_a_still_list_once() {
        let asked = std::sync::Mutex::new(Vec::new());
        let even = collect_overlapping(
            spec(100, 1_000),
            |item| item % 2 == 0,
            |offset, limit| {
                asked.lock().unwrap().push(offset);
                let end = (offset + limit).min(250);
                std::future::ready(Ok(page(offset..end, end < 250)))
            },
        )
        .await
        .unwrap();
        assert_eq!(even, (0..250).step_by(2).collect::<Vec<_>>());
        assert_eq!(*asked.lock().unwrap(), [0, 99, 198]);
    }

    #[tokio::test]
    async fn a_list_that_keeps_moving_is_read_again_then_refused() {
        // Every page is shifted by one more item than the page before: an item before it was
        // deleted each time.
        let calls = std::sync::Mutex::new(0u32);
        let error = collect_overlapping(
            spec(10, 1_000),
            |_| true,
            |offset, limit| {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                let start = offset + *calls;
                std::future::ready(Ok(page(start..start + limit, true)))
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Paging {
                    problem: PagingProblem::ListMoving { rereads: 3 },
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(*calls.lock().unwrap(), 8, "four reads of two pages");
    }

    fn linked(items: std::ops::Range<u32>, next: Option<&str>) -> ListResponse<u32> {
        ListResponse {
            data: items.collect(),
            next: next.map(str::to_owned),
            previous: None,
        }
    }

    #[tokio::test]
    async fn next_links_are_followed_by_their_offset() {
        let asked = std::sync::Mutex::new(Vec::new());
        let items = collect_following_next(spec(100, 1_000), |page| {
            asked.lock().unwrap().push(page);
            std::future::ready(Ok(match page {
                None => linked(0..2, Some("https://elsewhere/x?limit=2&offset=2")),
                Some((2, 2)) => linked(2..4, Some("https://elsewhere/x?offset=4")),
                Some((4, 2)) => linked(4..5, Some("")),
                other => panic!("unexpected page {other:?}"),
            }))
        })
        .await
        .unwrap();
        assert_eq!(items, [0, 1, 2, 3, 4]);
        assert_eq!(*asked.lock().unwrap(), [None, Some((2, 2)), Some((4, 2))]);
    }

    #[tokio::test]
    async fn next_links_that_do_not_advance_or_name_no_offset_are_errors() {
        let stuck = collect_following_next(spec(100, 1_000), |page| {
            std::future::ready(Ok(match page {
                None => linked(0..2, Some("/x?offset=2")),
                Some(_) => linked(2..4, Some("/x?offset=2")),
            }))
        })
        .await
        .unwrap_err();
        assert!(
            matches!(
                stuck,
                Error::Paging {
                    problem: PagingProblem::OffsetNotAdvancing {
                        offset: 2,
                        next_offset: 2
                    },
                    ..
                }
            ),
            "{stuck}"
        );
        let opaque = collect_following_next(spec(100, 1_000), |_| {
            std::future::ready(Ok(linked(0..2, Some("https://x/cursor/abc"))))
        })
        .await
        .unwrap_err();
        assert!(opaque.to_string().contains("without an offset"), "{opaque}");
    }
}
