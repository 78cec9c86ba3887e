//! Listing the resources of a workspace: every page, an exact name, a predicate, a limit.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;

use airbyte_models::ListResponse;
use airbyte_models::ops::{ListParams, Operation};
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};

use crate::paging::{DEFAULT_PAGE_SIZE, paginate};
use crate::{CloudWorkspace, Result};

/// A filter on listed items.
pub type Predicate<T> = Arc<dyn Fn(&T) -> bool + Send + Sync>;

/// A boxed stream of results.
pub type ResultStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// Lists resources of a workspace: returned by [`CloudWorkspace::list_sources`],
/// [`CloudWorkspace::list_destinations`] and [`CloudWorkspace::list_connections`]. `T` is the
/// API's representation, `C` the object handed out.
#[must_use = "a list does nothing until streamed or collected"]
pub struct ListItems<T, C> {
    workspace: CloudWorkspace,
    operation: fn(&ListParams) -> Operation<ListResponse<T>>,
    name_of: fn(&T) -> &str,
    wrap: fn(CloudWorkspace, T) -> C,
    name: Option<String>,
    predicate: Option<Predicate<T>>,
    limit: Option<usize>,
    include_deleted: bool,
    page_size: u32,
}

impl<T, C> fmt::Debug for ListItems<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListItems")
            .field("workspace_id", self.workspace.id())
            .field("name", &self.name)
            .field("limit", &self.limit)
            .field("include_deleted", &self.include_deleted)
            .finish_non_exhaustive()
    }
}

impl<T, C> ListItems<T, C>
where
    T: serde::de::DeserializeOwned + Send + 'static,
    C: Send + 'static,
{
    pub(crate) fn new(
        workspace: &CloudWorkspace,
        operation: fn(&ListParams) -> Operation<ListResponse<T>>,
        name_of: fn(&T) -> &str,
        wrap: fn(CloudWorkspace, T) -> C,
    ) -> Self {
        Self {
            workspace: workspace.clone(),
            operation,
            name_of,
            wrap,
            name: None,
            predicate: None,
            limit: None,
            include_deleted: false,
            page_size: DEFAULT_PAGE_SIZE,
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

    /// The page size, 1 to 100 (default 100).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, airbyte_models::ops::MAX_PAGE_SIZE);
        self
    }

    /// The matching items, fetched page by page as the stream is read: memory holds one page.
    pub fn stream(self) -> ResultStream<C> {
        let Self {
            workspace,
            operation,
            name_of,
            wrap,
            name,
            predicate,
            limit,
            include_deleted,
            page_size,
        } = self;
        let fetcher = workspace.clone();
        let pages = paginate(page_size, 0, move |offset, limit| {
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
