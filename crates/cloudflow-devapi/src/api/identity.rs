//! `GET /auth/v1/validate`, `GET /iam/v1/users`, `GET /iam/v1/roles`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use super::{finish, query, Shared};
use crate::auth::authenticate;
use crate::db;
use crate::dialect::{self, Dialect};
use crate::reply::Reply;

/// `GET /auth/v1/validate`
pub async fn validate_token(State(state): Shared, headers: HeaderMap) -> Response {
    state.simulate_latency().await;
    finish(authenticate(&state, &headers).map(|p| {
        Reply::json(
            StatusCode::OK,
            &json!({"email": p.email, "domain": p.domain}),
        )
    }))
}

/// `GET /iam/v1/users[?email=]`
pub async fn users(State(state): Shared, uri: Uri, headers: HeaderMap) -> Response {
    state.simulate_latency().await;
    finish((|| {
        let p = authenticate(&state, &headers)?;
        let q = query(&uri);
        let conn = state.db()?;
        let users = db::users(&conn, &p.tenant_id, q.get("email").map(String::as_str))?;
        let dialect = dialect::current();
        let users: Vec<_> = users.iter().map(|u| dialect::user(dialect, u)).collect();
        let body = match dialect {
            // The released document counts them; the pre-release one has no count.
            Dialect::Released => json!({ "users": users, "rowCount": users.len() }),
            Dialect::Preview => json!({ "users": users }),
        };
        Ok(Reply::json(StatusCode::OK, &body))
    })())
}

/// `GET /iam/v1/roles`
pub async fn roles(State(state): Shared, headers: HeaderMap) -> Response {
    state.simulate_latency().await;
    finish((|| {
        let p = authenticate(&state, &headers)?;
        let conn = state.db()?;
        let roles = db::roles(&conn, &p.tenant_id)?;
        let dialect = dialect::current();
        let roles: Vec<_> = roles
            .iter()
            .map(|r| dialect::role(dialect, &p.tenant_id, r))
            .collect();
        Ok(Reply::json(StatusCode::OK, &json!({ "roles": roles })))
    })())
}
