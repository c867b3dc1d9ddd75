//! Browser tests (wasm-bindgen-test in headless Chromium) for the artefact tabs: the Terraform
//! tab offers the self-contained configuration and the call of DoiT's module, each a labelled
//! radio, each with its own code block, name and file.
#![cfg(target_arch = "wasm32")]

use cloudflow_connect::preview::ArtefactTabs;
use cloudflow_core::render::DOIT_MODULE_SOURCE;
use cloudflow_core::RenderOptions;
use cloudflow_core::{AccountContext, AwsConfig, CreateConnectionRequest, Permissions};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;
use support::sleep;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn find_all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::HtmlElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default()
}

/// The radio whose label reads `name`.
fn radio(root: &web_sys::Element, name: &str) -> web_sys::HtmlInputElement {
    find_all(root, "label")
        .into_iter()
        .find(|l| text(l).trim() == name)
        .and_then(|l| l.query_selector("input[type=radio]").unwrap())
        .unwrap_or_else(|| panic!("no radio labelled {name:?}"))
        .unchecked_into()
}

/// The code region and its text.
fn code(root: &web_sys::Element) -> (String, String) {
    let region = root.query_selector("section[aria-label]").unwrap().unwrap();
    (region.get_attribute("aria-label").unwrap(), text(&region))
}

fn request() -> CreateConnectionRequest {
    CreateConnectionRequest {
        name: "Browser test".into(),
        aws_config: Some(AwsConfig {
            role_name: "CloudFlowBrowserRole".into(),
            context: vec![AccountContext {
                account_id: "012345678901".into(),
                regions: vec![],
            }],
            permissions: Permissions {
                aws_managed_policies: vec![],
                actions: vec!["s3:GetObject".into()],
            },
            ..AwsConfig::default()
        }),
        ..CreateConnectionRequest::default()
    }
}

#[wasm_bindgen_test]
async fn the_terraform_tab_switches_between_self_contained_and_doits_module() {
    for old in find_all(&document().body().unwrap(), ".cf-test-root") {
        old.remove();
    }
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    container.set_class_name("cf-test-root");
    document().body().unwrap().append_child(&container).unwrap();
    let options = RenderOptions {
        external_id: Some("doit-cf-browser-1".into()),
        ..RenderOptions::default()
    };
    leptos::mount::mount_to(container.clone(), move || {
        view! { <ArtefactTabs request=Signal::derive(request) options=Signal::derive(move || options.clone()) id="deploy" /> }
    })
    .forget();
    let root: &web_sys::Element = &container;

    let tab = find_all(root, "[role=tab]")
        .into_iter()
        .find(|t| text(t).trim() == "Terraform")
        .unwrap();
    tab.click();
    sleep(0).await;
    let own = radio(root, "Self-contained");
    let doits = radio(root, "Use DoiT's module");
    assert!(own.checked() && !doits.checked());
    assert_eq!(own.name(), doits.name());
    let (label, shown) = code(root);
    assert_eq!(label, "Terraform configuration");
    assert!(shown.contains("resource \"aws_iam_role\" \"doit_cloudflow_connection_role\""));

    doits.click();
    sleep(0).await;
    let (label, shown) = code(root);
    assert_eq!(label, "Terraform configuration using DoiT's module");
    assert!(
        shown.contains("module \"cloudflow_connection_role\""),
        "{shown}"
    );
    assert!(shown.contains(DOIT_MODULE_SOURCE));
    assert!(shown.contains("\"doit-cf-browser-1\""));
    assert!(!shown.contains("resource \""));
    let buttons: Vec<String> = find_all(root, "section[aria-label] button")
        .iter()
        .map(|b| text(b).trim().to_owned())
        .collect();
    assert!(buttons.iter().any(|b| b == "Copy"), "{buttons:?}");
    assert!(buttons.iter().any(|b| b == "Download"), "{buttons:?}");

    radio(root, "Self-contained").click();
    sleep(0).await;
    assert_eq!(code(root).0, "Terraform configuration");
}
