//! `/connections/aws/new/*` and `/connections/aws/:id/edit/*`: the wizard's two ways in. A new
//! connection's opens at once (the permission check follows); an edit opens once the connection
//! is read and the person may change it. Both hand the same [`Wizard`] its store.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiError, Status, Versioned};
use crate::components::ApiErrorNotice;
use crate::retry::with_retries;
use crate::routes::connections::{PermissionCheckFailed, PermissionNotice};
use crate::session::use_session;
use crate::use_paths;
use crate::wizard::catalogs::CatalogStore;
use crate::wizard::draft::{edit_storage_key, Draft};
use crate::wizard::edit::rebase;
use crate::wizard::frame::Wizard;
use crate::wizard::state::{new_draft_id, WizardStore};
use crate::wizard::steps::Step;

/// May the signed-in person create connections: not known yet, yes (as whom), no, or the
/// check failed.
#[derive(Debug, Clone, PartialEq)]
enum Gate {
    Checking,
    Allowed(String),
    Denied,
    Failed(crate::api::ApiError),
}

/// Opens the wizard at once (it becomes live without waiting for the permission check: the
/// check's round trips no longer delay it), and replaces it with the explanation if the
/// person may not create connections (what they typed stays in the tab's draft).
#[component]
pub fn NewConnectionWizard() -> impl IntoView {
    let session = use_session();
    let gate = Memo::new(move |_| {
        session.viewer_now.with(|v| match v {
            None => Gate::Checking,
            Some(Ok(v)) if v.can_manage => Gate::Allowed(v.email.clone()),
            Some(Ok(_)) => Gate::Denied,
            Some(Err(e)) => Gate::Failed(e.clone()),
        })
    });
    let open = Memo::new(move |_| matches!(gate.get(), Gate::Checking | Gate::Allowed(_)));
    let me = Signal::derive(move || match gate.get() {
        Gate::Allowed(email) => Some(email),
        _ => None,
    });
    let store = WizardStore::new(
        me.get_untracked().unwrap_or_default(),
        expect_context::<CatalogStore>(),
    );
    let t = crate::i18n::t();
    move || {
        if open.get() {
            return view! { <Wizard me store /> }.into_any();
        }
        match gate.get_untracked() {
            Gate::Failed(e) => view! { <PermissionCheckFailed error=e /> }.into_any(),
            _ => view! {
                <section class="cf-page cf-wizard__content">
                    <h1>{t.wizard_title}</h1>
                    <PermissionNotice />
                </section>
            }
            .into_any(),
        }
    }
}

/// How the connection to edit stands.
#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Failed(ApiError),
    /// Not done yet: the wizard resumes it instead.
    Draft,
    /// The person may use it, not change it.
    ReadOnly,
    Ready(Box<Versioned>, String),
}

#[component]
pub fn EditConnectionWizard() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let session = use_session();
    let paths = use_paths();
    let navigate = crate::paths::use_go_to();
    let connection = LocalResource::new(move || {
        let id = id.get();
        let api = session.api();
        async move { with_retries(|| api.connection(&id), |_, _, _| ()).await }
    });
    let loaded = Memo::new(move |_| {
        let Some(result) = connection.get() else {
            return Loaded::Loading;
        };
        let v = match result {
            Ok(v) => v,
            Err(e) => return Loaded::Failed(e),
        };
        if v.connection.status == Status::Draft {
            return Loaded::Draft;
        }
        session.viewer_now.with(|viewer| match viewer {
            None => Loaded::Loading,
            Some(Err(e)) => Loaded::Failed(e.clone()),
            Some(Ok(me)) if me.may_change(&v.connection) => {
                Loaded::Ready(Box::new(v.clone()), me.email.clone())
            }
            Some(Ok(_)) => Loaded::ReadOnly,
        })
    });
    // A draft is not edited but resumed (the wizard continues it at Permissions).
    Effect::new({
        move |_| {
            if loaded.with(|l| *l == Loaded::Draft) {
                navigate(&paths.resume(&id.get_untracked()));
            }
        }
    });
    let catalogs = expect_context::<CatalogStore>();
    let t = crate::i18n::t();
    move || {
        let back = paths.connection(&id.get_untracked());
        match loaded.get() {
            Loaded::Ready(v, me) => {
                let Some(cid) = v.connection.id().map(str::to_owned) else {
                    return ().into_any();
                };
                let fresh = Draft::for_edit(new_draft_id(), &me, &v.connection, v.etag.clone());
                let store = WizardStore::open(me.clone(), catalogs, edit_storage_key(&cid), fresh);
                // A kept edit of an older version: what changed since is said, the edit stays.
                rebase(store, &v);
                let me = Signal::stored(Some(me));
                view! { <Wizard me store /> }.into_any()
            }
            Loaded::Draft => ().into_any(),
            Loaded::ReadOnly => view! {
                <section class="cf-page cf-wizard__content">
                    <h1>{t.edit_title}</h1>
                    <p class="cf-alert" role="status" data-kind="info">{t.edit_not_allowed}</p>
                    <p><a href=back.href()>{t.back_to_connection}</a></p>
                </section>
            }
            .into_any(),
            Loaded::Failed(e) => view! {
                <section class="cf-page cf-wizard__content">
                    <h1>{t.edit_title}</h1>
                    <ApiErrorNotice error=Signal::stored(Some(e)) context=t.connection_failed />
                    <p><a href=back.href()>{t.back_to_connection}</a></p>
                </section>
            }
            .into_any(),
            Loaded::Loading => view! {
                <section class="cf-page cf-wizard__content">
                    <h1>{t.edit_title}</h1>
                    <p class="cf-hint">{t.draft_loading}</p>
                </section>
            }
            .into_any(),
        }
    }
}

/// `/connections/aws/:id/edit`: the edit starts at Setup.
#[component]
pub fn EditStart() -> impl IntoView {
    let params = use_params_map();
    let to = use_paths().edit(
        &params.with_untracked(|p| p.get("id").unwrap_or_default()),
        Step::Setup,
    );
    view! { <leptos_router::components::Redirect path=to.to_string() /> }
}
