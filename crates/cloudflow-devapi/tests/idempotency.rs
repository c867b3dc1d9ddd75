//! Idempotency-Key over real HTTP: required, replayed, reused, in progress, expired, and
//! surviving a restart.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn missing_and_malformed_keys_are_400() {
    let s = TestServer::start(|_| {}).await;
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", OWNER)
        .json(&request("No key"))
        .send()
        .await
        .expect("send");
    let p = problem(r, 400, "idempotency_key_required").await;
    assert_eq!(p["details"][0]["field"], "Idempotency-Key");
    let long = "k".repeat(256);
    let r = s.create(&request("Long key"), &long).await;
    problem(r, 400, "idempotency_key_invalid").await;
    assert_eq!(
        s.create(&request("Max key"), &"k".repeat(255))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn same_key_same_body_replays_the_first_answer() {
    let s = TestServer::start(|_| {}).await;
    let first = s.create(&request("Replayed"), "key-1").await;
    assert_eq!(first.status(), 201);
    assert!(header(&first, "idempotency-replayed").is_none());
    let (etag, location) = (header(&first, "etag"), header(&first, "location"));
    let first_id = header(&first, "request-id");
    let first_body: Value = first.json().await.expect("json");

    // Same key, same body with keys in another order and other whitespace.
    let reordered = {
        let r = request("Replayed");
        let mut s = String::from("{\n");
        let map = r.as_object().expect("object");
        let mut keys: Vec<&String> = map.keys().collect();
        keys.reverse();
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                s.push_str(",\n");
            }
            s.push_str(&format!("  {}: {}", json!(k), map[k.as_str()]));
        }
        s.push_str("\n}");
        s
    };
    let again = s
        .req(Method::POST, "/cloudflow/v1/connections", OWNER)
        .header("Idempotency-Key", "key-1")
        .header("content-type", "application/json")
        .body(reordered)
        .send()
        .await
        .expect("send");
    assert_eq!(again.status(), 201);
    assert_eq!(
        header(&again, "idempotency-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(header(&again, "etag"), etag);
    assert_eq!(header(&again, "location"), location);
    assert_eq!(
        header(&again, "request-id"),
        first_id,
        "a replay names the original request"
    );
    let again_body: Value = again.json().await.expect("json");
    assert_eq!(again_body, first_body);
    let named: Vec<Value> = s
        .all_connections()
        .await
        .into_iter()
        .filter(|c| c["name"] == "Replayed")
        .collect();
    assert_eq!(named.len(), 1, "exactly one connection");

    // Errors are replayed too (a 409 duplicate stays a 409 for that key).
    let dup = s.create(&request("production read-only"), "key-2").await;
    problem(dup, 409, "duplicate_name").await;
    let dup = s.create(&request("production read-only"), "key-2").await;
    assert_eq!(
        header(&dup, "idempotency-replayed").as_deref(),
        Some("true")
    );
    problem(dup, 409, "duplicate_name").await;
}

#[tokio::test]
async fn same_key_other_request_is_422_and_keys_are_per_user() {
    let s = TestServer::start(|_| {}).await;
    assert_eq!(s.create(&request("First"), "shared").await.status(), 201);
    let r = s.create(&request("Second"), "shared").await;
    problem(r, 422, "idempotency_key_reused").await;
    // Another path or method with the same key is another request as well.
    let r = s
        .req(
            Method::DELETE,
            "/cloudflow/v1/connections/cfc_seed03",
            OWNER,
        )
        .header("Idempotency-Key", "shared")
        .header("If-Match", "*")
        .send()
        .await
        .expect("send");
    problem(r, 422, "idempotency_key_reused").await;
    // The editor has their own key space.
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", EDITOR)
        .header("Idempotency-Key", "shared")
        .json(&request("Editor second"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeat_while_the_first_runs_is_409_in_progress() {
    let s = TestServer::start(|c| c.latency_ms = 1500).await;
    let slow = {
        let b = s
            .req(Method::POST, "/cloudflow/v1/connections", OWNER)
            .header("Idempotency-Key", "slow")
            .json(&request("Slow"));
        tokio::spawn(async move { b.send().await.expect("send") })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let r = s.create(&request("Slow"), "slow").await;
    let p = problem(r, 409, "idempotency_request_in_progress").await;
    assert_eq!(p["retryable"], true);
    let first = slow.await.expect("join");
    assert_eq!(first.status(), 201);
    let r = s.create(&request("Slow"), "slow").await;
    assert_eq!(r.status(), 201);
    assert_eq!(header(&r, "idempotency-replayed").as_deref(), Some("true"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_abandoned_by_its_client_releases_the_key() {
    // Long enough that the abandoned request would still be waiting during the retries (a
    // repeat is refused with 409 before its own wait, so an unreleased key shows as 409).
    let s = TestServer::start(|c| c.latency_ms = 2000).await;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(150))
        .build()
        .expect("client");
    let r = client
        .post(s.url("/cloudflow/v1/connections"))
        .bearer_auth(OWNER)
        .header("Idempotency-Key", "abandoned")
        .json(&request("Abandoned"))
        .send()
        .await;
    assert!(r.is_err(), "the client timed out");
    // The server drops the abandoned request (and its claim) soon after the client leaves;
    // a retry then runs afresh instead of waiting for an answer nobody will collect.
    let fast = reqwest::Client::new();
    let started = std::time::Instant::now();
    loop {
        let r = fast
            .post(s.url("/cloudflow/v1/connections"))
            .bearer_auth(OWNER)
            .header("Idempotency-Key", "abandoned")
            .json(&request("Abandoned"))
            .send()
            .await
            .expect("send");
        if r.status() == 409 && started.elapsed() < std::time::Duration::from_millis(1200) {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        }
        assert_eq!(r.status(), 201, "the retry ran");
        assert!(header(&r, "idempotency-replayed").is_none());
        break;
    }
}

#[tokio::test]
async fn keys_expire_after_24_hours() {
    let s = TestServer::start(|_| {}).await;
    assert_eq!(s.create(&request("Old"), "old-key").await.status(), 201);
    {
        let conn = rusqlite::Connection::open(&s.db).expect("open db");
        let n = conn
            .execute(
                "UPDATE idempotency SET create_ms = create_ms - ?1 WHERE key = 'old-key'",
                [cloudflow_devapi::idempotency::TTL_MS + 1000],
            )
            .expect("age the key");
        assert_eq!(n, 1);
    }
    // Expired: the key is new again, so another body is accepted rather than 422.
    assert_eq!(s.create(&request("New"), "old-key").await.status(), 201);
}

#[tokio::test]
async fn replays_survive_a_restart() {
    let s = TestServer::start(|_| {}).await;
    let first = s.create(&request("Before restart"), "restart-key").await;
    assert_eq!(first.status(), 201);
    let body: Value = first.json().await.expect("json");
    let db = s.db.clone();
    let dir = s.stop().await;
    let s = TestServer::start_in(dir, cloudflow_devapi::Config::new(&db)).await;
    let r = s.create(&request("Before restart"), "restart-key").await;
    assert_eq!(r.status(), 201);
    assert_eq!(header(&r, "idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(r.json::<Value>().await.expect("json"), body);
    problem(
        s.create(&request("Other"), "restart-key").await,
        422,
        "idempotency_key_reused",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_concurrent_requests_creates_one_connection() {
    let s = TestServer::start(|c| c.latency_ms = 20).await;
    // The same key twenty times at once: one runs, the rest are in progress or replays.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let b = s
            .req(Method::POST, "/cloudflow/v1/connections", OWNER)
            .header("Idempotency-Key", "burst")
            .json(&request("Burst"));
        tasks.push(tokio::spawn(async move {
            let r = b.send().await.expect("send");
            (r.status().as_u16(), header(&r, "idempotency-replayed"))
        }));
    }
    let mut fresh = 0;
    for t in tasks {
        match t.await.expect("join") {
            (201, None) => fresh += 1,
            (201, Some(_)) | (409, _) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(fresh, 1);
    // Twenty keys, one name: one wins, the others are duplicates.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let b = s
            .req(Method::POST, "/cloudflow/v1/connections", OWNER)
            .header("Idempotency-Key", format!("race-{i}"))
            .json(&request("Race"));
        tasks.push(tokio::spawn(async move {
            b.send().await.expect("send").status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("join"));
    }
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        19,
        "{statuses:?}"
    );
    let all = s.all_connections().await;
    assert_eq!(all.iter().filter(|c| c["name"] == "Burst").count(), 1);
    assert_eq!(all.iter().filter(|c| c["name"] == "Race").count(), 1);
}
