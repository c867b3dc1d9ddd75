//! `/connections/aws/new/*`: the wizard frame (step nav, heading, Previous /
//! Next / Done, live preview) around the current step's form.

use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

pub mod access;
pub mod permissions;
pub mod setup;

pub use access::AccessStep;
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

/// Waits for the signed-in person, then opens the wizard, or explains why not.
#[component]
pub fn NewConnectionWizard() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition fallback=|| view! { <p class="cf-hint">"Loading…"</p> }>
            {move || {
                session
                    .viewer
                    .get()
                    .map(|v| match v {
                        Ok(v) if v.can_manage => view! { <Wizard me=v.email /> }.into_any(),
                        Ok(_) => {
                            view! {
                                <section class="cf-page cf-wizard__content">
                                    <h1>"Create AWS connection"</h1>
                                    <PermissionNotice />
                                </section>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <PermissionCheckFailed error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// The state of the Done button's request.
#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Idle,
    Checking,
    Creating,
    LookingUp,
    Retrying(String),
}

#[component]
fn Wizard(me: String) -> impl IntoView {
    let store = WizardStore::new(me, expect_context::<CatalogStore>());
    provide_context(store);
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
    let go = {
        let paths = paths.clone();
        let navigate = navigate.clone();
        Callback::new(move |step: Step| {
            if store.draft.with_untracked(|d| d.reached < step) {
                store.draft.update(|d| d.reached = step);
            }
            navigate(&paths.new_connection(step));
        })
    };
    let session = use_session();
    // A name another connection has is an error of Setup too (the field says so as it is
    // typed); Next stops there rather than leaving it to Done's dry run.
    let first_error = move |step: Step| {
        store.first_error_on(step).or_else(|| {
            let name = store.draft.with_untracked(|d| d.name.clone());
            (step == Step::Setup && session.is_name_taken(&name)).then(|| "name".to_owned())
        })
    };
    let next = Callback::new(move |step: Step| match first_error(step) {
        Some(field) => store.focus_field(&field),
        None => {
            if let Some(n) = step.next() {
                go.run(n);
            }
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
        move |_| {
            let dirty = store.draft.with_untracked(|d| d.is_dirty(&store.me()));
            let confirmed = !dirty
                || window()
                    .confirm_with_message(
                        "Discard this draft? What you typed in this wizard will be lost.",
                    )
                    .unwrap_or(false);
            if confirmed {
                store.discard();
                navigate(&to);
            }
        }
    };
    let submit_state = RwSignal::new(Submit::Idle);
    let done = done_action(store, submit_state, go);
    let step_href = {
        let paths = paths.clone();
        Callback::new(move |step: Step| paths.new_connection(step))
    };
    let general_error = Signal::derive(move || {
        store.server.with(|v| {
            v.as_ref()
                .filter(|v| v.fields.is_empty() || step_of_field(&v.fields[0].0) == current.get())
                .map(|v| v.error.clone())
        })
    });
    let request = store.request;
    let options = Signal::derive(cloudflow_core::RenderOptions::default);
    view! {
        <div class="cf-page cf-wizard">
            <StepNav current farthest href=step_href on_select=go />
            <div class="cf-wizard__body">
                <section class="cf-wizard__content" aria-labelledby="cf-step-heading">
                    <h1 class="cf-wizard__title">"Create AWS connection"</h1>
                    <p class="cf-wizard__counter">
                        {move || format!("Step {} of {}", current.get().number(), Step::ALL.len())}
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
                    <Outlet />
                    <ApiErrorNotice error=general_error />
                    <p class="cf-wizard__progress" role="status" aria-live="polite">
                        {move || match submit_state.get() {
                            Submit::Idle => String::new(),
                            Submit::Checking => "Checking the connection with DoiT…".into(),
                            Submit::Creating => "Creating the connection…".into(),
                            Submit::LookingUp => {
                                "No answer came back: checking whether the connection was created…".into()
                            }
                            Submit::Retrying(s) => s,
                        }}
                    </p>
                    <div class="cf-wizard__actions">
                        <button type="button" class="cf-button cf-button--link" on:click=cancel>
                            "Cancel"
                        </button>
                        {move || {
                            current
                                .get()
                                .previous()
                                .map(|p| {
                                    view! {
                                        <button type="button" class="cf-button" on:click=move |_| go.run(p)>
                                            "Previous"
                                        </button>
                                    }
                                })
                        }}
                        {move || match current.get() {
                            Step::Access => {
                                let done = done.clone();
                                view! {
                                    <button
                                        type="button"
                                        class="cf-button cf-button--primary"
                                        aria-disabled=move || (submit_state.get() != Submit::Idle).then_some("true")
                                        on:click=move |_| done()
                                    >
                                        "Done"
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
                                        "Next"
                                    </button>
                                }
                                    .into_any()
                            }
                        }}
                    </div>
                </section>
                <aside class="cf-preview" aria-labelledby="cf-preview-heading">
                    <h2 id="cf-preview-heading" class="cf-preview__heading">
                        "Preview"
                    </h2>
                    <p class="cf-hint">
                        "What will be applied in each account, as you type. DoiT fills in the external ID when the connection is created."
                    </p>
                    <ArtefactTabs request=request options=options id="preview" />
                </aside>
            </div>
        </div>
    }
}

/// Done: every step checked locally, then the server's dry run, then the create — exactly
/// one connection whatever the server supports (`crate::create`): the same Idempotency-Keys
/// on every retry of the same content, a dry run trusted only when the server says it was
/// one, and a look for the connection after any failure that may have created it. What the
/// draft knows of an earlier try (the connections of its name that existed before) survives
/// a reload with the draft.
fn done_action(
    store: WizardStore,
    state: RwSignal<Submit>,
    go: Callback<Step>,
) -> impl Fn() + Clone + 'static {
    let session = use_session();
    let paths = use_paths();
    let navigate = crate::paths::use_go_to();
    move || {
        if state.get_untracked() != Submit::Idle {
            return;
        }
        for step in Step::ALL {
            if let Some(field) = store.first_error_on(step) {
                go.run(step);
                store.focus_field(&field);
                return;
            }
        }
        let api = session.api();
        let request = store.request.get_untracked();
        // Remembered before the first POST: the connections of this name that exist now are
        // never taken for the one this draft creates.
        let look_first = store.draft.with_untracked(|d| d.create_started.is_some());
        if !look_first {
            let known = session.connections_now.with_untracked(|c| match c {
                Some(Ok(list)) => crate::create::known_ids(list, &request),
                _ => Vec::new(),
            });
            store.draft.update(|d| d.create_started = Some(known));
        }
        let known = store
            .draft
            .with_untracked(|d| d.create_started.clone().unwrap_or_default());
        let keys = store.draft.with_untracked(|d| crate::create::Keys {
            dry_run: d.idempotency_key(true),
            create: d.idempotency_key(false),
        });
        let paths = paths.clone();
        let navigate = navigate.clone();
        state.set(Submit::Checking);
        store.server.set(None);
        leptos::task::spawn_local(async move {
            let on_retry =
                move |attempt: u32, wait: std::time::Duration, e: &crate::api::ApiError| {
                    state.set(Submit::Retrying(format!(
                        "{e} Retrying in {:.1} s (attempt {} of {}).",
                        wait.as_secs_f32(),
                        attempt + 1,
                        crate::retry::MAX_ATTEMPTS
                    )));
                };
            let on_phase = move |phase: crate::create::Phase| {
                state.set(match phase {
                    crate::create::Phase::Checking => Submit::Checking,
                    crate::create::Phase::Creating => Submit::Creating,
                    crate::create::Phase::LookingUp => Submit::LookingUp,
                })
            };
            let plan = crate::create::Plan {
                request: &request,
                keys: &keys,
                known: &known,
                dry_run_first: true,
                look_first,
            };
            let result = crate::create::create_once(&api, &plan, on_phase, on_retry).await;
            state.set(Submit::Idle);
            match result {
                Ok(created) => {
                    store.discard();
                    session.connections.refetch();
                    let to = created
                        .id()
                        .map(|id| paths.connection(id))
                        .unwrap_or_else(|| paths.connections());
                    navigate(&to);
                }
                Err(error) => {
                    // A refusal (4xx) means nothing was created: the next Done starts afresh.
                    // After a failure that may have created it, the next Done looks first.
                    if !error.is_ambiguous() {
                        store.draft.update(|d| d.create_started = None);
                    }
                    let fields: Vec<(String, String)> = error
                        .problem()
                        .map(|p| {
                            p.field_issues()
                                .map(|(f, issue)| (normalise_field(f), issue.to_owned()))
                                .collect()
                        })
                        .unwrap_or_default();
                    let first = fields.first().map(|(f, _)| f.clone());
                    store.server.set(Some(ServerVerdict {
                        request: serde_json::to_value(&request).unwrap_or_default(),
                        fields,
                        error,
                    }));
                    if let Some(field) = first {
                        go.run(step_of_field(&field));
                        store.focus_field(&field);
                    }
                }
            }
        });
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
