//! Fault injection: injected 5xx and 429 answers happen before anything is done, so a client
//! that retries with the same Idempotency-Key ends up with exactly one connection.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::Value;

#[tokio::test]
async fn retries_with_one_key_create_exactly_one_connection() {
    let s = TestServer::start(|c| {
        c.fault_rate = 0.4;
        c.rate_limit_rate = 0.2;
        c.retry_after = 0;
    })
    .await;
    let (mut faults, mut limited, mut replays) = (0, 0, 0);
    let mut created: Option<Value> = None;
    for attempt in 0..400 {
        let r = s.create(&request("Through the storm"), "storm-key").await;
        match r.status().as_u16() {
            201 => {
                if header(&r, "idempotency-replayed").is_some() {
                    replays += 1;
                }
                let body: Value = r.json().await.expect("json");
                if let Some(first) = &created {
                    assert_eq!(first["id"], body["id"]);
                }
                created = Some(body);
                // Go on until every kind of answer has been seen: the draws are random, so
                // a short run can miss one (0.6^400 chance of never seeing a fault).
                if replays >= 3 && faults > 0 && limited > 0 {
                    break;
                }
            }
            429 => {
                assert_eq!(header(&r, "retry-after").as_deref(), Some("0"));
                let p = problem(r, 429, "rate_limited").await;
                assert_eq!(p["retryable"], true);
                limited += 1;
            }
            500 | 502 | 503 => {
                let status = r.status().as_u16();
                let p = problem(r, status, p_code(status)).await;
                assert_eq!(p["retryable"], true);
                faults += 1;
            }
            other => panic!("attempt {attempt}: unexpected {other}"),
        }
    }
    assert!(
        created.is_some() && replays >= 3,
        "a create went through and was replayed"
    );
    assert!(faults > 0 && limited > 0, "faults {faults}, 429s {limited}");

    // Count with retries of the GETs themselves.
    let mut named = None;
    for _ in 0..200 {
        let r = s
            .get("/cloudflow/v1/connections?maxResults=100", OWNER)
            .await;
        if r.status() == 200 {
            let page: Value = r.json().await.expect("json");
            named = Some(
                page["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .filter(|c| c["name"] == "Through the storm")
                    .count(),
            );
            break;
        }
    }
    assert_eq!(named, Some(1), "exactly one connection");
    eprintln!("{faults} injected 5xx, {limited} injected 429, {replays} replays");
}

fn p_code(status: u16) -> &'static str {
    match status {
        500 => "internal",
        502 => "bad_gateway",
        _ => "service_unavailable",
    }
}

#[tokio::test]
async fn every_request_faults_at_rate_one_but_static_paths_do_not() {
    let s = TestServer::start(|c| c.fault_rate = 1.0).await;
    for _ in 0..10 {
        let r = s.get("/auth/v1/validate", OWNER).await;
        assert!(r.status().is_server_error());
    }
    let r = s
        .req(Method::GET, "/healthz", OWNER)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let r = s.create(&request("Never"), "never").await;
    assert!(r.status().is_server_error());
    // Nothing was stored or recorded: with faults off the same key runs fresh.
    let db = s.db.clone();
    let dir = s.stop().await;
    let s = TestServer::start_in(dir, cloudflow_devapi::Config::new(&db)).await;
    let r = s.create(&request("Never"), "never").await;
    assert_eq!(r.status(), 201);
    assert!(header(&r, "idempotency-replayed").is_none());
}

#[tokio::test]
async fn latency_delays_answers() {
    let s = TestServer::start(|c| c.latency_ms = 300).await;
    let started = std::time::Instant::now();
    assert_eq!(s.get("/iam/v1/roles", OWNER).await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// `--lost-reply-rate`: the work is done, the answer is a 502. With the pre-release dialect a
/// retry with the same key gets the stored answer; with the released one (no keys) the
/// connection is there for a client that looks before posting again.
#[tokio::test]
async fn a_lost_reply_means_the_work_was_done() {
    let s = TestServer::start(|c| c.lost_reply_rate = 1.0).await;
    let r = s.create(&request("Lost answer"), "lost-key").await;
    problem(r, 502, "bad_gateway").await;
    let found: Vec<Value> = s
        .all_connections()
        .await
        .into_iter()
        .filter(|c| c["name"] == "Lost answer")
        .collect();
    assert_eq!(found.len(), 1, "created although the answer was lost");
    // The replay is lost too, but it replays: still one connection.
    let r = s.create(&request("Lost answer"), "lost-key").await;
    assert_eq!(r.status(), 502);
    let again = s
        .all_connections()
        .await
        .into_iter()
        .filter(|c| c["name"] == "Lost answer")
        .count();
    assert_eq!(again, 1);

    let released = TestServer::start(|c| {
        c.lost_reply_rate = 1.0;
        c.dialect = cloudflow_devapi::Dialect::Released;
    })
    .await;
    let r = released.create(&request("Lost released"), "ignored").await;
    assert_eq!(r.status(), 502);
    let body: Value = r.json().await.expect("json");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("lost")));
    let found = released
        .all_connections()
        .await
        .into_iter()
        .filter(|c| c["name"] == "Lost released")
        .count();
    assert_eq!(found, 1);
    // Without idempotency a blind retry would create a second one: the client must look.
    released.create(&request("Lost released"), "ignored").await;
    let twice = released
        .all_connections()
        .await
        .into_iter()
        .filter(|c| c["name"] == "Lost released")
        .count();
    assert_eq!(twice, 2);
}
