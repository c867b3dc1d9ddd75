//! The checked form of a request ("parse, don't validate"): every field is a newtype that can
//! only hold a value AWS and DoiT accept. [`CheckedConnection::parse`] turns a raw request into one, or
//! returns the [`Report`] with every problem.

use serde::Serialize;

use crate::catalog::Catalogs;
use crate::model::CreateConnectionRequest;
use crate::types::{
    AccountId, CollaboratorRole, Email, IamAction, ManagedPolicyArn, OuId, Region, RoleName, RootId,
};
use crate::validate::{validate, Problem, Report};

/// One account and its regions (empty = all regions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedAccount {
    pub id: AccountId,
    pub regions: Vec<Region>,
}

/// Where the role goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum CheckedScope {
    /// The listed accounts only: one stack per account.
    Accounts,
    /// An AWS Organization (root or OUs): a StackSet from the management account.
    Organisation {
        management_account: Option<AccountId>,
        root: Option<RootId>,
        units: Vec<OuId>,
        explicit_accounts: Vec<AccountId>,
        excluded_accounts: Vec<AccountId>,
    },
}

/// A collaborator with a checked e-mail and role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedMember {
    pub email: Email,
    pub role: CollaboratorRole,
}

/// A request that passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckedConnection {
    /// Trimmed, 1-200 characters.
    pub name: String,
    pub description: Option<String>,
    pub role_name: RoleName,
    pub accounts: Vec<CheckedAccount>,
    pub managed_policies: Vec<ManagedPolicyArn>,
    pub actions: Vec<IamAction>,
    pub scope: CheckedScope,
    pub collaborators: Vec<CheckedMember>,
}

/// A checked connection and the warnings that did not block it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub connection: CheckedConnection,
    pub warnings: Vec<Problem>,
}

fn all<T: std::str::FromStr>(items: &[String]) -> Option<Vec<T>> {
    items.iter().map(|s| s.parse().ok()).collect()
}

fn opt<T: std::str::FromStr>(v: Option<&str>) -> Option<Option<T>> {
    match v.filter(|s| !s.is_empty()) {
        None => Some(None),
        Some(s) => s.parse().ok().map(Some),
    }
}

impl CheckedConnection {
    /// Validates `req` and, when it has no error, returns its checked form with the warnings.
    pub fn parse(
        req: &CreateConnectionRequest,
        catalogs: Option<&Catalogs>,
    ) -> Result<Checked, Report> {
        let report = validate(req, catalogs);
        if report.has_errors() {
            return Err(report);
        }
        match Self::build(req) {
            Some(connection) => Ok(Checked {
                connection,
                warnings: report.problems,
            }),
            // Unreachable when validation and the newtypes agree; reported rather than panicking.
            None => Err(Report {
                problems: vec![Problem {
                    field: crate::path::FieldPath::Other("request".into()),
                    message: "could not be read after validation".into(),
                    severity: crate::validate::Severity::Error,
                    rule: crate::validate::Rule::Unknown,
                }],
            }),
        }
    }

    fn build(req: &CreateConnectionRequest) -> Option<CheckedConnection> {
        let aws = req.aws_config.as_ref()?;
        let accounts = aws
            .context
            .iter()
            .map(|c| {
                Some(CheckedAccount {
                    id: c.account_id.parse().ok()?,
                    regions: all(&c.regions)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let scope = if req.is_organisation_scope() {
            CheckedScope::Organisation {
                management_account: opt(aws.management_account.as_deref())?,
                root: opt(aws.organization_root_id.as_deref())?,
                units: all(&aws.scope_targeted_organizational_unit_ids)?,
                explicit_accounts: all(&aws.scope_explicit_account_ids)?,
                excluded_accounts: all(&aws.scope_excluded_account_ids)?,
            }
        } else {
            CheckedScope::Accounts
        };
        Some(CheckedConnection {
            name: req.name.trim().to_string(),
            description: req.description.clone(),
            role_name: aws.role_name.parse().ok()?,
            accounts,
            managed_policies: all(&aws.permissions.aws_managed_policies)?,
            actions: all(&aws.permissions.actions)?,
            scope,
            collaborators: req
                .collaborators
                .iter()
                .map(|c| {
                    Some(CheckedMember {
                        email: c.email.parse().ok()?,
                        role: c.role.parse().ok()?,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountContext, AwsConfig, Collaborator, Permissions};

    fn req() -> CreateConnectionRequest {
        CreateConnectionRequest {
            name: "  Prod  ".into(),
            aws_config: Some(AwsConfig {
                role_name: "Role".into(),
                context: vec![AccountContext {
                    account_id: "000000000001".into(),
                    regions: vec!["eu-west-1".into()],
                }],
                permissions: Permissions {
                    aws_managed_policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
                    actions: vec!["iam:PassRole".into()],
                },
                organization_root_id: Some("r-ab12".into()),
                management_account: Some(String::new()),
                ..Default::default()
            }),
            collaborators: vec![
                Collaborator {
                    email: "o@example.com".into(),
                    role: "owner".into(),
                },
                Collaborator {
                    email: "a@example.com".into(),
                    role: "user".into(),
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_request_becomes_a_connection_with_its_warnings() {
        let checked = CheckedConnection::parse(&req(), None).unwrap();
        let c = checked.connection;
        assert_eq!(c.name, "Prod");
        assert_eq!(c.accounts[0].id.as_str(), "000000000001");
        assert_eq!(c.actions[0].service(), "iam");
        assert_eq!(c.collaborators[1].role, CollaboratorRole::User);
        assert!(
            matches!(c.scope, CheckedScope::Organisation { ref root, management_account: None, .. } if root.as_ref().unwrap().as_str() == "r-ab12")
        );
        assert_eq!(checked.warnings.len(), 1);
    }

    #[test]
    fn an_invalid_request_returns_every_problem() {
        let mut r = req();
        r.name.clear();
        r.aws_config.as_mut().unwrap().role_name = "bad name".into();
        let report = CheckedConnection::parse(&r, None).unwrap_err();
        assert_eq!(report.errors().count(), 2);
    }
}
