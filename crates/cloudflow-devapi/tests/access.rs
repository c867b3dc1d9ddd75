//! Who may change a connection: its Owners and Editors, and CloudFlow Owners. A User of the
//! connection (even one with the CloudFlow Editor permission) may read it, not change or
//! delete it; the last Owner cannot be removed or demoted. Both dialects.

mod common;

use cloudflow_devapi::dialect::Dialect;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// "Legacy sandbox": Priya (CloudFlow Owner permission) owns it, Marcus (CloudFlow Editor) is
/// one of its Users. "Production read-only": Marcus is an Editor.
const LEGACY: &str = "/cloudflow/v1/connections/cfc_seed02";
const PRODUCTION: &str = "/cloudflow/v1/connections/cfc_seed01";

async fn patch(
    s: &TestServer,
    path: &str,
    token: &str,
    body: Value,
    key: &str,
) -> reqwest::Response {
    let etag = header(&s.get(path, OWNER).await, "etag");
    let mut r = s
        .req(Method::PATCH, path, token)
        .header("content-type", "application/json")
        .header("Idempotency-Key", key)
        .body(body.to_string());
    if let Some(e) = etag {
        r = r.header("If-Match", e);
    }
    r.send().await.expect("PATCH")
}

async fn status_and_code(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    let code = body["code"]
        .as_str()
        .or(body["error"].as_str())
        .unwrap_or("")
        .to_owned();
    (status, code)
}

async fn rules_hold(dialect: Dialect) {
    let s = TestServer::start(|c| c.dialect = dialect).await;
    // A User of the connection cannot change it, even with CloudFlow Editor.
    let r = patch(&s, LEGACY, EDITOR, json!({"name": "Taken over"}), "u1").await;
    let (status, code) = status_and_code(r).await;
    assert_eq!(status, 403, "{code}");
    if dialect == Dialect::Preview {
        assert_eq!(code, "permission_denied");
    } else {
        assert!(code.contains("not change it"), "{code}");
    }
    let delete = s
        .req(Method::DELETE, LEGACY, EDITOR)
        .header("Idempotency-Key", "u2")
        .header("If-Match", "*")
        .send()
        .await
        .expect("DELETE");
    assert_eq!(delete.status(), 403);
    let got: Value = s.get(LEGACY, OWNER).await.json().await.expect("json");
    assert_eq!(got["name"], "Legacy sandbox", "nothing changed");
    // But can read it.
    assert_eq!(s.get(LEGACY, EDITOR).await.status(), 200);

    // An Editor of the connection can change it.
    let r = patch(
        &s,
        PRODUCTION,
        EDITOR,
        json!({"description": "edited by its Editor"}),
        "e1",
    )
    .await;
    assert_eq!(r.status(), 200);
    // A CloudFlow Owner can change any.
    let r = patch(
        &s,
        LEGACY,
        OWNER,
        json!({"description": "edited by a CloudFlow Owner"}),
        "o1",
    )
    .await;
    assert_eq!(r.status(), 200);

    // The last Owner stays.
    let r = patch(
        &s,
        PRODUCTION,
        OWNER,
        json!({"collaborators": [{"email": "priya.natarajan@example.com", "role": "editor"}]}),
        "o2",
    )
    .await;
    let (status, _) = status_and_code(r).await;
    assert!(status == 400 || status == 422, "{status}");
    let got: Value = s.get(PRODUCTION, OWNER).await.json().await.expect("json");
    assert_eq!(got["collaborators"][0]["role"], "owner");
}

#[tokio::test]
async fn only_owners_and_editors_change_a_connection_pre_release() {
    rules_hold(Dialect::Preview).await;
}

#[tokio::test]
async fn only_owners_and_editors_change_a_connection_released() {
    rules_hold(Dialect::Released).await;
}

#[tokio::test]
async fn a_connection_naming_nobody_is_its_creators() {
    let s = TestServer::start(|_| ()).await;
    let mut body = request("Nobody named");
    body["collaborators"] = json!([]);
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", EDITOR)
        .header("Idempotency-Key", "c1")
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.expect("json");
    let path = format!(
        "/cloudflow/v1/connections/{}",
        created["id"].as_str().unwrap()
    );
    let r = patch(&s, &path, EDITOR, json!({"description": "mine"}), "c2").await;
    assert_eq!(r.status(), 200);
}
