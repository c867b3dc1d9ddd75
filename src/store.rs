//! The wizard's state in one store: the draft (the only written state), and
//! everything derived from it as memos — the request, the validation report,
//! which messages each field shows. Effects only talk to the outside world
//! (sessionStorage, catalogue fetches).

use std::collections::BTreeSet;
use std::sync::Arc;

use cloudflow_core::{
    ActionCatalog, Catalogs, CreateConnectionRequest, PolicyCatalog, RegionCatalog, Report,
    Severity,
};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::draft::{step_of_field, Draft, STORAGE_KEY};
use crate::steps::Step;

/// What the server said when it refused a create or a change.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVerdict {
    /// The request the verdict is about, as JSON, to tell whether a field changed since.
    pub request: serde_json::Value,
    /// `(field, issue)` pairs from problem+json `details[]`.
    pub fields: Vec<(String, String)>,
    /// The error itself (its detail and Request-Id show in the step's error area).
    pub error: ApiError,
}

/// The catalogues, fetched when a step first needs them.
#[derive(Clone, Copy)]
pub struct CatalogStore {
    pub regions: RwSignal<Option<Arc<RegionCatalog>>>,
    pub actions: RwSignal<Option<Arc<ActionCatalog>>>,
    pub policies: RwSignal<Option<Arc<PolicyCatalog>>>,
    requested: StoredValue<BTreeSet<&'static str>>,
    pub error: RwSignal<Option<String>>,
}

impl CatalogStore {
    pub fn new() -> CatalogStore {
        CatalogStore {
            regions: RwSignal::new(None),
            actions: RwSignal::new(None),
            policies: RwSignal::new(None),
            requested: StoredValue::new(BTreeSet::new()),
            error: RwSignal::new(None),
        }
    }

    /// Fetches `catalog/<file>` once, and hands its text to `apply`.
    fn fetch(
        &self,
        file: &'static str,
        apply: impl FnOnce(&str) -> Result<(), cloudflow_core::CatalogError> + 'static,
    ) {
        let first = self
            .requested
            .try_update_value(|r| r.insert(file))
            .unwrap_or(false);
        if first {
            fetch_catalog(file, Box::new(apply), self.error);
        }
    }

    /// Setup needs the regions.
    pub fn need_regions(&self) {
        let into = self.regions;
        self.fetch("regions.json", move |t| {
            into.set(Some(Arc::new(RegionCatalog::from_json(t)?)));
            Ok(())
        });
    }

    /// Permissions needs the actions and the managed policies.
    pub fn need_permissions(&self) {
        self.need_regions();
        let actions = self.actions;
        self.fetch("iam-actions.json", move |t| {
            actions.set(Some(Arc::new(ActionCatalog::from_json(t)?)));
            Ok(())
        });
        let policies = self.policies;
        self.fetch("managed-policies.json", move |t| {
            policies.set(Some(Arc::new(PolicyCatalog::from_json(t)?)));
            Ok(())
        });
    }

    /// All three, once all are loaded (validation checks membership only then).
    pub fn all(&self) -> Option<Catalogs> {
        Some(Catalogs {
            regions: (*self.regions.get()?).clone(),
            actions: (*self.actions.get()?).clone(),
            policies: (*self.policies.get()?).clone(),
        })
    }
}

impl Default for CatalogStore {
    fn default() -> Self {
        CatalogStore::new()
    }
}

/// A problem's message in the page's language (the core's rule, translated; a problem the
/// core cannot name keeps its own words).
fn translated(p: &cloudflow_core::Problem) -> String {
    match p.rule {
        cloudflow_core::Rule::Unknown => p.message.clone(),
        ref rule => crate::i18n::rule(crate::i18n::t(), rule),
    }
}

/// What is done with a catalogue's text once it arrived.
type ApplyCatalog = Box<dyn FnOnce(&str) -> Result<(), cloudflow_core::CatalogError>>;

/// The request of [`CatalogStore::fetch`], not generic: one copy of the request code for
/// every catalogue (a generic one cost a copy per catalogue).
fn fetch_catalog(file: &'static str, apply: ApplyCatalog, error: RwSignal<Option<String>>) {
    leptos::task::spawn_local(async move {
        let url = crate::config::asset_url(&format!("catalog/{file}"));
        let text = match gloo_net::http::Request::get(&url).send().await {
            Ok(r) if r.ok() => r.text().await.map_err(|e| e.to_string()),
            Ok(r) => Err(crate::i18n::fill(crate::i18n::t().status_n, &[&r.status()])),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = text.and_then(|t| apply(&t).map_err(|e| e.to_string())) {
            error.set(Some(crate::i18n::fill(
                crate::i18n::t().catalog_failed,
                &[&file, &e],
            )));
        }
    });
}

#[derive(Clone, Copy)]
pub struct WizardStore {
    pub draft: RwSignal<Draft>,
    pub request: Memo<CreateConnectionRequest>,
    pub report: Memo<Arc<Report>>,
    /// `report` for the fields' messages: it tells its hundreds of readers only when
    /// the report changed (see [`settled`]).
    shown_report: Signal<Arc<Report>>,
    /// Steps on which Next (or Done) was pressed: their required-field errors show.
    pub attempted: RwSignal<BTreeSet<Step>>,
    /// Controls the person has left: their errors show.
    pub touched: RwSignal<BTreeSet<String>>,
    pub server: RwSignal<Option<ServerVerdict>>,
    /// Said once when a stored draft could not be restored.
    pub notice: RwSignal<Option<String>>,
    pub catalogs: CatalogStore,
    /// How the draft stands on the server (`crate::sync`).
    pub save: RwSignal<crate::sync::SaveState>,
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

impl WizardStore {
    /// Restores the tab's draft of a new connection, or starts one for `me`.
    pub fn new(me: String, catalogs: CatalogStore) -> WizardStore {
        let fresh = Draft::new(new_draft_id(), &me);
        WizardStore::open(me, catalogs, STORAGE_KEY.to_owned(), fresh)
    }

    /// Restores the draft the tab keeps under `key` (an edit kept across a reload), or starts
    /// from `fresh`.
    pub fn open(me: String, catalogs: CatalogStore, key: String, fresh: Draft) -> WizardStore {
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
        let draft = RwSignal::new(draft);
        let request = Memo::new(move |_| draft.with(Draft::to_request));
        // Built once, when the last catalogue arrives (they never change afterwards).
        let all = Memo::new_with_compare(
            move |_| catalogs.all().map(Arc::new),
            |old, new| old.map(Option::is_some) != new.map(Option::is_some),
        );
        let report = Memo::new(move |_| {
            let cats = all.get();
            Arc::new(request.with(|r| cloudflow_core::validate(r, cats.as_deref())))
        });
        // Autosave: a draft with content (never a token) goes to this tab's
        // sessionStorage; a blank one leaves nothing behind.
        let me = RwSignal::new(me);
        let key = StoredValue::new(key);
        Effect::new(move |_| {
            let saved = draft.with(|d| me.with_untracked(|me| d.is_dirty(me)).then(|| d.to_json()));
            if let Some(s) = storage() {
                key.with_value(|key| {
                    let _ = match saved {
                        Some(json) => s.set_item(key, &json),
                        None => s.remove_item(key),
                    };
                });
            }
        });
        WizardStore {
            draft,
            request,
            report,
            shown_report: settled(move || report.get()),
            attempted: RwSignal::new(BTreeSet::new()),
            touched: RwSignal::new(BTreeSet::new()),
            server: RwSignal::new(None),
            notice: RwSignal::new(notice),
            catalogs,
            save: RwSignal::new(crate::sync::SaveState::Idle),
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
        let empty_owner = self.draft.with_untracked(|d| {
            d.collaborators
                .iter()
                .position(|c| c.email.is_empty() && c.role == "owner")
        });
        if let Some(i) = empty_owner {
            self.draft
                .update(|d| d.collaborators[i].email = email.to_owned());
        }
    }

    /// Throws the draft away (Cancel, or after a successful create).
    pub fn discard(&self) {
        if let Some(s) = storage() {
            self.key.with_value(|k| {
                let _ = s.remove_item(k);
            });
        }
        self.draft.set(Draft::new(new_draft_id(), &self.me()));
        self.attempted.set(BTreeSet::new());
        self.touched.set(BTreeSet::new());
        self.server.set(None);
        self.save.set(crate::sync::SaveState::Idle);
    }

    /// DoiT's external ID for this draft, once the server has saved it and said it.
    pub fn external_id(&self) -> Option<String> {
        self.draft
            .with(|d| d.saved.as_ref().and_then(|s| s.external_id.clone()))
    }

    /// The messages a field shows now (a tracked read): its errors once the
    /// person left it or pressed Next on its step, and the server's word while
    /// the field is unchanged since the server saw it.
    pub fn field_errors(&self, field: &str) -> Vec<String> {
        let shown = self.touched.with(|t| t.contains(field))
            || self.attempted.with(|a| a.contains(&step_of_field(field)));
        let mut out: Vec<String> = if shown {
            self.shown_report.with(|r| {
                r.for_field(field)
                    .filter(|p| p.severity == Severity::Error)
                    .map(translated)
                    .collect()
            })
        } else {
            Vec::new()
        };
        self.server.with(|v| {
            if let Some(v) = v {
                let still = || {
                    lookup(&v.request, field) == self.request.with(|r| lookup(&to_value(r), field))
                };
                if v.fields.iter().any(|(f, _)| f == field) && still() {
                    out.extend(
                        v.fields
                            .iter()
                            .filter(|(f, _)| f == field)
                            .map(|(_, m)| m.clone()),
                    );
                }
            }
        });
        out
    }

    /// The warnings of a field (a tracked read; a warning never blocks, and always shows).
    pub fn field_warnings(&self, field: &str) -> Vec<String> {
        self.shown_report.with(|r| {
            r.for_field(field)
                .filter(|p| p.severity == Severity::Warning)
                .map(translated)
                .collect()
        })
    }

    pub fn errors(&self, field: Signal<String>) -> Signal<Vec<String>> {
        let store = *self;
        Signal::derive(move || field.with(|f| store.field_errors(f)))
    }

    pub fn warnings(&self, field: Signal<String>) -> Signal<Vec<String>> {
        let store = *self;
        Signal::derive(move || field.with(|f| store.field_warnings(f)))
    }

    pub fn touch(&self, field: &str) {
        if !self.touched.with_untracked(|t| t.contains(field)) {
            self.touched.update(|t| {
                t.insert(field.to_owned());
            });
        }
    }

    /// Presses Next/Done on `step`: the first field with an error, if any.
    pub fn first_error_on(&self, step: Step) -> Option<String> {
        self.attempted.update(|a| {
            a.insert(step);
        });
        self.report.with_untracked(|r| {
            r.errors()
                .find(|p| step_of_field(&p.field) == step)
                .map(|p| p.field.clone())
        })
    }

    /// Moves focus to the control that edits `field`.
    pub fn focus_field(&self, field: &str) {
        let Some(id) = self.draft.with_untracked(|d| d.dom_id(field)) else {
            return;
        };
        focus_id(&id);
    }
}

/// A signal that follows `compute` and tells its readers only when the value changed.
///
/// A memo does not do that: reactive_graph marks every node below a changed source for
/// a check, equal values or not, so one keystroke in the connection name visited each
/// of the 100 account rows' memos and effects and every field's message (~8 ms in a
/// profile). The effect here is the boundary: it alone is marked, recomputes, and
/// writes only a different value (one microtask later, before the next frame).
pub fn settled<T>(compute: impl Fn() -> T + 'static) -> Signal<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    let out = RwSignal::new(untrack(&compute));
    Effect::new(move |_| {
        let value = compute();
        if out.with_untracked(|o| *o != value) {
            out.set(value);
        }
    });
    out.read_only().into()
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

fn to_value(r: &CreateConnectionRequest) -> serde_json::Value {
    serde_json::to_value(r).unwrap_or_default()
}

/// The value at a dotted API path such as `awsConfig.context[1].accountId`.
pub fn lookup(v: &serde_json::Value, path: &str) -> Option<serde_json::Value> {
    let mut cur = v;
    for part in path.split('.') {
        let (name, index) = match part.find('[') {
            Some(i) => (
                &part[..i],
                part[i + 1..].trim_end_matches(']').parse::<usize>().ok(),
            ),
            None => (part, None),
        };
        cur = cur.get(name)?;
        if let Some(i) = index {
            cur = cur.get(i)?;
        }
    }
    Some(cur.clone())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_follows_dotted_paths_with_indexes() {
        let v = serde_json::json!({"name": "x", "awsConfig": {"context": [{"accountId": "1"}, {"accountId": "2"}]}});
        assert_eq!(lookup(&v, "name"), Some("x".into()));
        assert_eq!(
            lookup(&v, "awsConfig.context[1].accountId"),
            Some("2".into())
        );
        assert_eq!(lookup(&v, "awsConfig.context[5].accountId"), None);
        assert_eq!(lookup(&v, "nope"), None);
    }
}
