//! `Idempotency-Key` on side-effecting `/cloudflow/v1/*` requests.
//!
//! The first request with a key claims it (`in_progress`), runs, and stores its full answer
//! (status, headers, body) in SQLite; a repeat with the same fingerprint (method, path and
//! canonical JSON body) gets that answer again with `Idempotency-Replayed: true`; a different
//! fingerprint gets `422 idempotency_key_reused`; a repeat while the first runs gets
//! `409 idempotency_request_in_progress`. Keys are scoped to the tenant and user and live 24 h.
//! 5xx answers are not stored (the claim is released), and neither are injected faults, which
//! happen before any of this.

use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::{self, Principal};
use crate::problem::{ApiError, Detail};
use crate::reply::Reply;
use crate::state::AppState;
use crate::time::now_ms;

/// How long a key is remembered.
pub const TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// The request's `Idempotency-Key`, or 400 when missing or malformed.
pub fn key(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Err(ApiError::bad_request(
            "idempotency_key_required",
            "side-effecting requests on /cloudflow/v1 need an Idempotency-Key header (e.g. a UUID)",
        )
        .with_details(vec![Detail::new("Idempotency-Key", "is required")]));
    };
    let key = value.to_str().unwrap_or("").trim();
    let printable = key.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if key.is_empty() || key.len() > MAX_KEY_LEN || !printable {
        return Err(ApiError::bad_request(
            "idempotency_key_invalid",
            format!("Idempotency-Key must be 1-{MAX_KEY_LEN} visible ASCII characters"),
        )
        .with_details(vec![Detail::new(
            "Idempotency-Key",
            format!("must be 1-{MAX_KEY_LEN} visible ASCII characters"),
        )]));
    }
    Ok(key.to_owned())
}

/// Method, path and canonical body (JSON with sorted keys and no spaces; raw bytes otherwise).
pub fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => {
            let mut out = String::new();
            canonical(&v, &mut out);
            hasher.update(b"json:");
            hasher.update(out.as_bytes());
        }
        Err(_) => {
            hasher.update(b"raw:");
            hasher.update(body);
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                canonical(&map[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A claimed key; dropping it without [`Claim::finish`] releases the key (the request failed
/// or the client went away), so that a retry can run.
pub struct Claim<'a> {
    state: &'a AppState,
    tenant: String,
    user: String,
    key: String,
    done: bool,
}

/// What to do with a request that carries a key.
pub enum Begin<'a> {
    /// The key is new: run the request, then [`Claim::finish`].
    Run(Claim<'a>),
    /// The key was used for this very request: answer this.
    Replay(Reply),
}

pub fn begin<'a>(
    state: &'a AppState,
    principal: &Principal,
    key: &str,
    fingerprint: &str,
) -> Result<Begin<'a>, ApiError> {
    let now = now_ms();
    let conn = state.db()?;
    if let Some(record) = db::idempotency_get(&conn, &principal.tenant_id, &principal.user_id, key)?
    {
        if record.create_ms >= now - TTL_MS {
            if record.fingerprint != fingerprint {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    "this Idempotency-Key was used for a different request (method, path or body); use a new key",
                ));
            }
            if record.in_progress {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "idempotency_request_in_progress",
                    "a request with this Idempotency-Key is still being processed; retry shortly",
                ));
            }
            if let Some(reply) = record
                .reply
                .as_deref()
                .and_then(|r| serde_json::from_str::<Reply>(r).ok())
            {
                return Ok(Begin::Replay(reply.header("idempotency-replayed", "true")));
            }
        }
    }
    db::idempotency_claim(
        &conn,
        &principal.tenant_id,
        &principal.user_id,
        key,
        fingerprint,
        now,
    )?;
    Ok(Begin::Run(Claim {
        state,
        tenant: principal.tenant_id.clone(),
        user: principal.user_id.clone(),
        key: key.to_owned(),
        done: false,
    }))
}

impl Claim<'_> {
    /// Stores the answer for replays (5xx answers are not stored: the key is released).
    pub fn finish(mut self, reply: &Reply) {
        if reply.status >= 500 {
            return; // Drop releases the claim.
        }
        // A replay is the original answer, Request-Id included (it names the request that did
        // the work, and the `instance` of a stored problem ends with it).
        let mut original = reply.clone();
        original.headers.push((
            "request-id".to_owned(),
            crate::problem::current_request_id(),
        ));
        let stored = serde_json::to_string(&original).unwrap_or_default();
        if let Ok(conn) = self.state.db() {
            if db::idempotency_complete(&conn, &self.tenant, &self.user, &self.key, &stored).is_ok()
            {
                self.done = true;
            }
        }
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if !self.done {
            if let Ok(conn) = self.state.db() {
                // Best effort: a failure here leaves the key claimed until the next restart.
                let _ = db::idempotency_release(&conn, &self.tenant, &self.user, &self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_key_order_and_whitespace_but_not_values() {
        let a = fingerprint(&Method::POST, "/p", br#"{"a":1,"b":{"c":[1,2],"d":"x"}}"#);
        let b = fingerprint(
            &Method::POST,
            "/p",
            b"{ \"b\": {\"d\":\"x\", \"c\":[1, 2]}, \"a\": 1 }",
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            fingerprint(&Method::POST, "/p", br#"{"a":2,"b":{"c":[1,2],"d":"x"}}"#)
        );
        assert_ne!(
            a,
            fingerprint(&Method::PATCH, "/p", br#"{"a":1,"b":{"c":[1,2],"d":"x"}}"#)
        );
        assert_ne!(
            a,
            fingerprint(&Method::POST, "/q", br#"{"a":1,"b":{"c":[1,2],"d":"x"}}"#)
        );
    }

    #[test]
    fn key_rules() {
        let mut h = HeaderMap::new();
        assert_eq!(
            key(&h).expect_err("missing").code,
            "idempotency_key_required"
        );
        h.insert("idempotency-key", "x".repeat(256).parse().expect("header"));
        assert_eq!(key(&h).expect_err("long").code, "idempotency_key_invalid");
        h.insert("idempotency-key", "abc-123".parse().expect("header"));
        assert_eq!(key(&h).expect("ok"), "abc-123");
    }
}
