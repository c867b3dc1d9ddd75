//! The rules that need the tenant's other connections, not only the request: a name another
//! connection has, and a role name another connection already uses in one of the same
//! accounts. One pure function ([`tenant_rules`]) for the wizard (as the person types, on
//! Next, Done and Save) and the local API (its `duplicate_name` refusal); its report joins
//! the request's own ([`crate::Report::join`]).

use crate::model::CreateConnectionRequest;
use crate::path::FieldPath;
use crate::validate::{Report, Rule};
use crate::wire;

/// How names are compared: trimmed, any case (`" Prod "` is `"prod"`).
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Another connection of the tenant, as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Its IAM role's name (`""` when it has no AWS configuration).
    pub role_name: &'a str,
    /// The accounts its role is in.
    pub accounts: Vec<&'a str>,
}

impl<'a> Neighbour<'a> {
    /// A connection as the API lists it (`None` without an id: nothing to tell it apart by).
    pub fn of(c: &'a wire::Connection) -> Option<Neighbour<'a>> {
        let aws = c.aws_config.as_ref();
        Some(Neighbour {
            id: c.id()?,
            name: &c.name,
            role_name: aws.map_or("", |a| a.role_name.as_str()),
            accounts: aws.map_or_else(Vec::new, |a| {
                a.context.iter().map(|x| x.account_id.as_str()).collect()
            }),
        })
    }

    /// A connection as stored: its id and its request.
    pub fn of_request(id: &'a str, req: &'a CreateConnectionRequest) -> Neighbour<'a> {
        let Candidate {
            name,
            role_name,
            accounts,
        } = Candidate::of(req);
        Neighbour {
            id,
            name,
            role_name,
            accounts,
        }
    }
}

/// What the tenant's rules read of a request: its name, its role's name and its accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub name: &'a str,
    pub role_name: &'a str,
    pub accounts: Vec<&'a str>,
}

impl<'a> Candidate<'a> {
    pub fn of(req: &'a CreateConnectionRequest) -> Candidate<'a> {
        let aws = req.aws_config.as_ref();
        Candidate {
            name: &req.name,
            role_name: aws.map_or("", |a| a.role_name.as_str()),
            accounts: aws.map_or_else(Vec::new, |a| {
                a.context.iter().map(|x| x.account_id.trim()).collect()
            }),
        }
    }
}

/// The tenant's rules for a request (its [`Candidate`]), against the other connections
/// (`own`, the request's own connection once saved, is never its own neighbour):
/// - a name another connection has (trimmed, any case) is an error of `name`;
/// - a role name another connection uses (any case) in an account of the request is a warning
///   of `awsConfig.roleName`: AWS would refuse to create that role again.
///
/// At most one problem of each; the first neighbour in `others`' order is named.
pub fn tenant_rules<'a>(
    req: &Candidate<'_>,
    own: Option<&str>,
    others: impl IntoIterator<Item = Neighbour<'a>>,
) -> Report {
    let mut report = Report::default();
    let name = name_key(req.name);
    let role = req.role_name.trim().to_lowercase();
    let accounts = &req.accounts;
    let (mut name_seen, mut role_seen) = (name.is_empty(), role.is_empty());
    for n in others {
        if name_seen && role_seen {
            break;
        }
        if own == Some(n.id) {
            continue;
        }
        if !name_seen && name_key(n.name) == name {
            name_seen = true;
            report.error(FieldPath::Name, Rule::NameTaken);
        }
        if !role_seen
            && n.role_name.eq_ignore_ascii_case(&role)
            && n.accounts.iter().any(|a| accounts.contains(a))
        {
            role_seen = true;
            report.warn(FieldPath::RoleName, Rule::RoleInUse(n.name.to_owned()));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountContext, AwsConfig};
    use crate::validate::Severity;

    fn request(name: &str, role: &str, accounts: &[&str]) -> CreateConnectionRequest {
        CreateConnectionRequest {
            name: name.into(),
            aws_config: Some(AwsConfig {
                role_name: role.into(),
                context: accounts
                    .iter()
                    .map(|a| AccountContext {
                        account_id: (*a).into(),
                        regions: vec![],
                    })
                    .collect(),
                ..AwsConfig::default()
            }),
            ..CreateConnectionRequest::default()
        }
    }

    fn rules(req: &CreateConnectionRequest, own: Option<&str>) -> Vec<(String, Severity, Rule)> {
        let prod = request(
            "Production read-only",
            "DoitCloudFlowReadOnly",
            &["000123456789"],
        );
        let sandbox = request("Sandbox", "SandboxRole", &["111122223333"]);
        let others = [
            Neighbour::of_request("c1", &prod),
            Neighbour::of_request("c2", &sandbox),
        ];
        tenant_rules(&Candidate::of(req), own, others)
            .problems
            .into_iter()
            .map(|p| (p.field.to_string(), p.severity, p.rule))
            .collect()
    }

    #[test]
    fn a_name_another_connection_has_is_an_error_in_any_case() {
        let req = request("  production READ-only ", "Other", &["000123456789"]);
        assert_eq!(
            rules(&req, None),
            [("name".to_owned(), Severity::Error, Rule::NameTaken)]
        );
        // Its own connection does not clash with itself.
        assert!(rules(&req, Some("c1")).is_empty());
        assert!(rules(&request("Production read-only 2", "R", &[]), None).is_empty());
        assert!(rules(&request("   ", "R", &[]), None).is_empty());
    }

    #[test]
    fn a_role_name_in_use_in_a_shared_account_is_a_warning_naming_the_connection() {
        let shared = request(
            "New",
            "doitcloudflowreadonly",
            &["999999999999", "000123456789"],
        );
        assert_eq!(
            rules(&shared, None),
            [(
                "awsConfig.roleName".to_owned(),
                Severity::Warning,
                Rule::RoleInUse("Production read-only".into())
            )]
        );
        let elsewhere = request("New", "DoitCloudFlowReadOnly", &["234567890123"]);
        assert!(rules(&elsewhere, None).is_empty());
        assert!(rules(&shared, Some("c1")).is_empty());
    }

    #[test]
    fn listed_connections_are_neighbours_by_their_id() {
        let c: wire::Connection = serde_json::from_value(serde_json::json!({
            "id": "cfc_1", "name": "Prod", "status": "active", "collaborators": [],
            "awsConfig": {"roleName": "R", "context": [{"accountId": "000123456789", "regions": []}]}
        }))
        .unwrap();
        let n = Neighbour::of(&c).unwrap();
        assert_eq!((n.id, n.role_name), ("cfc_1", "R"));
        assert_eq!(n.accounts, ["000123456789"]);
        let req = request("prod", "r", &["000123456789"]);
        let report = tenant_rules(&Candidate::of(&req), None, [n]);
        assert_eq!(report.problems.len(), 2);
    }
}
