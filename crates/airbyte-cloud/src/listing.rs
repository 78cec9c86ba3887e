//! Listing a collection: every page (or the one answer), an exact name, a predicate, a limit.
//!
//! Every method that hands out a collection returns a [`ListItems`]. A list is fed in one of
//! two ways ([`Paging`]): page by page by offset (the Public API's paged lists), or in one
//! request (an endpoint that answers with everything at once: `/tags`, the custom definition
//! lists, Config API lists without paging). Both are bounded the same way (see
//! [`crate::paging`]): a list never holds more than `max_items`, and a server that repeats a
//! page or sends an unfollowable `next` link ends it with [`crate::Error::Paging`].

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;

use airbyte_models::ListResponse;
use airbyte_models::ops::{ListParams, Operation};
use futures_core::Stream;
use futures_util::future::BoxFuture;
use futures_util::{FutureExt, StreamExt, TryStreamExt, stream};

use crate::paging::{DEFAULT_PAGE_SIZE, PageSpec, collect_following_next, paginate};
use crate::{CloudWorkspace, Error, Result};

/// A filter on listed items.
pub type Predicate<T> = Arc<dyn Fn(&T) -> bool + Send + Sync>;

/// A boxed stream of results.
pub type ResultStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// How a list is read from the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paging {
    /// Page by page by `offset` and `limit`: memory holds one page.
    Offset,
    /// In one request without paging parameters; a `next` link, if a server sends one, is
    /// followed by the offset it names (never by the link itself).
    OneShot,
}

/// One page asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    /// Items to skip.
    pub(crate) offset: u32,
    /// Items asked for.
    pub(crate) limit: u32,
}

/// One request of a list, handed to the list's fetcher.
pub(crate) struct ListRequest<Q> {
    /// The workspace the list was made from.
    pub(crate) workspace: CloudWorkspace,
    /// The list's own filters (`()` for lists without any).
    pub(crate) query: Q,
    /// Whether deleted items are asked for.
    pub(crate) include_deleted: bool,
    /// The page asked for: always set for [`Paging::Offset`]; `None` for the first request of
    /// a [`Paging::OneShot`] list.
    pub(crate) page: Option<Page>,
}

impl<Q> ListRequest<Q> {
    /// The Public API's list parameters: this workspace, the page, deleted items or not.
    pub(crate) fn params(&self) -> ListParams {
        let page = self.page.unwrap_or(Page {
            offset: 0,
            limit: DEFAULT_PAGE_SIZE,
        });
        ListParams {
            workspace_ids: vec![self.workspace.id().clone()],
            include_deleted: self.include_deleted,
            limit: page.limit,
            offset: page.offset,
        }
    }

    /// `operation`, with the page's `limit` and `offset` when a page is asked for.
    pub(crate) fn with_page<R>(&self, operation: Operation<R>) -> Operation<R> {
        match self.page {
            Some(page) => operation.with_page(page.limit, page.offset),
            None => operation,
        }
    }
}

/// How listed items are told apart (to see a repeated page) and named (for
/// [`ListItems::name`]; `None` for items without a name, such as jobs).
pub(crate) struct ItemKeys<T> {
    pub(crate) id: fn(&T) -> String,
    pub(crate) name: Option<fn(&T) -> &str>,
}

impl<T> Clone for ItemKeys<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ItemKeys<T> {}

type Fetch<T, Q> =
    Arc<dyn Fn(ListRequest<Q>) -> BoxFuture<'static, Result<ListResponse<T>>> + Send + Sync>;
type Wrap<T, C> = Arc<dyn Fn(&CloudWorkspace, T) -> Result<C> + Send + Sync>;

/// A collection, read lazily: every method of this crate that hands out a collection returns
/// one ([`CloudWorkspace::list_sources`], [`CloudWorkspace::list_tags`],
/// [`CloudConnection::job_history`](crate::CloudConnection::job_history), ...).
///
/// Nothing is sent until the list is streamed ([`ListItems::stream`]) or collected
/// ([`ListItems::collect`], [`ListItems::first`]). `T` is the API's representation of an item
/// (what [`ListItems::filter`] sees), `C` the object handed out (the same type for lists of
/// plain API records), `Q` the list's own filters (`()` for most lists; see
/// [`JobHistory`](crate::JobHistory) for a list with its own builder methods).
///
/// Some lists are paged by the server, some answer in one request; both are bounded by
/// [`ListItems::max_items`] and end on a hostile server with [`Error::Paging`].
///
/// ```no_run
/// # async fn demo(workspace: airbyte_cloud::CloudWorkspace) -> airbyte_cloud::Result<()> {
/// let sources = workspace
///     .list_sources()
///     .filter(|source| source.source_type == "faker")
///     .limit(10)
///     .collect()
///     .await?;
/// let critical = workspace.list_tags().name("critical").first().await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "a list does nothing until streamed or collected"]
pub struct ListItems<T, C, Q = ()> {
    workspace: CloudWorkspace,
    list: &'static str,
    paging: Paging,
    keys: ItemKeys<T>,
    fetch: Fetch<T, Q>,
    wrap: Wrap<T, C>,
    query: Q,
    name: Option<String>,
    predicate: Option<Predicate<T>>,
    limit: Option<usize>,
    offset: u32,
    include_deleted: bool,
    page_size: u32,
    max_items: u64,
}

impl<T, C, Q: fmt::Debug> fmt::Debug for ListItems<T, C, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListItems")
            .field("list", &self.list)
            .field("workspace_id", self.workspace.id())
            .field("query", &self.query)
            .field("name", &self.name)
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("include_deleted", &self.include_deleted)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T, Q> ListItems<T, T, Q>
where
    T: Send + 'static,
    Q: Clone + Send + Sync + 'static,
{
    /// A list of `list` (`sources`, ...), read as `paging` says: `fetch` sends one request
    /// (its page is always set for [`Paging::Offset`]; for [`Paging::OneShot`] it is `None`
    /// for the first request, and set only when the server announced a next page). Items are
    /// handed out as the API sends them until [`ListItems::map`] says otherwise.
    pub(crate) fn new<F, Fut>(
        workspace: &CloudWorkspace,
        paging: Paging,
        list: &'static str,
        keys: ItemKeys<T>,
        query: Q,
        fetch: F,
    ) -> Self
    where
        F: Fn(ListRequest<Q>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ListResponse<T>>> + Send + 'static,
    {
        Self {
            workspace: workspace.clone(),
            list,
            paging,
            keys,
            fetch: Arc::new(move |request| fetch(request).boxed()),
            wrap: Arc::new(|_, item| Ok(item)),
            query,
            name: None,
            predicate: None,
            limit: None,
            offset: 0,
            include_deleted: false,
            page_size: DEFAULT_PAGE_SIZE,
            max_items: workspace.max_list_items(),
        }
    }

    /// Hands out `wrap(item)` instead of the API's item; an error from `wrap` (an item that
    /// fails a check) ends the stream.
    pub(crate) fn map<C>(
        self,
        wrap: impl Fn(&CloudWorkspace, T) -> Result<C> + Send + Sync + 'static,
    ) -> ListItems<T, C, Q> {
        ListItems {
            workspace: self.workspace,
            list: self.list,
            paging: self.paging,
            keys: self.keys,
            fetch: self.fetch,
            wrap: Arc::new(wrap),
            query: self.query,
            name: self.name,
            predicate: self.predicate,
            limit: self.limit,
            offset: self.offset,
            include_deleted: self.include_deleted,
            page_size: self.page_size,
            max_items: self.max_items,
        }
    }
}

impl<T, C, Q> ListItems<T, C, Q>
where
    T: Send + 'static,
    C: Send + 'static,
    Q: Clone + Send + Sync + 'static,
{
    /// The list's own filters, for the builder methods of one kind of list.
    pub(crate) fn query_mut(&mut self) -> &mut Q {
        &mut self.query
    }

    /// Only items with exactly this name (filtered here: the API has no exact-name filter).
    /// Streaming a list of items without a name (jobs) fails with
    /// [`Error::InvalidInput`] before anything is sent.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Only items for which `predicate` is true.
    pub fn filter(mut self, predicate: impl Fn(&T) -> bool + Send + Sync + 'static) -> Self {
        self.predicate = Some(Arc::new(predicate));
        self
    }

    /// At most this many matching items (`None`: all); paging stops once they are found.
    pub fn limit(mut self, limit: impl Into<Option<usize>>) -> Self {
        self.limit = limit.into();
        self
    }

    /// Skips this many items of the list first, as the server orders it, before the name and
    /// the filter apply.
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = offset;
        self
    }

    /// Include deleted items, for lists whose API offers them (sources, destinations,
    /// connections, workspaces); other lists hold no deleted items.
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.include_deleted = include;
        self
    }

    /// The most items the server may send before the list stops with [`Error::Paging`]
    /// (default: the workspace's [`max_list_items`](CloudWorkspace::max_list_items)). Items
    /// that the filters leave out count too: the limit is on what the server sends. A list
    /// answered in one request is refused whole when it holds more.
    pub fn max_items(mut self, max_items: u64) -> Self {
        self.max_items = max_items;
        self
    }

    /// The page size of paged lists, 1 to 100 (default 100, or the [`limit`](Self::limit)
    /// when it is smaller and nothing is filtered). Lists answered in one request ignore it.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, airbyte_models::ops::MAX_PAGE_SIZE);
        self
    }

    /// The matching items, fetched as the stream is read: a paged list one page at a time
    /// (memory holds one page), a one-shot list in its one request. A server that repeats a
    /// page, never ends or sends more than [`max_items`](Self::max_items) ends the stream with
    /// [`Error::Paging`].
    pub fn stream(self) -> ResultStream<C> {
        let Self {
            workspace,
            list,
            paging,
            keys,
            fetch,
            wrap,
            query,
            name,
            predicate,
            limit,
            offset,
            include_deleted,
            page_size,
            max_items,
        } = self;
        if name.is_some() && keys.name.is_none() {
            let error = Error::invalid(format!("{list} have no name to filter on"));
            return Box::pin(stream::once(std::future::ready(Err(error))));
        }
        let unfiltered = name.is_none() && predicate.is_none();
        let page_size = match limit {
            // Nothing is left out, so no more than the limit is ever needed.
            Some(limit) if unfiltered => {
                page_size.min(u32::try_from(limit.max(1)).unwrap_or(u32::MAX))
            }
            _ => page_size,
        };
        let spec = PageSpec {
            list,
            page_size,
            max_items,
            key: keys.id,
        };
        let request = {
            let workspace = workspace.clone();
            move |page: Option<Page>| {
                fetch(ListRequest {
                    workspace: workspace.clone(),
                    query: query.clone(),
                    include_deleted,
                    page,
                })
            }
        };
        let items: ResultStream<T> = match paging {
            Paging::Offset => Box::pin(paginate(spec, offset, move |offset, limit| {
                request(Some(Page { offset, limit }))
            })),
            Paging::OneShot => {
                let skip = usize::try_from(offset).unwrap_or(usize::MAX);
                let all = async move {
                    let items = collect_following_next(spec, |page| {
                        request(page.map(|(offset, limit)| Page { offset, limit }))
                    })
                    .await?;
                    Ok::<_, Error>(stream::iter(items.into_iter().skip(skip).map(Ok)))
                };
                Box::pin(stream::once(all).try_flatten())
            }
        };
        let matching = items.try_filter(move |item| {
            let keep = name.as_ref().is_none_or(|name| {
                keys.name
                    .is_some_and(|name_of| name_of(item) == name.as_str())
            }) && predicate.as_ref().is_none_or(|predicate| predicate(item));
            std::future::ready(keep)
        });
        let handed_out = matching.and_then(move |item| std::future::ready(wrap(&workspace, item)));
        match limit {
            Some(limit) => Box::pin(handed_out.take(limit)),
            None => Box::pin(handed_out),
        }
    }

    /// Every matching item.
    ///
    /// # Errors
    ///
    /// The first error while listing.
    pub async fn collect(self) -> Result<Vec<C>> {
        self.stream().try_collect().await
    }

    /// The first matching item, if any.
    ///
    /// # Errors
    ///
    /// The first error while listing.
    pub async fn first(self) -> Result<Option<C>> {
        self.limit(1).stream().next().await.transpose()
    }
}

/// Awaiting a list collects it: `workspace.list_tags().await?` is
/// `workspace.list_tags().collect().await?`.
impl<T, C, Q> IntoFuture for ListItems<T, C, Q>
where
    T: Send + 'static,
    C: Send + 'static,
    Q: Clone + Send + Sync + 'static,
{
    type Output = Result<Vec<C>>;
    type IntoFuture = BoxFuture<'static, Result<Vec<C>>>;

    fn into_future(self) -> Self::IntoFuture {
        self.collect().boxed()
    }
}
