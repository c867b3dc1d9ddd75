//! `cloudflow-devapi`: a local stand-in for DoiT's REST API (the CloudFlow connection endpoints
//! and what the wizard reads around them), backed by one SQLite file.
//!
//! [`serve`] runs the server on a bound listener until a shutdown future completes; the binary
//! in `main.rs` only parses flags and calls it, so tests start the same server in-process.

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod dialect;
pub mod idempotency;
pub mod lifecycle;
pub mod pagination;
pub mod problem;
pub mod reply;
pub mod seed;
pub mod simulated_aws;
pub mod state;
pub mod time;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

pub use config::{Config, ConfigError, Dialect, SeedKind};

use crate::pagination::Pager;
use crate::problem::{ApiError, REQUEST_ID};
use crate::state::AppState;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot seed the database: {0}")]
    Seed(rusqlite::Error),
    #[error("the database has no tenant (it was not seeded)")]
    NoTenant,
    #[error("--dist {0} is not a directory with an index.html")]
    Dist(PathBuf),
    #[error("cannot read the catalogue {path}: {source}")]
    CatalogFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Catalog(#[from] cloudflow_core::CatalogError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Opens the database, seeds it when empty and builds the shared state.
pub fn prepare(config: Config) -> Result<AppState, StartError> {
    config.check()?;
    if let Some(dist) = &config.dist {
        if !dist.join("index.html").is_file() {
            return Err(StartError::Dist(dist.clone()));
        }
    }
    let catalogs = load_catalogs(&config)?;
    let mut conn = db::open(&config.db)?;
    let now = time::now_ms();
    seed::seed_if_empty(&mut conn, config.seed, now).map_err(StartError::Seed)?;
    // Keys older than 24 h are gone; claims of requests that died with the last process too.
    db::idempotency_purge(&conn, now - idempotency::TTL_MS, true).map_err(StartError::Seed)?;
    let secret = match db::meta_get(&conn, "page_token_secret").map_err(StartError::Seed)? {
        Some(s) => s,
        None => {
            let s: String = (0..64)
                .map(|_| char::from(b"0123456789abcdef"[fastrand::usize(..16)]))
                .collect();
            db::meta_set(&conn, "page_token_secret", &s).map_err(StartError::Seed)?;
            s
        }
    };
    let tenant = db::first_tenant(&conn)
        .map_err(StartError::Seed)?
        .ok_or(StartError::NoTenant)?;
    Ok(AppState::new(
        conn,
        config,
        Pager::new(secret.into_bytes()),
        tenant,
        Some(catalogs),
    ))
}

/// The catalogue files, as the core names them under `public/catalog/`.
pub const CATALOG_FILES: [&str; 3] = ["regions.json", "iam-actions.json", "managed-policies.json"];

/// The catalogues the app ships, embedded so that the server checks regions, actions and
/// managed policies exactly as the browser does.
const EMBEDDED_CATALOGS: [&str; 3] = [
    include_str!("../../../public/catalog/regions.json"),
    include_str!("../../../public/catalog/iam-actions.json"),
    include_str!("../../../public/catalog/managed-policies.json"),
];

fn load_catalogs(config: &Config) -> Result<cloudflow_core::Catalogs, StartError> {
    let [regions, actions, policies] = match &config.catalog_dir {
        None => EMBEDDED_CATALOGS.map(str::to_owned),
        Some(dir) => {
            let read = |name: &str| -> Result<String, StartError> {
                let path = dir.join(name);
                std::fs::read_to_string(&path)
                    .map_err(|source| StartError::CatalogFile { path, source })
            };
            [
                read(CATALOG_FILES[0])?,
                read(CATALOG_FILES[1])?,
                read(CATALOG_FILES[2])?,
            ]
        }
    };
    Ok(cloudflow_core::Catalogs::from_json(
        &regions, &actions, &policies,
    )?)
}

/// The whole HTTP application.
pub fn router(state: Arc<AppState>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-tenant-id"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("request-id"),
            header::HeaderName::from_static("idempotency-replayed"),
            header::HeaderName::from_static("x-dry-run"),
            header::CONTENT_LANGUAGE,
        ]);
    let mut app = Router::new()
        .route("/auth/v1/validate", get(api::identity::validate_token))
        .route("/iam/v1/users", get(api::identity::users))
        .route("/iam/v1/roles", get(api::identity::roles))
        .route("/billing/v1/assets", get(api::assets::assets))
        .route(
            "/cloudflow/v1/connections",
            get(api::connections::list_connections).post(api::connections::create_connection),
        )
        .route(
            "/cloudflow/v1/connections/{id}",
            get(api::connections::get_connection)
                .patch(api::connections::patch_connection)
                .delete(api::connections::delete_connection),
        )
        .route("/healthz", get(web::healthz));
    if state.config.dist.is_some() {
        app = app.route("/config.json", get(web::config_json));
    }
    if state.config.simulated_aws {
        app = app.merge(simulated_aws::routes());
    }
    app.fallback(web::fallback)
        .layer(middleware::from_fn_with_state(state.clone(), faults))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(cors)
        .layer(middleware::from_fn_with_state(state.clone(), request_id))
        .with_state(state)
}

/// Sets the request's dialect and id; gives every answer of the pre-release dialect a
/// `Request-Id` and every API answer `Content-Language: en`; and turns any error answer that
/// is not yet in the dialect's error shape (axum's own 405, a caught panic) into one.
async fn request_id(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let id = problem::new_request_id();
    let dialect = state.config.dialect;
    let started = std::time::Instant::now();
    let log = !state.config.quiet;
    let api = web::is_api_path(req.uri().path());
    let simulated_aws = web::is_simulated_aws_path(req.uri().path());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let scope_id = id.clone();
    let handle = async move {
        let mut response = next.run(req).await;
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes().to_vec())
            .unwrap_or_default();
        // The simulated AWS answers its own errors (HTML pages, `{"error"}`), not DoiT's.
        let in_shape = content_type.starts_with(b"application/problem+json")
            || (dialect == Dialect::Released && content_type.starts_with(b"application/json"))
            || (simulated_aws && !content_type.is_empty());
        if (status.is_client_error() || status.is_server_error()) && !in_shape {
            let (code, detail) = match status {
                StatusCode::METHOD_NOT_ALLOWED => (
                    "method_not_allowed",
                    format!("{method} is not allowed on {path}"),
                ),
                StatusCode::NOT_FOUND => ("not_found", format!("nothing at {method} {path}")),
                s if s.is_server_error() => (
                    "internal",
                    "the server failed while handling the request".to_owned(),
                ),
                _ => ("bad_request", "the request was not understood".to_owned()),
            };
            // Keep the original headers (Allow, CORS), replace the body and its type.
            let (parts, _) = response.into_parts();
            response = ApiError::new(status, code, detail).into_response();
            for (name, value) in &parts.headers {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    response.headers_mut().insert(name.clone(), value.clone());
                }
            }
        }
        // A replayed idempotent answer keeps the Request-Id of the original request.
        if dialect == Dialect::Preview && !response.headers().contains_key("request-id") {
            if let Ok(v) = HeaderValue::from_str(&id) {
                response.headers_mut().insert("request-id", v);
            }
        }
        if api {
            let headers = response.headers_mut();
            headers
                .entry(header::CACHE_CONTROL)
                .or_insert(HeaderValue::from_static("no-store"));
            headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("en"));
        }
        if log {
            eprintln!(
                "{method} {path} {} {} ms {id}",
                response.status().as_u16(),
                started.elapsed().as_millis()
            );
        }
        response
    };
    let scoped = dialect::DIALECT.scope(dialect, handle);
    REQUEST_ID.scope(scope_id, scoped).await
}

/// `--rate-limit-rate` and `--fault-rate`: answers a share of API requests with 429 or
/// 500/502/503 before anything else happens, so nothing is stored or recorded for them.
async fn faults(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let c = &state.config;
    if (c.fault_rate > 0.0 || c.rate_limit_rate > 0.0)
        && web::is_api_path(req.uri().path())
        && req.method() != Method::OPTIONS
    {
        let draw = fastrand::f64();
        if draw < c.rate_limit_rate {
            let seconds = c.retry_after.to_string();
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "too many requests (injected by --rate-limit-rate); retry after {seconds} s"
                ),
            );
            if let Ok(v) = HeaderValue::from_str(&seconds) {
                e = e.with_header(header::RETRY_AFTER, v);
            }
            return e.into_response();
        }
        if draw < c.rate_limit_rate + c.fault_rate {
            let (status, code) = match fastrand::u8(0..3) {
                0 => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
                1 => (StatusCode::BAD_GATEWAY, "bad_gateway"),
                _ => (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable"),
            };
            return ApiError::new(
                status,
                code,
                "an injected fault (--fault-rate): nothing was done; retry with the same Idempotency-Key",
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// Serves on `listener` until `shutdown` completes.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let state = Arc::new(prepare(config)?);
    serve_state(state, listener, shutdown).await
}

/// Serves prepared state (see [`prepare`]) on `listener` until `shutdown` completes.
pub async fn serve_state(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(StartError::Serve)
}

/// Binds `config.listen`, returning the listener and the address actually bound.
pub async fn bind(config: &Config) -> Result<(tokio::net::TcpListener, SocketAddr), StartError> {
    let addr = config.listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Listen { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| StartError::Listen { addr, source })?;
    Ok((listener, local))
}

/// A short description of where state lives, for the start-up line.
pub fn describe(config: &Config, addr: SocketAddr) -> String {
    let dist = config
        .dist
        .as_deref()
        .map(Path::display)
        .map_or("no app (--dist not given)".to_owned(), |d| {
            format!("app from {d}")
        });
    let delay = config.activation_delay;
    let accounts = if config.simulated_aws {
        format!("simulated AWS at http://{addr}/simulated-aws/cloudformation/home, role propagation {delay} s")
    } else {
        format!("activation delay {delay} s")
    };
    format!(
        "cloudflow-devapi listening on http://{addr} ({} API, db {}, {dist}, {accounts}, fault rate {}, lost-reply rate {}, 429 rate {}, latency {} ms)",
        config.dialect.as_str(),
        config.db.display(),
        config.fault_rate,
        config.lost_reply_rate,
        config.rate_limit_rate,
        config.latency_ms
    )
}
