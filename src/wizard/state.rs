//! The wizard's state in one store: the draft (a keyed store, the only state the person
//! writes), and everything derived from it as memos — the request, the report (validation and
//! the tenant's rules), which messages each control shows, whether anything was typed. Effects
//! talk to the outside world (the tab's copy of the draft), and one hands each field its
//! messages when they change ([`deliver`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use cloudflow_core::{CollaboratorRole, CreateConnectionRequest, FieldPath, Report, Severity};
use leptos::prelude::*;
use reactive_stores::Store;

use super::catalogs::CatalogStore;
use super::draft::{
    AccountRow, ActionRow, CollaboratorRow, CollaboratorRowStoreFields, Draft, DraftStoreFields,
    STORAGE_KEY,
};
use super::fields::{step_of, Control};
use super::steps::Step;
use crate::api::ApiError;

/// What the server said when it refused a create or a change.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVerdict {
    /// The request the verdict is about, to tell whether a field changed since.
    pub request: CreateConnectionRequest,
    /// `(field, issue)` pairs from problem+json `details[]`.
    pub fields: Vec<(FieldPath, String)>,
    /// The error itself (its detail and Request-Id show in the step's error area).
    pub error: ApiError,
}

/// A problem's message in the page's language (the core's rule, translated; a problem the
/// core cannot name keeps its own words).
fn translated(p: &cloudflow_core::Problem) -> String {
    match p.rule {
        cloudflow_core::Rule::Unknown => p.message.clone(),
        ref rule => crate::i18n::rule(crate::i18n::t(), rule),
    }
}

/// What one control shows under it now: its errors (once the person left it or pressed Next
/// on its step; a taken name at once; the server's while the field is as the server saw it)
/// and its warnings (always).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shown {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// The report, translated, by the control that shows each message (a few dozen at most: a
/// list, in the report's order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Messages(Vec<(Control, Shown)>);

impl Messages {
    /// What `control` shows (nothing when it has no message).
    pub fn of(&self, control: Control) -> Shown {
        self.0
            .iter()
            .find(|(c, _)| *c == control)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }

    /// The messages of `control`, to add to.
    fn entry(&mut self, control: Control) -> &mut Shown {
        let i = match self.0.iter().position(|(c, _)| *c == control) {
            Some(i) => i,
            None => {
                self.0.push((control, Shown::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }
}

/// The other connections of the tenant, as far as they are loaded (`None`: not known).
pub type Neighbours = Signal<Option<Arc<Vec<crate::api::Connection>>>>;

#[derive(Clone, Copy)]
pub struct WizardStore {
    /// The draft: the only state the person writes. Components read and write its fields and
    /// rows (by key) through the store's accessors (`DraftStoreFields`).
    pub draft: Store<Draft>,
    /// DoiT's request for the draft, built once per change.
    pub request: Memo<CreateConnectionRequest>,
    /// Every problem: the request's own ([`cloudflow_core::validate`]) and the tenant's
    /// ([`cloudflow_core::tenant_rules`]: a name or a role name another connection has).
    pub report: Memo<Arc<Report>>,
    /// What each control shows (see [`Shown`]).
    messages: Memo<Arc<Messages>>,
    /// The controls on the page and the signal each reads its messages from (see
    /// [`WizardStore::shown`]).
    outlets: StoredValue<Vec<(Control, RwSignal<Shown>)>>,
    /// Whether the person typed anything worth asking about before Cancel.
    pub dirty: Memo<bool>,
    /// Steps on which Next (or Done) was pressed: their required-field errors show.
    pub attempted: RwSignal<BTreeSet<Step>>,
    /// Controls the person has left: their errors show.
    pub touched: RwSignal<Vec<Control>>,
    pub server: RwSignal<Option<ServerVerdict>>,
    /// Said once when a stored draft could not be restored.
    pub notice: RwSignal<Option<String>>,
    pub catalogs: CatalogStore,
    /// How the draft stands on the server (`crate::sync`).
    pub save: RwSignal<crate::wizard::sync::SaveState>,
    /// A save is running (runs never overlap).
    pub saving: RwSignal<bool>,
    /// The signed-in person's email, `""` until their record has loaded (the wizard opens
    /// before that: [`WizardStore::adopt_me`]).
    me: RwSignal<String>,
    /// Where the tab keeps this draft (the new connection's, or one per edited connection).
    key: StoredValue<String>,
    /// The id of the connection being edited (`None`: a new connection).
    edit_id: StoredValue<Option<String>>,
    /// What someone else changed while this edit was open (shown until the next save).
    pub conflict: RwSignal<Option<cloudflow_core::ChangeSummary>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Makes `draft` the tab's draft (the wizard opens with it next).
pub fn put_draft(draft: &Draft) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, &draft.to_json());
    }
}

/// How long typing pauses before the draft is written to the tab's storage, and before the
/// name is compared with the other connections' (until Next was pressed on Setup).
const SETTLE_MS: f64 = 300.0;

impl WizardStore {
    /// Restores the tab's draft of a new connection, or starts one for `me`.
    pub fn new(me: String, catalogs: CatalogStore) -> WizardStore {
        let fresh = Draft::new(new_draft_id(), &me);
        WizardStore::open(me, catalogs, STORAGE_KEY.to_owned(), fresh)
    }

    /// Restores the draft the tab keeps under `key` (an edit kept across a reload), or starts
    /// from `fresh`. The tenant's other connections are the session's (none without one).
    pub fn open(me: String, catalogs: CatalogStore, key: String, fresh: Draft) -> WizardStore {
        let neighbours: Neighbours = match use_context::<crate::session::Session>() {
            Some(session) => Signal::derive(move || {
                session
                    .connections_now
                    .with(|c| c.as_ref().and_then(|r| r.as_ref().ok()).cloned())
            }),
            None => Signal::stored(None),
        };
        WizardStore::open_with(me, catalogs, key, fresh, neighbours)
    }

    /// [`WizardStore::open`] against these other connections.
    pub fn open_with(
        me: String,
        catalogs: CatalogStore,
        key: String,
        fresh: Draft,
        neighbours: Neighbours,
    ) -> WizardStore {
        let stored = storage().and_then(|s| s.get_item(&key).ok().flatten());
        // An edit's stored draft must be of the same connection.
        let same = |d: &Draft| d.editing.is_some() == fresh.editing.is_some();
        let edit_id = fresh
            .editing
            .as_ref()
            .and(fresh.saved.as_ref())
            .map(|s| s.id.clone());
        let (draft, notice) = match stored.as_deref().map(Draft::restore) {
            Some(Ok(d)) if same(&d) => (d, None),
            Some(Ok(_)) => (fresh, None),
            Some(Err(e)) => (fresh, Some(e.to_string())),
            None => (fresh, None),
        };
        let draft = Store::new(draft);
        refresh_keys(draft);
        let request = Memo::new(move |_| draft.with(Draft::to_request));
        let me = RwSignal::new(me);
        let attempted = RwSignal::new(BTreeSet::new());
        let touched = RwSignal::new(Vec::new());
        let server = RwSignal::new(None::<ServerVerdict>);

        // Built once, when the last catalogue arrives (they never change afterwards).
        let all = Memo::new_with_compare(
            move |_| catalogs.all().map(Arc::new),
            |old, new| old.map(Option::is_some) != new.map(Option::is_some),
        );
        let tenant = tenant_report(draft, request, attempted, neighbours);
        let report = Memo::new(move |_| {
            let cats = all.get();
            let own = request.with(|r| cloudflow_core::validate(r, cats.as_deref()));
            Arc::new(tenant.with(|t| own.join(t.clone())))
        });
        let messages = Memo::new(move |_| {
            report.with(|report| {
                Arc::new(messages(draft, request, report, attempted, touched, server))
            })
        });
        let outlets = StoredValue::new(Vec::new());
        deliver(messages, outlets);
        // Compared with the draft's request as it was before anything was typed: computed
        // again only when that changes (the person, or the connection an edit began from).
        let untouched = Memo::new(move |_| {
            let me = me.get();
            draft.editing().track();
            draft.with_untracked(|d| d.untouched_request(&me))
        });
        let dirty = Memo::new(move |_| {
            untouched.with(|u| request.with(|r| draft.with(|d| d.is_dirty(r, u))))
        });
        let key = StoredValue::new(key);
        autosave(draft, dirty, key);
        WizardStore {
            draft,
            request,
            report,
            messages,
            outlets,
            dirty,
            attempted,
            touched,
            server,
            notice: RwSignal::new(notice),
            catalogs,
            save: RwSignal::new(crate::wizard::sync::SaveState::Idle),
            saving: RwSignal::new(false),
            me,
            key,
            edit_id: StoredValue::new(edit_id),
            conflict: RwSignal::new(None),
        }
    }

    /// The id of the connection this wizard edits (`None` for a new connection).
    pub fn edit_id(&self) -> Option<String> {
        self.edit_id.get_value()
    }

    pub fn me(&self) -> String {
        self.me.get_untracked()
    }

    /// The signed-in person, once known: a draft started before (the wizard opens before
    /// their record loads) gets them as its Owner where its Owner row is still empty.
    pub fn adopt_me(&self, email: &str) {
        if self.me.with_untracked(|m| m == email) {
            return;
        }
        self.me.set(email.to_owned());
        let empty_owner = self.draft.collaborators().with_untracked(|rows| {
            rows.iter()
                .find(|c| c.email.is_empty() && c.role == CollaboratorRole::Owner)
                .map(|c| c.key)
        });
        if let Some(key) = empty_owner {
            self.draft
                .collaborators()
                .at_key(key)
                .email()
                .set(email.to_owned());
        }
    }

    /// Throws the draft away (Cancel, or after a successful create).
    pub fn discard(&self) {
        if let Some(s) = storage() {
            self.key.with_value(|k| {
                let _ = s.remove_item(k);
            });
        }
        self.replace_draft(|d| *d = Draft::new(new_draft_id(), &self.me()));
        self.attempted.set(BTreeSet::new());
        self.touched.set(Vec::new());
        self.server.set(None);
        self.save.set(crate::wizard::sync::SaveState::Idle);
    }

    /// Changes the draft as a whole (a new one, or an edit moved onto a newer version), and
    /// what `change` returns. Every reader is told.
    pub fn replace_draft<T>(&self, change: impl FnOnce(&mut Draft) -> T) -> Option<T> {
        let out = self.draft.try_update(change);
        refresh_keys(self.draft);
        out
    }

    /// DoiT's external ID for this draft, once the server has saved it and said it.
    pub fn external_id(&self) -> Option<String> {
        self.draft
            .saved()
            .with(|s| s.as_ref().and_then(|s| s.external_id.clone()))
    }

    /// The id of the draft's connection on the server, once saved (a tracked read).
    pub fn saved_id(&self) -> Option<String> {
        self.draft
            .saved()
            .with(|s| s.as_ref().map(|s| s.id.clone()))
    }

    /// What `control` shows now: told only when its own messages change (for as long as the
    /// calling component lives).
    pub fn shown(&self, control: Control) -> Signal<Shown> {
        let value = RwSignal::new(self.messages.with_untracked(|m| m.of(control)));
        let outlets = self.outlets;
        outlets.update_value(|o| o.push((control, value)));
        on_cleanup(move || {
            outlets.try_update_value(|o| o.retain(|(_, s)| *s != value));
        });
        value.read_only().into()
    }

    /// The person left `control`: its errors show from now on.
    pub fn touch(&self, control: Control) {
        if !self.touched.with_untracked(|t| t.contains(&control)) {
            self.touched.update(|t| t.push(control));
        }
    }

    /// Presses Next/Done on `step`: the first field with an error there, if any (the tenant's
    /// rules included: a taken name stops Next and Done alike).
    pub fn first_error_on(&self, step: Step) -> Option<FieldPath> {
        self.attempted.update(|a| {
            a.insert(step);
        });
        self.report.with_untracked(|r| {
            r.errors()
                .find(|p| step_of(&p.field) == step)
                .map(|p| p.field.clone())
        })
    }

    /// Moves focus to the control that edits `field`.
    pub fn focus_field(&self, field: &FieldPath) {
        let id = self
            .draft
            .with_untracked(|d| d.control_of(field).map(|c| d.focus_id(c)));
        if let Some(id) = id {
            focus_id(&id);
        }
    }

    /// Adds an account row; its key.
    pub fn add_account(&self) -> u32 {
        let key = self.new_key();
        self.draft.accounts().write().push(AccountRow {
            key,
            ..AccountRow::default()
        });
        key
    }

    /// Adds an action row; its key.
    pub fn add_action(&self) -> u32 {
        let key = self.new_key();
        self.draft.actions().write().push(ActionRow {
            key,
            action: String::new(),
        });
        key
    }

    /// Adds a person (at User level); the row's key.
    pub fn add_collaborator(&self) -> u32 {
        let key = self.new_key();
        self.draft
            .collaborators()
            .write()
            .push(CollaboratorRow::blank(key, CollaboratorRole::User));
        key
    }

    pub fn remove_account(&self, key: u32) {
        self.draft.accounts().write().retain(|r| r.key != key);
    }

    pub fn remove_action(&self, key: u32) {
        self.draft.actions().write().retain(|r| r.key != key);
    }

    pub fn remove_collaborator(&self, key: u32) {
        self.draft.collaborators().write().retain(|r| r.key != key);
    }

    /// The step reached so far moves on to `step` (never back).
    pub fn reach(&self, step: Step) {
        if self.draft.reached().get_untracked() < step {
            self.draft.reached().set(step);
        }
    }

    fn new_key(&self) -> u32 {
        self.draft
            .next_key()
            .try_update(|k| {
                *k += 1;
                *k - 1
            })
            .unwrap_or(0)
    }
}

/// Has the store learn the rows' keys from the draft as it is. The store learns them when a
/// list is iterated or written as a whole; a row written by its key before that (or after the
/// draft was replaced) would find no row.
fn refresh_keys(draft: Store<Draft>) {
    draft.accounts().update_keys();
    draft.actions().update_keys();
    draft.collaborators().update_keys();
}

/// The tenant's rules over the draft, against `neighbours`. Until Next was pressed on Setup the
/// name is compared once typing pauses (a name half typed is nobody's yet); after, at once.
fn tenant_report(
    draft: Store<Draft>,
    request: Memo<CreateConnectionRequest>,
    attempted: RwSignal<BTreeSet<Step>>,
    neighbours: Neighbours,
) -> Memo<Report> {
    let typed = Signal::derive(move || draft.name().get());
    let paused: Signal<String> = leptos_use::signal_debounced(typed, SETTLE_MS);
    Memo::new(move |_| {
        let at_once = attempted.with(|a| a.contains(&Step::Setup));
        let name = if at_once { typed.get() } else { paused.get() };
        let own = draft.saved().with(|s| s.as_ref().map(|s| s.id.clone()));
        neighbours.with(|list| {
            let Some(list) = list else {
                return Report::default();
            };
            request.with(|r| {
                let candidate = cloudflow_core::Candidate {
                    name: &name,
                    ..cloudflow_core::Candidate::of(r)
                };
                let others = list.iter().filter_map(cloudflow_core::Neighbour::of);
                cloudflow_core::tenant_rules(&candidate, own.as_deref(), others)
            })
        })
    })
}

/// Hands each control on the page its messages, when they changed.
///
/// The one effect of the store that is not the outside world, kept on purpose: reactive_graph
/// marks every node below a changed memo for a check, equal value or not, so with each field
/// reading `messages` a keystroke anywhere reached all of the large draft's ~400 fields
/// (measured: ~1 ms of script per keystroke). Here the messages are computed once per change
/// and only the fields whose own messages changed are told.
fn deliver(messages: Memo<Arc<Messages>>, outlets: StoredValue<Vec<(Control, RwSignal<Shown>)>>) {
    Effect::new(move |_| {
        messages.with(|m| {
            outlets.with_value(|list| {
                for (control, shown) in list {
                    let now = m.of(*control);
                    if shown.with_untracked(|was| *was != now) {
                        shown.try_set(now);
                    }
                }
            })
        })
    });
}

/// Sorts the report's messages (and the server's word on a refusal) by the control that shows
/// them, translated, keeping only those shown now (see [`Shown`]).
fn messages(
    draft: Store<Draft>,
    request: Memo<CreateConnectionRequest>,
    report: &Report,
    attempted: RwSignal<BTreeSet<Step>>,
    touched: RwSignal<Vec<Control>>,
    server: RwSignal<Option<ServerVerdict>>,
) -> Messages {
    let mut out = Messages::default();
    draft.with(|d| {
        attempted.with(|attempted| {
            touched.with(|touched| {
                for p in &report.problems {
                    let Some(control) = d.control_of(&p.field) else {
                        continue;
                    };
                    let entry = out.entry(control);
                    match p.severity {
                        Severity::Warning => entry.warnings.push(translated(p)),
                        Severity::Error => {
                            let shown = p.rule == cloudflow_core::Rule::NameTaken
                                || touched.contains(&control)
                                || attempted.contains(&control.step());
                            if shown {
                                entry.errors.push(translated(p));
                            }
                        }
                    }
                }
            })
        });
        server.with(|v| {
            let Some(v) = v else {
                return;
            };
            request.with(|now| {
                for (field, issue) in &v.fields {
                    let unchanged = field.value_in(&v.request) == field.value_in(now);
                    if let Some(control) = d.control_of(field).filter(|_| unchanged) {
                        out.entry(control).errors.push(issue.clone());
                    }
                }
            })
        });
    });
    for (_, shown) in &mut out.0 {
        shown.errors.dedup();
    }
    out.0
        .retain(|(_, s)| !s.errors.is_empty() || !s.warnings.is_empty());
    out
}

/// Writes the draft to the tab's sessionStorage a moment after it stops changing (and when the
/// page is hidden or left: nothing typed is lost to a reload): a draft with content (never a
/// token); a blank one leaves nothing behind.
fn autosave(draft: Store<Draft>, dirty: Memo<bool>, key: StoredValue<String>) {
    // Whether a change waits to be written (the page's end writes it at once).
    let pending = StoredValue::new(false);
    let write = move || {
        if pending.try_get_value() != Some(true) {
            return;
        }
        pending.set_value(false);
        let Some(json) = dirty
            .try_get_untracked()
            .and_then(|dirty| draft.try_with_untracked(|d| dirty.then(|| d.to_json())))
        else {
            return;
        };
        let (Some(s), Some(key)) = (storage(), key.try_get_value()) else {
            return;
        };
        let _ = match json {
            Some(json) => s.set_item(&key, &json),
            None => s.remove_item(&key),
        };
    };
    let later = leptos_use::use_debounce_fn(write, SETTLE_MS);
    Effect::new(move |first: Option<()>| {
        draft.track();
        // The draft as opened is in storage already (or blank).
        if first.is_some() {
            pending.set_value(true);
            later();
        }
    });
    let hidden = window_event_listener(leptos::ev::pagehide, move |_| write());
    on_cleanup(move || {
        write();
        hidden.remove();
    });
}

/// A field of a row, as a memo: the row's value, or the empty value once the row is gone (a
/// row's view may hear of a change before the list that removes it does).
pub fn row_field<T, F>(field: F) -> Memo<T>
where
    F: Get<Value = T> + Send + Sync + 'static,
    T: Clone + Default + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| field.try_get().unwrap_or_default())
}

/// Focuses the element with this id, once the DOM has it.
pub fn focus_id(id: &str) {
    let id = id.to_owned();
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(&id) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// A random id for a new draft (the base of its Idempotency-Key).
pub fn new_draft_id() -> String {
    let mut bytes = [0u8; 16];
    let ok = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !ok {
        // No Web Crypto: fall back to time and Math.random, still unique per tab.
        let t = js_sys::Date::now() as u64;
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = ((t >> ((i % 8) * 8)) as u8) ^ ((js_sys::Math::random() * 256.0) as u8);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
