//! The simulated AWS's JSON API, for tests and scripts: list, create, read and delete stacks.
//! Errors are `application/json` `{"error": "<reason>"}`, the reasons of the console page.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{StackRequest, DOIT_STACK_NAME, PARAMETERS, TEMPLATE_REGION};
use crate::api::{Shared, BODY_LIMIT};
use crate::reply::Reply;
use crate::state::AppState;

/// `{"error": reason}` with this status.
fn error(status: StatusCode, reason: impl Into<String>) -> Response {
    Reply::json(status, &json!({"error": reason.into()}))
        .header("cache-control", "no-store")
        .into_response()
}

fn answer(status: StatusCode, value: &Value) -> Response {
    Reply::json(status, value)
        .header("cache-control", "no-store")
        .into_response()
}

/// `GET /simulated-aws/api/stacks` -> `{"stacks": [stack, ...]}`, oldest first.
pub async fn list(State(state): Shared) -> Response {
    let stacks = state
        .db()
        .and_then(|conn| Ok(crate::db::simulated_stacks(&conn, None)?));
    match stacks {
        Ok(stacks) => answer(
            StatusCode::OK,
            &json!({"stacks": stacks.iter().map(super::Stack::to_json).collect::<Vec<_>>()}),
        ),
        Err(e) => e.into_response(),
    }
}

/// `GET /simulated-aws/api/stacks/{accountId}/{stackName}` -> the stack, or 404.
pub async fn one(
    State(state): Shared,
    Path((account_id, stack_name)): Path<(String, String)>,
) -> Response {
    let stacks = state
        .db()
        .and_then(|conn| Ok(crate::db::simulated_stacks(&conn, Some(&account_id))?));
    match stacks.map(|all| all.into_iter().find(|s| s.stack_name == stack_name)) {
        Ok(Some(stack)) => answer(StatusCode::OK, &stack.to_json()),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            super::no_such_stack(&account_id, &stack_name),
        ),
        Err(e) => e.into_response(),
    }
}

/// `DELETE /simulated-aws/api/stacks/{accountId}/{stackName}` -> 204, or 404.
pub async fn delete(
    State(state): Shared,
    Path((account_id, stack_name)): Path<(String, String)>,
) -> Response {
    match super::delete_stack(&state, &account_id, &stack_name) {
        Ok(Some(_)) => Reply::empty(StatusCode::NO_CONTENT).into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            super::no_such_stack(&account_id, &stack_name),
        ),
        Err(e) => e.into_response(),
    }
}

/// The body of a create: `{accountId, stackName?, region?, acknowledged?, templateURL?,
/// parameters: {RoleName, TrustedAccountId?, ExternalId, ManagedPolicyArns?, AllowedActions?}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateBody {
    account_id: String,
    stack_name: Option<String>,
    region: Option<String>,
    acknowledged: Option<bool>,
    #[serde(rename = "templateURL", alias = "templateUrl")]
    template_url: Option<String>,
    parameters: Option<Map<String, Value>>,
}

/// `POST /simulated-aws/api/stacks` -> 201 with the stack, or 400 `{"error": reason}`.
pub async fn create(State(state): Shared, headers: HeaderMap, body: Body) -> Response {
    let json_body = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json_body {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        );
    }
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body must be at most 1 MB",
        );
    };
    let req = match serde_json::from_slice::<CreateBody>(&bytes) {
        Ok(body) => match to_request(body) {
            Ok(req) => req,
            Err(reason) => return error(StatusCode::BAD_REQUEST, reason),
        },
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("the body is not a stack to create: {e}"),
            )
        }
    };
    created(&state, &req)
}

fn created(state: &AppState, req: &StackRequest) -> Response {
    match super::create(state, req) {
        Ok(Ok(stack)) => answer(StatusCode::CREATED, &stack.to_json()),
        Ok(Err(refusal)) => error(StatusCode::BAD_REQUEST, refusal.to_string()),
        Err(e) => e.into_response(),
    }
}

/// The body as a request, with the defaults of a CLI call (`create-stack` without
/// `--capabilities` is refused, so `acknowledged` defaults to false).
fn to_request(body: CreateBody) -> Result<StackRequest, String> {
    let mut req = StackRequest {
        account_id: body.account_id,
        stack_name: body
            .stack_name
            .unwrap_or_else(|| DOIT_STACK_NAME.to_owned()),
        region: body.region.unwrap_or_else(|| TEMPLATE_REGION.to_owned()),
        template_url: body.template_url,
        acknowledged: body.acknowledged.unwrap_or(false),
        ..StackRequest::default()
    };
    let parameters = body.parameters.unwrap_or_default();
    let unknown: Vec<String> = parameters
        .keys()
        .filter(|k| !PARAMETERS.contains(&k.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(super::Refusal::UnknownParameters(unknown).to_string());
    }
    for (name, value) in parameters {
        let list = name == "ManagedPolicyArns" || name == "AllowedActions";
        let text = match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            Value::Array(items) if list => {
                let mut texts = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => texts.push(s),
                        _ => return Err(format!("Parameter {name} must be a list of strings")),
                    }
                }
                Some(texts.join(","))
            }
            _ if list => {
                return Err(format!(
                    "Parameter {name} must be a string (comma-delimited) or a list of strings"
                ))
            }
            _ => return Err(format!("Parameter {name} must be a string")),
        };
        match name.as_str() {
            "RoleName" => req.role_name = text,
            "TrustedAccountId" => req.trusted_account_id = text,
            "ExternalId" => req.external_id = text,
            "ManagedPolicyArns" => req.managed_policy_arns = text,
            _ => req.allowed_actions = text,
        }
    }
    Ok(req)
}
