//! How a connection looks when read: per-account and overall status computed from timestamps,
//! so that activation survives restarts without a background task.

use std::collections::HashMap;

use cloudflow_core::wire::{self, Status};
use cloudflow_core::CreateConnectionRequest;
use sha2::{Digest, Sha256};

use crate::db::ConnectionRow;
use crate::dialect::ConnectionFacts;

/// The status of one account of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub status: Status,
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

impl Moment {
    /// When it is (now, for the answer to a create).
    fn time(self) -> i64 {
        match self {
            Moment::JustCreated => crate::time::now_ms(),
            Moment::At(t) => t,
        }
    }
}

/// Where the accounts' statuses come from.
#[derive(Debug, Clone)]
pub enum Deployments {
    /// The timer: a connection's accounts become active at its activation time (first enable
    /// + `--activation-delay`), except the tenant's broken accounts (id -> why), which fail.
    Timer { broken: HashMap<String, String> },
    /// `--simulated-aws`: what is deployed there, checked on every read (drafts too); a role
    /// becomes assumable `propagation_ms` after its stack was created.
    Simulated {
        stacks: Vec<crate::simulated_aws::Stack>,
        propagation_ms: i64,
    },
}

/// The states of the request's accounts, in `awsConfig.context` order. The management account
/// (when given) is active from the start, as DoiT documents.
pub fn account_states(
    req: &CreateConnectionRequest,
    external_id: &str,
    activate_ms: Option<i64>,
    deployments: &Deployments,
    moment: Moment,
) -> Vec<AccountState> {
    let Some(aws) = &req.aws_config else {
        return Vec::new();
    };
    let management = aws.management_account.as_deref().map(str::trim);
    aws.context
        .iter()
        .map(|c| {
            if management == Some(c.account_id.trim()) {
                return AccountState {
                    status: Status::Active,
                    message: None,
                };
            }
            match deployments {
                Deployments::Timer { broken } => {
                    timer_state(&c.account_id, &aws.role_name, activate_ms, broken, moment)
                }
                Deployments::Simulated {
                    stacks,
                    propagation_ms,
                } => crate::simulated_aws::account_state(
                    stacks,
                    &c.account_id,
                    &aws.role_name,
                    external_id,
                    moment.time(),
                    *propagation_ms,
                ),
            }
        })
        .collect()
}

fn timer_state(
    account_id: &str,
    role_name: &str,
    activate_ms: Option<i64>,
    broken: &HashMap<String, String>,
    moment: Moment,
) -> AccountState {
    let due = match (moment, activate_ms) {
        (Moment::At(now), Some(at)) => now >= at,
        _ => false,
    };
    if !due {
        return AccountState {
            status: Status::PendingPermissions,
            message: Some(format!(
                "waiting for the role {role_name} to be deployed and assumable"
            )),
        };
    }
    match broken.get(account_id) {
        Some(why) => AccountState {
            status: Status::PermissionsFailed,
            message: Some(format!(
                "CloudFlow could not assume arn:aws:iam::{account_id}:role/{role_name}: {why}"
            )),
        },
        None => AccountState {
            status: Status::Active,
            message: None,
        },
    }
}

/// The overall status and message: `draft` until the first enable, `disabled` when disabled
/// since, else from the account states.
pub fn connection_status(
    draft: bool,
    enabled: bool,
    accounts: &[AccountState],
) -> (Status, Option<String>) {
    if draft && !enabled {
        return (
            Status::Draft,
            Some("a draft: the connection has not been enabled yet".to_owned()),
        );
    }
    if !enabled {
        return (
            Status::Disabled,
            Some("the connection is disabled".to_owned()),
        );
    }
    let failed = accounts
        .iter()
        .filter(|a| a.status == Status::PermissionsFailed)
        .count();
    let pending = accounts
        .iter()
        .filter(|a| a.status == Status::PendingPermissions)
        .count();
    if failed > 0 {
        (
            Status::PermissionsFailed,
            Some(format!(
                "CloudFlow could not assume the role in {failed} of {} accounts",
                accounts.len()
            )),
        )
    } else if pending > 0 {
        (
            Status::PendingPermissions,
            Some(format!(
                "waiting for the role in {pending} of {} accounts",
                accounts.len()
            )),
        )
    } else {
        (Status::Active, None)
    }
}

/// The ETag of a stored version (the header value, quotes included).
pub fn etag(row: &ConnectionRow) -> String {
    let digest = Sha256::digest(format!("{}:{}:{}", row.id, row.version, row.update_ms));
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("\"{}-{hex}\"", row.version)
}

/// What the API says about a stored connection (either dialect writes it; see
/// [`crate::dialect::connection`]).
pub fn view(
    row: &ConnectionRow,
    req: &CreateConnectionRequest,
    deployments: &Deployments,
    moment: Moment,
) -> ConnectionFacts {
    let accounts = account_states(req, &row.external_id, row.activate_ms, deployments, moment);
    let (status, message) = connection_status(row.is_draft(), row.enabled, &accounts);
    let synced = match (deployments, moment, row.activate_ms) {
        // The simulated AWS is looked at on every read.
        (Deployments::Simulated { .. }, Moment::At(now), _) => Some(now),
        (Deployments::Timer { .. }, Moment::At(now), Some(at)) if now >= at => Some(at),
        _ => None,
    };
    ConnectionFacts {
        id: Some(row.id.clone()),
        name: row.name.clone(),
        description: req.description.clone(),
        status,
        status_message: message,
        enabled: row.enabled,
        aws_config: aws_view(req, &accounts),
        collaborators: members(req),
        external_id: Some(row.external_id.clone()),
        create_ms: Some(row.create_ms),
        update_ms: Some(row.update_ms),
        synced_ms: synced,
        etag: Some(etag(row)),
    }
}

/// A dry run: what would be stored, with every generated field empty and status `draft`.
pub fn dry_run_view(req: &CreateConnectionRequest) -> ConnectionFacts {
    let accounts: Vec<AccountState> = req
        .aws_config
        .as_ref()
        .map(|a| {
            a.context
                .iter()
                .map(|_| AccountState {
                    status: Status::Draft,
                    message: None,
                })
                .collect()
        })
        .unwrap_or_default();
    ConnectionFacts {
        id: None,
        name: req.name.trim().to_owned(),
        description: req.description.clone(),
        status: Status::Draft,
        status_message: None,
        enabled: req.enabled.unwrap_or(true),
        aws_config: aws_view(req, &accounts),
        collaborators: members(req),
        external_id: None,
        create_ms: None,
        update_ms: None,
        synced_ms: None,
        etag: None,
    }
}

fn members(req: &CreateConnectionRequest) -> Vec<wire::Member> {
    req.collaborators
        .iter()
        .map(|c| wire::Member {
            email: c.email.clone(),
            role: c.role.parse().ok(),
        })
        .collect()
}

fn aws_view(req: &CreateConnectionRequest, accounts: &[AccountState]) -> wire::AwsConfigView {
    let Some(aws) = &req.aws_config else {
        return wire::AwsConfigView::default();
    };
    wire::AwsConfigView {
        role_name: aws.role_name.clone(),
        context: aws
            .context
            .iter()
            .zip(accounts)
            .map(|(c, state)| wire::AccountState {
                account_id: c.account_id.clone(),
                regions: c.regions.clone(),
                status: state.status,
                status_message: state.message.clone(),
            })
            .collect(),
        permissions: aws.permissions.clone(),
        management_account: aws.management_account.clone(),
        organization_root_id: aws.organization_root_id.clone(),
        scope_targeted_organizational_unit_ids: aws.scope_targeted_organizational_unit_ids.clone(),
        scope_explicit_account_ids: aws.scope_explicit_account_ids.clone(),
        scope_excluded_account_ids: aws.scope_excluded_account_ids.clone(),
        scope_management_account_explicit_in_scope: aws.scope_management_account_explicit_in_scope,
        external_id: None,
    }
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
        let broken = Deployments::Timer {
            broken: HashMap::from([("210987654321".to_owned(), "no role".to_owned())]),
        };
        let r = req(Some("012345678901"));
        let fresh = account_states(&r, "x", Some(0), &broken, Moment::JustCreated);
        assert_eq!(fresh[0].status, Status::Active);
        assert_eq!(fresh[1].status, Status::PendingPermissions);
        let before = account_states(&r, "x", Some(1000), &broken, Moment::At(999));
        assert_eq!(before[1].status, Status::PendingPermissions);
        assert_eq!(
            connection_status(false, true, &before).0,
            Status::PendingPermissions
        );
        let after = account_states(&r, "x", Some(1000), &broken, Moment::At(1000));
        assert_eq!(after[1].status, Status::PermissionsFailed);
        assert!(after[1]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("arn:aws:iam::210987654321:role/R")));
        assert_eq!(
            connection_status(false, true, &after).0,
            Status::PermissionsFailed
        );
        assert_eq!(connection_status(false, false, &after).0, Status::Disabled);
        let none = Deployments::Timer {
            broken: HashMap::new(),
        };
        let ok = account_states(&req(None), "x", Some(0), &none, Moment::At(5));
        assert_eq!(connection_status(false, true, &ok), (Status::Active, None));
    }

    #[test]
    fn a_draft_waits_whatever_the_time_and_says_draft() {
        let none = Deployments::Timer {
            broken: HashMap::new(),
        };
        let r = req(Some("012345678901"));
        let later = account_states(&r, "x", None, &none, Moment::At(i64::MAX));
        assert_eq!(later[0].status, Status::Active, "the management account");
        assert_eq!(later[1].status, Status::PendingPermissions);
        assert_eq!(connection_status(true, false, &later).0, Status::Draft);
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
