//! Browser test of the take-over from index.html's static Setup step
//! (`prerender`): the app renders detached, then replaces the copy in one go,
//! with what the person typed into it replayed into the app's own state, and
//! the focus and caret where they were.
#![cfg(target_arch = "wasm32")]

use cloudflow_connect::prerender::{self, LIVE_MARK, PRERENDER_ID, SHOWING_ATTRIBUTE};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn input(id: &str) -> web_sys::HtmlInputElement {
    document().get_element_by_id(id).unwrap().unchecked_into()
}

#[wasm_bindgen_test]
fn the_app_takes_over_with_what_was_typed_into_the_copy() {
    let doc = document();
    let copy = doc.create_element("div").unwrap();
    copy.set_id(PRERENDER_ID);
    copy.set_inner_html(
        r#"<input id="t-name" type="text"><input id="t-box" type="checkbox"><input id="t-kept" type="text" value="as shipped"><button id="t-next" disabled>Next</button>"#,
    );
    doc.body().unwrap().append_child(&copy).unwrap();
    doc.document_element()
        .unwrap()
        .set_attribute(SHOWING_ATTRIBUTE, "")
        .unwrap();

    // The person types into the copy, ticks the box, and leaves the caret after "ty".
    input("t-name").set_value("typed");
    input("t-box").set_checked(true);
    input("t-name").focus().unwrap();
    input("t-name").set_selection_range(2, 2).unwrap();

    let root = prerender::mount_point();
    assert!(
        !root.is_connected(),
        "the app renders detached while the copy shows"
    );
    let name = RwSignal::new(String::new());
    let ticked = RwSignal::new(false);
    let kept_inputs = RwSignal::new(0);
    leptos::mount::mount_to(root, move || {
        view! {
            <div id="t-app">
                <input id="t-name" type="text" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                <input id="t-box" type="checkbox" on:change=move |ev| ticked.set(event_target_checked(&ev)) />
                <input id="t-kept" type="text" value="as shipped" on:input=move |_| kept_inputs.update(|n| *n += 1) />
                <button id="t-next">"Next"</button>
            </div>
        }
    })
    .forget();
    assert!(!prerender::is_live());
    assert_eq!(
        doc.query_selector_all("#t-name").unwrap().length(),
        1,
        "no duplicate ids meanwhile"
    );

    prerender::reveal();
    assert!(prerender::is_live());
    assert!(
        doc.get_element_by_id(PRERENDER_ID).is_none(),
        "the copy is gone"
    );
    assert!(!doc
        .document_element()
        .unwrap()
        .has_attribute(SHOWING_ATTRIBUTE));
    assert!(doc.get_element_by_id("t-app").unwrap().is_connected());
    assert_eq!(
        name.get_untracked(),
        "typed",
        "typing reached the app's state"
    );
    assert!(ticked.get_untracked(), "the tick reached the app's state");
    assert_eq!(
        kept_inputs.get_untracked(),
        0,
        "untouched fields are left alone"
    );
    let active = doc.active_element().unwrap();
    assert_eq!(active.id(), "t-name");
    assert_eq!(input("t-name").selection_start().unwrap(), Some(2));
    let marks = window()
        .performance()
        .unwrap()
        .get_entries_by_name(LIVE_MARK);
    assert_eq!(marks.length(), 1);

    // Once only: a later page's call changes nothing.
    prerender::reveal();
    prerender::reveal_when_rendered();
    assert_eq!(
        window()
            .performance()
            .unwrap()
            .get_entries_by_name(LIVE_MARK)
            .length(),
        1
    );
    doc.get_element_by_id("t-app").unwrap().remove();
}

#[wasm_bindgen_test]
fn a_copy_that_is_not_showing_is_removed_and_the_app_mounts_in_the_body() {
    let doc = document();
    let copy = doc.create_element("div").unwrap();
    copy.set_id(PRERENDER_ID);
    doc.body().unwrap().append_child(&copy).unwrap();
    let _ = doc
        .document_element()
        .unwrap()
        .remove_attribute(SHOWING_ATTRIBUTE);
    let root = prerender::mount_point();
    assert!(root.is_same_node(Some(&doc.body().unwrap())));
    assert!(doc.get_element_by_id(PRERENDER_ID).is_none());
}
