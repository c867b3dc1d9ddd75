//! Step 3 — Access: who may use the connection, and at which level.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::{
    described_by, ComboOption, Combobox, FormField, ListLoadNotice, RemoveButton,
};
use crate::session::use_session;
use crate::store::{focus_id, WizardStore};

/// The connection access levels, as the API spells them and the console shows them.
pub fn levels(t: &'static crate::i18n::Texts) -> [(&'static str, &'static str); 3] {
    [
        ("owner", t.level_owner),
        ("editor", t.level_editor),
        ("user", t.level_user),
    ]
}

#[component]
pub fn AccessStep() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let store = expect_context::<WizardStore>();
    let session = use_session();
    let keys = Memo::new(move |_| {
        store
            .draft
            .with(|d| d.collaborators.iter().map(|c| c.key).collect::<Vec<_>>())
    });
    let me = store.me();
    // The organisation's users, the signed-in person first.
    let options = Memo::new(move |_| {
        let mut out: Vec<ComboOption> = session.users_now.with(|u| match u {
            Some(Ok(list)) => list
                .iter()
                .map(|u| {
                    let detail = if u.status.is_empty() || u.status == "active" {
                        u.display_name.clone()
                    } else {
                        format!("{} ({})", u.display_name, u.status)
                    };
                    ComboOption::new(u.email.clone(), u.email.clone(), detail)
                })
                .collect(),
            _ => Vec::new(),
        });
        out.sort_by_key(|o| !o.value.eq_ignore_ascii_case(&me));
        Arc::new(out)
    });
    let add = move |_| {
        let key = store
            .draft
            .try_update(|d| d.add_collaborator())
            .unwrap_or(0);
        focus_id(&format!("collaborator-{key}-email"));
    };
    let t = crate::i18n::t();
    view! {
        <p class="cf-hint">{t.access_hint}</p>
        <ListLoadNotice
            state=session.users_now
            list=session.users
            what=t.users_what
            typing=t.users_typing
        />
        <div class="cf-rows" role="group" aria-label=t.people_with_access>
            <For each=move || keys.get() key=|k| *k let:key>
                <CollaboratorRow key options=options.into() />
            </For>
        </div>
        <button type="button" class="cf-button cf-button--link" on:click=add>
            {t.add_user}
        </button>
    }
}

#[component]
fn CollaboratorRow(key: u32, options: Signal<Arc<Vec<ComboOption>>>) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let row = Memo::new(move |_| {
        store
            .draft
            .with(|d| d.collaborator(key).cloned().unwrap_or_default())
    });
    let field = Memo::new(move |_| {
        store
            .draft
            .with(|d| d.collaborator_field(key).unwrap_or_default())
    });
    let email_errors = Signal::derive(move || {
        field.with(|f| {
            if f.is_empty() {
                vec![]
            } else {
                store.field_errors(&format!("{f}.email"))
            }
        })
    });
    let role_errors = Signal::derive(move || {
        field.with(|f| {
            if f.is_empty() {
                vec![]
            } else {
                store.field_errors(&format!("{f}.role"))
            }
        })
    });
    let used_elsewhere = Memo::new(move |_| {
        store.draft.with(|d| {
            d.collaborators
                .iter()
                .filter(|c| c.key != key)
                .map(|c| c.email.to_lowercase())
                .collect::<Vec<_>>()
        })
    });
    // The owner rule: an Owner row stays Owner and stays, unless another Owner exists.
    let locked = Memo::new(move |_| {
        row.with(|r| r.role == "owner") && !store.draft.with(|d| d.other_owner_exists(key))
    });
    // DoiT's console: the creator is Owner and grants others Editor or User. Owner stays on
    // offer only to a row that is one (or, in an edit, was one when the edit began).
    let may_be_owner = Memo::new(move |_| {
        row.with(|r| r.role == "owner")
            || store.draft.with(|d| {
                let email = row.with(|r| r.email.trim().to_lowercase());
                d.editing.as_ref().is_some_and(|c| {
                    c.collaborators.iter().any(|m| {
                        m.email.trim().eq_ignore_ascii_case(&email)
                            && m.role == Some(cloudflow_core::CollaboratorRole::Owner)
                    })
                })
            })
    });
    let email_id = format!("collaborator-{key}-email");
    let role_id = format!("collaborator-{key}-role");
    let set_email = Callback::new(move |v: String| {
        if let Some(c) = store.draft.write().collaborator_mut(key) {
            c.email = v;
        }
    });
    let set_role = move |ev| {
        let v = event_target_value(&ev);
        if locked.get_untracked() && v != "owner" || v == "owner" && !may_be_owner.get_untracked() {
            return;
        }
        if let Some(c) = store.draft.write().collaborator_mut(key) {
            c.role = v;
        }
    };
    let remove = Callback::new(move |()| {
        store
            .draft
            .update(|d| d.collaborators.retain(|c| c.key != key));
    });
    let t = crate::i18n::t();
    let owner_note = t.owner_needed;
    view! {
        <div class="cf-row">
            <FormField id=email_id.clone() label=t.email errors=email_errors>
                <Combobox
                    id=email_id.clone()
                    value=Signal::derive(move || row.with(|r| r.email.clone()))
                    on_input=set_email
                    on_select=Callback::new(move |o: ComboOption| set_email.run(o.value))
                    options=options
                    placeholder="name@example.com"
                    invalid=Signal::derive(move || !email_errors.get().is_empty())
                    described_by=described_by(&email_id)
                    disabled_values=used_elsewhere
                />
            </FormField>
            <FormField
                id=role_id.clone()
                label=t.access_level
                errors=role_errors
                description=Signal::derive(move || locked.get().then(|| owner_note.to_owned()))
            >
                <select
                    id=role_id.clone()
                    class="cf-input"
                    aria-describedby=described_by(&role_id)
                    prop:value=move || row.with(|r| r.role.clone())
                    on:change=set_role
                >
                    {levels(t)
                        .map(|(value, label)| {
                            view! {
                                <option
                                    value=value
                                    selected=move || row.with(|r| r.role == value)
                                    disabled=move || {
                                        locked.get() && value != "owner"
                                            || value == "owner" && !may_be_owner.get()
                                    }
                                >
                                    {label}
                                </option>
                            }
                        })}
                </select>
            </FormField>
            <RemoveButton
                label=Signal::derive(move || {
                    row.with(|r| {
                        if r.email.is_empty() {
                            t.remove_this_user.to_owned()
                        } else {
                            crate::i18n::fill(t.remove_named, &[&r.email])
                        }
                    })
                })
                locked=locked
                why=owner_note
                on_remove=remove
            />
        </div>
    }
}
