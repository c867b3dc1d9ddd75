//! Starts the real server in-process on an ephemeral port with a temporary database.
#![allow(dead_code)]

use std::path::PathBuf;

use cloudflow_devapi::{Config, StartError};
use reqwest::{Method, Response};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const OWNER: &str = "dev-owner-token";
pub const EDITOR: &str = "dev-editor-token";
pub const VIEWER: &str = "dev-viewer-token";

pub struct TestServer {
    pub base: String,
    pub db: PathBuf,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<(), StartError>>>,
}

impl TestServer {
    /// A server on a fresh database, after `tweak` adjusted the configuration.
    pub async fn start(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("devapi.db");
        let mut config = Config::new(&db);
        tweak(&mut config);
        TestServer::start_in(dir, config).await
    }

    /// A server on `config.db` inside `dir` (used to restart on the same file).
    pub async fn start_in(dir: tempfile::TempDir, config: Config) -> TestServer {
        let db = config.db.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(cloudflow_devapi::serve(config, listener, async {
            let _ = rx.await;
        }));
        let server = TestServer {
            base: format!("http://{addr}"),
            db,
            dir,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
            handle: Some(handle),
        };
        // Wait until it answers (prepare() runs before serving).
        for _ in 0..200 {
            if let Ok(r) = server.http.get(server.url("/healthz")).send().await {
                if r.status() == 200 {
                    return server;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the server did not start");
    }

    /// Stops the server and hands back its directory (with the database file) for a restart.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.expect("join").expect("server ran cleanly");
        }
        self.dir
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn req(&self, method: Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(token)
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.req(Method::GET, path, token)
            .send()
            .await
            .expect("GET")
    }

    /// POST /cloudflow/v1/connections with a JSON body and an Idempotency-Key.
    pub async fn create(&self, body: &Value, key: &str) -> Response {
        self.req(Method::POST, "/cloudflow/v1/connections", OWNER)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// Every connection, following pageToken to the end.
    pub async fn all_connections(&self) -> Vec<Value> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let path = match &token {
                Some(t) => format!("/cloudflow/v1/connections?maxResults=100&pageToken={t}"),
                None => "/cloudflow/v1/connections?maxResults=100".to_owned(),
            };
            let r = self.get(&path, OWNER).await;
            assert_eq!(r.status(), 200);
            let page: Value = r.json().await.expect("json");
            out.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["pageToken"].as_str() {
                Some(t) => token = Some(t.to_owned()),
                None => return out,
            }
        }
    }
}

/// A valid create request with the given name (uses accounts and users of the demo seed).
pub fn request(name: &str) -> Value {
    json!({
        "name": name,
        "description": "made by a test",
        "awsConfig": {
            "roleName": "CloudFlowTestRole",
            "context": [
                {"accountId": "000123456789", "regions": ["eu-west-1", "us-east-1"]},
                {"accountId": "123456789012", "regions": []}
            ],
            "permissions": {
                "awsManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                "actions": ["s3:GetObject", "ec2:Describe*"]
            }
        },
        "collaborators": [
            {"email": "priya.natarajan@example.com", "role": "owner"},
            {"email": "marcus.webb@example.com", "role": "editor"}
        ],
        "enabled": true
    })
}

/// Asserts a problem+json answer with this status and code; returns the body.
pub async fn problem(r: Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status().as_u16(), status, "status");
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(ct, "application/problem+json");
    let rid = r
        .headers()
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body: Value = r.json().await.expect("problem json");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    for key in ["type", "title", "detail", "instance"] {
        assert!(
            body[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key} in {body}"
        );
    }
    assert!(body["retryable"].is_boolean());
    assert!(
        body["instance"].as_str().is_some_and(|i| i.ends_with(&rid)),
        "{body} {rid}"
    );
    body
}

pub fn header(r: &Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
