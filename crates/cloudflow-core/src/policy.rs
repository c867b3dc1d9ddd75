//! The IAM policy documents the role gets, as plain JSON, for size checks (the renderers build
//! the same statements in their own syntax).

use serde_json::{json, Value};

/// DoiT's AWS account, trusted by the role.
pub const DOIT_ACCOUNT_ID: &str = "068664126052";
/// Name of the inline policy that is always present.
pub const BASE_POLICY_NAME: &str = "DoitCloudFlowConnectionBasePolicy";
/// Name of the inline policy holding the person's actions.
pub const CUSTOM_POLICY_NAME: &str = "CloudFlowConnectionRoleCustomPolicy";
/// IAM limit on all inline policies of a role together, whitespace not counted.
pub const INLINE_POLICY_LIMIT: usize = 10_240;
/// IAM default limit on a role's trust policy.
pub const TRUST_POLICY_LIMIT: usize = 2_048;

/// The base policy's statements as DoiT writes them: Sid, actions, and whether the resource is
/// the role's own ARN (`true`) or `*`.
pub const BASE_STATEMENTS: [(&str, &[&str], bool); 3] = [
    (
        "AllowListRolePolicies",
        &[
            "iam:ListAttachedRolePolicies",
            "iam:ListRolePolicies",
            "iam:GetRolePolicy",
        ],
        true,
    ),
    (
        "AllowGetPolicy",
        &["iam:GetPolicy", "iam:GetPolicyVersion"],
        false,
    ),
    ("AllowEC2DescribeRegions", &["ec2:DescribeRegions"], false),
];
/// Sid of the trust policy's statement.
pub const TRUST_SID: &str = "AllowAssumeRole";
/// Sid of the custom policy's statement.
pub const CUSTOM_SID: &str = "AllowActions";
/// The role's `Description`, DoiT's value (the same text in both templates, so that an update
/// from one to the other changes nothing).
pub const ROLE_DESCRIPTION: &str = "Role for DoiT CloudFlow connection";

/// The trust policy for a partition, trusted account and external id.
pub fn trust_policy(partition: &str, trusted_account: &str, external_id: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": TRUST_SID,
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:{partition}:iam::{trusted_account}:root")},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": external_id}}
        }]
    })
}

/// The base inline policy of a role.
pub fn base_policy(role_arn: &str) -> Value {
    let statements: Vec<Value> = BASE_STATEMENTS
        .iter()
        .map(|(sid, actions, on_role)| {
            json!({"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": if *on_role { role_arn } else { "*" }})
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The custom inline policy with the person's actions.
pub fn custom_policy(actions: &[String]) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": CUSTOM_SID, "Effect": "Allow", "Action": actions, "Resource": "*"}]
    })
}

/// Characters IAM counts for a policy: its minified JSON without whitespace.
pub fn policy_size(doc: &Value) -> usize {
    serde_json::to_string(doc)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// Size of the base plus custom inline policies for a role name and actions
/// (the longest possible role ARN in the commercial partition is assumed).
pub fn inline_policies_size(role_name: &str, actions: &[String]) -> usize {
    let arn = format!("arn:aws:iam::123456789012:role/{role_name}");
    let mut n = policy_size(&base_policy(&arn));
    if !actions.is_empty() {
        n += policy_size(&custom_policy(actions));
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let base = inline_policies_size("R", &[]);
        assert!(base > 200 && base < 600, "{base}");
        let with = inline_policies_size("R", &["s3:GetObject".to_string()]);
        assert!(with > base + "s3:GetObject".len());
        // The longest external id still fits the default trust policy limit.
        let t = trust_policy("aws-us-gov", DOIT_ACCOUNT_ID, &"x".repeat(1224));
        assert!(policy_size(&t) < TRUST_POLICY_LIMIT);
    }
}
