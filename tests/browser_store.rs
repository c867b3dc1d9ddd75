//! Browser tests of the wizard's store: a keystroke reaches only what reads the field typed
//! in (not the other rows); the tab's copy is written once typing pauses; the tenant's rules
//! and the server's refusals land under the controls that show them.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use cloudflow_connect::api::Connection;
use cloudflow_connect::wizard::catalogs::CatalogStore;
use cloudflow_connect::wizard::draft::{
    AccountRowStoreFields, Draft, DraftStoreFields, STORAGE_KEY,
};
use cloudflow_connect::wizard::fields::Control;
use cloudflow_connect::wizard::state::{ServerVerdict, WizardStore};
use cloudflow_core::FieldPath;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;

wasm_bindgen_test_configure!(run_in_browser);

fn session_storage() -> web_sys::Storage {
    window().session_storage().unwrap().unwrap()
}

/// Runs `test` with a store over a fresh draft, inside a mounted owner; `others` are the
/// tenant's other connections.
async fn with_store<F, Fut>(others: Vec<Connection>, test: F)
where
    F: FnOnce(WizardStore) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    session_storage().clear().unwrap();
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let slot = StoredValue::new(None::<WizardStore>);
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let fresh = Draft::new("d1".into(), "me@example.com");
        let store = WizardStore::open_with(
            "me@example.com".into(),
            CatalogStore::new(),
            STORAGE_KEY.into(),
            fresh,
            Signal::stored(Some(Arc::new(others))),
        );
        slot.set_value(Some(store));
    });
    support::sleep(20).await;
    test(slot.get_value().unwrap()).await;
    drop(handle);
    container.remove();
    session_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn typing_in_the_name_reaches_no_row() {
    with_store(Vec::new(), |store| async move {
        let key = store.add_account();
        let row = store.draft.accounts().at_key(key);
        let runs = StoredValue::new(0_u32);
        let owner = Owner::new();
        owner.with(|| {
            Effect::new(move |_| {
                row.account_id().track();
                runs.update_value(|n| *n += 1);
            })
        });
        support::sleep(20).await;
        assert_eq!(runs.get_value(), 1);
        for text in ["P", "Pr", "Pro", "Prod"] {
            store.draft.name().set(text.into());
            support::sleep(5).await;
        }
        assert_eq!(runs.get_value(), 1, "the row heard nothing of the name");
        assert_eq!(store.request.get_untracked().name, "Prod");
        row.account_id().set("000123456789".into());
        support::sleep(20).await;
        assert_eq!(runs.get_value(), 2, "its own field: told once");
        drop(owner);
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_tab_keeps_the_draft_once_typing_pauses() {
    with_store(Vec::new(), |store| async move {
        assert!(!store.dirty.get_untracked());
        for text in ["a", "ab", "abc"] {
            store.draft.name().set(text.into());
            support::sleep(20).await;
        }
        assert!(store.dirty.get_untracked());
        assert_eq!(
            session_storage().get_item(STORAGE_KEY).unwrap(),
            None,
            "not written while the person types"
        );
        support::sleep(400).await;
        let kept = session_storage().get_item(STORAGE_KEY).unwrap().unwrap();
        assert_eq!(Draft::restore(&kept).unwrap().name, "abc");
        // Back to nothing typed: nothing is kept.
        store.draft.name().set(String::new());
        support::sleep(400).await;
        assert!(!store.dirty.get_untracked());
        assert_eq!(session_storage().get_item(STORAGE_KEY).unwrap(), None);
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_taken_name_stops_next_and_shows_under_the_name() {
    let prod: Connection = serde_json::from_value(serde_json::json!({
        "id": "cfc_1", "name": "Production read-only", "status": "active", "collaborators": [],
        "awsConfig": {"roleName": "ReadOnly", "context": [{"accountId": "000123456789", "regions": []}]}
    }))
    .unwrap();
    with_store(vec![prod], |store| async move {
        let name = store.shown(Control::Name);
        store.draft.name().set(" production READ-only".into());
        support::sleep(20).await;
        assert!(
            name.get_untracked().errors.is_empty(),
            "compared once typing pauses"
        );
        support::sleep(400).await;
        assert_eq!(
            name.get_untracked().errors,
            ["is already used by another connection of your organisation"]
        );
        // The same role name in the same account: a warning naming the connection.
        store.draft.role_name().set("readonly".into());
        let key = store.draft.accounts().with_untracked(|r| r[0].key);
        store
            .draft
            .accounts()
            .at_key(key)
            .account_id()
            .set("000123456789".into());
        support::sleep(20).await;
        let role = store.shown(Control::RoleName).get_untracked();
        assert_eq!(role.warnings.len(), 1);
        assert!(role.warnings[0].contains("\"Production read-only\""));
        // The rest of Setup is valid: Next stops on the name, as Done does (every step is
        // checked the same way).
        assert_eq!(
            store.first_error_on(cloudflow_connect::wizard::steps::Step::Setup),
            Some(FieldPath::Name)
        );
        // After Next, the name is compared at every keystroke.
        store.draft.name().set("Production read-only (eu)".into());
        support::sleep(20).await;
        assert!(name.get_untracked().errors.is_empty());
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_refusal_shows_under_its_control_until_the_field_changes() {
    with_store(Vec::new(), |store| async move {
        let first = store.draft.accounts().with_untracked(|r| r[0].key);
        let second = store.add_account();
        let row = store.draft.accounts().at_key(second);
        row.account_id().set("000123456789".into());
        support::sleep(20).await;
        let refused = store.request.get_untracked();
        store.server.set(Some(ServerVerdict {
            request: refused,
            // A JSON pointer, as some servers write it: the second account of the request.
            fields: vec![(
                FieldPath::parse("/awsConfig/context/1/accountId"),
                "is not an account of this organisation".into(),
            )],
            error: cloudflow_connect::api::ApiError::Network("refused".into()),
        }));
        let shown = store.shown(Control::AccountId(second));
        support::sleep(20).await;
        assert_eq!(
            shown.get_untracked().errors,
            ["is not an account of this organisation"]
        );
        assert!(store
            .shown(Control::AccountId(first))
            .get_untracked()
            .errors
            .is_empty());
        // Another account typed: the server has not seen it, its word goes.
        row.account_id().set("004455667788".into());
        support::sleep(20).await;
        assert!(shown.get_untracked().errors.is_empty());
    })
    .await;
}
