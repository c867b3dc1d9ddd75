//! The SQLite database: schema migrations and the queries the handlers need.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

/// Why the database could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("the database {path} has schema version {found}, newer than this server ({supported}); use a newer cloudflow-devapi or another --db file")]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: everything the first version stores.
    "
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL);
    CREATE TABLE roles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        description TEXT NOT NULL,
        permissions TEXT NOT NULL
    );
    CREATE TABLE users (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        email TEXT NOT NULL,
        display_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        job_function TEXT NOT NULL,
        role_id TEXT NOT NULL REFERENCES roles(id),
        status TEXT NOT NULL CHECK (status IN ('active', 'invited')),
        create_ms INTEGER NOT NULL,
        UNIQUE (tenant_id, email COLLATE NOCASE)
    );
    CREATE TABLE tokens (token TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id));
    CREATE TABLE accounts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        broken_message TEXT,
        create_ms INTEGER NOT NULL,
        UNIQUE (tenant_id, account_id)
    );
    CREATE TABLE connections (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        request TEXT NOT NULL,
        external_id TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        version INTEGER NOT NULL,
        create_ms INTEGER NOT NULL,
        update_ms INTEGER NOT NULL,
        activate_ms INTEGER NOT NULL,
        flow_count INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        UNIQUE (tenant_id, name_key)
    );
    CREATE TABLE idempotency (
        tenant_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
        reply TEXT,
        create_ms INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, user_id, key)
    );
    CREATE INDEX idempotency_age ON idempotency (create_ms);
    ",
    // 2: a token may reach several tenants (one user row per tenant), as DoiT partner tokens do.
    "
    CREATE TABLE tokens_v2 (
        token TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id),
        PRIMARY KEY (token, user_id)
    );
    INSERT INTO tokens_v2 (token, user_id) SELECT token, user_id FROM tokens;
    DROP TABLE tokens;
    ALTER TABLE tokens_v2 RENAME TO tokens;
    ",
    // 3: the language a person reads the console in (the released document's `language`).
    "
    ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
        CHECK (language IN ('en', 'ja'));
    ",
    // 4: names are unique only in the pre-release dialect (checked by the handler under the
    // database lock); the released document allows two connections of one name.
    "
    CREATE TABLE connections_v4 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        request TEXT NOT NULL,
        external_id TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        version INTEGER NOT NULL,
        create_ms INTEGER NOT NULL,
        update_ms INTEGER NOT NULL,
        activate_ms INTEGER NOT NULL,
        flow_count INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL
    );
    INSERT INTO connections_v4 SELECT seq, id, tenant_id, name, name_key, request, external_id,
        enabled, version, create_ms, update_ms, activate_ms, flow_count, created_by
        FROM connections;
    DROP TABLE connections;
    ALTER TABLE connections_v4 RENAME TO connections;
    CREATE INDEX connections_name ON connections (tenant_id, name_key);
    ",
    // 5: a connection created with `enabled: false` is a draft until it is first enabled, and
    // its accounts' activation time is counted from that first enable (NULL until then).
    // Connections stored before behave as before: enabled at their creation.
    "
    CREATE TABLE connections_v5 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        request TEXT NOT NULL,
        external_id TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        version INTEGER NOT NULL,
        create_ms INTEGER NOT NULL,
        update_ms INTEGER NOT NULL,
        first_enabled_ms INTEGER NULL,
        activate_ms INTEGER NULL,
        flow_count INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        CHECK ((first_enabled_ms IS NULL) = (activate_ms IS NULL))
    );
    INSERT INTO connections_v5 SELECT seq, id, tenant_id, name, name_key, request, external_id,
        enabled, version, create_ms, update_ms, create_ms, activate_ms, flow_count, created_by
        FROM connections;
    DROP TABLE connections;
    ALTER TABLE connections_v5 RENAME TO connections;
    CREATE INDEX connections_name ON connections (tenant_id, name_key);
    ",
    // 6: the stacks of the simulated AWS (`--simulated-aws`): any 12-digit account, not tied to
    // a tenant. A role name is unique in an account ignoring case, as in IAM.
    "
    CREATE TABLE simulated_stacks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        stack_name TEXT NOT NULL,
        region TEXT NOT NULL,
        template_url TEXT,
        role_name TEXT NOT NULL,
        trusted_account_id TEXT NOT NULL,
        external_id TEXT NOT NULL,
        managed_policy_arns TEXT NOT NULL,
        allowed_actions TEXT NOT NULL,
        status TEXT NOT NULL,
        create_ms INTEGER NOT NULL,
        UNIQUE (account_id, stack_name),
        UNIQUE (account_id, role_name COLLATE NOCASE)
    );
    ",
];

/// The schema version this server writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating when missing) the database file and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection, DbError> {
    let shown = path.display().to_string();
    let mut conn = Connection::open(path).map_err(|source| DbError::Open {
        path: shown.clone(),
        source,
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&mut conn, &shown)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection, shown: &str) -> Result<(), DbError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            path: shown.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Reads a `meta` value.
pub fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// Writes a `meta` value.
pub fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The user a token belongs to, with their tenant and the permissions of their role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub email: String,
    pub tenant_id: String,
    pub domain: String,
    pub permissions: Vec<String>,
}

impl Principal {
    /// CloudFlow Owner or Editor: allowed to create and change connections.
    pub fn may_manage_cloudflow(&self) -> bool {
        self.permissions
            .iter()
            .any(|p| p == PERMISSION_CLOUDFLOW_OWNER || p == PERMISSION_CLOUDFLOW_EDITOR)
    }
}

/// Permission id of CloudFlow Owner (DoiT's pages also call it CloudFlow Manager).
pub const PERMISSION_CLOUDFLOW_OWNER: &str = "CloudFlowOwner";
/// Permission id of CloudFlow Editor.
pub const PERMISSION_CLOUDFLOW_EDITOR: &str = "CloudFlowEditor";

/// Every tenant the token reaches, as one principal per tenant (active users only).
pub fn principals_for_token(conn: &Connection, token: &str) -> rusqlite::Result<Vec<Principal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.email, u.tenant_id, t.domain, r.permissions
         FROM tokens k JOIN users u ON u.id = k.user_id
         JOIN tenants t ON t.id = u.tenant_id
         JOIN roles r ON r.id = u.role_id
         WHERE k.token = ?1 AND u.status = 'active'
         ORDER BY t.rowid",
    )?;
    let rows = stmt.query_map([token], |r| {
        let permissions: String = r.get(4)?;
        Ok(Principal {
            user_id: r.get(0)?,
            email: r.get(1)?,
            tenant_id: r.get(2)?,
            domain: r.get(3)?,
            permissions: serde_json::from_str(&permissions).unwrap_or_default(),
        })
    })?;
    rows.collect()
}

/// The principal of a token that reaches exactly one tenant.
pub fn principal_for_token(conn: &Connection, token: &str) -> rusqlite::Result<Option<Principal>> {
    let mut all = principals_for_token(conn, token)?;
    Ok(if all.len() == 1 { all.pop() } else { None })
}

/// A user as stored; `crate::dialect::user` writes it in either document's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub job_function: String,
    /// The released document's job title, one of its fixed values.
    pub job_title: String,
    pub language: String,
    pub role_id: String,
    pub status: String,
    pub organization_id: String,
    pub create_ms: i64,
}

/// The released document's job title for a stored job function.
pub fn job_title(job_function: &str) -> &'static str {
    match job_function {
        "Engineering / DevOps" => "Software / Ops Engineer",
        "Finance / Accounting" => "Finance / Accounting",
        "Management" => "Management",
        "Data" => "Data Engineer / Data Analysts",
        "Executive" => "Executive Team",
        _ => "Management",
    }
}

pub fn users(conn: &Connection, tenant: &str, email: Option<&str>) -> rusqlite::Result<Vec<User>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, email, display_name, first_name, last_name, job_function, role_id, status,
                tenant_id, create_ms, language
         FROM users WHERE tenant_id = ?1 AND (?2 IS NULL OR email = ?2 COLLATE NOCASE)
         ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![tenant, email], |r| {
        let job_function: String = r.get(5)?;
        Ok(User {
            id: r.get(0)?,
            email: r.get(1)?,
            display_name: r.get(2)?,
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            job_title: job_title(&job_function).to_owned(),
            job_function,
            role_id: r.get(6)?,
            status: r.get(7)?,
            organization_id: r.get(8)?,
            create_ms: r.get(9)?,
            language: r.get(10)?,
        })
    })?;
    rows.collect()
}

/// Emails (lowercased) of every user of a tenant.
pub fn user_emails(
    conn: &Connection,
    tenant: &str,
) -> rusqlite::Result<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT lower(email) FROM users WHERE tenant_id = ?1")?;
    let rows = stmt.query_map([tenant], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// A role as stored; `crate::dialect::role` writes it in either document's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub permissions: Vec<String>,
}

pub fn roles(conn: &Connection, tenant: &str) -> rusqlite::Result<Vec<Role>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, type, description, permissions FROM roles WHERE tenant_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([tenant], |r| {
        let permissions: String = r.get(4)?;
        Ok(Role {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            description: r.get(3)?,
            permissions: serde_json::from_str(&permissions).unwrap_or_default(),
        })
    })?;
    rows.collect()
}

/// An AWS account of the tenant (a billing asset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub seq: i64,
    pub account_id: String,
    pub name: String,
    pub broken_message: Option<String>,
    pub create_ms: i64,
}

/// Accounts after `after_seq` (exclusive), in creation order, at most `limit`.
pub fn accounts_page(
    conn: &Connection,
    tenant: &str,
    after_seq: i64,
    limit: i64,
) -> rusqlite::Result<Vec<Account>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, account_id, name, broken_message, create_ms FROM accounts
         WHERE tenant_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![tenant, after_seq, limit], account_row)?;
    rows.collect()
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        seq: r.get(0)?,
        account_id: r.get(1)?,
        name: r.get(2)?,
        broken_message: r.get(3)?,
        create_ms: r.get(4)?,
    })
}

pub fn account_count(conn: &Connection, tenant: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM accounts WHERE tenant_id = ?1",
        [tenant],
        |r| r.get(0),
    )
}

/// The failure message of every broken account of a tenant, by account id.
pub fn broken_accounts(
    conn: &Connection,
    tenant: &str,
) -> rusqlite::Result<std::collections::HashMap<String, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, broken_message FROM accounts
         WHERE tenant_id = ?1 AND broken_message IS NOT NULL",
    )?;
    let rows = stmt.query_map([tenant], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// A stored connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRow {
    pub seq: i64,
    pub id: String,
    pub tenant_id: String,
    pub name: String,
    pub request: String,
    pub external_id: String,
    pub enabled: bool,
    pub version: i64,
    pub create_ms: i64,
    pub update_ms: i64,
    /// When it was first enabled; `None` = never: a draft.
    pub first_enabled_ms: Option<i64>,
    /// When its accounts become active in timer mode (first enable + `--activation-delay`);
    /// `None` while it is a draft.
    pub activate_ms: Option<i64>,
    pub flow_count: i64,
    /// The user id of whoever created it.
    pub created_by: String,
}

impl ConnectionRow {
    /// Never enabled yet (created with `enabled: false` and not enabled since).
    pub fn is_draft(&self) -> bool {
        self.first_enabled_ms.is_none()
    }
}

const CONNECTION_COLUMNS: &str = "seq, id, tenant_id, name, request, external_id, enabled, version,
     create_ms, update_ms, first_enabled_ms, activate_ms, flow_count, created_by";

fn connection_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConnectionRow> {
    Ok(ConnectionRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        tenant_id: r.get(2)?,
        name: r.get(3)?,
        request: r.get(4)?,
        external_id: r.get(5)?,
        enabled: r.get(6)?,
        version: r.get(7)?,
        create_ms: r.get(8)?,
        update_ms: r.get(9)?,
        first_enabled_ms: r.get(10)?,
        activate_ms: r.get(11)?,
        flow_count: r.get(12)?,
        created_by: r.get(13)?,
    })
}

/// The email of a user of the tenant, by id.
pub fn user_email(
    conn: &Connection,
    tenant: &str,
    user_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT email FROM users WHERE tenant_id = ?1 AND id = ?2",
        params![tenant, user_id],
        |r| r.get(0),
    )
    .optional()
}

/// Connections before `before_seq` (exclusive), newest first, at most `limit`.
pub fn connections_page(
    conn: &Connection,
    tenant: &str,
    before_seq: i64,
    limit: i64,
) -> rusqlite::Result<Vec<ConnectionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONNECTION_COLUMNS} FROM connections
         WHERE tenant_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![tenant, before_seq, limit], connection_row)?;
    rows.collect()
}

pub fn connection_count(conn: &Connection, tenant: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM connections WHERE tenant_id = ?1",
        [tenant],
        |r| r.get(0),
    )
}

pub fn connection(
    conn: &Connection,
    tenant: &str,
    id: &str,
) -> rusqlite::Result<Option<ConnectionRow>> {
    conn.query_row(
        &format!("SELECT {CONNECTION_COLUMNS} FROM connections WHERE tenant_id = ?1 AND id = ?2"),
        params![tenant, id],
        connection_row,
    )
    .optional()
}

/// Whether a connection id exists in any tenant (ids are global).
pub fn connection_id_taken(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT 1 FROM connections WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
}

/// The id of the tenant's connection with this name (case-insensitive), other than `except_id`.
pub fn connection_named(
    conn: &Connection,
    tenant: &str,
    name_key: &str,
    except_id: Option<&str>,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT id, name FROM connections WHERE tenant_id = ?1 AND name_key = ?2
         AND (?3 IS NULL OR id <> ?3)",
        params![tenant, name_key, except_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// A connection to insert.
#[derive(Debug, Clone)]
pub struct NewConnection<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub name: &'a str,
    pub request: &'a str,
    pub external_id: &'a str,
    pub enabled: bool,
    pub create_ms: i64,
    /// `None` for a draft (created disabled); see [`ConnectionRow::first_enabled_ms`].
    pub first_enabled_ms: Option<i64>,
    /// `None` for a draft; see [`ConnectionRow::activate_ms`].
    pub activate_ms: Option<i64>,
    pub flow_count: i64,
    pub created_by: &'a str,
}

pub fn insert_connection(conn: &Connection, c: &NewConnection<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO connections (id, tenant_id, name, name_key, request, external_id, enabled,
             version, create_ms, update_ms, first_enabled_ms, activate_ms, flow_count, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, ?9, ?10, ?11, ?12)",
        params![
            c.id,
            c.tenant_id,
            c.name,
            name_key(c.name),
            c.request,
            c.external_id,
            c.enabled,
            c.create_ms,
            c.first_enabled_ms,
            c.activate_ms,
            c.flow_count,
            c.created_by
        ],
    )?;
    Ok(())
}

/// What a PATCH writes.
#[derive(Debug, Clone)]
pub struct ConnectionUpdate<'a> {
    pub name: &'a str,
    pub request: &'a str,
    pub enabled: bool,
    pub now_ms: i64,
    /// Kept as stored once set; set (with `activate_ms`) by the first enable.
    pub first_enabled_ms: Option<i64>,
    pub activate_ms: Option<i64>,
}

/// Writes a changed connection, bumping its version.
pub fn update_connection(
    conn: &Connection,
    row: &ConnectionRow,
    u: &ConnectionUpdate<'_>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE connections SET name = ?1, name_key = ?2, request = ?3, enabled = ?4,
             version = version + 1, update_ms = ?5, first_enabled_ms = ?6, activate_ms = ?7
         WHERE seq = ?8 AND version = ?9",
        params![
            u.name,
            name_key(u.name),
            u.request,
            u.enabled,
            u.now_ms,
            u.first_enabled_ms,
            u.activate_ms,
            row.seq,
            row.version
        ],
    )?;
    Ok(())
}

pub fn delete_connection(conn: &Connection, seq: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM connections WHERE seq = ?1", [seq])?;
    Ok(())
}

/// The stacks of the simulated AWS, oldest first; only those of `account_id` when given.
pub fn simulated_stacks(
    conn: &Connection,
    account_id: Option<&str>,
) -> rusqlite::Result<Vec<crate::simulated_aws::Stack>> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, stack_name, region, template_url, role_name, trusted_account_id,
                external_id, managed_policy_arns, allowed_actions, status, create_ms
         FROM simulated_stacks WHERE ?1 IS NULL OR account_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([account_id], |r| {
        let policies: String = r.get(7)?;
        let actions: String = r.get(8)?;
        Ok(crate::simulated_aws::Stack {
            account_id: r.get(0)?,
            stack_name: r.get(1)?,
            region: r.get(2)?,
            template_url: r.get(3)?,
            role_name: r.get(4)?,
            trusted_account_id: r.get(5)?,
            external_id: r.get(6)?,
            managed_policy_arns: serde_json::from_str(&policies).unwrap_or_default(),
            allowed_actions: serde_json::from_str(&actions).unwrap_or_default(),
            status: r.get(9)?,
            create_ms: r.get(10)?,
        })
    })?;
    rows.collect()
}

pub fn insert_simulated_stack(
    conn: &Connection,
    s: &crate::simulated_aws::Stack,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO simulated_stacks (account_id, stack_name, region, template_url, role_name,
             trusted_account_id, external_id, managed_policy_arns, allowed_actions, status,
             create_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            s.account_id,
            s.stack_name,
            s.region,
            s.template_url,
            s.role_name,
            s.trusted_account_id,
            s.external_id,
            serde_json::Value::from(s.managed_policy_arns.clone()).to_string(),
            serde_json::Value::from(s.allowed_actions.clone()).to_string(),
            s.status,
            s.create_ms
        ],
    )?;
    Ok(())
}

/// Deletes a stack (and so its role); false when there was none.
pub fn delete_simulated_stack(
    conn: &Connection,
    account_id: &str,
    stack_name: &str,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "DELETE FROM simulated_stacks WHERE account_id = ?1 AND stack_name = ?2",
        params![account_id, stack_name],
    )?;
    Ok(n > 0)
}

/// The case-insensitive key under which connection names must be unique.
pub fn name_key(name: &str) -> String {
    cloudflow_core::tenant::name_key(name)
}

/// A stored idempotency record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub fingerprint: String,
    pub in_progress: bool,
    pub reply: Option<String>,
    pub create_ms: i64,
}

pub fn idempotency_get(
    conn: &Connection,
    tenant: &str,
    user: &str,
    key: &str,
) -> rusqlite::Result<Option<IdempotencyRecord>> {
    conn.query_row(
        "SELECT fingerprint, state, reply, create_ms FROM idempotency
         WHERE tenant_id = ?1 AND user_id = ?2 AND key = ?3",
        params![tenant, user, key],
        |r| {
            let state: String = r.get(1)?;
            Ok(IdempotencyRecord {
                fingerprint: r.get(0)?,
                in_progress: state == "in_progress",
                reply: r.get(2)?,
                create_ms: r.get(3)?,
            })
        },
    )
    .optional()
}

/// Records that a request with this key has started (replacing an expired record).
pub fn idempotency_claim(
    conn: &Connection,
    tenant: &str,
    user: &str,
    key: &str,
    fingerprint: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO idempotency (tenant_id, user_id, key, fingerprint, state, reply, create_ms)
         VALUES (?1, ?2, ?3, ?4, 'in_progress', NULL, ?5)",
        params![tenant, user, key, fingerprint, now_ms],
    )?;
    Ok(())
}

pub fn idempotency_complete(
    conn: &Connection,
    tenant: &str,
    user: &str,
    key: &str,
    reply: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE idempotency SET state = 'done', reply = ?4
         WHERE tenant_id = ?1 AND user_id = ?2 AND key = ?3",
        params![tenant, user, key, reply],
    )?;
    Ok(())
}

pub fn idempotency_release(
    conn: &Connection,
    tenant: &str,
    user: &str,
    key: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM idempotency WHERE tenant_id = ?1 AND user_id = ?2 AND key = ?3",
        params![tenant, user, key],
    )?;
    Ok(())
}

/// Drops records older than `oldest_ms`, and (at start-up) claims whose request died with the
/// previous process.
pub fn idempotency_purge(
    conn: &Connection,
    oldest_ms: i64,
    in_progress_too: bool,
) -> rusqlite::Result<usize> {
    let mut n = conn.execute("DELETE FROM idempotency WHERE create_ms < ?1", [oldest_ms])?;
    if in_progress_too {
        n += conn.execute("DELETE FROM idempotency WHERE state = 'in_progress'", [])?;
    }
    Ok(n)
}

pub fn tenant_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM tenants", [], |r| r.get(0))
}

/// The first tenant (the one /config.json names).
pub fn first_tenant(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT id FROM tenants ORDER BY rowid LIMIT 1", [], |r| {
        r.get(0)
    })
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_old_database_and_keeps_its_data() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch(MIGRATIONS[0]).expect("v1 schema");
            conn.pragma_update(None, "user_version", 1)
                .expect("version");
            conn.execute_batch(
                "INSERT INTO tenants VALUES ('t', 'T', 'example.com');
                 INSERT INTO roles (id, tenant_id, name, type, description, permissions)
                     VALUES ('r', 't', 'Admin', 'preset', '', '[\"CloudFlowOwner\"]');
                 INSERT INTO users (id, tenant_id, email, display_name, first_name, last_name,
                     job_function, role_id, status, create_ms)
                     VALUES ('u', 't', 'a@example.com', 'A', 'A', 'B', '', 'r', 'active', 0);
                 INSERT INTO tokens VALUES ('tok', 'u');",
            )
            .expect("v1 data");
        }
        let conn = open(&path).expect("migrate");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, SCHEMA_VERSION);
        let p = principal_for_token(&conn, "tok")
            .expect("query")
            .expect("kept");
        assert!(p.may_manage_cloudflow());
        // Opening again changes nothing.
        drop(conn);
        assert!(open(&path).is_ok());
    }

    #[test]
    fn connections_stored_before_drafts_count_as_enabled_at_creation() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("v4.db");
        {
            let conn = Connection::open(&path).expect("open");
            for sql in &MIGRATIONS[..4] {
                conn.execute_batch(sql).expect("old schema");
            }
            conn.pragma_update(None, "user_version", 4)
                .expect("version");
            conn.execute_batch(
                "INSERT INTO tenants VALUES ('t', 'T', 'example.com');
                 INSERT INTO connections (id, tenant_id, name, name_key, request, external_id,
                     enabled, version, create_ms, update_ms, activate_ms, created_by)
                     VALUES ('c1', 't', 'On', 'on', '{}', 'x1', 1, 1, 1000, 1000, 21000, 'u'),
                            ('c2', 't', 'Off', 'off', '{}', 'x2', 0, 1, 2000, 2000, 22000, 'u');",
            )
            .expect("v4 data");
        }
        let conn = open(&path).expect("migrate");
        let on = connection(&conn, "t", "c1").expect("query").expect("kept");
        assert_eq!(on.first_enabled_ms, Some(1000));
        assert_eq!(on.activate_ms, Some(21000));
        let off = connection(&conn, "t", "c2").expect("query").expect("kept");
        assert!(
            !off.is_draft(),
            "disabled before drafts existed: stays disabled"
        );
        assert_eq!(off.activate_ms, Some(22000));
    }

    #[test]
    fn refuses_a_database_from_a_newer_server() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("new.db");
        {
            let conn = Connection::open(&path).expect("open");
            conn.pragma_update(None, "user_version", 99)
                .expect("version");
        }
        let e = open(&path).expect_err("too new");
        assert!(matches!(e, DbError::TooNew { found: 99, .. }));
        assert!(e.to_string().contains("schema version 99"));
    }
}
