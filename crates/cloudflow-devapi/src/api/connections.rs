//! `/cloudflow/v1/connections`: list, read, create (and dry-run), patch, delete.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cloudflow_core::CreateConnectionRequest;
use serde_json::{json, Value};

use super::{
    finish, parse_json_object, query, side_effect, strip_position, Incoming, Shared, CREATE_RULES,
    DELETE_RULES, PATCH_RULES,
};
use crate::auth::authenticate;
use crate::db::{self, Principal};
use crate::dialect::{self, Dialect};
use crate::lifecycle::{self, Deployments, Moment};
use crate::pagination::{max_results, Cursor};
use crate::problem::{ApiError, Detail};
use crate::reply::Reply;
use crate::state::AppState;
use crate::time::now_ms;

/// `GET /cloudflow/v1/connections?maxResults=&pageToken=`
pub async fn list_connections(State(state): Shared, uri: Uri, headers: HeaderMap) -> Response {
    state.simulate_latency().await;
    finish((|| {
        let p = authenticate(&state, &headers)?;
        let q = query(&uri);
        let dialect = dialect::current();
        // The pre-release document allows pages of up to 500 connections.
        let most = if dialect == Dialect::Released {
            100
        } else {
            500
        };
        let limit = max_results(q.get("maxResults").map(String::as_str), 50, most)?;
        let before = match q.get("pageToken").filter(|t| !t.is_empty()) {
            Some(t) => state.pager.decode(t, "connections", &p.tenant_id)?.seq,
            None => i64::MAX,
        };
        let conn = state.db()?;
        let rows = db::connections_page(&conn, &p.tenant_id, before, limit + 1)?;
        let total = db::connection_count(&conn, &p.tenant_id)?;
        let deployments = deployments(&state, &conn, &p.tenant_id)?;
        drop(conn);
        let more = rows.len() as i64 > limit;
        let rows = &rows[..rows.len().min(limit as usize)];
        let now = now_ms();
        let items: Vec<Value> = rows
            .iter()
            .map(|row| {
                let facts =
                    lifecycle::view(row, &stored_request(row), &deployments, Moment::At(now));
                dialect::connection(dialect, facts)
            })
            .collect();
        let token = match (more, rows.last()) {
            (true, Some(last)) => Some(state.pager.encode(&Cursor {
                list: "connections".into(),
                tenant: p.tenant_id.clone(),
                seq: last.seq,
            })),
            _ => None,
        };
        // The released document never counts ("always null").
        let row_count = (dialect == Dialect::Preview).then_some(total);
        Ok(Reply::json(
            StatusCode::OK,
            &json!({"items": items, "pageToken": token, "rowCount": row_count}),
        ))
    })())
}

/// Where the accounts' statuses come from, for the tenant's connections.
fn deployments(
    state: &AppState,
    conn: &rusqlite::Connection,
    tenant: &str,
) -> Result<Deployments, ApiError> {
    Ok(if state.config.simulated_aws {
        Deployments::Simulated {
            stacks: db::simulated_stacks(conn, None)?,
            propagation_ms: state.config.activation_delay_ms(),
        }
    } else {
        Deployments::Timer {
            broken: db::broken_accounts(conn, tenant)?,
        }
    })
}

fn stored_request(row: &db::ConnectionRow) -> CreateConnectionRequest {
    // Written by this server from a parsed request, so it parses back.
    serde_json::from_str(&row.request).unwrap_or_default()
}

/// `GET /cloudflow/v1/connections/{id}`
pub async fn get_connection(State(state): Shared, uri: Uri, headers: HeaderMap) -> Response {
    state.simulate_latency().await;
    finish((|| {
        let p = authenticate(&state, &headers)?;
        let id = connection_id(&uri)?;
        let conn = state.db()?;
        let row = db::connection(&conn, &p.tenant_id, &id)?.ok_or_else(|| not_found(&id))?;
        let deployments = deployments(&state, &conn, &p.tenant_id)?;
        drop(conn);
        let view = lifecycle::view(
            &row,
            &stored_request(&row),
            &deployments,
            Moment::At(now_ms()),
        );
        Ok(connection_reply(StatusCode::OK, &row, view))
    })())
}

/// A connection in the request's dialect, with its `ETag` where the dialect has them.
fn connection_reply(
    status: StatusCode,
    row: &db::ConnectionRow,
    facts: crate::dialect::ConnectionFacts,
) -> Reply {
    let dialect = dialect::current();
    let reply = Reply::json(status, &dialect::connection(dialect, facts));
    match dialect {
        Dialect::Preview => reply.header("etag", lifecycle::etag(row)),
        Dialect::Released => reply,
    }
}

/// Validation failures: 422 in the pre-release document, 400 in the released one.
fn invalid(detail: String) -> ApiError {
    let status = match dialect::current() {
        Dialect::Preview => StatusCode::UNPROCESSABLE_ENTITY,
        Dialect::Released => StatusCode::BAD_REQUEST,
    };
    ApiError::new(status, "validation_failed", detail)
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("no connection with id {id:?} in this tenant"))
}

fn connection_id(uri: &Uri) -> Result<String, ApiError> {
    let raw = uri.path().rsplit('/').next().unwrap_or("");
    let decoded: String = form_urlencoded::parse(format!("id={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if decoded.is_empty() {
        return Err(ApiError::not_found("no connection id in the path"));
    }
    Ok(decoded)
}

/// Turns a JSON object into the core's request, reporting wrong types at their field path.
fn to_request(map: serde_json::Map<String, Value>) -> Result<CreateConnectionRequest, ApiError> {
    let value = Value::Object(map);
    serde_path_to_error::deserialize::<_, CreateConnectionRequest>(&value).map_err(|e| {
        let field = e.path().to_string();
        let issue = strip_position(&e.inner().to_string()).to_owned();
        invalid(format!("{field}: {issue}")).with_details(vec![Detail::new(field, issue)])
    })
}

/// The core's validation (no database needed, so it runs before the lock is taken).
fn core_problems(state: &AppState, req: &CreateConnectionRequest) -> Vec<Detail> {
    let report = cloudflow_core::validate(req, state.catalogs.as_ref());
    let mut details: Vec<Detail> = report
        .errors()
        .map(|problem| Detail::new(problem.field.to_string(), problem.message.clone()))
        .collect();
    if let Some(id) = req.id.as_deref() {
        let ok = (1..=128).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            details.push(Detail::new(
                "id",
                "must be 1-128 characters of A-Z, a-z, 0-9, - and _",
            ));
        }
    }
    details
}

/// What only the server knows, checked under the database lock together with the write:
/// collaborators must be people of the organisation, and names are unique (ignoring case).
fn check_request(
    conn: &rusqlite::Connection,
    p: &Principal,
    req: &CreateConnectionRequest,
    mut details: Vec<Detail>,
    except_id: Option<&str>,
) -> Result<(), ApiError> {
    let people = db::user_emails(conn, &p.tenant_id)?;
    for (i, c) in req.collaborators.iter().enumerate() {
        let email = c.email.trim().to_lowercase();
        let field = format!("collaborators[{i}].email");
        if !email.is_empty()
            && !people.contains(&email)
            && !details.iter().any(|d| d.field == field)
        {
            details.push(Detail::new(field, "is not a user of this organisation"));
        }
    }
    if !details.is_empty() {
        let n = details.len();
        let first = format!("{}: {}", details[0].field, details[0].issue);
        return Err(invalid(if n == 1 {
            first
        } else {
            format!("{n} problems, first {first}")
        })
        .with_details(details));
    }
    // The released document promises no unique names: only the pre-release one refuses.
    if dialect::current() == Dialect::Released {
        return Ok(());
    }
    // The index finds the one connection that could have this name; the core's tenant rules
    // (the wizard's too) say whether it clashes, and in which words.
    let Some((id, existing)) =
        db::connection_named(conn, &p.tenant_id, &db::name_key(&req.name), except_id)?
    else {
        return Ok(());
    };
    let neighbour = cloudflow_core::Neighbour {
        id: &id,
        name: &existing,
        role_name: "",
        accounts: Vec::new(),
    };
    let candidate = cloudflow_core::Candidate::of(req);
    let report = cloudflow_core::tenant_rules(&candidate, except_id, [neighbour]);
    let details: Vec<Detail> = report
        .errors()
        .map(|problem| Detail::new(problem.field.to_string(), problem.message.clone()))
        .collect();
    if !details.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate_name",
            format!(
                "a connection named {existing:?} already exists in this tenant (names ignore case)"
            ),
        )
        .with_details(details));
    }
    Ok(())
}

/// `POST /cloudflow/v1/connections[?dryRun=true]`
pub async fn create_connection(
    State(state): Shared,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    side_effect(
        &state,
        Incoming {
            method,
            uri,
            headers,
            body,
        },
        CREATE_RULES,
        create,
    )
    .await
}

fn create(state: &AppState, p: &Principal, dry_run: bool, body: &[u8]) -> Result<Reply, ApiError> {
    let map = parse_json_object(body)?;
    let both = map.get("awsConfig").is_some_and(|v| !v.is_null())
        && map.get("gcpConfig").is_some_and(|v| !v.is_null());
    let neither = map.get("awsConfig").is_none_or(Value::is_null)
        && map.get("gcpConfig").is_none_or(Value::is_null);
    if both || neither {
        return Err(ApiError::bad_request(
            "invalid_connection_config",
            if both {
                "send exactly one of awsConfig and gcpConfig, not both"
            } else {
                "send exactly one of awsConfig and gcpConfig (this server creates AWS connections)"
            },
        )
        .with_details(vec![Detail::new(
            "awsConfig",
            "exactly one of awsConfig and gcpConfig is required",
        )]));
    }
    let mut req = to_request(map)?;
    req.name = req.name.trim().to_owned();
    let problems = core_problems(state, &req);
    let conn = state.db()?;
    check_request(&conn, p, &req, problems, None)?;
    if dry_run {
        let view = dialect::connection(Dialect::Preview, lifecycle::dry_run_view(&req));
        return Ok(Reply::json(StatusCode::OK, &view).header("x-dry-run", "true"));
    }
    // A client-chosen id is the pre-release document's; the released one has no such field.
    if dialect::current() == Dialect::Released {
        req.id = None;
    }
    let id = match req.id.clone() {
        Some(id) => {
            if db::connection_id_taken(&conn, &id)? {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    format!("a connection with id {id:?} already exists"),
                )
                .with_details(vec![Detail::new("id", "is already used")]));
            }
            id
        }
        None => format!("cfc_{}", ulid::Ulid::new().to_string().to_lowercase()),
    };
    let now = now_ms();
    let external_id = lifecycle::new_external_id();
    let stored = serde_json::to_string(&req).map_err(|e| ApiError::internal(e.to_string()))?;
    let enabled = req.enabled.unwrap_or(true);
    // Created disabled = a draft: no activation time until its first enable.
    let first_enabled_ms = enabled.then_some(now);
    db::insert_connection(
        &conn,
        &db::NewConnection {
            id: &id,
            tenant_id: &p.tenant_id,
            name: &req.name,
            request: &stored,
            external_id: &external_id,
            enabled,
            create_ms: now,
            first_enabled_ms,
            activate_ms: first_enabled_ms.map(|t| t + state.config.activation_delay_ms()),
            flow_count: 0,
            created_by: &p.user_id,
        },
    )?;
    let row = db::connection(&conn, &p.tenant_id, &id)?
        .ok_or_else(|| ApiError::internal("the new connection vanished"))?;
    let deployments = deployments(state, &conn, &p.tenant_id)?;
    drop(conn);
    let view = lifecycle::view(&row, &req, &deployments, Moment::JustCreated);
    let reply = connection_reply(StatusCode::CREATED, &row, view);
    Ok(match dialect::current() {
        Dialect::Preview => reply.header("location", format!("/cloudflow/v1/connections/{id}")),
        Dialect::Released => reply,
    })
}

/// 403 unless `p` may change the connection: the core's rule (a CloudFlow Owner, or an Owner or
/// Editor of the connection; its creator when it names nobody). A User may use it, not change it.
fn require_change_right(
    conn: &rusqlite::Connection,
    p: &Principal,
    row: &db::ConnectionRow,
    req: &CreateConnectionRequest,
) -> Result<(), ApiError> {
    let creator = db::user_email(conn, &p.tenant_id, &row.created_by)?;
    let members = req
        .collaborators
        .iter()
        .map(|c| (c.email.as_str(), c.role.parse().ok()));
    let cloudflow_owner = p
        .permissions
        .iter()
        .any(|x| x == db::PERMISSION_CLOUDFLOW_OWNER);
    if cloudflow_core::may_change(members, &p.email, cloudflow_owner, creator.as_deref()) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "permission_denied",
        format!(
            "{} may use the connection {:?} but not change it: only its Owners and Editors (and CloudFlow Owners) may",
            p.email, row.name
        ),
    ))
}

/// Checks `If-Match` against the stored version: 428 when absent, 412 when stale.
fn check_if_match(headers: &HeaderMap, row: &db::ConnectionRow) -> Result<(), ApiError> {
    // The released document has no ETags: nothing to check.
    if dialect::current() == Dialect::Released {
        return Ok(());
    }
    let Some(value) = headers.get(axum::http::header::IF_MATCH) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "send If-Match with the ETag of the connection (from GET) to change or delete it",
        )
        .with_details(vec![Detail::new("If-Match", "is required")]));
    };
    let current = lifecycle::etag(row);
    let value = value.to_str().unwrap_or("");
    let matches = value
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current);
    if matches {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            format!("the connection has changed since {value} (now {current}); GET it again"),
        ))
    }
}

/// `PATCH /cloudflow/v1/connections/{id}[?dryRun=true]`: any of name, description, awsConfig,
/// collaborators and enabled (the given ones replace the stored ones; every rule of a create
/// applies to the result).
pub async fn patch_connection(
    State(state): Shared,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let id = match connection_id(&uri) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let h = headers.clone();
    side_effect(
        &state,
        Incoming {
            method,
            uri,
            headers,
            body,
        },
        PATCH_RULES,
        move |state, p, dry_run, body| patch(state, p, dry_run, body, &id, &h),
    )
    .await
}

fn patch(
    state: &AppState,
    p: &Principal,
    dry_run: bool,
    body: &[u8],
    id: &str,
    headers: &HeaderMap,
) -> Result<Reply, ApiError> {
    let conn = state.db()?;
    let row = db::connection(&conn, &p.tenant_id, id)?.ok_or_else(|| not_found(id))?;
    let before = stored_request(&row);
    require_change_right(&conn, p, &row, &before)?;
    check_if_match(headers, &row)?;
    let map = parse_json_object(body)?;
    let mut req = before.clone();
    let mut enabled = row.enabled;
    let mut details = Vec::new();
    for (key, value) in &map {
        match (key.as_str(), value) {
            ("enabled", Value::Bool(b)) => enabled = *b,
            ("enabled", _) => details.push(Detail::new("enabled", "must be true or false")),
            ("name", Value::String(s)) => req.name = s.trim().to_owned(),
            ("name", _) => details.push(Detail::new("name", "must be a string")),
            ("description", Value::String(s)) => req.description = Some(s.clone()),
            ("description", Value::Null) => req.description = None,
            ("description", _) => {
                details.push(Detail::new("description", "must be a string or null"))
            }
            ("awsConfig" | "collaborators", _) => {
                // Read with the request's own types, so a wrong type names its path.
                let one = serde_json::Map::from_iter([(key.clone(), value.clone())]);
                let part = to_request(one)?;
                if key == "awsConfig" {
                    req.aws_config = part.aws_config;
                } else {
                    req.collaborators = part.collaborators;
                }
            }
            ("gcpConfig", _) => details.push(Detail::new(
                "gcpConfig",
                "cannot be set on an AWS connection",
            )),
            (other, _) => details.push(Detail::new(
                other,
                "cannot be changed (PATCH accepts name, description, awsConfig, collaborators and enabled)",
            )),
        }
    }
    if !details.is_empty() {
        return Err(
            invalid(format!("{}: {}", details[0].field, details[0].issue)).with_details(details),
        );
    }
    req.enabled = Some(enabled);
    check_request(&conn, p, &req, core_problems(state, &req), Some(id))?;
    let deployments = deployments(state, &conn, &p.tenant_id)?;
    let now = now_ms();
    // The first enable starts the activation timer; later ones keep it.
    let (first_enabled_ms, activate_ms) = match row.first_enabled_ms {
        Some(first) => (Some(first), row.activate_ms),
        None if enabled => (Some(now), Some(now + state.config.activation_delay_ms())),
        None => (None, None),
    };
    if dry_run {
        let mut preview = row.clone();
        preview.name = req.name.clone();
        preview.enabled = enabled;
        preview.first_enabled_ms = first_enabled_ms;
        preview.activate_ms = activate_ms;
        let mut facts = lifecycle::view(&preview, &req, &deployments, Moment::At(now));
        facts.etag = None;
        facts.update_ms = None;
        let view = dialect::connection(Dialect::Preview, facts);
        return Ok(Reply::json(StatusCode::OK, &view).header("x-dry-run", "true"));
    }
    let mut unchanged_req = req.clone();
    unchanged_req.enabled = before.enabled;
    if unchanged_req == before && enabled == row.enabled {
        // Nothing to change: the version (and so the ETag) stays.
        drop(conn);
        let view = lifecycle::view(&row, &before, &deployments, Moment::At(now));
        return Ok(connection_reply(StatusCode::OK, &row, view));
    }
    let stored = serde_json::to_string(&req).map_err(|e| ApiError::internal(e.to_string()))?;
    db::update_connection(
        &conn,
        &row,
        &db::ConnectionUpdate {
            name: &req.name,
            request: &stored,
            enabled,
            now_ms: now,
            first_enabled_ms,
            activate_ms,
        },
    )?;
    let row = db::connection(&conn, &p.tenant_id, id)?.ok_or_else(|| not_found(id))?;
    drop(conn);
    let view = lifecycle::view(&row, &req, &deployments, Moment::At(now_ms()));
    Ok(connection_reply(StatusCode::OK, &row, view))
}

/// `DELETE /cloudflow/v1/connections/{id}`
pub async fn delete_connection(
    State(state): Shared,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let id = match connection_id(&uri) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let h = headers.clone();
    side_effect(
        &state,
        Incoming {
            method,
            uri,
            headers,
            body,
        },
        DELETE_RULES,
        move |state, p, _, _| {
            let conn = state.db()?;
            let row = db::connection(&conn, &p.tenant_id, &id)?.ok_or_else(|| not_found(&id))?;
            require_change_right(&conn, p, &row, &stored_request(&row))?;
            check_if_match(&h, &row)?;
            if row.flow_count > 0 {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "delete_blocked_by_dependencies",
                    format!(
                        "{} flow(s) use the connection {:?}; remove them from the flows first",
                        row.flow_count, row.name
                    ),
                ));
            }
            db::delete_connection(&conn, row.seq)?;
            Ok(Reply::empty(StatusCode::NO_CONTENT))
        },
    )
    .await
}
