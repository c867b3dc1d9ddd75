//! WAI-ARIA tabs with automatic activation and a roving tabindex.

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// The tab index a key moves to from `current` among `count` tabs (wrapping).
pub(crate) fn target_tab(key: &str, current: usize, count: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    match key {
        "ArrowRight" => Some(if current >= last { 0 } else { current + 1 }),
        "ArrowLeft" => Some(if current == 0 { last } else { current - 1 }),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// A tablist with one tabpanel, labelled by the selected tab.
#[component]
pub fn Tabs(
    /// `aria-label` of the tablist, e.g. "Deploy with".
    #[prop(into)]
    label: String,
    /// `(key, visible label)` of each tab, in order.
    tabs: Vec<(&'static str, &'static str)>,
    /// The selected tab's key.
    selected: RwSignal<&'static str>,
    /// Prefix of the tab and panel ids; generated when absent.
    #[prop(optional, into)]
    id: Option<String>,
    /// The panel content (typically a match on `selected`).
    children: ChildrenFn,
) -> impl IntoView {
    let base = id.unwrap_or_else(|| format!("cf-tabs-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)));
    let panel_id = format!("{base}-panel");
    let base = StoredValue::new(base);
    let tab_id = move |key: &str| format!("{}-tab-{key}", base.read_value());
    let keys: Vec<&'static str> = tabs.iter().map(|(k, _)| *k).collect();
    let keys = StoredValue::new(keys);

    let on_keydown = move |ev: KeyboardEvent| {
        let Some(next) = keys.with_value(|keys| {
            let current = keys
                .iter()
                .position(|k| *k == selected.get_untracked())
                .unwrap_or(0);
            target_tab(&ev.key(), current, keys.len()).and_then(|i| keys.get(i).copied())
        }) else {
            return;
        };
        ev.prevent_default();
        selected.set(next);
        let el = document()
            .get_element_by_id(&tab_id(next))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    };

    // When `selected` names no tab, the first one takes the tab stop.
    let tab_stop = move || {
        let current = selected.get();
        keys.with_value(|keys| {
            if keys.contains(&current) {
                current
            } else {
                keys.first().copied().unwrap_or(current)
            }
        })
    };
    let buttons = tabs
        .into_iter()
        .map(|(key, text)| {
            let is_selected = move || selected.get() == key;
            let is_stop = move || tab_stop() == key;
            view! {
                <button
                    type="button"
                    role="tab"
                    class="cf-tabs__tab"
                    id=tab_id(key)
                    aria-controls=panel_id.clone()
                    aria-selected=move || if is_selected() { "true" } else { "false" }
                    data-selected=move || is_selected().then_some("true")
                    tabindex=move || if is_stop() { "0" } else { "-1" }
                    on:click=move |_| selected.set(key)
                >
                    {text}
                </button>
            }
        })
        .collect_view();

    view! {
        <div class="cf-tabs">
            <div class="cf-tabs__list" role="tablist" aria-label=label on:keydown=on_keydown>
                {buttons}
            </div>
            <div
                class="cf-tabs__panel"
                role="tabpanel"
                id=panel_id
                tabindex="0"
                aria-labelledby=move || tab_id(selected.get())
            >
                {children()}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::target_tab;

    #[test]
    fn arrows_wrap_and_home_end_jump() {
        assert_eq!(target_tab("ArrowRight", 0, 3), Some(1));
        assert_eq!(target_tab("ArrowRight", 2, 3), Some(0));
        assert_eq!(target_tab("ArrowLeft", 0, 3), Some(2));
        assert_eq!(target_tab("Home", 2, 3), Some(0));
        assert_eq!(target_tab("End", 0, 3), Some(2));
        assert_eq!(target_tab("Enter", 0, 3), None);
        assert_eq!(target_tab("ArrowRight", 0, 0), None);
    }
}
