//! `--simulated-aws`: a stand-in for the little of AWS that a CloudFlow connection depends on.
//!
//! People deploy DoiT's CloudFormation template (`shared/design/aws-facts.md`) through a
//! stand-in of the console's quick-create page ([`pages`]); tests and scripts use a JSON API
//! ([`json`]). Both create stacks with the checks CloudFormation and IAM would make with DoiT's
//! template ([`check`]), stored in the database. Each read of a connection then asks
//! [`account_state`] what CloudFlow would find in each of its accounts: the role with the
//! connection's external ID and DoiT's trusted account (active), a role that CloudFlow cannot
//! assume (failed, saying why), or nothing yet (pending).
//!
//! Accounts are any 12-digit ids, not tied to a tenant. Nothing here reaches AWS.

pub mod json;
pub mod pages;

use std::str::FromStr;

use axum::routing::{get, post};
use axum::Router;
use cloudflow_core::wire::Status;
use cloudflow_core::{AccountId, IamAction, ManagedPolicyArn, ParseError, RoleName};
use serde_json::{json, Value};

use crate::db;
use crate::lifecycle::AccountState;
use crate::problem::ApiError;
use crate::state::AppState;

/// Where the simulated console and its JSON API live (outside the API prefixes).
pub const PREFIX: &str = "/simulated-aws";
/// DoiT's AWS account, the template's default `TrustedAccountId`.
pub const DOIT_ACCOUNT: &str = "068664126052";
/// The stack name of DoiT's quick-create link.
pub const DOIT_STACK_NAME: &str = "DoitCloudFlowConnectionRole";
/// The only region DoiT's template may be used in.
pub const TEMPLATE_REGION: &str = "us-east-1";
/// The status of every stored stack (refused stacks are not stored).
pub const CREATE_COMPLETE: &str = "CREATE_COMPLETE";
/// The template's parameters, in the order the console shows them.
pub const PARAMETERS: [&str; 5] = [
    "RoleName",
    "TrustedAccountId",
    "ExternalId",
    "ManagedPolicyArns",
    "AllowedActions",
];
/// Most bytes in one parameter value (CloudFormation's limit).
pub const PARAMETER_MAX_BYTES: usize = 4096;
/// Most characters of a template URL.
pub const TEMPLATE_URL_MAX: usize = 1024;
/// Managed policies IAM attaches to one role by default.
pub const POLICIES_PER_ROLE: usize = 10;

/// The routes of the simulated console, its script and stylesheet, and the JSON API.
pub fn routes() -> Router<std::sync::Arc<AppState>> {
    Router::new()
        .route("/simulated-aws/cloudformation/home", get(pages::home))
        .route(
            "/simulated-aws/cloudformation/stacks",
            get(pages::stack_list).post(pages::create_stack),
        )
        .route(
            "/simulated-aws/cloudformation/stacks/delete",
            post(pages::delete_stack),
        )
        .route("/simulated-aws/console.js", get(pages::script))
        .route("/simulated-aws/console.css", get(pages::stylesheet))
        .route(
            "/simulated-aws/api/stacks",
            get(json::list).post(json::create),
        )
        .route(
            "/simulated-aws/api/stacks/{account_id}/{stack_name}",
            get(json::one).delete(json::delete),
        )
}

/// A stack of DoiT's template in the simulated AWS (one IAM role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    pub account_id: String,
    pub stack_name: String,
    pub region: String,
    pub template_url: Option<String>,
    pub role_name: String,
    pub trusted_account_id: String,
    pub external_id: String,
    pub managed_policy_arns: Vec<String>,
    pub allowed_actions: Vec<String>,
    pub status: String,
    pub create_ms: i64,
}

impl Stack {
    /// The template's output `RoleArn`.
    pub fn role_arn(&self) -> String {
        format!("arn:aws:iam::{}:role/{}", self.account_id, self.role_name)
    }

    /// The stack as the JSON API writes it (parameters as CloudFormation shows them: lists
    /// comma-joined).
    pub fn to_json(&self) -> Value {
        json!({
            "accountId": self.account_id,
            "stackName": self.stack_name,
            "region": self.region,
            "status": self.status,
            "templateURL": self.template_url,
            "parameters": {
                "RoleName": self.role_name,
                "TrustedAccountId": self.trusted_account_id,
                "ExternalId": self.external_id,
                "ManagedPolicyArns": self.managed_policy_arns.join(","),
                "AllowedActions": self.allowed_actions.join(","),
            },
            "outputs": {"RoleArn": self.role_arn()},
            "createTime": crate::time::rfc3339(self.create_ms),
        })
    }
}

/// A request to create a stack, as sent: `None` = not sent (the template's default applies
/// where it has one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackRequest {
    pub account_id: String,
    pub stack_name: String,
    pub region: String,
    pub template_url: Option<String>,
    /// The IAM acknowledgement (`CAPABILITY_NAMED_IAM`).
    pub acknowledged: bool,
    pub role_name: Option<String>,
    pub trusted_account_id: Option<String>,
    pub external_id: Option<String>,
    pub managed_policy_arns: Option<String>,
    pub allowed_actions: Option<String>,
}

/// Why CloudFormation (or IAM, creating the stack's role) refuses a stack; `Display` is the
/// reason shown under "Stack not created" and in the JSON API's `{"error": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("AWS account ID {0}")]
    Account(ParseError),
    #[error("Stack name {0}")]
    StackName(&'static str),
    #[error("Create this stack in us-east-1")]
    Region,
    #[error("Template URL must be at most 1024 characters (is {0})")]
    TemplateUrl(usize),
    #[error("Parameters: [{}] must have values", .0.join(", "))]
    MissingParameters(Vec<&'static str>),
    #[error("Parameters: [{}] do not exist in the template", .0.join(", "))]
    UnknownParameters(Vec<String>),
    #[error("Parameter {name} {problem}")]
    Parameter { name: &'static str, problem: String },
    #[error("Cannot exceed quota for PoliciesPerRole: 10 (ManagedPolicyArns has {0})")]
    PoliciesPerRole(usize),
    #[error("Requires capabilities : [CAPABILITY_NAMED_IAM]")]
    Capabilities,
    #[error("Stack [{0}] already exists")]
    StackExists(String),
    #[error("Role with name {0} already exists")]
    RoleExists(String),
}

/// Checks a stack request as CloudFormation would with DoiT's template, against the stacks
/// already in that account; the stack to store, or why not.
pub fn check(req: &StackRequest, in_account: &[Stack], now_ms: i64) -> Result<Stack, Refusal> {
    let account = AccountId::from_str(&req.account_id).map_err(Refusal::Account)?;
    let stack_name = req.stack_name.as_str();
    check_stack_name(stack_name)?;
    if req.region != TEMPLATE_REGION {
        return Err(Refusal::Region);
    }
    if let Some(url) = &req.template_url {
        let len = url.chars().count();
        if len > TEMPLATE_URL_MAX {
            return Err(Refusal::TemplateUrl(len));
        }
    }
    let (role_name, external_id) = match (given(&req.role_name), given(&req.external_id)) {
        (Some(r), Some(e)) => (r, e),
        (r, e) => {
            let mut missing = Vec::new();
            if r.is_none() {
                missing.push("RoleName");
            }
            if e.is_none() {
                missing.push("ExternalId");
            }
            return Err(Refusal::MissingParameters(missing));
        }
    };
    for (name, value) in [
        ("RoleName", Some(role_name)),
        ("TrustedAccountId", req.trusted_account_id.as_deref()),
        ("ExternalId", Some(external_id)),
        ("ManagedPolicyArns", req.managed_policy_arns.as_deref()),
        ("AllowedActions", req.allowed_actions.as_deref()),
    ] {
        let len = value.map_or(0, str::len);
        if len > PARAMETER_MAX_BYTES {
            return Err(Refusal::Parameter {
                name,
                problem: format!("must be at most {PARAMETER_MAX_BYTES} bytes (is {len})"),
            });
        }
    }
    let role_name = RoleName::from_str(role_name)
        .map_err(|e| parameter("RoleName", e.to_string()))?
        .to_string();
    let trusted = match req.trusted_account_id.as_deref() {
        None => DOIT_ACCOUNT.to_owned(),
        Some(t) => AccountId::from_str(t)
            .map_err(|e| parameter("TrustedAccountId", e.to_string()))?
            .to_string(),
    };
    check_external_id(external_id).map_err(|e| parameter("ExternalId", e.to_string()))?;
    let policies = list(req.managed_policy_arns.as_deref());
    for arn in &policies {
        if !is_policy_arn(arn) {
            return Err(parameter(
                "ManagedPolicyArns",
                format!("has {arn:?}, which is not a policy ARN (arn:aws:iam::aws:policy/Name)"),
            ));
        }
    }
    if policies.len() > POLICIES_PER_ROLE {
        return Err(Refusal::PoliciesPerRole(policies.len()));
    }
    let actions = list(req.allowed_actions.as_deref());
    for action in &actions {
        if let Err(e) = IamAction::from_str(action) {
            return Err(parameter(
                "AllowedActions",
                format!("has {action:?}, which {e}"),
            ));
        }
    }
    if !req.acknowledged {
        return Err(Refusal::Capabilities);
    }
    if in_account.iter().any(|s| s.stack_name == stack_name) {
        return Err(Refusal::StackExists(stack_name.to_owned()));
    }
    if in_account
        .iter()
        .any(|s| s.role_name.eq_ignore_ascii_case(&role_name))
    {
        return Err(Refusal::RoleExists(role_name));
    }
    Ok(Stack {
        account_id: account.to_string(),
        stack_name: stack_name.to_owned(),
        region: req.region.clone(),
        template_url: req.template_url.clone().filter(|u| !u.is_empty()),
        role_name,
        trusted_account_id: trusted,
        external_id: external_id.to_owned(),
        managed_policy_arns: policies,
        allowed_actions: actions,
        status: CREATE_COMPLETE.to_owned(),
        create_ms: now_ms,
    })
}

/// Creates a stack in the simulated AWS: checked against the stacks of its account and stored
/// under one database lock. The outer error is the server's own failure.
pub fn create(state: &AppState, req: &StackRequest) -> Result<Result<Stack, Refusal>, ApiError> {
    let conn = state.db()?;
    let in_account = db::simulated_stacks(&conn, Some(req.account_id.trim()))?;
    match check(req, &in_account, crate::time::now_ms()) {
        Ok(stack) => {
            db::insert_simulated_stack(&conn, &stack)?;
            Ok(Ok(stack))
        }
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// Deletes a stack and its role; `None` when the account has no stack of that name.
pub fn delete_stack(
    state: &AppState,
    account_id: &str,
    stack_name: &str,
) -> Result<Option<Stack>, ApiError> {
    let conn = state.db()?;
    let Some(stack) = db::simulated_stacks(&conn, Some(account_id))?
        .into_iter()
        .find(|s| s.stack_name == stack_name)
    else {
        return Ok(None);
    };
    db::delete_simulated_stack(&conn, account_id, stack_name)?;
    Ok(Some(stack))
}

/// Why a stack cannot be deleted: there is none of that name in the account.
pub fn no_such_stack(account_id: &str, stack_name: &str) -> String {
    format!("Stack [{stack_name}] does not exist in account {account_id}")
}

/// A parameter value that is there and not blank.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.trim().is_empty())
}

fn parameter(name: &'static str, problem: String) -> Refusal {
    Refusal::Parameter { name, problem }
}

/// Stack names: a letter, then letters, digits and hyphens, at most 128 characters.
fn check_stack_name(name: &str) -> Result<(), Refusal> {
    if name.is_empty() {
        return Err(Refusal::StackName("is required"));
    }
    let ok = name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Refusal::StackName(
            "must start with a letter and have only letters, digits and hyphens (at most 128 characters)",
        ))
    }
}

/// DoiT's template's rule for `ExternalId`: 1-1,224 of `A-Za-z0-9+=,.@_-` (stricter than IAM,
/// which also allows `:` and `/`; `cloudflow_core::ExternalId` follows IAM).
pub fn check_external_id(id: &str) -> Result<(), ParseError> {
    if id.is_empty() {
        return Err(ParseError::Empty);
    }
    if let Some(c) = id
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)))
    {
        return Err(ParseError::BadChar(c));
    }
    let len = id.len();
    if len > 1224 {
        return Err(ParseError::TooLong { max: 1224, len });
    }
    Ok(())
}

/// A CommaDelimitedList parameter: the items, trimmed, without empty ones.
fn list(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An AWS managed policy ARN, or a customer managed one
/// (`arn:<partition>:iam::<12 digits>:policy/[path/]Name`).
fn is_policy_arn(arn: &str) -> bool {
    if ManagedPolicyArn::from_str(arn).is_ok() {
        return true;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [arn_, partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let name_ok = resource.strip_prefix("policy/").is_some_and(|path| {
        path.split('/').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
        })
    });
    *arn_ == "arn"
        && ["aws", "aws-us-gov", "aws-cn"].contains(partition)
        && *service == "iam"
        && region.is_empty()
        && account_ok
        && name_ok
}

/// What CloudFlow finds in `account_id` for a connection with this role name and external ID:
/// - the role (its name compared ignoring case) with the external ID and DoiT's account:
///   `active`, once `propagation_ms` have passed since its stack was created (IAM
///   propagation), `pending_permissions` before;
/// - the role with another external ID, or trusting another account: `permissions_failed`;
/// - no such role, but DoiT's stack (`DoitCloudFlowConnectionRole`) made a role of another
///   name: `permissions_failed`;
/// - else `pending_permissions`.
pub fn account_state(
    stacks: &[Stack],
    account_id: &str,
    role_name: &str,
    external_id: &str,
    now_ms: i64,
    propagation_ms: i64,
) -> AccountState {
    let account_id = account_id.trim();
    let in_account = || stacks.iter().filter(move |s| s.account_id == account_id);
    let failed = |message: String| AccountState {
        status: Status::PermissionsFailed,
        message: Some(message),
    };
    let waiting = AccountState {
        status: Status::PendingPermissions,
        message: Some(format!(
            "waiting for the role {role_name} in account {account_id}"
        )),
    };
    if let Some(role) = in_account().find(|s| s.role_name.eq_ignore_ascii_case(role_name)) {
        if role.external_id != external_id {
            return failed("the role's external ID differs from this connection's".to_owned());
        }
        if role.trusted_account_id != DOIT_ACCOUNT {
            return failed(format!(
                "the role trusts account {}, not DoiT's account {DOIT_ACCOUNT}",
                role.trusted_account_id
            ));
        }
        if now_ms < role.create_ms.saturating_add(propagation_ms) {
            return waiting;
        }
        return AccountState {
            status: Status::Active,
            message: None,
        };
    }
    if let Some(doit) = in_account().find(|s| s.stack_name == DOIT_STACK_NAME) {
        return failed(format!(
            "the stack {DOIT_STACK_NAME} in this account created the role {}, not {role_name}",
            doit.role_name
        ));
    }
    waiting
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXT: &str = "doit-cf-abc-123";

    fn good() -> StackRequest {
        StackRequest {
            account_id: "123456789012".into(),
            stack_name: DOIT_STACK_NAME.into(),
            region: "us-east-1".into(),
            template_url: None,
            acknowledged: true,
            role_name: Some("CloudFlowRole".into()),
            trusted_account_id: None,
            external_id: Some(EXT.into()),
            managed_policy_arns: Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into()),
            allowed_actions: Some("s3:GetObject, ec2:Describe*".into()),
        }
    }

    fn refused(req: &StackRequest) -> String {
        check(req, &[], 0).expect_err("refused").to_string()
    }

    #[test]
    fn a_good_request_makes_a_stack_with_the_templates_defaults() {
        let s = check(&good(), &[], 7).expect("created");
        assert_eq!(s.trusted_account_id, DOIT_ACCOUNT);
        assert_eq!(s.allowed_actions, ["s3:GetObject", "ec2:Describe*"]);
        assert_eq!(s.status, CREATE_COMPLETE);
        assert_eq!(s.role_arn(), "arn:aws:iam::123456789012:role/CloudFlowRole");
        assert_eq!(
            s.to_json()["parameters"]["AllowedActions"],
            "s3:GetObject,ec2:Describe*"
        );
    }

    #[test]
    fn refusals_say_what_cloudformation_would() {
        let mut r = good();
        r.region = "eu-west-1".into();
        assert_eq!(refused(&r), "Create this stack in us-east-1");
        let mut r = good();
        r.acknowledged = false;
        assert_eq!(
            refused(&r),
            "Requires capabilities : [CAPABILITY_NAMED_IAM]"
        );
        let mut r = good();
        r.account_id = "12345".into();
        assert_eq!(refused(&r), "AWS account ID must be 12 digits");
        let mut r = good();
        r.account_id = String::new();
        assert_eq!(refused(&r), "AWS account ID is required");
        let mut r = good();
        r.external_id = Some("a:b".into());
        assert!(refused(&r).starts_with("Parameter ExternalId must not contain \":\""));
        r.external_id = Some("x".repeat(1225));
        assert_eq!(
            refused(&r),
            "Parameter ExternalId must be at most 1224 characters (is 1225)"
        );
        r.external_id = Some("x".into());
        assert!(
            check(&r, &[], 0).is_ok(),
            "one character is enough for DoiT's template"
        );
        r.external_id = None;
        r.role_name = Some(" ".into());
        assert_eq!(
            refused(&r),
            "Parameters: [RoleName, ExternalId] must have values"
        );
        let mut r = good();
        r.role_name = Some("a/b".into());
        assert!(refused(&r).starts_with("Parameter RoleName must not contain \"/\""));
        r.role_name = Some("a".repeat(65));
        assert_eq!(
            refused(&r),
            "Parameter RoleName must be at most 64 characters (is 65)"
        );
        let mut r = good();
        r.trusted_account_id = Some("1234".into());
        assert_eq!(refused(&r), "Parameter TrustedAccountId must be 12 digits");
        let mut r = good();
        r.stack_name = "1stack".into();
        assert!(refused(&r).starts_with("Stack name must start with a letter"));
        let mut r = good();
        r.allowed_actions = Some("s3GetObject".into());
        assert!(refused(&r).starts_with(
            "Parameter AllowedActions has \"s3GetObject\", which must be service:Action"
        ));
        let mut r = good();
        r.managed_policy_arns = Some("ReadOnlyAccess".into());
        assert!(refused(&r).starts_with("Parameter ManagedPolicyArns has \"ReadOnlyAccess\""));
        r.managed_policy_arns = Some("arn:aws:iam::123456789012:policy/team/Mine".into());
        assert!(check(&r, &[], 0).is_ok(), "customer managed policies too");
        r.managed_policy_arns = Some(["arn:aws:iam::aws:policy/ReadOnlyAccess"; 11].join(","));
        assert!(refused(&r).starts_with("Cannot exceed quota for PoliciesPerRole: 10"));
        let mut r = good();
        r.allowed_actions = Some(["s3:GetObject"; 400].join(","));
        assert!(refused(&r).starts_with("Parameter AllowedActions must be at most 4096 bytes"));
    }

    #[test]
    fn names_clash_within_an_account_only() {
        let first = check(&good(), &[], 0).expect("created");
        let again = check(&good(), std::slice::from_ref(&first), 0).expect_err("exists");
        assert_eq!(
            again.to_string(),
            "Stack [DoitCloudFlowConnectionRole] already exists"
        );
        let mut other = good();
        other.stack_name = "Another".into();
        other.role_name = Some("CLOUDFLOWROLE".into());
        let clash = check(&other, std::slice::from_ref(&first), 0).expect_err("role exists");
        assert_eq!(
            clash.to_string(),
            "Role with name CLOUDFLOWROLE already exists"
        );
    }

    #[test]
    fn account_states_follow_what_is_deployed() {
        let acct = "123456789012";
        let state =
            |stacks: &[Stack], now| account_state(stacks, acct, "cloudflowrole", EXT, now, 1000);
        let none = state(&[], 0);
        assert_eq!(none.status, Status::PendingPermissions);
        assert_eq!(
            none.message.as_deref(),
            Some("waiting for the role cloudflowrole in account 123456789012")
        );
        let stack = check(&good(), &[], 5000).expect("created");
        assert_eq!(
            state(std::slice::from_ref(&stack), 5999).status,
            Status::PendingPermissions
        );
        assert_eq!(
            state(std::slice::from_ref(&stack), 6000).status,
            Status::Active
        );
        // Another account's role does not count.
        let elsewhere = account_state(
            std::slice::from_ref(&stack),
            "000000000001",
            "CloudFlowRole",
            EXT,
            9999,
            0,
        );
        assert_eq!(elsewhere.status, Status::PendingPermissions);
        let mut wrong = stack.clone();
        wrong.external_id = "other".into();
        assert_eq!(
            state(&[wrong], 9999).message.as_deref(),
            Some("the role's external ID differs from this connection's")
        );
        let mut foreign = stack.clone();
        foreign.trusted_account_id = "111122223333".into();
        assert_eq!(
            state(&[foreign], 9999).message.as_deref(),
            Some("the role trusts account 111122223333, not DoiT's account 068664126052")
        );
        let mut renamed = stack;
        renamed.role_name = "SomethingElse".into();
        let s = state(&[renamed], 9999);
        assert_eq!(s.status, Status::PermissionsFailed);
        assert_eq!(
            s.message.as_deref(),
            Some("the stack DoitCloudFlowConnectionRole in this account created the role SomethingElse, not cloudflowrole")
        );
    }
}
