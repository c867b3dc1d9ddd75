use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use cloudflow_core::{AccountContext, AwsConfig, CreateConnectionRequest};

use crate::api::{ApiError, Connection, Status, Versioned};
use crate::components::ApiErrorNotice;
use crate::follow::Following;
use crate::preview::ArtefactTabs;
use crate::retry::{with_retries, Retrying};
use crate::routes::connections::status_label;
use crate::session::use_session;
use crate::use_paths;
use crate::wizard::steps::permissions::DeployActions;

/// Whether creation is over: every account active, or one failed.
pub fn is_settled(c: &Connection) -> bool {
    // A draft waits for the wizard, not for AWS.
    if c.status == Status::Draft {
        return true;
    }
    let Some(aws) = &c.aws_config else {
        return c.status != Status::PendingPermissions;
    };
    let any_failed = aws
        .context
        .iter()
        .any(|a| a.status == Status::PermissionsFailed);
    let all_active =
        !aws.context.is_empty() && aws.context.iter().all(|a| a.status == Status::Active);
    any_failed
        || all_active
        || c.status == Status::Active
            && aws
                .context
                .iter()
                .all(|a| a.status != Status::PendingPermissions)
}

/// The request that deploys the role where it is still missing: the accounts
/// not yet active (all of them for an organisation), with the connection's settings.
pub fn pending_request(c: &Connection) -> Option<CreateConnectionRequest> {
    let aws = c.aws_config.as_ref()?;
    let org = aws.is_organisation_scope();
    let context: Vec<AccountContext> = aws
        .context
        .iter()
        .filter(|a| org || a.status != Status::Active)
        .map(|a| AccountContext {
            account_id: a.account_id.clone(),
            regions: a.regions.clone(),
        })
        .collect();
    if context.is_empty() {
        return None;
    }
    Some(CreateConnectionRequest {
        name: c.name.clone(),
        description: c.description.clone(),
        aws_config: Some(AwsConfig {
            role_name: aws.role_name.clone(),
            context,
            permissions: aws.permissions.clone(),
            management_account: aws.management_account.clone(),
            organization_root_id: aws.organization_root_id.clone(),
            scope_targeted_organizational_unit_ids: aws
                .scope_targeted_organizational_unit_ids
                .clone(),
            ..AwsConfig::default()
        }),
        ..CreateConnectionRequest::default()
    })
}

/// `/connections/aws/:id`: the connection, followed while it is being created.
#[component]
pub fn ConnectionDetails() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let session = use_session();
    let paths = use_paths();
    let following = Following::new(Signal::derive(move || Some(id.get())), is_settled, session);
    let Following {
        current, retrying, ..
    } = following;
    let polling = Signal::derive(move || following.polling());
    let error = Signal::derive(move || following.error());
    let follow = move || following.check_again();
    let t = crate::i18n::t();
    view! {
        <div class="cf-page cf-details">
            <section class="cf-details__main" aria-labelledby="cf-details-heading">
                <p>
                    <a href=paths.connections().href()>{t.back_to_list}</a>
                </p>
                <h1 id="cf-details-heading">
                    {move || {
                        current
                            .with(|c| c.as_ref().map(|v| v.connection.name.clone()))
                            .unwrap_or_else(|| t.connection.into())
                    }}
                </h1>
                <ApiErrorNotice error=error context=t.connection_failed />
                <p class="cf-alert" role="status" data-kind="info" hidden=move || retrying.with(Option::is_none)>
                    {move || retrying.with(|r| r.as_ref().map(Retrying::message).unwrap_or_default())}
                </p>
                {move || {
                    current
                        .get()
                        .map(|v| {
                            view! { <ConnectionStatus connection=v.connection polling /> }
                        })
                }}
                {
                    move || {
                        current
                            .with(|c| {
                                c.as_ref()
                                    .filter(|v| v.connection.status == Status::Draft)
                                    .and_then(|v| v.connection.id().map(|id| paths.resume(id).href()))
                            })
                            .map(|href| {
                                view! {
                                    <p class="cf-alert" role="status" data-kind="info">
                                        {t.draft_note}
                                        " "
                                        <a href=href>{t.resume_in_wizard}</a>
                                    </p>
                                }
                            })
                    }
                }
                <Manage current=current follow=Callback::new(move |_: ()| follow()) />
                <button
                    type="button"
                    class="cf-button"
                    on:click=move |_| follow()
                    disabled=move || polling.get()
                >
                    {t.check_again}
                </button>
                {move || {
                    current
                        .with(|c| {
                            c.as_ref().and_then(|v| {
                                let c = &v.connection;
                                pending_request(c).map(|r| (r, c.external_id().map(str::to_owned)))
                            })
                        })
                        .map(|(req, external_id)| {
                            let options = crate::preview::options_with(external_id);
                            let request = Signal::stored(req);
                            let options = Signal::stored(options);
                            view! {
                                <h2 class="cf-section-heading">{t.deploy_missing}</h2>
                                <p class="cf-hint">{t.deploy_missing_hint}</p>
                                <DeployActions request options id="details" />
                                <ArtefactTabs request options id="details-code" />
                            }
                        })
                }}
            </section>
        </div>
    }
}

/// The overall status and one row per account.
#[component]
fn ConnectionStatus(connection: Connection, polling: Signal<bool>) -> impl IntoView {
    let settled = is_settled(&connection);
    let t = crate::i18n::t();
    let headline = if settled {
        status_label(connection.status).to_owned()
    } else {
        t.creating.to_owned()
    };
    let role = connection.role_name().to_owned();
    let rows = connection
        .accounts()
        .to_vec()
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <th scope="row">
                        <code>{a.account_id}</code>
                    </th>
                    <td>
                        {crate::i18n::regions(&a.regions)}
                    </td>
                    <td>
                        <span class="cf-status" data-status=a.status.as_str()>
                            {status_label(a.status)}
                        </span>
                        {a.status_message.map(|m| view! { <span class="cf-status__message">" — "{m}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="cf-details__status" role="status" aria-live="polite">
            <span class="cf-status" data-status=if settled { connection.status.as_str() } else { "creating" }>
                {headline}
            </span>
            {move || polling.get().then_some(t.checking_accounts)}
        </p>
        {connection.status_message.clone().map(|m| view! { <p class="cf-hint">{m}</p> })}
        <dl class="cf-details__facts">
            <dt>{t.iam_role}</dt>
            <dd>
                <code>{role}</code>
            </dd>
            <dt>{t.external_id}</dt>
            <dd>
                <code>{connection.external_id().unwrap_or("—").to_owned()}</code>
            </dd>
        </dl>
        <table class="cf-table">
            <caption>{t.col_accounts}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.account_id}</th>
                    <th scope="col">{t.regions}</th>
                    <th scope="col">{t.status}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Disable / Enable and Delete, with the connection's ETag as `If-Match`.
#[component]
fn Manage(current: RwSignal<Option<Versioned>>, follow: Callback<()>) -> impl IntoView {
    let session = use_session();
    let paths = use_paths();
    let navigate = crate::paths::use_go_to();
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let t = crate::i18n::t();
    let explain = move |e: ApiError| match (e.status(), e.code()) {
        (Some(412), _) => {
            message.set(Some(t.changed_meanwhile.into()));
            follow.run(());
        }
        (Some(409), "delete_blocked_by_dependencies") => {
            let why = e
                .problem()
                .and_then(|p| p.detail.clone().or(p.error.clone()))
                .unwrap_or_default();
            message.set(Some(crate::i18n::fill(t.delete_blocked, &[&why])));
        }
        _ => error.set(Some(e)),
    };
    // The same key for every retry of one click: the ETag's version where the server has
    // ETags (If-Match is sent then too), else a key drawn for the click.
    let key_for = |what: &str, id: &str, etag: Option<&str>| match etag {
        Some(etag) => format!("cf-{what}-{id}-{}", etag.trim_matches('"')),
        None => format!("cf-{what}-{id}-{}", crate::wizard::state::new_draft_id()),
    };
    let toggle = move |_| {
        let Some(Versioned {
            connection: c,
            etag,
        }) = current.get_untracked()
        else {
            return;
        };
        let Some(id) = c.id().map(str::to_owned) else {
            return;
        };
        let api = session.api();
        busy.set(true);
        message.set(None);
        error.set(None);
        let key = key_for("toggle", &id, etag.as_deref());
        let patch = cloudflow_core::ConnectionPatch {
            enabled: Some(!c.is_enabled()),
            ..cloudflow_core::ConnectionPatch::default()
        };
        leptos::task::spawn_local(async move {
            match with_retries(
                || api.patch_connection(&id, &patch, etag.as_deref(), &key),
                |_, _, _| (),
            )
            .await
            {
                Ok(updated) => {
                    message.set(Some(if updated.connection.is_enabled() {
                        t.now_enabled.into()
                    } else {
                        t.now_disabled.into()
                    }));
                    current.set(Some(updated));
                }
                Err(e) => explain(e),
            }
            busy.set(false);
        });
    };
    let delete = move |_| {
        let Some(Versioned {
            connection: c,
            etag,
        }) = current.get_untracked()
        else {
            return;
        };
        let Some(id) = c.id().map(str::to_owned) else {
            return;
        };
        let sure = window()
            .confirm_with_message(&crate::i18n::fill(t.confirm_delete_connection, &[&c.name]))
            .unwrap_or(false);
        if !sure {
            return;
        }
        let api = session.api();
        let navigate = navigate.clone();
        let to = paths.connections();
        busy.set(true);
        message.set(None);
        error.set(None);
        let key = key_for("delete", &id, etag.as_deref());
        leptos::task::spawn_local(async move {
            match api.delete_for_good(&id, etag.as_deref(), &key).await {
                Ok(()) => {
                    session.connections.refetch();
                    navigate(&to);
                }
                Err(e) => explain(e),
            }
            busy.set(false);
        });
    };
    // Only its Owners and Editors (and CloudFlow Owners) change a connection: a User reads it.
    let may_change =
        Memo::new(move |_| current.with(|c| c.as_ref().map(|v| session.may_change(&v.connection))));
    let viewer_known = Memo::new(move |_| session.viewer_now.with(|v| matches!(v, Some(Ok(_)))));
    let paths = use_paths();
    let edit_href = Memo::new(move |_| {
        current.with(|c| {
            c.as_ref()
                .filter(|v| v.connection.status != Status::Draft)
                .and_then(|v| v.connection.id())
                .map(|id| paths.edit(id, crate::wizard::steps::Step::Setup).href())
        })
    });
    view! {
        <p
            class="cf-alert"
            role="status"
            data-kind="info"
            hidden=move || !(viewer_known.get() && may_change.get() == Some(false))
        >
            {t.read_only_note}
        </p>
        <div class="cf-manage" hidden=move || may_change.get() != Some(true)>
            {move || {
                edit_href
                    .get()
                    .map(|href| {
                        view! {
                            <a class="cf-button cf-button--primary" href=href>
                                {t.edit}
                            </a>
                        }
                    })
            }}
            <button type="button" class="cf-button" on:click=toggle disabled=move || busy.get()>
                {move || if current.with(|c| c.as_ref().is_some_and(|v| v.connection.is_enabled())) { t.disable } else { t.enable }}
            </button>
            <button type="button" class="cf-button" on:click=delete disabled=move || busy.get()>
                {t.delete}
            </button>
        </div>
        <p class="cf-alert" role="status" data-kind="info" hidden=move || message.with(Option::is_none)>
            {move || message.get().unwrap_or_default()}
        </p>
        <ApiErrorNotice error=error />
    }
}
