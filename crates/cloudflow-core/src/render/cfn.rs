//! The CloudFormation role template (DoiT's parameters, defaulted to the request) and the
//! organisation StackSet that deploys it.

use super::text;
use super::tree::{Intrinsic, Node};
use super::{RenderError, RenderOptions, EXTERNAL_ID_PLACEHOLDER, STACK_NAME};
use crate::model::{AwsConfig, CreateConnectionRequest};
use crate::policy::{BASE_ANY_ACTIONS, BASE_POLICY_NAME, BASE_ROLE_ACTIONS, CUSTOM_POLICY_NAME};

/// Logical id of the role.
pub const ROLE_ID: &str = "CloudFlowRole";
/// Logical id of the custom policy.
pub const CUSTOM_POLICY_ID: &str = "CloudFlowCustomPolicy";

pub(crate) fn aws_or_default(req: &CreateConnectionRequest) -> AwsConfig {
    req.aws_config.clone().unwrap_or_default()
}

fn metadata(req: &CreateConnectionRequest, aws: &AwsConfig, note: Option<&str>) -> Node {
    let mut m = vec![(
        "ConnectionName".to_string(),
        Node::s(text::cfn_literal(&req.name)),
    )];
    if let Some(d) = &req.description {
        m.push((
            "ConnectionDescription".into(),
            Node::s(text::cfn_literal(d)),
        ));
    }
    m.push((
        "AccountIds".into(),
        Node::strs(aws.context.iter().map(|c| c.account_id.as_str())),
    ));
    if let Some(n) = note {
        m.push(("Note".into(), Node::s(n)));
    }
    Node::map([("DoitCloudFlow", Node::Map(m))])
}

fn parameters(aws: &AwsConfig, opts: &RenderOptions) -> Node {
    let external_id = opts
        .external_id
        .clone()
        .unwrap_or_else(|| EXTERNAL_ID_PLACEHOLDER.to_string());
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
                ("AllowedPattern", Node::s(r"[\w+=,.@-]{1,64}")),
                (
                    "ConstraintDescription",
                    Node::s("1-64 letters, digits and + = , . @ _ -"),
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
                ("AllowedPattern", Node::s(r"\d{12}")),
                ("ConstraintDescription", Node::s("12 digits")),
            ]),
        ),
        (
            "ExternalId",
            Node::map([
                ("Type", Node::s("String")),
                (
                    "Description",
                    Node::s(
                        "External id DoiT shows for this connection (sts:ExternalId condition)",
                    ),
                ),
                ("Default", Node::s(external_id)),
                ("AllowedPattern", Node::s(r"[\w+=,.@:/-]{2,1224}")),
                (
                    "ConstraintDescription",
                    Node::s("2-1224 letters, digits and + = , . @ : / _ -"),
                ),
            ]),
        ),
        (
            "ManagedPolicyArns",
            Node::map([
                ("Type", Node::s("CommaDelimitedList")),
                (
                    "Description",
                    Node::s("AWS managed policies attached to the role"),
                ),
                (
                    "Default",
                    Node::s(aws.permissions.aws_managed_policies.join(",")),
                ),
            ]),
        ),
        (
            "AllowedActions",
            Node::map([
                ("Type", Node::s("CommaDelimitedList")),
                (
                    "Description",
                    Node::s("IAM actions allowed on all resources by the custom policy"),
                ),
                ("Default", Node::s(aws.permissions.actions.join(","))),
            ]),
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

/// The role template as a tree.
pub(crate) fn role_template(req: &CreateConnectionRequest, opts: &RenderOptions) -> Node {
    let aws = aws_or_default(req);
    let mut rules = vec![(
        "StackInUsEast1".to_string(),
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
    )];
    rules.push((
        "ExternalIdGiven".to_string(),
        Node::map([(
            "Assertions",
            Node::list([Node::map([
                (
                    "Assert",
                    Node::call(
                        Intrinsic::Not,
                        vec![Node::call(
                            Intrinsic::Equals,
                            vec![
                                Node::reference("ExternalId"),
                                Node::s(EXTERNAL_ID_PLACEHOLDER),
                            ],
                        )],
                    ),
                ),
                (
                    "AssertDescription",
                    Node::s("Set ExternalId to the external id DoiT shows for this connection."),
                ),
            ])]),
        )]),
    ));

    let trust = document(vec![Node::map([
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
    let base = document(vec![
        statement(
            "ReadOwnRolePolicies",
            Node::strs(BASE_ROLE_ACTIONS),
            Node::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}"),
        ),
        statement(
            "ReadPoliciesAndRegions",
            Node::strs(BASE_ANY_ACTIONS),
            Node::s("*"),
        ),
    ]);
    let role_description = text::iam_description(&text::cfn_literal(&format!(
        "DoiT CloudFlow connection {}",
        req.name.trim()
    )));
    let mut role_props = vec![
        ("RoleName".to_string(), Node::reference("RoleName")),
        ("Description".into(), Node::s(role_description)),
        ("AssumeRolePolicyDocument".into(), trust),
        (
            "ManagedPolicyArns".into(),
            Node::call(
                Intrinsic::If,
                vec![
                    Node::s("HasManagedPolicies"),
                    Node::reference("ManagedPolicyArns"),
                    Node::reference("AWS::NoValue"),
                ],
            ),
        ),
        (
            "Policies".into(),
            Node::list([Node::map([
                ("PolicyName", Node::s(BASE_POLICY_NAME)),
                ("PolicyDocument", base),
            ])]),
        ),
    ];
    let tag = text::tag_value(req.name.trim());
    let mut tags = vec![Node::map([
        ("Key", Node::s("doit:cloudflow")),
        ("Value", Node::s("connection")),
    ])];
    if !tag.is_empty() {
        tags.push(Node::map([
            ("Key", Node::s("doit:cloudflow:connection-name")),
            ("Value", Node::s(tag)),
        ]));
    }
    role_props.push(("Tags".into(), Node::List(tags)));

    let custom = Node::map([
        ("Type", Node::s("AWS::IAM::RolePolicy")),
        ("Condition", Node::s("HasAllowedActions")),
        (
            "Properties",
            Node::map([
                ("RoleName", Node::reference(ROLE_ID)),
                ("PolicyName", Node::s(CUSTOM_POLICY_NAME)),
                (
                    "PolicyDocument",
                    document(vec![statement(
                        "CloudFlowAllowedActions",
                        Node::reference("AllowedActions"),
                        Node::s("*"),
                    )]),
                ),
            ]),
        ),
    ]);

    let description = text::template_description(&text::cfn_literal(&format!(
        "IAM role for the DoiT CloudFlow connection {}",
        req.name.trim()
    )));
    Node::map([
        ("AWSTemplateFormatVersion", Node::s("2010-09-09")),
        ("Description", Node::s(description)),
        ("Metadata", metadata(req, &aws, None)),
        ("Parameters", parameters(&aws, opts)),
        ("Rules", Node::Map(rules)),
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
                (
                    ROLE_ID,
                    Node::map([
                        ("Type", Node::s("AWS::IAM::Role")),
                        ("Properties", Node::Map(role_props)),
                    ]),
                ),
                (CUSTOM_POLICY_ID, custom),
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
# Create the stack in us-east-1 and acknowledge CAPABILITY_NAMED_IAM.\n";

/// `cfn-yaml`.
pub fn cfn_yaml(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    let body = role_template(req, opts)
        .to_yaml()
        .map_err(RenderError::Emit)?;
    Ok(format!("{YAML_HEADER}{body}"))
}

/// `cfn-json`.
pub fn cfn_json(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    role_template(req, opts)
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
    if !req.is_organisation_scope() {
        return Err(RenderError::NotOrganisation);
    }
    let aws = aws_or_default(req);
    let body = role_template(req, opts)
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
    let stackset = Node::map([
        ("Type", Node::s("AWS::CloudFormation::StackSet")),
        (
            "Properties",
            Node::map([
                ("StackSetName", Node::s(STACK_NAME)),
                (
                    "Description",
                    Node::s(text::template_description(&text::cfn_literal(&format!(
                        "DoiT CloudFlow connection role for {}",
                        req.name.trim()
                    )))),
                ),
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
        (
            "Description",
            Node::s(text::template_description(&text::cfn_literal(&format!(
                "StackSet deploying the DoiT CloudFlow connection role {} to the organisation",
                req.name.trim()
            )))),
        ),
        (
            "Metadata",
            metadata(req, &aws, Some(MANAGEMENT_ACCOUNT_NOTE)),
        ),
        ("Parameters", parameters(&aws, opts)),
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
