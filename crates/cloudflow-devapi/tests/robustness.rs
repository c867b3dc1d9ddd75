//! Random damage to valid requests never makes the server answer 5xx.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

fn random_value(rng: &mut fastrand::Rng, depth: u32) -> Value {
    match rng.u8(0..10) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 1e300),
        4 => json!(""),
        5 => json!("x".repeat(rng.usize(0..5000))),
        6 => json!("<script>\u{0}\u{202e}田中'\"\\"),
        7 if depth < 4 => Value::Array(
            (0..rng.usize(0..4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        8 if depth < 4 => {
            let mut m = serde_json::Map::new();
            for k in ["accountId", "regions", "roleName", "email", "role", "x"] {
                if rng.bool() {
                    m.insert(k.to_owned(), random_value(rng, depth + 1));
                }
            }
            Value::Object(m)
        }
        _ => json!("000123456789"),
    }
}

/// Replaces one random node of `v` with a random value.
fn damage(rng: &mut fastrand::Rng, v: &mut Value) {
    match v {
        Value::Object(m) if !m.is_empty() && rng.u8(0..4) != 0 => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = &keys[rng.usize(0..keys.len())];
            if let Some(child) = m.get_mut(k) {
                damage(rng, child);
            }
        }
        Value::Array(a) if !a.is_empty() && rng.u8(0..4) != 0 => {
            let i = rng.usize(0..a.len());
            damage(rng, &mut a[i]);
        }
        other => *other = random_value(rng, 0),
    }
}

#[tokio::test]
async fn damaged_requests_are_4xx_or_accepted_never_5xx() {
    let s = TestServer::start(|_| {}).await;
    let mut rng = fastrand::Rng::with_seed(4242);
    let created: Value = s
        .create(&request("Target"), "target")
        .await
        .json()
        .await
        .expect("json");
    let path = format!(
        "/cloudflow/v1/connections/{}",
        created["id"].as_str().expect("id")
    );
    for i in 0..300 {
        let mut body = request(&format!("Damaged {i}"));
        for _ in 0..rng.usize(1..4) {
            damage(&mut rng, &mut body);
        }
        let r = s.create(&body, &format!("dmg-{i}")).await;
        let status = r.status().as_u16();
        assert!(status < 500, "{status} for {body}");
        if status >= 400 {
            let p: Value = r.json().await.expect("problem json");
            let code = p["code"].as_str().unwrap_or("");
            assert!(ALLOWED.contains(&code), "{code} for {body}");
            assert_eq!(p["status"], status);
        }
        // The same damage as a merge patch.
        let r = s
            .req(Method::PATCH, &path, OWNER)
            .header("Idempotency-Key", format!("dmg-patch-{i}"))
            .header("If-Match", "*")
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string())
            .send()
            .await
            .expect("send");
        assert!(r.status().as_u16() < 500, "PATCH {} for {body}", r.status());
        // Raw bytes.
        let bytes: Vec<u8> = (0..rng.usize(0..200)).map(|_| rng.u8(..)).collect();
        let r = s
            .req(Method::POST, "/cloudflow/v1/connections", OWNER)
            .header("Idempotency-Key", format!("dmg-raw-{i}"))
            .header("content-type", "application/json")
            .body(bytes)
            .send()
            .await
            .expect("send");
        assert!(r.status().as_u16() < 500);
    }
}

/// The codes a damaged create may answer with.
const ALLOWED: &[&str] = &[
    "validation_failed",
    "duplicate_name",
    "invalid_connection_config",
    "invalid_json",
];
