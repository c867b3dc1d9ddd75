//! Where in a request a problem is: [`FieldPath`], one variant per field the API names.
//!
//! `Display` writes the API's dotted path with indexes (`awsConfig.context[1].accountId`), the
//! way DoiT's problem `details[].field` does; `FromStr` reads that and JSON pointers
//! (`/awsConfig/context/1/accountId`). A path the model does not know is kept as it came
//! ([`FieldPath::Other`]), so a server's word is never lost.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::{AccountContext, Collaborator, CreateConnectionRequest};

/// A field of a [`CreateConnectionRequest`]; indexes are those of the request's lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldPath {
    Name,
    Description,
    AwsConfig,
    GcpConfig,
    RoleName,
    /// `awsConfig.context`: the account list as a whole.
    Accounts,
    /// `awsConfig.context[i]`.
    Account(usize),
    /// `awsConfig.context[i].accountId`.
    AccountId(usize),
    /// `awsConfig.context[i].regions`.
    Regions(usize),
    /// `awsConfig.context[i].regions[j]`.
    Region(usize, usize),
    ManagementAccount,
    OrganizationRootId,
    /// `awsConfig.scopeTargetedOrganizationalUnitIds`.
    OrganizationalUnits,
    OrganizationalUnit(usize),
    /// `awsConfig.permissions.awsManagedPolicies`.
    /// `awsConfig.scopeExplicitAccountIds[i]`.
    ExplicitAccount(usize),
    /// `awsConfig.scopeExcludedAccountIds[i]`.
    ExcludedAccount(usize),
    ManagedPolicies,
    ManagedPolicy(usize),
    /// `awsConfig.permissions.actions`.
    Actions,
    Action(usize),
    Collaborators,
    Collaborator(usize),
    CollaboratorEmail(usize),
    CollaboratorRole(usize),
    /// Any other path, as written (dotted).
    Other(String),
}

/// Which part of the request a field belongs to (the wizard has a step for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Name, role, accounts, regions, organisation.
    Setup,
    /// Managed policies and actions.
    Permissions,
    /// Who may use the connection.
    Access,
}

const CONTEXT: &str = "awsConfig.context";
const OUS: &str = "awsConfig.scopeTargetedOrganizationalUnitIds";
const EXPLICIT: &str = "awsConfig.scopeExplicitAccountIds";
const EXCLUDED: &str = "awsConfig.scopeExcludedAccountIds";
const POLICIES: &str = "awsConfig.permissions.awsManagedPolicies";
const ACTIONS: &str = "awsConfig.permissions.actions";
const COLLABORATORS: &str = "collaborators";

impl FieldPath {
    /// The step of the wizard that edits this field.
    pub fn section(&self) -> Section {
        use FieldPath::*;
        match self {
            ManagedPolicies | ManagedPolicy(_) | Actions | Action(_) => Section::Permissions,
            Collaborators | Collaborator(_) | CollaboratorEmail(_) | CollaboratorRole(_) => {
                Section::Access
            }
            Other(p) if p.starts_with("awsConfig.permissions") => Section::Permissions,
            Other(p) if p.starts_with(COLLABORATORS) => Section::Access,
            _ => Section::Setup,
        }
    }

    /// What the request holds at this path (`None` when it holds nothing there), to tell
    /// whether a field changed since a server judged it.
    pub fn value_in<'a>(&self, req: &'a CreateConnectionRequest) -> Option<FieldValue<'a>> {
        use FieldPath::*;
        let aws = req.aws_config.as_ref();
        let context = |i: usize| aws?.context.get(i);
        let person = |i: usize| req.collaborators.get(i);
        Some(match self {
            Name => FieldValue::Text(&req.name),
            Description => FieldValue::Text(req.description.as_deref()?),
            AwsConfig | GcpConfig | Other(_) => return None,
            RoleName => FieldValue::Text(&aws?.role_name),
            Accounts => FieldValue::Accounts(&aws?.context),
            Account(i) => FieldValue::Account(context(*i)?),
            AccountId(i) => FieldValue::Text(&context(*i)?.account_id),
            Regions(i) => FieldValue::Texts(&context(*i)?.regions),
            Region(i, j) => FieldValue::Text(context(*i)?.regions.get(*j)?),
            ManagementAccount => FieldValue::Text(aws?.management_account.as_deref()?),
            OrganizationRootId => FieldValue::Text(aws?.organization_root_id.as_deref()?),
            OrganizationalUnits => FieldValue::Texts(&aws?.scope_targeted_organizational_unit_ids),
            OrganizationalUnit(i) => {
                FieldValue::Text(aws?.scope_targeted_organizational_unit_ids.get(*i)?)
            }
            ExplicitAccount(i) => FieldValue::Text(aws?.scope_explicit_account_ids.get(*i)?),
            ExcludedAccount(i) => FieldValue::Text(aws?.scope_excluded_account_ids.get(*i)?),
            ManagedPolicies => FieldValue::Texts(&aws?.permissions.aws_managed_policies),
            ManagedPolicy(i) => FieldValue::Text(aws?.permissions.aws_managed_policies.get(*i)?),
            Actions => FieldValue::Texts(&aws?.permissions.actions),
            Action(i) => FieldValue::Text(aws?.permissions.actions.get(*i)?),
            Collaborators => FieldValue::People(&req.collaborators),
            Collaborator(i) => FieldValue::Person(person(*i)?),
            CollaboratorEmail(i) => FieldValue::Text(&person(*i)?.email),
            CollaboratorRole(i) => FieldValue::Text(&person(*i)?.role),
        })
    }

    /// Reads a dotted path or a JSON pointer; never fails (see [`FieldPath::Other`]).
    pub fn parse(text: &str) -> FieldPath {
        let dotted = match text.strip_prefix('/') {
            Some(pointer) => from_pointer(pointer),
            None => text.to_owned(),
        };
        from_dotted(&dotted).unwrap_or(FieldPath::Other(dotted))
    }
}

/// A field's value in a request, borrowed (see [`FieldPath::value_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue<'a> {
    Text(&'a str),
    Texts(&'a [String]),
    Account(&'a AccountContext),
    Accounts(&'a [AccountContext]),
    Person(&'a Collaborator),
    People(&'a [Collaborator]),
}

/// `awsConfig/context/1/accountId` as `awsConfig.context[1].accountId`.
fn from_pointer(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/') {
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(part);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part.replace("~1", "/").replace("~0", "~"));
        }
    }
    out
}

/// `head[i]rest` as (`head`, `i`, `rest`); `None` for the index when there is none.
fn split_index(path: &str) -> Option<(&str, Option<usize>, &str)> {
    let Some(open) = path.find('[') else {
        return Some((path, None, ""));
    };
    let close = open + path[open..].find(']')?;
    let index = path[open + 1..close].parse().ok()?;
    Some((&path[..open], Some(index), &path[close + 1..]))
}

fn from_dotted(path: &str) -> Option<FieldPath> {
    use FieldPath::*;
    let (head, index, rest) = split_index(path)?;
    Some(match (head, index, rest) {
        ("name", None, "") => Name,
        ("description", None, "") => Description,
        ("awsConfig", None, "") => AwsConfig,
        ("gcpConfig", None, "") => GcpConfig,
        ("awsConfig.roleName", None, "") => RoleName,
        ("awsConfig.managementAccount", None, "") => ManagementAccount,
        ("awsConfig.organizationRootId", None, "") => OrganizationRootId,
        (CONTEXT, None, "") => Accounts,
        (CONTEXT, Some(i), "") => Account(i),
        (CONTEXT, Some(i), ".accountId") => AccountId(i),
        (CONTEXT, Some(i), ".regions") => Regions(i),
        (CONTEXT, Some(i), rest) => match split_index(rest.strip_prefix(".regions")?)? {
            ("", Some(j), "") => Region(i, j),
            _ => return None,
        },
        (OUS, None, "") => OrganizationalUnits,
        (OUS, Some(i), "") => OrganizationalUnit(i),
        (EXPLICIT, Some(i), "") => ExplicitAccount(i),
        (EXCLUDED, Some(i), "") => ExcludedAccount(i),
        (POLICIES, None, "") => ManagedPolicies,
        (POLICIES, Some(i), "") => ManagedPolicy(i),
        (ACTIONS, None, "") => Actions,
        (ACTIONS, Some(i), "") => Action(i),
        (COLLABORATORS, None, "") => Collaborators,
        (COLLABORATORS, Some(i), "") => Collaborator(i),
        (COLLABORATORS, Some(i), ".email") => CollaboratorEmail(i),
        (COLLABORATORS, Some(i), ".role") => CollaboratorRole(i),
        _ => return None,
    })
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FieldPath::*;
        match self {
            Name => f.write_str("name"),
            Description => f.write_str("description"),
            AwsConfig => f.write_str("awsConfig"),
            GcpConfig => f.write_str("gcpConfig"),
            RoleName => f.write_str("awsConfig.roleName"),
            Accounts => f.write_str(CONTEXT),
            Account(i) => write!(f, "{CONTEXT}[{i}]"),
            AccountId(i) => write!(f, "{CONTEXT}[{i}].accountId"),
            Regions(i) => write!(f, "{CONTEXT}[{i}].regions"),
            Region(i, j) => write!(f, "{CONTEXT}[{i}].regions[{j}]"),
            ManagementAccount => f.write_str("awsConfig.managementAccount"),
            OrganizationRootId => f.write_str("awsConfig.organizationRootId"),
            OrganizationalUnits => f.write_str(OUS),
            OrganizationalUnit(i) => write!(f, "{OUS}[{i}]"),
            ExplicitAccount(i) => write!(f, "{EXPLICIT}[{i}]"),
            ExcludedAccount(i) => write!(f, "{EXCLUDED}[{i}]"),
            ManagedPolicies => f.write_str(POLICIES),
            ManagedPolicy(i) => write!(f, "{POLICIES}[{i}]"),
            Actions => f.write_str(ACTIONS),
            Action(i) => write!(f, "{ACTIONS}[{i}]"),
            Collaborators => f.write_str(COLLABORATORS),
            Collaborator(i) => write!(f, "{COLLABORATORS}[{i}]"),
            CollaboratorEmail(i) => write!(f, "{COLLABORATORS}[{i}].email"),
            CollaboratorRole(i) => write!(f, "{COLLABORATORS}[{i}].role"),
            Other(p) => f.write_str(p),
        }
    }
}

impl FromStr for FieldPath {
    type Err = Infallible;
    fn from_str(s: &str) -> Result<FieldPath, Infallible> {
        Ok(FieldPath::parse(s))
    }
}

impl PartialEq<str> for FieldPath {
    fn eq(&self, other: &str) -> bool {
        *self == FieldPath::parse(other)
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, other: &&str) -> bool {
        *self == FieldPath::parse(other)
    }
}

impl PartialEq<String> for FieldPath {
    fn eq(&self, other: &String) -> bool {
        *self == FieldPath::parse(other)
    }
}

impl Serialize for FieldPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FieldPath, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(FieldPath::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_path() -> impl Strategy<Value = FieldPath> {
        use FieldPath::*;
        let i = 0usize..500;
        prop_oneof![
            Just(Name),
            Just(Description),
            Just(AwsConfig),
            Just(GcpConfig),
            Just(RoleName),
            Just(Accounts),
            i.clone().prop_map(Account),
            i.clone().prop_map(AccountId),
            i.clone().prop_map(Regions),
            (i.clone(), i.clone()).prop_map(|(a, b)| Region(a, b)),
            Just(ManagementAccount),
            Just(OrganizationRootId),
            Just(OrganizationalUnits),
            i.clone().prop_map(OrganizationalUnit),
            i.clone().prop_map(ExplicitAccount),
            i.clone().prop_map(ExcludedAccount),
            Just(ManagedPolicies),
            i.clone().prop_map(ManagedPolicy),
            Just(Actions),
            i.clone().prop_map(Action),
            Just(Collaborators),
            i.clone().prop_map(Collaborator),
            i.clone().prop_map(CollaboratorEmail),
            i.prop_map(CollaboratorRole),
            "[a-z]{1,8}\\.[a-z]{1,8}".prop_map(Other),
        ]
    }

    proptest! {
        #[test]
        fn every_path_reads_back_from_its_text_and_its_pointer(path in any_path()) {
            let text = path.to_string();
            prop_assert_eq!(FieldPath::parse(&text), path.clone());
            let pointer = format!("/{}", text.replace(['.', '['], "/").replace(']', ""));
            prop_assert_eq!(FieldPath::parse(&pointer), path);
        }
    }

    #[test]
    fn the_api_paths_read_as_their_fields() {
        assert_eq!(
            FieldPath::parse("awsConfig.context[1].accountId"),
            FieldPath::AccountId(1)
        );
        assert_eq!(
            FieldPath::parse("/awsConfig/context/1/regions/0"),
            FieldPath::Region(1, 0)
        );
        assert_eq!(
            FieldPath::parse("collaborators[2].role"),
            FieldPath::CollaboratorRole(2)
        );
        // Unknown or malformed: kept as written.
        assert_eq!(
            FieldPath::parse("awsConfig.context[x]"),
            FieldPath::Other("awsConfig.context[x]".into())
        );
        assert_eq!(
            FieldPath::parse("awsConfig.tags"),
            FieldPath::Other("awsConfig.tags".into())
        );
        assert_eq!(
            FieldPath::parse("/name/~1x"),
            FieldPath::Other("name./x".into())
        );
    }

    #[test]
    fn each_field_belongs_to_its_step() {
        assert_eq!(FieldPath::Region(0, 3).section(), Section::Setup);
        assert_eq!(FieldPath::Action(4).section(), Section::Permissions);
        assert_eq!(FieldPath::CollaboratorEmail(0).section(), Section::Access);
        assert_eq!(
            FieldPath::parse("awsConfig.permissions.boundary").section(),
            Section::Permissions
        );
    }

    #[test]
    fn a_path_finds_its_value_in_a_request() {
        let req: CreateConnectionRequest = serde_json::from_value(serde_json::json!({
            "name": "x",
            "awsConfig": {"roleName": "R", "context": [{"accountId": "1", "regions": ["eu-west-1"]}],
                "permissions": {"awsManagedPolicies": [], "actions": ["s3:GetObject"]}},
            "collaborators": [{"email": "a@b.c", "role": "owner"}]
        }))
        .unwrap();
        assert_eq!(FieldPath::Name.value_in(&req), Some(FieldValue::Text("x")));
        assert_eq!(
            FieldPath::Region(0, 0).value_in(&req),
            Some(FieldValue::Text("eu-west-1"))
        );
        assert_eq!(FieldPath::AccountId(1).value_in(&req), None);
        assert_eq!(
            FieldPath::Action(0).value_in(&req),
            Some(FieldValue::Text("s3:GetObject"))
        );
        assert_eq!(
            FieldPath::CollaboratorRole(0).value_in(&req),
            Some(FieldValue::Text("owner"))
        );
        assert_eq!(FieldPath::parse("x.y").value_in(&req), None);
    }
}
