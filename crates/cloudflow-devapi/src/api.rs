//! The DoiT endpoints, one module per service, and what their handlers share: query and body
//! parsing that answers problems (never axum's plain-text rejections) and the pipeline of
//! side-effecting requests (authentication, permission, Idempotency-Key, content type, body
//! limit, key claim, latency).

pub mod assets;
pub mod connections;
pub mod identity;

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::auth::{authenticate, require_cloudflow_manager};
use crate::db::Principal;
use crate::dialect::Dialect;
use crate::idempotency::{self, Begin};
use crate::problem::{ApiError, Detail};
use crate::reply::Reply;
use crate::state::AppState;

/// Largest request body accepted (1 MB).
pub const BODY_LIMIT: usize = 1024 * 1024;

pub(crate) type Shared = State<Arc<AppState>>;

pub(crate) fn query(uri: &Uri) -> HashMap<String, String> {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

pub(crate) fn finish(result: Result<Reply, ApiError>) -> Response {
    match result {
        Ok(reply) => reply.into_response(),
        Err(e) => e.into_reply().into_response(),
    }
}

fn dry_run(q: &HashMap<String, String>) -> Result<bool, ApiError> {
    match q.get("dryRun").map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("dryRun must be true or false, got {other:?}"),
        )
        .with_details(vec![Detail::new("dryRun", "must be true or false")])),
    }
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

fn require_media_type(headers: &HeaderMap, allowed: &[&str]) -> Result<(), ApiError> {
    match media_type(headers) {
        Some(t) if allowed.contains(&t.as_str()) => Ok(()),
        found => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type must be {}, got {}",
                allowed.join(" or "),
                found.map_or("none".to_owned(), |f| format!("{f:?}"))
            ),
        )
        .with_header(
            axum::http::header::ACCEPT,
            axum::http::HeaderValue::from_str(&allowed.join(", "))
                .unwrap_or(axum::http::HeaderValue::from_static("application/json")),
        )),
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the body must be at most {BODY_LIMIT} bytes (1 MB)"),
    )
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| too_large())
}

/// Parses a JSON object body, or 400 `invalid_json` naming the line and column.
pub(crate) fn parse_json_object(bytes: &[u8]) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request(
            "invalid_json",
            "the body must be a JSON object",
        )),
        Err(e) => Err(ApiError::bad_request(
            "invalid_json",
            format!(
                "the body is not valid JSON: {} (line {}, column {})",
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            ),
        )),
    }
}

/// serde_json messages end with " at line L column C"; the detail says it once.
pub(crate) fn strip_position(message: &str) -> &str {
    message.rsplit_once(" at line ").map_or(message, |(m, _)| m)
}

/// The steps every side-effecting request takes before its own work: authentication,
/// permission, query, key, content type, body, key claim, latency.
struct Prepared<'a> {
    principal: Principal,
    dry_run: bool,
    body: Bytes,
    claim: Option<idempotency::Claim<'a>>,
}

enum Prep<'a> {
    Go(Prepared<'a>),
    Answer(Reply),
}

/// What a side-effecting endpoint accepts.
#[derive(Clone, Copy)]
pub(crate) struct Rules {
    /// Accepted `Content-Type`s; `None` = the body is ignored (DELETE).
    media_types: Option<&'static [&'static str]>,
    /// Whether `?dryRun=true` is supported.
    dry_run: bool,
}

pub(crate) const CREATE_RULES: Rules = Rules {
    media_types: Some(&["application/json"]),
    dry_run: true,
};
/// The last media type is the one the released dialect accepts.
pub(crate) const PATCH_RULES: Rules = Rules {
    media_types: Some(&["application/merge-patch+json", "application/json"]),
    dry_run: true,
};
pub(crate) const DELETE_RULES: Rules = Rules {
    media_types: None,
    dry_run: false,
};

/// The parts of a request a side-effecting endpoint reads.
pub(crate) struct Incoming {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Body,
}

async fn prepare(state: &AppState, incoming: Incoming, rules: Rules) -> Result<Prep<'_>, ApiError> {
    let Incoming {
        method,
        uri,
        headers,
        body,
    } = incoming;
    let principal = authenticate(state, &headers)?;
    require_cloudflow_manager(&principal)?;
    let q = query(&uri);
    let released = state.config.dialect == Dialect::Released;
    // The released document knows no dry run (an unknown `?dryRun=true` is ignored, so the
    // request is carried out) and no Idempotency-Key (a repeated POST creates again).
    let dry_run = if released {
        false
    } else if rules.dry_run {
        dry_run(&q)?
    } else if q.contains_key("dryRun") {
        return Err(ApiError::bad_request(
            "invalid_query_parameter",
            format!("dryRun is not supported on {method}"),
        )
        .with_details(vec![Detail::new("dryRun", "not supported here")]));
    } else {
        false
    };
    // Dry runs change nothing, so they need no key and are not recorded.
    let key = if dry_run || released {
        None
    } else {
        Some(idempotency::key(&headers)?)
    };
    if let Some(types) = rules.media_types {
        // The released document's PATCH takes application/json only.
        let types = if released {
            &types[types.len() - 1..]
        } else {
            types
        };
        require_media_type(&headers, types)?;
    }
    let body = read_body(&headers, body).await?;
    let claim = match &key {
        None => None,
        Some(key) => {
            let fp = idempotency::fingerprint(&method, uri.path(), &body);
            match idempotency::begin(state, &principal, key, &fp)? {
                Begin::Replay(reply) => return Ok(Prep::Answer(reply)),
                Begin::Run(claim) => Some(claim),
            }
        }
    };
    state.simulate_latency().await;
    Ok(Prep::Go(Prepared {
        principal,
        dry_run,
        body,
        claim,
    }))
}

/// Runs a side-effecting operation with its idempotency bookkeeping.
pub(crate) async fn side_effect<F>(
    state: &AppState,
    incoming: Incoming,
    rules: Rules,
    op: F,
) -> Response
where
    F: FnOnce(&AppState, &Principal, bool, &[u8]) -> Result<Reply, ApiError>,
{
    let reply = match prepare(state, incoming, rules).await {
        Ok(Prep::Go(prepared)) => {
            let reply = match op(state, &prepared.principal, prepared.dry_run, &prepared.body) {
                Ok(r) => r,
                Err(e) => e.into_reply(),
            };
            if let Some(claim) = prepared.claim {
                claim.finish(&reply);
            }
            reply
        }
        Ok(Prep::Answer(reply)) => reply,
        Err(e) => return e.into_reply().into_response(),
    };
    // `--lost-reply-rate`: the work is done (and an idempotent answer stored, or replayed), but
    // the answer never reaches the client, as when a gateway times out.
    let lost = state.config.lost_reply_rate;
    if lost > 0.0 && fastrand::f64() < lost {
        return ApiError::new(
            StatusCode::BAD_GATEWAY,
            "bad_gateway",
            "the answer was lost on the way back (injected by --lost-reply-rate): the request may have been carried out",
        )
        .into_response();
    }
    reply.into_response()
}
