//! How a connection looks when read: per-account and overall status computed from timestamps,
//! so that activation survives restarts without a background task.

use std::collections::HashMap;

use cloudflow_core::CreateConnectionRequest;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::db::ConnectionRow;
use crate::time::rfc3339;

/// The status of one account of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub status: &'static str,
    pub message: Option<String>,
}

/// The moment a connection is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// The answer to the create request itself: nothing has been tried yet.
    JustCreated,
    /// A later read at this time (ms since the epoch).
    At(i64),
}

/// The states of the request's accounts, in `awsConfig.context` order.
pub fn account_states(
    req: &CreateConnectionRequest,
    activate_ms: i64,
    broken: &HashMap<String, String>,
    moment: Moment,
) -> Vec<AccountState> {
    let Some(aws) = &req.aws_config else {
        return Vec::new();
    };
    let management = aws.management_account.as_deref().map(str::trim);
    let due = matches!(moment, Moment::At(now) if now >= activate_ms);
    aws.context
        .iter()
        .map(|c| {
            if management == Some(c.account_id.trim()) {
                return AccountState {
                    status: "active",
                    message: None,
                };
            }
            if !due {
                return AccountState {
                    status: "pending_permissions",
                    message: Some(format!(
                        "waiting for the role {} to be deployed and assumable",
                        aws.role_name
                    )),
                };
            }
            match broken.get(&c.account_id) {
                Some(why) => AccountState {
                    status: "permissions_failed",
                    message: Some(format!(
                        "CloudFlow could not assume arn:aws:iam::{}:role/{}: {why}",
                        c.account_id, aws.role_name
                    )),
                },
                None => AccountState {
                    status: "active",
                    message: None,
                },
            }
        })
        .collect()
}

/// The overall status and message from the account states.
pub fn connection_status(
    enabled: bool,
    accounts: &[AccountState],
) -> (&'static str, Option<String>) {
    if !enabled {
        return ("disabled", Some("the connection is disabled".to_owned()));
    }
    let failed = accounts
        .iter()
        .filter(|a| a.status == "permissions_failed")
        .count();
    let pending = accounts
        .iter()
        .filter(|a| a.status == "pending_permissions")
        .count();
    if failed > 0 {
        (
            "permissions_failed",
            Some(format!(
                "CloudFlow could not assume the role in {failed} of {} accounts",
                accounts.len()
            )),
        )
    } else if pending > 0 {
        (
            "pending_permissions",
            Some(format!(
                "waiting for the role in {pending} of {} accounts",
                accounts.len()
            )),
        )
    } else {
        ("active", None)
    }
}

/// The ETag of a stored version (the header value, quotes included).
pub fn etag(row: &ConnectionRow) -> String {
    let digest = Sha256::digest(format!("{}:{}:{}", row.id, row.version, row.update_ms));
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("\"{}-{hex}\"", row.version)
}

/// The JSON the API returns for a stored connection.
pub fn view(
    row: &ConnectionRow,
    req: &CreateConnectionRequest,
    broken: &HashMap<String, String>,
    moment: Moment,
) -> Value {
    let accounts = account_states(req, row.activate_ms, broken, moment);
    let (status, message) = connection_status(row.enabled, &accounts);
    let synced = match moment {
        Moment::At(now) if now >= row.activate_ms => Some(rfc3339(row.activate_ms)),
        _ => None,
    };
    let mut out = body(req, &accounts, row.enabled);
    let o = &mut out;
    o.insert("id".into(), json!(row.id));
    o.insert("name".into(), json!(row.name));
    o.insert("status".into(), json!(status));
    o.insert("statusMessage".into(), json!(message));
    o.insert("externalId".into(), json!(row.external_id));
    o.insert("createTime".into(), json!(rfc3339(row.create_ms)));
    o.insert("updateTime".into(), json!(rfc3339(row.update_ms)));
    o.insert("lastSyncedTime".into(), json!(synced));
    o.insert("etag".into(), json!(etag(row)));
    Value::Object(out)
}

/// The JSON of a dry run: what would be stored, with every generated field `null` and status
/// `draft`.
pub fn dry_run_view(req: &CreateConnectionRequest) -> Value {
    let accounts: Vec<AccountState> = req
        .aws_config
        .as_ref()
        .map(|a| {
            a.context
                .iter()
                .map(|_| AccountState {
                    status: "draft",
                    message: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let enabled = req.enabled.unwrap_or(true);
    let mut out = body(req, &accounts, enabled);
    for key in [
        "id",
        "statusMessage",
        "externalId",
        "createTime",
        "updateTime",
        "lastSyncedTime",
        "etag",
    ] {
        out.insert(key.into(), Value::Null);
    }
    out.insert("name".into(), json!(req.name.trim()));
    out.insert("status".into(), json!("draft"));
    Value::Object(out)
}

fn body(
    req: &CreateConnectionRequest,
    accounts: &[AccountState],
    enabled: bool,
) -> Map<String, Value> {
    let mut aws = req
        .aws_config
        .as_ref()
        .and_then(|a| serde_json::to_value(a).ok())
        .unwrap_or(Value::Null);
    if let Some(context) = aws.get_mut("context").and_then(Value::as_array_mut) {
        for (entry, state) in context.iter_mut().zip(accounts) {
            if let Some(entry) = entry.as_object_mut() {
                entry.insert("status".into(), json!(state.status));
                entry.insert("statusMessage".into(), json!(state.message));
            }
        }
    }
    let mut out = Map::new();
    out.insert("name".into(), json!(req.name));
    out.insert("description".into(), json!(req.description));
    out.insert("cloudProvider".into(), json!("AWS"));
    out.insert("enabled".into(), json!(enabled));
    out.insert("awsConfig".into(), aws);
    out.insert(
        "collaborators".into(),
        serde_json::to_value(&req.collaborators).unwrap_or(Value::Array(Vec::new())),
    );
    out
}

/// A new external ID: 48 characters of `A-Za-z0-9` and `-`, allowed both by AWS
/// (`A-Za-z0-9+=,.@:/-`, 2-1,224 chars) and by DoiT's template (`A-Za-z0-9+=,.@_-`).
pub fn new_external_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let random: String = (0..32)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect();
    format!("doit-cf-{}-{random}", &ulid::Ulid::new().to_string()[..6])
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudflow_core::{AccountContext, AwsConfig};

    fn req(management: Option<&str>) -> CreateConnectionRequest {
        CreateConnectionRequest {
            name: "n".into(),
            aws_config: Some(AwsConfig {
                role_name: "R".into(),
                context: vec![
                    AccountContext {
                        account_id: "012345678901".into(),
                        regions: vec![],
                    },
                    AccountContext {
                        account_id: "210987654321".into(),
                        regions: vec![],
                    },
                ],
                management_account: management.map(str::to_owned),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn accounts_wait_then_activate_or_fail() {
        let broken = HashMap::from([("210987654321".to_owned(), "no role".to_owned())]);
        let r = req(Some("012345678901"));
        let fresh = account_states(&r, 0, &broken, Moment::JustCreated);
        assert_eq!(fresh[0].status, "active");
        assert_eq!(fresh[1].status, "pending_permissions");
        let before = account_states(&r, 1000, &broken, Moment::At(999));
        assert_eq!(before[1].status, "pending_permissions");
        assert_eq!(connection_status(true, &before).0, "pending_permissions");
        let after = account_states(&r, 1000, &broken, Moment::At(1000));
        assert_eq!(after[1].status, "permissions_failed");
        assert!(after[1]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("arn:aws:iam::210987654321:role/R")));
        assert_eq!(connection_status(true, &after).0, "permissions_failed");
        assert_eq!(connection_status(false, &after).0, "disabled");
        let ok = account_states(&req(None), 0, &HashMap::new(), Moment::At(5));
        assert_eq!(connection_status(true, &ok), ("active", None));
    }

    #[test]
    fn external_ids_follow_aws_and_doit_rules() {
        let a = new_external_id();
        assert!((2..=1224).contains(&a.len()));
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        assert_ne!(a, new_external_id());
        // The core's rule is DoiT's: the generators take every id the API hands out.
        for _ in 0..100 {
            let id = new_external_id();
            assert_eq!(
                id.parse::<cloudflow_core::ExternalId>().map(String::from),
                Ok(id.clone())
            );
        }
    }
}
