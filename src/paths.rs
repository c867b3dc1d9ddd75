//! Every route of the app in one place, resolved against the router's base
//! path (the app may be served under the DoiT console's path or at `/`).

use crate::wizard::steps::Step;

/// Builds absolute hrefs under a base path such as `""` or `/console/cloudflow`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paths {
    base: String,
}

impl Paths {
    /// `base` is normalised: no trailing slash, a leading one unless empty.
    pub fn new(base: &str) -> Paths {
        let trimmed = base.trim().trim_end_matches('/');
        let base = if trimmed.is_empty() || trimmed.starts_with('/') {
            trimmed.to_owned()
        } else {
            format!("/{trimmed}")
        };
        Paths { base }
    }

    /// The base as the router wants it (`""` at the root).
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn connections(&self) -> String {
        format!("{}/connections", self.base)
    }

    pub fn new_connection(&self, step: Step) -> String {
        format!("{}/connections/aws/new/{}", self.base, step.slug())
    }

    pub fn connection(&self, id: &str) -> String {
        format!("{}/connections/aws/{}", self.base, encode_component(id))
    }

    /// A step of the wizard editing the connection `id`.
    pub fn edit(&self, id: &str, step: Step) -> String {
        format!("{}/edit/{}", self.connection(id), step.slug())
    }

    /// Opens a draft connection (saved at Setup, not done) in the wizard, on any device.
    pub fn resume(&self, id: &str) -> String {
        format!("{}/resume", self.connection(id))
    }
}

/// Options for navigating to an href built by [`Paths`]: it already carries the
/// base, so the router must not resolve it against the base again (it would
/// become `/console/cloudflow/console/cloudflow/...`).
pub fn as_built() -> leptos_router::NavigateOptions {
    leptos_router::NavigateOptions {
        resolve: false,
        ..Default::default()
    }
}

/// The router's navigate for hrefs built by [`Paths`] (the app's only way to
/// navigate in code, so no call can resolve the base a second time).
pub fn use_go_to() -> impl Fn(&str) + Clone + 'static {
    let navigate = leptos_router::hooks::use_navigate();
    move |href: &str| navigate(href, as_built())
}

/// Percent-encodes everything but unreserved characters, so an id or a query
/// value can never change the shape of a URL.
pub fn encode_component(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_base_gives_plain_paths() {
        let p = Paths::new("/");
        assert_eq!(p.base(), "");
        assert_eq!(p.connections(), "/connections");
        assert_eq!(
            p.new_connection(Step::Permissions),
            "/connections/aws/new/permissions"
        );
    }

    #[test]
    fn nested_base_is_normalised_and_prefixed() {
        for base in [
            "console/cloudflow",
            "/console/cloudflow/",
            " /console/cloudflow ",
        ] {
            let p = Paths::new(base);
            assert_eq!(p.base(), "/console/cloudflow");
            assert_eq!(p.connections(), "/console/cloudflow/connections");
        }
    }

    #[test]
    fn connection_ids_cannot_escape_their_segment() {
        let p = Paths::new("");
        assert_eq!(p.connection("abc-123"), "/connections/aws/abc-123");
        assert_eq!(p.connection("../x?y#z"), "/connections/aws/..%2Fx%3Fy%23z");
        assert_eq!(
            p.edit("c/1", Step::Access),
            "/connections/aws/c%2F1/edit/access"
        );
    }
}
