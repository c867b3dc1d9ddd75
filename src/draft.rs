//! The wizard's draft: what the person has typed so far, in the shape of the
//! form (rows with stable keys, the reached step, the scope choice), turned
//! into DoiT's `CreateConnectionRequest` by one pure function. It is what
//! sessionStorage keeps (never a token), versioned so an old draft is refused.

use cloudflow_core::wire::{AccountState, AwsConfigView, Connection, Member};
use cloudflow_core::{
    AccountContext, AwsConfig, ChangeSummary, Collaborator, ConnectionPatch,
    CreateConnectionRequest, Permissions,
};
use serde::{Deserialize, Serialize};

use crate::steps::Step;

/// Bumped whenever the stored shape changes; other versions start afresh.
pub const DRAFT_VERSION: u32 = 1;
/// The sessionStorage key.
pub const STORAGE_KEY: &str = "cloudflow-connect.draft";

/// The sessionStorage key of an edit of the connection `id` (one per connection, apart from the
/// new connection's draft).
pub fn edit_storage_key(id: &str) -> String {
    format!("cloudflow-connect.edit.{id}")
}

/// Which accounts the connection covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    /// The accounts listed in the rows.
    #[default]
    Accounts,
    /// "All accounts": the organisation (root or OUs), deployed with a StackSet.
    Organisation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccountRow {
    pub key: u32,
    pub account_id: String,
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ActionRow {
    pub key: u32,
    pub action: String,
}

/// The action rows that reach the request (blank rows are left out).
fn filled_actions(rows: &[ActionRow]) -> impl Iterator<Item = &ActionRow> {
    rows.iter().filter(|a| !a.action.trim().is_empty())
}

/// The request field of the action row `key` among `rows` (see [`Draft::action_field`]).
pub fn action_field(rows: &[ActionRow], key: u32) -> Option<String> {
    let i = filled_actions(rows).position(|r| r.key == key)?;
    Some(format!("awsConfig.permissions.actions[{i}]"))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorRow {
    pub key: u32,
    pub email: String,
    pub role: String,
}

/// The organisation-scope fields shown when "All accounts" is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub management_account: String,
    pub regions: Vec<String>,
    pub root_id: String,
    /// As typed: ids separated by commas, spaces or new lines.
    pub ou_ids: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub version: u32,
    /// Random, chosen once per draft: the base of its Idempotency-Key.
    pub draft_id: String,
    pub reached: Step,
    pub name: String,
    pub role_name: String,
    pub scope: Scope,
    pub accounts: Vec<AccountRow>,
    pub organisation: Organisation,
    pub policies: Vec<String>,
    pub actions: Vec<ActionRow>,
    pub collaborators: Vec<CollaboratorRow>,
    next_key: u32,
    /// Set when the create is first sent: the ids of the connections of this name that
    /// existed before. Kept until the create is answered (or refused), so that after a lost
    /// answer, even across a reload, the next try looks for the connection before posting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_started: Option<Vec<String>>,
    /// The connection saved on the server for this draft (from Setup on, as a draft until Done).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<Saved>,
    /// Set when the draft edits a connection that is done: the connection as it was when the
    /// edit began (or when it was last read again, after someone else changed it). What the
    /// edit changes is the difference from it; nothing is saved until Save.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing: Option<Connection>,
}

/// What the server holds of a draft: its id, DoiT's external ID for it (fixed for the
/// connection's life; `None` when the server does not say), the version to send back as
/// `If-Match`, and a fingerprint of the fields as last saved ([`fields_fingerprint`]; the
/// fields themselves are in the draft, and reading them back from storage would cost the
/// app serde's readers of the whole request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    pub id: String,
    pub external_id: Option<String>,
    pub etag: Option<String>,
    pub synced: String,
}

/// A fingerprint of the saved fields: equal fields, equal text.
pub fn fields_fingerprint(fields: &ConnectionPatch) -> String {
    let text = serde_json::to_string(fields).unwrap_or_default();
    format!("{:016x}", fnv1a64(text.as_bytes()))
}

/// The fields the wizard keeps saved on the server while the person types: name,
/// description and `awsConfig` (the access list and `enabled` are Done's).
pub fn saved_fields(req: &CreateConnectionRequest) -> ConnectionPatch {
    ConnectionPatch {
        name: Some(req.name.clone()),
        description: req.description.clone(),
        aws_config: req.aws_config.clone(),
        ..ConnectionPatch::default()
    }
}

/// Why a stored draft was not restored (the person is told, a fresh draft starts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    Corrupt(String),
    OldVersion(u32),
}

impl std::fmt::Display for RestoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RestoreError::Corrupt(_) => f.write_str(crate::i18n::t().draft_unreadable),
            RestoreError::OldVersion(_) => f.write_str(crate::i18n::t().draft_too_old),
        }
    }
}

impl Draft {
    /// A fresh draft: one empty account row, one empty action row, and the
    /// signed-in person as Owner.
    pub fn new(draft_id: String, me: &str) -> Draft {
        let mut d = Draft {
            version: DRAFT_VERSION,
            draft_id,
            reached: Step::Setup,
            name: String::new(),
            role_name: String::new(),
            scope: Scope::Accounts,
            accounts: Vec::new(),
            organisation: Organisation::default(),
            policies: Vec::new(),
            actions: Vec::new(),
            collaborators: Vec::new(),
            next_key: 1,
            create_started: None,
            saved: None,
            editing: None,
        };
        d.add_account();
        d.add_action();
        let key = d.key();
        d.collaborators.push(CollaboratorRow {
            key,
            email: me.to_owned(),
            role: "owner".into(),
        });
        d
    }

    /// Restores a stored draft; anything else than this version's shape is refused.
    pub fn restore(json: &str) -> Result<Draft, RestoreError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| RestoreError::Corrupt(e.to_string()))?;
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(DRAFT_VERSION) => {}
            Some(v) => return Err(RestoreError::OldVersion(v as u32)),
            None => return Err(RestoreError::Corrupt("no version".into())),
        }
        // Read from the text, not from the parsed value: the app then needs serde's readers
        // over text only (reading from a `Value` too cost it ~1.4 KB brotli).
        let d: Draft =
            serde_json::from_str(json).map_err(|e| RestoreError::Corrupt(e.to_string()))?;
        let max_key = d
            .accounts
            .iter()
            .map(|r| r.key)
            .chain(d.actions.iter().map(|r| r.key))
            .chain(d.collaborators.iter().map(|r| r.key))
            .max()
            .unwrap_or(0);
        if d.next_key <= max_key {
            return Err(RestoreError::Corrupt("row keys out of order".into()));
        }
        Ok(d)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn key(&mut self) -> u32 {
        let k = self.next_key;
        self.next_key += 1;
        k
    }

    pub fn add_account(&mut self) -> u32 {
        let key = self.key();
        self.accounts.push(AccountRow {
            key,
            ..AccountRow::default()
        });
        key
    }

    pub fn add_action(&mut self) -> u32 {
        let key = self.key();
        self.actions.push(ActionRow {
            key,
            action: String::new(),
        });
        key
    }

    pub fn add_collaborator(&mut self) -> u32 {
        let key = self.key();
        self.collaborators.push(CollaboratorRow {
            key,
            email: String::new(),
            role: "user".into(),
        });
        key
    }

    pub fn account(&self, key: u32) -> Option<&AccountRow> {
        self.accounts.iter().find(|r| r.key == key)
    }

    pub fn action(&self, key: u32) -> Option<&ActionRow> {
        self.actions.iter().find(|r| r.key == key)
    }

    pub fn collaborator(&self, key: u32) -> Option<&CollaboratorRow> {
        self.collaborators.iter().find(|r| r.key == key)
    }

    /// The account row's index, which is its index in `awsConfig.context`.
    pub fn account_index(&self, key: u32) -> Option<usize> {
        self.accounts.iter().position(|r| r.key == key)
    }

    /// The request field of an action row (`awsConfig.permissions.actions[i]`),
    /// `None` while it is blank (blank rows are not in the request).
    pub fn action_field(&self, key: u32) -> Option<String> {
        action_field(&self.actions, key)
    }

    /// The request field of a collaborator row (`collaborators[i]`), `None` without an email.
    pub fn collaborator_field(&self, key: u32) -> Option<String> {
        let i = self.filled_collaborators().position(|r| r.key == key)?;
        Some(format!("collaborators[{i}]"))
    }

    pub fn account_mut(&mut self, key: u32) -> Option<&mut AccountRow> {
        self.accounts.iter_mut().find(|r| r.key == key)
    }

    pub fn action_mut(&mut self, key: u32) -> Option<&mut ActionRow> {
        self.actions.iter_mut().find(|r| r.key == key)
    }

    pub fn collaborator_mut(&mut self, key: u32) -> Option<&mut CollaboratorRow> {
        self.collaborators.iter_mut().find(|r| r.key == key)
    }

    /// A draft that continues a connection saved on the server (Resume from the list, on
    /// any device): its fields, its access list (or `me` as Owner when it has none), and the
    /// saved state, at the Permissions step (Setup was done when it was saved).
    pub fn from_connection(
        draft_id: String,
        me: &str,
        c: &Connection,
        etag: Option<String>,
    ) -> Draft {
        let mut d = Draft::new(draft_id, me);
        d.reached = Step::Permissions;
        d.name = c.name.clone();
        let Some(aws) = &c.aws_config else {
            return d;
        };
        d.role_name = aws.role_name.clone();
        d.accounts.clear();
        d.actions.clear();
        if aws.is_organisation_scope() {
            d.scope = Scope::Organisation;
            d.organisation = Organisation {
                management_account: aws.management_account.clone().unwrap_or_default(),
                regions: aws
                    .context
                    .first()
                    .map(|a| a.regions.clone())
                    .unwrap_or_default(),
                root_id: aws.organization_root_id.clone().unwrap_or_default(),
                ou_ids: aws.scope_targeted_organizational_unit_ids.join(", "),
            };
            d.add_account();
        } else {
            for a in &aws.context {
                let key = d.add_account();
                if let Some(row) = d.account_mut(key) {
                    row.account_id = a.account_id.clone();
                    row.regions = a.regions.clone();
                }
            }
            if d.accounts.is_empty() {
                d.add_account();
            }
        }
        d.policies = aws.permissions.aws_managed_policies.clone();
        for action in &aws.permissions.actions {
            let key = d.add_action();
            if let Some(row) = d.action_mut(key) {
                row.action = action.clone();
            }
        }
        if d.actions.is_empty() {
            d.add_action();
        }
        let members: Vec<(String, String)> = c
            .collaborators
            .iter()
            .filter_map(|m| Some((m.email.clone(), m.role?.as_str().to_owned())))
            .collect();
        if !members.is_empty() {
            d.collaborators.clear();
            for (email, role) in members {
                let key = d.add_collaborator();
                if let Some(row) = d.collaborator_mut(key) {
                    row.email = email;
                    row.role = role;
                }
            }
        }
        let synced = fields_fingerprint(&saved_fields(&d.to_request()));
        d.saved = c.id().map(|id| Saved {
            id: id.to_owned(),
            external_id: c.external_id().map(str::to_owned),
            etag,
            synced,
        });
        d
    }

    /// An edit of the connection `c` (done, not a draft): its fields, every step open, the
    /// connection kept as the edit's starting point.
    pub fn for_edit(draft_id: String, me: &str, c: &Connection, etag: Option<String>) -> Draft {
        let mut d = Draft::from_connection(draft_id, me, c, etag);
        d.reached = Step::Access;
        d.editing = Some(c.clone());
        d
    }

    /// The request of the connection as the edit started from it (`None` unless editing),
    /// read the way the wizard reads it, so that only what the person changed differs.
    pub fn original_request(&self) -> Option<CreateConnectionRequest> {
        let c = self.editing.as_ref()?;
        Some(Draft::from_connection(String::new(), "", c, None).to_request())
    }

    /// Someone else saved `now` (with `etag`) while this edit was open: the edit moves onto it.
    /// What the person changed since the version the edit began from is replayed on `now`, so
    /// both changes stay; where both changed the same thing, the person's stands. Returns what
    /// the other person changed (`None` when nothing, or when this is no edit).
    pub fn rebase(&mut self, now: &Connection, etag: Option<String>) -> Option<ChangeSummary> {
        let before = self.original_request()?;
        let mine = ChangeSummary::between(&before, &self.to_request());
        let theirs_req = Draft::from_connection(String::new(), "", now, None).to_request();
        let theirs = ChangeSummary::between(&before, &theirs_req);
        if theirs.is_empty() {
            // Nothing of what the wizard edits changed: the rows stay as they are (blank ones too).
            self.editing = Some(now.clone());
            if let Some(s) = self.saved.as_mut() {
                s.etag = etag;
            }
            return None;
        }
        let merged = mine.apply(&theirs_req);
        let mut d =
            Draft::from_connection(self.draft_id.clone(), "", &with_request(now, &merged), etag);
        d.reached = self.reached;
        d.editing = Some(now.clone());
        *self = d;
        Some(theirs)
    }

    /// Whether the person has typed anything worth asking about before Cancel.
    pub fn is_dirty(&self, me: &str) -> bool {
        if self.editing.is_some() {
            return self.original_request().as_ref() != Some(&self.to_request());
        }
        self.saved.is_some()
            || self.scope != Scope::Accounts
            || self.to_request() != Draft::new(self.draft_id.clone(), me).to_request()
    }

    /// Owner rule: the row may be demoted or removed only while another Owner stays.
    pub fn other_owner_exists(&self, key: u32) -> bool {
        self.collaborators
            .iter()
            .any(|c| c.key != key && c.role == "owner" && !c.email.trim().is_empty())
    }

    fn ou_list(&self) -> Vec<String> {
        self.organisation
            .ou_ids
            .split([',', ' ', '\n', '\t', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The action rows that reach the request (blank rows are left out).
    fn filled_actions(&self) -> impl Iterator<Item = &ActionRow> {
        filled_actions(&self.actions)
    }

    /// The collaborator rows that reach the request (rows without an email are left out).
    fn filled_collaborators(&self) -> impl Iterator<Item = &CollaboratorRow> {
        self.collaborators
            .iter()
            .filter(|c| !c.email.trim().is_empty())
    }

    /// DoiT's request body for this draft.
    pub fn to_request(&self) -> CreateConnectionRequest {
        let (context, management_account, root, ous) = match self.scope {
            Scope::Accounts => (
                self.accounts
                    .iter()
                    .map(|a| AccountContext {
                        account_id: a.account_id.trim().to_owned(),
                        regions: a.regions.clone(),
                    })
                    .collect(),
                None,
                None,
                Vec::new(),
            ),
            Scope::Organisation => {
                let m = self.organisation.management_account.trim().to_owned();
                let root = self.organisation.root_id.trim().to_owned();
                (
                    vec![AccountContext {
                        account_id: m.clone(),
                        regions: self.organisation.regions.clone(),
                    }],
                    Some(m),
                    (!root.is_empty()).then_some(root),
                    self.ou_list(),
                )
            }
        };
        CreateConnectionRequest {
            name: self.name.trim().to_owned(),
            aws_config: Some(AwsConfig {
                role_name: self.role_name.trim().to_owned(),
                context,
                permissions: Permissions {
                    aws_managed_policies: self.policies.clone(),
                    actions: self
                        .filled_actions()
                        .map(|a| a.action.trim().to_owned())
                        .collect(),
                },
                management_account,
                organization_root_id: root,
                scope_targeted_organizational_unit_ids: ous,
                ..AwsConfig::default()
            }),
            collaborators: self
                .filled_collaborators()
                .map(|c| Collaborator {
                    email: c.email.trim().to_owned(),
                    role: c.role.clone(),
                })
                .collect(),
            ..CreateConnectionRequest::default()
        }
    }

    /// An Idempotency-Key for sending `body` for `purpose` from this draft: the same for
    /// every retry of the same content, a new one when it changes.
    pub fn key_for(&self, purpose: &str, body: &impl Serialize) -> String {
        let text = serde_json::to_string(body).unwrap_or_default();
        let purpose: String = purpose
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(64)
            .collect();
        format!(
            "cf-{}-{purpose}-{:016x}",
            self.draft_id,
            fnv1a64(text.as_bytes())
        )
    }

    /// The id of the control that edits the request field `field` (an API path),
    /// so a server or validation error can be shown under it and focused.
    pub fn dom_id(&self, field: &str) -> Option<String> {
        let (head, index, rest) = split_path(field);
        match head {
            "name" | "description" => Some("connection-name".into()),
            "awsConfig.roleName" => Some("role-name".into()),
            "awsConfig.context" => match self.scope {
                Scope::Organisation => Some("management-account".into()),
                Scope::Accounts => {
                    let row = self.accounts.get(index.unwrap_or(0))?;
                    if rest.starts_with(".regions") {
                        Some(format!("account-{}-regions", row.key))
                    } else {
                        Some(format!("account-{}-id", row.key))
                    }
                }
            },
            "awsConfig.managementAccount" => Some("management-account".into()),
            "awsConfig.organizationRootId" => Some("organization-root-id".into()),
            "awsConfig.scopeTargetedOrganizationalUnitIds" => Some("organizational-units".into()),
            "awsConfig.permissions.awsManagedPolicies" => Some("managed-policies".into()),
            "awsConfig.permissions.actions" => {
                let row = match index {
                    Some(i) => self.filled_actions().nth(i)?,
                    None => self.actions.first()?,
                };
                Some(format!("action-{}", row.key))
            }
            "collaborators" => {
                let row = match index {
                    Some(i) => self.filled_collaborators().nth(i)?,
                    None => self.collaborators.first()?,
                };
                if rest.starts_with(".role") {
                    Some(format!("collaborator-{}-role", row.key))
                } else {
                    Some(format!("collaborator-{}-email", row.key))
                }
            }
            _ => None,
        }
    }
}

/// The connection `c` holding the fields of `r` the wizard edits (name, `awsConfig`, people).
fn with_request(c: &Connection, r: &CreateConnectionRequest) -> Connection {
    let aws = r.aws_config.as_ref().map(|a| AwsConfigView {
        role_name: a.role_name.clone(),
        context: a
            .context
            .iter()
            .map(|x| AccountState {
                account_id: x.account_id.clone(),
                regions: x.regions.clone(),
                ..AccountState::default()
            })
            .collect(),
        permissions: a.permissions.clone(),
        management_account: a.management_account.clone(),
        organization_root_id: a.organization_root_id.clone(),
        scope_targeted_organizational_unit_ids: a.scope_targeted_organizational_unit_ids.clone(),
        ..AwsConfigView::default()
    });
    Connection {
        name: r.name.clone(),
        aws_config: aws,
        collaborators: r
            .collaborators
            .iter()
            .map(|m| Member {
                email: m.email.clone(),
                role: m.role.parse().ok(),
            })
            .collect(),
        ..c.clone()
    }
}

/// Splits `awsConfig.context[1].accountId` into (`awsConfig.context`, `Some(1)`, `.accountId`).
pub fn split_path(field: &str) -> (&str, Option<usize>, &str) {
    match field.find('[') {
        Some(open) => {
            let close = field[open..].find(']').map(|c| open + c);
            let index = close.and_then(|c| field[open + 1..c].parse().ok());
            let rest = close.map_or("", |c| &field[c + 1..]);
            (&field[..open], index, rest)
        }
        None => (field, None, ""),
    }
}

/// Which step edits the request field `field`.
pub fn step_of_field(field: &str) -> Step {
    if field.starts_with("awsConfig.permissions") {
        Step::Permissions
    } else if field.starts_with("collaborators") {
        Step::Access
    } else {
        Step::Setup
    }
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> Draft {
        let mut d = Draft::new("d1".into(), "owner@example.com");
        d.name = "  Prod  ".into();
        d.role_name = "CloudFlowRole".into();
        d.accounts[0].account_id = "012345678901".into();
        d.accounts[0].regions = vec!["eu-west-1".into()];
        let k = d.add_account();
        d.account_mut(k).unwrap().account_id = "123456789012".into();
        d.policies = vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()];
        d.actions[0].action = "s3:GetObject".into();
        d.add_action(); // left blank
        let k = d.add_action();
        d.action_mut(k).unwrap().action = "ec2:Describe*".into();
        let k = d.add_collaborator();
        d.collaborator_mut(k).unwrap().email = "ed@example.com".into();
        d
    }

    #[test]
    fn a_fresh_draft_has_one_row_each_and_me_as_owner() {
        let d = Draft::new("x".into(), "me@example.com");
        assert_eq!(d.accounts.len(), 1);
        assert_eq!(d.actions.len(), 1);
        assert_eq!(d.collaborators[0].email, "me@example.com");
        assert_eq!(d.collaborators[0].role, "owner");
        assert!(!d.is_dirty("me@example.com"));
    }

    #[test]
    fn the_request_carries_what_was_typed_without_blank_rows() {
        let r = filled().to_request();
        assert_eq!(r.name, "Prod");
        let aws = r.aws_config.unwrap();
        assert_eq!(aws.role_name, "CloudFlowRole");
        assert_eq!(aws.context.len(), 2);
        assert_eq!(aws.context[0].account_id, "012345678901");
        assert_eq!(aws.context[0].regions, ["eu-west-1"]);
        assert_eq!(aws.permissions.actions, ["s3:GetObject", "ec2:Describe*"]);
        assert_eq!(r.collaborators.len(), 2);
        assert_eq!(r.collaborators[1].role, "user");
        assert!(aws.organization_root_id.is_none());
        assert!(cloudflow_core::validate(&filled().to_request(), None)
            .errors()
            .next()
            .is_none());
    }

    #[test]
    fn organisation_scope_targets_the_root_and_ous_from_the_management_account() {
        let mut d = filled();
        d.scope = Scope::Organisation;
        d.organisation = Organisation {
            management_account: "111122223333".into(),
            regions: vec![],
            root_id: "r-ab12".into(),
            ou_ids: "ou-ab12-11111111, ou-ab12-22222222\nou-ab12-33333333".into(),
        };
        let r = d.to_request();
        assert!(r.is_organisation_scope());
        let aws = r.aws_config.unwrap();
        assert_eq!(aws.context.len(), 1);
        assert_eq!(aws.management_account.as_deref(), Some("111122223333"));
        assert_eq!(aws.scope_targeted_organizational_unit_ids.len(), 3);
        assert_eq!(
            d.dom_id("awsConfig.context"),
            Some("management-account".into())
        );
    }

    #[test]
    fn field_paths_map_to_the_controls_that_edit_them() {
        let d = filled();
        let k1 = d.accounts[1].key;
        assert_eq!(d.dom_id("name").as_deref(), Some("connection-name"));
        assert_eq!(d.dom_id("awsConfig.roleName").as_deref(), Some("role-name"));
        assert_eq!(
            d.dom_id("awsConfig.context[1].accountId"),
            Some(format!("account-{k1}-id"))
        );
        assert_eq!(
            d.dom_id("awsConfig.context[0].regions[0]"),
            Some(format!("account-{}-regions", d.accounts[0].key))
        );
        // actions[1] is the third row: the blank second row is not in the request.
        assert_eq!(
            d.dom_id("awsConfig.permissions.actions[1]"),
            Some(format!("action-{}", d.actions[2].key))
        );
        assert_eq!(
            d.dom_id("collaborators[1].role"),
            Some(format!("collaborator-{}-role", d.collaborators[1].key))
        );
        assert_eq!(d.dom_id("awsConfig.context[9].accountId"), None);
        assert_eq!(d.dom_id("somethingElse"), None);
        assert_eq!(
            step_of_field("awsConfig.permissions.actions[1]"),
            Step::Permissions
        );
        assert_eq!(step_of_field("collaborators[0].email"), Step::Access);
        assert_eq!(step_of_field("awsConfig.context[0].accountId"), Step::Setup);
    }

    #[test]
    fn rows_know_their_request_fields() {
        let d = filled();
        let [a0, a1] = [d.actions[0].key, d.actions[1].key];
        assert_eq!(
            d.action_field(a0).as_deref(),
            Some("awsConfig.permissions.actions[0]")
        );
        assert_eq!(
            d.action_field(a1),
            None,
            "a blank row is not in the request"
        );
        assert_eq!(
            d.action_field(d.actions[2].key).as_deref(),
            Some("awsConfig.permissions.actions[1]")
        );
        assert_eq!(
            d.collaborator_field(d.collaborators[1].key).as_deref(),
            Some("collaborators[1]")
        );
        assert_eq!(d.account_index(d.accounts[1].key), Some(1));
        assert_eq!(d.account(999), None);
        assert_eq!(
            d.action(a0).map(|a| a.action.as_str()),
            Some("s3:GetObject")
        );
    }

    #[test]
    fn idempotency_key_is_stable_per_content_and_changes_with_it() {
        let d = filled();
        let body = saved_fields(&d.to_request());
        assert_eq!(d.key_for("draft", &body), filled().key_for("draft", &body));
        assert_ne!(d.key_for("draft", &body), d.key_for("\"2-ab\"", &body));
        assert!(d.key_for(&"x".repeat(300), &body).len() <= 255);
        let mut e = filled();
        e.name = "Other".into();
        assert_ne!(
            d.key_for("draft", &d.to_request()),
            e.key_for("draft", &e.to_request())
        );
    }

    #[test]
    fn storage_round_trips_and_refuses_corrupt_or_old_drafts() {
        let d = filled();
        assert_eq!(Draft::restore(&d.to_json()), Ok(d.clone()));
        assert!(matches!(
            Draft::restore("{not json"),
            Err(RestoreError::Corrupt(_))
        ));
        assert!(matches!(
            Draft::restore("{}"),
            Err(RestoreError::Corrupt(_))
        ));
        assert!(matches!(
            Draft::restore(r#"{"version":0,"name":"x"}"#),
            Err(RestoreError::OldVersion(0))
        ));
        let mut v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        v["nextKey"] = 1.into();
        assert!(matches!(
            Draft::restore(&v.to_string()),
            Err(RestoreError::Corrupt(_))
        ));
        assert!(!d.to_json().contains("token"));
    }

    #[test]
    fn owner_rule_needs_another_owner() {
        let mut d = filled();
        let me = d.collaborators[0].key;
        let ed = d.collaborators[1].key;
        assert!(!d.other_owner_exists(me));
        d.collaborator_mut(ed).unwrap().role = "owner".into();
        assert!(d.other_owner_exists(me));
    }

    #[test]
    fn a_saved_connection_becomes_a_draft_with_the_same_request() {
        let d = filled();
        let mut req = d.to_request();
        req.description = None;
        let c: Connection = serde_json::from_value(serde_json::json!({
            "connectionId": "c-9", "name": "Prod", "status": "draft", "enabled": false,
            "externalId": "doit-ext-1",
            "awsConfig": serde_json::to_value(req.aws_config.as_ref().unwrap()).unwrap(),
            "collaborators": [{"email": "owner@example.com", "role": "owner"}, {"email": "ed@example.com", "role": "user"}]
        }))
        .unwrap();
        let resumed =
            Draft::from_connection("d2".into(), "other@example.com", &c, Some("\"3\"".into()));
        assert_eq!(resumed.reached, Step::Permissions);
        assert_eq!(
            resumed.to_request(),
            req,
            "the same request as the one saved"
        );
        let saved = resumed.saved.as_ref().unwrap();
        assert_eq!(saved.id, "c-9");
        assert_eq!(saved.external_id.as_deref(), Some("doit-ext-1"));
        assert_eq!(
            saved.synced,
            fields_fingerprint(&saved_fields(&resumed.to_request()))
        );
        // Stored with the draft, and restored.
        assert_eq!(Draft::restore(&resumed.to_json()), Ok(resumed.clone()));
        // Without an access list on the server, the person resuming is the Owner.
        let bare = Connection {
            collaborators: Vec::new(),
            ..c
        };
        let d = Draft::from_connection("d3".into(), "me@example.com", &bare, None);
        assert_eq!(d.collaborators[0].email, "me@example.com");
    }

    #[test]
    fn an_edit_starts_from_the_connection_and_knows_what_changed() {
        let d = filled();
        let req = d.to_request();
        let c: Connection = serde_json::from_value(serde_json::json!({
            "id": "c-1", "name": "Prod", "status": "active", "enabled": true, "etag": "\"4-x\"",
            "externalId": "doit-ext-1", "description": "kept as it is",
            "awsConfig": serde_json::to_value(req.aws_config.as_ref().unwrap()).unwrap(),
            "collaborators": [{"email": "owner@example.com", "role": "owner"}, {"email": "ed@example.com", "role": "user"}]
        }))
        .unwrap();
        let mut e = Draft::for_edit(
            "e1".into(),
            "someone@example.com",
            &c,
            Some("\"4-x\"".into()),
        );
        assert_eq!(e.reached, Step::Access, "every step is open");
        assert_eq!(e.original_request(), Some(e.to_request()));
        assert!(!e.is_dirty("someone@example.com"), "nothing changed yet");
        // Kept across a reload, with its starting point.
        assert_eq!(Draft::restore(&e.to_json()), Ok(e.clone()));
        let k = e.add_action();
        e.action_mut(k).unwrap().action = "s3:ListBucket".into();
        assert!(e.is_dirty("someone@example.com"));
        let change =
            cloudflow_core::ChangeSummary::between(&e.original_request().unwrap(), &e.to_request());
        assert_eq!(
            change.actions.added_items().collect::<Vec<_>>(),
            ["s3:ListBucket"]
        );
        assert!(change.description.is_none(), "the wizard never touches it");
        assert_eq!(edit_storage_key("c-1"), "cloudflow-connect.edit.c-1");
    }

    #[test]
    fn a_conflict_keeps_both_changes_and_the_persons_where_both_changed() {
        let conn = |name: &str, actions: &[&str], people: &[(&str, &str)]| -> Connection {
            serde_json::from_value(serde_json::json!({
                "id": "c-1", "name": name, "status": "active", "externalId": "doit-ext-1",
                "awsConfig": {"roleName": "R", "context": [{"accountId": "000123456789", "regions": []}],
                    "permissions": {"awsManagedPolicies": [], "actions": actions}},
                "collaborators": people.iter().map(|(e, r)| serde_json::json!({"email": e, "role": r})).collect::<Vec<_>>()
            }))
            .unwrap()
        };
        let start = conn("Prod", &["s3:GetObject"], &[("p@example.com", "owner")]);
        let mut e = Draft::for_edit("e1".into(), "p@example.com", &start, Some("\"1\"".into()));
        e.reached = Step::Permissions;
        let k = e.add_action();
        e.action_mut(k).unwrap().action = "s3:ListBucket".into();
        e.role_name = "Mine".into();
        // Meanwhile: a new name, a new person, and a role name of theirs.
        let mut now = conn(
            "Renamed",
            &["s3:GetObject"],
            &[("p@example.com", "owner"), ("l@example.com", "user")],
        );
        now.aws_config.as_mut().unwrap().role_name = "Theirs".into();
        let theirs = e
            .rebase(&now, Some("\"2\"".into()))
            .expect("they changed it");
        assert_eq!(theirs.name, Some(("Prod".into(), "Renamed".into())));
        assert_eq!(theirs.people.added_items().count(), 1);
        let r = e.to_request();
        assert_eq!(
            r.name, "Renamed",
            "theirs, where the person changed nothing"
        );
        let aws = r.aws_config.unwrap();
        assert_eq!(aws.role_name, "Mine", "the person's, where both changed it");
        assert_eq!(aws.permissions.actions, ["s3:GetObject", "s3:ListBucket"]);
        assert_eq!(r.collaborators.len(), 2);
        assert_eq!(e.reached, Step::Permissions);
        assert_eq!(e.saved.as_ref().unwrap().etag.as_deref(), Some("\"2\""));
        assert_eq!(e.editing.as_ref(), Some(&now));
        // Compared with the connection as it is now, the edit changes only what the person did.
        let change = ChangeSummary::between(&e.original_request().unwrap(), &e.to_request());
        assert_eq!(
            change.actions.added_items().collect::<Vec<_>>(),
            ["s3:ListBucket"]
        );
        assert_eq!(change.role_name, Some(("Theirs".into(), "Mine".into())));
        assert!(change.people.is_empty() && change.name.is_none());
        // Read again with nothing new: nothing to say, and the rows (a blank one too) stay.
        e.add_action();
        let rows = e.actions.clone();
        assert_eq!(e.rebase(&now, Some("\"3\"".into())), None);
        assert_eq!(e.actions, rows);
        assert_eq!(e.saved.as_ref().unwrap().etag.as_deref(), Some("\"3\""));
    }

    #[test]
    fn dirty_once_something_is_typed() {
        let mut d = Draft::new("x".into(), "me@example.com");
        d.name = "a".into();
        assert!(d.is_dirty("me@example.com"));
    }

    #[test]
    fn split_path_reads_indexes() {
        assert_eq!(
            split_path("awsConfig.context[12].accountId"),
            ("awsConfig.context", Some(12), ".accountId")
        );
        assert_eq!(split_path("name"), ("name", None, ""));
        assert_eq!(
            split_path("collaborators[x].email"),
            ("collaborators", None, ".email")
        );
    }
}
