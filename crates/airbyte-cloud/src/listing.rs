//! Listing the resources of a workspace: every page, an exact name, a predicate, a limit.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;

use airbyte_models::ListResponse;
use airbyte_models::ops::{ListParams, Operation};
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};

use crate::paging::{DEFAULT_PAGE_SIZE, PageSpec, paginate};
use crate::{CloudWorkspace, Result};

/// A filter on listed items.
pub type Predicate<T> = Arc<dyn Fn(&T) -> bool + Send + Sync>;

/// Reads a text field (an ID, a name) of a listed item.
type TextOf<T> = fn(&T) -> &str;

/// A boxed stream of results.
pub type ResultStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// Lists resources of a workspace: returned by [`CloudWorkspace::list_sources`],
/// [`CloudWorkspace::list_destinations`] and [`CloudWorkspace::list_connections`]. `T` is the
/// API's representation, `C` the object handed out.
#[must_use = "a list does nothing until streamed or collected"]
pub struct ListItems<T, C> {
    workspace: CloudWorkspace,
    list: &'static str,
    operation: fn(&ListParams) -> Operation<ListResponse<T>>,
    id_of: TextOf<T>,
    name_of: TextOf<T>,
    wrap: fn(CloudWorkspace, T) -> C,
    name: Option<String>,
    predicate: Option<Predicate<T>>,
    limit: Option<usize>,
    include_deleted: bool,
    page_size: u32,
    max_items: u64,
}

impl<T, C> fmt::Debug for ListItems<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListItems")
            .field("workspace_id", self.workspace.id())
            .field("name", &self.name)
            .field("limit", &self.limit)
            .field("include_deleted", &self.include_deleted)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T, C> ListItems<T, C>
where
    T: serde::de::DeserializeOwned + Send + 'static,
    C: Send + 'static,
{
    /// A list of `list` (`sources`, ...): `id_of` tells items apart (to see a repeated page),
    /// `name_of` gives the name to filter on, `wrap` makes the object handed out.
    pub(crate) fn new(
        workspace: &CloudWorkspace,
        list: &'static str,
        operation: fn(&ListParams) -> Operation<ListResponse<T>>,
        (id_of, name_of): (TextOf<T>, TextOf<T>),
        wrap: fn(CloudWorkspace, T) -> C,
    ) -> Self {
        Self {
            workspace: workspace.clone(),
            list,
            operation,
            id_of,
            name_of,
            wrap,
            name: None,
            predicate: None,
            limit: None,
            include_deleted: false,
            page_size: DEFAULT_PAGE_SIZE,
            max_items: workspace.max_list_items(),
        }
    }

    /// Only items with exactly this name (the API has no server-side name filter, so every
    /// page is read).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Only items for which `predicate` is true.
    pub fn filter(mut self, predicate: impl Fn(&T) -> bool + Send + Sync + 'static) -> Self {
        self.predicate = Some(Arc::new(predicate));
        self
    }

    /// At most this many matching items; paging stops once they are found.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Include deleted items.
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.include_deleted = include;
        self
    }

    /// The most items the server may send before paging stops with
    /// [`crate::Error::Paging`] (default: the workspace's
    /// [`max_list_items`](CloudWorkspace::max_list_items)). Items that the filters leave out
    /// count too: the limit is on what the server sends.
    pub fn max_items(mut self, max_items: u64) -> Self {
        self.max_items = max_items;
        self
    }

    /// The page size, 1 to 100 (default 100).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, airbyte_models::ops::MAX_PAGE_SIZE);
        self
    }

    /// The matching items, fetched page by page as the stream is read: memory holds one page.
    /// A server that repeats a page or never ends ends the stream with [`crate::Error::Paging`].
    pub fn stream(self) -> ResultStream<C> {
        let Self {
            workspace,
            list,
            operation,
            id_of,
            name_of,
            wrap,
            name,
            predicate,
            limit,
            include_deleted,
            page_size,
            max_items,
        } = self;
        let fetcher = workspace.clone();
        let spec = PageSpec {
            list,
            page_size,
            max_items,
            key: move |item: &T| id_of(item).to_owned(),
        };
        let pages = paginate(spec, 0, move |offset, limit| {
            let workspace = fetcher.clone();
            async move {
                let params = ListParams {
                    workspace_ids: vec![workspace.id().clone()],
                    include_deleted,
                    limit,
                    offset,
                };
                workspace.execute(operation(&params)).await
            }
        });
        let matching = pages.try_filter(move |item| {
            let keep = name.as_ref().is_none_or(|name| name_of(item) == name)
                && predicate.as_ref().is_none_or(|predicate| predicate(item));
            std::future::ready(keep)
        });
        let items = matching.map_ok(move |item| wrap(workspace.clone(), item));
        match limit {
            Some(limit) => Box::pin(items.take(limit)),
            None => Box::pin(items),
        }
    }

    /// Every matching item.
    ///
    /// # Errors
    ///
    /// The first error while paging.
    pub async fn collect(self) -> Result<Vec<C>> {
        self.stream().try_collect().await
    }

    /// The first matching item, if any.
    ///
    /// # Errors
    ///
    /// The first error while paging.
    pub async fn first(self) -> Result<Option<C>> {
        self.limit(1).stream().next().await.transpose()
    }
}
