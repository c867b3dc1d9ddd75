//! Keeping the draft saved on the server (the help page's order: the connection exists
//! before anything is deployed, so every artefact carries DoiT's external ID).
//!
//! Once Setup is valid and the person goes on, the connection is created on the server,
//! disabled (a draft until Done), exactly once whatever the server supports
//! ([`crate::create`]). From then on the name, description and `awsConfig` are PATCHed as
//! they change (debounced by the wizard), with `If-Match` where the server has ETags; a
//! stale version is fetched again and the draft's fields win (the draft is the person's own).
//! Offline or during faults nothing is lost: the draft keeps everything in the tab, the
//! status line says so, and the next run saves it. Runs never overlap.

use std::time::Duration;

use cloudflow_core::{ConnectionPatch, CreateConnectionRequest};
use leptos::prelude::*;

use crate::api::{Api, ApiError, Connection, Versioned};
use crate::retry::{retry_delay, with_retries, Retrying};
use crate::wizard::create::{create_once, Plan};
use crate::wizard::draft::{fields_fingerprint, saved_fields, DraftStoreFields, Saved};
use crate::wizard::state::WizardStore;
use crate::wizard::steps::Step;

/// How the draft stands on the server, for the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing to save yet (Setup not done), or nothing tried.
    Idle,
    /// A create or a change is on its way.
    Saving,
    /// The server has everything the person typed.
    Saved,
    /// The server is asked again after a failure: what failed and when the next try is.
    Retrying(Retrying),
    /// Not saved yet (offline, or the server unreachable): kept in the tab, saved later.
    Pending(String),
    /// The server refused what was sent (its words and fields are shown); the fingerprint of
    /// the fields it refused: they are not sent again on their own, only by Next or Done.
    Refused(ApiError, String),
}

/// Whether the fields saved while the person types (Setup's and Permissions') are all valid:
/// the server would refuse them otherwise, so nothing is sent until they are.
fn fields_ready(store: WizardStore) -> bool {
    store.report.with_untracked(|r| {
        !r.errors()
            .any(|p| crate::wizard::fields::step_of(&p.field) != Step::Access)
    })
}

/// Marks the saver busy for as long as it lives (also when its task is dropped).
struct Busy(RwSignal<bool>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.try_set(false);
    }
}

/// Brings the server up to date with the draft (a no-op when nothing changed or nothing can
/// be saved yet), after any run already in progress. `known`: the ids of the connections of
/// this name the person can see (never taken for the one the draft creates). Unless
/// `explicit` (Next, Done), fields the server refused are not sent again until they change.
pub async fn save(
    store: WizardStore,
    api: Api,
    known: Vec<String>,
    explicit: bool,
) -> Result<(), ApiError> {
    while store.saving.get_untracked() {
        gloo_timers::future::sleep(Duration::from_millis(50)).await;
    }
    let fingerprint = store
        .request
        .with_untracked(|r| fields_fingerprint(&saved_fields(r)));
    let refused_as_is = store
        .save
        .with_untracked(|s| matches!(s, SaveState::Refused(_, f) if *f == fingerprint));
    if refused_as_is && !explicit {
        return Ok(());
    }
    store.saving.set(true);
    let _busy = Busy(store.saving);
    let result = save_once(store, &api, known, fingerprint.clone()).await;
    store.save.set(match &result {
        Ok(()) if store.draft.with_untracked(|d| d.saved.is_some()) => SaveState::Saved,
        Ok(()) => SaveState::Idle,
        Err(e) if e.is_retryable() => SaveState::Pending(e.to_string()),
        Err(e) => SaveState::Refused(e.clone(), fingerprint),
    });
    result
}

fn on_retry(store: WizardStore) -> impl Fn(u32, Duration, &ApiError) + Copy {
    move |attempt, wait, e| {
        store.save.set(SaveState::Retrying(Retrying {
            attempt,
            wait,
            error: e.clone(),
        }))
    }
}

/// One run of [`save`]; `fingerprint` is that of the fields as they are now.
async fn save_once(
    store: WizardStore,
    api: &Api,
    known: Vec<String>,
    fingerprint: String,
) -> Result<(), ApiError> {
    let request = store.request.get_untracked();
    let saved = store.draft.with_untracked(|d| d.saved.clone());
    if !fields_ready(store) {
        return Ok(());
    }
    match saved {
        None => create_draft(store, api, request, known, fingerprint).await,
        Some(saved) => {
            if fingerprint == saved.synced {
                return Ok(());
            }
            store.save.set(SaveState::Saving);
            let updated = patch(store, api, &saved, &saved_fields(&request)).await?;
            store.draft.saved().update(|s| {
                if let Some(s) = s.as_mut() {
                    s.synced = fingerprint;
                    s.etag = updated.etag;
                }
            });
            Ok(())
        }
    }
}

/// Creates the draft on the server, disabled, exactly once.
async fn create_draft(
    store: WizardStore,
    api: &Api,
    mut request: CreateConnectionRequest,
    known: Vec<String>,
    fingerprint: String,
) -> Result<(), ApiError> {
    request.enabled = Some(false);
    let started = store.draft.create_started();
    let look_first = started.with_untracked(Option::is_some);
    if !look_first {
        started.set(Some(known));
    }
    let known = started.get_untracked().unwrap_or_default();
    let key = store.draft.with_untracked(|d| d.key_for("draft", &request));
    let plan = Plan {
        request: &request,
        key: &key,
        known: &known,
        look_first,
    };
    store.save.set(SaveState::Saving);
    let created = create_once(api, &plan, on_retry(store)).await;
    let created = match created {
        Ok(c) => c,
        Err(e) => {
            // Refused: nothing was created, the next try starts afresh.
            if !e.is_ambiguous() {
                started.set(None);
            }
            return Err(e);
        }
    };
    let Some(id) = created.connection.id().map(str::to_owned) else {
        return Err(ApiError::Decode(crate::i18n::t().created_no_id.to_owned()));
    };
    started.set(None);
    store.draft.saved().set(Some(Saved {
        id,
        external_id: created.connection.external_id().map(str::to_owned),
        etag: created.etag,
        synced: fingerprint,
    }));
    Ok(())
}

/// Whether the connection as read already holds everything `patch` sets (a PATCH whose answer
/// was lost may have been carried out).
pub fn patch_applied(patch: &ConnectionPatch, c: &Connection) -> bool {
    let name_ok = patch
        .name
        .as_ref()
        .is_none_or(|n| n.trim() == c.name.trim());
    let description_ok = patch
        .description
        .as_ref()
        .is_none_or(|d| c.description.as_deref() == Some(d.as_str()));
    let enabled_ok = patch.enabled.is_none_or(|e| c.is_enabled() == e);
    let members_ok = patch.collaborators.as_ref().is_none_or(|list| {
        list.len() == c.collaborators.len()
            && list.iter().zip(&c.collaborators).all(|(want, got)| {
                want.email.eq_ignore_ascii_case(&got.email)
                    && got.role.map(|r| r.as_str()) == Some(want.role.as_str())
            })
    });
    let aws_ok = patch.aws_config.as_ref().is_none_or(|want| {
        c.aws_config.as_ref().is_some_and(|got| {
            want.role_name == got.role_name
                && want.permissions == got.permissions
                && want.context.len() == got.context.len()
                && want
                    .context
                    .iter()
                    .zip(&got.context)
                    .all(|(w, g)| w.account_id == g.account_id && w.regions == g.regions)
                && want.management_account == got.management_account
                && want.organization_root_id == got.organization_root_id
                && want.scope_targeted_organizational_unit_ids
                    == got.scope_targeted_organizational_unit_ids
        })
    });
    name_ok && description_ok && enabled_ok && members_ok && aws_ok
}

/// One PATCH of `fields`, retried with back-off; a stale version (412) is fetched again once
/// and the PATCH repeated with it; after a failure that may have carried it out (a lost
/// answer), the connection is read first, and a PATCH already applied is not sent again.
pub async fn patch(
    store: WizardStore,
    api: &Api,
    saved: &Saved,
    fields: &ConnectionPatch,
) -> Result<Versioned, ApiError> {
    let mut etag = saved.etag.clone();
    let mut refreshed = false;
    let mut attempt = 1;
    let read_now = || with_retries(|| api.connection(&saved.id), on_retry(store));
    loop {
        // The key covers the version too: a replay of a refused try must not stand in for
        // the try with a fresh version.
        let key = store
            .draft
            .with_untracked(|d| d.key_for(etag.as_deref().unwrap_or("patch"), fields));
        match api
            .patch_connection(&saved.id, fields, etag.as_deref(), &key)
            .await
        {
            Ok(v) => return Ok(v),
            Err(e) if e.status() == Some(412) && !refreshed => {
                refreshed = true;
                etag = read_now().await?.etag;
            }
            Err(e) => {
                // A lost answer may hide a PATCH carried out: look before sending it again.
                if e.is_ambiguous() {
                    if let Ok(now) = read_now().await {
                        if patch_applied(fields, &now.connection) {
                            return Ok(now);
                        }
                        etag = now.etag.or(etag);
                    }
                }
                match retry_delay(attempt, &e) {
                    Some(wait) => {
                        on_retry(store)(attempt, wait, &e);
                        gloo_timers::future::sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudflow_core::{AccountContext, AwsConfig, Collaborator, Permissions};

    fn patch() -> ConnectionPatch {
        ConnectionPatch {
            name: Some("Prod".into()),
            aws_config: Some(AwsConfig {
                role_name: "R".into(),
                context: vec![AccountContext {
                    account_id: "000000000001".into(),
                    regions: vec!["eu-west-1".into()],
                }],
                permissions: Permissions {
                    aws_managed_policies: vec![],
                    actions: vec!["s3:GetObject".into()],
                },
                ..AwsConfig::default()
            }),
            collaborators: Some(vec![Collaborator {
                email: "a@example.com".into(),
                role: "owner".into(),
            }]),
            enabled: Some(true),
            ..ConnectionPatch::default()
        }
    }

    fn read(enabled: bool, action: &str, role: &str) -> Connection {
        serde_json::from_value(serde_json::json!({
            "connectionId": "c", "name": " Prod ", "enabled": enabled,
            "awsConfig": {"roleName": "R", "context": [{"accountId": "000000000001", "regions": ["eu-west-1"], "status": "active"}],
                "permissions": {"awsManagedPolicies": [], "actions": [action]}},
            "collaborators": [{"email": "A@example.com", "role": role}]
        }))
        .unwrap()
    }

    #[test]
    fn a_patch_counts_as_applied_only_when_everything_it_sets_is_there() {
        assert!(patch_applied(
            &patch(),
            &read(true, "s3:GetObject", "owner")
        ));
        assert!(!patch_applied(
            &patch(),
            &read(false, "s3:GetObject", "owner")
        ));
        assert!(!patch_applied(
            &patch(),
            &read(true, "s3:PutObject", "owner")
        ));
        assert!(!patch_applied(
            &patch(),
            &read(true, "s3:GetObject", "editor")
        ));
        // What a patch does not set is not compared.
        let only_enabled = ConnectionPatch {
            enabled: Some(false),
            ..ConnectionPatch::default()
        };
        assert!(patch_applied(&only_enabled, &read(false, "x:Y", "user")));
    }
}
