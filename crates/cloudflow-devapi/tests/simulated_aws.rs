//! `--simulated-aws`: accounts' statuses follow what is deployed in the simulated AWS, through
//! its JSON API and through the stand-in of the CloudFormation console's quick-create page.

mod common;

use std::time::Duration;

use cloudflow_devapi::Dialect;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const DOIT: &str = "068664126052";
const ROLE: &str = "CloudFlowTestRole";
const FIRST: &str = "000123456789";
const SECOND: &str = "123456789012";

async fn simulated(dialect: Dialect, delay: f64) -> TestServer {
    TestServer::start(|c| {
        c.simulated_aws = true;
        c.activation_delay = delay;
        c.dialect = dialect;
    })
    .await
}

/// A draft (created disabled, as the wizard saves it at Setup) of the common request.
async fn draft(s: &TestServer, name: &str) -> Value {
    let mut body = request(name);
    body["enabled"] = json!(false);
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", OWNER)
        .header(
            "Idempotency-Key",
            format!("create-{}", name.replace(' ', "-")),
        )
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
    r.json().await.expect("json")
}

fn path_of(c: &Value) -> String {
    let id = c["id"].as_str().or(c["connectionId"].as_str()).expect("id");
    format!("/cloudflow/v1/connections/{id}")
}

async fn read(s: &TestServer, path: &str) -> Value {
    let r = s.get(path, OWNER).await;
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

fn account(c: &Value, i: usize) -> (String, Option<String>) {
    let a = &c["awsConfig"]["context"][i];
    (
        a["status"].as_str().expect("status").to_owned(),
        a["statusMessage"].as_str().map(str::to_owned),
    )
}

fn stack(account: &str, stack: &str, role: &str, external_id: &str, trusted: &str) -> Value {
    json!({
        "accountId": account,
        "stackName": stack,
        "region": "us-east-1",
        "acknowledged": true,
        "templateURL": "https://doit-cmp-ops-pub.s3.amazonaws.com/cloudflow/create_cloudflow_connection_role.yml",
        "parameters": {
            "RoleName": role,
            "TrustedAccountId": trusted,
            "ExternalId": external_id,
            "ManagedPolicyArns": "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "AllowedActions": ["s3:GetObject", "ec2:Describe*"]
        }
    })
}

async fn deploy(s: &TestServer, body: &Value) -> reqwest::Response {
    s.http
        .post(s.url("/simulated-aws/api/stacks"))
        .json(body)
        .send()
        .await
        .expect("POST stack")
}

async fn deployed(s: &TestServer, body: &Value) -> Value {
    let r = deploy(s, body).await;
    assert_eq!(r.status(), 201);
    r.json().await.expect("json")
}

async fn undeploy(s: &TestServer, account: &str, stack: &str) -> u16 {
    s.http
        .delete(s.url(&format!("/simulated-aws/api/stacks/{account}/{stack}")))
        .send()
        .await
        .expect("DELETE stack")
        .status()
        .as_u16()
}

async fn refused(s: &TestServer, body: &Value) -> String {
    let r = deploy(s, body).await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        header(&r, "content-type").as_deref(),
        Some("application/json")
    );
    let v: Value = r.json().await.expect("json");
    v["error"].as_str().expect("error").to_owned()
}

fn waiting(account: &str) -> (String, Option<String>) {
    (
        "pending_permissions".to_owned(),
        Some(format!("waiting for the role {ROLE} in account {account}")),
    )
}

#[tokio::test]
async fn each_account_follows_what_is_deployed_in_it() {
    let s = simulated(Dialect::Preview, 0.0).await;
    let created = draft(&s, "Simulated").await;
    assert_eq!(created["status"], "draft");
    assert_eq!(account(&created, 0), waiting(FIRST));
    let ext = created["externalId"]
        .as_str()
        .expect("externalId")
        .to_owned();
    let path = path_of(&created);

    // Nothing deployed: both wait (a draft too: the wizard shows them before Done).
    let c = read(&s, &path).await;
    assert_eq!(c["status"], "draft");
    assert_eq!(account(&c, 0), waiting(FIRST));
    assert_eq!(account(&c, 1), waiting(SECOND));
    assert!(c["lastSyncedTime"].is_string());

    // The matching role in the first account: active there (role names ignore case).
    let first = deployed(
        &s,
        &stack(
            FIRST,
            "DoitCloudFlowConnectionRole",
            "cloudflowtestrole",
            &ext,
            DOIT,
        ),
    )
    .await;
    assert_eq!(first["status"], "CREATE_COMPLETE");
    assert_eq!(
        first["outputs"]["RoleArn"],
        format!("arn:aws:iam::{FIRST}:role/cloudflowtestrole")
    );
    let c = read(&s, &path).await;
    assert_eq!(account(&c, 0), ("active".to_owned(), None));
    assert_eq!(account(&c, 1), waiting(SECOND));
    assert_eq!(c["status"], "draft", "still a draft until Done");

    // The second account: a role with another external ID.
    deployed(
        &s,
        &stack(
            SECOND,
            "DoitCloudFlowConnectionRole",
            ROLE,
            "an-older-id",
            DOIT,
        ),
    )
    .await;
    let c = read(&s, &path).await;
    assert_eq!(
        account(&c, 1),
        (
            "permissions_failed".to_owned(),
            Some("the role's external ID differs from this connection's".to_owned())
        )
    );
    // Deleted: waiting again.
    assert_eq!(
        undeploy(&s, SECOND, "DoitCloudFlowConnectionRole").await,
        204
    );
    assert_eq!(account(&read(&s, &path).await, 1), waiting(SECOND));

    // A role that trusts another account.
    deployed(&s, &stack(SECOND, "Mine", ROLE, &ext, "111122223333")).await;
    assert_eq!(
        account(&read(&s, &path).await, 1),
        (
            "permissions_failed".to_owned(),
            Some(
                "the role trusts account 111122223333, not DoiT's account 068664126052".to_owned()
            )
        )
    );
    assert_eq!(undeploy(&s, SECOND, "Mine").await, 204);

    // DoiT's stack, but it made a role of another name.
    deployed(
        &s,
        &stack(
            SECOND,
            "DoitCloudFlowConnectionRole",
            "OtherRole",
            &ext,
            DOIT,
        ),
    )
    .await;
    assert_eq!(
        account(&read(&s, &path).await, 1),
        (
            "permissions_failed".to_owned(),
            Some(format!(
                "the stack DoitCloudFlowConnectionRole in this account created the role OtherRole, not {ROLE}"
            ))
        )
    );
    // Enabled now (Done): the overall status follows the accounts.
    let c = read(&s, &path).await;
    let r = s
        .req(Method::PATCH, &path, OWNER)
        .header("Idempotency-Key", "done")
        .header("If-Match", c["etag"].as_str().expect("etag"))
        .json(&json!({"enabled": true, "collaborators": [{"email": "priya.natarajan@example.com", "role": "owner"}]}))
        .send()
        .await
        .expect("PATCH");
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.expect("json");
    assert_eq!(done["status"], "permissions_failed");
    assert!(done["statusMessage"]
        .as_str()
        .is_some_and(|m| m.contains("1 of 2")));
    assert_eq!(
        undeploy(&s, SECOND, "DoitCloudFlowConnectionRole").await,
        204
    );
    let c = read(&s, &path).await;
    assert_eq!(c["status"], "pending_permissions");
    assert_eq!(account(&c, 1), waiting(SECOND));
    // The right role in the second account too: active.
    deployed(
        &s,
        &stack(SECOND, "DoitCloudFlowConnectionRole", ROLE, &ext, DOIT),
    )
    .await;
    let c = read(&s, &path).await;
    assert_eq!(c["status"], "active");
    assert!(c["statusMessage"].is_null());
    // The list agrees.
    let listed = s.all_connections().await;
    let mine = listed.iter().find(|x| x["id"] == c["id"]).expect("listed");
    assert_eq!(mine["status"], "active");
    // Disabled: disabled overall, the accounts as deployed.
    let r = s
        .req(Method::PATCH, &path, OWNER)
        .header("Idempotency-Key", "off")
        .header("If-Match", c["etag"].as_str().expect("etag"))
        .json(&json!({"enabled": false}))
        .send()
        .await
        .expect("PATCH");
    let off: Value = r.json().await.expect("json");
    assert_eq!(off["status"], "disabled");
    assert_eq!(account(&off, 0), ("active".to_owned(), None));
}

#[tokio::test]
async fn the_activation_delay_is_iam_propagation_after_the_stack() {
    let s = simulated(Dialect::Preview, 1.0).await;
    let mut body = request("Enabled at once");
    body["awsConfig"]["context"] = json!([{"accountId": FIRST, "regions": []}]);
    let created: Value = s.create(&body, "enabled").await.json().await.expect("json");
    assert_eq!(created["status"], "pending_permissions");
    let ext = created["externalId"]
        .as_str()
        .expect("externalId")
        .to_owned();
    let path = path_of(&created);
    // The delay has nothing to do with the connection's age: no stack, no role.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(account(&read(&s, &path).await, 0), waiting(FIRST));
    deployed(
        &s,
        &stack(FIRST, "DoitCloudFlowConnectionRole", ROLE, &ext, DOIT),
    )
    .await;
    let c = read(&s, &path).await;
    assert_eq!(account(&c, 0), waiting(FIRST), "IAM has not propagated yet");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let c = read(&s, &path).await;
    assert_eq!(c["status"], "active");
}

#[tokio::test]
async fn the_seeds_broken_account_follows_the_rules_like_any_other() {
    let s = simulated(Dialect::Preview, 0.0).await;
    // "Legacy sandbox": the broken 210987654321 and 789012345678, role CloudFlowLegacy.
    let path = "/cloudflow/v1/connections/cfc_seed02";
    let c = read(&s, path).await;
    assert_eq!(c["status"], "pending_permissions");
    assert_eq!(account(&c, 0).0, "pending_permissions");
    let ext = c["externalId"].as_str().expect("externalId").to_owned();
    for acct in ["210987654321", "789012345678"] {
        deployed(
            &s,
            &stack(
                acct,
                "DoitCloudFlowConnectionRole",
                "CloudFlowLegacy",
                &ext,
                DOIT,
            ),
        )
        .await;
    }
    assert_eq!(read(&s, path).await["status"], "active");
    // The seed's active connection has no stack here: it waits.
    assert_eq!(
        read(&s, "/cloudflow/v1/connections/cfc_seed01").await["status"],
        "pending_permissions"
    );
}

#[tokio::test]
async fn the_released_dialect_shows_statuses_without_messages_or_the_external_id() {
    let s = simulated(Dialect::Released, 0.0).await;
    let mut body = request("Released");
    body["enabled"] = json!(false);
    let r = s
        .req(Method::POST, "/cloudflow/v1/connections", OWNER)
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.expect("json");
    assert_eq!(created["status"], "draft");
    assert!(created.get("externalId").is_none());
    let id = created["connectionId"].as_str().expect("id").to_owned();
    let path = path_of(&created);
    // The server knows the external ID all the same.
    let ext: String = rusqlite::Connection::open(&s.db)
        .expect("db")
        .query_row(
            "SELECT external_id FROM connections WHERE id = ?1",
            [&id],
            |r| r.get(0),
        )
        .expect("external id");
    deployed(
        &s,
        &stack(FIRST, "DoitCloudFlowConnectionRole", ROLE, &ext, DOIT),
    )
    .await;
    deployed(
        &s,
        &stack(SECOND, "DoitCloudFlowConnectionRole", ROLE, "not-it", DOIT),
    )
    .await;
    let c = read(&s, &path).await;
    assert_eq!(c["status"], "draft");
    assert_eq!(account(&c, 0), ("active".to_owned(), None));
    assert_eq!(account(&c, 1), ("permissions_failed".to_owned(), None));
    assert!(c["awsConfig"]["context"][1].get("statusMessage").is_none());
    let contract = Spec::load("openapi-released.yaml");
    contract.check("Connection", &c);
    let r = s
        .req(Method::PATCH, &path, OWNER)
        .json(&json!({"enabled": true}))
        .send()
        .await
        .expect("PATCH");
    let enabled: Value = r.json().await.expect("json");
    assert_eq!(enabled["status"], "permissions_failed");
    contract.check("Connection", &enabled);
}

#[tokio::test]
async fn preview_answers_match_the_documented_connection() {
    let s = simulated(Dialect::Preview, 0.0).await;
    let created = draft(&s, "Documented").await;
    let contract = Spec::load("openapi.yaml");
    contract.check("Connection", &created);
    let ext = created["externalId"]
        .as_str()
        .expect("externalId")
        .to_owned();
    deployed(
        &s,
        &stack(FIRST, "DoitCloudFlowConnectionRole", "Else", &ext, DOIT),
    )
    .await;
    let c = read(&s, &path_of(&created)).await;
    assert_eq!(account(&c, 0).0, "permissions_failed");
    contract.check("Connection", &c);
}

#[tokio::test]
async fn the_json_api_checks_like_cloudformation() {
    let s = simulated(Dialect::Preview, 0.0).await;
    let good = stack(FIRST, "DoitCloudFlowConnectionRole", ROLE, "ext-1", DOIT);
    let mut body = good.clone();
    body["region"] = json!("eu-west-1");
    assert_eq!(refused(&s, &body).await, "Create this stack in us-east-1");
    let mut body = good.clone();
    body["acknowledged"] = json!(false);
    assert_eq!(
        refused(&s, &body).await,
        "Requires capabilities : [CAPABILITY_NAMED_IAM]"
    );
    let mut body = good.clone();
    body.as_object_mut().expect("object").remove("acknowledged");
    assert_eq!(
        refused(&s, &body).await,
        "Requires capabilities : [CAPABILITY_NAMED_IAM]",
        "like create-stack without --capabilities"
    );
    let mut body = good.clone();
    body["accountId"] = json!("1234");
    assert_eq!(refused(&s, &body).await, "AWS account ID must be 12 digits");
    let mut body = good.clone();
    body["parameters"]["ExternalId"] = json!("tenant:abc");
    assert!(refused(&s, &body)
        .await
        .starts_with("Parameter ExternalId must not contain \":\""));
    body["parameters"]
        .as_object_mut()
        .expect("object")
        .remove("ExternalId");
    assert_eq!(
        refused(&s, &body).await,
        "Parameters: [ExternalId] must have values"
    );
    let mut body = good.clone();
    body["parameters"]["RoleName"] = json!("has space");
    assert!(refused(&s, &body)
        .await
        .starts_with("Parameter RoleName must not contain spaces"));
    body["parameters"]["RoleName"] = json!("r".repeat(65));
    assert_eq!(
        refused(&s, &body).await,
        "Parameter RoleName must be at most 64 characters (is 65)"
    );
    let mut body = good.clone();
    body["parameters"]["TrustedAccountId"] = json!("68664126052");
    assert_eq!(
        refused(&s, &body).await,
        "Parameter TrustedAccountId must be 12 digits"
    );
    let mut body = good.clone();
    body["parameters"]["Surprise"] = json!("x");
    assert_eq!(
        refused(&s, &body).await,
        "Parameters: [Surprise] do not exist in the template"
    );
    let mut body = good.clone();
    body["parameters"]["RoleName"] = json!(7);
    assert_eq!(
        refused(&s, &body).await,
        "Parameter RoleName must be a string"
    );
    let mut body = good.clone();
    body["surprise"] = json!(1);
    assert!(refused(&s, &body)
        .await
        .contains("unknown field `surprise`"));
    let r = s
        .http
        .post(s.url("/simulated-aws/api/stacks"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 400);
    let r = s
        .http
        .post(s.url("/simulated-aws/api/stacks"))
        .body("accountId=1")
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 415);

    // Defaults: DoiT's stack name, us-east-1 and trusted account.
    let minimal = json!({"accountId": FIRST, "acknowledged": true,
        "parameters": {"RoleName": ROLE, "ExternalId": "ext-1"}});
    let made = deployed(&s, &minimal).await;
    assert_eq!(made["stackName"], "DoitCloudFlowConnectionRole");
    assert_eq!(made["region"], "us-east-1");
    assert_eq!(made["parameters"]["TrustedAccountId"], DOIT);
    assert_eq!(made["parameters"]["ManagedPolicyArns"], "");
    assert!(made["templateURL"].is_null());
    assert_eq!(
        refused(&s, &minimal).await,
        "Stack [DoitCloudFlowConnectionRole] already exists"
    );
    let mut other = minimal.clone();
    other["stackName"] = json!("Another-Stack");
    other["parameters"]["RoleName"] = json!(ROLE.to_uppercase());
    assert_eq!(
        refused(&s, &other).await,
        format!("Role with name {} already exists", ROLE.to_uppercase())
    );
    // Another account is another AWS account: no clash.
    let mut elsewhere = minimal.clone();
    elsewhere["accountId"] = json!(SECOND);
    deployed(&s, &elsewhere).await;

    let list: Value = s
        .http
        .get(s.url("/simulated-aws/api/stacks"))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    let stacks = list["stacks"].as_array().expect("stacks");
    assert_eq!(stacks.len(), 2);
    assert_eq!(stacks[0]["accountId"], FIRST);
    assert_eq!(stacks[1]["accountId"], SECOND);
    let one = s
        .http
        .get(s.url(&format!(
            "/simulated-aws/api/stacks/{SECOND}/DoitCloudFlowConnectionRole"
        )))
        .send()
        .await
        .expect("GET");
    assert_eq!(one.status(), 200);
    assert_eq!(
        undeploy(&s, SECOND, "DoitCloudFlowConnectionRole").await,
        204
    );
    let gone = s
        .http
        .delete(s.url(&format!(
            "/simulated-aws/api/stacks/{SECOND}/DoitCloudFlowConnectionRole"
        )))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(gone.status(), 404);
    let v: Value = gone.json().await.expect("json");
    assert_eq!(
        v["error"],
        format!("Stack [DoitCloudFlowConnectionRole] does not exist in account {SECOND}")
    );
}

fn form(
    account: &str,
    region: &str,
    acknowledged: bool,
    role: &str,
    ext: &str,
) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("region", region.to_owned()),
        (
            "templateURL",
            "https://doit-cmp-ops-pub.s3.amazonaws.com/cloudflow/create_cloudflow_connection_role.yml".to_owned(),
        ),
        ("accountId", account.to_owned()),
        ("stackName", "DoitCloudFlowConnectionRole".to_owned()),
        ("RoleName", role.to_owned()),
        ("TrustedAccountId", DOIT.to_owned()),
        ("ExternalId", ext.to_owned()),
        (
            "ManagedPolicyArns",
            "arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned(),
        ),
        ("AllowedActions", "s3:GetObject,ec2:Describe*".to_owned()),
    ];
    if acknowledged {
        f.push(("acknowledged", "true".to_owned()));
    }
    f
}

async fn submit(s: &TestServer, path: &str, fields: &[(&str, String)]) -> (u16, String) {
    let r = s
        .http
        .post(s.url(path))
        .form(fields)
        .send()
        .await
        .expect("POST form");
    let status = r.status().as_u16();
    assert!(header(&r, "content-type").is_some_and(|t| t.starts_with("text/html")));
    (status, r.text().await.expect("html"))
}

#[tokio::test]
async fn the_quick_create_page_creates_stacks_end_to_end() {
    let s = simulated(Dialect::Preview, 0.0).await;
    let created = draft(&s, "Through the console").await;
    let ext = created["externalId"]
        .as_str()
        .expect("externalId")
        .to_owned();
    let path = path_of(&created);

    let r = s
        .http
        .get(s.url("/simulated-aws/cloudformation/home?region=us-east-1"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200);
    let csp = header(&r, "content-security-policy").expect("CSP");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("style-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert!(csp.contains("form-action 'self'"));
    let page = r.text().await.expect("html");
    assert!(page.contains("<title>Quick create stack</title>"));
    assert!(page.contains("<script src=\"../console.js\" defer></script>"));
    assert!(!page.contains("<script>") && !page.contains("style="));
    assert!(page.contains("<form method=\"post\" action=\"stacks\""));
    assert!(page.contains("<input type=\"hidden\" name=\"region\" value=\"us-east-1\">"));
    for (id, label) in [
        ("accountId", "AWS account ID"),
        ("stackName", "Stack name"),
        ("param-RoleName", "RoleName"),
        ("param-TrustedAccountId", "TrustedAccountId"),
        ("param-ExternalId", "ExternalId"),
        ("param-ManagedPolicyArns", "ManagedPolicyArns"),
        ("param-AllowedActions", "AllowedActions"),
        (
            "acknowledged",
            "I acknowledge that AWS CloudFormation might create IAM resources with custom names.",
        ),
    ] {
        assert!(
            page.contains(&format!("<label for=\"{id}\">{label}</label>")),
            "label {label}"
        );
        assert!(page.contains(&format!("id=\"{id}\"")), "control {id}");
    }
    assert!(page.contains("<button type=\"submit\">Create stack</button>"));
    // The template's default trusted account is filled in.
    assert!(page.contains("name=\"TrustedAccountId\" value=\"068664126052\""));
    let js = s
        .http
        .get(s.url("/simulated-aws/console.js"))
        .send()
        .await
        .expect("GET");
    assert!(header(&js, "content-type").is_some_and(|t| t.starts_with("text/javascript")));
    let js = js.text().await.expect("js");
    assert!(
        js.contains("param_") && js.contains("templateURL") && js.contains("decodeURIComponent")
    );
    let css = s
        .http
        .get(s.url("/simulated-aws/console.css"))
        .send()
        .await
        .expect("GET");
    assert!(header(&css, "content-type").is_some_and(|t| t.starts_with("text/css")));

    // Refused: no acknowledgement; the form comes back with what was typed.
    let (status, html) = submit(
        &s,
        "/simulated-aws/cloudformation/stacks",
        &form(SECOND, "us-east-1", false, ROLE, &ext),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("<h2 id=\"sim-error-heading\">Stack not created</h2>"));
    assert!(html.contains("Requires capabilities : [CAPABILITY_NAMED_IAM]"));
    assert!(html.contains(&format!("value=\"{ext}\"")));
    // Refused: another region.
    let (status, html) = submit(
        &s,
        "/simulated-aws/cloudformation/stacks",
        &form(SECOND, "eu-west-1", true, ROLE, &ext),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("Stack not created"));
    assert!(html.contains("Create this stack in us-east-1"));
    // Refused: what was typed is shown as text, never as markup.
    let (status, html) = submit(
        &s,
        "/simulated-aws/cloudformation/stacks",
        &form(SECOND, "us-east-1", true, "<b>x</b>", &ext),
    )
    .await;
    assert_eq!(status, 400);
    assert!(!html.contains("<b>x</b>"));
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
    assert_eq!(account(&read(&s, &path).await, 1), waiting(SECOND));

    // Created.
    let (status, html) = submit(
        &s,
        "/simulated-aws/cloudformation/stacks",
        &form(SECOND, "us-east-1", true, ROLE, &ext),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<h1>Stack created</h1>"));
    assert!(html.contains("CREATE_COMPLETE"));
    assert!(html.contains("DoitCloudFlowConnectionRole"));
    assert!(html.contains(SECOND));
    assert!(html.contains(ROLE));
    assert_eq!(
        account(&read(&s, &path).await, 1),
        ("active".to_owned(), None)
    );
    // Again: it exists.
    let (status, html) = submit(
        &s,
        "/simulated-aws/cloudformation/stacks",
        &form(SECOND, "us-east-1", true, ROLE, &ext),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("Stack [DoitCloudFlowConnectionRole] already exists"));
    // Another stack name, the same role: IAM refuses.
    let mut other = form(SECOND, "us-east-1", true, ROLE, &ext);
    other[3].1 = "Second-Try".to_owned();
    let (_, html) = submit(&s, "/simulated-aws/cloudformation/stacks", &other).await;
    assert!(html.contains(&format!("Role with name {ROLE} already exists")));

    // The list, with a labelled "Delete stack" button per stack.
    let r = s
        .http
        .get(s.url("/simulated-aws/cloudformation/stacks"))
        .send()
        .await
        .expect("GET");
    assert!(header(&r, "content-security-policy").is_some());
    let list = r.text().await.expect("html");
    assert!(list.contains("<table>"));
    assert!(list.contains("<form method=\"post\" action=\"stacks/delete\">"));
    assert!(list.contains(&format!(
        "aria-label=\"Delete stack DoitCloudFlowConnectionRole in {SECOND}\">Delete stack</button>"
    )));
    assert!(list.contains("CREATE_COMPLETE"));
    // Deleted through the page: the account waits again.
    let (status, html) = submit(
        &s,
        "/simulated-aws/cloudformation/stacks/delete",
        &[
            ("accountId", SECOND.to_owned()),
            ("stackName", "DoitCloudFlowConnectionRole".to_owned()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Stack deleted</h1>"));
    assert!(html.contains("href=\"../stacks\""));
    assert!(html.contains("href=\"../../console.css\""));
    assert_eq!(account(&read(&s, &path).await, 1), waiting(SECOND));
    let (status, html) = submit(
        &s,
        "/simulated-aws/cloudformation/stacks/delete",
        &[
            ("accountId", SECOND.to_owned()),
            ("stackName", "DoitCloudFlowConnectionRole".to_owned()),
        ],
    )
    .await;
    assert_eq!(status, 404);
    assert!(html.contains("does not exist"));
    let empty = s
        .http
        .get(s.url("/simulated-aws/cloudformation/stacks"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("html");
    assert!(empty.contains("No stacks."));
    // A form sent as something else is refused plainly.
    let r = s
        .http
        .post(s.url("/simulated-aws/cloudformation/stacks"))
        .json(&json!({}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 415);
    // Unknown paths under /simulated-aws are 404, wrong methods 405.
    let r = s
        .http
        .get(s.url("/simulated-aws/nothing"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 404);
    let r = s
        .http
        .delete(s.url("/simulated-aws/cloudformation/home"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn without_the_flag_there_is_no_simulated_aws_and_the_timer_rules() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("index.html"),
        "<!doctype html><title>x</title>",
    )
    .expect("write");
    let s = TestServer::start(|c| {
        c.activation_delay = 0.0;
        c.dist = Some(tmp.path().to_path_buf());
    })
    .await;
    for path in [
        "/simulated-aws/cloudformation/home?region=us-east-1",
        "/simulated-aws/cloudformation/stacks",
        "/simulated-aws/console.js",
        "/simulated-aws/api/stacks",
    ] {
        let r = s
            .http
            .get(s.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 404, "{path}: never the app's index.html");
    }
    let r = deploy(
        &s,
        &stack(FIRST, "DoitCloudFlowConnectionRole", ROLE, "x", DOIT),
    )
    .await;
    assert_eq!(r.status(), 404);
    let config: Value = s
        .http
        .get(s.url("/config.json"))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert!(config.get("awsConsoleUrl").is_none());
    // The timer: a new connection is active on the next read, the broken account fails.
    let created: Value = s
        .create(&request("Timer"), "t")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read(&s, &path_of(&created)).await["status"], "active");
    assert_eq!(
        read(&s, "/cloudflow/v1/connections/cfc_seed02").await["status"],
        "permissions_failed"
    );
}

/// A schema of one of the OpenAPI files.
struct Spec {
    components: Value,
}

impl Spec {
    fn load(name: &str) -> Spec {
        let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).expect("read the OpenAPI file");
        let spec: Value = serde_yaml::from_str(&text).expect("YAML");
        Spec {
            components: spec["components"].clone(),
        }
    }

    fn check(&self, name: &str, instance: &Value) {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": self.components,
        });
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{instance:#}");
    }
}

/// A random JSON value (strings that CloudFormation's checks care about among them).
fn random_value(rng: &mut fastrand::Rng, depth: u32) -> Value {
    match rng.u8(0..10) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!("x".repeat(rng.usize(0..5000))),
        4 => json!("<script>\u{0}\u{202e}田中'\"\\:/"),
        5 if depth < 3 => Value::Array(
            (0..rng.usize(0..4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        6 if depth < 3 => {
            let mut m = serde_json::Map::new();
            for k in ["RoleName", "ExternalId", "AllowedActions", "x"] {
                if rng.bool() {
                    m.insert(k.to_owned(), random_value(rng, depth + 1));
                }
            }
            Value::Object(m)
        }
        7 => json!(""),
        8 => json!(FIRST),
        _ => json!("s3:GetObject,arn:aws:iam::aws:policy/ReadOnlyAccess"),
    }
}

#[tokio::test]
async fn damaged_stacks_and_forms_are_refused_never_5xx() {
    let s = simulated(Dialect::Preview, 0.0).await;
    let mut rng = fastrand::Rng::with_seed(1414);
    let good = stack(FIRST, "DoitCloudFlowConnectionRole", ROLE, "ext", DOIT);
    for _ in 0..200 {
        let mut body = good.clone();
        let keys = [
            "accountId",
            "stackName",
            "region",
            "acknowledged",
            "templateURL",
            "parameters",
        ];
        let key = keys[rng.usize(0..keys.len())];
        if key == "parameters" && rng.bool() {
            let names = [
                "RoleName",
                "TrustedAccountId",
                "ExternalId",
                "ManagedPolicyArns",
                "AllowedActions",
            ];
            body["parameters"][names[rng.usize(0..names.len())]] = random_value(&mut rng, 0);
        } else {
            body[key] = random_value(&mut rng, 0);
        }
        let r = deploy(&s, &body).await;
        assert!(r.status().as_u16() < 500, "{body}");
        if r.status() == 201 {
            let _ = undeploy(&s, FIRST, body["stackName"].as_str().unwrap_or("")).await;
        }
        let fields: Vec<(String, String)> = [
            "accountId",
            "stackName",
            "region",
            "RoleName",
            "ExternalId",
            "acknowledged",
            "TrustedAccountId",
        ]
        .iter()
        .map(|k| {
            let v = random_value(&mut rng, 0);
            (
                k.to_string(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect();
        let r = s
            .http
            .post(s.url("/simulated-aws/cloudformation/stacks"))
            .form(&fields)
            .send()
            .await
            .expect("POST form");
        assert!(r.status().as_u16() < 500, "{fields:?}");
    }
    let r = s
        .http
        .post(s.url("/simulated-aws/cloudformation/stacks"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![0xff_u8, 0xfe, b'%', b'z', b'&', b'='])
        .send()
        .await
        .expect("POST bytes");
    assert_eq!(r.status(), 400);
    let r = s
        .http
        .delete(s.url("/simulated-aws/api/stacks/%ff%fe/x"))
        .send()
        .await
        .expect("DELETE");
    assert!(r.status().as_u16() < 500);
}
