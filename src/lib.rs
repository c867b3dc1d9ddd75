//! cloudflow-connect: the DoiT console's "Create AWS connection" wizard for CloudFlow.
//!
//! `App` holds the router; pages live in `routes`, reusable pieces in
//! `components`, and the pure rules they render in `steps` and `paths`.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

pub mod components;
pub mod paths;
pub mod routes;
pub mod steps;

use paths::Paths;
use routes::connections::ConnectionsPage;
use routes::wizard::{AccessStep, NewConnectionWizard, PermissionsStep, SetupStep};

/// The app's route builder, provided once by `App`.
pub fn use_paths() -> Paths {
    use_context::<Paths>().unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    let paths = Paths::new("/");
    provide_context(paths.clone());
    let base = paths.base().to_owned();
    let home = paths.connections();
    let first_step = paths.new_connection(steps::Step::Setup);
    view! {
        <header class="cf-topbar">
            <nav aria-label="Breadcrumbs" class="cf-breadcrumbs">
                <ol>
                    <li>"Operate"</li>
                    <li>"CloudFlow"</li>
                    <li>"Connections"</li>
                </ol>
            </nav>
        </header>
        <main class="cf-main">
            <Router base=base>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=move || view! { <Redirect path=home.clone() /> } />
                    <Route path=path!("/connections") view=ConnectionsPage />
                    <ParentRoute path=path!("/connections/aws/new") view=NewConnectionWizard>
                        <Route path=path!("setup") view=SetupStep />
                        <Route path=path!("permissions") view=PermissionsStep />
                        <Route path=path!("access") view=AccessStep />
                        <Route
                            path=path!("")
                            view=move || view! { <Redirect path=first_step.clone() /> }
                        />
                    </ParentRoute>
                </Routes>
            </Router>
        </main>
    }
}

/// Any route the app does not know.
#[component]
fn NotFound() -> impl IntoView {
    let paths = use_paths();
    view! {
        <section class="cf-page">
            <h1>"Page not found"</h1>
            <p>
                <a href=paths.connections()>"Back to connections"</a>
            </p>
        </section>
    }
}
