//! What the steps share: a field of the wizard (its control's messages from the store), and a
//! list of rows with its own message and the button that adds a row.

use leptos::prelude::*;

use crate::components::FormField;
use crate::wizard::fields::Control;
use crate::wizard::state::WizardStore;

/// A field of the wizard: the [`FormField`] of `control`, showing what the store says of it.
#[component]
pub fn WizardField(
    /// The control the field holds (its id, messages and step).
    control: Control,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// Help text under the label.
    #[prop(optional, into)]
    description: MaybeProp<String>,
    /// The control.
    children: Children,
) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let shown = store.shown(control);
    view! {
        <FormField
            id=control.dom_id()
            label=label
            description=description
            errors=Signal::derive(move || shown.with(|s| s.errors.clone()))
            warnings=Signal::derive(move || shown.with(|s| s.warnings.clone()))
        >
            {children()}
        </FormField>
    }
}

/// A list's own message under its rows (e.g. "add at least one account").
#[component]
pub fn ListMessage(control: Control) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let shown = store.shown(control);
    let text = move || shown.with(|s| s.errors.join("; "));
    view! {
        <p class="cf-field__message" id=control.dom_id() data-severity="error" hidden=move || shown.with(|s| s.errors.is_empty())>
            {text}
        </p>
    }
}

/// A list of rows (accounts, actions, people): the rows, the list's own message under them,
/// and the button that adds a row.
#[component]
pub fn RowList(
    /// The group's accessible name.
    label: &'static str,
    /// The list's own control (its message, e.g. "add at least one account").
    control: Control,
    /// The add button's text.
    add_label: &'static str,
    /// Adds a row.
    on_add: Callback<()>,
    /// The rows.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="cf-rows" role="group" aria-label=label>
            {children()}
        </div>
        <ListMessage control />
        <button type="button" class="cf-button cf-button--link" on:click=move |_| on_add.run(())>
            {add_label}
        </button>
    }
}
