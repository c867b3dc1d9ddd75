//! The data sets a new database starts with (`--seed demo|large`).

use rusqlite::{params, Connection, Transaction};
use serde_json::json;

use crate::config::SeedKind;
use crate::db::{self, PERMISSION_CLOUDFLOW_EDITOR, PERMISSION_CLOUDFLOW_OWNER};

/// The tenant of both seeds.
pub const TENANT_ID: &str = "acme-example";
/// The AWS accounts of the demo seed: (id, name, broken message).
pub const DEMO_ACCOUNTS: &[(&str, &str, Option<&str>)] = &[
    ("012345678901", "acme-management", None),
    ("000123456789", "payments-prod", None),
    ("000987654321", "payments-staging", None),
    ("004455667788", "data-lake-prod", None),
    ("123456789012", "web-frontend-prod", None),
    ("234567890123", "web-frontend-dev", None),
    ("345678901234", "ml-training", None),
    ("456789012345", "security-audit", None),
    ("567890123456", "shared-networking", None),
    ("678901234567", "logs-archive", None),
    ("789012345678", "sandbox-eu", None),
    (
        "210987654321",
        "legacy-sandbox",
        Some("not authorized to perform sts:AssumeRole: the role does not exist in this account, or its trust policy does not allow DoiT's account 068664126052 with this connection's external ID"),
    ),
];

/// A seeded user: (id, email, display name, first, last, job function, role id, status, token).
type SeedUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

/// The users of the demo seed. The owner, editor and viewer tokens belong to the first three.
pub const DEMO_USERS: &[SeedUser] = &[
    (
        "usr_01owner",
        "priya.natarajan@example.com",
        "Priya Natarajan",
        "Priya",
        "Natarajan",
        "Engineering / DevOps",
        "role_admin",
        "active",
        Some("dev-owner-token"),
    ),
    (
        "usr_02editor",
        "marcus.webb@example.com",
        "Marcus Webb",
        "Marcus",
        "Webb",
        "Engineering / DevOps",
        "role_cloudflow_editor",
        "active",
        Some("dev-editor-token"),
    ),
    (
        "usr_03viewer",
        "lena.fischer@example.com",
        "Lena Fischer",
        "Lena",
        "Fischer",
        "Finance / Accounting",
        "role_analyst",
        "active",
        Some("dev-viewer-token"),
    ),
    (
        "usr_04sean",
        "sean.obrien@example.com",
        "Seán O'Brien",
        "Seán",
        "O'Brien",
        "Engineering / DevOps",
        "role_standard",
        "active",
        None,
    ),
    (
        "usr_05qa",
        "qa.tester@example.com",
        "<img src=x onerror=window.__xss=1>",
        "Quinn",
        "<b>Tester</b>",
        "Other",
        "role_standard",
        "active",
        None,
    ),
    (
        "usr_06yuki",
        "yuki.tanaka@example.com",
        "田中 由紀",
        "由紀",
        "田中",
        "Management",
        "role_standard",
        "invited",
        None,
    ),
    (
        "usr_07newhire",
        "new.hire@example.com",
        "",
        "",
        "",
        "Other",
        "role_standard",
        "invited",
        None,
    ),
    (
        "usr_08ops",
        "platform-automation@example.com",
        "Platform Automation",
        "Platform",
        "Automation",
        "Engineering / DevOps",
        "role_admin",
        "active",
        None,
    ),
    (
        "usr_09kenji",
        "kenji.sato@example.com",
        "佐藤 健二",
        "健二",
        "佐藤",
        "Engineering / DevOps",
        "role_cloudflow_editor",
        "active",
        Some("dev-ja-token"),
    ),
];

/// Users of the demo seed whose console language is Japanese.
pub const JAPANESE_SPEAKERS: &[&str] = &["usr_06yuki", "usr_09kenji"];

/// Fills an empty database. Does nothing when a tenant exists already; returns whether it seeded.
pub fn seed_if_empty(conn: &mut Connection, kind: SeedKind, now_ms: i64) -> rusqlite::Result<bool> {
    if db::tenant_count(conn)? > 0 {
        return Ok(false);
    }
    let tx = conn.transaction()?;
    demo(&tx, now_ms)?;
    partner_tenants(&tx, now_ms)?;
    if kind == SeedKind::Large {
        large(&tx, now_ms)?;
    }
    db::meta_set(&tx, "seed", kind.as_str())?;
    tx.commit()?;
    Ok(true)
}

fn demo(tx: &Transaction<'_>, now_ms: i64) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO tenants (id, name, domain) VALUES (?1, 'Acme Example Ltd', 'example.com')",
        [TENANT_ID],
    )?;
    let roles: &[(&str, &str, &str, &str, &[&str])] = &[
        (
            "role_admin",
            "Admin",
            "preset",
            "Full access to everything, including CloudFlow",
            &[
                "BillingProfilesAdmin",
                "CloudAnalytics",
                "Dashboards",
                "Anomalies",
                "AssetsManager",
                "Users",
                "Settings",
                "SupportRequester",
                PERMISSION_CLOUDFLOW_OWNER,
            ],
        ),
        (
            "role_cloudflow_editor",
            "CloudFlow Editor",
            "custom",
            "Builds CloudFlow flows and connections",
            &["CloudAnalytics", "Dashboards", PERMISSION_CLOUDFLOW_EDITOR],
        ),
        (
            "role_analyst",
            "Analyst",
            "preset",
            "Reads reports; no CloudFlow access",
            &["CloudAnalytics", "Dashboards", "Anomalies"],
        ),
        (
            "role_standard",
            "Standard User",
            "preset",
            "Everyday console use; no CloudFlow access",
            &[
                "CloudAnalytics",
                "Dashboards",
                "Anomalies",
                "SupportRequester",
            ],
        ),
    ];
    for (id, name, kind, description, permissions) in roles {
        tx.execute(
            "INSERT INTO roles (id, tenant_id, name, type, description, permissions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                TENANT_ID,
                name,
                kind,
                description,
                json!(permissions).to_string()
            ],
        )?;
    }
    for (i, u) in DEMO_USERS.iter().enumerate() {
        insert_user(tx, u, now_ms - 86_400_000 * (30 - i as i64))?;
    }
    // People who read the console in Japanese.
    for id in JAPANESE_SPEAKERS {
        tx.execute("UPDATE users SET language = 'ja' WHERE id = ?1", [id])?;
    }
    for (i, (id, name, broken)) in DEMO_ACCOUNTS.iter().enumerate() {
        tx.execute(
            "INSERT INTO accounts (tenant_id, account_id, name, broken_message, create_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                TENANT_ID,
                id,
                name,
                broken,
                now_ms - 86_400_000 * (400 - i as i64)
            ],
        )?;
    }
    let connections = [
        (
            json!({
                "name": "Production read-only",
                "description": "Read-only access for cost and inventory flows",
                "awsConfig": {
                    "roleName": "DoitCloudFlowReadOnly",
                    "context": [
                        {"accountId": "000123456789", "regions": ["eu-west-1", "us-east-1"]},
                        {"accountId": "004455667788", "regions": []}
                    ],
                    "permissions": {
                        "awsManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                        "actions": ["s3:GetObject"]
                    }
                },
                "collaborators": [
                    {"email": "priya.natarajan@example.com", "role": "owner"},
                    {"email": "marcus.webb@example.com", "role": "editor"}
                ],
                "enabled": true
            }),
            2,
        ),
        (
            json!({
                "name": "Legacy sandbox",
                "awsConfig": {
                    "roleName": "CloudFlowLegacy",
                    "context": [
                        {"accountId": "210987654321", "regions": ["us-east-1"]},
                        {"accountId": "789012345678", "regions": ["eu-central-1"]}
                    ],
                    "permissions": {"awsManagedPolicies": [], "actions": ["ec2:DescribeInstances", "ec2:StopInstances"]}
                },
                // Marcus (CloudFlow Editor) may use it, not change it.
                "collaborators": [
                    {"email": "priya.natarajan@example.com", "role": "owner"},
                    {"email": "marcus.webb@example.com", "role": "user"}
                ],
                "enabled": true
            }),
            0,
        ),
        (
            json!({
                "name": "Nightly dev clean-up",
                "description": "Stops idle development instances at night",
                "awsConfig": {
                    "roleName": "DoitCloudFlowCleanup",
                    "context": [{"accountId": "234567890123", "regions": ["eu-west-1"]}],
                    "permissions": {"awsManagedPolicies": [], "actions": ["ec2:Describe*", "ec2:StopInstances"]}
                },
                "collaborators": [
                    {"email": "marcus.webb@example.com", "role": "owner"},
                    {"email": "sean.obrien@example.com", "role": "user"}
                ],
                "enabled": false
            }),
            0,
        ),
        (
            json!({
                "name": "Acme organisation",
                "description": "Every account of the organisation through a StackSet",
                "awsConfig": {
                    "roleName": "DoitCloudFlowOrg",
                    "context": [{"accountId": "012345678901", "regions": []}],
                    "permissions": {"awsManagedPolicies": ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"], "actions": []},
                    "managementAccount": "012345678901",
                    "organizationRootId": "r-ab12",
                    "scopeTargetedOrganizationalUnitIds": ["ou-ab12-11111111"],
                    "scopeExplicitAccountIds": [],
                    "scopeExcludedAccountIds": [],
                    "scopeManagementAccountExplicitInScope": true
                },
                "collaborators": [{"email": "priya.natarajan@example.com", "role": "owner"}],
                "enabled": true
            }),
            1,
        ),
    ];
    for (i, (request, flows)) in connections.iter().enumerate() {
        let name = request["name"].as_str().unwrap_or_default();
        let created = now_ms - 86_400_000 * (20 - 5 * i as i64);
        let id = format!("cfc_seed{:02}", i + 1);
        let external_id = format!("doit-cf-seed-external-id-{:02}", i + 1);
        db::insert_connection(
            tx,
            &db::NewConnection {
                id: &id,
                tenant_id: TENANT_ID,
                name,
                request: &request.to_string(),
                external_id: &external_id,
                enabled: request["enabled"].as_bool().unwrap_or(true),
                create_ms: created,
                // Seeded connections were enabled when created (the disabled one since).
                first_enabled_ms: Some(created),
                activate_ms: Some(created + 20_000),
                flow_count: *flows,
                created_by: "usr_01owner",
            },
        )?;
    }
    Ok(())
}

/// The token of a consultant who works for two other tenants (not the demo one): without
/// `X-Tenant-Id` it gets `400 tenant_id_required`.
pub const PARTNER_TOKEN: &str = "dev-partner-token";
/// The tenants the partner token reaches.
pub const PARTNER_TENANTS: [&str; 2] = ["globex-example", "initech-example"];

fn partner_tenants(tx: &Transaction<'_>, now_ms: i64) -> rusqlite::Result<()> {
    let tenants = [
        (
            PARTNER_TENANTS[0],
            "Globex Example GmbH",
            "globex.example.com",
            [
                ("111122223333", "globex-prod"),
                ("044455556666", "globex-dev"),
            ],
        ),
        (
            PARTNER_TENANTS[1],
            "Initech Example Inc.",
            "initech.example.com",
            [
                ("777788889999", "initech-main"),
                ("000011112222", "initech-lab"),
            ],
        ),
    ];
    for (tenant, name, domain, accounts) in tenants {
        tx.execute(
            "INSERT INTO tenants (id, name, domain) VALUES (?1, ?2, ?3)",
            params![tenant, name, domain],
        )?;
        let role = format!("{tenant}_role_admin");
        tx.execute(
            "INSERT INTO roles (id, tenant_id, name, type, description, permissions)
             VALUES (?1, ?2, 'Admin', 'preset', 'Full access to everything, including CloudFlow', ?3)",
            params![role, tenant, json!(["CloudAnalytics", "Users", PERMISSION_CLOUDFLOW_OWNER]).to_string()],
        )?;
        let user = format!("{tenant}_usr_partner");
        tx.execute(
            "INSERT INTO users (id, tenant_id, email, display_name, first_name, last_name, job_function,
                 role_id, status, create_ms)
             VALUES (?1, ?2, 'dana.consultant@partner.example.com', 'Dana Consultant', 'Dana',
                 'Consultant', 'Engineering / DevOps', ?3, 'active', ?4)",
            params![user, tenant, role, now_ms],
        )?;
        tx.execute(
            "INSERT INTO tokens (token, user_id) VALUES (?1, ?2)",
            params![PARTNER_TOKEN, user],
        )?;
        for (i, (id, account_name)) in accounts.iter().enumerate() {
            tx.execute(
                "INSERT INTO accounts (tenant_id, account_id, name, broken_message, create_ms)
                 VALUES (?1, ?2, ?3, NULL, ?4)",
                params![
                    tenant,
                    id,
                    account_name,
                    now_ms - 86_400_000 * (10 - i as i64)
                ],
            )?;
        }
    }
    Ok(())
}

fn insert_user(tx: &Transaction<'_>, u: &SeedUser, create_ms: i64) -> rusqlite::Result<()> {
    let (id, email, display, first, last, job, role, status, token) = *u;
    tx.execute(
        "INSERT INTO users (id, tenant_id, email, display_name, first_name, last_name, job_function,
             role_id, status, create_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![id, TENANT_ID, email, display, first, last, job, role, status, create_ms],
    )?;
    if let Some(token) = token {
        tx.execute(
            "INSERT INTO tokens (token, user_id) VALUES (?1, ?2)",
            params![token, id],
        )?;
    }
    Ok(())
}

/// Accounts and users in the large seed, including the demo ones.
pub const LARGE_ACCOUNTS: usize = 10_000;
pub const LARGE_USERS: usize = 2_000;

fn large(tx: &Transaction<'_>, now_ms: i64) -> rusqlite::Result<()> {
    const TEAMS: &[&str] = &[
        "payments",
        "search",
        "checkout",
        "identity",
        "analytics",
        "mobile",
        "platform",
        "ml",
        "growth",
        "billing",
        "support",
        "media",
        "edge",
        "risk",
        "catalog",
        "ledger",
    ];
    const ENVS: &[&str] = &["prod", "staging", "dev", "sandbox", "qa"];
    let mut taken: std::collections::HashSet<String> =
        DEMO_ACCOUNTS.iter().map(|a| a.0.to_owned()).collect();
    let mut stmt = tx.prepare(
        "INSERT INTO accounts (tenant_id, account_id, name, broken_message, create_ms)
         VALUES (?1, ?2, ?3, NULL, ?4)",
    )?;
    let mut state: u64 = 0x5eed_cafe_f00d_d00d;
    let mut n = DEMO_ACCOUNTS.len();
    while n < LARGE_ACCOUNTS {
        // xorshift64*: a fixed, well-spread sequence; about one id in ten has leading zeros.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let value = state.wrapping_mul(0x2545_f491_4f6c_dd1d) % 1_000_000_000_000;
        let id = format!("{value:012}");
        if !taken.insert(id.clone()) {
            continue;
        }
        let name = format!(
            "{}-{}-{:04}",
            TEAMS[n % TEAMS.len()],
            ENVS[(n / TEAMS.len()) % ENVS.len()],
            n
        );
        stmt.execute(params![TENANT_ID, id, name, now_ms - (n as i64) * 60_000])?;
        n += 1;
    }
    drop(stmt);
    const FIRST: &[&str] = &[
        "Alex", "Sam", "Noor", "Mateo", "Aiko", "Chidi", "Ingrid", "Ravi", "Zofia", "Omar",
        "Lucía", "Jonas", "Mei", "Tariq", "Elena", "Kwame",
    ];
    const LAST: &[&str] = &[
        "Smith",
        "García",
        "Okafor",
        "Kowalski",
        "Nguyen",
        "Haddad",
        "Johansson",
        "Patel",
        "Rossi",
        "Müller",
        "Kim",
        "Silva",
        "Dubois",
        "Ivanova",
    ];
    const ROLES: &[&str] = &[
        "role_standard",
        "role_analyst",
        "role_cloudflow_editor",
        "role_standard",
    ];
    let mut stmt = tx.prepare(
        "INSERT INTO users (id, tenant_id, email, display_name, first_name, last_name, job_function,
             role_id, status, create_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'Engineering / DevOps', ?7, ?8, ?9)",
    )?;
    for i in DEMO_USERS.len()..LARGE_USERS {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / FIRST.len()) % LAST.len()];
        let email = format!(
            "{}.{}{i}@example.com",
            ascii_fold(first).to_lowercase(),
            ascii_fold(last).to_lowercase()
        );
        let status = if i % 10 == 3 { "invited" } else { "active" };
        stmt.execute(params![
            format!("usr_{i:05}"),
            TENANT_ID,
            email,
            format!("{first} {last}"),
            first,
            last,
            ROLES[i % ROLES.len()],
            status,
            now_ms - (i as i64) * 3_600_000
        ])?;
    }
    Ok(())
}

/// Drops accents for email local parts (`García` -> `Garcia`).
fn ascii_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' => 'e',
            'í' => 'i',
            'ó' | 'ö' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(kind: SeedKind) -> Connection {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut conn = db::open(&dir.path().join("t.db")).expect("open");
        assert!(seed_if_empty(&mut conn, kind, 1_796_111_292_123).expect("seed"));
        assert!(!seed_if_empty(&mut conn, kind, 1_796_111_292_123).expect("seed again"));
        conn
    }

    #[test]
    fn demo_seed_has_named_accounts_with_leading_zeros_and_the_token_users() {
        let conn = fresh(SeedKind::Demo);
        assert_eq!(db::account_count(&conn, TENANT_ID).expect("count"), 12);
        let page = db::accounts_page(&conn, TENANT_ID, 0, 100).expect("page");
        assert!(page.iter().any(|a| a.account_id.starts_with("000")));
        assert_eq!(
            page.iter().filter(|a| a.broken_message.is_some()).count(),
            1
        );
        let owner = db::principal_for_token(&conn, "dev-owner-token")
            .expect("q")
            .expect("owner");
        assert!(owner.may_manage_cloudflow());
        let editor = db::principal_for_token(&conn, "dev-editor-token")
            .expect("q")
            .expect("editor");
        assert!(editor.may_manage_cloudflow());
        let viewer = db::principal_for_token(&conn, "dev-viewer-token")
            .expect("q")
            .expect("viewer");
        assert!(!viewer.may_manage_cloudflow());
        let users = db::users(&conn, TENANT_ID, None).expect("users");
        assert_eq!(users.len(), 9);
        assert!(users.iter().any(|u| u.status == "invited"));
        let kenji = db::principal_for_token(&conn, "dev-ja-token")
            .expect("q")
            .expect("a Japanese-speaking editor");
        assert!(kenji.may_manage_cloudflow());
        let japanese: Vec<&str> = users
            .iter()
            .filter(|u| u.language == "ja")
            .map(|u| u.display_name.as_str())
            .collect();
        assert_eq!(japanese, ["田中 由紀", "佐藤 健二"]);
        assert!(users.iter().any(|u| u.display_name.contains("onerror")));
        assert_eq!(db::connection_count(&conn, TENANT_ID).expect("count"), 4);
        let partner = db::principals_for_token(&conn, PARTNER_TOKEN).expect("partner");
        let tenants: Vec<&str> = partner.iter().map(|p| p.tenant_id.as_str()).collect();
        assert_eq!(tenants, PARTNER_TENANTS);
        assert!(db::principal_for_token(&conn, PARTNER_TOKEN)
            .expect("q")
            .is_none());
        assert_eq!(
            db::first_tenant(&conn).expect("q").as_deref(),
            Some(TENANT_ID)
        );
    }

    #[test]
    fn seeded_connections_pass_the_core_validation() {
        let conn = fresh(SeedKind::Demo);
        let rows = db::connections_page(&conn, TENANT_ID, i64::MAX, 100).expect("rows");
        assert_eq!(rows.len(), 4);
        for row in rows {
            let req: cloudflow_core::CreateConnectionRequest =
                serde_json::from_str(&row.request).expect("stored request parses");
            let report = cloudflow_core::validate(&req, None);
            assert!(!report.has_errors(), "{}: {:?}", row.name, report.problems);
        }
    }

    #[test]
    fn large_seed_has_ten_thousand_unique_accounts_and_two_thousand_users() {
        let conn = fresh(SeedKind::Large);
        assert_eq!(
            db::account_count(&conn, TENANT_ID).expect("count"),
            LARGE_ACCOUNTS as i64
        );
        assert_eq!(
            db::users(&conn, TENANT_ID, None).expect("users").len(),
            LARGE_USERS
        );
        let ids: std::collections::HashSet<String> = db::accounts_page(&conn, TENANT_ID, 0, 20_000)
            .expect("page")
            .into_iter()
            .map(|a| a.account_id)
            .collect();
        assert_eq!(ids.len(), LARGE_ACCOUNTS);
        assert!(ids
            .iter()
            .all(|i| i.len() == 12 && i.bytes().all(|b| b.is_ascii_digit())));
    }
}
