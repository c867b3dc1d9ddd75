//! One function checks a whole request and returns every problem at once, each with the API's
//! dotted field path (`awsConfig.context[1].accountId`) and a message a person understands.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalogs;
use crate::model::{AwsConfig, CreateConnectionRequest};
use crate::path::FieldPath;
use crate::policy;
use crate::types::{
    AccountId, CollaboratorRole, Email, IamAction, ManagedPolicyArn, OuId, ParseError, Partition,
    Region, RoleName, RootId,
};

impl From<ParseError> for Rule {
    fn from(e: ParseError) -> Rule {
        Rule::Parse(e)
    }
}

/// Errors block creation; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong (or worth a second look) with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field (its `Display` is the API's dotted path with indexes, e.g.
    /// `awsConfig.permissions.actions[2]`).
    pub field: FieldPath,
    /// What a person reads next to the field, in English (the server's and the CLI's words;
    /// the app translates [`Problem::rule`]).
    pub message: String,
    pub severity: Severity,
    /// Which rule, with its parameters.
    #[serde(skip)]
    pub rule: Rule,
}

/// Why a field has a problem: one variant per rule, with what its message needs. `Display` is
/// the English message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Rule {
    /// The text does not parse as the field's type.
    Parse(ParseError),
    /// Nothing else: only a deserialised problem, whose message says it all.
    #[default]
    Unknown,
    GcpConfigPresent,
    NotAws,
    /// The same value as an earlier row, which is an error (an account, an e-mail).
    UsedInRow(usize),
    /// The same value as an earlier row of a list (a region, a policy, an action).
    ListedInRow(usize),
    NoAccount,
    /// People are listed, and none is an Owner (the last Owner cannot be removed or demoted).
    NoOwner,
    UnknownRegion(Option<String>),
    RegionPartition(Partition),
    TooManyPolicies(usize),
    OverPolicyQuota(usize),
    ServiceLinkedPolicy,
    PolicyPartition,
    UnknownPolicy(Option<String>),
    Broad(String, Broad),
    UnknownService(String, Option<String>),
    NoMatchingAction,
    UnknownAction(Option<String>),
    InlinePoliciesTooLarge(usize),
    /// Another connection of the tenant has this name ([`crate::tenant`]).
    NameTaken,
    /// The connection of this name uses the role name in one of the same accounts.
    RoleInUse(String),
}

/// What a broad grant gives away, for [`Rule::Broad`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broad {
    Everything,
    PassRole,
    Iam,
}

/// `; did you mean X?`, or nothing.
struct Hint<'a>(&'a Option<String>);

impl fmt::Display for Hint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(f, "; did you mean {s}?"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Parse(e) => write!(f, "{e}"),
            Rule::Unknown => f.write_str("is not valid"),
            Rule::GcpConfigPresent => f.write_str("must be absent: a connection is either AWS or Google Cloud, not both"),
            Rule::NotAws => f.write_str("is required: this wizard creates AWS connections"),
            Rule::UsedInRow(row) => write!(f, "already used in row {row}"),
            Rule::ListedInRow(row) => write!(f, "already listed in row {row}"),
            Rule::NoAccount => f.write_str("add at least one account"),
            Rule::NoOwner => f.write_str("keep at least one Owner: the last Owner cannot be removed or demoted"),
            Rule::UnknownRegion(h) => write!(f, "is not an AWS region{}", Hint(h)),
            Rule::RegionPartition(p) => write!(f, "is in the {p} partition: DoiT's account is in the commercial aws partition and cannot be trusted from there"),
            Rule::TooManyPolicies(n) => write!(f, "at most {MANAGED_POLICIES_MAX} managed policies can be attached to a role (there are {n})"),
            Rule::OverPolicyQuota(n) => write!(f, "{n} managed policies: AWS allows {MANAGED_POLICIES_DEFAULT_QUOTA} per role unless the quota is raised (up to {MANAGED_POLICIES_MAX}) in every account"),
            Rule::ServiceLinkedPolicy => f.write_str("is for service-linked roles only: IAM refuses to attach it to this role"),
            Rule::PolicyPartition => f.write_str("must be in the commercial aws partition (arn:aws:...), where DoiT's account is"),
            Rule::UnknownPolicy(h) => write!(f, "is not an AWS managed policy{}", Hint(h)),
            Rule::Broad(action, what) => {
                let what = match what {
                    Broad::Everything => "grants every action on every service",
                    Broad::PassRole => "lets CloudFlow hand roles to AWS services, which can escalate privileges",
                    Broad::Iam => "grants full control of IAM, which can escalate privileges",
                };
                write!(f, "{action} {what}; grant only what your flows need")
            }
            Rule::UnknownService(svc, h) => write!(f, "service \"{svc}\" is not known to IAM{}", Hint(h)),
            Rule::NoMatchingAction => f.write_str("matches no known action"),
            Rule::UnknownAction(h) => write!(f, "is not a known action{}", Hint(h)),
            Rule::NameTaken => f.write_str("is already used by another connection of your organisation"),
            Rule::RoleInUse(name) => write!(f, "the connection \"{name}\" already uses this role name in one of these accounts: AWS would refuse to create the role again"),
            Rule::InlinePoliciesTooLarge(size) => write!(f, "the inline policies would be {size} characters; IAM accepts {} per role: use wildcards or managed policies", policy::INLINE_POLICY_LIMIT),
        }
    }
}

/// Every problem of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Report {
    pub problems: Vec<Problem>,
}

impl Report {
    /// Problems that block creation.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }
    /// Problems that do not block creation.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }
    /// True when at least one error is present.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
    /// The problems of one field (a [`FieldPath`], or its text).
    pub fn for_field<'a, P>(&'a self, field: &'a P) -> impl Iterator<Item = &'a Problem>
    where
        P: ?Sized,
        FieldPath: PartialEq<P>,
    {
        self.problems.iter().filter(move |p| p.field == *field)
    }
    /// Adds `other`'s problems after this report's (the tenant's rules after the request's).
    pub fn join(mut self, other: Report) -> Report {
        self.problems.extend(other.problems);
        self
    }
    pub(crate) fn error(&mut self, field: FieldPath, rule: impl Into<Rule>) {
        self.push(field, rule.into(), Severity::Error);
    }
    pub(crate) fn warn(&mut self, field: FieldPath, rule: Rule) {
        self.push(field, rule, Severity::Warning);
    }
    fn push(&mut self, field: FieldPath, rule: Rule, severity: Severity) {
        self.problems.push(Problem {
            field,
            message: rule.to_string(),
            severity,
            rule,
        });
    }
}

/// Longest connection name, after trimming.
pub const NAME_MAX: usize = 200;
/// Longest description.
pub const DESCRIPTION_MAX: usize = 2_000;
/// Managed policies per role with the raised quota.
pub const MANAGED_POLICIES_MAX: usize = 25;
/// Managed policies per role by default.
pub const MANAGED_POLICIES_DEFAULT_QUOTA: usize = 10;

/// Remembers the first row of each key, to report "already used in row N" (rows count from 1).
struct Dups(HashMap<String, usize>);
impl Dups {
    fn new() -> Self {
        Dups(HashMap::new())
    }
    /// `Some(first_row)` when `key` was seen before.
    fn check(&mut self, key: String, index: usize) -> Option<usize> {
        match self.0.get(&key) {
            Some(&first) => Some(first + 1),
            None => {
                self.0.insert(key, index);
                None
            }
        }
    }
}

/// Checks a whole request; `catalogs` adds the checks against the known regions, actions and
/// managed policies.
pub fn validate(req: &CreateConnectionRequest, catalogs: Option<&Catalogs>) -> Report {
    let mut r = Report::default();

    let name_len = req.name.trim().chars().count();
    if name_len == 0 {
        r.error(FieldPath::Name, ParseError::Empty);
    } else if name_len > NAME_MAX {
        r.error(
            FieldPath::Name,
            ParseError::TooLong {
                max: NAME_MAX,
                len: name_len,
            },
        );
    }
    if let Some(d) = &req.description {
        let n = d.chars().count();
        if n > DESCRIPTION_MAX {
            r.error(
                FieldPath::Description,
                ParseError::TooLong {
                    max: DESCRIPTION_MAX,
                    len: n,
                },
            );
        }
    }

    match (&req.aws_config, &req.gcp_config) {
        (None, None) => r.error(FieldPath::AwsConfig, ParseError::Empty),
        (Some(_), Some(_)) => r.error(FieldPath::GcpConfig, Rule::GcpConfigPresent),
        (None, Some(_)) => r.error(FieldPath::AwsConfig, Rule::NotAws),
        (Some(_), None) => {}
    }
    if let Some(aws) = &req.aws_config {
        validate_aws(aws, catalogs, &mut r);
    }

    let mut emails = Dups::new();
    for (i, c) in req.collaborators.iter().enumerate() {
        match c.email.parse::<Email>() {
            Ok(_) => {
                if let Some(row) = emails.check(c.email.to_lowercase(), i) {
                    r.error(FieldPath::CollaboratorEmail(i), Rule::UsedInRow(row));
                }
            }
            Err(e) => r.error(FieldPath::CollaboratorEmail(i), e),
        }
        if let Err(e) = c.role.parse::<CollaboratorRole>() {
            r.error(FieldPath::CollaboratorRole(i), e);
        }
    }
    let owner = |c: &crate::model::Collaborator| c.role == CollaboratorRole::Owner.as_str();
    if !req.collaborators.is_empty() && !req.collaborators.iter().any(owner) {
        r.error(FieldPath::Collaborators, Rule::NoOwner);
    }
    r
}

/// What a broad grant gives away (`*`, `iam:*`, `iam:PassRole`), or `None` for any other action.
pub fn broad_grant(a: &IamAction) -> Option<Broad> {
    if !a.is_broad() {
        None
    } else if a.service() == "*" {
        Some(Broad::Everything)
    } else if a.name().eq_ignore_ascii_case("passrole") {
        Some(Broad::PassRole)
    } else {
        Some(Broad::Iam)
    }
}

fn validate_aws(aws: &AwsConfig, catalogs: Option<&Catalogs>, r: &mut Report) {
    let role_ok = match aws.role_name.parse::<RoleName>() {
        Ok(_) => true,
        Err(e) => {
            r.error(FieldPath::RoleName, e);
            false
        }
    };

    if aws.context.is_empty() {
        r.error(FieldPath::Accounts, Rule::NoAccount);
    }
    let mut accounts = Dups::new();
    for (i, ctx) in aws.context.iter().enumerate() {
        match ctx.account_id.parse::<AccountId>() {
            Ok(_) => {
                if let Some(row) = accounts.check(ctx.account_id.clone(), i) {
                    r.error(FieldPath::AccountId(i), Rule::UsedInRow(row));
                }
            }
            Err(e) => r.error(FieldPath::AccountId(i), e),
        }
        let mut regions = Dups::new();
        for (j, region) in ctx.regions.iter().enumerate() {
            let rf = FieldPath::Region(i, j);
            match region.parse::<Region>() {
                Err(e) => r.error(rf, e),
                Ok(reg) => {
                    let known = catalogs.map(|c| c.regions.contains(region));
                    if known == Some(false) {
                        let hint = catalogs.and_then(|c| c.regions.did_you_mean(region));
                        r.error(rf, Rule::UnknownRegion(hint.map(Into::into)));
                        continue;
                    }
                    let partition = catalogs
                        .and_then(|c| c.regions.partition_of(region))
                        .unwrap_or_else(|| reg.partition());
                    if partition != Partition::Aws {
                        r.error(rf.clone(), Rule::RegionPartition(partition));
                    }
                    if let Some(row) = regions.check(region.clone(), j) {
                        r.warn(rf, Rule::ListedInRow(row));
                    }
                }
            }
        }
    }

    if let Some(m) = aws.management_account.as_deref().filter(|m| !m.is_empty()) {
        if let Err(e) = m.parse::<AccountId>() {
            r.error(FieldPath::ManagementAccount, e);
        }
    }
    if let Some(root) = aws
        .organization_root_id
        .as_deref()
        .filter(|m| !m.is_empty())
    {
        if let Err(e) = root.parse::<RootId>() {
            r.error(FieldPath::OrganizationRootId, e);
        }
    }
    let mut ous = Dups::new();
    for (i, ou) in aws
        .scope_targeted_organizational_unit_ids
        .iter()
        .enumerate()
    {
        let f = FieldPath::OrganizationalUnit(i);
        match ou.parse::<OuId>() {
            Ok(_) => {
                if let Some(row) = ous.check(ou.clone(), i) {
                    r.error(f, Rule::UsedInRow(row));
                }
            }
            Err(e) => r.error(f, e),
        }
    }
    for (path, list) in [
        (
            FieldPath::ExplicitAccount as fn(usize) -> FieldPath,
            &aws.scope_explicit_account_ids,
        ),
        (FieldPath::ExcludedAccount, &aws.scope_excluded_account_ids),
    ] {
        let mut seen = Dups::new();
        for (i, id) in list.iter().enumerate() {
            let f = path(i);
            match id.parse::<AccountId>() {
                Ok(_) => {
                    if let Some(row) = seen.check(id.clone(), i) {
                        r.error(f, Rule::UsedInRow(row));
                    }
                }
                Err(e) => r.error(f, e),
            }
        }
    }

    let perms = &aws.permissions;
    let n = perms.aws_managed_policies.len();
    if n > MANAGED_POLICIES_MAX {
        r.error(FieldPath::ManagedPolicies, Rule::TooManyPolicies(n));
    } else if n > MANAGED_POLICIES_DEFAULT_QUOTA {
        r.warn(FieldPath::ManagedPolicies, Rule::OverPolicyQuota(n));
    }
    let mut arns = Dups::new();
    for (i, arn) in perms.aws_managed_policies.iter().enumerate() {
        let f = FieldPath::ManagedPolicy(i);
        match arn.parse::<ManagedPolicyArn>() {
            Err(e) => r.error(f, e),
            Ok(a) => {
                if a.path().starts_with("/aws-service-role/") {
                    r.error(f.clone(), Rule::ServiceLinkedPolicy);
                } else if a.partition() != Partition::Aws {
                    r.error(f.clone(), Rule::PolicyPartition);
                } else if let Some(c) = catalogs {
                    if !c.policies.contains(arn) {
                        let hint = c.policies.did_you_mean(arn);
                        r.error(f.clone(), Rule::UnknownPolicy(hint));
                    }
                }
                if let Some(row) = arns.check(arn.clone(), i) {
                    r.error(f, Rule::ListedInRow(row));
                }
            }
        }
    }

    let mut actions = Dups::new();
    for (i, action) in perms.actions.iter().enumerate() {
        let f = FieldPath::Action(i);
        let a = match action.parse::<IamAction>() {
            Ok(a) => a,
            Err(e) => {
                r.error(f, e);
                continue;
            }
        };
        if let Some(row) = actions.check(action.to_ascii_lowercase(), i) {
            r.error(f, Rule::ListedInRow(row));
            continue;
        }
        if let Some(what) = broad_grant(&a) {
            r.warn(f.clone(), Rule::Broad(action.clone(), what));
        }
        if let Some(c) = catalogs.filter(|c| !c.actions.is_empty()) {
            if a.service() == "*" {
                continue;
            }
            if !c.actions.has_service(a.service()) {
                let hint = c.actions.did_you_mean(action);
                r.warn(f, Rule::UnknownService(a.service().to_owned(), hint));
            } else if a.is_wildcard() {
                if c.actions.match_count(action) == 0 {
                    r.warn(f, Rule::NoMatchingAction);
                }
            } else if !c.actions.contains(action) {
                let hint = c.actions.did_you_mean(action);
                r.warn(f, Rule::UnknownAction(hint));
            }
        }
    }

    if role_ok {
        let size = policy::inline_policies_size(&aws.role_name, &perms.actions);
        if size > policy::INLINE_POLICY_LIMIT {
            r.error(FieldPath::Actions, Rule::InlinePoliciesTooLarge(size));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::catalogs;
    use crate::model::{AccountContext, Collaborator, Permissions};

    fn good() -> CreateConnectionRequest {
        CreateConnectionRequest {
            name: "Production".into(),
            aws_config: Some(AwsConfig {
                role_name: "DoitCloudFlowRole".into(),
                context: vec![AccountContext {
                    account_id: "012345678901".into(),
                    regions: vec!["eu-west-1".into()],
                }],
                permissions: Permissions {
                    aws_managed_policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
                    actions: vec!["s3:GetObject".into()],
                },
                ..Default::default()
            }),
            collaborators: vec![Collaborator {
                email: "a@example.com".into(),
                role: "owner".into(),
            }],
            ..Default::default()
        }
    }
    fn aws(r: &mut CreateConnectionRequest) -> &mut AwsConfig {
        r.aws_config.as_mut().unwrap()
    }
    fn msgs(rep: &Report, field: &str) -> Vec<String> {
        rep.for_field(field).map(|p| p.message.clone()).collect()
    }

    #[test]
    fn a_good_request_has_no_problem() {
        let rep = validate(&good(), Some(&catalogs()));
        assert_eq!(rep.problems, vec![], "{rep:?}");
        assert!(validate(&good(), None).problems.is_empty());
    }

    #[test]
    fn name_and_description() {
        let mut r = good();
        r.name = "   ".into();
        assert_eq!(msgs(&validate(&r, None), "name"), ["is required"]);
        r.name = format!("  {}  ", "é".repeat(200));
        assert!(msgs(&validate(&r, None), "name").is_empty());
        r.name = "a".repeat(201);
        assert_eq!(
            msgs(&validate(&r, None), "name"),
            ["must be at most 200 characters (is 201)"]
        );
        r.name = "ok".into();
        r.description = Some("d".repeat(2001));
        assert_eq!(validate(&r, None).for_field("description").count(), 1);
        r.description = Some("d".repeat(2000));
        assert!(!validate(&r, None).has_errors());
    }

    #[test]
    fn config_presence() {
        let mut r = good();
        r.aws_config = None;
        assert_eq!(msgs(&validate(&r, None), "awsConfig"), ["is required"]);
        let mut r = good();
        r.gcp_config = Some(serde_json::json!({}));
        assert_eq!(validate(&r, None).for_field("gcpConfig").count(), 1);
    }

    #[test]
    fn role_name_boundaries() {
        let mut r = good();
        aws(&mut r).role_name = "a".repeat(64);
        assert!(!validate(&r, None).has_errors());
        aws(&mut r).role_name = "a".repeat(65);
        assert_eq!(
            msgs(&validate(&r, None), "awsConfig.roleName"),
            ["must be at most 64 characters (is 65)"]
        );
        aws(&mut r).role_name = String::new();
        assert_eq!(
            msgs(&validate(&r, None), "awsConfig.roleName"),
            ["is required"]
        );
    }

    #[test]
    fn accounts_every_problem_at_once() {
        let mut r = good();
        aws(&mut r).context = vec![
            AccountContext {
                account_id: "000000000001".into(),
                regions: vec![],
            },
            AccountContext {
                account_id: "12345".into(),
                regions: vec!["eu-west-9".into(), "nope".into()],
            },
            AccountContext {
                account_id: "000000000001".into(),
                regions: vec!["us-gov-west-1".into()],
            },
        ];
        let rep = validate(&r, Some(&catalogs()));
        assert!(msgs(&rep, "awsConfig.context[0].accountId").is_empty());
        assert_eq!(
            msgs(&rep, "awsConfig.context[1].accountId"),
            ["must be 12 digits"]
        );
        assert_eq!(
            msgs(&rep, "awsConfig.context[2].accountId"),
            ["already used in row 1"]
        );
        assert_eq!(
            msgs(&rep, "awsConfig.context[1].regions[0]"),
            ["is not an AWS region; did you mean eu-west-1?"]
        );
        assert_eq!(
            msgs(&rep, "awsConfig.context[1].regions[1]"),
            ["must be a region id such as eu-west-1"]
        );
        assert!(msgs(&rep, "awsConfig.context[2].regions[0]")[0].contains("aws-us-gov partition"));
        aws(&mut r).context.clear();
        assert_eq!(
            msgs(&validate(&r, None), "awsConfig.context"),
            ["add at least one account"]
        );
    }

    #[test]
    fn regions_without_catalogue_are_syntax_checked_only() {
        let mut r = good();
        aws(&mut r).context[0].regions = vec!["xx-west-7".into(), "xx-west-7".into()];
        let rep = validate(&r, None);
        assert!(!rep.has_errors());
        assert_eq!(
            msgs(&rep, "awsConfig.context[0].regions[1]"),
            ["already listed in row 1"]
        );
    }

    #[test]
    fn organisation_ids() {
        let mut r = good();
        let a = aws(&mut r);
        a.organization_root_id = Some("r-x".into());
        a.management_account = Some("12".into());
        a.scope_targeted_organizational_unit_ids = vec![
            "ou-ab12-abcdefgh".into(),
            "ou-bad".into(),
            "ou-ab12-abcdefgh".into(),
        ];
        a.scope_excluded_account_ids = vec!["1".into()];
        let rep = validate(&r, None);
        assert_eq!(
            msgs(&rep, "awsConfig.organizationRootId"),
            ["must be a root id such as r-ab12"]
        );
        assert_eq!(
            msgs(&rep, "awsConfig.managementAccount"),
            ["must be 12 digits"]
        );
        assert!(msgs(&rep, "awsConfig.scopeTargetedOrganizationalUnitIds[0]").is_empty());
        assert_eq!(
            rep.for_field("awsConfig.scopeTargetedOrganizationalUnitIds[1]")
                .count(),
            1
        );
        assert_eq!(
            msgs(&rep, "awsConfig.scopeTargetedOrganizationalUnitIds[2]"),
            ["already used in row 1"]
        );
        assert_eq!(
            rep.for_field("awsConfig.scopeExcludedAccountIds[0]")
                .count(),
            1
        );
    }

    #[test]
    fn managed_policy_counts_25_26_and_warning_past_10() {
        let mut r = good();
        let many = |n: usize| {
            (0..n)
                .map(|i| format!("arn:aws:iam::aws:policy/P{i}"))
                .collect::<Vec<_>>()
        };
        let f = "awsConfig.permissions.awsManagedPolicies";
        aws(&mut r).permissions.aws_managed_policies = many(10);
        assert_eq!(validate(&r, None).for_field(f).count(), 0);
        aws(&mut r).permissions.aws_managed_policies = many(11);
        let rep = validate(&r, None);
        assert_eq!(rep.for_field(f).next().unwrap().severity, Severity::Warning);
        assert!(!rep.has_errors());
        aws(&mut r).permissions.aws_managed_policies = many(25);
        assert!(!validate(&r, None).has_errors());
        aws(&mut r).permissions.aws_managed_policies = many(26);
        let rep = validate(&r, None);
        assert_eq!(
            msgs(&rep, f),
            ["at most 25 managed policies can be attached to a role (there are 26)"]
        );
    }

    #[test]
    fn managed_policy_arns() {
        let mut r = good();
        aws(&mut r).permissions.aws_managed_policies = vec![
            "arn:aws:iam::aws:policy/ReadOnlyAcess".into(),
            "ReadOnlyAccess".into(),
            "arn:aws-cn:iam::aws:policy/ReadOnlyAccess".into(),
            "arn:aws:iam::aws:policy/service-role/AWSConfigRole".into(),
            "arn:aws:iam::aws:policy/service-role/AWSConfigRole".into(),
            "arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy".into(),
        ];
        let rep = validate(&r, Some(&catalogs()));
        let f = |i: usize| format!("awsConfig.permissions.awsManagedPolicies[{i}]");
        assert_eq!(
            msgs(&rep, &f(0)),
            ["is not an AWS managed policy; did you mean arn:aws:iam::aws:policy/ReadOnlyAccess?"]
        );
        assert!(msgs(&rep, &f(1))[0].starts_with("must be an AWS managed policy ARN"));
        assert!(msgs(&rep, &f(2))[0].contains("commercial"));
        assert!(msgs(&rep, &f(3)).is_empty());
        assert_eq!(msgs(&rep, &f(4)), ["already listed in row 4"]);
        assert!(msgs(&rep, &f(5))[0].contains("service-linked"));
    }

    #[test]
    fn actions_rules() {
        let mut r = good();
        aws(&mut r).permissions.actions = vec![
            "s3:GetObject".into(),
            "S3:getobject".into(),
            "s3 GetObject".into(),
            "s3:GetObjekt".into(),
            "ec2:Describe*".into(),
            "ec2:Nothing*".into(),
            "iam:PassRole".into(),
            "*".into(),
            "nosvc:Do".into(),
        ];
        let rep = validate(&r, Some(&catalogs()));
        let f = |i: usize| format!("awsConfig.permissions.actions[{i}]");
        assert!(msgs(&rep, &f(0)).is_empty());
        assert_eq!(msgs(&rep, &f(1)), ["already listed in row 1"]);
        assert!(msgs(&rep, &f(2))[0].starts_with("must be service:Action"));
        let f3 = f(3);
        let w = rep.for_field(&f3).next().unwrap();
        assert_eq!(w.severity, Severity::Warning);
        assert_eq!(
            w.message,
            "is not a known action; did you mean s3:GetObject?"
        );
        assert!(msgs(&rep, &f(4)).is_empty());
        assert_eq!(msgs(&rep, &f(5)), ["matches no known action"]);
        assert!(msgs(&rep, &f(6))[0].contains("escalate"));
        assert!(msgs(&rep, &f(7))[0].contains("every action"));
        assert!(msgs(&rep, &f(8))[0].contains("not known to IAM"));
        let errors: Vec<_> = rep.errors().map(|p| p.field.to_string()).collect();
        assert_eq!(errors, vec![f(1), f(2)]);
        assert_eq!(rep.warnings().count(), 5);
    }

    #[test]
    fn inline_policy_size() {
        let mut r = good();
        aws(&mut r).permissions.actions = (0..400)
            .map(|i| format!("service{i}:SomeLongishActionName{i}"))
            .collect();
        let rep = validate(&r, None);
        assert!(msgs(&rep, "awsConfig.permissions.actions")[0].contains("IAM accepts 10240"));
        aws(&mut r).permissions.actions.truncate(200);
        assert_eq!(
            validate(&r, None)
                .for_field("awsConfig.permissions.actions")
                .count(),
            0
        );
    }

    #[test]
    fn collaborators() {
        let mut r = good();
        r.collaborators = vec![
            Collaborator {
                email: "A@Example.com".into(),
                role: "owner".into(),
            },
            Collaborator {
                email: "a@example.com".into(),
                role: "admin".into(),
            },
            Collaborator {
                email: "nope".into(),
                role: "user".into(),
            },
        ];
        let rep = validate(&r, None);
        assert_eq!(
            msgs(&rep, "collaborators[1].email"),
            ["already used in row 1"]
        );
        assert_eq!(
            msgs(&rep, "collaborators[1].role"),
            ["must be owner, editor or user"]
        );
        assert_eq!(rep.for_field("collaborators[2].email").count(), 1);
        assert_eq!(rep.for_field("collaborators").count(), 0);
        // The last Owner cannot go: a list without one is refused.
        r.collaborators[0].role = "editor".into();
        assert_eq!(
            msgs(&validate(&r, None), "collaborators"),
            ["keep at least one Owner: the last Owner cannot be removed or demoted"]
        );
        r.collaborators.clear();
        assert!(!validate(&r, None).has_errors());
    }

    #[test]
    fn severity_serde() {
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            "\"warning\""
        );
    }
}
