//! Where the wizard shows what is said of a request field: the API's paths are
//! [`FieldPath`]s (the core's); each is shown under one [`Control`] (the draft's rows are known
//! by their keys, the request's by their indexes), and each control's element id is made in one
//! place ([`Control::dom_id`]).

use cloudflow_core::FieldPath;

use super::draft::{Draft, Scope};
use super::steps::Step;

/// A control of the wizard: what shows a request field's messages and takes focus for it
/// ([`Draft::control_of`]). Rows are known by their key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Control {
    Name,
    RoleName,
    /// The account rows as a whole (their own message, under the rows).
    Accounts,
    AccountId(u32),
    Regions(u32),
    ManagementAccount,
    RootId,
    OrganizationalUnits,
    OrgRegions,
    ManagedPolicies,
    /// The action rows as a whole (the inline policies' size).
    Actions,
    Action(u32),
    /// The people rows as a whole (at least one Owner).
    People,
    Email(u32),
    Level(u32),
}

impl Control {
    /// The id of the control's element: the one place ids of the wizard's fields are made.
    pub fn dom_id(self) -> String {
        match self {
            Control::Name => "connection-name".into(),
            Control::RoleName => "role-name".into(),
            Control::Accounts => "account-rows".into(),
            Control::AccountId(k) => format!("account-{k}-id"),
            Control::Regions(k) => format!("account-{k}-regions"),
            Control::ManagementAccount => "management-account".into(),
            Control::RootId => "organization-root-id".into(),
            Control::OrganizationalUnits => "organizational-units".into(),
            Control::OrgRegions => "organisation-regions".into(),
            Control::ManagedPolicies => "managed-policies".into(),
            Control::Actions => "action-rows".into(),
            Control::Action(k) => format!("action-{k}"),
            Control::People => "people-rows".into(),
            Control::Email(k) => format!("collaborator-{k}-email"),
            Control::Level(k) => format!("collaborator-{k}-role"),
        }
    }

    /// The step the control is on.
    pub fn step(self) -> Step {
        match self {
            Control::ManagedPolicies | Control::Actions | Control::Action(_) => Step::Permissions,
            Control::People | Control::Email(_) | Control::Level(_) => Step::Access,
            _ => Step::Setup,
        }
    }
}

impl Draft {
    /// The control that shows the messages of the request field `path`, and takes focus for
    /// it: row indexes of the request become the keys of the draft's rows (blank action rows
    /// and people rows without an email are not in the request). `None`: no control edits it.
    pub fn control_of(&self, path: &FieldPath) -> Option<Control> {
        use FieldPath as F;
        let org = self.scope == Scope::Organisation;
        let account = |i: usize| self.accounts.get(i).map(|r| r.key);
        let action = |i: usize| self.filled_actions().nth(i).map(|r| r.key);
        let person = |i: usize| self.filled_collaborators().nth(i).map(|r| r.key);
        Some(match path {
            F::Name | F::Description => Control::Name,
            F::RoleName => Control::RoleName,
            F::Accounts if org => Control::ManagementAccount,
            F::Account(_) | F::AccountId(_) if org => Control::ManagementAccount,
            F::Regions(_) | F::Region(..) if org => Control::OrgRegions,
            F::Accounts => Control::Accounts,
            F::Account(i) | F::AccountId(i) => Control::AccountId(account(*i)?),
            F::Regions(i) | F::Region(i, _) => Control::Regions(account(*i)?),
            F::ManagementAccount => Control::ManagementAccount,
            F::OrganizationRootId => Control::RootId,
            F::OrganizationalUnits | F::OrganizationalUnit(_) => Control::OrganizationalUnits,
            F::ManagedPolicies | F::ManagedPolicy(_) => Control::ManagedPolicies,
            F::Actions => Control::Actions,
            F::Action(i) => Control::Action(action(*i)?),
            F::Collaborators => Control::People,
            F::Collaborator(i) | F::CollaboratorEmail(i) => Control::Email(person(*i)?),
            F::CollaboratorRole(i) => Control::Level(person(*i)?),
            F::AwsConfig
            | F::GcpConfig
            | F::ExplicitAccount(_)
            | F::ExcludedAccount(_)
            | F::Other(_) => return None,
        })
    }

    /// The id of the element that takes focus for `control`: its own, or for a list's own
    /// message, the list's first row.
    pub fn focus_id(&self, control: Control) -> String {
        let first = match control {
            Control::Accounts => self.accounts.first().map(|r| Control::AccountId(r.key)),
            Control::Actions => self.actions.first().map(|r| Control::Action(r.key)),
            Control::People => self.collaborators.first().map(|r| Control::Email(r.key)),
            _ => None,
        };
        first.unwrap_or(control).dom_id()
    }
}

/// Which step edits the request field `field`.
pub fn step_of(field: &FieldPath) -> Step {
    match field.section() {
        cloudflow_core::Section::Setup => Step::Setup,
        cloudflow_core::Section::Permissions => Step::Permissions,
        cloudflow_core::Section::Access => Step::Access,
    }
}
