//! Descriptions of API operations, without IO.
//!
//! Each function in [`public`] and [`config`] returns an [`Operation`]: the method, the API it
//! belongs to, the path template and its parameters, the query, the JSON body, whether it is
//! safe to re-send, and the type its answer decodes to. A transport (such as the
//! `airbyte-transport` crate) executes it; tests can inspect it without any network.
//!
//! ```
//! use airbyte_models::ops;
//! use airbyte_models::SourceId;
//!
//! let id: SourceId = "a/b?c".parse().unwrap();
//! let op = ops::public::sources::get(&id);
//! assert_eq!(op.method().as_str(), "GET");
//! assert_eq!(op.path_template(), "/sources/{sourceId}");
//! // Path parameters are percent-encoded, so an ID can never change the path or the query.
//! assert_eq!(op.path(), "/sources/a%2Fb%3Fc");
//! assert!(op.is_idempotent());
//! ```

pub mod config;
mod params;
pub mod public;
pub mod registry;

use std::fmt;
use std::marker::PhantomData;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

pub use params::{
    ConnectionListParams, JobListParams, JobOrder, JobOrderField, ListParams, MAX_PAGE_SIZE,
    PageParams, PermissionListParams, SortDirection, UserListParams,
};
pub use registry::OperationDef;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which API an operation belongs to, and so which root it is sent to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Api {
    /// The Public API (`https://api.airbyte.com/v1`).
    Public,
    /// The Config API (`https://cloud.airbyte.com/api/v1`).
    Config,
}

/// What a successful answer carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseKind {
    /// A JSON body that decodes to the operation's response type.
    Json,
    /// Nothing of interest (204, or a body to ignore); the response type is `()`.
    Empty,
    /// A redirect (`302`): the answer is its `Location`, as a [`Redirect`](crate::Redirect).
    Redirect,
}

/// Characters left as they are in a path segment or query value: RFC 3986 unreserved
/// characters except `.`, so that `.` and `..` can never act as path navigation.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// The bytes [`COMPONENT`] leaves as they are, as a table.
static UNENCODED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let c = byte as u8;
        table[byte] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'~';
        byte += 1;
    }
    table
};

/// Percent-encodes one path segment or query component.
#[must_use]
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// Appends `value` percent-encoded as [`encode_component`] does, without an intermediate string.
fn write_encoded(out: &mut String, value: &str) {
    // Every request's URL passes here, and IDs (UUIDs) need no encoding: one table look-up a
    // byte, without stopping early.
    let unreserved = value
        .bytes()
        .fold(true, |all, byte| all & UNENCODED[usize::from(byte)]);
    if unreserved {
        out.push_str(value);
    } else {
        out.extend(utf8_percent_encode(value, COMPONENT));
    }
}

/// One API operation, ready to be executed by a transport. `R` is the type of its answer.
pub struct Operation<R> {
    def: &'static OperationDef,
    path_params: Vec<String>,
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    invalid: Option<String>,
    idempotent: bool,
    long_running: bool,
    response: ResponseKind,
    _response: PhantomData<fn() -> R>,
}

impl<R> Clone for Operation<R> {
    fn clone(&self) -> Self {
        Self {
            def: self.def,
            path_params: self.path_params.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            invalid: self.invalid.clone(),
            idempotent: self.idempotent,
            long_running: self.long_running,
            response: self.response,
            _response: PhantomData,
        }
    }
}

impl<R> fmt::Debug for Operation<R> {
    /// Shows where the operation goes, never its body (which may hold secrets).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.def.name)
            .field("api", &self.def.api)
            .field("method", &self.def.method)
            .field("path_template", &self.def.path)
            .field("has_body", &self.body.is_some())
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

impl<R> Operation<R> {
    /// A new operation of a registry entry, with the values of its path parameters in order.
    /// Its method, path, idempotency and authentication come from the entry.
    pub(crate) fn new(def: &'static OperationDef, path_params: Vec<String>) -> Self {
        debug_assert_eq!(def.path_params().len(), path_params.len(), "{}", def.name);
        Self {
            def,
            path_params,
            query: Vec::new(),
            body: None,
            invalid: None,
            idempotent: def.idempotent,
            long_running: false,
            response: ResponseKind::Json,
            _response: PhantomData,
        }
    }

    /// Adds a query parameter.
    pub(crate) fn query(mut self, key: &'static str, value: impl ToString) -> Self {
        self.query.push((key, value.to_string()));
        self
    }

    /// Asks for one page of a list whose operation has no paging parameters of its own: the
    /// custom definition lists, which servers do not page today although their envelope
    /// declares `next`. `limit` and `offset` are the ones a `next` link names.
    #[must_use]
    pub fn with_page(self, limit: u32, offset: u32) -> Self {
        self.query("limit", limit).query("offset", offset)
    }

    /// Adds a query parameter when the value is present.
    pub(crate) fn query_opt(self, key: &'static str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    /// Sets the JSON body. A body that cannot be serialized makes the operation invalid, which
    /// the transport reports before sending anything.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(error) => {
                self.invalid = Some(format!("the request body cannot be encoded: {error}"))
            }
        }
        self
    }

    /// Marks the operation invalid: a transport must refuse to send it.
    pub(crate) fn invalid_if(mut self, reason: Option<String>) -> Self {
        if self.invalid.is_none() {
            self.invalid = reason;
        }
        self
    }

    /// Marks the operation as safe (or not) to send twice.
    #[must_use]
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Marks the operation as slow on the server (connection checks, schema discovery), so a
    /// transport can give it a longer timeout.
    pub(crate) fn long_running(mut self) -> Self {
        self.long_running = true;
        self
    }

    /// Marks the answer as carrying nothing of interest.
    pub(crate) fn empty_response(mut self) -> Self {
        self.response = ResponseKind::Empty;
        self
    }

    /// Marks the answer as a redirect, whose `Location` is the result.
    pub(crate) fn redirect_response(mut self) -> Self {
        self.response = ResponseKind::Redirect;
        self
    }

    /// The registry entry this operation was built from.
    #[must_use]
    pub fn def(&self) -> &'static OperationDef {
        self.def
    }

    /// A stable name for logs and metrics, such as `sources.get`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.def.name
    }

    /// The specification's operation ID, such as `getSource`.
    #[must_use]
    pub fn operation_id(&self) -> &'static str {
        self.def.operation_id
    }

    /// The API the operation belongs to.
    #[must_use]
    pub fn api(&self) -> Api {
        self.def.api
    }

    /// The HTTP method.
    #[must_use]
    pub fn method(&self) -> Method {
        self.def.method
    }

    /// The path template relative to the API root, such as `/sources/{sourceId}`. Safe to log.
    #[must_use]
    pub fn path_template(&self) -> &'static str {
        self.def.path
    }

    /// The path relative to the API root, with each parameter percent-encoded as one segment.
    #[must_use]
    pub fn path(&self) -> String {
        let mut out = String::with_capacity(self.def.path.len() + 40);
        self.write_path(&mut out);
        out
    }

    fn write_path(&self, out: &mut String) {
        // Templates are short: a plain byte scan is cheaper than `str::find`'s searcher.
        let find = |text: &str, wanted: u8| text.bytes().position(|byte| byte == wanted);
        let mut params = self.path_params.iter();
        let mut rest = self.def.path;
        while let Some(start) = find(rest, b'{') {
            out.push_str(&rest[..start]);
            let Some(end) = find(&rest[start..], b'}') else {
                break;
            };
            if let Some(param) = params.next() {
                write_encoded(out, param);
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
    }

    /// The query parameters, not encoded.
    #[must_use]
    pub fn query_pairs(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// The encoded query string without the leading `?` (empty when there is none).
    #[must_use]
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        self.write_query(&mut out);
        out
    }

    /// The path and query, as appended to the API root.
    #[must_use]
    pub fn path_and_query(&self) -> String {
        self.url_from("")
    }

    /// Appends the path and query to `root` (an API root without a trailing slash) in one
    /// buffer: the URL of every request is built here, so it allocates once.
    #[must_use]
    pub fn url_from(&self, root: &str) -> String {
        // Unencoded lengths, plus room for some percent-encoding: one allocation in practice.
        let params: usize = self.path_params.iter().map(String::len).sum();
        let query: usize = self
            .query
            .iter()
            .map(|(key, value)| key.len() + value.len() + 2)
            .sum();
        let mut out = String::with_capacity(root.len() + self.def.path.len() + params + query + 16);
        out.push_str(root);
        self.write_path(&mut out);
        if !self.query.is_empty() {
            out.push('?');
            self.write_query(&mut out);
        }
        out
    }

    /// Writes `key=value&...` with each value percent-encoded.
    fn write_query(&self, out: &mut String) {
        for (index, (key, value)) in self.query.iter().enumerate() {
            if index > 0 {
                out.push('&');
            }
            out.push_str(key);
            out.push('=');
            write_encoded(out, value);
        }
    }

    /// The JSON body, if any.
    #[must_use]
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// Why the operation must not be sent, when it is invalid (a page size out of range, a
    /// body that cannot be encoded, ...).
    #[must_use]
    pub fn invalid_reason(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// Whether sending the operation twice has the same effect as sending it once.
    #[must_use]
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// Whether the operation needs credentials.
    #[must_use]
    pub fn requires_auth(&self) -> bool {
        self.def.authenticated
    }

    /// Whether the server may take long to answer.
    #[must_use]
    pub fn is_long_running(&self) -> bool {
        self.long_running
    }

    /// What a successful answer carries.
    #[must_use]
    pub fn response_kind(&self) -> ResponseKind {
        self.response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SourceId, WorkspaceId};

    #[test]
    fn the_unencoded_fast_path_writes_what_percent_encoding_writes() {
        let mut samples: Vec<String> = [
            "0c31738c-0b2d-4887-b506-e2cd1c39cc35",
            "ABC_def~123",
            "",
            ".",
            "..",
            "a.b",
            "a/b?c",
            "a b",
            "%2F",
            "é",
            "x#y&z=1",
        ]
        .iter()
        .map(|sample| (*sample).to_owned())
        .collect();
        samples.extend((0u8..128).map(|byte| format!("id{}x", char::from(byte))));
        for sample in samples {
            let mut written = String::new();
            write_encoded(&mut written, &sample);
            assert_eq!(written, encode_component(&sample), "{sample:?}");
        }
    }

    #[test]
    fn the_url_is_the_root_then_the_encoded_path_and_query() {
        let id = SourceId::new("a/b").unwrap();
        let get = public::sources::get(&id);
        assert_eq!(get.path_and_query(), "/sources/a%2Fb");
        assert_eq!(
            get.url_from("http://127.0.0.1:8000/api/public/v1"),
            "http://127.0.0.1:8000/api/public/v1/sources/a%2Fb"
        );
        let list = public::sources::list(&params::ListParams {
            workspace_ids: vec![
                WorkspaceId::new("w 1").unwrap(),
                WorkspaceId::new("w&2").unwrap(),
            ],
            limit: 5,
            offset: 10,
            ..params::ListParams::default()
        });
        let url = list.url_from("https://api.airbyte.com/v1");
        let (path, query) = url.split_once('?').expect("a query");
        assert_eq!(path, "https://api.airbyte.com/v1/sources");
        let pairs: Vec<&str> = query.split('&').collect();
        assert!(pairs.contains(&"workspaceIds=w%201"), "{query}");
        assert!(pairs.contains(&"workspaceIds=w%262"), "{query}");
        assert!(
            pairs.contains(&"limit=5") && pairs.contains(&"offset=10"),
            "{query}"
        );
        assert_eq!(
            list.path_and_query(),
            url.trim_start_matches("https://api.airbyte.com/v1")
        );
    }

    #[test]
    fn hostile_ids_stay_inside_one_segment() {
        for (raw, encoded) in [
            ("a/b", "a%2Fb"),
            ("a?b=c", "a%3Fb%3Dc"),
            ("a#frag", "a%23frag"),
            ("../../admin", "%2E%2E%2F%2E%2E%2Fadmin"),
            ("spaced out", "spaced%20out"),
            ("é", "%C3%A9"),
        ] {
            let id = SourceId::new(raw).unwrap();
            assert_eq!(
                public::sources::get(&id).path(),
                format!("/sources/{encoded}")
            );
        }
        assert!(SourceId::new("..").is_err());
        assert!(SourceId::new(".").is_err());
        assert!(SourceId::new("...").is_ok());
        let workspace = WorkspaceId::new("w/1").unwrap();
        let definition = crate::DefinitionId::new("d?2").unwrap();
        assert_eq!(
            public::declarative_source_definitions::get(&workspace, &definition).path(),
            "/workspaces/w%2F1/definitions/declarative_sources/d%3F2"
        );
    }

    #[test]
    fn query_values_are_encoded() {
        let params = ListParams {
            workspace_ids: vec![WorkspaceId::new("a&b").unwrap()],
            ..ListParams::default()
        };
        let op = public::sources::list(&params);
        assert_eq!(
            op.query_string(),
            "workspaceIds=a%26b&includeDeleted=false&limit=20&offset=0"
        );
    }

    #[test]
    fn a_page_of_an_unpaged_list_names_its_limit_and_offset() {
        let workspace = WorkspaceId::new("w").unwrap();
        let first = public::declarative_source_definitions::list(&workspace);
        assert_eq!(first.query_string(), "");
        assert_eq!(
            first.with_page(50, 100).query_string(),
            "limit=50&offset=100"
        );
    }
}
