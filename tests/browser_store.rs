//! Browser test of `store::settled`, the boundary that keeps a keystroke from
//! reaching every row: it follows its computation, and tells its readers only
//! when the value changed.
#![cfg(target_arch = "wasm32")]

use cloudflow_connect::store::settled;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn settled_follows_its_value_and_is_silent_while_it_stays_equal() {
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let source = RwSignal::new((1_u32, String::from("name")));
    let reads = StoredValue::new(0_u32);
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let count = settled(move || source.with(|s| s.0));
        Effect::new(move |_| {
            count.track();
            reads.update_value(|n| *n += 1);
        });
        view! { <output>{move || count.get()}</output> }
    });
    support::sleep(20).await;
    assert_eq!(reads.get_value(), 1, "read once at the start");
    assert_eq!(
        container.text_content().unwrap(),
        "1",
        "starts with the current value"
    );

    // Another part of the source changes: the settled value is equal, nobody is told.
    source.update(|s| s.1.push_str(" typed"));
    support::sleep(20).await;
    assert_eq!(reads.get_value(), 1);

    source.update(|s| s.0 = 2);
    support::sleep(20).await;
    assert_eq!(reads.get_value(), 2);
    assert_eq!(container.text_content().unwrap(), "2");
    drop(handle);
    container.remove();
}
