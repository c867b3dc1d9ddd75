//! A searchable multi-select: a [`Combobox`] whose chosen options are marked
//! selected in the list and shown as removable chips below it.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

use super::combobox::{ComboOption, Combobox};

/// What happens when a person picks `value` in a multi-select holding
/// `selected`, at most `max` of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pick {
    /// The new selection.
    Changed(Vec<String>),
    /// Adding would go past `max`.
    Refused,
}

/// Picking a chosen value removes it; picking another adds it at the end,
/// unless that would exceed `max`.
pub(crate) fn pick(selected: &[String], value: &str, max: Option<usize>) -> Pick {
    if selected.iter().any(|s| s == value) {
        return Pick::Changed(selected.iter().filter(|s| *s != value).cloned().collect());
    }
    if max.is_some_and(|m| selected.len() >= m) {
        return Pick::Refused;
    }
    let mut next = selected.to_vec();
    next.push(value.to_owned());
    Pick::Changed(next)
}

fn focus_by_id(id: &str) {
    let el = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// A searchable multi-select with removable chips.
#[component]
pub fn MultiSelect(
    /// The search input's id (the [`FormField`](super::FormField)'s by default).
    #[prop(optional, into)]
    id: Option<String>,
    /// The chosen values, in order.
    #[prop(into)]
    selected: Signal<Vec<String>>,
    /// Called with the whole new selection.
    on_change: Callback<Vec<String>>,
    /// Every option.
    #[prop(into)]
    options: Signal<Arc<Vec<ComboOption>>>,
    /// `aria-label` of the chip list, e.g. "Selected AWS managed policies".
    #[prop(into)]
    chips_label: String,
    /// Placeholder of the search input.
    #[prop(optional, into)]
    placeholder: MaybeProp<String>,
    /// Shown when nothing is chosen, e.g. "All regions".
    #[prop(optional, into)]
    empty_text: MaybeProp<String>,
    /// Sets `aria-invalid` on the input (the field's state by default).
    #[prop(optional, into)]
    invalid: Option<Signal<bool>>,
    /// `aria-describedby` of the input (the field's by default); the limit message is appended.
    #[prop(optional, into)]
    described_by: Option<String>,
    /// Refuse adding past this many.
    #[prop(optional)]
    max: Option<usize>,
) -> impl IntoView {
    let (id, invalid, field_described_by) = super::FieldContext::or_field(id, invalid);
    let described_by = described_by.or(field_described_by);
    let query = RwSignal::new(String::new());
    let refused = RwSignal::new(false);
    let limit_id = format!("{id}-limit");
    let input_id = StoredValue::new(id.clone());

    // The message stays while the selection is still full.
    let at_limit = move || refused.get() && max.is_some_and(|m| selected.with(|s| s.len() >= m));
    let limit_text = move || {
        at_limit()
            .then(|| max.map(|m| crate::i18n::fill(crate::i18n::t().at_most, &[&m])))
            .flatten()
    };

    let apply = move |value: &str| match pick(&selected.get_untracked(), value, max) {
        Pick::Changed(next) => {
            refused.set(false);
            on_change.run(next);
        }
        Pick::Refused => refused.set(true),
    };
    let on_select = Callback::new(move |option: ComboOption| apply(&option.value));
    let on_keydown = Callback::new(move |ev: KeyboardEvent| {
        if ev.key() == "Backspace" && query.with_untracked(String::is_empty) {
            let mut next = selected.get_untracked();
            if next.pop().is_some() {
                ev.prevent_default();
                refused.set(false);
                on_change.run(next);
            }
        }
    });
    let describedby = {
        let limit_id = limit_id.clone();
        move || match &described_by {
            Some(d) if !d.is_empty() => format!("{d} {limit_id}"),
            _ => limit_id.clone(),
        }
    };

    let chips = move || {
        let chosen = selected.get();
        if chosen.is_empty() {
            return empty_text
                .get()
                .map(|t| view! { <li class="cf-chips__empty">{t}</li> }.into_any())
                .into_iter()
                .collect::<Vec<_>>();
        }
        chosen
            .into_iter()
            .map(|value| {
                let label = options.with(|o| {
                    o.iter()
                        .find(|opt| opt.value == value)
                        .map(|opt| opt.label.clone())
                        .unwrap_or_else(|| value.clone())
                });
                let remove = move |_| {
                    apply(&value);
                    input_id.with_value(|id| focus_by_id(id));
                };
                view! {
                    <li class="cf-chip">
                        <span class="cf-chip__label">{label.clone()}</span>
                        <button
                            type="button"
                            class="cf-chip__remove"
                            aria-label=crate::i18n::fill(crate::i18n::t().remove_named, &[&label])
                            on:click=remove
                        >
                            <span aria-hidden="true">"\u{2715}"</span>
                        </button>
                    </li>
                }
                .into_any()
            })
            .collect()
    };

    view! {
        <div class="cf-multiselect">
            <Combobox
                id=id
                value=query
                on_input=Callback::new(move |q: String| query.set(q))
                on_select=on_select
                options=options
                placeholder=placeholder
                invalid=invalid
                described_by=Signal::derive(describedby)
                keep_open=true
                multiselectable=true
                selected_values=selected
                on_keydown=on_keydown
            />
            <p class="cf-multiselect__limit" id=limit_id aria-live="polite" data-severity="error">
                {move || {
                    limit_text()
                        .map(|t| {
                            view! {
                                <span class="cf-field__icon" aria-hidden="true">
                                    "\u{2715}"
                                </span>
                                <span class="cf-visually-hidden">{crate::i18n::t().error_prefix}</span>
                                {t}
                            }
                        })
                }}
            </p>
            <ul class="cf-chips" aria-label=chips_label>
                {chips}
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pick_adds_removes_and_refuses_past_max() {
        assert_eq!(pick(&[], "a", None), Pick::Changed(v(&["a"])));
        assert_eq!(
            pick(&v(&["a"]), "b", Some(2)),
            Pick::Changed(v(&["a", "b"]))
        );
        assert_eq!(pick(&v(&["a", "b"]), "c", Some(2)), Pick::Refused);
        assert_eq!(
            pick(&v(&["a", "b"]), "a", Some(2)),
            Pick::Changed(v(&["b"]))
        );
    }
}
