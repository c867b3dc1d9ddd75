//! The client of DoiT's REST API (shared/design/doit-api.md): bearer auth,
//! typed problem+json errors, pagination, idempotency keys and dry runs.
//! Every request is aborted when its future is dropped (a page left, a resource
//! re-run), through an `AbortController` owned by the future.

use std::fmt;

use cloudflow_core::CreateConnectionRequest;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::AppConfig;
use crate::paths::encode_component;

/// One `details[]` entry of a problem: which request field is wrong and why.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct ProblemDetail {
    pub issue: String,
    pub field: Option<String>,
}

/// An RFC 9457 problem document as DoiT's API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub instance: String,
    pub code: String,
    pub retryable: bool,
    pub details: Vec<ProblemDetail>,
}

/// Why a call failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, connection refused, aborted).
    Network(String),
    /// The API answered with an error status.
    Status {
        status: u16,
        problem: Problem,
        request_id: Option<String>,
        retry_after: Option<u32>,
    },
    /// The API answered 2xx with a body this client cannot read.
    Decode(String),
}

impl ApiError {
    /// Network errors, 5xx and 429 are worth retrying, and a 409 saying the same
    /// Idempotency-Key is still being worked on (an earlier try of this request that
    /// timed out on our side, or another tab): the retry then gets its answer replayed.
    /// Other 4xx never are.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Status {
                status, problem, ..
            } => {
                *status == 429
                    || *status >= 500
                    || (*status == 409 && problem.code == "idempotency_request_in_progress")
            }
            ApiError::Decode(_) => false,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Status { problem, .. } => Some(problem),
            _ => None,
        }
    }

    pub fn code(&self) -> &str {
        self.problem().map(|p| p.code.as_str()).unwrap_or("")
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Status { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    pub fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(_) => write!(
                f,
                "The DoiT API cannot be reached: check your network connection. Nothing you typed is lost."
            ),
            ApiError::Status {
                status, problem, ..
            } => {
                let text = [&problem.detail, &problem.title]
                    .into_iter()
                    .find(|s| !s.trim().is_empty())
                    .cloned()
                    .unwrap_or_else(|| format!("The DoiT API answered with status {status}."));
                write!(f, "{text}")
            }
            ApiError::Decode(e) => write!(f, "The DoiT API sent an answer this page cannot read ({e})."),
        }
    }
}

/// `GET /auth/v1/validate`
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct Me {
    pub email: String,
    pub domain: String,
}

/// A user of the organisation (`GET /iam/v1/users`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub role_id: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct Users {
    users: Vec<User>,
}

/// A DoiT role and the permission ids it holds (`GET /iam/v1/roles`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct Role {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct Roles {
    roles: Vec<Role>,
}

/// An AWS account of the tenant (`GET /billing/v1/assets?filter=type:amazon-web-services`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Asset {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub account_id: String,
    pub display_name: String,
}

impl Asset {
    /// The 12-digit account id: the explicit field, else the asset id's last segment.
    pub fn aws_account_id(&self) -> String {
        if !self.account_id.is_empty() {
            return self.account_id.clone();
        }
        self.id
            .rsplit([':', '/', '-'])
            .next()
            .unwrap_or(&self.id)
            .to_owned()
    }

    pub fn label(&self) -> &str {
        if self.display_name.is_empty() {
            &self.name
        } else {
            &self.display_name
        }
    }
}

/// The server-owned status of one account of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountStatus {
    pub account_id: String,
    pub regions: Vec<String>,
    pub status: String,
    pub status_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectionAwsConfig {
    pub role_name: String,
    pub context: Vec<AccountStatus>,
    pub permissions: cloudflow_core::Permissions,
    pub management_account: Option<String>,
    pub organization_root_id: Option<String>,
    pub scope_targeted_organizational_unit_ids: Vec<String>,
    pub external_id: Option<String>,
}

/// A CloudFlow connection as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Connection {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub cloud_provider: String,
    pub status: String,
    pub status_message: Option<String>,
    pub enabled: bool,
    pub aws_config: Option<ConnectionAwsConfig>,
    pub collaborators: Vec<cloudflow_core::Collaborator>,
    pub create_time: Option<String>,
    pub update_time: Option<String>,
    pub etag: Option<String>,
    pub external_id: Option<String>,
}

impl Connection {
    /// The external id, wherever the server put it.
    pub fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref().or_else(|| {
            self.aws_config
                .as_ref()
                .and_then(|a| a.external_id.as_deref())
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page<T> {
    #[serde(alias = "assets", alias = "connections", default = "Vec::new")]
    items: Vec<T>,
    #[serde(default)]
    page_token: Option<String>,
}

/// Aborts the fetch it guards when dropped before the fetch finished.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl AbortOnDrop {
    fn new() -> AbortOnDrop {
        AbortOnDrop(web_sys::AbortController::new().ok())
    }
    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.0.as_ref().map(|c| c.signal())
    }
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

/// A handle on DoiT's API, cheap to clone. The token lives here, in memory only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Api {
    base: String,
    token: Option<String>,
    tenant: Option<String>,
}

impl Api {
    pub fn new(cfg: &AppConfig) -> Api {
        Api {
            base: cfg.api_base_url.clone(),
            token: cfg.token.clone(),
            tenant: cfg.tenant_id.clone(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn with_auth(&self, mut rb: RequestBuilder) -> RequestBuilder {
        rb = rb.header("Accept", "application/json, application/problem+json");
        if let Some(t) = &self.token {
            rb = rb.header("Authorization", &format!("Bearer {t}"));
        }
        if let Some(t) = &self.tenant {
            rb = rb.header("X-Tenant-Id", t);
        }
        rb
    }

    fn connection_url(&self, id: &str) -> String {
        self.url(&format!(
            "/cloudflow/v1/connections/{}",
            encode_component(id)
        ))
    }

    /// Sends one request; `body` is `(content type, text)`.
    async fn send(
        &self,
        rb: RequestBuilder,
        body: Option<(&str, String)>,
    ) -> Result<Response, ApiError> {
        let guard = AbortOnDrop::new();
        let rb = self.with_auth(rb).abort_signal(guard.signal().as_ref());
        let req = match body {
            Some((content_type, text)) => rb.header("Content-Type", content_type).body(text),
            None => rb.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;
        let resp = req
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        guard.disarm();
        if resp.ok() {
            Ok(resp)
        } else {
            Err(error_from(resp).await)
        }
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let resp = self.send(Request::get(&self.url(path)), None).await?;
        resp.json::<T>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// Every item of a paged collection, `page_size` (the collection's largest
    /// `maxResults`) at a time.
    async fn get_all<T: DeserializeOwned>(
        &self,
        path: &str,
        page_size: u32,
    ) -> Result<Vec<T>, ApiError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let url = match &token {
                Some(t) => format!(
                    "{path}{sep}maxResults={page_size}&pageToken={}",
                    encode_component(t)
                ),
                None => format!("{path}{sep}maxResults={page_size}"),
            };
            let page: Page<T> = self.get_json(&url).await?;
            items.extend(page.items);
            match page.page_token.filter(|t| !t.is_empty()) {
                Some(t) if Some(&t) != token.as_ref() => token = Some(t),
                _ => return Ok(items),
            }
        }
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        self.get_json("/auth/v1/validate").await
    }

    pub async fn users(&self, email: Option<&str>) -> Result<Vec<User>, ApiError> {
        let path = match email {
            Some(e) => format!("/iam/v1/users?email={}", encode_component(e)),
            None => "/iam/v1/users".to_owned(),
        };
        Ok(self.get_json::<Users>(&path).await?.users)
    }

    pub async fn roles(&self) -> Result<Vec<Role>, ApiError> {
        Ok(self.get_json::<Roles>("/iam/v1/roles").await?.roles)
    }

    pub async fn aws_accounts(&self) -> Result<Vec<Asset>, ApiError> {
        // 1,000 a page: ten requests for a 10,000-account tenant.
        self.get_all("/billing/v1/assets?filter=type:amazon-web-services", 1000)
            .await
    }

    pub async fn connections(&self) -> Result<Vec<Connection>, ApiError> {
        self.get_all("/cloudflow/v1/connections", 100).await
    }

    pub async fn connection(&self, id: &str) -> Result<(Connection, Option<String>), ApiError> {
        let resp = self
            .send(Request::get(&self.connection_url(id)), None)
            .await?;
        with_etag(resp).await
    }

    /// `POST /cloudflow/v1/connections` (with `?dryRun=true` when `dry_run`).
    pub async fn create_connection(
        &self,
        req: &CreateConnectionRequest,
        idempotency_key: &str,
        dry_run: bool,
    ) -> Result<Connection, ApiError> {
        let path = if dry_run {
            "/cloudflow/v1/connections?dryRun=true"
        } else {
            "/cloudflow/v1/connections"
        };
        let body = serde_json::to_string(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        let rb = Request::post(&self.url(path)).header("Idempotency-Key", idempotency_key);
        let resp = self.send(rb, Some(("application/json", body))).await?;
        resp.json::<Connection>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// `PATCH` `{enabled}` (merge patch) with `If-Match`.
    pub async fn set_enabled(
        &self,
        id: &str,
        enabled: bool,
        etag: &str,
        idempotency_key: &str,
    ) -> Result<(Connection, Option<String>), ApiError> {
        let rb = Request::patch(&self.connection_url(id))
            .header("If-Match", etag)
            .header("Idempotency-Key", idempotency_key);
        let body = serde_json::json!({ "enabled": enabled }).to_string();
        let resp = self
            .send(rb, Some(("application/merge-patch+json", body)))
            .await?;
        with_etag(resp).await
    }

    /// `DELETE` with `If-Match`.
    pub async fn delete_connection(
        &self,
        id: &str,
        etag: &str,
        idempotency_key: &str,
    ) -> Result<(), ApiError> {
        let rb = Request::delete(&self.connection_url(id))
            .header("If-Match", etag)
            .header("Idempotency-Key", idempotency_key);
        self.send(rb, None).await.map(|_| ())
    }
}

/// A connection answer with the `ETag` to send back as `If-Match`.
async fn with_etag(resp: Response) -> Result<(Connection, Option<String>), ApiError> {
    let etag = resp.headers().get("ETag");
    let c = resp
        .json::<Connection>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    Ok((c, etag))
}

async fn error_from(resp: Response) -> ApiError {
    let status = resp.status();
    let request_id = resp.headers().get("Request-Id");
    let retry_after = resp
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse().ok());
    let text = resp.text().await.unwrap_or_default();
    let problem = serde_json::from_str::<Problem>(&text).unwrap_or_else(|_| Problem {
        status,
        title: resp.status_text(),
        ..Problem::default()
    });
    ApiError::Status {
        status,
        problem,
        request_id,
        retry_after,
    }
}
