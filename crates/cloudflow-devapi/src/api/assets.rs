//! `GET /billing/v1/assets`: the tenant's AWS accounts, paged.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

use super::{finish, query, Shared};
use crate::auth::authenticate;
use crate::db;
use crate::dialect;
use crate::pagination::{max_results, Cursor};
use crate::problem::{ApiError, Detail};
use crate::reply::Reply;

pub(crate) const AWS_ASSET_TYPE: &str = "amazon-web-services";
const OTHER_ASSET_TYPES: &[&str] = &[
    "google-cloud",
    "google-cloud-project",
    "microsoft-azure",
    "g-suite",
    "office-365",
    "looker",
];

/// `GET /billing/v1/assets?filter=type:amazon-web-services&maxResults=&pageToken=`
pub async fn assets(State(state): Shared, uri: Uri, headers: HeaderMap) -> Response {
    state.simulate_latency().await;
    finish((|| {
        let p = authenticate(&state, &headers)?;
        let q = query(&uri);
        let limit = max_results(q.get("maxResults").map(String::as_str), 100, 1000)?;
        let want_aws = match q.get("filter").map(|f| f.trim()) {
            None | Some("") => true,
            Some(f) => match f.split_once(':') {
                Some(("type", t)) if t == AWS_ASSET_TYPE => true,
                Some(("type", t)) if OTHER_ASSET_TYPES.contains(&t) => false,
                _ => {
                    return Err(ApiError::bad_request(
                        "invalid_query_parameter",
                        format!("filter must be type:<asset type> such as type:amazon-web-services, got {f:?}"),
                    )
                    .with_details(vec![Detail::new("filter", "unsupported filter")]))
                }
            },
        };
        let after = match q.get("pageToken").filter(|t| !t.is_empty()) {
            Some(t) => state.pager.decode(t, "assets", &p.tenant_id)?.seq,
            None => 0,
        };
        let conn = state.db()?;
        let (rows, total) = if want_aws {
            (
                db::accounts_page(&conn, &p.tenant_id, after, limit + 1)?,
                db::account_count(&conn, &p.tenant_id)?,
            )
        } else {
            (Vec::new(), 0)
        };
        let more = rows.len() as i64 > limit;
        let rows = &rows[..rows.len().min(limit as usize)];
        let token = match (more, rows.last()) {
            (true, Some(last)) => Some(state.pager.encode(&Cursor {
                list: "assets".into(),
                tenant: p.tenant_id.clone(),
                seq: last.seq,
            })),
            _ => None,
        };
        let dialect = dialect::current();
        let assets: Vec<Value> = rows
            .iter()
            .map(|a| dialect::asset(dialect, &p.tenant_id, &a.account_id, &a.name, a.create_ms))
            .collect();
        Ok(Reply::json(
            StatusCode::OK,
            &json!({"assets": assets, "pageToken": token, "rowCount": total}),
        ))
    })())
}
