//! The pure domain core shared by the browser app, the local API and the CLI: the DoiT
//! `CreateConnectionRequest` model, its validation, the catalogues of AWS regions, IAM actions
//! and managed policies, and the CloudFormation / StackSet / Terraform / quick-create / CLI
//! generators. No I/O, no regex: it compiles for `wasm32-unknown-unknown`.

pub mod catalog;
pub mod change;
pub mod checked;
pub mod model;
pub mod path;
pub mod policy;
pub mod render;
pub mod tenant;
pub mod types;
pub mod validate;
pub mod wire;

pub use catalog::{ActionCatalog, CatalogError, Catalogs, PolicyCatalog, RegionCatalog};
pub use change::{may_change, ChangeSummary, StackStep};
pub use checked::{Checked, CheckedAccount, CheckedConnection, CheckedMember, CheckedScope};
pub use model::{
    AccountContext, AwsConfig, Collaborator, ConnectionPatch, CreateConnectionRequest, Permissions,
};
pub use path::{FieldPath, FieldValue, Section};
pub use render::{render, Format, RenderError, RenderOptions};
pub use tenant::{tenant_rules, Candidate, Neighbour};
pub use types::{
    AccountId, CharName, CollaboratorRole, Email, ExternalId, IamAction, ManagedPolicyArn, OuId,
    ParseError, Partition, Region, RoleName, RootId, Shape,
};
pub use validate::{validate, Broad, Problem, Report, Rule, Severity};
