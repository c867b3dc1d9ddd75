//! Every route of the app in one place, as [`Route`]s: paths without the base the app is served
//! under (the DoiT console's path, or `/`). The base is given once, to the router
//! ([`RouterBase`]); the router adds it to a navigation ([`use_go_to`]) or a redirect, and
//! [`Route::href`] to an `<a href>` (leptos_router 0.8 leaves absolute links as they are). A
//! route never holds the base, and only `href` renders one with it: no code can add it twice.

use std::fmt;

use crate::wizard::steps::Step;

/// The base the router is given (`<Router base>`), from the configuration's `basePath`: no
/// trailing slash, a leading one unless empty.
pub fn router_base(configured: &str) -> String {
    let trimmed = configured.trim().trim_end_matches('/');
    if trimmed.is_empty() || trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

/// The router's base, provided with the router (`""` at the root).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouterBase(pub String);

/// A route of the app, without the router's base (`/connections/aws/abc`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Route(String);

impl Route {
    /// The route as the router's `path!` patterns see it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `href` of a link to the route: under the router's base.
    pub fn href(&self) -> String {
        match leptos::prelude::use_context::<RouterBase>() {
            Some(RouterBase(base)) => format!("{base}{}", self.0),
            None => self.0.clone(),
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The app's routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Paths;

impl Paths {
    pub fn connections(&self) -> Route {
        Route("/connections".into())
    }

    pub fn new_connection(&self, step: Step) -> Route {
        Route(format!("/connections/aws/new/{}", step.slug()))
    }

    pub fn connection(&self, id: &str) -> Route {
        Route(format!("/connections/aws/{}", encode_component(id)))
    }

    /// A step of the wizard editing the connection `id`.
    pub fn edit(&self, id: &str, step: Step) -> Route {
        Route(format!("{}/edit/{}", self.connection(id), step.slug()))
    }

    /// Opens a draft connection (saved at Setup, not done) in the wizard, on any device.
    pub fn resume(&self, id: &str) -> Route {
        Route(format!("{}/resume", self.connection(id)))
    }
}

/// The router's navigate, for routes: the router adds its base (the app's only way to navigate
/// in code).
pub fn use_go_to() -> impl Fn(&Route) + Clone + 'static {
    let navigate = leptos_router::hooks::use_navigate();
    move |route: &Route| navigate(route.as_str(), leptos_router::NavigateOptions::default())
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
    fn routes_carry_no_base() {
        let p = Paths;
        assert_eq!(p.connections().as_str(), "/connections");
        assert_eq!(
            p.new_connection(Step::Permissions).as_str(),
            "/connections/aws/new/permissions"
        );
        // Outside a router, a link is the route itself.
        assert_eq!(p.connections().href(), "/connections");
    }

    #[test]
    fn links_are_under_the_router_base_and_routes_never_are() {
        use leptos::prelude::{provide_context, Owner};
        let owner = Owner::new();
        owner.with(|| {
            provide_context(RouterBase(router_base("console/cloudflow/")));
            let route = Paths.connection("c-1");
            assert_eq!(route.href(), "/console/cloudflow/connections/aws/c-1");
            // What is navigated to carries no base: the router adds it.
            assert_eq!(route.as_str(), "/connections/aws/c-1");
        });
    }

    #[test]
    fn the_router_base_is_normalised() {
        for base in [
            "console/cloudflow",
            "/console/cloudflow/",
            " /console/cloudflow ",
        ] {
            assert_eq!(router_base(base), "/console/cloudflow");
        }
        assert_eq!(router_base("/"), "");
        assert_eq!(router_base(""), "");
    }

    #[test]
    fn connection_ids_cannot_escape_their_segment() {
        let p = Paths;
        assert_eq!(p.connection("abc-123").as_str(), "/connections/aws/abc-123");
        assert_eq!(
            p.connection("../x?y#z").as_str(),
            "/connections/aws/..%2Fx%3Fy%23z"
        );
        assert_eq!(
            p.edit("c/1", Step::Access).as_str(),
            "/connections/aws/c%2F1/edit/access"
        );
    }
}
