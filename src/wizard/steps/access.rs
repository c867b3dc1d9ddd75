//! Step 3 — Access: who may use the connection, and at which level.

use std::sync::Arc;

use cloudflow_core::CollaboratorRole;
use leptos::prelude::*;

use super::parts::{RowList, WizardField};
use crate::components::{use_field, ComboOption, Combobox, ListLoadNotice, RemoveButton};
use crate::session::use_session;
use crate::wizard::draft::{
    other_owner_exists, CollaboratorAt, CollaboratorRowStoreFields, DraftStoreFields,
};
use crate::wizard::fields::Control;
use crate::wizard::state::{focus_id, row_field, WizardStore};

/// The connection access levels, as the console shows them.
pub fn levels(t: &'static crate::i18n::Texts) -> [(CollaboratorRole, &'static str); 3] {
    [
        (CollaboratorRole::Owner, t.level_owner),
        (CollaboratorRole::Editor, t.level_editor),
        (CollaboratorRole::User, t.level_user),
    ]
}

#[component]
pub fn AccessStep() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let store = expect_context::<WizardStore>();
    let session = use_session();
    let rows = store.draft.collaborators();
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
    let add = Callback::new(move |()| {
        let key = store.add_collaborator();
        focus_id(&Control::Email(key).dom_id());
    });
    let t = crate::i18n::t();
    view! {
        <p class="cf-hint">{t.access_hint}</p>
        <ListLoadNotice
            state=session.users_now
            list=session.users
            what=t.users_what
            typing=t.users_typing
        />
        <RowList label=t.people_with_access control=Control::People add_label=t.add_user on_add=add>
            <For each=move || rows key=|row| row.key() let:row>
                <CollaboratorRow row options=options.into() />
            </For>
        </RowList>
    }
}

#[component]
fn CollaboratorRow(row: CollaboratorAt, options: Signal<Arc<Vec<ComboOption>>>) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let key = row.key().get_untracked();
    let (email, role) = (row.email(), row.role());
    let rows = store.draft.collaborators();
    let used_elsewhere = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .filter(|c| c.key != key)
                .map(|c| c.email.to_lowercase())
                .collect::<Vec<_>>()
        })
    });
    let email_value = row_field(email);
    // A row that is gone (its view goes a moment later) reads as a User.
    let level = Memo::new(move |_| role.try_get().unwrap_or(CollaboratorRole::User));
    let is_owner = Memo::new(move |_| level.get() == CollaboratorRole::Owner);
    // The owner rule: an Owner row stays Owner and stays, unless another Owner exists.
    let locked = Memo::new(move |_| is_owner.get() && !rows.with(|r| other_owner_exists(r, key)));
    // DoiT's console: the creator is Owner and grants others Editor or User. Owner stays on
    // offer only to a row that is one (or, in an edit, was one when the edit began).
    let editing = store.draft.editing();
    let may_be_owner = Memo::new(move |_| {
        is_owner.get()
            || editing.with(|c| {
                let email = email_value.with(|e| e.trim().to_lowercase());
                c.as_ref().is_some_and(|c| {
                    c.collaborators.iter().any(|m| {
                        m.email.trim().eq_ignore_ascii_case(&email)
                            && m.role == Some(CollaboratorRole::Owner)
                    })
                })
            })
    });
    let offered = move |level: CollaboratorRole| {
        let owner = level == CollaboratorRole::Owner;
        if owner {
            may_be_owner.get()
        } else {
            !locked.get()
        }
    };
    let set_email = Callback::new(move |v: String| email.set(v));
    let set_role = move |ev| {
        let chosen = levels(crate::i18n::t())
            .into_iter()
            .map(|(level, _)| level)
            .find(|level| level.as_str() == event_target_value(&ev));
        if let Some(level) = chosen.filter(|l| untrack(|| offered(*l))) {
            role.set(level);
        }
    };
    let remove = Callback::new(move |()| store.remove_collaborator(key));
    let t = crate::i18n::t();
    let owner_note = t.owner_needed;
    view! {
        <div class="cf-row">
            <WizardField control=Control::Email(key) label=t.email>
                <Combobox
                    value=email_value
                    on_input=set_email
                    on_select=Callback::new(move |o: ComboOption| set_email.run(o.value))
                    options=options
                    placeholder="name@example.com"
                    disabled_values=used_elsewhere
                />
            </WizardField>
            <WizardField
                control=Control::Level(key)
                label=t.access_level
                description=Signal::derive(move || locked.get().then(|| owner_note.to_owned()))
            >
                <LevelSelect role=level on_change=set_role offered />
            </WizardField>
            <RemoveButton
                label=Signal::derive(move || {
                    email_value.with(|e| {
                        if e.is_empty() {
                            t.remove_this_user.to_owned()
                        } else {
                            crate::i18n::fill(t.remove_named, &[e])
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

/// The access level of a person, in its field: the levels offered to this row are enabled.
#[component]
fn LevelSelect(
    /// The row's level.
    #[prop(into)]
    role: Signal<CollaboratorRole>,
    /// A level was chosen.
    on_change: impl FnMut(leptos::ev::Event) + 'static,
    /// Whether a level may be chosen for this row (the owner rule).
    offered: impl Fn(CollaboratorRole) -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let field = use_field();
    let t = crate::i18n::t();
    view! {
        <select
            id=field.id
            class="cf-input"
            aria-describedby=field.described_by
            aria-invalid=move || field.invalid.get().then_some("true")
            prop:value=move || role.get().as_str()
            on:change=on_change
        >
            {levels(t)
                .map(|(level, label)| {
                    view! {
                        <option
                            value=level.as_str()
                            selected=move || role.get() == level
                            disabled=move || !offered(level)
                        >
                            {label}
                        </option>
                    }
                })}
        </select>
    }
}
