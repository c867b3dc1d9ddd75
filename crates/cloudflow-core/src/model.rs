//! The raw `CreateConnectionRequest` exactly as DoiT's API receives it (the wizard's "draft").
//!
//! Strings stay raw so that [`crate::validate::validate`], not serde, reports bad values with the
//! API's field paths. Unknown fields are ignored and missing lists default to empty.

use serde::{Deserialize, Serialize};

/// `POST /cloudflow/v1/connections` body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateConnectionRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_config: Option<AwsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gcp_config: Option<serde_json::Value>,
    pub collaborators: Vec<Collaborator>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `awsConfig`: the role CloudFlow assumes and where.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AwsConfig {
    pub role_name: String,
    pub context: Vec<AccountContext>,
    pub permissions: Permissions,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_root_id: Option<String>,
    pub scope_targeted_organizational_unit_ids: Vec<String>,
    pub scope_explicit_account_ids: Vec<String>,
    pub scope_excluded_account_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_management_account_explicit_in_scope: Option<bool>,
}

/// One AWS account and the regions CloudFlow works in (`[]` = all regions).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountContext {
    pub account_id: String,
    pub regions: Vec<String>,
}

/// What the role may do: AWS managed policies plus individual actions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Permissions {
    pub aws_managed_policies: Vec<String>,
    pub actions: Vec<String>,
}

/// A person who may use the connection: `role` is `owner`, `editor` or `user`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Collaborator {
    pub email: String,
    pub role: String,
}

/// `PATCH /cloudflow/v1/connections/{id}` body: every field optional, the ones given replace
/// the stored ones (the released document's `application/json` patch).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_config: Option<AwsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collaborators: Option<Vec<Collaborator>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl CreateConnectionRequest {
    /// True when the request targets an AWS Organization (root or OUs) rather than listed accounts.
    pub fn is_organisation_scope(&self) -> bool {
        self.aws_config.as_ref().is_some_and(|a| {
            a.organization_root_id
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty())
                || !a.scope_targeted_organizational_unit_ids.is_empty()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example_and_ignores_unknown_fields() {
        let json = r#"{
          "name": "Prod", "description": "d", "unknown": 1,
          "awsConfig": {"roleName": "R", "context": [{"accountId": "012345678901", "regions": ["eu-west-1"]}],
            "permissions": {"awsManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"], "actions": ["s3:GetObject"]},
            "organizationRootId": "r-ab12", "scopeTargetedOrganizationalUnitIds": ["ou-ab12-abcdefgh"]},
          "collaborators": [{"email": "a@example.com", "role": "owner"}], "enabled": true }"#;
        let r: CreateConnectionRequest = serde_json::from_str(json).unwrap();
        let aws = r.aws_config.as_ref().unwrap();
        assert_eq!(aws.context[0].account_id, "012345678901");
        assert!(aws.scope_explicit_account_ids.is_empty());
        assert!(r.is_organisation_scope());
        let back: CreateConnectionRequest =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn serialisation_omits_none_and_uses_camel_case() {
        let r = CreateConnectionRequest {
            name: "x".into(),
            aws_config: Some(AwsConfig::default()),
            ..Default::default()
        };
        let s = serde_json::to_string(&r).unwrap();
        assert!(!s.contains("description"));
        assert!(s.contains("\"awsConfig\":{\"roleName\""));
        assert!(!s.contains("managementAccount"));
    }

    #[test]
    fn missing_fields_default() {
        let r: CreateConnectionRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(r, CreateConnectionRequest::default());
    }
}
