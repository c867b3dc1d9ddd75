//! Browser test of the Access step's grid rules: the person creating the
//! connection starts as Owner and can be neither removed nor demoted until
//! another Owner exists.
#![cfg(target_arch = "wasm32")]

use cloudflow_connect::api::Api;
use cloudflow_connect::config::AppConfig;
use cloudflow_connect::session::Session;
use cloudflow_connect::wizard::catalogs::CatalogStore;
use cloudflow_connect::wizard::draft::{CollaboratorRowStoreFields, DraftStoreFields};
use cloudflow_connect::wizard::state::WizardStore;
use cloudflow_connect::wizard::steps::AccessStep;
use cloudflow_core::CollaboratorRole;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;

wasm_bindgen_test_configure!(run_in_browser);

const ME: &str = "me@example.com";

fn mount_access() -> (web_sys::HtmlElement, WizardStore) {
    let document = web_sys::window().unwrap().document().unwrap();
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let slot = RwSignal::new(None::<WizardStore>);
    let handle = leptos::mount::mount_to(container.clone(), move || {
        // No API behind this test page: the user list stays empty, the rules still hold.
        let config = AppConfig {
            api_base_url: "http://127.0.0.1:9".into(),
            ..AppConfig::default()
        };
        provide_context(Session::new(
            Api::new(&config),
            config.manage_permissions.clone(),
            config.owner_permissions.clone(),
        ));
        let store = WizardStore::new(ME.into(), CatalogStore::new());
        provide_context(store);
        slot.set(Some(store));
        view! { <AccessStep /> }
    });
    handle.forget();
    (container, slot.get_untracked().unwrap())
}

fn selects(c: &web_sys::HtmlElement) -> Vec<web_sys::HtmlSelectElement> {
    let list = c.query_selector_all("select").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn remove_buttons(c: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let list = c.query_selector_all(".cf-row__remove").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn option_disabled(select: &web_sys::HtmlSelectElement, value: &str) -> bool {
    let opt = select
        .query_selector(&format!("option[value={value}]"))
        .unwrap()
        .unwrap();
    opt.unchecked_into::<web_sys::HtmlOptionElement>()
        .disabled()
}

fn choose(select: &web_sys::HtmlSelectElement, value: &str) {
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_creator_is_owner_and_locked_until_another_owner_exists() {
    let (c, store) = mount_access();
    support::sleep(20).await;
    let input: web_sys::HtmlInputElement = c
        .query_selector("input[role=combobox]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(input.value(), ME);
    let s = selects(&c);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].value(), "owner");
    assert!(option_disabled(&s[0], "editor") && option_disabled(&s[0], "user"));
    assert_eq!(
        remove_buttons(&c)[0]
            .get_attribute("aria-disabled")
            .as_deref(),
        Some("true")
    );

    // Trying anyway changes nothing.
    choose(&s[0], "user");
    remove_buttons(&c)[0].click();
    support::sleep(20).await;
    assert_eq!(store.draft.get_untracked().collaborators.len(), 1);
    assert_eq!(
        store.draft.get_untracked().collaborators[0].role,
        CollaboratorRole::Owner
    );

    // "+ Add another user" adds a User row. Others are granted Editor or User (DoiT's console):
    // Owner is not on offer to them; a second Owner (as an edited connection may have) unlocks
    // the first row.
    let add: web_sys::HtmlElement = c
        .query_selector_all("button")
        .map(|l| {
            (0..l.length())
                .map(|i| l.item(i).unwrap().unchecked_into::<web_sys::HtmlElement>())
                .collect::<Vec<_>>()
        })
        .unwrap()
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some("+ Add another user"))
        .unwrap();
    add.click();
    support::sleep(20).await;
    let key = store.draft.get_untracked().collaborators[1].key;
    store
        .draft
        .collaborators()
        .at_key(key)
        .email()
        .set("other@example.com".into());
    let s = selects(&c);
    assert_eq!(s.len(), 2);
    assert_eq!(s[1].value(), "user");
    assert!(option_disabled(&s[1], "owner") && !option_disabled(&s[1], "editor"));
    choose(&s[1], "owner");
    support::sleep(20).await;
    assert_eq!(
        store.draft.get_untracked().collaborators[1].role,
        CollaboratorRole::User
    );
    store
        .draft
        .collaborators()
        .at_key(key)
        .role()
        .set(CollaboratorRole::Owner);
    support::sleep(20).await;
    let s = selects(&c);
    assert!(!option_disabled(&s[0], "editor"));
    assert_eq!(remove_buttons(&c)[0].get_attribute("aria-disabled"), None);
    choose(&s[0], "editor");
    support::sleep(20).await;
    assert_eq!(
        store.draft.get_untracked().collaborators[0].role,
        CollaboratorRole::Editor
    );
    // Now the other Owner is the last one: locked in turn.
    assert!(option_disabled(&selects(&c)[1], "user"));
}
