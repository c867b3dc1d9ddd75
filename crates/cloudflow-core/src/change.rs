//! What an edit changes: the difference between a connection's request as saved and as edited,
//! per area (accounts, regions, policies, actions, people), what it means for the stack in each
//! account, and who may make it.
//!
//! [`ChangeSummary::between`] compares; [`ChangeSummary::apply`] replays the difference on the
//! old request, which gives the new one (the property the tests check): the summary leaves
//! nothing out.

use crate::catalog::{AccessLevel, ActionCatalog};
use crate::model::{AccountContext, AwsConfig, Collaborator, CreateConnectionRequest};
use crate::types::{CollaboratorRole, IamAction};
use crate::validate::Broad;

/// Items removed from a list, and items added with their place in the new list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListChange<T> {
    pub removed: Vec<T>,
    /// `(index in the new list, item)`, in increasing index order.
    pub added: Vec<(usize, T)>,
}

impl<T> Default for ListChange<T> {
    fn default() -> Self {
        ListChange {
            removed: Vec::new(),
            added: Vec::new(),
        }
    }
}

impl<T> ListChange<T> {
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty()
    }

    /// The added items, without their places.
    pub fn added_items(&self) -> impl Iterator<Item = &T> {
        self.added.iter().map(|(_, t)| t)
    }
}

/// Matches `new` against `old` by `key` (each old item at most once, in order): the unmatched
/// old items are removed, the unmatched new ones added; `(old, new)` pairs of matched items.
fn diff_by<'a, T: Clone, K: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> (ListChange<T>, Vec<(&'a T, &'a T)>) {
    let mut used = vec![false; old.len()];
    let mut change = ListChange::default();
    let mut kept = Vec::new();
    for (i, n) in new.iter().enumerate() {
        let k = key(n);
        match (0..old.len()).find(|&j| !used[j] && key(&old[j]) == k) {
            Some(j) => {
                used[j] = true;
                kept.push((&old[j], n));
            }
            None => change.added.push((i, n.clone())),
        }
    }
    change.removed = old
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(o, _)| o.clone())
        .collect();
    (change, kept)
}

/// Replays a [`ListChange`] on `list`: removes the removed items (matched by `key`, first
/// unmatched occurrence), then inserts the added ones at their places.
fn apply_list<T: Clone, K: PartialEq>(
    list: &mut Vec<T>,
    change: &ListChange<T>,
    key: impl Fn(&T) -> K,
) {
    for r in &change.removed {
        let k = key(r);
        if let Some(at) = list.iter().position(|x| key(x) == k) {
            list.remove(at);
        }
    }
    for (i, item) in &change.added {
        let at = (*i).min(list.len());
        list.insert(at, item.clone());
    }
}

/// A kept account whose regions changed (`[]` = all regions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionChange {
    pub account_id: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// A person who keeps access at another level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelChange {
    pub email: String,
    pub before: String,
    pub after: String,
}

/// The organisation-scope fields of `awsConfig` (All accounts), compared as one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgScope {
    pub management_account: Option<String>,
    pub organization_root_id: Option<String>,
    pub targeted_ous: Vec<String>,
    pub explicit_accounts: Vec<String>,
    pub excluded_accounts: Vec<String>,
    pub management_account_in_scope: Option<bool>,
}

impl OrgScope {
    fn of(aws: &AwsConfig) -> OrgScope {
        OrgScope {
            management_account: aws.management_account.clone(),
            organization_root_id: aws.organization_root_id.clone(),
            targeted_ous: aws.scope_targeted_organizational_unit_ids.clone(),
            explicit_accounts: aws.scope_explicit_account_ids.clone(),
            excluded_accounts: aws.scope_excluded_account_ids.clone(),
            management_account_in_scope: aws.scope_management_account_explicit_in_scope,
        }
    }

    fn write(&self, aws: &mut AwsConfig) {
        aws.management_account = self.management_account.clone();
        aws.organization_root_id = self.organization_root_id.clone();
        aws.scope_targeted_organizational_unit_ids = self.targeted_ous.clone();
        aws.scope_explicit_account_ids = self.explicit_accounts.clone();
        aws.scope_excluded_account_ids = self.excluded_accounts.clone();
        aws.scope_management_account_explicit_in_scope = self.management_account_in_scope;
    }
}

/// Everything an edit changes, per area. A request without `awsConfig` compares as an empty one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeSummary {
    pub name: Option<(String, String)>,
    pub description: Option<(Option<String>, Option<String>)>,
    /// A new role name means a new role in every account (the stack update replaces it).
    pub role_name: Option<(String, String)>,
    pub accounts: ListChange<AccountContext>,
    pub regions: Vec<RegionChange>,
    pub organisation: Option<(OrgScope, OrgScope)>,
    pub policies: ListChange<String>,
    pub actions: ListChange<String>,
    pub people: ListChange<Collaborator>,
    pub levels: Vec<LevelChange>,
    /// `enabled` as sent (the wizard never changes it; the page's Enable / Disable does).
    pub enabled: Option<(Option<bool>, Option<bool>)>,
    /// Whether either request had an `awsConfig` (so that [`ChangeSummary::apply`] keeps a
    /// missing one missing).
    aws_present: (bool, bool),
    /// Fields this summary does not describe (`id`, `gcpConfig`), carried for `apply`.
    rest: Option<(Option<String>, Option<serde_json::Value>)>,
}

/// What an edit means for the role stack in one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StackStep {
    /// A new account: create the stack as for a new connection.
    Create,
    /// A deployed account whose stack parameters change: update the stack.
    Update,
    /// A deployed account whose stack stays as it is (only DoiT's side changed).
    Unchanged,
    /// A removed account: delete the stack, so no role trusting DoiT stays behind.
    Delete,
}

impl ChangeSummary {
    /// Compares the connection as saved (`old`) with the edit (`new`).
    pub fn between(old: &CreateConnectionRequest, new: &CreateConnectionRequest) -> ChangeSummary {
        let empty = AwsConfig::default();
        let a = old.aws_config.as_ref().unwrap_or(&empty);
        let b = new.aws_config.as_ref().unwrap_or(&empty);
        let pair = |x: &String, y: &String| (x != y).then(|| (x.clone(), y.clone()));
        let (accounts, kept) = diff_by(&a.context, &b.context, |c| c.account_id.clone());
        let regions = kept
            .into_iter()
            .filter(|(o, n)| o.regions != n.regions)
            .map(|(o, n)| RegionChange {
                account_id: n.account_id.clone(),
                before: o.regions.clone(),
                after: n.regions.clone(),
            })
            .collect();
        let (people, kept) = diff_by(&old.collaborators, &new.collaborators, |c| c.email.clone());
        let levels = kept
            .into_iter()
            .filter(|(o, n)| o.role != n.role)
            .map(|(o, n)| LevelChange {
                email: n.email.clone(),
                before: o.role.clone(),
                after: n.role.clone(),
            })
            .collect();
        let (org_a, org_b) = (OrgScope::of(a), OrgScope::of(b));
        let rest_a = (old.id.clone(), old.gcp_config.clone());
        let rest_b = (new.id.clone(), new.gcp_config.clone());
        ChangeSummary {
            name: pair(&old.name, &new.name),
            description: (old.description != new.description)
                .then(|| (old.description.clone(), new.description.clone())),
            role_name: pair(&a.role_name, &b.role_name),
            accounts,
            regions,
            organisation: (org_a != org_b).then_some((org_a, org_b)),
            policies: diff_by(
                &a.permissions.aws_managed_policies,
                &b.permissions.aws_managed_policies,
                String::clone,
            )
            .0,
            actions: diff_by(
                &a.permissions.actions,
                &b.permissions.actions,
                String::clone,
            )
            .0,
            people,
            levels,
            enabled: (old.enabled != new.enabled).then_some((old.enabled, new.enabled)),
            aws_present: (old.aws_config.is_some(), new.aws_config.is_some()),
            rest: (rest_a != rest_b).then_some(rest_b),
        }
    }

    /// Nothing changes.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.description.is_none()
            && self.role_name.is_none()
            && self.accounts.is_empty()
            && self.regions.is_empty()
            && self.organisation.is_none()
            && self.policies.is_empty()
            && self.actions.is_empty()
            && self.people.is_empty()
            && self.levels.is_empty()
            && self.enabled.is_none()
            && self.aws_present.0 == self.aws_present.1
            && self.rest.is_none()
    }

    /// Whether the role stack's parameters change (role name, policies, actions): only then
    /// does a deployed account need its stack updated. Regions, names and people are DoiT's
    /// side alone.
    pub fn stack_changes(&self) -> bool {
        self.role_name.is_some() || !self.policies.is_empty() || !self.actions.is_empty()
    }

    /// What the edit means for the stack in `account`, given the accounts of the edit.
    pub fn stack_step(&self, account: &str) -> StackStep {
        if self.accounts.added_items().any(|a| a.account_id == account) {
            StackStep::Create
        } else if self
            .accounts
            .removed
            .iter()
            .any(|a| a.account_id == account)
        {
            StackStep::Delete
        } else if self.stack_changes() {
            StackStep::Update
        } else {
            StackStep::Unchanged
        }
    }

    /// Replays the difference on `old`: gives the request it was computed against.
    pub fn apply(&self, old: &CreateConnectionRequest) -> CreateConnectionRequest {
        let mut out = old.clone();
        if let Some((_, n)) = &self.name {
            out.name = n.clone();
        }
        if let Some((_, d)) = &self.description {
            out.description = d.clone();
        }
        if let Some((_, e)) = self.enabled {
            out.enabled = e;
        }
        if let Some((id, gcp)) = &self.rest {
            out.id = id.clone();
            out.gcp_config = gcp.clone();
        }
        apply_list(&mut out.collaborators, &self.people, |c| c.email.clone());
        for l in &self.levels {
            if let Some(c) = out.collaborators.iter_mut().find(|c| c.email == l.email) {
                c.role = l.after.clone();
            }
        }
        if !self.aws_present.1 {
            out.aws_config = None;
            return out;
        }
        let aws = out.aws_config.get_or_insert_with(AwsConfig::default);
        if let Some((_, r)) = &self.role_name {
            aws.role_name = r.clone();
        }
        apply_list(&mut aws.context, &self.accounts, |c| c.account_id.clone());
        for r in &self.regions {
            if let Some(c) = aws
                .context
                .iter_mut()
                .find(|c| c.account_id == r.account_id)
            {
                c.regions = r.after.clone();
            }
        }
        if let Some((_, org)) = &self.organisation {
            org.write(aws);
        }
        apply_list(
            &mut aws.permissions.aws_managed_policies,
            &self.policies,
            String::clone,
        );
        apply_list(&mut aws.permissions.actions, &self.actions, String::clone);
        out
    }

    /// The summary in English, one line per change (the CLI's; the app writes its own in the
    /// page's language from the same fields). Actions carry their access level from `actions`
    /// when given, and the broad-grant warnings.
    pub fn to_text(&self, actions: Option<&ActionCatalog>) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        if self.is_empty() {
            line("No changes.".into());
            return out;
        }
        if let Some((a, b)) = &self.name {
            line(format!("Connection name: \"{a}\" -> \"{b}\""));
        }
        if let Some((a, b)) = &self.description {
            line(format!(
                "Description: \"{}\" -> \"{}\"",
                a.as_deref().unwrap_or(""),
                b.as_deref().unwrap_or("")
            ));
        }
        if let Some((a, b)) = &self.role_name {
            line(format!(
                "Role name: \"{a}\" -> \"{b}\" (a new role in every account: the stack update replaces the role, and anything outside the stack that names the old role must follow)"
            ));
        }
        for a in self.accounts.added_items() {
            line(format!(
                "Account added: {} ({}): create its stack",
                a.account_id,
                regions_text(&a.regions)
            ));
        }
        for a in &self.accounts.removed {
            line(format!(
                "Account removed: {}: delete its stack, or its role keeps trusting DoiT",
                a.account_id
            ));
        }
        for r in &self.regions {
            line(format!(
                "Regions of {}: {} -> {}",
                r.account_id,
                regions_text(&r.before),
                regions_text(&r.after)
            ));
        }
        if let Some((a, b)) = &self.organisation {
            line(format!(
                "Organisation scope: root {} OUs [{}] -> root {} OUs [{}]",
                a.organization_root_id.as_deref().unwrap_or("-"),
                a.targeted_ous.join(", "),
                b.organization_root_id.as_deref().unwrap_or("-"),
                b.targeted_ous.join(", ")
            ));
        }
        for p in self.policies.added_items() {
            line(format!("Policy added: {p}"));
        }
        for p in &self.policies.removed {
            line(format!("Policy removed: {p}"));
        }
        for a in self.actions.added_items() {
            line(format!("Action added: {}", action_text(a, actions)));
        }
        for a in &self.actions.removed {
            line(format!("Action removed: {}", action_text(a, actions)));
        }
        for p in self.people.added_items() {
            line(format!("Person added: {} as {}", p.email, p.role));
        }
        for p in &self.people.removed {
            line(format!("Person removed: {} (was {})", p.email, p.role));
        }
        for l in &self.levels {
            line(format!(
                "Access level of {}: {} -> {}",
                l.email, l.before, l.after
            ));
        }
        if let Some((_, b)) = self.enabled {
            line(format!(
                "Enabled: {}",
                b.map_or("as before".into(), |b| b.to_string())
            ));
        }
        out
    }
}

fn regions_text(regions: &[String]) -> String {
    if regions.is_empty() {
        "all regions".into()
    } else {
        regions.join(", ")
    }
}

fn action_text(action: &str, catalog: Option<&ActionCatalog>) -> String {
    let facts = ActionFacts::of(action, catalog);
    let mut s = action.to_owned();
    if let Some(level) = facts.level {
        s.push_str(&format!(" ({})", level.as_str()));
    }
    if let Some(b) = facts.broad {
        s.push_str(&format!(
            " - warning: {}",
            crate::validate::Rule::Broad(action.to_owned(), b)
        ));
    }
    s
}

/// What the Permissions step knows of an action: its access level (from the catalogue, for a
/// single action) and whether it is a broad grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActionFacts {
    pub level: Option<AccessLevel>,
    pub broad: Option<Broad>,
}

impl ActionFacts {
    pub fn of(action: &str, catalog: Option<&ActionCatalog>) -> ActionFacts {
        ActionFacts {
            level: catalog.and_then(|c| c.get(action)).map(|a| a.level),
            broad: action
                .parse::<IamAction>()
                .ok()
                .and_then(|a| crate::validate::broad_grant(&a)),
        }
    }
}

/// Who may change a connection: a CloudFlow Owner (the permission, across the tenant), or an
/// Owner or Editor of the connection. A connection that names nobody is its creator's, who is
/// then its Owner. Users of a connection may use it, not change it.
pub fn may_change<'a>(
    members: impl IntoIterator<Item = (&'a str, Option<CollaboratorRole>)>,
    who: &str,
    cloudflow_owner: bool,
    creator: Option<&str>,
) -> bool {
    if cloudflow_owner {
        return true;
    }
    let mut nobody = true;
    for (email, role) in members {
        nobody = false;
        if email.trim().eq_ignore_ascii_case(who.trim())
            && matches!(
                role,
                Some(CollaboratorRole::Owner | CollaboratorRole::Editor)
            )
        {
            return true;
        }
    }
    nobody && creator.is_some_and(|c| c.trim().eq_ignore_ascii_case(who.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Permissions;
    use proptest::prelude::*;

    fn request(
        accounts: &[(&str, &[&str])],
        actions: &[&str],
        people: &[(&str, &str)],
    ) -> CreateConnectionRequest {
        CreateConnectionRequest {
            name: "Prod".into(),
            aws_config: Some(AwsConfig {
                role_name: "DoitCloudFlow".into(),
                context: accounts
                    .iter()
                    .map(|(a, r)| AccountContext {
                        account_id: (*a).into(),
                        regions: r.iter().map(|s| (*s).to_owned()).collect(),
                    })
                    .collect(),
                permissions: Permissions {
                    aws_managed_policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
                    actions: actions.iter().map(|s| (*s).to_owned()).collect(),
                },
                ..AwsConfig::default()
            }),
            collaborators: people
                .iter()
                .map(|(e, r)| Collaborator {
                    email: (*e).into(),
                    role: (*r).into(),
                })
                .collect(),
            ..CreateConnectionRequest::default()
        }
    }

    #[test]
    fn each_area_says_what_was_added_removed_or_changed() {
        let old = request(
            &[("000123456789", &["eu-west-1"]), ("004455667788", &[])],
            &["s3:GetObject"],
            &[("p@example.com", "owner"), ("m@example.com", "editor")],
        );
        let new = request(
            &[("000123456789", &[]), ("111122223333", &["us-east-1"])],
            &["s3:GetObject", "iam:PassRole"],
            &[
                ("p@example.com", "owner"),
                ("m@example.com", "user"),
                ("s@example.com", "user"),
            ],
        );
        let c = ChangeSummary::between(&old, &new);
        assert_eq!(c.accounts.removed[0].account_id, "004455667788");
        assert_eq!(c.accounts.added[0].0, 1);
        assert_eq!(c.accounts.added[0].1.account_id, "111122223333");
        assert_eq!(
            c.regions,
            [RegionChange {
                account_id: "000123456789".into(),
                before: vec!["eu-west-1".into()],
                after: vec![]
            }]
        );
        assert_eq!(
            c.actions.added_items().collect::<Vec<_>>(),
            ["iam:PassRole"]
        );
        assert!(c.policies.is_empty());
        assert_eq!(c.people.added[0].1.email, "s@example.com");
        assert_eq!(c.levels[0].after, "user");
        assert!(c.role_name.is_none());
        assert_eq!(c.stack_step("000123456789"), StackStep::Update);
        assert_eq!(c.stack_step("111122223333"), StackStep::Create);
        assert_eq!(c.stack_step("004455667788"), StackStep::Delete);
        let text = c.to_text(None);
        assert!(
            text.contains("Account removed: 004455667788: delete its stack"),
            "{text}"
        );
        assert!(
            text.contains(
                "Action added: iam:PassRole - warning: iam:PassRole lets CloudFlow hand roles"
            ),
            "{text}"
        );
        assert!(
            text.contains("Access level of m@example.com: editor -> user"),
            "{text}"
        );
        assert_eq!(c.apply(&old), new);
    }

    #[test]
    fn only_role_name_policies_and_actions_touch_the_stacks() {
        let old = request(&[("000123456789", &[])], &["s3:GetObject"], &[]);
        let mut new = old.clone();
        new.name = "Renamed".into();
        new.aws_config.as_mut().unwrap().context[0].regions = vec!["eu-west-1".into()];
        let c = ChangeSummary::between(&old, &new);
        assert!(!c.stack_changes());
        assert_eq!(c.stack_step("000123456789"), StackStep::Unchanged);
        new.aws_config.as_mut().unwrap().role_name = "Other".into();
        let c = ChangeSummary::between(&old, &new);
        assert!(c.stack_changes());
        assert!(c.to_text(None).contains("a new role in every account"));
        assert!(ChangeSummary::between(&old, &old).is_empty());
        assert_eq!(
            ChangeSummary::between(&old, &old).to_text(None),
            "No changes.\n"
        );
    }

    #[test]
    fn who_may_change() {
        let members = [
            ("o@example.com", Some(CollaboratorRole::Owner)),
            ("e@example.com", Some(CollaboratorRole::Editor)),
            ("u@example.com", Some(CollaboratorRole::User)),
        ];
        assert!(may_change(members, "O@example.com", false, None));
        assert!(may_change(members, "e@example.com", false, None));
        assert!(!may_change(members, "u@example.com", false, None));
        assert!(!may_change(
            members,
            "x@example.com",
            false,
            Some("x@example.com")
        ));
        assert!(may_change(members, "u@example.com", true, None));
        assert!(may_change(
            [],
            "x@example.com",
            false,
            Some("X@example.com")
        ));
        assert!(!may_change([], "x@example.com", false, None));
    }

    fn account_ids() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::btree_set("[0-9]{12}", 0..6).prop_map(|s| s.into_iter().collect())
    }

    fn arb_request() -> impl Strategy<Value = CreateConnectionRequest> {
        (
            "[a-z]{0,3}",
            prop_oneof!["[A-Z][a-z]{1,4}", Just("DoitCloudFlow".to_owned())],
            account_ids(),
            proptest::collection::vec(
                proptest::sample::select(vec!["eu-west-1", "us-east-1", "ap-northeast-1"]),
                0..3,
            ),
            proptest::collection::btree_set("[a-c][0-9]:[A-C][a-z]{0,2}", 0..5),
            proptest::collection::btree_set("[a-c]@example\\.com", 0..4),
            proptest::bool::ANY,
        )
            .prop_map(|(name, role, accounts, regions, actions, people, org)| {
                let n = regions.len();
                let mut aws = AwsConfig {
                    role_name: role,
                    context: accounts
                        .into_iter()
                        .enumerate()
                        .map(|(i, a)| AccountContext {
                            account_id: a,
                            regions: regions
                                .iter()
                                .take((i + n) % 3)
                                .map(|s| (*s).to_owned())
                                .collect(),
                        })
                        .collect(),
                    permissions: Permissions {
                        aws_managed_policies: actions
                            .iter()
                            .take(2)
                            .map(|a| format!("arn:aws:iam::aws:policy/{a}"))
                            .collect(),
                        actions: actions.into_iter().collect(),
                    },
                    ..AwsConfig::default()
                };
                if org {
                    aws.organization_root_id = Some("r-ab12".into());
                    aws.scope_targeted_organizational_unit_ids = vec![format!("ou-ab12-{name}")];
                }
                CreateConnectionRequest {
                    name,
                    aws_config: Some(aws),
                    collaborators: people
                        .into_iter()
                        .enumerate()
                        .map(|(i, e)| Collaborator {
                            email: e,
                            role: ["owner", "editor", "user"][i % 3].into(),
                        })
                        .collect(),
                    ..CreateConnectionRequest::default()
                }
            })
    }

    /// Sorted copies of the lists (for pairs whose kept items were reordered).
    fn canonical(mut r: CreateConnectionRequest) -> CreateConnectionRequest {
        if let Some(a) = r.aws_config.as_mut() {
            a.context.sort_by(|x, y| x.account_id.cmp(&y.account_id));
            a.permissions.actions.sort();
            a.permissions.aws_managed_policies.sort();
        }
        r.collaborators.sort_by(|x, y| x.email.cmp(&y.email));
        r
    }

    proptest! {
        /// Any two requests: applying the summary to the old one gives the new one (lists with
        /// unique keys compare as sets: their order means nothing to AWS or DoiT).
        #[test]
        fn applying_the_summary_to_the_old_request_gives_the_new_one(old in arb_request(), new in arb_request()) {
            let c = ChangeSummary::between(&old, &new);
            prop_assert_eq!(canonical(c.apply(&old)), canonical(new.clone()));
            prop_assert_eq!(c.is_empty(), old == new);
        }

        /// An edit as the wizard makes one (rows removed, changed and added; kept rows keep
        /// their order): applying the summary gives exactly the new request.
        #[test]
        fn an_edit_replays_exactly(old in arb_request(), drop_mask in proptest::collection::vec(proptest::bool::ANY, 8), extra in account_ids(), role in proptest::option::of("[A-Z][a-z]{2}")) {
            let mut new = old.clone();
            let aws = new.aws_config.as_mut().unwrap();
            let mut i = 0;
            aws.context.retain(|_| { i += 1; !drop_mask[(i - 1) % 8] });
            for (k, a) in aws.context.iter_mut().enumerate() {
                if drop_mask[(k + 3) % 8] { a.regions = vec!["eu-central-1".into()]; }
            }
            for e in extra {
                if !aws.context.iter().any(|c| c.account_id == e) {
                    let at = e.len() % (aws.context.len() + 1);
                    aws.context.insert(at, AccountContext { account_id: e, regions: vec![] });
                }
            }
            if let Some(r) = role { aws.role_name = r; }
            aws.permissions.actions.retain(|a| !a.ends_with('a'));
            aws.permissions.actions.insert(0, "zz:Added".into());
            new.collaborators.retain(|c| c.role != "editor");
            if let Some(c) = new.collaborators.first_mut() { c.role = "user".into(); }
            let c = ChangeSummary::between(&old, &new);
            prop_assert_eq!(c.apply(&old), new);
        }
    }
}
