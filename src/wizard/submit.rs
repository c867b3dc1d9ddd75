//! What the wizard sends: Next on Setup saves the connection on the server (so that
//! Permissions shows DoiT's external ID), Done finishes a new connection, Save an edit, and
//! Cancel deletes a draft the server holds; while the person types, what changed is saved in
//! the background. All run through one `Action::new_local`: it outlives the page (a request in
//! flight always ends), and what is being sent is the action's input, not a flag of its own.

use cloudflow_core::{ConnectionPatch, FieldPath};
use leptos::prelude::*;

use super::edit;
use crate::api::{Api, ApiError};
use crate::paths::{Paths, Route};
use crate::session::{use_session, Session};
use crate::use_paths;
use crate::wizard::draft::DraftStoreFields;
use crate::wizard::fields::step_of;
use crate::wizard::state::{ServerVerdict, WizardStore};
use crate::wizard::steps::Step;

/// What the wizard is sending, for its buttons and its progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submit {
    Idle,
    /// Next on Setup: the connection is being saved on the server.
    Saving,
    /// Done (or Save): the access list is saved and the connection enabled (or changed).
    Finishing,
    /// Cancel: the draft is being deleted on the server.
    Deleting,
}

/// What the wizard's action is asked to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sending {
    /// Next on Setup, with the step it leads to.
    Next(Step),
    /// Done, or Save in an edit.
    Finish,
    /// Cancel of a draft the server holds.
    Delete,
    /// What changed while the person types (nothing waits for it).
    Background,
}

/// The wizard's action, and what it needs to check before sending.
#[derive(Clone, Copy)]
pub struct Submits {
    action: Action<Sending, ()>,
    store: WizardStore,
    go: Callback<Step>,
}

/// Where the wizard goes and how, for the actions.
#[derive(Clone)]
struct Context {
    store: WizardStore,
    session: Session,
    paths: Paths,
    go: Callback<Step>,
    navigate: std::sync::Arc<dyn Fn(&Route) + Send + Sync>,
}

impl Submits {
    pub fn new(store: WizardStore, go: Callback<Step>) -> Submits {
        let navigate = crate::paths::use_go_to();
        let cx = Context {
            store,
            session: use_session(),
            paths: use_paths(),
            go,
            navigate: std::sync::Arc::new(move |to: &Route| navigate(to)),
        };
        let editing = store.edit_id().is_some();
        let action = Action::new_local(move |what: &Sending| {
            let (cx, what) = (cx.clone(), *what);
            async move {
                match what {
                    Sending::Next(to) => next_step(cx, to).await,
                    Sending::Finish if editing => {
                        edit::save(cx.store, cx.session, cx.paths, cx.go, cx.navigate).await
                    }
                    Sending::Finish => done(cx).await,
                    Sending::Delete => delete_saved(cx).await,
                    Sending::Background => {
                        let _ = save(cx.store, cx.session, false).await;
                    }
                }
            }
        });
        Submits { action, store, go }
    }

    /// What is being sent now (a tracked read).
    pub fn state(&self) -> Submit {
        self.action.input().with(|what| match what {
            Some(Sending::Next(_)) => Submit::Saving,
            Some(Sending::Finish) => Submit::Finishing,
            Some(Sending::Delete) => Submit::Deleting,
            Some(Sending::Background) | None => Submit::Idle,
        })
    }

    fn idle(&self) -> bool {
        untrack(|| self.state()) == Submit::Idle
    }

    /// Next on `step`: its first error gets focus; else the next step (a new connection is
    /// saved on the server first, from Setup; an edit saves nothing before Save).
    pub fn next(&self, step: Step) {
        if let Some(field) = self.store.first_error_on(step) {
            self.store.focus_field(&field);
            return;
        }
        let Some(n) = step.next() else {
            return;
        };
        if step != Step::Setup || !self.idle() || self.store.edit_id().is_some() {
            self.go.run(n);
            return;
        }
        self.action.dispatch_local(Sending::Next(n));
    }

    /// Done (or Save): every step checked as Next checks it, then sent.
    pub fn finish(&self) {
        if self.idle() && every_step_valid(self.store, self.go) {
            self.action.dispatch_local(Sending::Finish);
        }
    }

    /// Deletes the draft the server holds (Cancel, once the person said so).
    pub fn delete(&self) {
        if self.idle() {
            self.action.dispatch_local(Sending::Delete);
        }
    }

    /// Saves what changed, in the background (skipped while something else is sent).
    pub fn save_in_background(&self) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch_local(Sending::Background);
        }
    }

    /// Whether nothing is being sent (an untracked read, for Cancel).
    pub fn is_idle(&self) -> bool {
        self.idle()
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

/// Saves the draft (`crate::wizard::sync::save`; `explicit` for Next and Done); a refusal's words go
/// under the fields.
async fn save(store: WizardStore, session: Session, explicit: bool) -> Result<(), ApiError> {
    let known = {
        let request = store.request.get_untracked();
        session.connections_now.with_untracked(|c| match c {
            Some(Ok(list)) => crate::wizard::create::known_ids(list, &request),
            _ => Vec::new(),
        })
    };
    let result = crate::wizard::sync::save(store, session.api(), known, explicit).await;
    if let Err(e) = &result {
        show_refusal(store, e);
    }
    result
}

/// Next on Setup: the connection saved on the server, then `to`. A refusal stays on Setup with
/// the server's words under the fields; an unreachable server does not hold the person up (the
/// draft is kept and saved later).
async fn next_step(cx: Context, to: Step) {
    let store = cx.store;
    store.server.set(None);
    store.reach(to);
    match save(store, cx.session, true).await {
        Err(e) if !e.is_retryable() => {
            if let Some(field) = first_refused(store) {
                store.focus_field(&field);
            }
        }
        _ => cx.go.run(to),
    }
}

/// Done: the draft brought up to date on the server (created there first if it never was:
/// exactly once, `crate::sync`); then one PATCH saves the access list and enables it, and the
/// page follows the connection. Whatever faults occur, one connection.
async fn done(cx: Context) {
    let store = cx.store;
    store.server.set(None);
    let saved = match save(store, cx.session, true).await {
        Ok(()) => store.draft.saved().get_untracked(),
        Err(e) => {
            // A refusal is shown by the save; an unreachable server is said here.
            if e.is_retryable() {
                show_refusal_or_unreachable(store, e);
            }
            None
        }
    };
    let Some(saved) = saved else {
        return;
    };
    let request = store.request.get_untracked();
    let patch = ConnectionPatch {
        collaborators: Some(request.collaborators.clone()),
        enabled: Some(true),
        ..crate::wizard::draft::saved_fields(&request)
    };
    let api: Api = cx.session.api();
    match crate::wizard::sync::patch(store, &api, &saved, &patch).await {
        Ok(done) => {
            let id = done.connection.id().unwrap_or(&saved.id).to_owned();
            store.discard();
            cx.session.connections.refetch();
            (cx.navigate)(&cx.paths.connection(&id));
        }
        Err(error) => {
            show_refusal_or_unreachable(store, error);
            show_first_refused(store, cx.go);
        }
    }
}

/// Cancel, for a draft the server holds: deleted there (gone already counts as deleted), then
/// the list.
async fn delete_saved(cx: Context) {
    let store = cx.store;
    let Some(saved) = store.draft.saved().get_untracked() else {
        return;
    };
    store.server.set(None);
    while store.saving.get_untracked() {
        gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    }
    let key = store
        .draft
        .with_untracked(|d| d.key_for("delete", &saved.id));
    let api = cx.session.api();
    match api
        .delete_for_good(&saved.id, saved.etag.as_deref(), &key)
        .await
    {
        Ok(()) => {
            store.discard();
            cx.session.connections.refetch();
            (cx.navigate)(&cx.paths.connections());
        }
        Err(e) => show_refusal_or_unreachable(store, e),
    }
}

/// The first field the server refused, if it named one.
fn first_refused(store: WizardStore) -> Option<FieldPath> {
    store.server.with_untracked(|v| {
        v.as_ref()
            .and_then(|v| v.fields.first().map(|(f, _)| f.clone()))
    })
}

/// Goes to the step of the first field the server refused, and focuses it.
pub fn show_first_refused(store: WizardStore, go: Callback<Step>) {
    if let Some(field) = first_refused(store) {
        go.run(step_of(&field));
        store.focus_field(&field);
    }
}

/// A refusal's fields go under their controls (while unchanged); the rest to the error area.
fn show_refusal(store: WizardStore, error: &ApiError) {
    if error.is_retryable() {
        return;
    }
    let fields = error
        .problem()
        .map(|p| {
            p.field_issues()
                .map(|(f, issue)| (FieldPath::parse(f), issue.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    store.server.set(Some(ServerVerdict {
        request: store.request.get_untracked(),
        fields,
        error: error.clone(),
    }));
}

/// Shows what went wrong in the step's error area (a refusal's fields under their controls).
pub fn show_refusal_or_unreachable(store: WizardStore, error: ApiError) {
    if error.is_retryable() {
        store.server.set(Some(ServerVerdict {
            request: store.request.get_untracked(),
            fields: Vec::new(),
            error,
        }));
    } else {
        show_refusal(store, &error);
    }
}
