//! The documented shapes (openapi.yaml) checked against real responses.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

struct Contract {
    components: Value,
    spec: Value,
    /// The pre-release document puts a `Request-Id` on every answer; the released one none.
    request_ids: bool,
}

impl Contract {
    /// `openapi.yaml` (pre-release dialect).
    fn load() -> Contract {
        Contract::from_file("openapi.yaml", true)
    }

    /// `openapi-released.yaml` (released dialect).
    fn released() -> Contract {
        Contract::from_file("openapi-released.yaml", false)
    }

    fn from_file(name: &str, request_ids: bool) -> Contract {
        let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("read the OpenAPI file");
        let spec: Value = serde_yaml::from_str(&text).expect("the OpenAPI file is YAML");
        Contract {
            components: spec["components"].clone(),
            spec,
            request_ids,
        }
    }

    /// Asserts `instance` matches `#/components/schemas/<name>`.
    fn check(&self, name: &str, instance: &Value) {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": self.components,
        });
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{name} mismatch: {errors:#?}\n{instance:#}"
        );
    }

    fn is_valid(&self, name: &str, instance: &Value) -> bool {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": self.components,
        });
        jsonschema::validator_for(&schema)
            .expect("schema compiles")
            .is_valid(instance)
    }
}

async fn body(r: reqwest::Response, status: u16) -> Value {
    assert_eq!(r.status().as_u16(), status);
    r.json().await.expect("json")
}

impl Contract {
    /// Checks a real response against the operation's documented response for its status:
    /// the status must be documented, the content type must be the documented one, and the
    /// body must match the documented schema. Returns the body.
    async fn response(&self, path: &str, method: &str, r: reqwest::Response) -> Value {
        let status = r.status().as_u16();
        let op = &self.spec["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        let mut documented = op["responses"][status.to_string()].clone();
        if let Some(reference) = documented["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap_or("");
            documented = self.spec["components"]["responses"][name].clone();
        }
        assert!(
            documented.is_object(),
            "{method} {path} answered {status}, which openapi.yaml does not document"
        );
        // Every pre-release answer has a Request-Id, no released one does; every answer says
        // its language. Documented required headers must be there.
        let request_id = header(&r, "request-id");
        if self.request_ids {
            let id = request_id.unwrap_or_default();
            assert!(
                id.starts_with("req_") && id.len() == 30,
                "{method} {path} {status}"
            );
        } else {
            assert_eq!(request_id, None, "{method} {path} {status}");
        }
        assert_eq!(
            header(&r, "content-language").as_deref(),
            Some("en"),
            "{method} {path} {status}"
        );
        if let Some(headers) = documented["headers"].as_object() {
            for (name, spec) in headers {
                let spec = match spec["$ref"].as_str() {
                    Some(r) => {
                        &self.spec["components"]["headers"][r.rsplit('/').next().unwrap_or("")]
                    }
                    None => spec,
                };
                if spec["required"] == true {
                    assert!(
                        header(&r, name).is_some(),
                        "{method} {path} {status}: documented header {name} missing"
                    );
                }
            }
        }
        let content_type = header(&r, "content-type").unwrap_or_default();
        let bytes = r.bytes().await.expect("body");
        let Some(content) = documented["content"].as_object() else {
            assert!(
                bytes.is_empty(),
                "{method} {path} {status}: undocumented body"
            );
            return Value::Null;
        };
        let (media, spec) = content.iter().next().expect("a documented media type");
        assert_eq!(&content_type, media, "{method} {path} {status}");
        let body: Value = serde_json::from_slice(&bytes).expect("json body");
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.components,
            "allOf": [spec["schema"]],
        });
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status} mismatch: {errors:#?}\n{body:#}"
        );
        body
    }
}

#[tokio::test]
async fn responses_match_the_documented_operations() {
    let c = Contract::load();
    let s = TestServer::start(|c| c.activation_delay = 0.0).await;
    const ONE: &str = "/cloudflow/v1/connections/{id}";
    const ALL: &str = "/cloudflow/v1/connections";

    c.response(
        "/auth/v1/validate",
        "get",
        s.get("/auth/v1/validate", OWNER).await,
    )
    .await;
    c.response(
        "/auth/v1/validate",
        "get",
        s.get("/auth/v1/validate", "bad").await,
    )
    .await;
    c.response("/iam/v1/users", "get", s.get("/iam/v1/users", OWNER).await)
        .await;
    c.response(
        "/iam/v1/users",
        "get",
        s.get("/iam/v1/users?email=lena.fischer@example.com", OWNER)
            .await,
    )
    .await;
    c.response("/iam/v1/roles", "get", s.get("/iam/v1/roles", VIEWER).await)
        .await;
    let assets = "/billing/v1/assets";
    let page = c
        .response(
            assets,
            "get",
            s.get(
                "/billing/v1/assets?filter=type:amazon-web-services&maxResults=5",
                OWNER,
            )
            .await,
        )
        .await;
    let token = page["pageToken"].as_str().expect("token");
    c.response(
        assets,
        "get",
        s.get(&format!("{assets}?maxResults=50&pageToken={token}"), OWNER)
            .await,
    )
    .await;
    c.response(
        assets,
        "get",
        s.get("/billing/v1/assets?maxResults=0", OWNER).await,
    )
    .await;

    let list = c.response(ALL, "get", s.get(ALL, OWNER).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(4));
    c.response(
        ALL,
        "get",
        s.get("/cloudflow/v1/connections?pageToken=x", OWNER).await,
    )
    .await;

    let dry = s
        .req(Method::POST, "/cloudflow/v1/connections?dryRun=true", OWNER)
        .json(&request("Contract"))
        .send()
        .await
        .expect("send");
    let dry = c.response(ALL, "post", dry).await;
    assert_eq!(dry["status"], "draft");
    let created = c
        .response(
            ALL,
            "post",
            s.create(&request("Contract"), "contract").await,
        )
        .await;
    c.response(
        ALL,
        "post",
        s.create(&request("production read-only"), "c-dup").await,
    )
    .await;
    c.response(
        ALL,
        "post",
        s.create(&json!({"name": "", "awsConfig": {}}), "c-422")
            .await,
    )
    .await;
    c.response(ALL, "post", s.create(&json!({"name": "x"}), "c-400").await)
        .await;
    let viewer = s
        .req(Method::POST, ALL, VIEWER)
        .header("Idempotency-Key", "c-403")
        .json(&request("x"))
        .send()
        .await
        .expect("send");
    c.response(ALL, "post", viewer).await;
    let no_type = s
        .req(Method::POST, ALL, OWNER)
        .header("Idempotency-Key", "c-415")
        .body("{}")
        .send()
        .await
        .expect("send");
    c.response(ALL, "post", no_type).await;
    let big = s
        .req(Method::POST, ALL, OWNER)
        .header("Idempotency-Key", "c-413")
        .header("content-type", "application/json")
        .body(vec![b' '; 1024 * 1024 + 1])
        .send()
        .await
        .expect("send");
    c.response(ALL, "post", big).await;

    let id = created["id"].as_str().expect("id");
    let path = format!("/cloudflow/v1/connections/{id}");
    let got = c.response(ONE, "get", s.get(&path, OWNER).await).await;
    c.response(
        ONE,
        "get",
        s.get("/cloudflow/v1/connections/none", OWNER).await,
    )
    .await;
    c.response(
        ONE,
        "get",
        s.get("/cloudflow/v1/connections/cfc_seed04", OWNER).await,
    )
    .await;
    let patch = |key: &'static str, if_match: Option<&str>, body: &'static str| {
        let mut b = s
            .req(Method::PATCH, &path, OWNER)
            .header("Idempotency-Key", key)
            .header("content-type", "application/merge-patch+json")
            .body(body);
        if let Some(m) = if_match {
            b = b.header("If-Match", m);
        }
        b.send()
    };
    let etag = got["etag"].as_str().expect("etag").to_owned();
    c.response(
        ONE,
        "patch",
        patch("c-428", None, "{}").await.expect("send"),
    )
    .await;
    c.response(
        ONE,
        "patch",
        patch("c-412", Some("\"0-0\""), "{}").await.expect("send"),
    )
    .await;
    c.response(
        ONE,
        "patch",
        patch("c-p422", Some(&etag), r#"{"enabled": 3}"#)
            .await
            .expect("send"),
    )
    .await;
    c.response(
        ONE,
        "patch",
        patch("c-p409", Some(&etag), r#"{"name": "Legacy Sandbox"}"#)
            .await
            .expect("send"),
    )
    .await;
    let patched = c
        .response(
            ONE,
            "patch",
            patch(
                "c-p200",
                Some(&etag),
                r#"{"enabled": false, "description": null}"#,
            )
            .await
            .expect("send"),
        )
        .await;
    let delete = |p: String, key: &'static str, if_match: Option<String>| {
        let mut b = s
            .req(Method::DELETE, &p, OWNER)
            .header("Idempotency-Key", key);
        if let Some(m) = if_match {
            b = b.header("If-Match", m);
        }
        b.send()
    };
    c.response(
        ONE,
        "delete",
        delete(path.clone(), "c-d428", None).await.expect("send"),
    )
    .await;
    c.response(
        ONE,
        "delete",
        delete(path.clone(), "c-d412", Some(etag.clone()))
            .await
            .expect("send"),
    )
    .await;
    c.response(
        ONE,
        "delete",
        delete(
            "/cloudflow/v1/connections/cfc_seed01".into(),
            "c-d409",
            Some("*".into()),
        )
        .await
        .expect("send"),
    )
    .await;
    let new_etag = patched["etag"].as_str().map(str::to_owned);
    c.response(
        ONE,
        "delete",
        delete(path.clone(), "c-d204", new_etag)
            .await
            .expect("send"),
    )
    .await;

    // Undocumented routes still answer problems.
    let r = s.req(Method::PUT, ALL, OWNER).send().await.expect("send");
    assert_eq!(r.status(), 405);
    c.check("Problem", &r.json::<Value>().await.expect("json"));
}

#[tokio::test]
async fn config_json_matches_its_schema() {
    let c = Contract::load();
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("index.html"),
        "<!doctype html><title>x</title>",
    )
    .expect("write");
    for simulated_aws in [false, true] {
        let s = TestServer::start(|cfg| {
            cfg.dist = Some(tmp.path().to_path_buf());
            cfg.simulated_aws = simulated_aws;
        })
        .await;
        let v = body(
            s.http
                .get(s.url("/config.json"))
                .send()
                .await
                .expect("send"),
            200,
        )
        .await;
        assert_eq!(v.get("awsConsoleUrl").is_some(), simulated_aws);
        c.check("AppConfig", &v);
        Contract::released().check("AppConfig", &v);
    }
}

#[tokio::test]
async fn the_contract_check_catches_drift() {
    let c = Contract::load();
    let s = TestServer::start(|_| {}).await;
    let good = body(
        s.get("/cloudflow/v1/connections/cfc_seed01", OWNER).await,
        200,
    )
    .await;
    assert!(c.is_valid("Connection", &good));
    let mut extra = good.clone();
    extra["surprise"] = json!(1);
    assert!(!c.is_valid("Connection", &extra), "undocumented field");
    let mut missing = good.clone();
    missing
        .as_object_mut()
        .expect("object")
        .remove("externalId");
    assert!(!c.is_valid("Connection", &missing), "missing field");
    let mut wrong = good;
    wrong["status"] = json!("ready");
    assert!(!c.is_valid("Connection", &wrong), "unknown status");
    assert!(!c.is_valid("Problem", &json!({"status": 400})));
}

#[tokio::test]
async fn injected_rate_limits_match_the_documented_429() {
    let c = Contract::load();
    let s = TestServer::start(|cfg| {
        cfg.rate_limit_rate = 1.0;
        cfg.retry_after = 2;
    })
    .await;
    let r = s.create(&request("Limited"), "limited").await;
    assert_eq!(header(&r, "retry-after").as_deref(), Some("2"));
    let p = c.response("/cloudflow/v1/connections", "post", r).await;
    assert_eq!(p["code"], "rate_limited");
    assert_eq!(p["retryable"], true);
}

/// `--dialect released` answers exactly as `openapi-released.yaml` (DoiT's released document)
/// says: no dry run, no idempotency, no ETag, `{"error"}` bodies, `connectionId`.
#[tokio::test]
async fn released_responses_match_the_released_document() {
    let c = Contract::released();
    let s = TestServer::start(|cfg| cfg.dialect = cloudflow_devapi::Dialect::Released).await;
    const ONE: &str = "/cloudflow/v1/connections/{connectionId}";
    const ALL: &str = "/cloudflow/v1/connections";

    c.response(
        "/auth/v1/validate",
        "get",
        s.get("/auth/v1/validate", OWNER).await,
    )
    .await;
    let unauthenticated = s.get("/auth/v1/validate", "bad").await;
    assert_eq!(
        header(&unauthenticated, "www-authenticate").as_deref(),
        Some("Bearer realm=\"api.doit.com\", error=\"invalid_token\"")
    );
    let e = c
        .response("/auth/v1/validate", "get", unauthenticated)
        .await;
    assert!(e["error"].as_str().is_some_and(|m| !m.is_empty()));
    let users = c
        .response("/iam/v1/users", "get", s.get("/iam/v1/users", OWNER).await)
        .await;
    let yuki = users["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["email"] == "yuki.tanaka@example.com"))
        .expect("yuki");
    assert_eq!(yuki["language"], "ja");
    c.response("/iam/v1/roles", "get", s.get("/iam/v1/roles", VIEWER).await)
        .await;
    let assets = c
        .response(
            "/billing/v1/assets",
            "get",
            s.get(
                "/billing/v1/assets?filter=type:amazon-web-services&maxResults=5",
                OWNER,
            )
            .await,
        )
        .await;
    assert!(assets["assets"][0]["createTime"].is_i64(), "milliseconds");
    c.response(
        "/billing/v1/assets",
        "get",
        s.get("/billing/v1/assets?maxResults=0", OWNER).await,
    )
    .await;

    let list = c.response(ALL, "get", s.get(ALL, OWNER).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(list["rowCount"], Value::Null);

    // `?dryRun=true` is not known: the request creates the connection (201, no X-Dry-Run).
    let dry = s
        .req(Method::POST, "/cloudflow/v1/connections?dryRun=true", OWNER)
        .json(&request("Released"))
        .send()
        .await
        .expect("send");
    assert_eq!(dry.status(), 201);
    assert_eq!(header(&dry, "x-dry-run"), None);
    assert_eq!(header(&dry, "etag"), None);
    let created = c.response(ALL, "post", dry).await;
    let id = created["connectionId"]
        .as_str()
        .expect("connectionId")
        .to_owned();
    // No Idempotency-Key: the same POST with the same key creates a second connection, and
    // names need not be unique.
    let again = c
        .response(
            ALL,
            "post",
            s.create(&request("Released"), "same-key").await,
        )
        .await;
    let again2 = c
        .response(
            ALL,
            "post",
            s.create(&request("Released"), "same-key").await,
        )
        .await;
    assert_ne!(again["connectionId"], again2["connectionId"]);
    let invalid = c
        .response(
            ALL,
            "post",
            s.create(&json!({"name": "", "awsConfig": {}}), "k").await,
        )
        .await;
    assert!(
        invalid["error"]
            .as_str()
            .is_some_and(|m| m.contains("name: is required")),
        "{invalid}"
    );
    c.response(ALL, "post", s.create(&json!({"name": "x"}), "k").await)
        .await;
    let viewer = s
        .req(Method::POST, ALL, VIEWER)
        .json(&request("x"))
        .send()
        .await
        .expect("send");
    c.response(ALL, "post", viewer).await;
    let no_type = s
        .req(Method::POST, ALL, OWNER)
        .body("{}")
        .send()
        .await
        .expect("send");
    c.response(ALL, "post", no_type).await;

    let path = format!("/cloudflow/v1/connections/{id}");
    let got = c.response(ONE, "get", s.get(&path, OWNER).await).await;
    assert_eq!(got["connectionId"], id.as_str());
    c.response(
        ONE,
        "get",
        s.get("/cloudflow/v1/connections/none", OWNER).await,
    )
    .await;
    let patch = |content_type: &'static str, body: Value| {
        s.req(Method::PATCH, &path, OWNER)
            .header("content-type", content_type)
            .body(body.to_string())
            .send()
    };
    // application/json only, no If-Match needed.
    let merge = patch("application/merge-patch+json", json!({"enabled": false}))
        .await
        .expect("send");
    assert_eq!(merge.status(), 415);
    c.response(ONE, "patch", merge).await;
    let bad = patch("application/json", json!({"enabled": 3}))
        .await
        .expect("send");
    c.response(ONE, "patch", bad).await;
    let patched = c
        .response(
            ONE,
            "patch",
            patch(
                "application/json",
                json!({"enabled": false, "collaborators": [
                    {"email": "priya.natarajan@example.com", "role": "owner"},
                    {"email": "marcus.webb@example.com", "role": "editor"}
                ]}),
            )
            .await
            .expect("send"),
        )
        .await;
    assert_eq!(patched["enabled"], false);
    assert_eq!(patched["status"], "disabled");
    assert_eq!(patched["collaborators"][1]["role"], "editor");

    let blocked = s
        .req(
            Method::DELETE,
            "/cloudflow/v1/connections/cfc_seed01",
            OWNER,
        )
        .send()
        .await
        .expect("send");
    let conflict = c.response(ONE, "delete", blocked).await;
    assert_eq!(conflict["code"], "delete_blocked_by_dependencies");
    let deleted = s
        .req(Method::DELETE, &path, OWNER)
        .send()
        .await
        .expect("send");
    c.response(ONE, "delete", deleted).await;
    c.response(ONE, "get", s.get(&path, OWNER).await).await;

    let r = s.req(Method::PUT, ALL, OWNER).send().await.expect("send");
    assert_eq!(r.status(), 405);
    c.check("Error", &r.json::<Value>().await.expect("json"));
}

#[tokio::test]
async fn released_rate_limits_match_the_released_document() {
    let c = Contract::released();
    let s = TestServer::start(|cfg| {
        cfg.dialect = cloudflow_devapi::Dialect::Released;
        cfg.rate_limit_rate = 1.0;
    })
    .await;
    let r = s.create(&request("Limited"), "limited").await;
    assert_eq!(header(&r, "retry-after").as_deref(), Some("1"));
    c.response("/cloudflow/v1/connections", "post", r).await;
}
