//! cloudflow-connect: the DoiT console's "Create AWS connection" wizard for CloudFlow.
//!
//! `App` holds the router; pages live in `routes`, reusable pieces in
//! `components`, the wizard (its state, steps, submit flow and field paths) in
//! `wizard`; `paths` builds the routes' hrefs, `api` is the DoiT API client.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

pub mod api;
pub mod components;
pub mod config;
pub mod crash;
pub mod follow;
pub mod i18n;
pub mod paths;
pub mod prerender;
pub mod preview;
pub mod retry;
pub mod routes;
pub mod session;
pub mod wizard;

use config::AppConfig;
use paths::Paths;
use routes::connections::ConnectionsPage;
use routes::wizard::{EditConnectionWizard, EditStart, NewConnectionWizard};
use wizard::steps::{AccessStep, PermissionsStep, SetupStep};

/// The app's route builder, provided once by `App`.
pub fn use_paths() -> Paths {
    Paths
}

/// The mounted root: the app, or a plain explanation when its configuration is unusable.
#[allow(non_snake_case)]
pub fn Root(config: Result<AppConfig, String>) -> impl IntoView {
    match config {
        Ok(config) => view! { <App config /> }.into_any(),
        Err(e) => {
            prerender::reveal_when_rendered();
            view! {
                <main class="cf-main">
                    <section class="cf-page cf-alert" role="alert">
                        <h1>{i18n::t().cannot_start}</h1>
                        <p>{e}</p>
                    </section>
                </main>
            }
            .into_any()
        }
    }
}

#[component]
pub fn App(#[prop(optional)] config: AppConfig) -> impl IntoView {
    let base = paths::router_base(&config.base_path);
    provide_context(paths::RouterBase(base.clone()));
    provide_context(session::Session::new(
        api::Api::new(&config),
        config.manage_permissions.clone(),
        config.owner_permissions.clone(),
    ));
    provide_context(wizard::catalogs::CatalogStore::new());
    provide_context(watch_online());
    provide_context(preview::Defaults(cloudflow_core::RenderOptions {
        console_url: config
            .aws_console_url
            .clone()
            .unwrap_or_else(|| cloudflow_core::render::AWS_CONSOLE_URL.to_owned()),
        ..cloudflow_core::RenderOptions::default()
    }));
    let page_lang = i18n::page_lang();
    follow_user_language();
    // The page in its language: a switch rebuilds it (the wizard's draft survives that).
    move || {
        page_lang.track();
        view! { <Frame base=base.clone() /> }
    }
}

/// The signed-in person's language from DoiT's API, once their record has loaded.
fn follow_user_language() {
    let session = expect_context::<session::Session>();
    Effect::new(move |_| {
        session.viewer_now.with(|v| {
            if let Some(Ok(v)) = v {
                if let Some(l) = &v.language {
                    i18n::user_language(l);
                }
            }
        })
    });
}

/// The top bar and the routes, in the page's language.
#[component]
fn Frame(base: String) -> impl IntoView {
    let t = i18n::t();
    let home = Paths.connections().to_string();
    let first_step = Paths.new_connection(wizard::steps::Step::Setup).to_string();
    view! {
        <header class="cf-topbar">
            <nav aria-label=t.breadcrumbs class="cf-breadcrumbs">
                <ol>
                    <li>{t.operate}</li>
                    <li>"CloudFlow"</li>
                    <li>{t.connections}</li>
                </ol>
            </nav>
            <i18n::LanguageSwitch />
        </header>
        <main class="cf-main">
            <NetworkNotice />
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
                    <Route path=path!("/connections/aws/:id") view=routes::details::ConnectionDetails />
                    <Route path=path!("/connections/aws/:id/resume") view=routes::resume::ResumeDraft />
                    <ParentRoute path=path!("/connections/aws/:id/edit") view=EditConnectionWizard>
                        <Route path=path!("setup") view=SetupStep />
                        <Route path=path!("permissions") view=PermissionsStep />
                        <Route path=path!("access") view=AccessStep />
                        <Route path=path!("") view=EditStart />
                    </ParentRoute>
                </Routes>
            </Router>
        </main>
    }
}

/// Whether the browser is online, kept by `App` for the whole visit (the offline notice,
/// and the wizard's saving, which waits for the network).
#[derive(Clone, Copy)]
pub struct Online(pub ReadSignal<bool>);

/// Whether the browser is online now (a tracked read).
pub fn is_online() -> bool {
    use_context::<Online>().is_none_or(|Online(o)| o.get())
}

fn watch_online() -> Online {
    let (online, set_online) = signal(window().navigator().on_line());
    let on = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    Online(online)
}

/// Tells the person when the browser goes offline: typing and the preview keep
/// working, the draft is kept, and requests resume when the network returns.
#[component]
fn NetworkNotice() -> impl IntoView {
    let Online(online) = expect_context::<Online>();
    view! {
        <p class="cf-alert cf-network" role="status" data-kind="offline" hidden=move || online.get()>
            {i18n::t().offline}
        </p>
    }
}

/// Panics on purpose, so that tests can prove a panic shows the error screen
/// (reachable as `window.wasmBindings.cloudflow_crash_for_tests()`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn cloudflow_crash_for_tests() {
    panic!("cloudflow_crash_for_tests was called");
}

/// Any route the app does not know.
#[component]
fn NotFound() -> impl IntoView {
    prerender::reveal_when_rendered();
    let paths = use_paths();
    let t = i18n::t();
    view! {
        <section class="cf-page">
            <h1>{t.not_found}</h1>
            <p>
                <a href=paths.connections().href()>{t.back_to_connections}</a>
            </p>
        </section>
    }
}
