//! The Setup step, painted from `index.html` before the wasm has arrived.
//!
//! `index.html` carries static copies of the Setup step, the Connections list and a
//! connection's page, in English and Japanese (`prerender/*.html`, snapshots of this
//! app's own first render, spliced in by `scripts/post-build`) inside `#cf-prerender`.
//! A small script in the page's head picks the route's (`data-cf-prerender` on `<html>`,
//! with `lang`; Setup's only in a tab without a saved draft) and the CSS shows that one;
//! on other routes they stay hidden and are removed at start.
//!
//! While it shows, the person can already read the step and type into its
//! fields; its buttons are disabled. The app meanwhile renders into a detached
//! element ([`mount_point`]); once its first page is built, [`reveal`] swaps the
//! two in one task (no frame in between), replays what was typed into the
//! app's fields as input events, so the app's state has it, and puts the focus
//! and caret back where they were (a picker that had the focus opens its list).

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

/// The element that holds the static copy.
pub const PRERENDER_ID: &str = "cf-prerender";
/// The notice index.html's head script shows when the app fails to load.
pub const LOAD_FAILED_ID: &str = "cf-load-failed";
/// Set on `<html>` by the head script while the static copy is showing.
pub const SHOWING_ATTRIBUTE: &str = "data-cf-prerender";
/// The `performance.mark` set when the app has taken over (the benchmark reads it).
pub const LIVE_MARK: &str = "cf-live";
/// Longest the static copy may stand in if no page of the app says it has rendered (a
/// page that forgot to call [`reveal_when_rendered`]: a bug). Long, because a swap while
/// the app still shows "Loading…" drops what was typed into the copy, and the permission
/// check it waits for may retry with back-off for half a minute on a bad network.
const STAND_IN_LIMIT_MS: i32 = 60_000;

thread_local! {
    static DETACHED_ROOT: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
}

/// Where the app mounts: the body, or, while the static copy is showing, a
/// detached element that [`reveal`] moves into the body.
pub fn mount_point() -> HtmlElement {
    let doc = document();
    let body = doc.body().expect("the page has a body");
    // Started after all (a late error the head script took for a failed load).
    if let Some(notice) = doc.get_element_by_id(LOAD_FAILED_ID) {
        notice.remove();
    }
    let Some(copy) = doc.get_element_by_id(PRERENDER_ID) else {
        return body;
    };
    let showing = doc
        .document_element()
        .is_some_and(|html| html.has_attribute(SHOWING_ATTRIBUTE));
    if !showing {
        copy.remove();
        return body;
    }
    let root: HtmlElement = doc.create_element("div").expect("a div").unchecked_into();
    DETACHED_ROOT.with(|r| *r.borrow_mut() = Some(root.clone()));
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
        wasm_bindgen::closure::Closure::once_into_js(reveal).unchecked_ref(),
        STAND_IN_LIMIT_MS,
    );
    root
}

/// Called by every page the app can show first: once that page is in the DOM
/// (after this render's effects, before the next frame), the app takes over.
pub fn reveal_when_rendered() {
    if is_live() {
        return;
    }
    Effect::new(move |_| request_animation_frame(reveal));
}

/// Swaps the static copy for the app (at most once; later calls do nothing).
pub fn reveal() {
    let Some(root) = DETACHED_ROOT.with(|r| r.borrow_mut().take()) else {
        return;
    };
    let doc = document();
    let Some(body) = doc.body() else { return };
    let mut typed = Vec::new();
    let mut focus = None;
    if let Some(copy) = doc.get_element_by_id(PRERENDER_ID) {
        typed = typed_into(&copy);
        focus = focus_in(&doc, &copy);
        copy.remove();
    }
    if let Some(html) = doc.document_element() {
        let _ = html.remove_attribute(SHOWING_ATTRIBUTE);
    }
    while let Some(child) = root.first_child() {
        let _ = body.append_child(&child);
    }
    for t in typed {
        t.replay(&doc);
    }
    if let Some(f) = focus {
        f.restore(&doc);
    }
    if let Some(p) = window().performance() {
        let _ = p.mark(LIVE_MARK);
    }
}

/// Whether the app has taken over (or never needed to).
pub fn is_live() -> bool {
    DETACHED_ROOT.with(|r| r.borrow().is_none())
}

/// What the person did to one field of the static copy.
#[derive(Debug, Clone, PartialEq)]
enum Typed {
    Text { id: String, value: String },
    Checked { id: String, checked: bool },
}

impl Typed {
    /// Does the same to the app's field of that id, through the events the app listens to.
    fn replay(&self, doc: &Document) {
        match self {
            Typed::Text { id, value } => {
                let Some(el) = doc.get_element_by_id(id) else {
                    return;
                };
                if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                    input.set_value(value);
                } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
                    area.set_value(value);
                } else {
                    return;
                }
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                if let Ok(ev) = web_sys::Event::new_with_event_init_dict("input", &init) {
                    let _ = el.dispatch_event(&ev);
                }
            }
            Typed::Checked { id, checked } => {
                let Some(input) = doc
                    .get_element_by_id(id)
                    .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
                else {
                    return;
                };
                if input.checked() != *checked {
                    input.click();
                }
            }
        }
    }
}

/// The app's id of a copy's element: the copies other than Setup's English one carry their
/// ids as `cfc-<page>-<lang>--<id>` (ids are unique in `index.html`; `scripts/post-build`).
fn app_id(id: String) -> String {
    match id
        .strip_prefix("cfc-")
        .and_then(|rest| rest.split_once("--"))
    {
        Some((_, app)) => app.to_owned(),
        None => id,
    }
}

/// The fields of the static copy that differ from how the page arrived.
fn typed_into(copy: &Element) -> Vec<Typed> {
    let mut out = Vec::new();
    let Ok(fields) = copy.query_selector_all("input[id], textarea[id]") else {
        return out;
    };
    for i in 0..fields.length() {
        let Some(node) = fields.item(i) else { continue };
        if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
            let id = app_id(input.id());
            match input.type_().as_str() {
                "checkbox" | "radio" => {
                    if input.checked() != input.default_checked() {
                        out.push(Typed::Checked {
                            id,
                            checked: input.checked(),
                        });
                    }
                }
                _ => {
                    if input.value() != input.default_value() {
                        out.push(Typed::Text {
                            id,
                            value: input.value(),
                        });
                    }
                }
            }
        } else if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>() {
            if area.default_value().ok().as_ref() != Some(&area.value()) {
                out.push(Typed::Text {
                    id: app_id(area.id()),
                    value: area.value(),
                });
            }
        }
    }
    out
}

/// Where the focus and the caret were, when they were in the static copy.
struct Focus {
    id: String,
    selection: Option<(u32, u32)>,
}

fn focus_in(doc: &Document, copy: &Element) -> Option<Focus> {
    let active = doc.active_element()?;
    if !copy.contains(Some(&active)) || active.id().is_empty() {
        return None;
    }
    let selection = active.dyn_ref::<HtmlInputElement>().and_then(|i| {
        Some((
            i.selection_start().ok().flatten()?,
            i.selection_end().ok().flatten()?,
        ))
    });
    Some(Focus {
        id: app_id(active.id()),
        selection,
    })
}

impl Focus {
    fn restore(&self, doc: &Document) {
        let Some(el) = doc
            .get_element_by_id(&self.id)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        let _ = el.focus();
        if let (Some((start, end)), Some(input)) =
            (self.selection, el.dyn_ref::<HtmlInputElement>())
        {
            let _ = input.set_selection_range(start, end);
        }
        // A picker the person went into opens its list, as a click on it does in the app.
        if el.get_attribute("role").as_deref() == Some("combobox") {
            el.click();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::app_id;

    #[test]
    fn a_copy_s_prefixed_id_is_the_app_s_id() {
        assert_eq!(
            app_id("cfc-setup-ja--connection-name".into()),
            "connection-name"
        );
        assert_eq!(
            app_id("cfc-details-en--cf-details-heading".into()),
            "cf-details-heading"
        );
        assert_eq!(app_id("connection-name".into()), "connection-name");
        assert_eq!(
            app_id("cfc-without-separator".into()),
            "cfc-without-separator"
        );
    }
}
