//! The client of DoiT's REST API (shared/design/doit-api.md). It works against both published
//! documents by feature detection, never by assumption: it reads the core's tolerant wire types
//! (`connectionId` or `id`, `createdAt` or `createTime`, `{"error"}` or problem+json), sends
//! `Idempotency-Key` always (harmless where unknown), `If-Match` only with an ETag the server
//! gave, and never asks for a dry run (a server of the released document would create).
//! Every request is aborted when its future is dropped (a page left, a resource re-run),
//! through an `AbortController` owned by the future.

use std::fmt;

use cloudflow_core::wire::{FromJson, Page, RoleList, UserList, Validate};
use cloudflow_core::{ConnectionPatch, CreateConnectionRequest};
use gloo_net::http::{Request, RequestBuilder, Response};

pub use cloudflow_core::wire::{
    AccountState, Asset, Connection, ProblemDetails, Role, Status, User,
};

use crate::config::AppConfig;
use crate::paths::encode_component;

/// Why a call failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, connection refused, aborted).
    Network(String),
    /// The API answered with an error status.
    Status {
        status: u16,
        /// Boxed: a problem is large, and errors travel through every `Result`.
        problem: Box<ProblemDetails>,
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
                    || (*status == 409 && problem.code() == "idempotency_request_in_progress")
            }
            ApiError::Decode(_) => false,
        }
    }

    /// Whether the request may have been carried out although no answer says so: the
    /// network dropped it, or a server or gateway failed (5xx) after the work may have
    /// been done. A create must then look before it posts again.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Status { status, .. } => *status >= 500,
            ApiError::Decode(_) => false,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn problem(&self) -> Option<&ProblemDetails> {
        match self {
            ApiError::Status { problem, .. } => Some(problem.as_ref()),
            _ => None,
        }
    }

    /// The error code without a namespace, `""` when the server sent none.
    pub fn code(&self) -> &str {
        self.problem().map(ProblemDetails::code).unwrap_or("")
    }

    /// `details[]` as a person reads them: `field: issue`, or the issue alone.
    pub fn issues(&self) -> Vec<String> {
        self.problem()
            .map(|p| {
                p.details
                    .iter()
                    .filter(|d| !d.issue.trim().is_empty())
                    .map(|d| match &d.field {
                        Some(f) if !f.is_empty() => format!("{f}: {}", d.issue),
                        _ => d.issue.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
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
        use crate::i18n::fill;
        let t = crate::i18n::t();
        f.write_str(&match self {
            ApiError::Network(_) => t.api_unreachable.to_owned(),
            ApiError::Status {
                status, problem, ..
            } => match problem.message() {
                Some(text) => crate::i18n::server_message(t, problem.code(), text),
                None => fill(t.api_status, &[status]),
            },
            ApiError::Decode(e) => fill(t.api_unreadable, &[e]),
        })
    }
}

/// The Request-Id of an error answer: the header (pre-release), else the end of the
/// problem's `instance` when it names a request.
fn request_id_of(header: Option<String>, problem: &ProblemDetails) -> Option<String> {
    header.filter(|h| !h.is_empty()).or_else(|| {
        let instance = problem.instance.as_deref()?;
        let last = instance.rsplit([':', '/']).next()?;
        last.starts_with("req_").then(|| last.to_owned())
    })
}

/// A connection and the version to send back as `If-Match`, when the server gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    pub connection: Connection,
    pub etag: Option<String>,
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

    async fn get_value(&self, path: &str) -> Result<serde_json::Value, ApiError> {
        let resp = self.send(Request::get(&self.url(path)), None).await?;
        read_value(resp).await
    }

    async fn get_json<T: FromJson>(&self, path: &str) -> Result<T, ApiError> {
        Ok(T::from_json(&self.get_value(path).await?))
    }

    /// Every item of a paged collection, `page_size` (the collection's largest
    /// `maxResults`) at a time.
    async fn get_all<T: FromJson>(&self, path: &str, page_size: u32) -> Result<Vec<T>, ApiError> {
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
            let page = Page::<T>::read(&self.get_value(&url).await?);
            items.extend(page.items);
            match page.page_token.filter(|t| !t.is_empty()) {
                Some(t) if Some(&t) != token.as_ref() => token = Some(t),
                _ => return Ok(items),
            }
        }
    }

    pub async fn me(&self) -> Result<Validate, ApiError> {
        self.get_json("/auth/v1/validate").await
    }

    pub async fn users(&self, email: Option<&str>) -> Result<Vec<User>, ApiError> {
        let path = match email {
            Some(e) => format!("/iam/v1/users?email={}", encode_component(e)),
            None => "/iam/v1/users".to_owned(),
        };
        Ok(self.get_json::<UserList>(&path).await?.users)
    }

    pub async fn roles(&self) -> Result<Vec<Role>, ApiError> {
        Ok(self.get_json::<RoleList>("/iam/v1/roles").await?.roles)
    }

    pub async fn aws_accounts(&self) -> Result<Vec<Asset>, ApiError> {
        // 1,000 a page: ten requests for a 10,000-account tenant.
        self.get_all("/billing/v1/assets?filter=type:amazon-web-services", 1000)
            .await
    }

    /// Every connection, 100 a page (the most both documents allow).
    pub async fn connections(&self) -> Result<Vec<Connection>, ApiError> {
        self.get_all("/cloudflow/v1/connections", 100).await
    }

    pub async fn connection(&self, id: &str) -> Result<Versioned, ApiError> {
        let resp = self
            .send(Request::get(&self.connection_url(id)), None)
            .await?;
        versioned(resp).await
    }

    /// `POST /cloudflow/v1/connections`. (Never with `?dryRun=true`: a server of the released
    /// document ignores it and creates the connection.)
    pub async fn create_connection(
        &self,
        req: &CreateConnectionRequest,
        idempotency_key: &str,
    ) -> Result<Versioned, ApiError> {
        let body = serde_json::to_string(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        let rb = Request::post(&self.url("/cloudflow/v1/connections"))
            .header("Idempotency-Key", idempotency_key);
        let resp = self.send(rb, Some(("application/json", body))).await?;
        versioned(resp).await
    }

    /// `PATCH` (`application/json`, which both documents accept) with `If-Match` when the
    /// server gave an ETag.
    pub async fn patch_connection(
        &self,
        id: &str,
        patch: &ConnectionPatch,
        etag: Option<&str>,
        idempotency_key: &str,
    ) -> Result<Versioned, ApiError> {
        let mut rb =
            Request::patch(&self.connection_url(id)).header("Idempotency-Key", idempotency_key);
        if let Some(etag) = etag {
            rb = rb.header("If-Match", etag);
        }
        let body = serde_json::to_string(patch).map_err(|e| ApiError::Decode(e.to_string()))?;
        let resp = self.send(rb, Some(("application/json", body))).await?;
        versioned(resp).await
    }

    /// Deletes a connection, retrying with back-off; a connection that is gone already (an
    /// earlier try whose answer was lost, or someone else) counts as deleted.
    pub async fn delete_for_good(
        &self,
        id: &str,
        etag: Option<&str>,
        idempotency_key: &str,
    ) -> Result<(), ApiError> {
        let result = crate::retry::with_retries(
            || self.delete_connection(id, etag, idempotency_key),
            |_, _, _| (),
        )
        .await;
        match result {
            Err(ApiError::Status { status: 404, .. }) => Ok(()),
            other => other,
        }
    }

    /// `DELETE`, with `If-Match` when the server gave an ETag.
    pub async fn delete_connection(
        &self,
        id: &str,
        etag: Option<&str>,
        idempotency_key: &str,
    ) -> Result<(), ApiError> {
        let mut rb =
            Request::delete(&self.connection_url(id)).header("Idempotency-Key", idempotency_key);
        if let Some(etag) = etag {
            rb = rb.header("If-Match", etag);
        }
        self.send(rb, None).await.map(|_| ())
    }
}

/// Reads a 2xx body.
/// Reads a 2xx body: any JSON reads (the wire types are lenient); only text that is not JSON
/// at all is an error.
async fn read_value(resp: Response) -> Result<serde_json::Value, ApiError> {
    let text = resp
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
}

/// A connection answer with its version: the `ETag` header, else the body's `etag`.
async fn versioned(resp: Response) -> Result<Versioned, ApiError> {
    let header = resp.headers().get("ETag").filter(|e| !e.is_empty());
    let connection = Connection::from_json(&read_value(resp).await?);
    let etag = header.or_else(|| connection.etag.clone().filter(|e| !e.is_empty()));
    Ok(Versioned { connection, etag })
}

async fn error_from(resp: Response) -> ApiError {
    let status = resp.status();
    let header = resp.headers().get("Request-Id");
    let retry_after = resp
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse().ok());
    let text = resp.text().await.unwrap_or_default();
    let mut problem = serde_json::from_str::<serde_json::Value>(&text)
        .map(|v| ProblemDetails::from_json(&v))
        .unwrap_or_default();
    if problem.message().is_none() {
        let reason = resp.status_text();
        problem.title = (!reason.trim().is_empty()).then_some(reason);
    }
    ApiError::Status {
        status,
        request_id: request_id_of(header, &problem),
        problem: Box::new(problem),
        retry_after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, body: serde_json::Value) -> ApiError {
        ApiError::Status {
            status,
            problem: Box::new(serde_json::from_value(body).unwrap()),
            request_id: None,
            retry_after: None,
        }
    }

    #[test]
    fn both_error_shapes_read_as_a_person_reads_them() {
        let released = status(
            400,
            serde_json::json!({"error": "name: is required; awsConfig.roleName: is required"}),
        );
        assert_eq!(
            released.to_string(),
            "name: is required; awsConfig.roleName: is required"
        );
        assert!(released.issues().is_empty());
        let problem = status(
            422,
            serde_json::json!({"detail": "2 problems", "code": "cloudflow.validation_failed",
                "details": [{"issue": "is required", "field": "name"}, {"issue": "too many"}]}),
        );
        assert_eq!(problem.to_string(), "2 problems");
        assert_eq!(problem.code(), "validation_failed");
        assert_eq!(problem.issues(), ["name: is required", "too many"]);
        assert_eq!(
            status(502, serde_json::json!({})).to_string(),
            "The DoiT API answered with status 502."
        );
    }

    #[test]
    fn only_failures_after_which_the_work_may_be_done_are_ambiguous() {
        assert!(ApiError::Network("reset".into()).is_ambiguous());
        assert!(status(502, serde_json::json!({})).is_ambiguous());
        assert!(status(500, serde_json::json!({"error": "x"})).is_ambiguous());
        assert!(!status(429, serde_json::json!({})).is_ambiguous());
        assert!(!status(
            409,
            serde_json::json!({"code": "idempotency_request_in_progress"})
        )
        .is_ambiguous());
        assert!(status(
            409,
            serde_json::json!({"code": "idempotency_request_in_progress"})
        )
        .is_retryable());
        assert!(!status(400, serde_json::json!({"error": "bad"})).is_ambiguous());
    }

    #[test]
    fn request_ids_come_from_the_header_or_the_instance() {
        let p: ProblemDetails = serde_json::from_value(serde_json::json!({
            "instance": "https://api.doit.com/requests/req_01J0000000000000000000000"
        }))
        .unwrap();
        assert_eq!(
            request_id_of(None, &p).as_deref(),
            Some("req_01J0000000000000000000000")
        );
        assert_eq!(
            request_id_of(Some("req_h".into()), &p).as_deref(),
            Some("req_h")
        );
        assert_eq!(request_id_of(None, &ProblemDetails::default()), None);
        let urn: ProblemDetails =
            serde_json::from_value(serde_json::json!({"instance": "urn:doit:request:req_x"}))
                .unwrap();
        assert_eq!(request_id_of(None, &urn).as_deref(), Some("req_x"));
    }
}
