//! The CloudFormation role template (DoiT's parameters, defaulted to the request) and the
//! organisation StackSet that deploys it.
//!
//! The template creates exactly the resources of DoiT's hosted template: the same logical ids,
//! types, policy names, statements (Sids, actions, resources) and role properties (its
//! `Description` is DoiT's text, no tags), so a stack made from it and one made by DoiT's
//! quick-create link can update each other without replacing anything. What it does
//! differently creates no resource: ARNs follow the stack's partition, and a `Rules` assertion
//! (not a failing custom resource) keeps the stack in us-east-1.

use super::link::PARAM_LIMIT;
use super::text;
use super::tree::{Intrinsic, Node};
use super::{RenderError, RenderOptions, STACK_NAME};
use crate::model::{AwsConfig, CreateConnectionRequest};
use crate::policy::{
    BASE_POLICY_NAME, BASE_STATEMENTS, CUSTOM_POLICY_NAME, CUSTOM_SID, ROLE_DESCRIPTION, TRUST_SID,
};
use crate::types::{ExternalId, EXTERNAL_ID_MAX};

/// Logical id of the role (DoiT's).
pub const ROLE_ID: &str = "DoitCloudFlowConnectionRole";
/// Logical id of the base policy (DoiT's).
pub const BASE_POLICY_ID: &str = "DoitCloudFlowConnectionBasePolicy";
/// Logical id of the custom policy (DoiT's).
pub const CUSTOM_POLICY_ID: &str = "CloudFlowConnectionRoleCustomPolicy";

/// The pattern DoiT's template gives `RoleName` and `ExternalId`.
const NAME_PATTERN: &str = "^[a-zA-Z0-9+=,.@_-]+$";

pub(crate) fn aws_or_default(req: &CreateConnectionRequest) -> AwsConfig {
    req.aws_config.clone().unwrap_or_default()
}

/// Whether a list parameter's values, comma-joined, fit a parameter value. When they do not,
/// the parameter defaults to "" and the template writes the values where they are used.
fn fits_parameter(values: &[String]) -> bool {
    values.join(",").len() <= PARAM_LIMIT
}

/// The template's `Metadata`: the connection (the person's texts verbatim: CloudFormation
/// substitutes `${...}` only inside `Fn::Sub`), and, when those texts or the `descriptions`
/// made from them hold `${Name}` forms, cfn-lint's setting that they are literal text.
fn metadata(
    req: &CreateConnectionRequest,
    aws: &AwsConfig,
    note: Option<&str>,
    descriptions: &[&str],
) -> Node {
    let mut m = vec![("ConnectionName".to_string(), Node::s(&req.name))];
    if let Some(d) = &req.description {
        m.push(("ConnectionDescription".into(), Node::s(d)));
    }
    m.push((
        "AccountIds".into(),
        Node::strs(aws.context.iter().map(|c| c.account_id.as_str())),
    ));
    if let Some(n) = note {
        m.push(("Note".into(), Node::s(n)));
    }
    let mut metadata = vec![("DoitCloudFlow".to_string(), Node::Map(m))];
    let texts = [req.name.as_str()]
        .into_iter()
        .chain(req.description.as_deref())
        .chain(descriptions.iter().copied());
    let literals = text::substitution_lookalikes(texts);
    if !literals.is_empty() {
        metadata.push((
            "cfn-lint".into(),
            Node::map([(
                "config",
                Node::map([(
                    "configure_rules",
                    Node::map([(
                        "E1029",
                        Node::map([(
                            "custom_excludes",
                            Node::s(text::cfn_lint_literals(&literals)),
                        )]),
                    )]),
                )]),
            )]),
        ));
    }
    Node::Map(metadata)
}

fn list_parameter(values: &[String], description: &str, in_template: &str) -> Node {
    let (default, description) = if fits_parameter(values) {
        (values.join(","), description.to_string())
    } else {
        (
            String::new(),
            format!(
                "{description}. Empty: the {} {in_template} written in this template (too long for a parameter value)",
                values.len()
            ),
        )
    };
    Node::map([
        ("Type", Node::s("CommaDelimitedList")),
        ("Description", Node::s(description)),
        ("Default", Node::s(default)),
    ])
}

fn parameters(aws: &AwsConfig, opts: &RenderOptions, external_id: Option<&ExternalId>) -> Node {
    let mut external = vec![
        ("Type".to_string(), Node::s("String")),
        (
            "Description".into(),
            Node::s("External ID DoiT shows for this connection (the sts:ExternalId condition)"),
        ),
    ];
    // Unknown: no default, so the console and the CLI ask for it.
    if let Some(e) = external_id {
        external.push(("Default".into(), Node::s(e.as_str())));
    }
    external.extend([
        ("MinLength".to_string(), Node::Int(1)),
        ("MaxLength".into(), Node::Int(EXTERNAL_ID_MAX as i64)),
        ("AllowedPattern".into(), Node::s(NAME_PATTERN)),
        (
            "ConstraintDescription".into(),
            Node::s("1-1224 letters, digits and + = , . @ _ -"),
        ),
    ]);
    Node::map([
        (
            "RoleName",
            Node::map([
                ("Type", Node::s("String")),
                (
                    "Description",
                    Node::s("Name of the IAM role DoiT CloudFlow assumes"),
                ),
                ("Default", Node::s(&aws.role_name)),
                ("AllowedPattern", Node::s(NAME_PATTERN)),
                (
                    "ConstraintDescription",
                    Node::s("letters, digits and + = , . @ _ -"),
                ),
            ]),
        ),
        (
            "TrustedAccountId",
            Node::map([
                ("Type", Node::s("String")),
                (
                    "Description",
                    Node::s("DoiT's AWS account, trusted to assume the role"),
                ),
                ("Default", Node::s(&opts.trusted_account_id)),
                ("AllowedPattern", Node::s(r"^\d{12}$")),
                ("ConstraintDescription", Node::s("12 digits")),
            ]),
        ),
        ("ExternalId", Node::Map(external)),
        (
            "ManagedPolicyArns",
            list_parameter(
                &aws.permissions.aws_managed_policies,
                "AWS managed policies attached to the role",
                "policies",
            ),
        ),
        (
            "AllowedActions",
            list_parameter(
                &aws.permissions.actions,
                "IAM actions allowed on all resources by the custom policy",
                "actions",
            ),
        ),
    ])
}

fn not_empty_list(param: &str) -> Node {
    Node::call(
        Intrinsic::Not,
        vec![Node::call(
            Intrinsic::Equals,
            vec![
                Node::call(Intrinsic::Join, vec![Node::s(""), Node::reference(param)]),
                Node::s(""),
            ],
        )],
    )
}

/// `!If [condition, !Ref param, otherwise]`.
fn param_or(condition: &str, param: &str, otherwise: Node) -> Node {
    Node::call(
        Intrinsic::If,
        vec![Node::s(condition), Node::reference(param), otherwise],
    )
}

fn statement(sid: &str, actions: Node, resource: Node) -> Node {
    Node::map([
        ("Sid", Node::s(sid)),
        ("Effect", Node::s("Allow")),
        ("Action", actions),
        ("Resource", resource),
    ])
}

fn document(statements: Vec<Node>) -> Node {
    Node::map([
        ("Version", Node::s("2012-10-17")),
        ("Statement", Node::List(statements)),
    ])
}

/// An `AWS::IAM::Policy` on the role.
fn role_policy(name: &str, doc: Node) -> Vec<(String, Node)> {
    vec![
        ("PolicyName".to_string(), Node::s(name)),
        ("Roles".into(), Node::list([Node::reference(ROLE_ID)])),
        ("PolicyDocument".into(), doc),
    ]
}

/// The role template as a tree.
pub(crate) fn role_template(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
    external_id: Option<&ExternalId>,
) -> Node {
    let aws = aws_or_default(req);
    let policies = &aws.permissions.aws_managed_policies;
    let actions = &aws.permissions.actions;
    let rules = Node::map([(
        "StackInUsEast1",
        Node::map([(
            "Assertions",
            Node::list([Node::map([
                (
                    "Assert",
                    Node::call(
                        Intrinsic::Equals,
                        vec![Node::reference("AWS::Region"), Node::s("us-east-1")],
                    ),
                ),
                (
                    "AssertDescription",
                    Node::s("Create this stack in us-east-1: IAM is global and DoiT expects the stack there."),
                ),
            ])]),
        )]),
    )]);

    let trust = document(vec![Node::map([
        ("Sid", Node::s(TRUST_SID)),
        ("Effect", Node::s("Allow")),
        (
            "Principal",
            Node::map([(
                "AWS",
                Node::sub("arn:${AWS::Partition}:iam::${TrustedAccountId}:root"),
            )]),
        ),
        ("Action", Node::s("sts:AssumeRole")),
        (
            "Condition",
            Node::map([(
                "StringEquals",
                Node::map([("sts:ExternalId", Node::reference("ExternalId"))]),
            )]),
        ),
    ])]);
    // DoiT's form (`[]` when there are none); policies too long for the parameter are written
    // in the template instead.
    let managed = if fits_parameter(policies) {
        Node::List(Vec::new())
    } else {
        Node::strs(policies.iter().cloned())
    };
    let role = Node::map([
        ("Type", Node::s("AWS::IAM::Role")),
        (
            "Properties",
            Node::map([
                ("RoleName", Node::reference("RoleName")),
                ("Description", Node::s(ROLE_DESCRIPTION)),
                ("Path", Node::s("/")),
                ("AssumeRolePolicyDocument", trust),
                (
                    "ManagedPolicyArns",
                    param_or("HasManagedPolicies", "ManagedPolicyArns", managed),
                ),
            ]),
        ),
    ]);

    let base = document(
        BASE_STATEMENTS
            .iter()
            .map(|(sid, actions, on_role)| {
                let resource = if *on_role {
                    Node::get_att(ROLE_ID, "Arn")
                } else {
                    Node::s("*")
                };
                statement(sid, Node::strs(actions.iter().copied()), resource)
            })
            .collect(),
    );
    let base = Node::map([
        ("Type", Node::s("AWS::IAM::Policy")),
        ("Properties", Node::Map(role_policy(BASE_POLICY_NAME, base))),
    ]);

    // As DoiT's: created when AllowedActions is not empty. When the actions do not fit the
    // parameter, it is always created and holds them unless AllowedActions is set.
    let (condition, custom_actions) = if fits_parameter(actions) {
        (Some("HasAllowedActions"), Node::reference("AllowedActions"))
    } else {
        (
            None,
            param_or(
                "HasAllowedActions",
                "AllowedActions",
                Node::strs(actions.iter().cloned()),
            ),
        )
    };
    let mut custom = vec![("Type".to_string(), Node::s("AWS::IAM::Policy"))];
    if let Some(c) = condition {
        custom.push(("Condition".into(), Node::s(c)));
    }
    custom.push((
        "Properties".into(),
        Node::Map(role_policy(
            CUSTOM_POLICY_NAME,
            document(vec![statement(CUSTOM_SID, custom_actions, Node::s("*"))]),
        )),
    ));

    let description = text::template_description(&format!(
        "IAM role for the DoiT CloudFlow connection {}",
        req.name.trim()
    ));
    let meta = metadata(req, &aws, None, &[&description]);
    Node::map([
        ("AWSTemplateFormatVersion", Node::s("2010-09-09")),
        ("Description", Node::s(description)),
        ("Metadata", meta),
        ("Parameters", parameters(&aws, opts, external_id)),
        ("Rules", rules),
        (
            "Conditions",
            Node::map([
                ("HasManagedPolicies", not_empty_list("ManagedPolicyArns")),
                ("HasAllowedActions", not_empty_list("AllowedActions")),
            ]),
        ),
        (
            "Resources",
            Node::map([
                (ROLE_ID, role),
                (BASE_POLICY_ID, base),
                (CUSTOM_POLICY_ID, Node::Map(custom)),
            ]),
        ),
        (
            "Outputs",
            Node::map([(
                "RoleArn",
                Node::map([
                    (
                        "Description",
                        Node::s("ARN of the role to give DoiT CloudFlow"),
                    ),
                    ("Value", Node::get_att(ROLE_ID, "Arn")),
                ]),
            )]),
        ),
    ])
}

const YAML_HEADER: &str =
    "# IAM role for a DoiT CloudFlow connection, generated by cloudflow-connect.\n\
# Create the stack in us-east-1 and acknowledge CAPABILITY_NAMED_IAM. It creates the resources\n\
# DoiT's hosted template creates (same logical ids and policies): a stack made from either can\n\
# be updated with the other.\n";

/// `cfn-yaml`.
pub fn cfn_yaml(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    let external_id = opts.checked_external_id()?;
    let body = role_template(req, opts, external_id.as_ref())
        .to_yaml()
        .map_err(RenderError::Emit)?;
    Ok(format!("{YAML_HEADER}{body}"))
}

/// `cfn-json`.
pub fn cfn_json(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    let external_id = opts.checked_external_id()?;
    role_template(req, opts, external_id.as_ref())
        .to_json()
        .map_err(RenderError::Emit)
}

/// Note that the StackSet never reaches the management account.
pub const MANAGEMENT_ACCOUNT_NOTE: &str = "A service-managed StackSet never deploys to the organisation's management account: create the plain role stack (cfn-yaml) there too if CloudFlow should reach it.";

/// `stackset-yaml`.
pub fn stackset_yaml(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    let external_id = opts.checked_external_id()?;
    if !req.is_organisation_scope() {
        return Err(RenderError::NotOrganisation);
    }
    let aws = aws_or_default(req);
    let body = role_template(req, opts, external_id.as_ref())
        .to_yaml()
        .map_err(RenderError::Emit)?;
    let targets: Vec<String> = if aws.scope_targeted_organizational_unit_ids.is_empty() {
        aws.organization_root_id.iter().cloned().collect()
    } else {
        aws.scope_targeted_organizational_unit_ids.clone()
    };
    let mut deployment = vec![("OrganizationalUnitIds".to_string(), Node::strs(targets))];
    if !aws.scope_excluded_account_ids.is_empty() {
        deployment.push((
            "Accounts".into(),
            Node::strs(aws.scope_excluded_account_ids.iter().cloned()),
        ));
        deployment.push(("AccountFilterType".into(), Node::s("DIFFERENCE")));
    } else if !aws.scope_explicit_account_ids.is_empty() {
        deployment.push((
            "Accounts".into(),
            Node::strs(aws.scope_explicit_account_ids.iter().cloned()),
        ));
        deployment.push(("AccountFilterType".into(), Node::s("UNION")));
    }
    let param = |key: &str, value: Node| {
        Node::map([("ParameterKey", Node::s(key)), ("ParameterValue", value)])
    };
    let join = |p: &str| Node::call(Intrinsic::Join, vec![Node::s(","), Node::reference(p)]);
    let stackset_description = text::template_description(&format!(
        "DoiT CloudFlow connection role for {}",
        req.name.trim()
    ));
    let description = text::template_description(&format!(
        "StackSet deploying the DoiT CloudFlow connection role {} to the organisation",
        req.name.trim()
    ));
    let meta = metadata(
        req,
        &aws,
        Some(MANAGEMENT_ACCOUNT_NOTE),
        &[&description, &stackset_description],
    );
    let stackset = Node::map([
        ("Type", Node::s("AWS::CloudFormation::StackSet")),
        (
            "Properties",
            Node::map([
                ("StackSetName", Node::s(STACK_NAME)),
                ("Description", Node::s(stackset_description)),
                ("PermissionModel", Node::s("SERVICE_MANAGED")),
                (
                    "AutoDeployment",
                    Node::map([
                        ("Enabled", Node::Bool(true)),
                        ("RetainStacksOnAccountRemoval", Node::Bool(false)),
                    ]),
                ),
                (
                    "ManagedExecution",
                    Node::map([("Active", Node::Bool(true))]),
                ),
                ("Capabilities", Node::strs(["CAPABILITY_NAMED_IAM"])),
                (
                    "OperationPreferences",
                    Node::map([
                        ("FailureTolerancePercentage", Node::Int(10)),
                        ("MaxConcurrentPercentage", Node::Int(25)),
                        ("RegionConcurrencyType", Node::s("PARALLEL")),
                    ]),
                ),
                (
                    "Parameters",
                    Node::list([
                        param("RoleName", Node::reference("RoleName")),
                        param("TrustedAccountId", Node::reference("TrustedAccountId")),
                        param("ExternalId", Node::reference("ExternalId")),
                        param("ManagedPolicyArns", join("ManagedPolicyArns")),
                        param("AllowedActions", join("AllowedActions")),
                    ]),
                ),
                (
                    "StackInstancesGroup",
                    Node::list([Node::map([
                        ("DeploymentTargets", Node::Map(deployment)),
                        ("Regions", Node::strs(["us-east-1"])),
                    ])]),
                ),
                ("TemplateBody", Node::s(body)),
            ]),
        ),
    ]);
    let template = Node::map([
        ("AWSTemplateFormatVersion", Node::s("2010-09-09")),
        ("Description", Node::s(description)),
        ("Metadata", meta),
        ("Parameters", parameters(&aws, opts, external_id.as_ref())),
        (
            "Resources",
            Node::map([("CloudFlowRoleStackSet", stackset)]),
        ),
        (
            "Outputs",
            Node::map([(
                "StackSetId",
                Node::map([("Value", Node::reference("CloudFlowRoleStackSet"))]),
            )]),
        ),
    ]);
    let out = template.to_yaml().map_err(RenderError::Emit)?;
    Ok(format!(
        "# StackSet for a DoiT CloudFlow connection, generated by cloudflow-connect.\n\
# Create it from the organisation's management account (or a delegated administrator) with\n\
# trusted access for StackSets enabled in AWS Organizations; it deploys the role to us-east-1\n\
# of every account in the targets, including accounts added later.\n\
# The management account itself is never a target: create the plain role stack there too.\n{out}"
    ))
}
