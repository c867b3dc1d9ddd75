//! RFC 9457 `application/problem+json` errors and the per-request `Request-Id`.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use crate::reply::Reply;

tokio::task_local! {
    /// The id of the request being handled (`req_<ULID>`), set by the request-id middleware.
    pub static REQUEST_ID: String;
}

/// A new request id: `req_` followed by a ULID.
pub fn new_request_id() -> String {
    format!("req_{}", ulid::Ulid::new())
}

/// The id of the request being handled, or a fresh one outside a request.
pub fn current_request_id() -> String {
    REQUEST_ID
        .try_with(|id| id.clone())
        .unwrap_or_else(|_| new_request_id())
}

/// One entry of `details[]`: what is wrong and where in the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail {
    pub issue: String,
    pub field: String,
}

impl Detail {
    pub fn new(field: impl Into<String>, issue: impl Into<String>) -> Detail {
        Detail {
            issue: issue.into(),
            field: field.into(),
        }
    }
}

/// An error answer of the API. Turned into a problem+json [`Reply`].
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub details: Vec<Detail>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub retryable: bool,
}

#[derive(Serialize)]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    instance: String,
    code: &'a str,
    retryable: bool,
    #[serde(skip_serializing_if = "<[Detail]>::is_empty")]
    details: &'a [Detail],
}

/// The released document's error body.
#[derive(Serialize)]
struct ErrorBody {
    error: String,
}

/// The released document's 409 of DELETE.
#[derive(Serialize)]
struct ConflictBody<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    code: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        let retryable = status.is_server_error()
            || status == StatusCode::TOO_MANY_REQUESTS
            || code == "idempotency_request_in_progress";
        ApiError {
            status,
            code,
            detail: detail.into(),
            details: Vec::new(),
            headers: Vec::new(),
            retryable,
        }
    }

    pub fn with_details(mut self, details: Vec<Detail>) -> ApiError {
        self.details = details;
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> ApiError {
        self.headers.push((name, value));
        self
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    pub fn internal(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    /// A 401 with the `WWW-Authenticate` challenge RFC 6750 asks for.
    pub fn unauthenticated(detail: impl Into<String>, invalid_token: bool) -> ApiError {
        let challenge = if invalid_token {
            "Bearer realm=\"api.doit.com\", error=\"invalid_token\""
        } else {
            "Bearer realm=\"api.doit.com\""
        };
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", detail).with_header(
            axum::http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        )
    }

    /// The `type` URI of a code.
    pub fn type_uri(code: &str) -> String {
        format!("https://developer.doit.com/errors/{code}")
    }

    /// The `instance` URI of a request.
    pub fn instance_uri(request_id: &str) -> String {
        format!("https://api.doit.com/requests/{request_id}")
    }

    /// The reply for the current request, in its dialect: problem+json (pre-release), or the
    /// released document's `{"error": ...}` (and `{type, title, status, code}` for a 409).
    pub fn into_reply(self) -> Reply {
        let mut reply = match crate::dialect::current() {
            crate::dialect::Dialect::Preview => self.problem_reply(),
            crate::dialect::Dialect::Released => self.released_reply(),
        };
        for (name, value) in self.headers {
            reply.headers.push((
                name.as_str().to_owned(),
                value.to_str().unwrap_or("").to_owned(),
            ));
        }
        reply
    }

    fn problem_reply(&self) -> Reply {
        let request_id = current_request_id();
        let body = ProblemBody {
            kind: ApiError::type_uri(self.code),
            title: title(self.code, self.status),
            status: self.status.as_u16(),
            detail: &self.detail,
            instance: ApiError::instance_uri(&request_id),
            code: self.code,
            retryable: self.retryable,
            details: &self.details,
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        Reply::bytes(self.status, "application/problem+json", bytes)
    }

    fn released_reply(&self) -> Reply {
        let bytes = if self.status == StatusCode::CONFLICT
            && self.code == "delete_blocked_by_dependencies"
        {
            serde_json::to_vec(&ConflictBody {
                kind: ApiError::type_uri(self.code),
                title: title(self.code, self.status),
                status: self.status.as_u16(),
                code: self.code,
            })
        } else {
            // No field list in this shape: every field's issue goes into the one message.
            let error = if self.details.is_empty() {
                self.detail.clone()
            } else {
                let issues: Vec<String> = self
                    .details
                    .iter()
                    .map(|d| format!("{}: {}", d.field, d.issue))
                    .collect();
                issues.join("; ")
            };
            serde_json::to_vec(&ErrorBody { error })
        };
        Reply::bytes(self.status, "application/json", bytes.unwrap_or_default())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl std::error::Error for ApiError {}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> ApiError {
        ApiError::internal(format!("database error: {e}"))
    }
}

impl axum::response::IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        self.into_reply().into_response()
    }
}

/// A short, fixed summary of a problem type (RFC 9457 `title`).
fn title(code: &str, status: StatusCode) -> &'static str {
    match code {
        "validation_failed" => "The request is not valid",
        "duplicate_name" => "A connection with this name already exists",
        "conflict" => "The resource already exists",
        "precondition_required" => "If-Match is required",
        "precondition_failed" => "The resource has changed",
        "idempotency_key_required" => "Idempotency-Key is required",
        "idempotency_key_invalid" => "Idempotency-Key is not valid",
        "idempotency_key_reused" => "Idempotency-Key was used for a different request",
        "idempotency_request_in_progress" => "A request with this Idempotency-Key is in progress",
        "pagination_token_invalid" => "The page token is not valid",
        "invalid_query_parameter" => "A query parameter is not valid",
        "invalid_json" => "The body is not valid JSON",
        "invalid_connection_config" => "Exactly one of awsConfig and gcpConfig is required",
        "unsupported_media_type" => "Unsupported content type",
        "payload_too_large" => "The body is too large",
        "unauthenticated" => "Authentication required",
        "permission_denied" => "Permission denied",
        "tenant_id_required" => "X-Tenant-Id is required",
        "tenant_id_mismatch" => "X-Tenant-Id is not one of the token's tenants",
        "not_found" => "Not found",
        "method_not_allowed" => "Method not allowed",
        "delete_blocked_by_dependencies" => "The connection is in use",
        "rate_limited" => "Too many requests",
        "internal" => "Internal error",
        "bad_gateway" => "Bad gateway",
        "service_unavailable" => "Service unavailable",
        _ => status.canonical_reason().unwrap_or("Error"),
    }
}
