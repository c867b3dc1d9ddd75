//! Browser tests (wasm-bindgen-test in headless Chromium) for the step navigation.
#![cfg(target_arch = "wasm32")]

use cloudflow_connect::components::StepNav;
use cloudflow_connect::wizard::steps::Step;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a StepNav in a fresh container and returns the container.
fn mount_nav(
    current: RwSignal<Step>,
    farthest: RwSignal<Step>,
    picked: RwSignal<Vec<Step>>,
) -> web_sys::HtmlElement {
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <StepNav
                current=current
                farthest=farthest
                href=Callback::new(|s: Step| format!("/connections/aws/new/{}", s.slug()))
                on_select=Callback::new(move |s: Step| {
                    picked.update(|p| p.push(s));
                    current.set(s);
                })
                label=cloudflow_connect::i18n::t().steps_label
            />
        }
    });
    handle.forget();
    container
}

fn items(container: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
    let list = container.query_selector_all(".cf-steps__link").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

async fn next_tick() {
    // Leptos updates the DOM synchronously for signal writes, but yield once so
    // any queued effects run too.
    let promise = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn marks_current_step_and_disables_unvisited_ones() {
    let picked = RwSignal::new(Vec::new());
    let c = mount_nav(
        RwSignal::new(Step::Permissions),
        RwSignal::new(Step::Permissions),
        picked,
    );
    let nav = c.query_selector("nav").unwrap().unwrap();
    assert_eq!(
        nav.get_attribute("aria-label").as_deref(),
        Some("Create AWS connection steps")
    );
    let links = items(&c);
    assert_eq!(links.len(), 3);
    assert_eq!(links[0].tag_name(), "A");
    assert_eq!(links[0].get_attribute("aria-current"), None);
    assert_eq!(
        links[1].get_attribute("aria-current").as_deref(),
        Some("step")
    );
    assert_eq!(links[2].tag_name(), "SPAN");
    assert_eq!(
        links[2].get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(links[2].text_content().unwrap().contains("Access"));
}

#[wasm_bindgen_test]
async fn clicking_a_visited_step_selects_it_and_moves_aria_current() {
    let picked = RwSignal::new(Vec::new());
    let current = RwSignal::new(Step::Access);
    let c = mount_nav(current, RwSignal::new(Step::Access), picked);
    let setup: web_sys::HtmlElement = items(&c)[0].clone().unchecked_into();
    setup.click();
    next_tick().await;
    assert_eq!(picked.get_untracked(), vec![Step::Setup]);
    let links = items(&c);
    assert_eq!(
        links[0].get_attribute("aria-current").as_deref(),
        Some("step")
    );
    assert_eq!(links[2].get_attribute("aria-current"), None);
    // Access stays reachable: it was visited.
    assert_eq!(links[2].tag_name(), "A");
}

#[wasm_bindgen_test]
async fn clicking_an_unvisited_step_does_nothing() {
    let picked = RwSignal::new(Vec::new());
    let c = mount_nav(
        RwSignal::new(Step::Setup),
        RwSignal::new(Step::Setup),
        picked,
    );
    let access: web_sys::HtmlElement = items(&c)[2].clone().unchecked_into();
    access.click();
    next_tick().await;
    assert!(picked.get_untracked().is_empty());
    assert_eq!(
        items(&c)[0].get_attribute("aria-current").as_deref(),
        Some("step")
    );
}
