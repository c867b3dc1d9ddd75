//! The API's rules over real HTTP: auth, permissions, errors, validation, dry run, ETags,
//! pagination and deletion.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn auth_validate_users_roles() {
    let s = TestServer::start(|_| {}).await;
    let r = s.get("/auth/v1/validate", OWNER).await;
    assert_eq!(r.status(), 200);
    assert!(header(&r, "request-id").is_some_and(|id| id.starts_with("req_") && id.len() == 30));
    let me: Value = r.json().await.expect("json");
    assert_eq!(
        me,
        json!({"email": "priya.natarajan@example.com", "domain": "example.com"})
    );

    // 401: no header, unknown token, wrong scheme; each with WWW-Authenticate.
    let r = s
        .http
        .get(s.url("/auth/v1/validate"))
        .send()
        .await
        .expect("send");
    assert_eq!(
        header(&r, "www-authenticate").as_deref(),
        Some("Bearer realm=\"api.doit.com\"")
    );
    problem(r, 401, "unauthenticated").await;
    let r = s.get("/cloudflow/v1/connections", "nope").await;
    assert!(header(&r, "www-authenticate").is_some_and(|h| h.contains("invalid_token")));
    problem(r, 401, "unauthenticated").await;
    let r = s
        .http
        .get(s.url("/iam/v1/users"))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .expect("send");
    assert!(header(&r, "www-authenticate").is_some());
    problem(r, 401, "unauthenticated").await;

    // A tenant the token cannot reach.
    let r = s
        .req(Method::GET, "/iam/v1/roles", OWNER)
        .header("X-Tenant-Id", "someone-else")
        .send()
        .await
        .expect("send");
    problem(r, 400, "tenant_id_mismatch").await;
    let r = s
        .req(Method::GET, "/iam/v1/roles", OWNER)
        .header("X-Tenant-Id", "acme-example")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);

    let users: Value = s
        .get("/iam/v1/users", VIEWER)
        .await
        .json()
        .await
        .expect("json");
    let users = users["users"].as_array().expect("users");
    assert_eq!(users.len(), 9);
    assert!(users.iter().any(|u| u["status"] == "invited"));
    assert!(users
        .iter()
        .any(|u| u["displayName"] == "<img src=x onerror=window.__xss=1>"));
    let one: Value = s
        .get("/iam/v1/users?email=MARCUS.WEBB%40example.com", OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(one["users"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["users"][0]["roleId"], "role_cloudflow_editor");

    let roles: Value = s
        .get("/iam/v1/roles", OWNER)
        .await
        .json()
        .await
        .expect("json");
    let holds = |role: &str, perm: &str| {
        roles["roles"].as_array().expect("roles").iter().any(|r| {
            r["id"] == role
                && r["permissions"]
                    .as_array()
                    .is_some_and(|p| p.iter().any(|x| x == perm))
        })
    };
    assert!(holds("role_admin", "CloudFlowOwner"));
    assert!(holds("role_cloudflow_editor", "CloudFlowEditor"));
    assert!(!holds("role_analyst", "CloudFlowOwner") && !holds("role_analyst", "CloudFlowEditor"));
}

#[tokio::test]
async fn viewer_may_read_but_not_create_and_editor_may_create() {
    let s = TestServer::start(|_| {}).await;
    assert_eq!(
        s.get("/cloudflow/v1/connections", VIEWER).await.status(),
        200
    );
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", VIEWER)
        .header("Idempotency-Key", "v1")
        .json(&request("Viewer's"))
        .send()
        .await
        .expect("send");
    let body = problem(r, 403, "permission_denied").await;
    assert!(body["detail"]
        .as_str()
        .is_some_and(|d| d.contains("CloudFlow Owner or CloudFlow Editor")));
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", EDITOR)
        .header("Idempotency-Key", "e1")
        .json(&request("Editor's"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn bad_bodies_are_problems_never_500() {
    let s = TestServer::start(|_| {}).await;
    let post = |ct: Option<&'static str>, body: Vec<u8>, key: &'static str| {
        let mut b = s
            .req(Method::POST, "/cloudflow/v1/connections", OWNER)
            .header("Idempotency-Key", key)
            .body(body);
        if let Some(ct) = ct {
            b = b.header("content-type", ct);
        }
        b.send()
    };
    // Malformed JSON: 400 with line and column.
    let r = post(
        Some("application/json"),
        b"{\n  \"name\": \"x\",\n  oops\n}".to_vec(),
        "j1",
    )
    .await
    .expect("send");
    let body = problem(r, 400, "invalid_json").await;
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("line 3, column 3")),
        "{body}"
    );
    let r = post(Some("application/json"), b"[1,2]".to_vec(), "j2")
        .await
        .expect("send");
    problem(r, 400, "invalid_json").await;
    // Wrong or missing content type: 415.
    let r = post(Some("text/plain"), b"{}".to_vec(), "j3")
        .await
        .expect("send");
    problem(r, 415, "unsupported_media_type").await;
    let r = post(None, b"{}".to_vec(), "j4").await.expect("send");
    problem(r, 415, "unsupported_media_type").await;
    // Over 1 MB: 413.
    let big = format!("{{\"name\":\"{}\"}}", "x".repeat(1024 * 1024 + 10)).into_bytes();
    let r = post(Some("application/json"), big, "j5")
        .await
        .expect("send");
    problem(r, 413, "payload_too_large").await;
    // Wrong types: 422 at the field path.
    let mut body = request("Typed");
    body["awsConfig"]["context"][1]["regions"] = json!("eu-west-1");
    let r = s.create(&body, "j6").await;
    let p = problem(r, 422, "validation_failed").await;
    assert_eq!(p["details"][0]["field"], "awsConfig.context[1].regions");
    // Neither or both configurations: 400 invalid_connection_config.
    let r = s.create(&json!({"name": "x"}), "j7").await;
    problem(r, 400, "invalid_connection_config").await;
    let mut both = request("Both");
    both["gcpConfig"] = json!({"projectId": "p"});
    problem(
        s.create(&both, "j8").await,
        400,
        "invalid_connection_config",
    )
    .await;
    // Unknown routes and methods.
    let r = s.get("/cloudflow/v1/nothing", OWNER).await;
    problem(r, 404, "not_found").await;
    let r = s
        .req(Method::PUT, "/cloudflow/v1/connections", OWNER)
        .header("Origin", "http://localhost:3000")
        .send()
        .await
        .expect("send");
    assert!(header(&r, "allow").is_some());
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    problem(r, 405, "method_not_allowed").await;
    let r = s
        .get("/cloudflow/v1/connections/does-not-exist", OWNER)
        .await;
    problem(r, 404, "not_found").await;
    // The pre-release document allows 500 a page, not more.
    let r = s
        .get("/cloudflow/v1/connections?maxResults=500", OWNER)
        .await;
    assert_eq!(r.status(), 200);
    let r = s
        .get("/cloudflow/v1/connections?maxResults=501", OWNER)
        .await;
    let p = problem(r, 400, "invalid_query_parameter").await;
    assert_eq!(p["details"][0]["field"], "maxResults");
    let r = s
        .get("/billing/v1/assets?filter=kind:everything", OWNER)
        .await;
    problem(r, 400, "invalid_query_parameter").await;
}

#[tokio::test]
async fn validation_uses_the_core_field_paths() {
    let s = TestServer::start(|_| {}).await;
    let mut body = request("Invalid");
    body["awsConfig"]["roleName"] = json!("bad role name!");
    body["awsConfig"]["context"][1]["accountId"] = json!("12345");
    body["collaborators"][1]["role"] = json!("admin");
    body["collaborators"][0]["email"] = json!("nobody@elsewhere.example");
    let r = s.create(&body, "v1").await;
    let p = problem(r, 422, "validation_failed").await;
    let fields: Vec<&str> = p["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().expect("field"))
        .collect();
    for f in [
        "awsConfig.roleName",
        "awsConfig.context[1].accountId",
        "collaborators[1].role",
        "collaborators[0].email",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert!(p["details"]
        .as_array()
        .expect("details")
        .iter()
        .all(|d| d["issue"].as_str().is_some_and(|i| !i.is_empty())));
    let r = s
        .create(&json!({"name": "", "awsConfig": {"roleName": "R"}}), "v2")
        .await;
    let p = problem(r, 422, "validation_failed").await;
    assert!(p["details"]
        .as_array()
        .expect("d")
        .iter()
        .any(|d| d["field"] == "name"));
    // Nothing was stored.
    assert_eq!(s.all_connections().await.len(), 4);
}

#[tokio::test]
async fn duplicate_names_ignore_case_and_dry_run_stores_nothing() {
    let s = TestServer::start(|_| {}).await;
    // The demo seed has "Production read-only".
    let r = s.create(&request("PRODUCTION READ-ONLY"), "d1").await;
    let p = problem(r, 409, "duplicate_name").await;
    assert_eq!(p["details"][0]["field"], "name");

    let dry = |body: Value| {
        s.req(Method::POST, "/cloudflow/v1/connections?dryRun=true", OWNER)
            .json(&body)
            .send()
    };
    let r = dry(request("Dry one")).await.expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-dry-run").as_deref(), Some("true"));
    assert!(header(&r, "etag").is_none() && header(&r, "location").is_none());
    let v: Value = r.json().await.expect("json");
    for k in [
        "id",
        "etag",
        "createTime",
        "updateTime",
        "lastSyncedTime",
        "externalId",
    ] {
        assert!(v[k].is_null(), "{k} should be null in {v}");
    }
    assert_eq!(v["status"], "draft");
    assert_eq!(v["name"], "Dry one");
    assert_eq!(v["awsConfig"]["context"][0]["accountId"], "000123456789");
    // The same checks as a real create.
    problem(
        dry(request("production read-only")).await.expect("send"),
        409,
        "duplicate_name",
    )
    .await;
    let mut bad = request("Dry bad");
    bad["awsConfig"]["roleName"] = json!("");
    problem(dry(bad).await.expect("send"), 422, "validation_failed").await;
    let r = s
        .req(
            Method::POST,
            "/cloudflow/v1/connections?dryRun=maybe",
            OWNER,
        )
        .json(&request("x"))
        .send()
        .await
        .expect("send");
    problem(r, 400, "invalid_query_parameter").await;
    assert_eq!(s.all_connections().await.len(), 4);
    // A dry run does not reserve the name.
    assert_eq!(s.create(&request("Dry one"), "d2").await.status(), 201);
    // Client-chosen ids are unique.
    let mut with_id = request("Chosen id");
    with_id["id"] = json!("my-connection-1");
    let r = s.create(&with_id, "d3").await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        header(&r, "location").as_deref(),
        Some("/cloudflow/v1/connections/my-connection-1")
    );
    with_id["name"] = json!("Chosen id 2");
    problem(s.create(&with_id, "d4").await, 409, "conflict").await;
}

#[tokio::test]
async fn create_get_patch_delete_with_etags() {
    let s = TestServer::start(|_| {}).await;
    let r = s.create(&request("Lifecycle"), "c1").await;
    assert_eq!(r.status(), 201);
    let etag = header(&r, "etag").expect("etag");
    let location = header(&r, "location").expect("location");
    let created: Value = r.json().await.expect("json");
    assert_eq!(created["etag"], etag.as_str());
    assert_eq!(
        location,
        format!(
            "/cloudflow/v1/connections/{}",
            created["id"].as_str().expect("id")
        )
    );
    let ext = created["externalId"].as_str().expect("externalId");
    assert!((2..=1224).contains(&ext.len()));
    assert!(ext
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+=,.@-".contains(&b)));

    let r = s.get(&location, OWNER).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "etag").as_deref(), Some(etag.as_str()));
    let got: Value = r.json().await.expect("json");
    assert_eq!(got["externalId"], ext);
    assert_eq!(
        got["awsConfig"]["permissions"],
        request("x")["awsConfig"]["permissions"]
    );
    assert_eq!(got["collaborators"], request("x")["collaborators"]);

    let patch = |key: &'static str, if_match: Option<String>, body: Value| {
        let mut b = s
            .req(Method::PATCH, &location, OWNER)
            .header("Idempotency-Key", key)
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string());
        if let Some(m) = if_match {
            b = b.header("If-Match", m);
        }
        b.send()
    };
    problem(
        patch("p1", None, json!({"enabled": false}))
            .await
            .expect("send"),
        428,
        "precondition_required",
    )
    .await;
    problem(
        patch(
            "p2",
            Some("\"1-0000000000000000\"".into()),
            json!({"enabled": false}),
        )
        .await
        .expect("send"),
        412,
        "precondition_failed",
    )
    .await;
    let r = patch("p3", Some(etag.clone()), json!({"enabled": false}))
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let new_etag = header(&r, "etag").expect("etag");
    assert_ne!(new_etag, etag);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["enabled"], false);
    assert_eq!(v["status"], "disabled");
    // A patch that changes nothing keeps the version.
    let r = patch("p3b", Some(new_etag.clone()), json!({"enabled": false}))
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "etag").as_deref(), Some(new_etag.as_str()));
    // The old ETag is now stale, for PATCH and DELETE alike.
    problem(
        patch("p4", Some(etag.clone()), json!({"enabled": true}))
            .await
            .expect("send"),
        412,
        "precondition_failed",
    )
    .await;
    // Renaming onto another connection's name (any case) is a duplicate.
    problem(
        patch(
            "p5",
            Some(new_etag.clone()),
            json!({"name": "legacy SANDBOX"}),
        )
        .await
        .expect("send"),
        409,
        "duplicate_name",
    )
    .await;
    let p = problem(
        patch(
            "p6",
            Some(new_etag.clone()),
            json!({"awsConfig": {"roleName": "x"}}),
        )
        .await
        .expect("send"),
        422,
        "validation_failed",
    )
    .await;
    // awsConfig may be changed, by the same rules as a create: this one lost its accounts.
    assert_eq!(p["details"][0]["field"], "awsConfig.context");
    let r = s
        .req(Method::PATCH, &location, OWNER)
        .header("Idempotency-Key", "p7")
        .header("If-Match", &new_etag)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .expect("send");
    problem(r, 415, "unsupported_media_type").await;

    let delete = |key: &'static str, if_match: Option<String>| {
        let mut b = s
            .req(Method::DELETE, &location, OWNER)
            .header("Idempotency-Key", key);
        if let Some(m) = if_match {
            b = b.header("If-Match", m);
        }
        b.send()
    };
    problem(
        delete("x1", None).await.expect("send"),
        428,
        "precondition_required",
    )
    .await;
    problem(
        delete("x2", Some(etag.clone())).await.expect("send"),
        412,
        "precondition_failed",
    )
    .await;
    problem(
        s.req(Method::DELETE, &location, OWNER)
            .header("If-Match", &new_etag)
            .send()
            .await
            .expect("send"),
        400,
        "idempotency_key_required",
    )
    .await;
    let r = delete("x3", Some(new_etag.clone())).await.expect("send");
    assert_eq!(r.status(), 204);
    problem(s.get(&location, OWNER).await, 404, "not_found").await;
    // The same delete again replays its 204.
    let r = delete("x3", Some(new_etag)).await.expect("send");
    assert_eq!(r.status(), 204);
    assert_eq!(header(&r, "idempotency-replayed").as_deref(), Some("true"));
}

#[tokio::test]
async fn delete_is_blocked_while_flows_use_the_connection() {
    let s = TestServer::start(|_| {}).await;
    let path = "/cloudflow/v1/connections/cfc_seed01";
    let r = s.get(path, OWNER).await;
    let etag = header(&r, "etag").expect("etag");
    let r = s
        .req(Method::DELETE, path, OWNER)
        .header("Idempotency-Key", "blocked")
        .header("If-Match", etag)
        .send()
        .await
        .expect("send");
    problem(r, 409, "delete_blocked_by_dependencies").await;
    assert_eq!(s.get(path, OWNER).await.status(), 200);
    // `*` matches any current version.
    let r = s
        .req(
            Method::DELETE,
            "/cloudflow/v1/connections/cfc_seed02",
            OWNER,
        )
        .header("Idempotency-Key", "star")
        .header("If-Match", "*")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 204);
}

#[tokio::test]
async fn connections_page_to_the_end_and_tampered_tokens_are_refused() {
    let s = TestServer::start(|_| {}).await;
    for i in 0..7 {
        assert_eq!(
            s.create(&request(&format!("Paged {i}")), &format!("page-{i}"))
                .await
                .status(),
            201
        );
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &token {
            Some(t) => format!("/cloudflow/v1/connections?maxResults=3&pageToken={t}"),
            None => "/cloudflow/v1/connections?maxResults=3".to_owned(),
        };
        let page: Value = s.get(&path, OWNER).await.json().await.expect("json");
        pages += 1;
        assert_eq!(page["rowCount"], 11);
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 3);
        seen.extend(
            items
                .iter()
                .map(|c| c["id"].as_str().expect("id").to_owned()),
        );
        match page["pageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => {
                assert!(page["pageToken"].is_null());
                break;
            }
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen.len(), 11);
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 11);
    // Newest first: the last one created comes first.
    let first: Value = s
        .get(&format!("/cloudflow/v1/connections/{}", seen[0]), OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["name"], "Paged 6");

    let page: Value = s
        .get("/cloudflow/v1/connections?maxResults=3", OWNER)
        .await
        .json()
        .await
        .expect("json");
    let good = page["pageToken"].as_str().expect("token").to_owned();
    let mut tampered = good.clone().into_bytes();
    tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("utf8");
    for bad in [tampered.as_str(), "garbage", "abc.def"] {
        let r = s
            .get(&format!("/cloudflow/v1/connections?pageToken={bad}"), OWNER)
            .await;
        problem(r, 400, "pagination_token_invalid").await;
    }
    // A connections token is not an assets token.
    let r = s
        .get(&format!("/billing/v1/assets?pageToken={good}"), OWNER)
        .await;
    problem(r, 400, "pagination_token_invalid").await;
}

#[tokio::test]
async fn assets_page_through_ten_thousand_accounts() {
    let s = TestServer::start(|c| c.seed = cloudflow_devapi::SeedKind::Large).await;
    let mut ids = std::collections::HashSet::new();
    let mut token: Option<String> = None;
    let started = std::time::Instant::now();
    loop {
        let path = match &token {
            Some(t) => format!(
                "/billing/v1/assets?filter=type:amazon-web-services&maxResults=1000&pageToken={t}"
            ),
            None => "/billing/v1/assets?filter=type:amazon-web-services&maxResults=1000".to_owned(),
        };
        let page: Value = s.get(&path, OWNER).await.json().await.expect("json");
        assert_eq!(page["rowCount"], 10_000);
        for a in page["assets"].as_array().expect("assets") {
            let id = a["accountId"].as_str().expect("accountId");
            assert_eq!(a["id"], format!("amazon-web-services-{id}"));
            assert!(a["name"].as_str().is_some_and(|n| !n.is_empty()));
            assert_eq!(a["displayName"], a["name"]);
            assert!(ids.insert(id.to_owned()), "duplicate {id}");
        }
        match page["pageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(ids.len(), 10_000);
    assert!(ids.iter().any(|i| i.starts_with('0')));
    eprintln!("paged 10,000 assets in {:?}", started.elapsed());
    let users: Value = s
        .get("/iam/v1/users", OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(users["users"].as_array().map(Vec::len), Some(2_000));
    // Other asset types are empty, not errors.
    let other: Value = s
        .get("/billing/v1/assets?filter=type:google-cloud", OWNER)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(other["assets"], json!([]));
    assert!(other["pageToken"].is_null());
}

#[tokio::test]
async fn catalogues_check_regions_and_managed_policies() {
    let s = TestServer::start(|_| {}).await;
    let mut body = request("Catalogued");
    body["awsConfig"]["context"][0]["regions"] = json!(["eu-west-1", "moon-east-1"]);
    body["awsConfig"]["permissions"]["awsManagedPolicies"] =
        json!(["arn:aws:iam::aws:policy/NoSuchPolicyAnywhere"]);
    let p = problem(s.create(&body, "cat-1").await, 422, "validation_failed").await;
    let fields: Vec<&str> = p["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"awsConfig.context[0].regions[1]"),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"awsConfig.permissions.awsManagedPolicies[0]"),
        "{fields:?}"
    );
}

#[tokio::test]
async fn a_token_of_several_tenants_needs_x_tenant_id() {
    let s = TestServer::start(|_| {}).await;
    let partner = "dev-partner-token";
    let p = problem(
        s.get("/cloudflow/v1/connections", partner).await,
        400,
        "tenant_id_required",
    )
    .await;
    assert_eq!(p["details"][0]["field"], "X-Tenant-Id");
    let in_tenant = |tenant: &'static str, path: &'static str| {
        s.req(Method::GET, path, partner)
            .header("X-Tenant-Id", tenant)
            .send()
    };
    let page: Value = in_tenant("globex-example", "/billing/v1/assets")
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(page["rowCount"], 2);
    assert_eq!(page["assets"][1]["accountId"], "044455556666");
    let list: Value = in_tenant("initech-example", "/cloudflow/v1/connections")
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"], json!([]));
    // The partner cannot reach the demo tenant, and its connections are not visible elsewhere.
    problem(
        in_tenant("acme-example", "/cloudflow/v1/connections")
            .await
            .expect("send"),
        400,
        "tenant_id_mismatch",
    )
    .await;
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", partner)
        .header("X-Tenant-Id", "globex-example")
        .header("Idempotency-Key", "partner-1")
        .json(&json!({
            "name": "Production read-only",
            "awsConfig": {
                "roleName": "GlobexCloudFlow",
                "context": [{"accountId": "111122223333", "regions": []}],
                "permissions": {"awsManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"], "actions": []}
            },
            "collaborators": [{"email": "dana.consultant@partner.example.com", "role": "owner"}]
        }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 201, "names are unique per tenant only");
    let created: Value = r.json().await.expect("json");
    let path = format!(
        "/cloudflow/v1/connections/{}",
        created["id"].as_str().expect("id")
    );
    problem(s.get(&path, OWNER).await, 404, "not_found").await;
}
