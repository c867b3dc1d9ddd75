//! The generators: CloudFormation (YAML, JSON), the organisation StackSet, Terraform, the
//! console quick-create link and the AWS CLI command. All work on the raw request (the browser
//! previews while fields are still invalid), are deterministic, end in a newline and never
//! panic.

mod cfn;
pub mod hcl;
mod link;
mod terraform;
pub mod text;
pub mod tree;
mod yaml;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::CreateConnectionRequest;
use crate::policy::DOIT_ACCOUNT_ID;

pub use cfn::{CUSTOM_POLICY_ID, MANAGEMENT_ACCOUNT_NOTE, ROLE_ID};
pub use link::{percent_encode, shell_quote, PARAM_LIMIT, TEMPLATE_URL_LIMIT};
pub use terraform::RESOURCE_ATTRIBUTES;

/// DoiT's hosted role template (S3 bucket `doit-cmp-ops-pub`, us-east-1).
pub const DOIT_TEMPLATE_URL: &str =
    "https://doit-cmp-ops-pub.s3.amazonaws.com/cloudflow/create_cloudflow_connection_role.yml";
/// The stack (and StackSet) name DoiT's own link uses.
pub const STACK_NAME: &str = "DoitCloudFlowConnectionRole";
/// Default of the `ExternalId` parameter / variable when none is known yet. It satisfies the
/// parameter's pattern (so linters and the console accept the template) but a rule in the
/// template, and a validation in Terraform, refuse to create the role with it.
pub const EXTERNAL_ID_PLACEHOLDER: &str = "REPLACE-WITH-THE-EXTERNAL-ID-FROM-DOIT";

/// An artefact the generators produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CfnYaml,
    CfnJson,
    StacksetYaml,
    Terraform,
    QuickCreateUrl,
    Cli,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 6] = [
        Format::CfnYaml,
        Format::CfnJson,
        Format::StacksetYaml,
        Format::Terraform,
        Format::QuickCreateUrl,
        Format::Cli,
    ];
    /// The name used on the command line and in the API (`cfn-yaml` ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::CfnYaml => "cfn-yaml",
            Format::CfnJson => "cfn-json",
            Format::StacksetYaml => "stackset-yaml",
            Format::Terraform => "terraform",
            Format::QuickCreateUrl => "quick-create-url",
            Format::Cli => "cli",
        }
    }
    /// A file name for a download of the artefact.
    pub const fn file_name(self) -> &'static str {
        match self {
            Format::CfnYaml => "cloudflow-role.yaml",
            Format::CfnJson => "cloudflow-role.json",
            Format::StacksetYaml => "cloudflow-role-stackset.yaml",
            Format::Terraform => "cloudflow-role.tf",
            Format::QuickCreateUrl => "cloudflow-quick-create-url.txt",
            Format::Cli => "cloudflow-create-stack.sh",
        }
    }
    /// The media type of the artefact.
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::CfnYaml | Format::StacksetYaml => "application/yaml",
            Format::CfnJson => "application/json",
            Format::Terraform | Format::QuickCreateUrl => "text/plain",
            Format::Cli => "text/x-shellscript",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not one of the format names.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown format \"{0}\": use cfn-yaml, cfn-json, stackset-yaml, terraform, quick-create-url or cli")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// What the request does not say: the external id, DoiT's account and the hosted template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderOptions {
    /// The connection's external id; `None` renders [`EXTERNAL_ID_PLACEHOLDER`] (templates) or
    /// leaves it to the person (link, CLI).
    pub external_id: Option<String>,
    pub trusted_account_id: String,
    pub template_url: String,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            external_id: None,
            trusted_account_id: DOIT_ACCOUNT_ID.to_string(),
            template_url: DOIT_TEMPLATE_URL.to_string(),
        }
    }
}

/// Why an artefact cannot be produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenderError {
    #[error("{param} is {} bytes; AWS accepts {} in a quick-create link: download the template instead", text::thousands(*bytes), text::thousands(PARAM_LIMIT))]
    ParameterTooLong { param: String, bytes: usize },
    #[error("the template URL is {} characters; AWS accepts {}", text::thousands(*len), text::thousands(TEMPLATE_URL_LIMIT))]
    TemplateUrlTooLong { len: usize },
    #[error("a StackSet needs an organisation scope: set awsConfig.organizationRootId or awsConfig.scopeTargetedOrganizationalUnitIds")]
    NotOrganisation,
    #[error("the document could not be written: {0}")]
    Emit(String),
}

impl RenderError {
    /// The request field (API path) or command-line option the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            RenderError::ParameterTooLong { param, .. } if param == "param_ManagedPolicyArns" => {
                "awsConfig.permissions.awsManagedPolicies"
            }
            RenderError::ParameterTooLong { param, .. } if param == "param_RoleName" => {
                "awsConfig.roleName"
            }
            RenderError::ParameterTooLong { param, .. } if param == "param_ExternalId" => {
                "externalId"
            }
            RenderError::ParameterTooLong { param, .. } if param == "param_TrustedAccountId" => {
                "trustedAccountId"
            }
            RenderError::ParameterTooLong { .. } => "awsConfig.permissions.actions",
            RenderError::TemplateUrlTooLong { .. } => "templateUrl",
            RenderError::NotOrganisation => "awsConfig.organizationRootId",
            RenderError::Emit(_) => "request",
        }
    }
}

/// Renders one artefact for a (possibly still invalid) request.
pub fn render(
    format: Format,
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    match format {
        Format::CfnYaml => cfn::cfn_yaml(req, opts),
        Format::CfnJson => cfn::cfn_json(req, opts),
        Format::StacksetYaml => cfn::stackset_yaml(req, opts),
        Format::Terraform => Ok(terraform::terraform(req, opts)),
        Format::QuickCreateUrl => link::quick_create_url(req, opts),
        Format::Cli => link::cli(req, opts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_their_names() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{f}\""));
        }
        assert!("yaml"
            .parse::<Format>()
            .unwrap_err()
            .to_string()
            .contains("cfn-yaml"));
    }

    #[test]
    fn errors_read_well() {
        let e = RenderError::ParameterTooLong {
            param: "param_AllowedActions".into(),
            bytes: 5210,
        };
        assert!(e
            .to_string()
            .starts_with("param_AllowedActions is 5,210 bytes; AWS accepts 4,096"));
    }

    #[test]
    fn placeholder_matches_the_external_id_grammar() {
        assert!(EXTERNAL_ID_PLACEHOLDER
            .parse::<crate::types::ExternalId>()
            .is_ok());
    }
}
