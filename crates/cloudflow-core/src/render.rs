//! The generators: CloudFormation (YAML, JSON), the organisation StackSet, Terraform
//! (self-contained, or calling DoiT's module), the console quick-create link and the AWS CLI
//! command. The templates and the self-contained Terraform create the very resources DoiT's
//! hosted template and module create (same logical ids, resource addresses, policy names and
//! statements), so a stack or state made from either can be updated from the other. All work on the raw request (the browser
//! previews while fields are still invalid), are deterministic, end in a newline and never
//! panic.

mod cfn;
pub mod hcl;
mod link;
mod terraform;
pub mod text;
pub mod tree;
mod update;
mod yaml;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::CreateConnectionRequest;
use crate::policy::DOIT_ACCOUNT_ID;
use crate::types::{ExternalId, ParseError};

pub use cfn::{BASE_POLICY_ID, CUSTOM_POLICY_ID, MANAGEMENT_ACCOUNT_NOTE, ROLE_ID};
pub use link::{percent_encode, shell_quote, PARAM_LIMIT, TEMPLATE_URL_LIMIT};
pub use terraform::RESOURCE_ATTRIBUTES;
pub use update::{change_set_cli, delete_cli, stack_console_url, update_cli, update_plan};

/// DoiT's hosted role template (S3 bucket `doit-cmp-ops-pub`, us-east-1).
pub const DOIT_TEMPLATE_URL: &str =
    "https://doit-cmp-ops-pub.s3.amazonaws.com/cloudflow/create_cloudflow_connection_role.yml";
/// The stack (and StackSet) name DoiT's own link uses.
pub const STACK_NAME: &str = "DoitCloudFlowConnectionRole";
/// DoiT's published Terraform module, pinned to a commit of `doitintl/cloudflow-infra` (the
/// `terraform-module` format calls it).
pub const DOIT_MODULE_SOURCE: &str = "git::https://github.com/doitintl/cloudflow-infra.git//connections/aws/terraform/create_cloudflow_connection?ref=cf7c11444a6370ca1bfcb7cd56456ca2221a432a";

/// An artefact the generators produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CfnYaml,
    CfnJson,
    StacksetYaml,
    Terraform,
    TerraformModule,
    QuickCreateUrl,
    Cli,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 7] = [
        Format::CfnYaml,
        Format::CfnJson,
        Format::StacksetYaml,
        Format::Terraform,
        Format::TerraformModule,
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
            Format::TerraformModule => "terraform-module",
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
            Format::TerraformModule => "cloudflow-role-module.tf",
            Format::QuickCreateUrl => "cloudflow-quick-create-url.txt",
            Format::Cli => "cloudflow-create-stack.sh",
        }
    }
    /// The media type of the artefact.
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::CfnYaml | Format::StacksetYaml => "application/yaml",
            Format::CfnJson => "application/json",
            Format::Terraform | Format::TerraformModule | Format::QuickCreateUrl => "text/plain",
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
#[error("unknown format \"{0}\": use cfn-yaml, cfn-json, stackset-yaml, terraform, terraform-module, quick-create-url or cli")]
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
    /// The connection's external id (DoiT's rule, [`crate::ExternalId`]; the renderers refuse
    /// any other). `None` leaves it to the person: the template's `ExternalId` parameter and the
    /// Terraform `external_id` variable then have no default (CloudFormation and Terraform ask
    /// for it), the link leaves it out, the CLI script requires `$EXTERNAL_ID`.
    pub external_id: Option<String>,
    pub trusted_account_id: String,
    pub template_url: String,
    /// Where the quick-create link opens the AWS console ([`AWS_CONSOLE_URL`]; a local stand-in
    /// in development and tests).
    #[serde(default = "default_console_url")]
    pub console_url: String,
}

/// The AWS console, in us-east-1, where DoiT's template is created.
pub const AWS_CONSOLE_URL: &str = "https://us-east-1.console.aws.amazon.com";

fn default_console_url() -> String {
    AWS_CONSOLE_URL.to_string()
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            external_id: None,
            trusted_account_id: DOIT_ACCOUNT_ID.to_string(),
            template_url: DOIT_TEMPLATE_URL.to_string(),
            console_url: default_console_url(),
        }
    }
}

impl RenderOptions {
    /// The external id if one is given, checked against DoiT's rule: an artefact never carries
    /// one that DoiT's template would refuse.
    pub(crate) fn checked_external_id(&self) -> Result<Option<ExternalId>, RenderError> {
        self.external_id
            .as_deref()
            .map(|e| e.parse().map_err(RenderError::ExternalId))
            .transpose()
    }
}

/// Why an artefact cannot be produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenderError {
    /// A parameter value of DoiT's hosted template is over AWS's limit, so a link or a
    /// `create-stack` command cannot carry it (the downloadable templates can).
    #[error("the {param} parameter would be {} bytes; AWS accepts {} in a parameter value, so the quick-create link and the CLI command cannot carry it: download the template instead (it holds every value)", text::thousands(*bytes), text::thousands(PARAM_LIMIT))]
    ParameterTooLong { param: String, bytes: usize },
    #[error("the template URL is {} characters; AWS accepts {}", text::thousands(*len), text::thousands(TEMPLATE_URL_LIMIT))]
    TemplateUrlTooLong { len: usize },
    #[error("the external id {0}")]
    ExternalId(ParseError),
    #[error("a StackSet needs an organisation scope: set awsConfig.organizationRootId or awsConfig.scopeTargetedOrganizationalUnitIds")]
    NotOrganisation,
    #[error("the document could not be written: {0}")]
    Emit(String),
}

impl RenderError {
    /// The request field (API path) or command-line option the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            RenderError::ParameterTooLong { param, .. } => match param.as_str() {
                "ManagedPolicyArns" => "awsConfig.permissions.awsManagedPolicies",
                "RoleName" => "awsConfig.roleName",
                "ExternalId" => "externalId",
                "TrustedAccountId" => "trustedAccountId",
                _ => "awsConfig.permissions.actions",
            },
            RenderError::TemplateUrlTooLong { .. } => "templateUrl",
            RenderError::ExternalId(_) => "externalId",
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
        Format::Terraform => terraform::terraform(req, opts),
        Format::TerraformModule => terraform::terraform_module(req, opts),
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
            param: "AllowedActions".into(),
            bytes: 5210,
        };
        assert!(e
            .to_string()
            .starts_with("the AllowedActions parameter would be 5,210 bytes; AWS accepts 4,096"));
        assert!(e
            .to_string()
            .ends_with("download the template instead (it holds every value)"));
        assert_eq!(e.field(), "awsConfig.permissions.actions");
    }

    #[test]
    fn no_artefact_carries_an_external_id_doit_refuses() {
        let req = CreateConnectionRequest::default();
        for bad in ["tenant:abc/def", "", "a b", &"a".repeat(1225)] {
            let opts = RenderOptions {
                external_id: Some(bad.to_string()),
                ..RenderOptions::default()
            };
            for format in Format::ALL {
                let err = render(format, &req, &opts).unwrap_err();
                assert!(matches!(err, RenderError::ExternalId(_)), "{format}: {err}");
                assert_eq!(err.field(), "externalId");
            }
        }
        let e = RenderError::ExternalId("a:b".parse::<ExternalId>().unwrap_err());
        assert_eq!(
            e.to_string(),
            "the external id must not contain \":\" (only letters, digits and + = , . @ _ - are allowed)"
        );
    }
}
