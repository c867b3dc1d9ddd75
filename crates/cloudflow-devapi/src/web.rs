//! The built app (`--dist`): static files, the SPA fallback to index.html, and /config.json.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::db::{PERMISSION_CLOUDFLOW_EDITOR, PERMISSION_CLOUDFLOW_OWNER};
use crate::problem::ApiError;
use crate::reply::Reply;
use crate::state::AppState;

/// Path prefixes that belong to the API: never answered with index.html.
pub const API_PREFIXES: &[&str] = &["/auth/", "/iam/", "/billing/", "/cloudflow/"];

pub fn is_api_path(path: &str) -> bool {
    API_PREFIXES
        .iter()
        .any(|p| path.starts_with(p) || path == p.trim_end_matches('/'))
}

/// Paths of the simulated AWS (`--simulated-aws`): never the app's index.html, 404 without
/// the flag.
pub fn is_simulated_aws_path(path: &str) -> bool {
    path == crate::simulated_aws::PREFIX
        || path
            .strip_prefix(crate::simulated_aws::PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `GET /config.json`: what the app reads at start-up. With `--simulated-aws`,
/// `awsConsoleUrl` sends the app's quick-create links to the simulated console.
pub async fn config_json(State(state): State<Arc<AppState>>) -> Response {
    let mut config = json!({
        "apiBaseUrl": "",
        "tenantId": state.tenant_id,
        "token": state.config.app_token,
        "basePath": "/",
        "managePermissions": [PERMISSION_CLOUDFLOW_OWNER, PERMISSION_CLOUDFLOW_EDITOR],
    });
    if state.config.simulated_aws {
        config["awsConsoleUrl"] = json!(crate::simulated_aws::PREFIX);
    }
    Reply::json(StatusCode::OK, &config)
        .header("cache-control", "no-store")
        .into_response()
}

/// `GET /healthz`: for scripts waiting for the server.
pub async fn healthz() -> Response {
    Reply::json(StatusCode::OK, &json!({"status": "ok"})).into_response()
}

/// Everything no route matched: unknown API paths are 404 problems; with `--dist`, other GETs
/// are files of the app or (for pages) its index.html.
pub async fn fallback(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path();
    let not_found = || ApiError::not_found(format!("nothing at {method} {path}")).into_response();
    if is_api_path(path) || is_simulated_aws_path(path) {
        return not_found();
    }
    let Some(dist) = state.config.dist.as_deref() else {
        return not_found();
    };
    if method != Method::GET && method != Method::HEAD {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{method} is not allowed on {path}"),
        )
        .with_header(
            axum::http::header::ALLOW,
            axum::http::HeaderValue::from_static("GET, HEAD"),
        )
        .into_response();
    }
    if let Some(file) = safe_join(dist, path) {
        if let Ok(bytes) = tokio::fs::read(&file).await {
            return file_reply(
                &file,
                bytes,
                method == Method::HEAD,
                &state.config.frame_ancestors,
            );
        }
    }
    let wants_html = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html") || (a.contains("*/*") && !looks_like_asset(path)));
    if wants_html {
        let index = dist.join("index.html");
        if let Ok(bytes) = tokio::fs::read(&index).await {
            return file_reply(
                &index,
                bytes,
                method == Method::HEAD,
                &state.config.frame_ancestors,
            );
        }
    }
    not_found()
}

/// A request path that names a file (has an extension) is never answered with index.html.
fn looks_like_asset(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// `dir` + the request path, refusing anything that could leave `dir`; `/` is index.html.
fn safe_join(dir: &Path, path: &str) -> Option<PathBuf> {
    let decoded: String =
        form_urlencoded::parse(format!("p={}", path.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())?;
    let mut out = dir.to_path_buf();
    let mut any = false;
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => {
                out.push(p);
                any = true;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    if !any {
        out.push("index.html");
    }
    Some(out)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "yml" | "yaml" => "application/yaml",
        "tf" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The policy of a page: the one its `<meta http-equiv="Content-Security-Policy">`
/// carries (written by scripts/post-build at build time, with the hashes of its
/// inline scripts), plus `frame-ancestors`, which only a header can carry. A page
/// without the meta tag gets a policy that allows no inline script at all.
pub fn page_policy(html: &str, frame_ancestors: &str) -> String {
    const MARK: &str = "http-equiv=\"Content-Security-Policy\" content=\"";
    let from_meta = html.find(MARK).and_then(|i| {
        let rest = &html[i + MARK.len()..];
        rest.find('"').map(|end| rest[..end].to_owned())
    });
    let base = from_meta.unwrap_or_else(|| {
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'"
            .to_owned()
    });
    format!("{base}; frame-ancestors {frame_ancestors}")
}

/// Trunk's output names carry a hash of their content (`name-0123456789abcdef.js`,
/// `name-0123456789abcdef_bg.wasm`, `main-0123456789abcdef.css`).
fn content_hashed(path: &Path) -> bool {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn file_reply(path: &Path, bytes: Vec<u8>, head: bool, frame_ancestors: &str) -> Response {
    let ty = content_type(path);
    let html = ty.starts_with("text/html");
    let cache = if html {
        "no-cache"
    } else if content_hashed(path) {
        // A new build has new names: the browser keeps these for good (and V8 keeps the
        // wasm's compiled code with them, so a second visit skips most of the compile).
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=60"
    };
    let policy = html.then(|| page_policy(&String::from_utf8_lossy(&bytes), frame_ancestors));
    let len = bytes.len();
    let mut reply = Reply::bytes(StatusCode::OK, ty, if head { Vec::new() } else { bytes })
        .header("cache-control", cache)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer");
    if let Some(p) = policy {
        reply = reply.header("content-security-policy", p);
    }
    if head {
        reply = reply.header("content-length", len.to_string());
    }
    reply.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_comes_from_the_meta_tag_plus_frame_ancestors() {
        let html = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'sha256-abc='">"#;
        assert_eq!(
            page_policy(html, "'self' https://console.doit.com"),
            "default-src 'self'; script-src 'self' 'sha256-abc='; frame-ancestors 'self' https://console.doit.com"
        );
        let bare = page_policy("<html></html>", "'none'");
        assert!(bare.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!bare.contains("unsafe-inline"));
        assert!(bare.ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn joins_safely() {
        let d = Path::new("/srv/dist");
        assert_eq!(
            safe_join(d, "/").expect("root"),
            Path::new("/srv/dist/index.html")
        );
        assert_eq!(
            safe_join(d, "/pkg/app.wasm").expect("file"),
            Path::new("/srv/dist/pkg/app.wasm")
        );
        assert!(safe_join(d, "/../etc/passwd").is_none());
        assert!(safe_join(d, "/a/%2e%2e/%2e%2e/etc").is_none());
        assert!(is_api_path("/cloudflow/v1/connections"));
        assert!(!is_api_path("/connections/aws/new/setup"));
        assert!(is_simulated_aws_path("/simulated-aws"));
        assert!(is_simulated_aws_path("/simulated-aws/cloudformation/home"));
        assert!(!is_simulated_aws_path("/simulated-awsx"));
        assert!(looks_like_asset("/pkg/missing.js"));
        assert!(!looks_like_asset("/connections/aws/new"));
    }
}
