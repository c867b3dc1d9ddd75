//! `Authorization: Bearer` tokens, the tenant header and the CloudFlow permission check.

use axum::http::{HeaderMap, StatusCode};

use crate::db::{self, Principal};
use crate::problem::{ApiError, Detail};
use crate::state::AppState;

/// The principal behind the request's bearer token, or a 401/403 problem.
pub fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Err(ApiError::unauthenticated(
            "send Authorization: Bearer <token> (local tokens: dev-owner-token, dev-editor-token, dev-viewer-token, dev-ja-token)",
            false,
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthenticated("the Authorization header must be \"Bearer <token>\"", true)
        })?;
    let mut reachable = {
        let conn = state.db()?;
        db::principals_for_token(&conn, token)?
    };
    if reachable.is_empty() {
        return Err(ApiError::unauthenticated(
            "the token is unknown, expired or belongs to an invited user",
            true,
        ));
    }
    let wanted = headers
        .get("x-tenant-id")
        .map(|v| v.to_str().unwrap_or("").trim().to_owned());
    let principal = match wanted {
        Some(tenant) => {
            let Some(at) = reachable.iter().position(|p| p.tenant_id == tenant) else {
                return Err(ApiError::bad_request(
                    "tenant_id_mismatch",
                    format!("this token has no access to tenant {tenant:?}"),
                )
                .with_details(vec![Detail::new(
                    "X-Tenant-Id",
                    "is not one of this token's tenants",
                )]));
            };
            reachable.swap_remove(at)
        }
        None if reachable.len() == 1 => reachable.swap_remove(0),
        None => {
            let names: Vec<&str> = reachable.iter().map(|p| p.tenant_id.as_str()).collect();
            return Err(ApiError::bad_request(
                "tenant_id_required",
                format!(
                    "this token reaches several tenants ({}); name one in X-Tenant-Id",
                    names.join(", ")
                ),
            )
            .with_details(vec![Detail::new(
                "X-Tenant-Id",
                "is required for this token",
            )]));
        }
    };
    Ok(principal)
}

/// 403 unless the principal holds CloudFlow Owner or CloudFlow Editor.
pub fn require_cloudflow_manager(principal: &Principal) -> Result<(), ApiError> {
    if principal.may_manage_cloudflow() {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "permission_denied",
            format!(
                "{} needs the CloudFlow Owner or CloudFlow Editor permission to create or change connections",
                principal.email
            ),
        ))
    }
}
