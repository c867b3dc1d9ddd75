//! A WAI-ARIA combobox: a text input with a listbox popup (APG "list
//! autocomplete"), virtualised so that 10,000 options stay fast.
//!
//! Filtering is a case-insensitive substring match over value, label and
//! detail. Each option carries its lowercase search text, computed once when it
//! is built and shared by every combobox over the same options; each keystroke
//! filters into a reused row buffer. Only the rows inside the visible window
//! (plus an overscan) are in the DOM.
//!
//! - `options.rs`: the options and how they match a query;
//! - `rows.rs`: the filtered rows and the scroll window;
//! - `keys.rs`: what each key does;
//! - `state.rs`: the reactive state the parts share;
//! - `view.rs`: the popup, the listbox and its rows, the count of matches.

mod keys;
mod options;
mod rows;
mod state;
mod view;

use std::sync::Arc;

use leptos::prelude::*;
use web_sys::KeyboardEvent;

pub use options::ComboOption;
pub use rows::{OVERSCAN, ROW_HEIGHT, VISIBLE_ROWS};
use state::{Choice, Combo};
use view::{Listbox, MatchCount, Popup};

/// A WAI-ARIA combobox (editable input + listbox popup).
///
/// Its accessible name comes from a `<label for=id>` (see
/// [`FormField`](super::FormField)) or from `aria_label`. Inside a `FormField` it takes its id,
/// `aria-describedby` and `aria-invalid` from the field ([`use_field`](super::use_field)).
#[component]
pub fn Combobox(
    /// The input's id (the field's by default); the listbox is `{id}-listbox`.
    #[prop(optional, into)]
    id: Option<String>,
    /// The text in the input (controlled).
    #[prop(into)]
    value: Signal<String>,
    /// Called on every edit with the new text.
    on_input: Callback<String>,
    /// Called with the option chosen by Enter or click.
    on_select: Callback<ComboOption>,
    /// Every option, in display order.
    #[prop(into)]
    options: Signal<Arc<Vec<ComboOption>>>,
    /// Placeholder of the input.
    #[prop(optional, into)]
    placeholder: MaybeProp<String>,
    /// Sets `aria-invalid` (the field's state by default).
    #[prop(optional, into)]
    invalid: Option<Signal<bool>>,
    /// `aria-describedby` of the input (the field's by default).
    #[prop(optional, into)]
    described_by: Option<Signal<String>>,
    /// Values shown but `aria-disabled` (e.g. accounts used in other rows).
    #[prop(optional, into)]
    disabled_values: Signal<Vec<String>>,
    /// Shown beside disabled options, e.g. "Used in another row".
    #[prop(optional, into)]
    disabled_note: MaybeProp<String>,
    /// Accessible name when there is no `<label for=id>`.
    #[prop(optional, into)]
    aria_label: MaybeProp<String>,
    /// Keep the popup open after a choice (multi-select).
    #[prop(optional)]
    keep_open: bool,
    /// The listbox is `aria-multiselectable`, with `aria-selected` on the
    /// options in `selected_values` (otherwise on the active option).
    #[prop(optional)]
    multiselectable: bool,
    /// The chosen values when `multiselectable`.
    #[prop(optional, into)]
    selected_values: Signal<Vec<String>>,
    /// Called for keys the combobox does not handle itself.
    #[prop(optional)]
    on_keydown: Option<Callback<KeyboardEvent>>,
) -> impl IntoView {
    let (id, invalid, field_described_by) = super::FieldContext::or_field(id, invalid);
    let described_by = described_by.or_else(|| field_described_by.map(Signal::stored));
    let listbox_id = format!("{id}-listbox");
    let status_id = format!("{id}-count");
    let labelledby = format!("{id}-label");
    let choice = Choice {
        disabled_values,
        keep_open,
        on_select,
    };
    let combo = Combo::new(id.clone(), value, options, choice);
    let on_edit = move |ev: web_sys::Event| {
        on_input.run(event_target_value(&ev));
        combo.edited();
    };

    view! {
        <div class="cf-combobox" data-open=move || combo.is_open().then_some("true")>
            <input
                type="text"
                class="cf-input cf-combobox__input"
                id=id
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-expanded=move || if combo.shown() { "true" } else { "false" }
                aria-controls=listbox_id.clone()
                aria-activedescendant=move || combo.activedescendant()
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=move || described_by.map(|d| d.get())
                aria-label=move || aria_label.get()
                placeholder=move || placeholder.get()
                prop:value=move || value.get()
                on:input=on_edit
                on:keydown=move |ev| combo.key_down(ev, on_keydown)
                on:click=move |_| combo.open_list()
                on:blur=move |_| combo.close()
            />
            <Popup combo>
                <Listbox
                    combo
                    id=listbox_id
                    label=aria_label
                    labelledby
                    multiselectable
                    selected_values
                    disabled_values
                    disabled_note
                />
            </Popup>
            <MatchCount combo id=status_id />
        </div>
    }
}
