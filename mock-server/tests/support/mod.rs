//! A plain hyper client for the mock server's tests: no SDK, so the tests witness the wire.

#![allow(dead_code, unreachable_pub)]

use airbyte_mock_server::{MockConfig, MockServer};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

pub const CLIENT_ID: &str = airbyte_mock_server::DEFAULT_CLIENT_ID;
pub const CLIENT_SECRET: &str = airbyte_mock_server::DEFAULT_CLIENT_SECRET;

/// An answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub headers: http::HeaderMap,
    pub bytes: Bytes,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {:?}",
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }
}

/// A raw client bound to one server, with an optional bearer token.
#[derive(Clone)]
pub struct Raw {
    pub base: String,
    pub token: Option<String>,
    /// A raw `Authorization` header, used instead of the token when set.
    pub authorization: Option<String>,
    /// More headers to send.
    pub extra_headers: Vec<(String, String)>,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Raw {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            token: None,
            authorization: None,
            extra_headers: Vec::new(),
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// A client with a token minted from the default credentials.
    pub async fn authenticated(base: &str) -> Self {
        let mut raw = Self::new(base);
        let answer = raw
            .send(
                "POST",
                "/api/public/v1/applications/token",
                Some(json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})),
            )
            .await;
        assert_eq!(answer.status, 200, "{:?}", answer.bytes);
        raw.token = Some(answer.json()["access_token"].as_str().unwrap().to_owned());
        raw
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let bytes = body.map(|body| Bytes::from(body.to_string()));
        self.send_raw(method, path, bytes, Some("application/json"))
            .await
    }

    /// Sends, returning `None` when the connection fails (fault-injection tests).
    pub async fn try_send(&self, method: &str, path: &str, body: Option<Value>) -> Option<Answer> {
        let bytes = body.map(|body| Bytes::from(body.to_string()));
        self.try_send_raw(method, path, bytes, Some("application/json"))
            .await
    }

    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        body: Option<Bytes>,
        content_type: Option<&str>,
    ) -> Answer {
        self.try_send_raw(method, path, body, content_type)
            .await
            .expect("the mock answers")
    }

    async fn try_send_raw(
        &self,
        method: &str,
        path: &str,
        body: Option<Bytes>,
        content_type: Option<&str>,
    ) -> Option<Answer> {
        let mut builder = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(authorization) = &self.authorization {
            builder = builder.header("authorization", authorization.as_str());
        } else if let Some(token) = &self.token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in &self.extra_headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if body.is_some()
            && let Some(content_type) = content_type
        {
            builder = builder.header("content-type", content_type);
        }
        let request = builder.body(Full::new(body.unwrap_or_default())).unwrap();
        let response = self.client.request(request).await.ok()?;
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.ok()?.to_bytes();
        Some(Answer {
            status: parts.status.as_u16(),
            content_type: parts
                .headers
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned()),
            headers: parts.headers,
            bytes,
        })
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send("POST", path, Some(body)).await
    }
}

/// A server with fast jobs.
pub async fn start_fast() -> MockServer {
    MockServer::start(MockConfig {
        job_duration: std::time::Duration::from_millis(400),
        seed: Some(7),
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

/// Polls a job until it is final; bounded in count and time.
pub async fn wait_for_job(raw: &Raw, job_id: i64) -> Value {
    for _ in 0..200 {
        let job = raw
            .get(&format!("/api/public/v1/jobs/{job_id}"))
            .await
            .json();
        if matches!(
            job["status"].as_str(),
            Some("succeeded" | "failed" | "cancelled")
        ) {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("job {job_id} did not finish within 5 s");
}

/// Starts a sync of a connection and returns the job's ID.
pub async fn start_sync(raw: &Raw, connection_id: &str) -> i64 {
    let job = raw
        .post(
            "/api/public/v1/jobs",
            json!({"connectionId": connection_id, "jobType": "sync"}),
        )
        .await
        .json();
    job["jobId"]
        .as_i64()
        .unwrap_or_else(|| panic!("no job started: {job}"))
}

/// A server with fast jobs and a client authenticated against it.
pub async fn started() -> (MockServer, Raw) {
    let server = start_fast().await;
    let raw = Raw::authenticated(&server.base_url()).await;
    (server, raw)
}

/// Asserts that every item of a list answer belongs to `workspace_id`.
pub fn assert_only_in(listed: &Value, workspace_id: &str) {
    let items = listed["data"].as_array().expect("a list answer");
    assert!(
        items.iter().all(|item| item["workspaceId"] == workspace_id),
        "{listed}"
    );
}
