//! Lazy, bounded paging over the Public API's offset lists.

use std::future::Future;

use airbyte_models::ListResponse;
use futures_core::Stream;
use futures_util::stream;

use crate::Result;

/// The page size used when reading whole lists: the API's maximum.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// A stream of every item of a paginated list. Pages are requested one at a time by offset
/// (the API's `next` links drop filters), so memory holds one page. Paging stops on an empty
/// page, a short page, or a page without `next`, so it cannot loop forever; the offset advances
/// by the items received, which is right even against a server that caps `limit`.
pub(crate) fn paginate<T, F, Fut>(
    page_size: u32,
    start_offset: u32,
    fetch: F,
) -> impl Stream<Item = Result<T>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ListResponse<T>>>,
{
    let state = (fetch, start_offset, false, Vec::<T>::new().into_iter());
    stream::try_unfold(
        state,
        move |(mut fetch, offset, last, mut buffer)| async move {
            if let Some(item) = buffer.next() {
                return Ok(Some((item, (fetch, offset, last, buffer))));
            }
            if last {
                return Ok(None);
            }
            let page = fetch(offset, page_size).await?;
            let received = u32::try_from(page.data.len()).unwrap_or(u32::MAX);
            let last = received < page_size || !page.has_next();
            tracing::trace!(offset, received, last, "fetched a page");
            let mut buffer = page.data.into_iter();
            Ok(buffer
                .next()
                .map(|item| (item, (fetch, offset.saturating_add(received), last, buffer))))
        },
    )
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

    #[tokio::test]
    async fn pages_until_a_short_or_empty_page() {
        let total = 250;
        let calls = std::sync::Mutex::new(Vec::new());
        let items: Vec<u32> = paginate(100, 0, |offset, limit| {
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
        let items: Vec<u32> = paginate(10, 0, |offset, _| {
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
        let items: Vec<u32> = paginate(5, 0, |offset, _| {
            std::future::ready(Ok(page(offset..offset + 5, offset == 0)))
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items.len(), 10);
    }
}
