//! The wizard's draft: what the person has typed so far, in the shape of the
//! form (rows with stable keys, the reached step, the scope choice), turned
//! into DoiT's `CreateConnectionRequest` by one pure function. It is what
//! sessionStorage keeps (never a token), versioned so an old draft is refused.

use cloudflow_core::wire::{AccountState, AwsConfigView, Connection, Member};
use cloudflow_core::{
    AccountContext, AwsConfig, ChangeSummary, Collaborator, CollaboratorRole, ConnectionPatch,
    CreateConnectionRequest, Permissions,
};
use reactive_stores::{AtKeyed, Store};
use serde::{Deserialize, Serialize};

use crate::wizard::steps::Step;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, Store)]
#[serde(rename_all = "camelCase")]
pub struct AccountRow {
    pub key: u32,
    pub account_id: String,
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, Store)]
#[serde(rename_all = "camelCase")]
pub struct ActionRow {
    pub key: u32,
    pub action: String,
}

impl ActionRow {
    /// Whether the row reaches the request (blank rows are left out).
    fn is_filled(&self) -> bool {
        !self.action.trim().is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Store)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorRow {
    pub key: u32,
    pub email: String,
    pub role: CollaboratorRole,
}

impl CollaboratorRow {
    /// A row of the access list, with nobody in it yet.
    pub fn blank(key: u32, role: CollaboratorRole) -> CollaboratorRow {
        CollaboratorRow {
            key,
            email: String::new(),
            role,
        }
    }

    /// Whether the row reaches the request (rows without an email are left out).
    fn is_filled(&self) -> bool {
        !self.email.trim().is_empty()
    }
}

/// The organisation-scope fields shown when "All accounts" is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, Store)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub management_account: String,
    pub regions: Vec<String>,
    pub root_id: String,
    /// As typed: ids separated by commas, spaces or new lines.
    pub ou_ids: String,
}

/// The draft is a store (`reactive_stores`): each field, and each row by its key, is read and
/// written on its own, so typing in one field reaches only what reads that field (and the
/// request, which reads them all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Store)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub version: u32,
    /// Random, chosen once per draft: the base of its Idempotency-Key.
    pub draft_id: String,
    pub reached: Step,
    pub name: String,
    pub role_name: String,
    pub scope: Scope,
    #[store(key: u32 = |row| row.key)]
    pub accounts: Vec<AccountRow>,
    pub organisation: Organisation,
    pub policies: Vec<String>,
    #[store(key: u32 = |row| row.key)]
    pub actions: Vec<ActionRow>,
    #[store(key: u32 = |row| row.key)]
    pub collaborators: Vec<CollaboratorRow>,
    /// The key the next row gets (keys are never reused within a draft).
    pub next_key: u32,
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

/// A row of the store's account list, known by its key (what `For` hands each row).
pub type AccountAt = AtKeyed<Store<Draft>, Draft, u32, Vec<AccountRow>>;
/// A row of the store's action list, known by its key.
pub type ActionAt = AtKeyed<Store<Draft>, Draft, u32, Vec<ActionRow>>;
/// A row of the store's access list, known by its key.
pub type CollaboratorAt = AtKeyed<Store<Draft>, Draft, u32, Vec<CollaboratorRow>>;

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
            email: me.to_owned(),
            ..CollaboratorRow::blank(key, CollaboratorRole::Owner)
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

    /// A new row key.
    pub fn key(&mut self) -> u32 {
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
        self.collaborators
            .push(CollaboratorRow::blank(key, CollaboratorRole::User));
        key
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
        let members: Vec<(String, CollaboratorRole)> = c
            .collaborators
            .iter()
            .filter_map(|m| Some((m.email.clone(), m.role?)))
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
        self.editing.as_ref().map(Draft::request_of)
    }

    /// The request of the connection `c`, read the way the wizard reads it.
    pub fn request_of(c: &Connection) -> CreateConnectionRequest {
        Draft::from_connection(String::new(), "", c, None).to_request()
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

    /// What the draft's request is before the person typed anything: the connection's as the
    /// edit began, or a fresh draft's for `me`. [`Draft::is_dirty`] compares with it.
    pub fn untouched_request(&self, me: &str) -> CreateConnectionRequest {
        self.original_request()
            .unwrap_or_else(|| Draft::new(String::new(), me).to_request())
    }

    /// Whether the person has typed anything worth asking about before Cancel: `request` is
    /// this draft's, `untouched` [`Draft::untouched_request`] (both computed once elsewhere).
    pub fn is_dirty(
        &self,
        request: &CreateConnectionRequest,
        untouched: &CreateConnectionRequest,
    ) -> bool {
        let started =
            self.editing.is_none() && (self.saved.is_some() || self.scope != Scope::Accounts);
        started || request != untouched
    }

    /// Owner rule: the row may be demoted or removed only while another Owner stays.
    pub fn other_owner_exists(&self, key: u32) -> bool {
        other_owner_exists(&self.collaborators, key)
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
    pub(crate) fn filled_actions(&self) -> impl Iterator<Item = &ActionRow> {
        self.actions.iter().filter(|a| a.is_filled())
    }

    /// The collaborator rows that reach the request (rows without an email are left out).
    pub(crate) fn filled_collaborators(&self) -> impl Iterator<Item = &CollaboratorRow> {
        self.collaborators.iter().filter(|c| c.is_filled())
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
                    role: c.role.as_str().to_owned(),
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
}

/// Owner rule over a list of people rows: the row `key` may be demoted or removed only while
/// another filled row is an Owner.
pub fn other_owner_exists(rows: &[CollaboratorRow], key: u32) -> bool {
    rows.iter()
        .any(|c| c.key != key && c.role == CollaboratorRole::Owner && c.is_filled())
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

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::fields::{step_of, Control};
    use cloudflow_core::FieldPath;

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
        assert_eq!(d.collaborators[0].role, CollaboratorRole::Owner);
        let untouched = d.untouched_request("me@example.com");
        assert!(!d.is_dirty(&d.to_request(), &untouched));
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
            d.control_of(&FieldPath::Accounts),
            Some(Control::ManagementAccount)
        );
        assert_eq!(
            d.control_of(&FieldPath::Region(0, 0)),
            Some(Control::OrgRegions)
        );
    }

    #[test]
    fn field_paths_map_to_the_controls_that_edit_them() {
        let d = filled();
        let k1 = d.accounts[1].key;
        let control = |path: &str| d.control_of(&FieldPath::parse(path));
        assert_eq!(control("name"), Some(Control::Name));
        assert_eq!(control("awsConfig.roleName"), Some(Control::RoleName));
        assert_eq!(
            control("awsConfig.context[1].accountId"),
            Some(Control::AccountId(k1))
        );
        assert_eq!(
            control("/awsConfig/context/0/regions/0"),
            Some(Control::Regions(d.accounts[0].key))
        );
        // actions[1] is the third row: the blank second row is not in the request.
        assert_eq!(
            control("awsConfig.permissions.actions[1]"),
            Some(Control::Action(d.actions[2].key))
        );
        assert_eq!(
            control("collaborators[1].role"),
            Some(Control::Level(d.collaborators[1].key))
        );
        assert_eq!(control("awsConfig.context[9].accountId"), None);
        assert_eq!(control("somethingElse"), None);
        // One function makes the ids; a list's own message focuses its first row.
        assert_eq!(Control::AccountId(k1).dom_id(), format!("account-{k1}-id"));
        assert_eq!(
            Control::Level(7).dom_id(),
            "collaborator-7-role",
            "the id the Access step's select has"
        );
        assert_eq!(
            d.focus_id(Control::Actions),
            format!("action-{}", d.actions[0].key)
        );
        assert_eq!(Control::Action(3).step(), Step::Permissions);
        assert_eq!(Control::Email(3).step(), Step::Access);
        assert_eq!(step_of(&FieldPath::Action(1)), Step::Permissions);
        assert_eq!(step_of(&FieldPath::CollaboratorEmail(0)), Step::Access);
        assert_eq!(step_of(&FieldPath::AccountId(0)), Step::Setup);
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
        d.collaborator_mut(ed).unwrap().role = CollaboratorRole::Owner;
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
        let untouched = e.untouched_request("someone@example.com");
        assert!(
            !e.is_dirty(&e.to_request(), &untouched),
            "nothing changed yet"
        );
        // Kept across a reload, with its starting point.
        assert_eq!(Draft::restore(&e.to_json()), Ok(e.clone()));
        let k = e.add_action();
        e.action_mut(k).unwrap().action = "s3:ListBucket".into();
        assert!(e.is_dirty(&e.to_request(), &untouched));
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
    fn dirty_once_something_is_typed_or_saved() {
        let mut d = Draft::new("x".into(), "me@example.com");
        let untouched = d.untouched_request("me@example.com");
        d.name = "a".into();
        assert!(d.is_dirty(&d.to_request(), &untouched));
        d.name.clear();
        assert!(!d.is_dirty(&d.to_request(), &untouched));
        d.scope = Scope::Organisation;
        assert!(d.is_dirty(&d.to_request(), &untouched));
    }
}
