//! The combobox's popup: the listbox with its virtualised rows, and the count of
//! matches said by screen readers.

use leptos::prelude::*;

use super::options::ComboOption;
use super::rows::{Row, RowState, Rows, ROW_HEIGHT, VISIBLE_ROWS};
use super::state::Combo;

/// The scrolling popup under the input. Clicks in it (options, scrollbar) keep
/// focus in the input.
#[component]
pub(super) fn Popup(
    /// The combobox it belongs to.
    combo: Combo,
    /// The listbox.
    children: Children,
) -> impl IntoView {
    view! {
        <div
            class="cf-combobox__popup"
            node_ref=combo.popup
            hidden=move || !combo.shown()
            on:mousedown=|ev| ev.prevent_default()
            style:max-height=format!("{}px", VISIBLE_ROWS * ROW_HEIGHT)
            on:scroll=move |ev| {
                let top = event_target::<web_sys::Element>(&ev).scroll_top();
                combo.scrolled(usize::try_from(top).unwrap_or(0));
            }
        >
            {children()}
        </div>
    }
}

/// The listbox: as tall as all its rows, with only the rows in the scroll window
/// rendered (and padding above them).
#[component]
pub(super) fn Listbox(
    /// The combobox it belongs to.
    combo: Combo,
    /// The listbox's id, `{input id}-listbox`.
    id: String,
    /// Its accessible name, when the input has no `<label>`.
    label: MaybeProp<String>,
    /// The id of the input's `<label>`, naming the listbox when `label` is unset.
    labelledby: String,
    /// `aria-multiselectable`, with `aria-selected` on the `selected_values`.
    multiselectable: bool,
    /// The chosen values when `multiselectable`.
    selected_values: Signal<Vec<String>>,
    /// Values shown but `aria-disabled`.
    disabled_values: Signal<Vec<String>>,
    /// Shown beside disabled options.
    disabled_note: MaybeProp<String>,
) -> impl IntoView {
    // A row is plain values: the list re-renders when the filter, the scroll window, the
    // active row or the disabled values change, so a row needs no reactive parts of its own
    // (building 20 rows' worth of effects and memos per keystroke was most of its cost).
    let rows = move || {
        if !combo.is_open() {
            return Vec::new();
        }
        let now = RowState {
            active: combo.active(),
            disabled: disabled_values.get(),
            multiselectable,
            selected: if multiselectable {
                selected_values.get()
            } else {
                Vec::new()
            },
            note: disabled_note.get(),
            setsize: combo.matches(),
        };
        combo.map_window(|row, entry, option, posinset| match entry {
            Row::Header(_) => group_header(option),
            Row::Option(index) => option_row(combo, option, row, index, posinset, &now),
        })
    };
    let total_height = move || {
        if !combo.is_open() {
            return "0px".to_owned();
        }
        let len = combo.with_rows(Rows::len).max(1);
        format!("{}px", len * ROW_HEIGHT)
    };
    let padding_top = move || {
        let (start, _) = combo.visible();
        format!("{}px", start * ROW_HEIGHT)
    };
    view! {
        <ul
            class="cf-combobox__listbox"
            role="listbox"
            id=id
            aria-labelledby=move || label.get().is_none().then(|| labelledby.clone())
            aria-label=move || label.get()
            aria-multiselectable=multiselectable.then_some("true")
            style:height=total_height
            style:padding-top=padding_top
        >
            {rows}
        </ul>
    }
}

/// A group's header row, `first` being the group's first matching option. Hidden
/// from screen readers: each option says its group.
fn group_header(first: &ComboOption) -> AnyView {
    view! {
        <li class="cf-combobox__row cf-combobox__group" role="presentation" aria-hidden="true">
            {first.group.clone().unwrap_or_default()}
        </li>
    }
    .into_any()
}

/// The row of option `o` (at `index` in the options) on listbox row `row`, chosen by a
/// click.
fn option_row(
    combo: Combo,
    o: &ComboOption,
    row: usize,
    index: usize,
    posinset: usize,
    now: &RowState,
) -> AnyView {
    let disabled = now.disabled.contains(&o.value);
    let is_active = now.active == Some(row);
    let selected = if now.multiselectable {
        now.selected.contains(&o.value)
    } else {
        is_active
    };
    let note = disabled
        .then(|| now.note.clone())
        .flatten()
        .map(|n| view! { <span class="cf-combobox__note">{n}</span> });
    let group = o.group.as_ref().map(|g| {
        view! { <span class="cf-visually-hidden">{crate::i18n::fill(crate::i18n::t().in_group, &[g])}</span> }
    });
    view! {
        <li
            class="cf-combobox__row cf-combobox__option"
            role="option"
            id=combo.option_id(index)
            aria-setsize=now.setsize.to_string()
            aria-posinset=posinset.to_string()
            aria-selected=if selected { "true" } else { "false" }
            aria-disabled=disabled.then_some("true")
            data-active=is_active.then_some("true")
            on:click=move |_| combo.choose(row)
        >
            <span class="cf-combobox__label">{o.label.clone()}</span>
            <span class="cf-combobox__detail">{o.detail.clone()}</span>
            {note}
            {group}
        </li>
    }
    .into_any()
}

/// The visually hidden count of matches ("3 matches"), a status said as the query
/// changes; empty while the list is closed.
#[component]
pub(super) fn MatchCount(
    /// The combobox it belongs to.
    combo: Combo,
    /// The status's id, `{input id}-count`.
    id: String,
) -> impl IntoView {
    let count = move || {
        if !combo.is_open() {
            return String::new();
        }
        count_text(combo.matches())
    };
    view! {
        <div class="cf-visually-hidden" role="status" id=id>
            {count}
        </div>
    }
}

fn count_text(matches: usize) -> String {
    let t = crate::i18n::t();
    match matches {
        0 => t.no_matches.to_owned(),
        1 => t.one_match.to_owned(),
        n => crate::i18n::fill(t.n_matches, &[&n]),
    }
}
