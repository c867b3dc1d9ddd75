//! DoiT's published artefacts — the CloudFormation template its quick-create link opens and its
//! Terraform module (`doitintl/cloudflow-infra`, commit cf7c11444a6370ca1bfcb7cd56456ca2221a432a)
//! — described as data: the interface and the resources ours must equal, so that a stack or a
//! state made with either can be updated with the other. Nothing here is read from their files.
#![allow(dead_code)]

use cloudflow_core::CreateConnectionRequest;
use serde_json::{json, Value};

/// Where a statement applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// The role's own ARN.
    RoleArn,
    /// `*`.
    Any,
}

/// A statement's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actions {
    Fixed(&'static [&'static str]),
    /// The `AllowedActions` parameter (`allowed_actions` variable).
    Allowed,
}

pub struct Statement {
    pub sid: &'static str,
    pub actions: Actions,
    pub on: On,
}

/// An inline policy of the role: logical id (template), resource address (module), name and
/// statements.
pub struct Policy {
    pub logical_id: &'static str,
    pub address: &'static str,
    pub name: &'static str,
    pub statements: &'static [Statement],
}

pub const ROLE_ID: &str = "DoitCloudFlowConnectionRole";
pub const ROLE_ADDRESS: &str = "aws_iam_role.doit_cloudflow_connection_role";
pub const ATTACHMENTS_ADDRESS: &str = "aws_iam_role_policy_attachment.managed_policies";
pub const ROLE_DESCRIPTION: &str = "Role for DoiT CloudFlow connection";
pub const ROLE_PATH: &str = "/";
pub const TRUST_SID: &str = "AllowAssumeRole";
/// The role's properties in the template.
pub const ROLE_PROPERTIES: [&str; 5] = [
    "RoleName",
    "Description",
    "AssumeRolePolicyDocument",
    "Path",
    "ManagedPolicyArns",
];

pub const BASE: Policy = Policy {
    logical_id: "DoitCloudFlowConnectionBasePolicy",
    address: "aws_iam_role_policy.doit_cloudflow_connection_base_policy",
    name: "DoitCloudFlowConnectionBasePolicy",
    statements: &[
        Statement {
            sid: "AllowListRolePolicies",
            actions: Actions::Fixed(&[
                "iam:ListAttachedRolePolicies",
                "iam:ListRolePolicies",
                "iam:GetRolePolicy",
            ]),
            on: On::RoleArn,
        },
        Statement {
            sid: "AllowGetPolicy",
            actions: Actions::Fixed(&["iam:GetPolicy", "iam:GetPolicyVersion"]),
            on: On::Any,
        },
        Statement {
            sid: "AllowEC2DescribeRegions",
            actions: Actions::Fixed(&["ec2:DescribeRegions"]),
            on: On::Any,
        },
    ],
};

pub const CUSTOM: Policy = Policy {
    logical_id: "CloudFlowConnectionRoleCustomPolicy",
    address: "aws_iam_role_policy.cloudflow_connection_role_custom_policy",
    name: "CloudFlowConnectionRoleCustomPolicy",
    statements: &[Statement {
        sid: "AllowActions",
        actions: Actions::Allowed,
        on: On::Any,
    }],
};

/// The resources DoiT's template creates in us-east-1 (its `RegionCheck` custom resource exists
/// only elsewhere, where ours refuses the stack by a rule): logical id and type.
pub const RESOURCES: [(&str, &str); 3] = [
    (ROLE_ID, "AWS::IAM::Role"),
    ("DoitCloudFlowConnectionBasePolicy", "AWS::IAM::Policy"),
    ("CloudFlowConnectionRoleCustomPolicy", "AWS::IAM::Policy"),
];

/// A template parameter: name, type, pattern, MinLength, MaxLength, default.
pub struct Parameter {
    pub name: &'static str,
    pub kind: &'static str,
    pub pattern: Option<&'static str>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
}

pub const PARAMETERS: [Parameter; 5] = [
    Parameter {
        name: "RoleName",
        kind: "String",
        pattern: Some("^[a-zA-Z0-9+=,.@_-]+$"),
        min_length: None,
        max_length: None,
    },
    Parameter {
        name: "TrustedAccountId",
        kind: "String",
        pattern: Some(r"^\d{12}$"),
        min_length: None,
        max_length: None,
    },
    Parameter {
        name: "ExternalId",
        kind: "String",
        pattern: Some("^[a-zA-Z0-9+=,.@_-]+$"),
        min_length: Some(1),
        max_length: Some(1224),
    },
    Parameter {
        name: "ManagedPolicyArns",
        kind: "CommaDelimitedList",
        pattern: None,
        min_length: None,
        max_length: None,
    },
    Parameter {
        name: "AllowedActions",
        kind: "CommaDelimitedList",
        pattern: None,
        min_length: None,
        max_length: None,
    },
];
pub const TRUSTED_ACCOUNT_DEFAULT: &str = "068664126052";
pub const OUTPUTS: [&str; 1] = ["RoleArn"];

/// The module's resources in us-east-1 (its `null_resource.region_check` has count 0 there):
/// address and the meta-argument that multiplies it.
pub const TF_RESOURCES: [(&str, Option<&str>); 4] = [
    (ROLE_ADDRESS, None),
    (ATTACHMENTS_ADDRESS, Some("for_each")),
    (BASE.address, None),
    (CUSTOM.address, Some("count")),
];
pub const TF_VARIABLES: [&str; 5] = [
    "role_name",
    "trusted_account_id",
    "external_id",
    "managed_policy_arns",
    "allowed_actions",
];
/// Output name and value expression.
pub const TF_OUTPUTS: [(&str, &str); 4] = [
    (
        "role_arn",
        "aws_iam_role.doit_cloudflow_connection_role.arn",
    ),
    (
        "role_name",
        "aws_iam_role.doit_cloudflow_connection_role.name",
    ),
    ("role_id", "aws_iam_role.doit_cloudflow_connection_role.id"),
    (
        "base_policy_name",
        "aws_iam_role_policy.doit_cloudflow_connection_base_policy.name",
    ),
];
pub const MODULE_SOURCE: &str = "git::https://github.com/doitintl/cloudflow-infra.git//connections/aws/terraform/create_cloudflow_connection?ref=cf7c11444a6370ca1bfcb7cd56456ca2221a432a";

/// AWS's limit on one parameter value.
const PARAM_LIMIT: usize = 4096;

/// A template read with serde_yaml (short-form tags) as the long-form JSON CloudFormation reads.
pub fn long_form(v: &serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => json!(b),
        serde_yaml::Value::Number(n) => serde_json::to_value(n).unwrap(),
        serde_yaml::Value::String(s) => json!(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.iter().map(long_form).collect()),
        serde_yaml::Value::Mapping(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.as_str().unwrap().to_string(), long_form(v)))
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let key = if tag == "Ref" {
                tag.to_string()
            } else {
                format!("Fn::{tag}")
            };
            json!({ key: long_form(&t.value) })
        }
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not a mapping: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

fn sorted<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    v
}

fn fits(values: &[String]) -> bool {
    values.join(",").len() <= PARAM_LIMIT
}

/// `{"Fn::If": [condition, {"Ref": param}, otherwise]}`.
fn param_or(condition: &str, param: &str, otherwise: Value) -> Value {
    json!({"Fn::If": [condition, {"Ref": param}, otherwise]})
}

/// Asserts that a role template (in long form) has DoiT's interface and creates DoiT's
/// resources for `req`, with `external_id` as the `ExternalId` default (none when unknown).
pub fn assert_template_is_doits(
    t: &Value,
    req: &CreateConnectionRequest,
    external_id: Option<&str>,
) {
    let aws = req.aws_config.clone().unwrap_or_default();
    let policies = &aws.permissions.aws_managed_policies;
    let actions = &aws.permissions.actions;

    // Parameters: names, types, patterns, lengths; defaults from the request.
    let params = &t["Parameters"];
    assert_eq!(keys(params), sorted(PARAMETERS.iter().map(|p| p.name)));
    for p in &PARAMETERS {
        let got = &params[p.name];
        assert_eq!(got["Type"], p.kind, "{}", p.name);
        assert_eq!(got["AllowedPattern"].as_str(), p.pattern, "{}", p.name);
        assert_eq!(got["MinLength"].as_u64(), p.min_length, "{}", p.name);
        assert_eq!(got["MaxLength"].as_u64(), p.max_length, "{}", p.name);
    }
    assert_eq!(params["RoleName"]["Default"], aws.role_name.as_str());
    assert_eq!(
        params["TrustedAccountId"]["Default"],
        TRUSTED_ACCOUNT_DEFAULT
    );
    assert_eq!(params["ExternalId"]["Default"].as_str(), external_id);
    let list_default = |values: &[String]| {
        if fits(values) {
            values.join(",")
        } else {
            String::new()
        }
    };
    assert_eq!(
        params["ManagedPolicyArns"]["Default"],
        list_default(policies).as_str()
    );
    assert_eq!(
        params["AllowedActions"]["Default"],
        list_default(actions).as_str()
    );

    // Conditions the resources use, as DoiT defines them.
    for (name, param) in [
        ("HasManagedPolicies", "ManagedPolicyArns"),
        ("HasAllowedActions", "AllowedActions"),
    ] {
        assert_eq!(
            t["Conditions"][name],
            json!({"Fn::Not": [{"Fn::Equals": [{"Fn::Join": ["", {"Ref": param}]}, ""]}]}),
            "{name}"
        );
    }

    // The resource set.
    let resources = &t["Resources"];
    assert_eq!(keys(resources), sorted(RESOURCES.iter().map(|(id, _)| *id)));
    for (id, ty) in RESOURCES {
        assert_eq!(resources[id]["Type"], ty, "{id}");
    }

    // The role.
    let role = &resources[ROLE_ID];
    assert!(role.get("Condition").is_none());
    let props = &role["Properties"];
    assert_eq!(keys(props), sorted(ROLE_PROPERTIES));
    assert_eq!(props["RoleName"], json!({"Ref": "RoleName"}));
    assert_eq!(props["Description"], ROLE_DESCRIPTION);
    assert_eq!(props["Path"], ROLE_PATH);
    let managed = if fits(policies) {
        json!([])
    } else {
        json!(policies)
    };
    assert_eq!(
        props["ManagedPolicyArns"],
        param_or("HasManagedPolicies", "ManagedPolicyArns", managed)
    );
    let trust = &props["AssumeRolePolicyDocument"];
    assert_eq!(trust["Version"], "2012-10-17");
    assert_eq!(
        trust["Statement"],
        json!([{
            "Sid": TRUST_SID,
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${TrustedAccountId}:root"}},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}}
        }])
    );

    // The policies: names, the role, Sids, per-Sid actions and resources.
    for policy in [&BASE, &CUSTOM] {
        let r = &resources[policy.logical_id];
        let props = &r["Properties"];
        assert_eq!(
            keys(props),
            ["PolicyDocument", "PolicyName", "Roles"],
            "{}",
            policy.name
        );
        assert_eq!(props["PolicyName"], policy.name);
        assert_eq!(props["Roles"], json!([{"Ref": ROLE_ID}]));
        assert_eq!(props["PolicyDocument"]["Version"], "2012-10-17");
        let statements: Vec<Value> = policy
            .statements
            .iter()
            .map(|s| {
                let action = match s.actions {
                    Actions::Fixed(a) => json!(a),
                    Actions::Allowed if fits(actions) => json!({"Ref": "AllowedActions"}),
                    Actions::Allowed => {
                        param_or("HasAllowedActions", "AllowedActions", json!(actions))
                    }
                };
                let resource = match s.on {
                    On::RoleArn => json!({"Fn::GetAtt": [ROLE_ID, "Arn"]}),
                    On::Any => json!("*"),
                };
                json!({"Sid": s.sid, "Effect": "Allow", "Action": action, "Resource": resource})
            })
            .collect();
        assert_eq!(
            props["PolicyDocument"]["Statement"],
            Value::Array(statements),
            "{}",
            policy.name
        );
    }
    assert!(resources[BASE.logical_id].get("Condition").is_none());
    // The custom policy exists when AllowedActions is not empty, as in DoiT's; when the actions
    // are written in the template it always exists (with them).
    let condition = resources[CUSTOM.logical_id].get("Condition");
    if fits(actions) {
        assert_eq!(condition, Some(&json!("HasAllowedActions")));
    } else {
        assert_eq!(condition, None);
    }

    // Outputs.
    assert_eq!(keys(&t["Outputs"]), OUTPUTS);
    assert_eq!(
        t["Outputs"]["RoleArn"]["Value"],
        json!({"Fn::GetAtt": [ROLE_ID, "Arn"]})
    );
}

/// The literal value of an HCL expression as JSON; references and calls as their source text.
pub fn hcl_value(e: &hcl::Expression) -> Value {
    match e {
        hcl::Expression::Null => Value::Null,
        hcl::Expression::Bool(b) => json!(b),
        hcl::Expression::Number(n) => json!(n.to_string()),
        hcl::Expression::String(s) => json!(s),
        hcl::Expression::Array(items) => Value::Array(items.iter().map(hcl_value).collect()),
        hcl::Expression::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        hcl::ObjectKey::Identifier(i) => i.to_string(),
                        hcl::ObjectKey::Expression(e) => match hcl_value(e) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        },
                        other => format!("{other:?}"),
                    };
                    (key, hcl_value(v))
                })
                .collect(),
        ),
        hcl::Expression::TemplateExpr(_) => match super::hcl_literal(e) {
            Some(s) => json!(s),
            None => json!(hcl::format::to_string(e).unwrap()),
        },
        other => json!(hcl::format::to_string(other).unwrap()),
    }
}

/// The blocks `ident` of a body with their labels.
pub fn blocks<'a>(body: &'a hcl::Body, ident: &str) -> Vec<(Vec<String>, &'a hcl::Body)> {
    body.blocks()
        .filter(|b| b.identifier() == ident)
        .map(|b| {
            (
                b.labels().iter().map(|l| l.as_str().to_string()).collect(),
                b.body(),
            )
        })
        .collect()
}

/// An attribute of a body.
pub fn attr<'a>(body: &'a hcl::Body, key: &str) -> Option<&'a hcl::Expression> {
    body.attributes().find(|a| a.key() == key).map(|a| a.expr())
}

fn address(labels: &[String]) -> String {
    labels.join(".")
}

fn code(e: Option<&hcl::Expression>) -> String {
    hcl::format::to_string(e.expect("attribute")).unwrap()
}

/// The document inside `jsonencode(...)`.
fn jsonencoded(e: Option<&hcl::Expression>) -> Value {
    match e {
        Some(hcl::Expression::FuncCall(f)) if f.name.to_string() == "jsonencode" => {
            hcl_value(&f.args[0])
        }
        other => panic!("not a jsonencode call: {other:?}"),
    }
}

fn variable_default(body: &hcl::Body, name: &str) -> Option<Value> {
    blocks(body, "variable")
        .into_iter()
        .find(|(l, _)| l[0] == name)
        .unwrap_or_else(|| panic!("no variable {name}"))
        .1
        .attributes()
        .find(|a| a.key() == "default")
        .map(|a| hcl_value(a.expr()))
}

fn assert_outputs(body: &hcl::Body, value: impl Fn(&str, &str) -> String) {
    let outputs = blocks(body, "output");
    let names: Vec<&str> = outputs.iter().map(|(l, _)| l[0].as_str()).collect();
    assert_eq!(names, TF_OUTPUTS.map(|(n, _)| n));
    for ((_, b), (name, expr)) in outputs.iter().zip(TF_OUTPUTS) {
        assert_eq!(code(attr(b, "value")), value(name, expr), "output {name}");
    }
}

/// Asserts that the self-contained Terraform has DoiT's module's resource addresses, variables,
/// outputs, policies and role, with the request's values as the variables' defaults.
pub fn assert_terraform_is_doits(
    tf: &str,
    req: &CreateConnectionRequest,
    external_id: Option<&str>,
) {
    let aws = req.aws_config.clone().unwrap_or_default();
    let body = hcl::parse(tf).unwrap();
    let resources = blocks(&body, "resource");
    let addresses: Vec<String> = resources.iter().map(|(l, _)| address(l)).collect();
    assert_eq!(addresses, TF_RESOURCES.map(|(a, _)| a.to_string()));
    let resource = |a: &str| resources.iter().find(|(l, _)| address(l) == a).unwrap().1;
    for (a, meta) in TF_RESOURCES {
        let b = resource(a);
        for m in ["count", "for_each"] {
            assert_eq!(attr(b, m).is_some(), meta == Some(m), "{a}.{m}");
        }
    }

    let role = resource(ROLE_ADDRESS);
    assert_eq!(code(attr(role, "name")), "var.role_name");
    assert_eq!(
        hcl_value(attr(role, "description").unwrap()),
        ROLE_DESCRIPTION
    );
    assert_eq!(hcl_value(attr(role, "path").unwrap()), ROLE_PATH);
    assert!(attr(role, "tags").is_none());
    assert_eq!(
        jsonencoded(attr(role, "assume_role_policy")),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": TRUST_SID,
            "Effect": "Allow",
            "Principal": {"AWS": "\"arn:${data.aws_partition.current.partition}:iam::${var.trusted_account_id}:root\""},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "var.external_id"}}
        }]})
    );
    let attachments = resource(ATTACHMENTS_ADDRESS);
    assert_eq!(
        code(attr(attachments, "for_each")),
        "toset(var.managed_policy_arns)"
    );
    assert_eq!(
        code(attr(attachments, "role")),
        format!("{ROLE_ADDRESS}.name")
    );
    for policy in [&BASE, &CUSTOM] {
        let b = resource(policy.address);
        assert_eq!(hcl_value(attr(b, "name").unwrap()), policy.name);
        assert_eq!(code(attr(b, "role")), format!("{ROLE_ADDRESS}.id"));
        let statements: Vec<Value> = policy
            .statements
            .iter()
            .map(|s| {
                let action = match s.actions {
                    Actions::Fixed(a) => json!(a),
                    Actions::Allowed => json!("var.allowed_actions"),
                };
                let resource = match s.on {
                    On::RoleArn => json!(format!("{ROLE_ADDRESS}.arn")),
                    On::Any => json!("*"),
                };
                json!({"Sid": s.sid, "Effect": "Allow", "Action": action, "Resource": resource})
            })
            .collect();
        assert_eq!(
            jsonencoded(attr(b, "policy")),
            json!({"Version": "2012-10-17", "Statement": statements}),
            "{}",
            policy.address
        );
    }
    assert_eq!(
        code(attr(resource(CUSTOM.address), "count")),
        "length(var.allowed_actions) > 0 ? 1 : 0"
    );

    let variables: Vec<String> = blocks(&body, "variable")
        .into_iter()
        .map(|(l, _)| l[0].clone())
        .collect();
    for v in TF_VARIABLES {
        assert!(variables.iter().any(|x| x == v), "variable {v}");
    }
    assert!(
        variables
            .iter()
            .all(|v| TF_VARIABLES.contains(&v.as_str()) || v == "account_ids"),
        "{variables:?}"
    );
    assert_eq!(
        variable_default(&body, "role_name"),
        Some(json!(aws.role_name))
    );
    assert_eq!(
        variable_default(&body, "trusted_account_id"),
        Some(json!(TRUSTED_ACCOUNT_DEFAULT))
    );
    assert_eq!(
        variable_default(&body, "external_id"),
        external_id.map(|e| json!(e))
    );
    assert_eq!(
        variable_default(&body, "managed_policy_arns"),
        Some(json!(aws.permissions.aws_managed_policies))
    );
    assert_eq!(
        variable_default(&body, "allowed_actions"),
        Some(json!(aws.permissions.actions))
    );
    assert_outputs(&body, |_, expr| expr.to_string());
}

/// Asserts that the `terraform-module` form calls DoiT's module at the pinned commit with every
/// value of the request, passes its outputs through, and moves the self-contained addresses in.
pub fn assert_module_form(tf: &str, req: &CreateConnectionRequest, external_id: Option<&str>) {
    let aws = req.aws_config.clone().unwrap_or_default();
    let body = hcl::parse(tf).unwrap();
    assert!(blocks(&body, "resource").is_empty());
    let modules = blocks(&body, "module");
    assert_eq!(modules.len(), 1);
    let (labels, m) = &modules[0];
    let name = labels[0].as_str();
    assert_eq!(hcl_value(attr(m, "source").unwrap()), MODULE_SOURCE);
    assert!(MODULE_SOURCE.ends_with("?ref=cf7c11444a6370ca1bfcb7cd56456ca2221a432a"));
    let mut given: Vec<&str> = m.attributes().map(|a| a.key()).collect();
    given.sort_unstable();
    let mut expected = TF_VARIABLES.to_vec();
    expected.push("source");
    expected.sort_unstable();
    assert_eq!(given, expected);
    assert_eq!(
        hcl_value(attr(m, "role_name").unwrap()),
        json!(aws.role_name)
    );
    assert_eq!(
        hcl_value(attr(m, "trusted_account_id").unwrap()),
        json!(TRUSTED_ACCOUNT_DEFAULT)
    );
    match external_id {
        Some(e) => assert_eq!(hcl_value(attr(m, "external_id").unwrap()), json!(e)),
        None => {
            assert_eq!(code(attr(m, "external_id")), "var.external_id");
            assert_eq!(variable_default(&body, "external_id"), None);
        }
    }
    assert_eq!(
        hcl_value(attr(m, "managed_policy_arns").unwrap()),
        json!(aws.permissions.aws_managed_policies)
    );
    assert_eq!(
        hcl_value(attr(m, "allowed_actions").unwrap()),
        json!(aws.permissions.actions)
    );
    assert_outputs(&body, |output, _| format!("module.{name}.{output}"));
    let moved: Vec<(String, String)> = blocks(&body, "moved")
        .into_iter()
        .map(|(_, b)| (code(attr(b, "from")), code(attr(b, "to"))))
        .collect();
    let expected: Vec<(String, String)> = TF_RESOURCES
        .iter()
        .map(|(a, _)| (a.to_string(), format!("module.{name}.{a}")))
        .collect();
    assert_eq!(moved, expected);
}
