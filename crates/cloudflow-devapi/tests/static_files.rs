//! --dist: the built app, its SPA fallback and /config.json; and the real binary.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use serde_json::{json, Value};

fn dist(dir: &std::path::Path) -> std::path::PathBuf {
    let d = dir.join("dist");
    std::fs::create_dir_all(d.join("pkg")).expect("mkdir");
    std::fs::write(
        d.join("index.html"),
        "<!doctype html><title>CloudFlow</title>",
    )
    .expect("write");
    std::fs::write(d.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
    std::fs::write(d.join("pkg/app.js"), "export default 1;").expect("write");
    std::fs::write(d.join("app-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
    std::fs::write(d.join("main-fedcba9876543210.css"), "body{}").expect("write");
    d
}

#[tokio::test]
async fn serves_the_app_with_spa_fallback_and_config() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = dist(tmp.path());
    let s = TestServer::start(|c| {
        c.dist = Some(d.clone());
        c.app_token = VIEWER.to_owned();
    })
    .await;
    let get = |path: &str, accept: &str| s.http.get(s.url(path)).header("accept", accept).send();
    let r = get("/", "text/html").await.expect("send");
    assert_eq!(r.status(), 200);
    assert!(header(&r, "content-type").is_some_and(|t| t.starts_with("text/html")));
    assert!(header(&r, "request-id").is_some());
    assert!(r.text().await.expect("text").contains("CloudFlow"));
    let r = get("/pkg/app_bg.wasm", "*/*").await.expect("send");
    assert_eq!(
        header(&r, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(r.bytes().await.expect("bytes").as_ref(), b"\0asm\x01\0\0\0");
    let r = get("/pkg/app.js", "*/*").await.expect("send");
    assert!(header(&r, "content-type").is_some_and(|t| t.starts_with("text/javascript")));
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some("public, max-age=60")
    );
    // Trunk's content-hashed files are kept for good; the page itself is always revalidated.
    for hashed in [
        "/app-0123456789abcdef_bg.wasm",
        "/main-fedcba9876543210.css",
    ] {
        let r = get(hashed, "*/*").await.expect("send");
        assert_eq!(r.status(), 200, "{hashed}");
        assert_eq!(
            header(&r, "cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{hashed}"
        );
    }
    let r = get("/", "text/html").await.expect("send");
    assert_eq!(header(&r, "cache-control").as_deref(), Some("no-cache"));
    // App routes fall back to index.html ...
    let r = get(
        "/connections/aws/new/permissions",
        "text/html,application/xhtml+xml",
    )
    .await
    .expect("send");
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("text").contains("CloudFlow"));
    // ... but missing files and API paths do not.
    let r = get("/pkg/missing.js", "*/*").await.expect("send");
    problem(r, 404, "not_found").await;
    let r = get("/cloudflow/v1/unknown", "text/html")
        .await
        .expect("send");
    problem(r, 404, "not_found").await;
    let r = get("/../../etc/passwd", "text/html").await.expect("send");
    assert!(!r.text().await.expect("text").contains("root:"));
    // /config.json hands the app the chosen token.
    let v: Value = get("/config.json", "application/json")
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        v,
        json!({"apiBaseUrl": "", "tenantId": "acme-example", "token": VIEWER, "basePath": "/",
            "managePermissions": ["CloudFlowOwner", "CloudFlowEditor"]})
    );
}

#[tokio::test]
async fn with_simulated_aws_config_json_names_its_console() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = dist(tmp.path());
    let s = TestServer::start(|c| {
        c.dist = Some(d.clone());
        c.simulated_aws = true;
    })
    .await;
    let v: Value = s
        .http
        .get(s.url("/config.json"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        v,
        json!({"apiBaseUrl": "", "tenantId": "acme-example", "token": OWNER, "basePath": "/",
            "managePermissions": ["CloudFlowOwner", "CloudFlowEditor"],
            "awsConsoleUrl": "/simulated-aws"})
    );
    // The simulated console is not the app: never index.html.
    let r = s
        .http
        .get(s.url("/simulated-aws/cloudformation/home?region=us-east-1"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("send");
    assert!(r
        .text()
        .await
        .expect("text")
        .contains("<title>Quick create stack</title>"));
}

#[tokio::test]
async fn without_dist_there_is_no_app_and_no_config() {
    let s = TestServer::start(|_| {}).await;
    problem(
        s.http
            .get(s.url("/config.json"))
            .send()
            .await
            .expect("send"),
        404,
        "not_found",
    )
    .await;
    let r = s
        .http
        .get(s.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("send");
    problem(r, 404, "not_found").await;
}

#[test]
fn the_binary_starts_prints_its_address_and_refuses_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_cloudflow-devapi");
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("bin.db");
    let bad = Command::new(exe)
        .args(["--db", db.to_str().expect("utf8"), "--fault-rate", "2"])
        .output()
        .expect("run");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("--fault-rate must be between 0 and 1"),
        "{err}"
    );
    let missing = Command::new(exe)
        .args([
            "--db",
            db.to_str().expect("utf8"),
            "--dist",
            "/nonexistent-dist",
        ])
        .output()
        .expect("run");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("index.html"));

    let mut child = Command::new(exe)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--db",
            db.to_str().expect("utf8"),
            "--activation-delay",
            "0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("address in the start-up line")
        .to_owned();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let status = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("http://{addr}/auth/v1/validate"))
            .bearer_auth(OWNER)
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    assert_eq!(status.as_ref().ok(), Some(&200), "{line}");
    // SIGTERM (what test runners send) stops it cleanly.
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let started = std::time::Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break Some(exit);
        }
        if started.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(
        exit.is_some_and(|e| e.success()),
        "exit after SIGTERM: {exit:?}"
    );
}
