//! The wizard's frame (step nav, heading, Previous / Next / Done, live preview) around the
//! current step's form, for a new connection and for an edit alike.

use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

use super::draft::DraftStoreFields;
use super::edit;
use super::fields::step_of;
use super::state::WizardStore;
use super::steps::Step;
use super::submit::{Submit, Submits};
use crate::components::{ApiErrorNotice, StepNav};
use crate::preview::ArtefactTabs;
use crate::use_paths;

/// The wizard around `store`'s draft: a new connection's, or an edit of one that is done
/// ([`edit`]: the same steps; What changes; Save instead of Done; nothing saved before it).
#[component]
pub fn Wizard(
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
    let reached = store.draft.reached();
    let farthest = Signal::derive(move || reached.get().max(current.get()));
    let navigate = crate::paths::use_go_to();
    let href = {
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
            store.reach(step);
            navigate(&href(step));
        })
    };
    let submits = Submits::new(store, go);

    // Saving while the person types: once the connection exists on the server (or once
    // Setup's Next was pressed), its fields are saved a moment after they stop changing and
    // when the network comes back (and by Next and Done). Whether anything changed is the
    // save's to tell (it compares the fields' fingerprint with the one saved): nothing is
    // serialised per keystroke. An edit saves nothing before Save.
    let saved = store.draft.saved();
    if !editing {
        let save_later = leptos_use::use_debounce_fn(
            move || {
                let started = saved.try_with_untracked(Option::is_some) == Some(true)
                    || reached.try_get_untracked().is_some_and(|r| r > Step::Setup);
                if started {
                    submits.save_in_background();
                }
            },
            800.0,
        );
        Effect::new(move |_| {
            store.request.track();
            if crate::is_online() {
                save_later();
            }
        });
    }

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
        let to = paths.connections();
        let back = edit_id.as_ref().map(|id| paths.connection(id));
        move |_| {
            if !submits.is_idle() {
                return;
            }
            let t = crate::i18n::t();
            let saved = saved.with_untracked(Option::is_some);
            // An edit: what was typed goes (after asking), the connection stays as saved.
            let question = match (&back, saved) {
                (Some(_), _) => t.confirm_discard_edit,
                (None, true) => t.confirm_delete_saved_draft,
                (None, false) => t.confirm_discard_draft,
            };
            let asked = store.dirty.get_untracked();
            if asked && !window().confirm_with_message(question).unwrap_or(false) {
                return;
            }
            // A draft the server holds goes too.
            if back.is_none() && saved {
                submits.delete();
                return;
            }
            store.discard();
            navigate(back.as_ref().unwrap_or(&to));
        }
    };
    let step_href = Callback::new(move |step: Step| href(step).href());
    let general_error = Signal::derive(move || {
        store.server.with(|v| {
            v.as_ref()
                .filter(|v| v.fields.is_empty() || step_of(&v.fields[0].0) == current.get())
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
                        {move || match (submits.state(), store.save.get()) {
                            (_, crate::wizard::sync::SaveState::Retrying(r)) => r.message(),
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
                                        aria-disabled=move || (submits.state() != Submit::Idle).then_some("true")
                                        on:click=move |_| submits.finish()
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
                                        on:click=move |_| submits.next(step)
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

/// One line on how the draft stands with DoiT: saved, saving, kept here until the network is
/// back, or refused (the refusal itself is in the error area).
#[component]
fn SaveStatus() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let t = crate::i18n::t();
    let text = move || {
        use crate::wizard::sync::SaveState;
        let saved = store.draft.saved().with(Option::is_some);
        match store.save.get() {
            SaveState::Saving => Some(t.save_saving.to_owned()),
            SaveState::Saved | SaveState::Idle if saved => Some(t.save_saved.to_owned()),
            SaveState::Pending(why) => Some(crate::i18n::fill(t.save_pending, &[&why])),
            SaveState::Refused(..) => Some(t.save_refused.to_owned()),
            _ => None,
        }
    };
    let kind = move || match store.save.get() {
        crate::wizard::sync::SaveState::Pending(_)
        | crate::wizard::sync::SaveState::Refused(..) => "warning",
        _ => "info",
    };
    view! {
        <p class="cf-wizard__saved" role="status" aria-live="polite" data-kind=kind hidden=move || text().is_none()>
            {move || text().unwrap_or_default()}
        </p>
    }
}
