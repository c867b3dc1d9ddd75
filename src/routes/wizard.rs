//! `/connections/aws/new/*`: the wizard frame (step nav, heading, Previous /
//! Next / Done, live preview) around the current step's form.

use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

pub mod access;
pub mod edit;
pub mod permissions;
pub mod setup;

pub use access::AccessStep;
pub use edit::EditConnectionWizard;
pub use permissions::PermissionsStep;
pub use setup::SetupStep;

use crate::components::{ApiErrorNotice, StepNav};
use crate::draft::step_of_field;
use crate::preview::ArtefactTabs;
use crate::routes::connections::{PermissionCheckFailed, PermissionNotice};
use crate::session::use_session;
use crate::steps::Step;
use crate::store::{CatalogStore, ServerVerdict, WizardStore};
use crate::use_paths;

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

/// The state of the Next (from Setup) or Done button's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submit {
    Idle,
    /// Next on Setup: the connection is being saved on the server.
    Saving,
    /// Done: the access list is saved and the connection enabled.
    Finishing,
    /// Cancel: the draft is being deleted on the server.
    Deleting,
}

/// Runs a save of the draft (`crate::sync::save`; `explicit` for Next and Done) in a task of
/// its own (it outlives the page, so a save in flight always ends), then `then` with its
/// result.
fn spawn_save(
    store: WizardStore,
    explicit: bool,
    then: impl FnOnce(Result<(), crate::api::ApiError>) + 'static,
) {
    let session = use_session();
    let api = session.api();
    let known = {
        let request = store.request.get_untracked();
        session.connections_now.with_untracked(|c| match c {
            Some(Ok(list)) => crate::create::known_ids(list, &request),
            _ => Vec::new(),
        })
    };
    leptos::task::spawn_local(async move {
        let result = crate::sync::save(store, api, known, explicit).await;
        if let Err(e) = &result {
            show_refusal(store, e);
        }
        then(result);
    });
}

/// A refusal's fields go under their controls (while unchanged); the rest to the error area.
fn show_refusal(store: WizardStore, error: &crate::api::ApiError) {
    if error.is_retryable() {
        return;
    }
    let fields: Vec<(String, String)> = error
        .problem()
        .map(|p| {
            p.field_issues()
                .map(|(f, issue)| (normalise_field(f), issue.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    store.server.set(Some(ServerVerdict {
        request: serde_json::to_value(store.request.get_untracked()).unwrap_or_default(),
        fields,
        error: error.clone(),
    }));
}

/// The wizard around `store`'s draft: a new connection's, or an edit of one that is done
/// ([`edit`]: the same steps; What changes; Save instead of Done; nothing saved before it).
#[component]
fn Wizard(
    /// The signed-in person, once their record has loaded.
    me: Signal<Option<String>>,
    store: WizardStore,
) -> impl IntoView {
    provide_context(store);
    let edit_id = store.edit_id();
    let editing = edit_id.is_some();
    if editing {
        provide_context(edit::EditChange::new(store));
    }
    Effect::new(move |_| {
        if let Some(email) = me.get() {
            store.adopt_me(&email);
        }
    });
    let paths = use_paths();
    let location = use_location();
    let current = Memo::new(move |_| {
        location.pathname.with(|p| {
            p.trim_end_matches('/')
                .rsplit('/')
                .next()
                .and_then(Step::from_slug)
                .unwrap_or(Step::Setup)
        })
    });
    let farthest = Signal::derive(move || store.draft.with(|d| d.reached).max(current.get()));
    let navigate = crate::paths::use_go_to();
    let href = {
        let paths = paths.clone();
        let edit_id = edit_id.clone();
        move |step: Step| match &edit_id {
            Some(id) => paths.edit(id, step),
            None => paths.new_connection(step),
        }
    };
    let go = {
        let navigate = navigate.clone();
        let href = href.clone();
        Callback::new(move |step: Step| {
            if store.draft.with_untracked(|d| d.reached < step) {
                store.draft.update(|d| d.reached = step);
            }
            navigate(&href(step));
        })
    };
    let session = use_session();
    let saved_id = move || {
        store
            .draft
            .with_untracked(|d| d.saved.as_ref().map(|s| s.id.clone()))
    };
    // A name another connection has is an error of Setup too (the field says so as it is
    // typed); Next stops there rather than leaving it to the server.
    let first_error = move |step: Step| {
        store.first_error_on(step).or_else(|| {
            let name = store.draft.with_untracked(|d| d.name.clone());
            (step == Step::Setup && session.is_name_taken(&name, saved_id().as_deref()))
                .then(|| "name".to_owned())
        })
    };
    let submit_state = RwSignal::new(Submit::Idle);
    // Next on Setup saves the connection on the server first, so that Permissions shows DoiT's
    // external ID: a refusal stays on Setup with the server's words under the fields; an
    // unreachable server does not hold the person up (the draft is kept and saved later).
    let next = Callback::new(move |step: Step| match first_error(step) {
        Some(field) => store.focus_field(&field),
        None => {
            let Some(n) = step.next() else {
                return;
            };
            // An edit saves nothing before Save.
            if step != Step::Setup || submit_state.get_untracked() != Submit::Idle || editing {
                go.run(n);
                return;
            }
            submit_state.set(Submit::Saving);
            store.server.set(None);
            store.draft.update(|d| {
                if d.reached < n {
                    d.reached = n;
                }
            });
            spawn_save(store, true, move |result| {
                submit_state.set(Submit::Idle);
                match result {
                    Err(e) if !e.is_retryable() => {
                        if let Some((field, _)) = store
                            .server
                            .with_untracked(|v| v.as_ref().and_then(|v| v.fields.first().cloned()))
                        {
                            store.focus_field(&field);
                        }
                    }
                    _ => go.run(n),
                }
            });
        }
    });

    // Saving while the person types: once the connection exists on the server (or once
    // Setup's Next was pressed), its fields are saved a moment after they stop changing and
    // when the network comes back (and by Next and Done).
    let fields = Memo::new(move |_| {
        store
            .request
            .with(|r| crate::draft::fields_fingerprint(&crate::draft::saved_fields(r)))
    });
    let settled_fields: Signal<String> =
        leptos_use::signal_debounced(Signal::<String>::from(fields), 800.0);
    Effect::new(move |_| {
        settled_fields.track();
        if !crate::is_online() {
            return;
        }
        let started = store
            .draft
            .with_untracked(|d| d.saved.is_some() || d.reached > Step::Setup);
        if started && !editing && submit_state.get_untracked() == Submit::Idle {
            spawn_save(store, false, |_| ());
        }
    });

    // Focus moves to the step heading when the step changes (not on first render).
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |previous: Option<Step>| {
        let step = current.get();
        if previous.is_some_and(|p| p != step) {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        }
        step
    });

    let cancel = {
        let navigate = navigate.clone();
        let to = paths.connections();
        let edited = edit_id.as_ref().map(|id| paths.connection(id));
        move |_| {
            if submit_state.get_untracked() != Submit::Idle {
                return;
            }
            // An edit: what was typed goes (after asking), the connection stays as saved.
            if let Some(back) = &edited {
                let dirty = store.draft.with_untracked(|d| d.is_dirty(&store.me()));
                let t = crate::i18n::t();
                if !dirty
                    || window()
                        .confirm_with_message(t.confirm_discard_edit)
                        .unwrap_or(false)
                {
                    store.discard();
                    navigate(back);
                }
                return;
            }
            let dirty = store.draft.with_untracked(|d| d.is_dirty(&store.me()));
            let saved = store.draft.with_untracked(|d| d.saved.clone());
            let t = crate::i18n::t();
            let question = if saved.is_some() {
                t.confirm_delete_saved_draft
            } else {
                t.confirm_discard_draft
            };
            let confirmed = !dirty || window().confirm_with_message(question).unwrap_or(false);
            if !confirmed {
                return;
            }
            let Some(saved) = saved else {
                store.discard();
                navigate(&to);
                return;
            };
            // The draft on the server goes too; gone already counts as deleted.
            let api = session.api();
            let navigate = navigate.clone();
            let to = to.clone();
            submit_state.set(Submit::Deleting);
            store.server.set(None);
            leptos::task::spawn_local(async move {
                while store.saving.get_untracked() {
                    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
                }
                let key = store
                    .draft
                    .with_untracked(|d| d.key_for("delete", &saved.id));
                let result = api
                    .delete_for_good(&saved.id, saved.etag.as_deref(), &key)
                    .await;
                submit_state.set(Submit::Idle);
                match result {
                    Ok(()) => {
                        store.discard();
                        session.connections.refetch();
                        navigate(&to);
                    }
                    Err(e) => show_refusal_or_unreachable(store, e),
                }
            });
        }
    };
    let done = if editing {
        edit::save_action(store, submit_state, go)
    } else {
        done_action(store, submit_state, go)
    };
    let step_href = Callback::new(move |step: Step| href(step));
    let general_error = Signal::derive(move || {
        store.server.with(|v| {
            v.as_ref()
                .filter(|v| v.fields.is_empty() || step_of_field(&v.fields[0].0) == current.get())
                .map(|v| v.error.clone())
        })
    });
    let request = store.request;
    let base = crate::preview::options_with(None);
    let options = Signal::derive(move || cloudflow_core::RenderOptions {
        external_id: store.external_id(),
        ..base.clone()
    });
    let t = crate::i18n::t();
    view! {
        <div class="cf-page cf-wizard">
            <StepNav
                current
                farthest
                href=step_href
                on_select=go
                label=if editing { t.edit_steps_label } else { t.steps_label }
            />
            <div class="cf-wizard__body">
                <section class="cf-wizard__content" aria-labelledby="cf-step-heading">
                    <h1 class="cf-wizard__title">{if editing { t.edit_title } else { t.wizard_title }}</h1>
                    <p class="cf-wizard__counter">
                        {move || crate::i18n::fill(t.step_of, &[&current.get().number(), &Step::ALL.len()])}
                    </p>
                    <h2 id="cf-step-heading" class="cf-wizard__heading" tabindex="-1" node_ref=heading>
                        {move || current.get().title()}
                    </h2>
                    {move || {
                        store
                            .notice
                            .get()
                            .map(|n| {
                                view! {
                                    <p class="cf-alert" role="status" data-kind="info">
                                        {n}
                                    </p>
                                }
                            })
                    }}
                    {editing.then(|| view! { <edit::ConflictNotice /> })}
                    <Outlet />
                    {editing.then(|| view! { <edit::WhatChanges /> })}
                    <ApiErrorNotice error=general_error />
                    <p class="cf-wizard__progress" role="status" aria-live="polite">
                        {move || match (submit_state.get(), store.save.get()) {
                            (_, crate::sync::SaveState::Retrying(s)) => s,
                            (Submit::Saving, _) => t.submit_saving.to_owned(),
                            (Submit::Finishing, _) if editing => t.submit_saving_edit.to_owned(),
                            (Submit::Finishing, _) => t.submit_finishing.to_owned(),
                            (Submit::Deleting, _) => t.submit_deleting.to_owned(),
                            (Submit::Idle, _) => String::new(),
                        }}
                    </p>
                    {(!editing).then(|| view! { <SaveStatus /> })}
                    <div class="cf-wizard__actions">
                        <button type="button" class="cf-button cf-button--link" on:click=cancel>
                            {t.cancel}
                        </button>
                        {move || {
                            current
                                .get()
                                .previous()
                                .map(|p| {
                                    view! {
                                        <button type="button" class="cf-button" on:click=move |_| go.run(p)>
                                            {t.previous}
                                        </button>
                                    }
                                })
                        }}
                        {move || match current.get() {
                            Step::Access => {
                                view! {
                                    <button
                                        type="button"
                                        class="cf-button cf-button--primary"
                                        aria-disabled=move || (submit_state.get() != Submit::Idle).then_some("true")
                                        on:click=move |_| done.run(())
                                    >
                                        {if editing { t.save } else { t.done }}
                                    </button>
                                }
                                    .into_any()
                            }
                            step => {
                                view! {
                                    <button
                                        type="button"
                                        class="cf-button cf-button--primary"
                                        on:click=move |_| next.run(step)
                                    >
                                        {t.next}
                                    </button>
                                }
                                    .into_any()
                            }
                        }}
                    </div>
                </section>
                <aside class="cf-preview" aria-labelledby="cf-preview-heading">
                    <h2 id="cf-preview-heading" class="cf-preview__heading">
                        {t.preview}
                    </h2>
                    <p class="cf-hint">
                        {move || {
                            if store.external_id().is_some() {
                                t.preview_hint_known
                            } else {
                                t.preview_hint_unknown
                            }
                        }}
                    </p>
                    <ArtefactTabs request=request options=options id="preview" />
                </aside>
            </div>
        </div>
    }
}

/// Presses Next on every step, as Done and Save do: the first field with an error is shown,
/// on its step, with focus. Whether there was none.
fn every_step_valid(store: WizardStore, go: Callback<Step>) -> bool {
    for step in Step::ALL {
        if let Some(field) = store.first_error_on(step) {
            go.run(step);
            store.focus_field(&field);
            return false;
        }
    }
    true
}

/// Done: every step checked locally; the draft brought up to date on the server (created
/// there first if it never was: exactly once, `crate::sync`); then one PATCH saves the access
/// list and enables it, and the page follows the connection. Whatever faults occur, one
/// connection: the create is the draft's, and the PATCH only changes it.
fn done_action(store: WizardStore, state: RwSignal<Submit>, go: Callback<Step>) -> Callback<()> {
    let session = use_session();
    let paths = use_paths();
    let navigate = crate::paths::use_go_to();
    Callback::new(move |()| {
        if state.get_untracked() != Submit::Idle || !every_step_valid(store, go) {
            return;
        }
        state.set(Submit::Finishing);
        store.server.set(None);
        let api = session.api();
        let paths = paths.clone();
        let navigate = navigate.clone();
        spawn_save(store, true, move |saved| {
            let saved = match saved {
                Ok(()) => store.draft.with_untracked(|d| d.saved.clone()),
                Err(e) => {
                    // A refusal is shown by the save; an unreachable server is said here.
                    if e.is_retryable() {
                        show_refusal_or_unreachable(store, e);
                    }
                    None
                }
            };
            let Some(saved) = saved else {
                state.set(Submit::Idle);
                return;
            };
            leptos::task::spawn_local(async move {
                let request = store.request.get_untracked();
                let patch = cloudflow_core::ConnectionPatch {
                    collaborators: Some(request.collaborators.clone()),
                    enabled: Some(true),
                    ..crate::draft::saved_fields(&request)
                };
                let result = crate::sync::patch(store, &api, &saved, &patch).await;
                state.set(Submit::Idle);
                match result {
                    Ok(done) => {
                        let id = done.connection.id().unwrap_or(&saved.id).to_owned();
                        store.discard();
                        session.connections.refetch();
                        navigate(&paths.connection(&id));
                    }
                    Err(error) => {
                        show_refusal_or_unreachable(store, error);
                        let first = store.server.with_untracked(|v| {
                            v.as_ref()
                                .and_then(|v| v.fields.first().map(|(f, _)| f.clone()))
                        });
                        if let Some(field) = first {
                            go.run(step_of_field(&field));
                            store.focus_field(&field);
                        }
                    }
                }
            });
        });
    })
}

/// Shows what went wrong in the step's error area (a refusal's fields under their controls).
fn show_refusal_or_unreachable(store: WizardStore, error: crate::api::ApiError) {
    if error.is_retryable() {
        store.server.set(Some(ServerVerdict {
            request: serde_json::Value::Null,
            fields: Vec::new(),
            error,
        }));
    } else {
        show_refusal(store, &error);
    }
}

/// One line on how the draft stands with DoiT: saved, saving, kept here until the network is
/// back, or refused (the refusal itself is in the error area).
#[component]
fn SaveStatus() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let t = crate::i18n::t();
    let text = move || {
        use crate::sync::SaveState;
        let saved = store.draft.with(|d| d.saved.is_some());
        match store.save.get() {
            SaveState::Saving => Some(t.save_saving.to_owned()),
            SaveState::Saved | SaveState::Idle if saved => Some(t.save_saved.to_owned()),
            SaveState::Pending(why) => Some(crate::i18n::fill(t.save_pending, &[&why])),
            SaveState::Refused(..) => Some(t.save_refused.to_owned()),
            _ => None,
        }
    };
    let kind = move || match store.save.get() {
        crate::sync::SaveState::Pending(_) | crate::sync::SaveState::Refused(..) => "warning",
        _ => "info",
    };
    view! {
        <p class="cf-wizard__saved" role="status" aria-live="polite" data-kind=kind hidden=move || text().is_none()>
            {move || text().unwrap_or_default()}
        </p>
    }
}

/// Accepts the dotted paths the API documents and JSON pointers (`/awsConfig/roleName`).
pub fn normalise_field(field: &str) -> String {
    match field.strip_prefix('/') {
        None => field.to_owned(),
        Some(pointer) => {
            let mut out = String::new();
            for part in pointer.split('/') {
                if part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty() {
                    out.push_str(&format!("[{part}]"));
                } else {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&part.replace("~1", "/").replace("~0", "~"));
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise_field;

    #[test]
    fn json_pointers_become_dotted_paths() {
        assert_eq!(normalise_field("awsConfig.roleName"), "awsConfig.roleName");
        assert_eq!(
            normalise_field("/awsConfig/context/1/accountId"),
            "awsConfig.context[1].accountId"
        );
        assert_eq!(normalise_field("/name"), "name");
    }
}
