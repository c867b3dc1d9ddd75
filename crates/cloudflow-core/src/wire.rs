//! DoiT's API answers as both published documents shape them (`shared/design/doit-api.md`):
//! the **released** one (`connectionId`, `createdAt`, `{"error": ...}` bodies, assets'
//! `createTime` in milliseconds) and the **pre-release** one (`id`, `createTime`, `etag`,
//! problem+json). One set of types serves the browser (which reads) and the local API (which
//! writes either shape).
//!
//! Readers are tolerant: every field is optional or defaults, a field of the wrong type reads as
//! its default, unknown fields are ignored, and one unreadable item never fails a whole list.
//! The id and times are read under either name, through accessors ([`Connection::id`],
//! [`Connection::created`]).

use std::fmt;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Permissions;
use crate::types::CollaboratorRole;

/// Reading from parsed JSON, leniently: a missing field, a `null` or a value of the wrong type
/// reads as empty, and a list keeps the items it can read. Hand-written rather than derived:
/// serde's derived visitors for these types cost the browser app ~20 KB (brotli) more.
pub trait FromJson: Sized {
    fn from_json(v: &Value) -> Self;
}

/// `Deserialize` through [`FromJson`]: any JSON value reads, never an error.
macro_rules! deserialize_from_json {
    ($($t:ident),* $(,)?) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Value::deserialize(d).map(|v| $t::from_json(&v))
            }
        }
    )*};
}

fn text(v: &Value, key: &str) -> String {
    opt_text(v, key).unwrap_or_default()
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn opt_bool(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

fn opt_i64(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

/// The strings of a list (other items left out).
fn texts(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The objects of a list, read (other items left out).
fn objects<T: FromJson>(v: &Value, key: &str) -> Vec<T> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|i| i.is_object())
                .map(T::from_json)
                .collect()
        })
        .unwrap_or_default()
}

fn object<T: FromJson>(v: &Value, key: &str) -> Option<T> {
    v.get(key).filter(|o| o.is_object()).map(T::from_json)
}

/// The status of a connection, or of one account of it. The released document types it as a
/// free string: a value this client does not know reads as [`Status::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Saved, not yet finished in the wizard.
    Draft,
    /// Waiting until CloudFlow can assume the role.
    PendingPermissions,
    /// CloudFlow tried and cannot assume the role.
    PermissionsFailed,
    Active,
    Inactive,
    CloudDeleted,
    Disabled,
    #[default]
    Unknown,
}

impl Status {
    /// The API spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::PendingPermissions => "pending_permissions",
            Status::PermissionsFailed => "permissions_failed",
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::CloudDeleted => "cloud_deleted",
            Status::Disabled => "disabled",
            Status::Unknown => "unknown",
        }
    }
}

impl Status {
    /// Reads the API spelling; anything else is [`Status::Unknown`].
    pub fn parse(s: &str) -> Status {
        [
            Status::Draft,
            Status::PendingPermissions,
            Status::PermissionsFailed,
            Status::Active,
            Status::Inactive,
            Status::CloudDeleted,
            Status::Disabled,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
        .unwrap_or(Status::Unknown)
    }

    fn from_field(v: &Value, key: &str) -> Status {
        v.get(key)
            .and_then(Value::as_str)
            .map_or(Status::Unknown, Status::parse)
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|v| v.as_str().map_or(Status::Unknown, Status::parse))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A time as either document writes it: RFC 3339 text, or milliseconds since the epoch (the
/// released document's assets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Timestamp {
    Millis(i64),
    Text(String),
}

impl Timestamp {
    fn from_field(v: &Value, key: &str) -> Option<Timestamp> {
        match v.get(key)? {
            Value::String(t) => Some(Timestamp::Text(t.clone())),
            n => n.as_i64().map(Timestamp::Millis),
        }
    }

    /// The UTC calendar date, `2026-12-01`.
    pub fn date(&self) -> Option<String> {
        match self {
            Timestamp::Millis(ms) => {
                let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
                Some(format!("{y:04}-{m:02}-{d:02}"))
            }
            Timestamp::Text(t) => {
                let date = t.get(..10)?;
                let b = date.as_bytes();
                let shape = b.iter().enumerate().all(|(i, c)| match i {
                    4 | 7 => *c == b'-',
                    _ => c.is_ascii_digit(),
                });
                shape.then(|| date.to_owned())
            }
        }
    }

    /// RFC 3339 text (UTC, milliseconds) for a `<time datetime>`; text is kept as sent.
    pub fn rfc3339(&self) -> String {
        match self {
            Timestamp::Text(t) => t.clone(),
            Timestamp::Millis(ms) => {
                let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
                let of_day = ms.rem_euclid(86_400_000);
                let (h, rest) = (of_day / 3_600_000, of_day % 3_600_000);
                let (min, rest) = (rest / 60_000, rest % 60_000);
                let (s, milli) = (rest / 1000, rest % 1000);
                format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
            }
        }
    }
}

/// Year, month, day of a count of days since 1970-01-01 (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// One account of a connection and its server-owned status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountState {
    pub account_id: String,
    pub regions: Vec<String>,
    pub status: Status,
    /// Why, in the server's words (the pre-release document; the released one has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
}

/// `awsConfig` of a connection as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsConfigView {
    pub role_name: String,
    pub context: Vec<AccountState>,
    pub permissions: Permissions,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_root_id: Option<String>,
    pub scope_targeted_organizational_unit_ids: Vec<String>,
    pub scope_explicit_account_ids: Vec<String>,
    pub scope_excluded_account_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_management_account_explicit_in_scope: Option<bool>,
    /// Where some servers put the external ID (none of DoiT's documents has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl AwsConfigView {
    /// True when the connection targets an AWS Organization (root or OUs).
    pub fn is_organisation_scope(&self) -> bool {
        self.organization_root_id
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty())
            || !self.scope_targeted_organizational_unit_ids.is_empty()
    }
}

/// A person with access to a connection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub email: String,
    /// `None` when the server sent a level this client does not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<CollaboratorRole>,
}

/// A CloudFlow connection as either document returns it. Read the id and times through
/// [`Connection::id`], [`Connection::created`] and [`Connection::updated`]; the local API
/// fills the fields of the document it speaks and leaves the others `None` (not written).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// The released document's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The pre-release document's id (`null` in a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_config: Option<AwsConfigView>,
    pub collaborators: Vec<Member>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_synced_time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The local API's extension (neither document carries the external ID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl Connection {
    /// The connection's id under either name (`connectionId` first); `None` for a dry run.
    pub fn id(&self) -> Option<&str> {
        self.connection_id
            .as_deref()
            .or(self.id.as_deref())
            .filter(|id| !id.is_empty())
    }

    pub fn created(&self) -> Option<&Timestamp> {
        self.created_at.as_ref().or(self.create_time.as_ref())
    }

    pub fn updated(&self) -> Option<&Timestamp> {
        self.updated_at.as_ref().or(self.update_time.as_ref())
    }

    /// Whether the connection is enabled; a server that omits the flag is read from the status.
    pub fn is_enabled(&self) -> bool {
        self.enabled.unwrap_or(self.status != Status::Disabled)
    }

    /// The external ID, wherever the server put it.
    pub fn external_id(&self) -> Option<&str> {
        self.external_id
            .as_deref()
            .or_else(|| self.aws_config.as_ref()?.external_id.as_deref())
            .filter(|e| !e.is_empty())
    }

    pub fn role_name(&self) -> &str {
        self.aws_config
            .as_ref()
            .map_or("", |a| a.role_name.as_str())
    }

    pub fn accounts(&self) -> &[AccountState] {
        self.aws_config
            .as_ref()
            .map_or(&[], |a| a.context.as_slice())
    }
}

/// One `details[]` entry of a problem: what is wrong, and where in the request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FieldIssue {
    pub issue: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error body in either shape: the released `{"error": "..."}` (and the 409 of DELETE,
/// `{type, title, status, code}`), or an RFC 9457 problem.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemDetails {
    /// The released document's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldIssue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
}

impl ProblemDetails {
    /// What a person reads: the problem's detail, else the released `error`, else the title.
    pub fn message(&self) -> Option<&str> {
        [&self.detail, &self.error, &self.title]
            .into_iter()
            .filter_map(|s| s.as_deref())
            .map(str::trim)
            .find(|s| !s.is_empty())
    }

    /// The code without a namespace (`cloudflow.duplicate_name` is `duplicate_name`).
    pub fn code(&self) -> &str {
        let code = self.code.as_deref().unwrap_or("");
        code.rsplit('.').next().unwrap_or(code)
    }

    /// The `details[]` that name a field, as `(field, issue)`.
    pub fn field_issues(&self) -> impl Iterator<Item = (&str, &str)> {
        self.details
            .iter()
            .filter_map(|d| Some((d.field.as_deref()?, d.issue.as_str())))
    }

    /// Every `details[]` issue, for the error area when a field cannot be shown.
    pub fn issues(&self) -> impl Iterator<Item = &str> {
        self.details
            .iter()
            .map(|d| d.issue.as_str())
            .filter(|i| !i.is_empty())
    }
}

/// `GET /auth/v1/validate`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Validate {
    pub email: String,
    pub domain: String,
}

/// A user of the organisation (`GET /iam/v1/users`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    /// The released document's job title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    /// The pre-release document's job function.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_function: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_extension: Option<String>,
    /// `en` or `ja` (the released document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub role_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// `active` or `invited`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
}

/// `GET /iam/v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserList {
    pub users: Vec<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_count: Option<i64>,
}

/// A DoiT role and the permission ids it holds (`GET /iam/v1/roles`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: String,
    pub name: String,
    /// `preset` or `custom`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The pre-release document only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<String>,
}

/// `GET /iam/v1/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RoleList {
    pub roles: Vec<Role>,
}

/// A billing asset; for AWS, an account (`GET /billing/v1/assets`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
    /// The local pre-release server's extension; DoiT's documents have no account-id field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// The last run of exactly 12 ASCII digits in `s` (not part of a longer run of digits).
fn twelve_digits(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 {
        if !b[end - 1].is_ascii_digit() {
            end -= 1;
            continue;
        }
        let mut start = end;
        while start > 0 && b[start - 1].is_ascii_digit() {
            start -= 1;
        }
        if end - start == 12 {
            return Some(&s[start..end]);
        }
        end = start;
    }
    None
}

impl Asset {
    /// The 12-digit AWS account id: an explicit `accountId`, else the 12 digits inside `id`,
    /// else inside `name` (neither document fixes the format of an asset's id); else the id.
    pub fn aws_account_id(&self) -> &str {
        self.account_id
            .as_deref()
            .and_then(twelve_digits)
            .or_else(|| twelve_digits(&self.id))
            .or_else(|| twelve_digits(&self.name))
            .unwrap_or(&self.id)
    }

    /// The account's name for people.
    pub fn label(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|d| !d.is_empty())
            .unwrap_or(&self.name)
    }
}

/// One page of a collection: `items` (or `assets`), the next page's token (`null` at the end)
/// and `rowCount` (always `null` for connections in the released document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page_token: Option<String>,
    pub row_count: Option<i64>,
}

impl FromJson for AccountState {
    fn from_json(v: &Value) -> Self {
        AccountState {
            account_id: text(v, "accountId"),
            regions: texts(v, "regions"),
            status: Status::from_field(v, "status"),
            status_message: opt_text(v, "statusMessage"),
        }
    }
}

impl FromJson for AwsConfigView {
    fn from_json(v: &Value) -> Self {
        let permissions = v.get("permissions").unwrap_or(&Value::Null);
        AwsConfigView {
            role_name: text(v, "roleName"),
            context: objects(v, "context"),
            permissions: Permissions {
                aws_managed_policies: texts(permissions, "awsManagedPolicies"),
                actions: texts(permissions, "actions"),
            },
            management_account: opt_text(v, "managementAccount"),
            organization_root_id: opt_text(v, "organizationRootId"),
            scope_targeted_organizational_unit_ids: texts(v, "scopeTargetedOrganizationalUnitIds"),
            scope_explicit_account_ids: texts(v, "scopeExplicitAccountIds"),
            scope_excluded_account_ids: texts(v, "scopeExcludedAccountIds"),
            scope_management_account_explicit_in_scope: opt_bool(
                v,
                "scopeManagementAccountExplicitInScope",
            ),
            external_id: opt_text(v, "externalId"),
        }
    }
}

impl FromJson for Member {
    fn from_json(v: &Value) -> Self {
        Member {
            email: text(v, "email"),
            role: v
                .get("role")
                .and_then(Value::as_str)
                .and_then(|r| r.parse().ok()),
        }
    }
}

impl FromJson for Connection {
    fn from_json(v: &Value) -> Self {
        Connection {
            connection_id: opt_text(v, "connectionId"),
            id: opt_text(v, "id"),
            name: text(v, "name"),
            description: opt_text(v, "description"),
            cloud_provider: opt_text(v, "cloudProvider"),
            status: Status::from_field(v, "status"),
            status_message: opt_text(v, "statusMessage"),
            enabled: opt_bool(v, "enabled"),
            aws_config: object(v, "awsConfig"),
            collaborators: objects(v, "collaborators"),
            created_at: Timestamp::from_field(v, "createdAt"),
            updated_at: Timestamp::from_field(v, "updatedAt"),
            create_time: Timestamp::from_field(v, "createTime"),
            update_time: Timestamp::from_field(v, "updateTime"),
            last_synced_time: Timestamp::from_field(v, "lastSyncedTime"),
            etag: opt_text(v, "etag"),
            external_id: opt_text(v, "externalId"),
        }
    }
}

impl FromJson for FieldIssue {
    fn from_json(v: &Value) -> Self {
        FieldIssue {
            issue: text(v, "issue"),
            field: opt_text(v, "field"),
        }
    }
}

impl FromJson for ProblemDetails {
    fn from_json(v: &Value) -> Self {
        ProblemDetails {
            error: opt_text(v, "error"),
            kind: opt_text(v, "type"),
            title: opt_text(v, "title"),
            status: opt_i64(v, "status").and_then(|s| u16::try_from(s).ok()),
            detail: opt_text(v, "detail"),
            instance: opt_text(v, "instance"),
            code: opt_text(v, "code"),
            retryable: opt_bool(v, "retryable"),
            details: objects(v, "details"),
            docs_url: opt_text(v, "docsUrl"),
        }
    }
}

impl FromJson for Validate {
    fn from_json(v: &Value) -> Self {
        Validate {
            email: text(v, "email"),
            domain: text(v, "domain"),
        }
    }
}

impl FromJson for User {
    fn from_json(v: &Value) -> Self {
        User {
            id: text(v, "id"),
            email: text(v, "email"),
            display_name: text(v, "displayName"),
            first_name: text(v, "firstName"),
            last_name: text(v, "lastName"),
            job_title: opt_text(v, "jobTitle"),
            job_function: opt_text(v, "jobFunction"),
            phone: opt_text(v, "phone"),
            phone_extension: opt_text(v, "phoneExtension"),
            language: opt_text(v, "language"),
            role_id: text(v, "roleId"),
            organization_id: opt_text(v, "organizationId"),
            status: text(v, "status"),
            create_time: Timestamp::from_field(v, "createTime"),
        }
    }
}

impl FromJson for UserList {
    fn from_json(v: &Value) -> Self {
        UserList {
            users: objects(v, "users"),
            row_count: opt_i64(v, "rowCount"),
        }
    }
}

impl FromJson for Role {
    fn from_json(v: &Value) -> Self {
        Role {
            id: text(v, "id"),
            name: text(v, "name"),
            kind: text(v, "type"),
            customer: opt_text(v, "customer"),
            description: opt_text(v, "description"),
            permissions: texts(v, "permissions"),
        }
    }
}

impl FromJson for RoleList {
    fn from_json(v: &Value) -> Self {
        RoleList {
            roles: objects(v, "roles"),
        }
    }
}

impl FromJson for Asset {
    fn from_json(v: &Value) -> Self {
        Asset {
            id: text(v, "id"),
            name: text(v, "name"),
            kind: text(v, "type"),
            url: opt_text(v, "url"),
            quantity: opt_i64(v, "quantity"),
            create_time: Timestamp::from_field(v, "createTime"),
            account_id: opt_text(v, "accountId"),
            display_name: opt_text(v, "displayName"),
        }
    }
}

impl<T: FromJson> Page<T> {
    /// Reads a page of any item type.
    pub fn read(v: &Value) -> Self {
        let key = if v.get("items").is_some() {
            "items"
        } else {
            "assets"
        };
        Page {
            items: objects(v, key),
            page_token: opt_text(v, "pageToken"),
            row_count: opt_i64(v, "rowCount"),
        }
    }
}

impl<'de, T: FromJson> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|v| Page::read(&v))
    }
}

deserialize_from_json!(
    AccountState,
    AwsConfigView,
    Member,
    Connection,
    FieldIssue,
    ProblemDetails,
    Validate,
    User,
    UserList,
    Role,
    RoleList,
    Asset,
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_released_connection_reads_with_its_names() {
        let c: Connection = serde_json::from_value(json!({
            "connectionId": "c-1", "name": "Prod", "status": "pending_permissions", "enabled": true,
            "createdAt": "2026-08-01T10:00:00Z", "updatedAt": "2026-08-02T10:00:00Z",
            "awsConfig": {"roleName": "R", "context": [{"accountId": "000000000001", "regions": [], "status": "active",
                "nextStackOperation": "update"}], "permissions": {"awsManagedPolicies": [], "actions": ["s3:GetObject"]},
                "stackSet": {"x": 1}},
            "collaborators": [{"email": "a@example.com", "role": "owner"}]
        }))
        .unwrap();
        assert_eq!(c.id(), Some("c-1"));
        assert_eq!(c.status, Status::PendingPermissions);
        assert_eq!(
            c.created().and_then(Timestamp::date).as_deref(),
            Some("2026-08-01")
        );
        assert_eq!(c.accounts()[0].status, Status::Active);
        assert_eq!(c.collaborators[0].role, Some(CollaboratorRole::Owner));
        assert!(c.is_enabled());
        assert_eq!(c.external_id(), None);
    }

    #[test]
    fn a_pre_release_connection_reads_with_its_names() {
        let c: Connection = serde_json::from_value(json!({
            "id": "cfc_1", "name": "Prod", "status": "active", "statusMessage": null, "enabled": false,
            "createTime": "2026-06-01T10:00:00.000Z", "etag": "\"1-ab\"", "externalId": "doit-x",
            "cloudProvider": "AWS", "lastSyncedTime": null
        }))
        .unwrap();
        assert_eq!(c.id(), Some("cfc_1"));
        assert_eq!(c.etag.as_deref(), Some("\"1-ab\""));
        assert_eq!(c.external_id(), Some("doit-x"));
        assert!(!c.is_enabled());
        assert_eq!(
            c.created().and_then(Timestamp::date).as_deref(),
            Some("2026-06-01")
        );
    }

    #[test]
    fn unknown_wrong_and_missing_fields_never_fail() {
        let c: Connection = serde_json::from_value(json!({
            "connectionId": 42, "name": null, "status": "being_rebuilt", "enabled": "yes",
            "awsConfig": {"context": [{"accountId": "000000000001"}, "garbage", {"status": 7}]},
            "collaborators": [{"email": "a@example.com", "role": "admin"}, 3],
            "createdAt": {"seconds": 1}, "whatever": [1, 2]
        }))
        .unwrap();
        assert_eq!(c.id(), None);
        assert_eq!(c.name, "");
        assert_eq!(c.status, Status::Unknown);
        assert_eq!(c.enabled, None);
        assert_eq!(c.accounts().len(), 2, "the unreadable entry is left out");
        assert_eq!(c.accounts()[1].status, Status::Unknown);
        assert_eq!(c.collaborators.len(), 1);
        assert_eq!(c.collaborators[0].role, None);
        assert_eq!(c.created(), None);
        assert_eq!(
            serde_json::from_value::<Connection>(json!({})).unwrap(),
            Connection::default()
        );
    }

    #[test]
    fn a_page_keeps_the_items_it_can_read() {
        let p: Page<Connection> = serde_json::from_value(json!({
            "items": [{"connectionId": "a", "name": "A"}, "not an object", {"id": "b"}],
            "pageToken": null, "rowCount": null
        }))
        .unwrap();
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[1].id(), Some("b"));
        assert_eq!(p.page_token, None);
        let assets: Page<Asset> = serde_json::from_value(json!({
            "assets": [{"id": "amazon-web-services-000123456789", "name": "payments-prod", "type": "amazon-web-services",
                "createTime": 1796111292123_i64, "quantity": 1}],
            "pageToken": "next"
        }))
        .unwrap();
        assert_eq!(assets.items[0].aws_account_id(), "000123456789");
        assert_eq!(assets.page_token.as_deref(), Some("next"));
        assert_eq!(
            assets.items[0]
                .create_time
                .as_ref()
                .map(Timestamp::rfc3339)
                .as_deref(),
            Some("2026-12-01T07:48:12.123Z")
        );
    }

    #[test]
    fn account_ids_are_found_wherever_the_asset_keeps_them() {
        let a = |id: &str, name: &str, account: Option<&str>| Asset {
            id: id.into(),
            name: name.into(),
            account_id: account.map(str::to_owned),
            ..Asset::default()
        };
        assert_eq!(
            a("x", "y", Some("012345678901")).aws_account_id(),
            "012345678901"
        );
        assert_eq!(
            a("aws/012345678901", "y", None).aws_account_id(),
            "012345678901"
        );
        assert_eq!(
            a("opaque", "prod (012345678901)", None).aws_account_id(),
            "012345678901"
        );
        assert_eq!(
            a("a-1234567890123", "n", None).aws_account_id(),
            "a-1234567890123"
        );
        assert_eq!(
            twelve_digits("000000000001-000000000002"),
            Some("000000000002")
        );
    }

    #[test]
    fn both_error_bodies_give_a_message_and_a_code() {
        let released: ProblemDetails =
            serde_json::from_value(json!({"error": "name is required"})).unwrap();
        assert_eq!(released.message(), Some("name is required"));
        assert_eq!(released.code(), "");
        let conflict: ProblemDetails = serde_json::from_value(json!({
            "type": "about:blank", "title": "Conflict", "status": 409, "code": "delete_blocked_by_dependencies"
        }))
        .unwrap();
        assert_eq!(conflict.message(), Some("Conflict"));
        assert_eq!(conflict.code(), "delete_blocked_by_dependencies");
        let problem: ProblemDetails = serde_json::from_value(json!({
            "type": "https://developer.doit.com/errors/duplicate_name", "title": "Duplicate", "status": 409,
            "detail": "a connection named \"x\" exists", "instance": "https://api.doit.com/requests/req_1",
            "code": "cloudflow.duplicate_name", "retryable": false,
            "details": [{"issue": "is used", "field": "name"}, {"issue": "see the docs"}]
        }))
        .unwrap();
        assert_eq!(problem.code(), "duplicate_name");
        assert_eq!(problem.message(), Some("a connection named \"x\" exists"));
        assert_eq!(
            problem.field_issues().collect::<Vec<_>>(),
            [("name", "is used")]
        );
        assert_eq!(problem.issues().count(), 2);
    }

    #[test]
    fn users_roles_and_statuses() {
        let u: UserList = serde_json::from_value(json!({"users": [
            {"id": "u1", "email": "a@example.com", "language": "ja", "jobTitle": "Founder", "status": "invited"}
        ], "rowCount": 1}))
        .unwrap();
        assert_eq!(u.users[0].language.as_deref(), Some("ja"));
        let r: RoleList = serde_json::from_value(
            json!({"roles": [{"id": "r", "type": "preset", "permissions": ["X"]}]}),
        )
        .unwrap();
        assert_eq!(r.roles[0].kind, "preset");
        for s in [
            Status::Draft,
            Status::PendingPermissions,
            Status::PermissionsFailed,
            Status::Active,
            Status::Inactive,
            Status::CloudDeleted,
            Status::Disabled,
        ] {
            let text = serde_json::to_string(&s).unwrap();
            assert_eq!(text, format!("\"{}\"", s.as_str()));
            assert_eq!(serde_json::from_str::<Status>(&text).unwrap(), s);
        }
    }

    #[test]
    fn dates_from_milliseconds_and_text() {
        assert_eq!(Timestamp::Millis(0).date().as_deref(), Some("1970-01-01"));
        assert_eq!(Timestamp::Millis(-1).date().as_deref(), Some("1969-12-31"));
        assert_eq!(
            Timestamp::Millis(951_782_400_000).date().as_deref(),
            Some("2000-02-29")
        );
        assert_eq!(
            Timestamp::Text("2026-12-06T01:02:03Z".into())
                .date()
                .as_deref(),
            Some("2026-12-06")
        );
        assert_eq!(Timestamp::Text("yesterday".into()).date(), None);
    }
}
