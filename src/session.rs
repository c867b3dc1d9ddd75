//! Who is signed in and what they may do, plus the tenant's data the wizard
//! needs (users, AWS accounts, existing connections), loaded once per visit.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{Api, ApiError, Asset, Connection, User};
use crate::retry::with_retries;

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub email: String,
    pub display_name: String,
    pub can_manage: bool,
    /// CloudFlow Owner: may change any connection of the tenant.
    pub cloudflow_owner: bool,
    /// Their `language` in DoiT's console (`en`, `ja`), when the API says it.
    pub language: Option<String>,
}

impl Viewer {
    /// Derives the viewer from `validate`, their user record and the roles: they may manage
    /// connections when their role holds one of `manage` (from `/config.json`).
    pub fn from_parts(
        email: &str,
        users: &[User],
        roles: &[crate::api::Role],
        manage: &[String],
        owners: &[String],
    ) -> Viewer {
        let me = users.iter().find(|u| u.email.eq_ignore_ascii_case(email));
        let role = me.and_then(|u| roles.iter().find(|r| r.id == u.role_id));
        let holds =
            |ids: &[String]| role.is_some_and(|r| r.permissions.iter().any(|p| ids.contains(p)));
        let can_manage = holds(manage);
        Viewer {
            email: email.to_owned(),
            display_name: me.map(|u| u.display_name.clone()).unwrap_or_default(),
            can_manage,
            cloudflow_owner: can_manage && holds(owners),
            language: me.and_then(|u| u.language.clone()),
        }
    }
}

impl Viewer {
    /// Whether they may change `c` (the core's rule: a CloudFlow Owner, or an Owner or Editor of
    /// the connection). One that names nobody is its creator's, whom the API does not say: the
    /// server decides then.
    pub fn may_change(&self, c: &Connection) -> bool {
        let members = c.collaborators.iter().map(|m| (m.email.as_str(), m.role));
        self.can_manage
            && (c.collaborators.is_empty()
                || cloudflow_core::may_change(members, &self.email, self.cloudflow_owner, None))
    }
}

async fn load_viewer(
    api: Api,
    manage: Arc<(Vec<String>, Vec<String>)>,
) -> Result<Viewer, ApiError> {
    let me = with_retries(|| api.me(), |_, _, _| ()).await?;
    let (users, roles) = futures::join!(
        with_retries(|| api.users(Some(&me.email)), |_, _, _| ()),
        with_retries(|| api.roles(), |_, _, _| ())
    );
    Ok(Viewer::from_parts(
        &me.email, &users?, &roles?, &manage.0, &manage.1,
    ))
}

/// Everything loaded from the API for this visit, shared through context.
#[derive(Clone, Copy)]
pub struct Session {
    pub viewer: LocalResource<Result<Viewer, ApiError>>,
    pub users: LocalResource<Result<Arc<Vec<User>>, ApiError>>,
    pub accounts: LocalResource<Result<Arc<Vec<Asset>>, ApiError>>,
    pub connections: LocalResource<Result<Arc<Vec<Connection>>, ApiError>>,
    /// The same three lists as plain reactive values (`None` while loading), for the
    /// wizard: a resource read inside a `<Transition>` holds the whole transition until
    /// it loads, and the wizard's form must not wait for 10,000 accounts. These memos
    /// are owned by the session, outside any transition, so reading them registers
    /// nothing with one.
    pub accounts_now: Memo<Loaded<Asset>>,
    pub users_now: Memo<Loaded<User>>,
    pub connections_now: Memo<Loaded<Connection>>,
    /// Who is signed in as loaded so far, read without joining a transition (the wizard
    /// opens before it has loaded).
    pub viewer_now: Memo<Option<Result<Viewer, ApiError>>>,
    api: StoredValue<Api>,
}

/// A list as loaded so far: `None` while loading, then the list or why it failed.
pub type Loaded<T> = Option<Result<Arc<Vec<T>>, ApiError>>;

/// A memo over a resource's current value that changes only when the resource does
/// (the lists are compared by identity, not item by item).
fn now<T: Send + Sync + 'static>(
    resource: LocalResource<Result<Arc<Vec<T>>, ApiError>>,
) -> Memo<Loaded<T>> {
    Memo::new_with_compare(
        move |_| resource.get(),
        |old: Option<&Loaded<T>>, new: Option<&Loaded<T>>| match (old, new) {
            (Some(Some(Ok(a))), Some(Some(Ok(b)))) => !Arc::ptr_eq(a, b),
            (Some(None), Some(None)) => false,
            (Some(Some(Err(a))), Some(Some(Err(b)))) => a != b,
            _ => true,
        },
    )
}

impl Session {
    /// `manage`: the permission ids that allow creating connections, `owners` those of a
    /// CloudFlow Owner (`/config.json`).
    pub fn new(api: Api, manage: Vec<String>, owners: Vec<String>) -> Session {
        let a = api.clone();
        let manage = Arc::new((manage, owners));
        let viewer = LocalResource::new(move || load_viewer(a.clone(), manage.clone()));
        let a = api.clone();
        let users = LocalResource::new(move || {
            let a = a.clone();
            async move {
                with_retries(|| a.users(None), |_, _, _| ())
                    .await
                    .map(Arc::new)
            }
        });
        let a = api.clone();
        let accounts = LocalResource::new(move || {
            let a = a.clone();
            async move {
                with_retries(|| a.aws_accounts(), |_, _, _| ())
                    .await
                    .map(Arc::new)
            }
        });
        let a = api.clone();
        let connections = LocalResource::new(move || {
            let a = a.clone();
            async move {
                with_retries(|| a.connections(), |_, _, _| ())
                    .await
                    .map(Arc::new)
            }
        });
        Session {
            viewer,
            users,
            accounts,
            connections,
            accounts_now: now(accounts),
            users_now: now(users),
            connections_now: now(connections),
            viewer_now: Memo::new(move |_| viewer.get()),
            api: StoredValue::new(api),
        }
    }

    /// Whether the signed-in person, as loaded so far, may change `c` (a tracked read; unknown
    /// yet or unreadable: no).
    pub fn may_change(&self, c: &Connection) -> bool {
        self.viewer_now
            .with(|v| matches!(v, Some(Ok(v)) if v.may_change(c)))
    }

    pub fn api(&self) -> Api {
        self.api.get_value()
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Role;

    fn user(email: &str, role: &str) -> User {
        User {
            email: email.into(),
            role_id: role.into(),
            display_name: email.into(),
            ..User::default()
        }
    }

    fn role(id: &str, perms: &[&str]) -> Role {
        Role {
            id: id.into(),
            permissions: perms.iter().map(|p| p.to_string()).collect(),
            ..Role::default()
        }
    }

    #[test]
    fn listed_connections_of_both_dialects_are_the_tenant_rules_neighbours() {
        // The released document names the id `connectionId`: the draft's own is still its own.
        let own = Connection {
            connection_id: Some("mine".into()),
            name: "Draft".into(),
            ..Connection::default()
        };
        let taken = |except: Option<&str>| {
            let req = cloudflow_core::CreateConnectionRequest {
                name: " draft".into(),
                ..Default::default()
            };
            let others = cloudflow_core::Neighbour::of(&own);
            cloudflow_core::tenant_rules(&cloudflow_core::Candidate::of(&req), except, others)
                .has_errors()
        };
        assert!(taken(None));
        assert!(!taken(Some("mine")));
    }

    #[test]
    fn owners_and_editors_may_manage_others_may_not() {
        let users = [
            user("o@x.com", "r1"),
            user("e@x.com", "r2"),
            user("v@x.com", "r3"),
        ];
        let roles = [
            role("r1", &["Users", "CloudFlowOwner"]),
            role("r2", &["CloudFlowEditor"]),
            role("r3", &["CloudAnalytics"]),
        ];
        let manage = crate::config::AppConfig::default().manage_permissions;
        let owners = crate::config::AppConfig::default().owner_permissions;
        assert!(Viewer::from_parts("O@x.com", &users, &roles, &manage, &owners).cloudflow_owner);
        assert!(!Viewer::from_parts("e@x.com", &users, &roles, &manage, &owners).cloudflow_owner);
        assert!(Viewer::from_parts("O@x.com", &users, &roles, &manage, &owners).can_manage);
        assert!(Viewer::from_parts("e@x.com", &users, &roles, &manage, &owners).can_manage);
        assert!(!Viewer::from_parts("v@x.com", &users, &roles, &manage, &owners).can_manage);
        assert!(!Viewer::from_parts("nobody@x.com", &users, &roles, &manage, &owners).can_manage);
        // The ids come from the configuration, not from the code.
        let other = vec!["CloudAnalytics".to_owned()];
        assert!(Viewer::from_parts("v@x.com", &users, &roles, &other, &owners).can_manage);
        assert!(!Viewer::from_parts("O@x.com", &users, &roles, &other, &owners).can_manage);
    }

    #[test]
    fn owners_and_editors_of_a_connection_may_change_it_its_users_may_not() {
        let users = [
            user("o@x.com", "r1"),
            user("e@x.com", "r2"),
            user("u@x.com", "r2"),
        ];
        let roles = [
            role("r1", &["CloudFlowOwner"]),
            role("r2", &["CloudFlowEditor"]),
        ];
        let manage = crate::config::AppConfig::default().manage_permissions;
        let owners = crate::config::AppConfig::default().owner_permissions;
        let viewer = |email| Viewer::from_parts(email, &users, &roles, &manage, &owners);
        let c: Connection = serde_json::from_value(serde_json::json!({
            "id": "c", "name": "Prod", "status": "active",
            "collaborators": [{"email": "someone@x.com", "role": "owner"}, {"email": "E@x.com", "role": "editor"}, {"email": "u@x.com", "role": "user"}]
        }))
        .unwrap();
        assert!(
            viewer("e@x.com").may_change(&c),
            "an Editor of the connection"
        );
        assert!(
            !viewer("u@x.com").may_change(&c),
            "a User of the connection"
        );
        assert!(
            viewer("o@x.com").may_change(&c),
            "a CloudFlow Owner, named or not"
        );
        // One that names nobody: the server knows its creator, the page lets it decide.
        let nobody = Connection {
            collaborators: Vec::new(),
            ..c
        };
        assert!(viewer("u@x.com").may_change(&nobody));
        assert!(
            !viewer("nobody@x.com").may_change(&nobody),
            "without the permission"
        );
    }
}
