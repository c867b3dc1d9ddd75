//! The two shapes of DoiT's API (`--dialect released|preview`): which document the request
//! being handled is answered in, and how a connection, an asset, a user and a role are written
//! in each. Handlers build the core's wire types; this module decides which of their fields
//! exist.

use cloudflow_core::wire::{self, Timestamp};
use serde_json::{Map, Value};

pub use crate::config::Dialect;

tokio::task_local! {
    /// The dialect of the request being handled, set by the request-id middleware.
    pub static DIALECT: Dialect;
}

/// The dialect of the request being handled (preview outside a request, e.g. in unit tests).
pub fn current() -> Dialect {
    DIALECT.try_with(|d| *d).unwrap_or_default()
}

/// Keys of a pre-release connection that are always present, `null` when empty.
const PREVIEW_CONNECTION_NULLABLE: [&str; 5] = [
    "description",
    "statusMessage",
    "lastSyncedTime",
    "id",
    "externalId",
];

/// Everything the server knows about a connection, in neither shape yet.
#[derive(Debug, Clone)]
pub struct ConnectionFacts {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub status: wire::Status,
    pub status_message: Option<String>,
    pub enabled: bool,
    pub aws_config: wire::AwsConfigView,
    pub collaborators: Vec<wire::Member>,
    pub external_id: Option<String>,
    pub create_ms: Option<i64>,
    pub update_ms: Option<i64>,
    pub synced_ms: Option<i64>,
    pub etag: Option<String>,
}

fn text_time(ms: Option<i64>) -> Option<Timestamp> {
    ms.map(|ms| Timestamp::Text(crate::time::rfc3339(ms)))
}

/// A connection as the dialect's document writes it.
pub fn connection(dialect: Dialect, facts: ConnectionFacts) -> Value {
    let mut aws = facts.aws_config;
    aws.external_id = None;
    let c = match dialect {
        Dialect::Released => {
            for account in &mut aws.context {
                account.status_message = None;
            }
            wire::Connection {
                connection_id: facts.id,
                name: facts.name,
                description: facts.description,
                status: facts.status,
                enabled: Some(facts.enabled),
                aws_config: Some(aws),
                collaborators: facts.collaborators,
                created_at: text_time(facts.create_ms),
                updated_at: text_time(facts.update_ms),
                ..wire::Connection::default()
            }
        }
        Dialect::Preview => wire::Connection {
            id: facts.id,
            name: facts.name,
            description: facts.description,
            cloud_provider: Some("AWS".into()),
            status: facts.status,
            status_message: facts.status_message,
            enabled: Some(facts.enabled),
            aws_config: Some(aws),
            collaborators: facts.collaborators,
            create_time: text_time(facts.create_ms),
            update_time: text_time(facts.update_ms),
            last_synced_time: text_time(facts.synced_ms),
            etag: facts.etag,
            external_id: facts.external_id,
            ..wire::Connection::default()
        },
    };
    let mut value = serde_json::to_value(&c).unwrap_or(Value::Null);
    if dialect == Dialect::Preview {
        if let Some(o) = value.as_object_mut() {
            fill_nulls(o, &PREVIEW_CONNECTION_NULLABLE);
            // A dry run has no times and no version yet: they are written as null.
            fill_nulls(o, &["createTime", "updateTime", "etag"]);
            if let Some(context) = o
                .get_mut("awsConfig")
                .and_then(|a| a.get_mut("context"))
                .and_then(Value::as_array_mut)
            {
                for entry in context.iter_mut().filter_map(Value::as_object_mut) {
                    fill_nulls(entry, &["statusMessage"]);
                }
            }
        }
    }
    value
}

fn fill_nulls(o: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        o.entry(*key).or_insert(Value::Null);
    }
}

/// An AWS account as a billing asset: the released document has no account-id field and
/// writes `createTime` in milliseconds; the pre-release server adds `accountId` and
/// `displayName` and writes RFC 3339.
pub fn asset(
    dialect: Dialect,
    tenant: &str,
    account_id: &str,
    name: &str,
    create_ms: i64,
) -> Value {
    const TYPE: &str = "amazon-web-services";
    let id = format!("{TYPE}-{account_id}");
    let url = format!("https://console.doit.com/customers/{tenant}/assets/{TYPE}/{id}");
    let asset = match dialect {
        Dialect::Released => wire::Asset {
            id,
            name: name.to_owned(),
            kind: TYPE.into(),
            url: Some(url),
            quantity: Some(1),
            create_time: Some(Timestamp::Millis(create_ms)),
            ..wire::Asset::default()
        },
        Dialect::Preview => wire::Asset {
            id,
            name: name.to_owned(),
            kind: TYPE.into(),
            url: Some(url),
            create_time: text_time(Some(create_ms)),
            account_id: Some(account_id.to_owned()),
            display_name: Some(name.to_owned()),
            ..wire::Asset::default()
        },
    };
    serde_json::to_value(asset).unwrap_or(Value::Null)
}

/// A user: the released document's `jobTitle`, `language` and no creation time; the
/// pre-release server's `jobFunction` and `createTime` (and `language` too).
pub fn user(dialect: Dialect, u: &crate::db::User) -> Value {
    let mut user = wire::User {
        id: u.id.clone(),
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        language: Some(u.language.clone()),
        role_id: u.role_id.clone(),
        organization_id: Some(u.organization_id.clone()),
        status: u.status.clone(),
        ..wire::User::default()
    };
    match dialect {
        Dialect::Released => user.job_title = Some(u.job_title.clone()),
        Dialect::Preview => {
            user.job_function = Some(u.job_function.clone());
            user.create_time = text_time(Some(u.create_ms));
        }
    }
    serde_json::to_value(user).unwrap_or(Value::Null)
}

/// A role: the released document has `customer` and no `description`.
pub fn role(dialect: Dialect, tenant: &str, r: &crate::db::Role) -> Value {
    let mut role = wire::Role {
        id: r.id.clone(),
        name: r.name.clone(),
        kind: r.kind.clone(),
        permissions: r.permissions.clone(),
        ..wire::Role::default()
    };
    match dialect {
        Dialect::Released => role.customer = Some(tenant.to_owned()),
        Dialect::Preview => role.description = Some(r.description.clone()),
    }
    serde_json::to_value(role).unwrap_or(Value::Null)
}
