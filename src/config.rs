//! Runtime configuration, read from `/config.json` before the app mounts, so the
//! same build runs under the DoiT console's path or locally.
//!
//! Keys (all optional): `apiBaseUrl` (default `""`, the page's own origin),
//! `tenantId` (sent as `X-Tenant-Id` when set), `token` (a bearer token for local
//! use; kept in memory only), `basePath` (the router's base, default `/`),
//! `managePermissions` (the DoiT permission ids that allow creating connections: DoiT has
//! not published them, so they are configuration, default `CloudFlowOwner` and
//! `CloudFlowEditor`), `ownerPermissions` (the ids that make someone a CloudFlow Owner, who may
//! change any connection, not only those they own or edit; default `CloudFlowOwner`),
//! `awsConsoleUrl` (where the quick-create link opens the AWS console;
//! default AWS's own in us-east-1, a local stand-in in development).

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppConfig {
    pub api_base_url: String,
    pub tenant_id: Option<String>,
    pub token: Option<String>,
    pub base_path: String,
    pub manage_permissions: Vec<String>,
    pub owner_permissions: Vec<String>,
    pub aws_console_url: Option<String>,
}

/// The permission ids that allow creating connections when `/config.json` names none:
/// CloudFlow Owner (also called CloudFlow Manager on DoiT's pages) and CloudFlow Editor.
pub const DEFAULT_MANAGE_PERMISSIONS: [&str; 2] = ["CloudFlowOwner", "CloudFlowEditor"];

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            api_base_url: String::new(),
            tenant_id: None,
            token: None,
            base_path: "/".into(),
            manage_permissions: DEFAULT_MANAGE_PERMISSIONS.map(str::to_owned).to_vec(),
            owner_permissions: vec![DEFAULT_MANAGE_PERMISSIONS[0].to_owned()],
            aws_console_url: None,
        }
    }
}

impl AppConfig {
    /// Parses `/config.json`; an empty string or blank values fall back to the defaults.
    pub fn parse(json: &str) -> Result<AppConfig, serde_json::Error> {
        let mut cfg: AppConfig = serde_json::from_str(json)?;
        cfg.api_base_url = cfg.api_base_url.trim().trim_end_matches('/').to_owned();
        cfg.token = cfg.token.filter(|t| !t.trim().is_empty());
        cfg.tenant_id = cfg.tenant_id.filter(|t| !t.trim().is_empty());
        cfg.aws_console_url = cfg
            .aws_console_url
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        if cfg.base_path.trim().is_empty() {
            cfg.base_path = "/".into();
        }
        cfg.manage_permissions.retain(|p| !p.trim().is_empty());
        if cfg.manage_permissions.is_empty() {
            cfg.manage_permissions = AppConfig::default().manage_permissions;
        }
        cfg.owner_permissions.retain(|p| !p.trim().is_empty());
        if cfg.owner_permissions.is_empty() {
            cfg.owner_permissions = AppConfig::default().owner_permissions;
        }
        Ok(cfg)
    }
}

/// Fetches `/config.json` next to the page. A missing file means the defaults
/// (same-origin API, no token); an unreadable one is an error the page shows.
pub async fn load() -> Result<AppConfig, String> {
    use crate::i18n::fill;
    let t = crate::i18n::t();
    let resp = gloo_net::http::Request::get(&asset_url("config.json"))
        .send()
        .await
        .map_err(|e| fill(t.config_unfetched, &[&e]))?;
    match resp.status() {
        200 => {
            let text = resp
                .text()
                .await
                .map_err(|e| fill(t.config_unread, &[&e]))?;
            AppConfig::parse(&text).map_err(|e| fill(t.config_invalid, &[&e]))
        }
        404 => Ok(AppConfig::default()),
        s => Err(fill(t.config_status, &[&s])),
    }
}

/// The URL of one of the app's own files (`config.json`, `catalog/...`): next to
/// the app's JS module, wherever the app is served from (no `<base>` element:
/// the CSP forbids it).
pub fn asset_url(file: &str) -> String {
    let module = leptos::prelude::document()
        .query_selector("link[rel=modulepreload]")
        .ok()
        .flatten()
        .and_then(|l| l.get_attribute("href"));
    format!("{}{file}", asset_dir(module.as_deref()))
}

/// The directory part of the module's href (`/console/app-1a2b.js` → `/console/`).
pub fn asset_dir(module_href: Option<&str>) -> &str {
    match module_href.and_then(|h| h.rfind('/').map(|i| &h[..=i])) {
        Some(dir) => dir,
        None => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_keys() {
        let cfg = AppConfig::parse(
            r#"{"apiBaseUrl":"https://api.doit.com/","tenantId":"t1","token":"abc","basePath":"/console/cloudflow"}"#,
        )
        .unwrap();
        assert_eq!(cfg.api_base_url, "https://api.doit.com");
        assert_eq!(cfg.tenant_id.as_deref(), Some("t1"));
        assert_eq!(cfg.token.as_deref(), Some("abc"));
        assert_eq!(cfg.base_path, "/console/cloudflow");
        assert_eq!(cfg.manage_permissions, DEFAULT_MANAGE_PERMISSIONS);
        let cfg = AppConfig::parse(
            r#"{"managePermissions":["cloudflow.manage"," "],"awsConsoleUrl":"/simulated-aws/"}"#,
        )
        .unwrap();
        assert_eq!(cfg.manage_permissions, ["cloudflow.manage"]);
        assert_eq!(cfg.owner_permissions, ["CloudFlowOwner"]);
        assert_eq!(cfg.aws_console_url.as_deref(), Some("/simulated-aws"));
    }

    #[test]
    fn assets_live_next_to_the_module() {
        assert_eq!(asset_dir(Some("/cloudflow-connect-1a2b.js")), "/");
        assert_eq!(
            asset_dir(Some("/console/cloudflow/app.js")),
            "/console/cloudflow/"
        );
        assert_eq!(asset_dir(Some("app.js")), "/");
        assert_eq!(asset_dir(None), "/");
    }

    #[test]
    fn missing_and_blank_keys_fall_back_to_defaults() {
        assert_eq!(AppConfig::parse("{}").unwrap(), AppConfig::default());
        let cfg = AppConfig::parse(
            r#"{"token":"  ","tenantId":"","basePath":"","managePermissions":[]}"#,
        )
        .unwrap();
        assert_eq!(cfg, AppConfig::default());
        assert!(AppConfig::parse("[").is_err());
    }
}
