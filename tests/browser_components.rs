//! Browser tests (wasm-bindgen-test in headless Chromium) for the reusable
//! components: Combobox, MultiSelect, CodeBlock, Tabs, FormField, RemoveButton.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use cloudflow_connect::components::{
    described_by, CodeBlock, ComboOption, Combobox, FormField, MultiSelect, RemoveButton, Tabs,
};
use js_sys::{Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::sleep;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Loads the app's stylesheets once, so geometry (scrolling, hidden) is real.
fn ensure_styles() {
    if document().get_element_by_id("cf-test-styles").is_some() {
        return;
    }
    let style = document().create_element("style").unwrap();
    style.set_id("cf-test-styles");
    style.set_text_content(Some(concat!(
        include_str!("../style/main.css"),
        include_str!("../style/components.css")
    )));
    document().head().unwrap().append_child(&style).unwrap();
}

/// Mounts `view` in a fresh container and returns the container. Containers
/// of earlier tests are removed first, so ids never collide.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    ensure_styles();
    for old in find_all(&document().body().unwrap(), ".cf-test-root") {
        old.remove();
    }
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    container.set_class_name("cf-test-root");
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone(), view).forget();
    container
}

fn find(root: &web_sys::Element, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

fn find_all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::HtmlElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn attr(el: &web_sys::Element, name: &str) -> Option<String> {
    el.get_attribute(name)
}

fn text(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default()
}

/// A button found by its accessible name (aria-label or text).
fn button(root: &web_sys::Element, name: &str) -> web_sys::HtmlElement {
    find_all(root, "button")
        .into_iter()
        .find(|b| attr(b, "aria-label").unwrap_or_else(|| text(b)).trim() == name)
        .unwrap_or_else(|| panic!("no button named {name:?}"))
}

fn js_fn(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

/// Dispatches a bubbling, cancelable keydown; returns whether default was prevented.
fn key(el: &web_sys::Element, key: &str) -> bool {
    let f = js_fn(
        "el, key",
        "const e = new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}); \
         el.dispatchEvent(e); return e.defaultPrevented;",
    );
    f.call2(&JsValue::NULL, el, &JsValue::from_str(key))
        .unwrap()
        .as_bool()
        .unwrap()
}

/// Dispatches Alt+`key` as a keydown.
fn alt_key(el: &web_sys::Element, key: &str) {
    let f = js_fn(
        "el, key",
        "el.dispatchEvent(new KeyboardEvent('keydown', {key, altKey: true, bubbles: true, cancelable: true}));",
    );
    f.call2(&JsValue::NULL, el, &JsValue::from_str(key))
        .unwrap();
}

/// Types `value` into the input as a person would (value + input event).
fn type_into(input: &web_sys::HtmlElement, value: &str) {
    let input: &web_sys::HtmlInputElement = input.unchecked_ref();
    input.set_value(value);
    let f = js_fn(
        "el",
        "el.dispatchEvent(new Event('input', {bubbles: true}));",
    );
    f.call1(&JsValue::NULL, input).unwrap();
}

async fn next_tick() {
    sleep(0).await;
}

fn accounts() -> Arc<Vec<ComboOption>> {
    Arc::new(vec![
        ComboOption::new("111111111111", "111111111111", "Payments prod"),
        ComboOption::new("222222222222", "222222222222", "Payments staging"),
        ComboOption::new("333333333333", "333333333333", "Data lake"),
    ])
}

struct Combo {
    root: web_sys::HtmlElement,
    input: web_sys::HtmlElement,
    picked: RwSignal<Vec<ComboOption>>,
}

impl Combo {
    fn options(&self) -> Vec<web_sys::HtmlElement> {
        find_all(&self.root, "[role=option]")
    }
    fn labels(&self) -> Vec<String> {
        self.options()
            .iter()
            .map(|o| text(&find(o, ".cf-combobox__label")))
            .collect()
    }
    fn expanded(&self) -> Option<String> {
        attr(&self.input, "aria-expanded")
    }
    fn active(&self) -> Option<web_sys::Element> {
        let id = attr(&self.input, "aria-activedescendant")?;
        document().get_element_by_id(&id)
    }
}

fn mount_combo(options: Arc<Vec<ComboOption>>, disabled: Vec<String>) -> Combo {
    let value = RwSignal::new(String::new());
    let picked = RwSignal::new(Vec::new());
    let options = Signal::stored(options);
    let root = mount(move || {
        view! {
            <FormField id="acct" label="Account ID">
                <Combobox
                    id="acct"
                    value=value
                    on_input=Callback::new(move |v: String| value.set(v))
                    on_select=Callback::new(move |o: ComboOption| {
                        value.set(o.label.clone());
                        picked.update(|p| p.push(o));
                    })
                    options=options
                    placeholder="Choose an account"
                    described_by=described_by("acct")
                    disabled_values=disabled
                    disabled_note="Used in another row"
                />
            </FormField>
        }
    });
    let input = find(&root, "input");
    Combo {
        root,
        input,
        picked,
    }
}

#[wasm_bindgen_test]
async fn combobox_has_the_combobox_roles_and_name() {
    let c = mount_combo(accounts(), vec![]);
    assert_eq!(attr(&c.input, "role").as_deref(), Some("combobox"));
    assert_eq!(attr(&c.input, "aria-expanded").as_deref(), Some("false"));
    assert_eq!(attr(&c.input, "aria-autocomplete").as_deref(), Some("list"));
    let listbox_id = attr(&c.input, "aria-controls").unwrap();
    let listbox = document().get_element_by_id(&listbox_id).unwrap();
    assert_eq!(attr(&listbox, "role").as_deref(), Some("listbox"));
    let label = find(&c.root, "label");
    assert_eq!(attr(&label, "for").as_deref(), Some("acct"));
    assert_eq!(text(&label), "Account ID");
    assert_eq!(
        attr(&listbox, "aria-labelledby").as_deref(),
        attr(&label, "id").as_deref()
    );
    assert!(c.options().is_empty(), "closed: no options rendered");
}

#[wasm_bindgen_test]
async fn combobox_typing_filters_by_id_and_by_detail() {
    let c = mount_combo(accounts(), vec![]);
    type_into(&c.input, "2222");
    next_tick().await;
    assert_eq!(c.expanded().as_deref(), Some("true"));
    assert_eq!(c.labels(), vec!["222222222222"]);
    assert_eq!(attr(&c.options()[0], "aria-setsize").as_deref(), Some("1"));

    type_into(&c.input, "PAYMENTS");
    next_tick().await;
    assert_eq!(c.labels(), vec!["111111111111", "222222222222"]);
    assert!(text(&c.options()[1]).contains("Payments staging"));
    assert!(text(&find(&c.root, "[role=status]")).contains("2 matches"));

    type_into(&c.input, "lake");
    next_tick().await;
    assert_eq!(c.labels(), vec!["333333333333"]);

    type_into(&c.input, "nothing like this");
    next_tick().await;
    assert!(c.options().is_empty());
    // No empty popup over the field's messages: it closes, and the count says why.
    assert_eq!(c.expanded().as_deref(), Some("false"));
    assert!(find(&c.root, ".cf-combobox__popup").has_attribute("hidden"));
    assert!(text(&find(&c.root, "[role=status]")).contains("No matches"));
}

#[wasm_bindgen_test]
async fn combobox_arrow_down_and_enter_select() {
    let c = mount_combo(accounts(), vec![]);
    // Alt+Down opens without moving into the list; Enter then keeps its default.
    alt_key(&c.input, "ArrowDown");
    next_tick().await;
    assert_eq!(c.expanded().as_deref(), Some("true"));
    assert_eq!(attr(&c.input, "aria-activedescendant"), None);
    assert!(!key(&c.input, "Enter"));
    assert!(c.picked.get_untracked().is_empty());

    assert!(key(&c.input, "ArrowDown"));
    next_tick().await;
    assert_eq!(c.expanded().as_deref(), Some("true"));
    let first = c
        .active()
        .expect("aria-activedescendant points at an option");
    assert_eq!(attr(&first, "data-active").as_deref(), Some("true"));
    assert!(text(&first).contains("111111111111"));
    assert_eq!(attr(&first, "aria-selected").as_deref(), Some("true"));

    key(&c.input, "ArrowDown");
    next_tick().await;
    let second = c.active().unwrap();
    assert!(text(&second).contains("222222222222"));
    assert_eq!(attr(&second, "aria-posinset").as_deref(), Some("2"));
    assert_eq!(attr(&second, "aria-setsize").as_deref(), Some("3"));
    assert_eq!(attr(&first, "aria-selected").as_deref(), Some("false"));

    key(&c.input, "ArrowUp");
    key(&c.input, "ArrowDown");
    assert!(
        key(&c.input, "Enter"),
        "Enter on an active option is handled"
    );
    next_tick().await;
    let picked = c.picked.get_untracked();
    assert_eq!(picked.len(), 1);
    assert_eq!(picked[0].value, "222222222222");
    assert_eq!(picked[0].detail, "Payments staging");
    assert_eq!(c.expanded().as_deref(), Some("false"));
    assert_eq!(attr(&c.input, "aria-activedescendant"), None);
    let input: &web_sys::HtmlInputElement = c.input.unchecked_ref();
    assert_eq!(input.value(), "222222222222");
}

#[wasm_bindgen_test]
async fn combobox_escape_closes_and_click_selects() {
    let c = mount_combo(accounts(), vec![]);
    type_into(&c.input, "payments");
    key(&c.input, "ArrowDown");
    next_tick().await;
    assert_eq!(c.expanded().as_deref(), Some("true"));
    assert!(key(&c.input, "Escape"));
    next_tick().await;
    assert_eq!(c.expanded().as_deref(), Some("false"));
    assert_eq!(attr(&c.input, "aria-activedescendant"), None);
    assert!(find(&c.root, ".cf-combobox__popup").has_attribute("hidden"));
    assert!(c.options().is_empty());
    assert!(c.picked.get_untracked().is_empty());

    // Home/End move the caret while no option is active; with one, they move in the list.
    key(&c.input, "ArrowDown");
    key(&c.input, "End");
    next_tick().await;
    assert!(text(&c.active().unwrap()).contains("222222222222"));
    key(&c.input, "Home");
    next_tick().await;
    assert!(text(&c.active().unwrap()).contains("111111111111"));

    c.options()[1].click();
    next_tick().await;
    assert_eq!(c.picked.get_untracked()[0].value, "222222222222");
    assert_eq!(c.expanded().as_deref(), Some("false"));

    // Tab leaves: closes without selecting.
    key(&c.input, "ArrowDown");
    assert!(!key(&c.input, "Tab"), "Tab keeps its default");
    next_tick().await;
    assert_eq!(c.expanded().as_deref(), Some("false"));
    assert_eq!(c.picked.get_untracked().len(), 1);
}

#[wasm_bindgen_test]
async fn combobox_disabled_values_are_shown_but_not_selectable() {
    let c = mount_combo(accounts(), vec!["111111111111".into()]);
    key(&c.input, "ArrowDown");
    next_tick().await;
    let first = &c.options()[0];
    assert_eq!(attr(first, "aria-disabled").as_deref(), Some("true"));
    assert_eq!(attr(&c.options()[1], "aria-disabled"), None);
    assert!(text(first).contains("Used in another row"));
    assert!(!text(&c.options()[1]).contains("Used in another row"));
    key(&c.input, "Enter");
    first.click();
    next_tick().await;
    assert!(c.picked.get_untracked().is_empty());
    c.options()[2].click();
    next_tick().await;
    assert_eq!(c.picked.get_untracked()[0].value, "333333333333");
}

#[wasm_bindgen_test]
async fn combobox_shows_group_headers() {
    let regions = Arc::new(vec![
        ComboOption::new("us-east-1", "us-east-1", "US East (N. Virginia)")
            .in_group("AWS commercial"),
        ComboOption::new("eu-west-1", "eu-west-1", "Europe (Ireland)").in_group("AWS commercial"),
        ComboOption::new("us-gov-west-1", "us-gov-west-1", "AWS GovCloud (US-West)")
            .in_group("AWS GovCloud (US)"),
    ]);
    let c = mount_combo(regions, vec![]);
    key(&c.input, "ArrowDown");
    next_tick().await;
    let headers: Vec<String> = find_all(&c.root, ".cf-combobox__group")
        .iter()
        .map(|h| text(h))
        .collect();
    assert_eq!(headers, vec!["AWS commercial", "AWS GovCloud (US)"]);
    let posinset: Vec<String> = c
        .options()
        .iter()
        .map(|o| attr(o, "aria-posinset").unwrap())
        .collect();
    assert_eq!(posinset, vec!["1", "2", "3"]);
    // Headers are hidden from assistive technology; each option names its group.
    assert!(text(&c.options()[2]).contains("in AWS GovCloud (US)"));
    // Arrow keys skip headers.
    key(&c.input, "ArrowDown");
    key(&c.input, "ArrowDown");
    next_tick().await;
    assert!(text(&c.active().unwrap()).contains("us-gov-west-1"));

    type_into(&c.input, "gov");
    next_tick().await;
    let headers = find_all(&c.root, ".cf-combobox__group");
    assert_eq!(headers.len(), 1);
    assert_eq!(text(&headers[0]), "AWS GovCloud (US)");
    assert_eq!(c.labels(), vec!["us-gov-west-1"]);
}

#[wasm_bindgen_test]
async fn combobox_with_10000_options_renders_a_bounded_window() {
    let many: Vec<ComboOption> = (0..10_000u64)
        .map(|i| {
            let id = format!("{:012}", 100_000_000_000 + i);
            ComboOption::new(id.clone(), id, format!("Account number {i}"))
        })
        .collect();
    let c = mount_combo(Arc::new(many), vec![]);
    key(&c.input, "ArrowDown");
    next_tick().await;
    let rendered = c.options().len();
    assert!((1..=30).contains(&rendered), "rendered {rendered} options");
    assert_eq!(
        attr(&c.options()[0], "aria-setsize").as_deref(),
        Some("10000")
    );
    assert!(text(&find(&c.root, "[role=status]")).contains("10000 matches"));

    // End jumps to the last option, which is rendered and active.
    key(&c.input, "End");
    next_tick().await;
    let last = c.active().expect("last option rendered");
    assert_eq!(attr(&last, "aria-posinset").as_deref(), Some("10000"));
    assert!(text(&last).contains("100000009999"));
    assert!(c.options().len() <= 30);

    key(&c.input, "PageUp");
    next_tick().await;
    let up = c.active().unwrap();
    assert_eq!(attr(&up, "aria-posinset").as_deref(), Some("9992"));

    let perf = web_sys::window().unwrap().performance().unwrap();
    let t0 = perf.now();
    type_into(&c.input, "Account number 4321");
    next_tick().await;
    let elapsed = perf.now() - t0;
    assert_eq!(c.labels(), vec!["100000004321"]);
    assert_eq!(attr(&c.options()[0], "aria-setsize").as_deref(), Some("1"));
    web_sys::console::log_1(&format!("filter 10,000 options: {elapsed:.1} ms").into());
    assert!(elapsed < 500.0, "filtering took {elapsed} ms");

    type_into(&c.input, "1000000");
    next_tick().await;
    assert!(c.options().len() <= 30);
}

#[wasm_bindgen_test]
async fn combobox_window_follows_scroll() {
    let many: Vec<ComboOption> = (0..500u32)
        .map(|i| ComboOption::new(i.to_string(), format!("Option {i}"), ""))
        .collect();
    let c = mount_combo(Arc::new(many), vec![]);
    key(&c.input, "ArrowDown");
    next_tick().await;
    let popup = find(&c.root, ".cf-combobox__popup");
    popup.set_scroll_top(36 * 200);
    sleep(50).await;
    let labels = c.labels();
    assert!(labels.contains(&"Option 200".to_owned()), "{labels:?}");
    assert!(!labels.contains(&"Option 0".to_owned()));
    assert!(labels.len() <= 30);
}

// ---------------------------------------------------------------- MultiSelect

fn policies() -> Arc<Vec<ComboOption>> {
    Arc::new(
        [
            "ReadOnlyAccess",
            "AmazonS3ReadOnlyAccess",
            "AWSBillingReadOnlyAccess",
            "ViewOnlyAccess",
        ]
        .into_iter()
        .map(|p| ComboOption::new(format!("arn:aws:iam::aws:policy/{p}"), p, ""))
        .collect(),
    )
}

fn mount_multi(max: Option<usize>) -> (web_sys::HtmlElement, RwSignal<Vec<String>>) {
    let selected = RwSignal::new(Vec::<String>::new());
    let root = mount(move || {
        view! {
            <FormField id="policies" label="AWS Managed Policies">
                <MultiSelect
                    id="policies"
                    selected=selected
                    on_change=Callback::new(move |v: Vec<String>| selected.set(v))
                    options=Signal::stored(policies())
                    chips_label="Selected AWS managed policies"
                    empty_text="No policies chosen"
                    described_by=described_by("policies")
                    max=max.unwrap_or(usize::MAX)
                />
            </FormField>
        }
    });
    (root, selected)
}

fn chips(root: &web_sys::Element) -> Vec<String> {
    find_all(root, ".cf-chip__label")
        .iter()
        .map(|c| text(c))
        .collect()
}

#[wasm_bindgen_test]
async fn multi_select_adds_shows_and_removes_chips() {
    let (root, selected) = mount_multi(None);
    let list = find(&root, "ul[aria-label='Selected AWS managed policies']");
    assert!(text(&list).contains("No policies chosen"));
    let input = find(&root, "input");
    type_into(&input, "s3");
    key(&input, "ArrowDown");
    key(&input, "Enter");
    next_tick().await;
    assert_eq!(
        selected.get_untracked(),
        vec!["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
    );
    // Still open, the chosen option marked selected in a multiselectable listbox.
    assert_eq!(attr(&input, "aria-expanded").as_deref(), Some("true"));
    let listbox = find(&root, "[role=listbox]");
    assert_eq!(
        attr(&listbox, "aria-multiselectable").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&find(&root, "[role=option]"), "aria-selected").as_deref(),
        Some("true")
    );

    type_into(&input, "view");
    next_tick().await;
    find(&root, "[role=option]").click();
    next_tick().await;
    assert_eq!(
        chips(&root),
        vec!["AmazonS3ReadOnlyAccess", "ViewOnlyAccess"]
    );
    assert!(!text(&list).contains("No policies chosen"));

    button(&root, "Remove AmazonS3ReadOnlyAccess").click();
    next_tick().await;
    assert_eq!(chips(&root), vec!["ViewOnlyAccess"]);
    assert_eq!(
        selected.get_untracked(),
        vec!["arn:aws:iam::aws:policy/ViewOnlyAccess"]
    );
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("policies"),
        "focus returns to the input"
    );

    // Backspace in an empty input removes the last chip; with text it edits.
    type_into(&input, "x");
    key(&input, "Backspace");
    next_tick().await;
    assert_eq!(chips(&root).len(), 1);
    type_into(&input, "");
    key(&input, "Backspace");
    next_tick().await;
    assert!(chips(&root).is_empty());
    assert!(text(&list).contains("No policies chosen"));
}

#[wasm_bindgen_test]
async fn multi_select_refuses_past_max_with_a_message() {
    let (root, selected) = mount_multi(Some(2));
    let input = find(&root, "input");
    let limit = find(&root, ".cf-multiselect__limit");
    let describedby = attr(&input, "aria-describedby").unwrap();
    assert!(describedby.split(' ').any(|id| id == limit.id()));
    for _ in 0..3 {
        key(&input, "ArrowDown");
        key(&input, "Enter");
    }
    next_tick().await;
    // Picking the first option again would remove it; ArrowDown moved on each time.
    assert_eq!(selected.get_untracked().len(), 2);
    assert!(
        text(&limit).contains("You can choose at most 2"),
        "{}",
        text(&limit)
    );
    assert_eq!(chips(&root).len(), 2);

    button(&root, "Remove ReadOnlyAccess").click();
    next_tick().await;
    assert_eq!(text(&limit), "");
    assert_eq!(chips(&root), vec!["AmazonS3ReadOnlyAccess"]);
}

// ------------------------------------------------------------------ CodeBlock

const CODE: &str = "resource \"aws_iam_role\" \"cloudflow\" {\n  name = \"doit-cloudflow\"\n}\n";

fn mount_code(filename: Option<&'static str>) -> web_sys::HtmlElement {
    let code = RwSignal::new(CODE.to_owned());
    mount(move || {
        match filename {
        Some(f) => view! {
            <CodeBlock label="Terraform configuration" code=code filename=f mime="text/x-terraform" />
        }
        .into_any(),
        None => view! { <CodeBlock label="Terraform configuration" code=code /> }.into_any(),
    }
    })
}

fn clipboard() -> JsValue {
    let navigator = web_sys::window().unwrap().navigator();
    Reflect::get(&navigator, &"clipboard".into()).unwrap()
}

/// Replaces navigator.clipboard.writeText for the duration of a test.
fn stub_write_text(body: &str) {
    Reflect::set(&clipboard(), &"writeText".into(), &js_fn("text", body)).unwrap();
}

fn restore_write_text() {
    Reflect::delete_property(
        &clipboard().unchecked_into::<js_sys::Object>(),
        &"writeText".into(),
    )
    .unwrap();
}

fn selected_text() -> String {
    web_sys::window()
        .unwrap()
        .get_selection()
        .unwrap()
        .unwrap()
        .to_string()
        .into()
}

#[wasm_bindgen_test]
async fn code_block_copy_success_shows_copied_with_exactly_the_code() {
    let root = mount_code(Some("cloudflow-role.tf"));
    let section = find(&root, "section");
    assert_eq!(
        attr(&section, "aria-label").as_deref(),
        Some("Terraform configuration")
    );
    assert_eq!(text(&find(&section, "code")), CODE);
    stub_write_text("window.__copied = text; return Promise.resolve();");
    button(&section, "Copy").click();
    sleep(20).await;
    restore_write_text();
    let copied = Reflect::get(&web_sys::window().unwrap(), &"__copied".into()).unwrap();
    assert_eq!(copied.as_string().as_deref(), Some(CODE));
    let status = find(&section, ".cf-code__status");
    assert_eq!(attr(&status, "aria-live").as_deref(), Some("polite"));
    assert_eq!(text(&status), "Copied");
    sleep(2_200).await;
    assert_eq!(text(&status), "", "the confirmation goes away after ~2 s");
}

#[wasm_bindgen_test]
async fn code_block_copy_refused_selects_the_text() {
    let root = mount_code(None);
    let section = find(&root, "section");
    stub_write_text(
        "return Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));",
    );
    button(&section, "Copy").click();
    sleep(20).await;
    restore_write_text();
    let status = text(&find(&section, ".cf-code__status"));
    assert_eq!(
        status,
        "Copying was blocked by the browser. The text is selected: press Ctrl+C (\u{2318}C on a Mac)."
    );
    // Chromium leaves the final newline of a <pre> out of the selection's text.
    assert_eq!(selected_text(), CODE.trim_end());
}

#[wasm_bindgen_test]
async fn code_block_without_clipboard_selects_the_text() {
    let root = mount_code(None);
    let section = find(&root, "section");
    web_sys::window()
        .unwrap()
        .get_selection()
        .unwrap()
        .unwrap()
        .remove_all_ranges()
        .unwrap();
    let navigator = web_sys::window().unwrap().navigator();
    let define = js_fn(
        "nav",
        "Object.defineProperty(nav, 'clipboard', {value: undefined, configurable: true});",
    );
    define.call1(&JsValue::NULL, &navigator).unwrap();
    button(&section, "Copy").click();
    next_tick().await;
    Reflect::delete_property(
        &navigator.unchecked_into::<js_sys::Object>(),
        &"clipboard".into(),
    )
    .unwrap();
    assert!(!clipboard().is_undefined(), "clipboard restored");
    assert!(text(&find(&section, ".cf-code__status")).starts_with("Copying was blocked"));
    // Chromium leaves the final newline of a <pre> out of the selection's text.
    assert_eq!(selected_text(), CODE.trim_end());
}

#[wasm_bindgen_test]
async fn code_block_download_saves_a_blob_and_revokes_its_url() {
    assert!(
        find_all(&mount_code(None), "button")
            .iter()
            .all(|b| text(b) != "Download"),
        "no filename, no Download button"
    );
    let root = mount_code(Some("cloudflow-role.tf"));
    let section = find(&root, "section");
    let window = web_sys::window().unwrap();
    let url_ctor = Reflect::get(&window, &"URL".into()).unwrap();
    let anchor_proto = js_fn("", "return HTMLAnchorElement.prototype;")
        .call0(&JsValue::NULL)
        .unwrap();
    let originals = [
        Reflect::get(&url_ctor, &"createObjectURL".into()).unwrap(),
        Reflect::get(&url_ctor, &"revokeObjectURL".into()).unwrap(),
        Reflect::get(&anchor_proto, &"click".into()).unwrap(),
    ];
    let stubs = [
        js_fn("blob", "window.__blob = blob; return 'blob:stub';"),
        js_fn("url", "window.__revoked = url;"),
        js_fn(
            "",
            "window.__clicked = [this.download, this.href, this.isConnected];",
        ),
    ];
    Reflect::set(&url_ctor, &"createObjectURL".into(), &stubs[0]).unwrap();
    Reflect::set(&url_ctor, &"revokeObjectURL".into(), &stubs[1]).unwrap();
    Reflect::set(&anchor_proto, &"click".into(), &stubs[2]).unwrap();

    button(&section, "Download").click();
    let revoked_at_once = Reflect::get(&window, &"__revoked".into()).unwrap();
    sleep(1_200).await;

    Reflect::set(&url_ctor, &"createObjectURL".into(), &originals[0]).unwrap();
    Reflect::set(&url_ctor, &"revokeObjectURL".into(), &originals[1]).unwrap();
    Reflect::set(&anchor_proto, &"click".into(), &originals[2]).unwrap();

    assert!(
        revoked_at_once.is_undefined(),
        "URL kept while the download starts"
    );
    let clicked: js_sys::Array = Reflect::get(&window, &"__clicked".into())
        .unwrap()
        .unchecked_into();
    assert_eq!(
        clicked.get(0).as_string().as_deref(),
        Some("cloudflow-role.tf")
    );
    assert_eq!(clicked.get(1).as_string().as_deref(), Some("blob:stub"));
    assert_eq!(clicked.get(2).as_bool(), Some(true));
    let blob: web_sys::Blob = Reflect::get(&window, &"__blob".into())
        .unwrap()
        .unchecked_into();
    assert_eq!(blob.type_(), "text/x-terraform");
    let content = JsFuture::from(blob.text()).await.unwrap();
    assert_eq!(content.as_string().as_deref(), Some(CODE));
    let revoked = Reflect::get(&window, &"__revoked".into()).unwrap();
    assert_eq!(revoked.as_string().as_deref(), Some("blob:stub"));
    assert!(
        document().query_selector("a[download]").unwrap().is_none(),
        "anchor removed"
    );
}

// ----------------------------------------------------------------------- Tabs

#[wasm_bindgen_test]
async fn tabs_arrow_keys_move_selection_focus_and_aria_selected() {
    let selected = RwSignal::new("cloudformation");
    let root = mount(move || {
        view! {
            <Tabs
                label="Deploy with"
                tabs=vec![("cloudformation", "CloudFormation"), ("terraform", "Terraform")]
                selected=selected
            >
                {move || match selected.get() {
                    "terraform" => "Terraform panel",
                    _ => "CloudFormation panel",
                }}
            </Tabs>
        }
    });
    let list = find(&root, "[role=tablist]");
    assert_eq!(attr(&list, "aria-label").as_deref(), Some("Deploy with"));
    let tabs = find_all(&root, "[role=tab]");
    let panel = find(&root, "[role=tabpanel]");
    let state = || {
        tabs.iter()
            .map(|t| {
                (
                    attr(t, "aria-selected").unwrap(),
                    attr(t, "tabindex").unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(state(), vec![s("true", "0"), s("false", "-1")]);
    assert_eq!(
        attr(&panel, "aria-labelledby").as_deref(),
        Some(tabs[0].id().as_str())
    );
    assert_eq!(
        attr(&tabs[0], "aria-controls").as_deref(),
        Some(panel.id().as_str())
    );
    assert_eq!(text(&panel), "CloudFormation panel");

    tabs[0].focus().unwrap();
    assert!(key(&tabs[0], "ArrowRight"));
    next_tick().await;
    assert_eq!(selected.get_untracked(), "terraform");
    assert_eq!(state(), vec![s("false", "-1"), s("true", "0")]);
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(tabs[1].id())
    );
    assert_eq!(
        attr(&panel, "aria-labelledby").as_deref(),
        Some(tabs[1].id().as_str())
    );
    assert_eq!(text(&panel), "Terraform panel");

    key(&tabs[1], "ArrowRight"); // wraps
    next_tick().await;
    assert_eq!(selected.get_untracked(), "cloudformation");
    key(&tabs[0], "ArrowLeft"); // wraps back
    next_tick().await;
    assert_eq!(selected.get_untracked(), "terraform");
    key(&tabs[1], "Home");
    next_tick().await;
    assert_eq!(selected.get_untracked(), "cloudformation");
    key(&tabs[0], "End");
    next_tick().await;
    assert_eq!(selected.get_untracked(), "terraform");
    assert!(!key(&tabs[1], "a"), "other keys keep their default");

    tabs[0].click();
    next_tick().await;
    assert_eq!(selected.get_untracked(), "cloudformation");
}

// ------------------------------------------------------------------ FormField

#[wasm_bindgen_test]
async fn form_field_wires_label_description_and_messages() {
    let errors = RwSignal::new(Vec::<String>::new());
    let warnings = RwSignal::new(Vec::<String>::new());
    let root = mount(move || {
        view! {
            <FormField
                id="conn-name"
                label="Name your new connection"
                description="1-200 characters, unique in your organisation."
                errors=errors
                warnings=warnings
            >
                <input
                    id="conn-name"
                    class="cf-input"
                    aria-describedby=described_by("conn-name")
                    aria-invalid=move || (!errors.get().is_empty()).then_some("true")
                />
            </FormField>
        }
    });
    let label = find(&root, "label");
    assert_eq!(attr(&label, "for").as_deref(), Some("conn-name"));
    assert_eq!(text(&label), "Name your new connection");
    let input = find(&root, "input");
    assert_eq!(input.id(), "conn-name");
    let labels = input
        .unchecked_ref::<web_sys::HtmlInputElement>()
        .labels()
        .unwrap();
    assert_eq!(labels.length(), 1, "the label names the input");

    let ids = attr(&input, "aria-describedby").unwrap();
    let targets: Vec<web_sys::Element> = ids
        .split(' ')
        .map(|id| {
            document()
                .get_element_by_id(id)
                .unwrap_or_else(|| panic!("no #{id}"))
        })
        .collect();
    assert_eq!(targets.len(), 2);
    assert_eq!(
        text(&targets[0]),
        "1-200 characters, unique in your organisation."
    );
    assert_eq!(text(&targets[1]), "");

    errors.set(vec!["Enter a name for the connection.".into()]);
    warnings.set(vec!["Another connection uses this role name.".into()]);
    next_tick().await;
    let messages = find_all(&targets[1], "[data-severity]");
    assert_eq!(messages.len(), 2);
    assert_eq!(
        attr(&messages[0], "data-severity").as_deref(),
        Some("error")
    );
    assert_eq!(
        text(&messages[0]),
        "\u{2715}Error: Enter a name for the connection."
    );
    assert_eq!(
        attr(&messages[1], "data-severity").as_deref(),
        Some("warning")
    );
    assert!(text(&messages[1]).contains("Warning: Another connection uses this role name."));
    assert_eq!(attr(&input, "aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        attr(&find(&root, ".cf-field"), "data-invalid").as_deref(),
        Some("true")
    );

    errors.set(vec![]);
    warnings.set(vec![]);
    next_tick().await;
    assert!(find_all(&targets[1], "[data-severity]").is_empty());
}

#[wasm_bindgen_test]
async fn remove_button_is_named_for_its_row_hides_and_refuses_while_locked() {
    let removed = RwSignal::new(0_u32);
    let name = RwSignal::new("Remove account 2".to_owned());
    let hidden = RwSignal::new(false);
    let locked = RwSignal::new(false);
    let root = mount(move || {
        view! {
            <RemoveButton
                label=name
                hidden=hidden
                locked=locked
                why="The connection needs an Owner."
                on_remove=Callback::new(move |()| removed.update(|n| *n += 1))
            />
        }
    });
    let b = button(&root, "Remove account 2");
    assert_eq!(attr(&b, "type").as_deref(), Some("button"));
    assert_eq!(text(&b), "Remove");
    assert!(!b.hidden());
    assert_eq!(attr(&b, "aria-disabled"), None);
    b.click();
    assert_eq!(removed.get_untracked(), 1);

    // The name follows the row.
    name.set("Remove account 1".into());
    next_tick().await;
    assert_eq!(attr(&b, "aria-label").as_deref(), Some("Remove account 1"));

    // Locked: still focusable and announced, says why, and a click does nothing.
    locked.set(true);
    next_tick().await;
    assert_eq!(attr(&b, "aria-disabled").as_deref(), Some("true"));
    assert_eq!(
        attr(&b, "title").as_deref(),
        Some("The connection needs an Owner.")
    );
    b.click();
    assert_eq!(removed.get_untracked(), 1);

    // Hidden while its row is the last that must stay.
    locked.set(false);
    hidden.set(true);
    next_tick().await;
    assert!(b.hidden());
    assert_eq!(attr(&b, "title"), None);
}
