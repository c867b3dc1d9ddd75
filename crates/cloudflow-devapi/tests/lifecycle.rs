//! Activation after --activation-delay, broken accounts, and state across restarts.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

fn statuses(c: &Value) -> Vec<String> {
    c["awsConfig"]["context"]
        .as_array()
        .expect("context")
        .iter()
        .map(|a| a["status"].as_str().expect("status").to_owned())
        .collect()
}

#[tokio::test]
async fn delay_zero_activates_on_the_next_read() {
    let s = TestServer::start(|c| c.activation_delay = 0.0).await;
    let r = s.create(&request("Instant"), "a1").await;
    let created: Value = r.json().await.expect("json");
    assert_eq!(created["status"], "pending_permissions");
    assert_eq!(
        statuses(&created),
        ["pending_permissions", "pending_permissions"]
    );
    assert!(created["lastSyncedTime"].is_null());
    let path = format!(
        "/cloudflow/v1/connections/{}",
        created["id"].as_str().expect("id")
    );
    let got: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(got["status"], "active");
    assert!(got["statusMessage"].is_null());
    assert_eq!(statuses(&got), ["active", "active"]);
    assert!(got["lastSyncedTime"].is_string());
    // Activation is not a change by the client: the ETag stays.
    assert_eq!(got["etag"], created["etag"]);
}

#[tokio::test]
async fn delay_one_second_pending_then_active_and_broken_accounts_fail() {
    let s = TestServer::start(|c| c.activation_delay = 1.0).await;
    let mut body = request("Delayed");
    body["awsConfig"]["managementAccount"] = json!("012345678901");
    body["awsConfig"]["context"] = json!([
        {"accountId": "012345678901", "regions": []},
        {"accountId": "000987654321", "regions": ["eu-west-1"]},
        {"accountId": "210987654321", "regions": ["us-east-1"]}
    ]);
    let r = s.create(&body, "b1").await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    let r = s.create(&body, "b1").await;
    let created: Value = r.json().await.expect("json");
    // The management account starts active, the others pending.
    assert_eq!(
        statuses(&created),
        ["active", "pending_permissions", "pending_permissions"]
    );
    let path = format!(
        "/cloudflow/v1/connections/{}",
        created["id"].as_str().expect("id")
    );
    let soon: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(soon["status"], "pending_permissions");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(statuses(&later), ["active", "active", "permissions_failed"]);
    assert_eq!(later["status"], "permissions_failed");
    assert!(later["statusMessage"]
        .as_str()
        .is_some_and(|m| m.contains("1 of 3")));
    let why = later["awsConfig"]["context"][2]["statusMessage"]
        .as_str()
        .expect("message");
    assert!(
        why.contains("arn:aws:iam::210987654321:role/CloudFlowTestRole"),
        "{why}"
    );
    assert!(why.contains("sts:AssumeRole"));

    // The seeded "Legacy sandbox" uses the broken account too.
    let legacy: Value = s
        .get("/cloudflow/v1/connections/cfc_seed02", OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(legacy["status"], "permissions_failed");
    let disabled: Value = s
        .get("/cloudflow/v1/connections/cfc_seed03", OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(disabled["status"], "disabled");
    let active: Value = s
        .get("/cloudflow/v1/connections/cfc_seed01", OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(active["status"], "active");
}

#[tokio::test]
async fn state_and_page_tokens_survive_a_restart_and_activation_continues() {
    let s = TestServer::start(|c| c.activation_delay = 1.0).await;
    let created: Value = s
        .create(&request("Persistent"), "p1")
        .await
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    let page: Value = s
        .get("/cloudflow/v1/connections?maxResults=2", OWNER)
        .await
        .json()
        .await
        .expect("json");
    let token = page["pageToken"].as_str().expect("token").to_owned();
    let db = s.db.clone();
    let dir = s.stop().await;

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut config = cloudflow_devapi::Config::new(&db);
    config.activation_delay = 60.0; // Only new connections use the new delay.
    let s = TestServer::start_in(dir, config).await;
    let got: Value = s
        .get(&format!("/cloudflow/v1/connections/{id}"), OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(got["name"], "Persistent");
    assert_eq!(got["externalId"], created["externalId"]);
    assert_eq!(got["etag"], created["etag"]);
    assert_eq!(
        got["status"], "active",
        "the delay ran out while the server was down"
    );
    let all = s.all_connections().await;
    assert_eq!(all.len(), 5);
    let next = s
        .get(
            &format!("/cloudflow/v1/connections?maxResults=2&pageToken={token}"),
            OWNER,
        )
        .await;
    assert_eq!(
        next.status(),
        200,
        "page tokens are signed with a key kept in the database"
    );
    // The seed is not applied twice.
    let users: Value = s
        .get("/iam/v1/users", OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(users["users"].as_array().map(Vec::len), Some(9));
    let fresh: Value = s
        .create(&request("After restart"), "p2")
        .await
        .json()
        .await
        .expect("json");
    let fresh_path = format!(
        "/cloudflow/v1/connections/{}",
        fresh["id"].as_str().expect("id")
    );
    let fresh: Value = s.get(&fresh_path, OWNER).await.json().await.expect("json");
    assert_eq!(fresh["status"], "pending_permissions");
}

fn draft_request(name: &str) -> Value {
    let mut body = request(name);
    body["enabled"] = json!(false);
    body
}

async fn patch(s: &TestServer, id: &str, etag: &str, key: &str, body: Value) -> Value {
    let r = s
        .req(
            reqwest::Method::PATCH,
            &format!("/cloudflow/v1/connections/{id}"),
            OWNER,
        )
        .header("Idempotency-Key", key)
        .header("If-Match", etag)
        .json(&body)
        .send()
        .await
        .expect("PATCH");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

#[tokio::test]
async fn created_disabled_is_a_draft_until_first_enabled_then_disabled_when_disabled() {
    let s = TestServer::start(|c| c.activation_delay = 0.0).await;
    let r = s.create(&draft_request("Draft"), "d1").await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.expect("json");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["enabled"], false);
    assert!(created["statusMessage"]
        .as_str()
        .is_some_and(|m| m.contains("draft")));
    // Per-account statuses are there for a draft too (the wizard shows them before Done); the
    // timer has not started, so they wait however long it takes.
    assert_eq!(
        statuses(&created),
        ["pending_permissions", "pending_permissions"]
    );
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/cloudflow/v1/connections/{id}");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let got: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(got["status"], "draft");
    assert_eq!(
        statuses(&got),
        ["pending_permissions", "pending_permissions"]
    );
    assert!(got["lastSyncedTime"].is_null());
    // Changes while it is a draft keep it a draft.
    let renamed = patch(
        &s,
        &id,
        got["etag"].as_str().expect("etag"),
        "d2",
        json!({"name": "Draft renamed", "enabled": false}),
    )
    .await;
    assert_eq!(renamed["status"], "draft");
    // The list says draft too.
    let listed = s.all_connections().await;
    let mine = listed
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("listed");
    assert_eq!(mine["status"], "draft");
    // Enabled (Done): no longer a draft; with delay 0 active on the next read.
    let enabled = patch(
        &s,
        &id,
        renamed["etag"].as_str().expect("etag"),
        "d3",
        json!({"enabled": true}),
    )
    .await;
    assert_ne!(enabled["status"], "draft");
    let got: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(got["status"], "active");
    // Disabled afterwards: disabled, never a draft again.
    let disabled = patch(
        &s,
        &id,
        got["etag"].as_str().expect("etag"),
        "d4",
        json!({"enabled": false}),
    )
    .await;
    assert_eq!(disabled["status"], "disabled");
    let got: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(got["status"], "disabled");
}

#[tokio::test]
async fn the_timer_starts_at_the_first_enable_not_at_creation() {
    let s = TestServer::start(|c| c.activation_delay = 1.0).await;
    let created: Value = s
        .create(&draft_request("Timer"), "t1")
        .await
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/cloudflow/v1/connections/{id}");
    // Longer than the delay as a draft: still waiting.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let got: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(got["status"], "draft");
    assert_eq!(
        statuses(&got),
        ["pending_permissions", "pending_permissions"]
    );
    // A dry run of the enable previews it without starting anything.
    let dry = s
        .req(
            reqwest::Method::PATCH,
            &format!("{path}?dryRun=true"),
            OWNER,
        )
        .header("If-Match", got["etag"].as_str().expect("etag"))
        .json(&json!({"enabled": true}))
        .send()
        .await
        .expect("dry run");
    assert_eq!(dry.status(), 200);
    let dry: Value = dry.json().await.expect("json");
    assert_eq!(dry["status"], "pending_permissions");
    let still: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(still["status"], "draft");
    // Done: "Creating..." (pending) until the delay has run from now, then active.
    let enabled = patch(
        &s,
        &id,
        got["etag"].as_str().expect("etag"),
        "t2",
        json!({"enabled": true, "collaborators": [{"email": "priya.natarajan@example.com", "role": "owner"}]}),
    )
    .await;
    assert_eq!(enabled["status"], "pending_permissions");
    let soon: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(soon["status"], "pending_permissions");
    assert!(soon["lastSyncedTime"].is_null());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(later["status"], "active");
    assert_eq!(statuses(&later), ["active", "active"]);
    // Disabling and enabling again does not restart the timer.
    let off = patch(
        &s,
        &id,
        later["etag"].as_str().expect("etag"),
        "t3",
        json!({"enabled": false}),
    )
    .await;
    assert_eq!(off["status"], "disabled");
    let on = patch(
        &s,
        &id,
        off["etag"].as_str().expect("etag"),
        "t4",
        json!({"enabled": true}),
    )
    .await;
    assert_eq!(on["status"], "active");
}

#[tokio::test]
async fn released_dialect_drafts_too() {
    let s = TestServer::start(|c| {
        c.activation_delay = 0.0;
        c.dialect = cloudflow_devapi::Dialect::Released;
    })
    .await;
    let r = s
        .req(reqwest::Method::POST, "/cloudflow/v1/connections", OWNER)
        .json(&draft_request("Released draft"))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.expect("json");
    assert_eq!(created["status"], "draft");
    assert!(created.get("externalId").is_none());
    let id = created["connectionId"].as_str().expect("id").to_owned();
    let path = format!("/cloudflow/v1/connections/{id}");
    let r = s
        .req(reqwest::Method::PATCH, &path, OWNER)
        .json(&json!({"enabled": true}))
        .send()
        .await
        .expect("PATCH");
    assert_eq!(r.status(), 200);
    let got: Value = s.get(&path, OWNER).await.json().await.expect("json");
    assert_eq!(got["status"], "active");
}
