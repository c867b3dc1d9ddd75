use leptos::prelude::*;

use crate::api::{Connection, Status};
use crate::components::ApiErrorNotice;
use crate::session::use_session;
use crate::use_paths;
use crate::wizard::steps::Step;

/// `/connections`: the provider pane on the left, the tenant's AWS connections on the right.
#[component]
pub fn ConnectionsPage() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let session = use_session();
    let t = crate::i18n::t();
    view! {
        <div class="cf-page cf-connections">
            <ProviderPane />
            <section class="cf-connections__main" aria-labelledby="cf-connections-heading">
                <header class="cf-page__header">
                    <h1 id="cf-connections-heading">{t.connections_title}</h1>
                    <CreateConnectionButton />
                </header>
                <p class="cf-hint">{t.connections_hint}</p>
                <Transition fallback=move || view! { <p class="cf-hint">{t.connections_loading}</p> }>
                    {move || {
                        session
                            .connections
                            .get()
                            .map(|r| match r {
                                Ok(list) => view! { <ConnectionTable list=list.to_vec() /> }.into_any(),
                                Err(e) => {
                                    view! {
                                        <ApiErrorNotice
                                            error=Signal::derive(move || Some(e.clone()))
                                            context=t.connections_failed
                                        />
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Transition>
            </section>
        </div>
    }
}

/// "Create connection", or why the signed-in person cannot create one.
#[component]
fn CreateConnectionButton() -> impl IntoView {
    let session = use_session();
    let paths = use_paths();
    let navigate = crate::paths::use_go_to();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let navigate = navigate.clone();
                session
                    .viewer
                    .get()
                    .map(move |v| match v {
                        Ok(v) if v.can_manage => {
                            let to = paths.new_connection(Step::Setup);
                            view! {
                                <button
                                    type="button"
                                    class="cf-button cf-button--primary"
                                    on:click=move |_| navigate(&to)
                                >
                                    {crate::i18n::t().create_connection}
                                </button>
                            }
                                .into_any()
                        }
                        Ok(_) => view! { <PermissionNotice /> }.into_any(),
                        Err(e) => view! { <PermissionCheckFailed error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// Why the page cannot tell whether the person may create connections.
#[component]
pub fn PermissionCheckFailed(error: crate::api::ApiError) -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    view! {
        <ApiErrorNotice error=Signal::stored(Some(error)) context=crate::i18n::t().permissions_unchecked />
    }
}

/// The plain explanation for people without CloudFlow Owner or Editor.
#[component]
pub fn PermissionNotice() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    view! {
        <p class="cf-alert" role="status" data-kind="info">
            {crate::i18n::t().no_permission}
        </p>
    }
}

#[component]
fn ConnectionTable(list: Vec<Connection>) -> impl IntoView {
    let paths = use_paths();
    let t = crate::i18n::t();
    if list.is_empty() {
        return view! { <p class="cf-hint">{t.no_connections}</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|c| {
            // `connectionId` (released) or `id` (pre-release), whichever the server sent.
            let href = c
                .id()
                .map(|id| paths.connection(id).href())
                .unwrap_or_default();
            let role = c.role_name().to_owned();
            let accounts = c.accounts().len();
            let created = c.created();
            let datetime = created.map(|t| t.rfc3339()).unwrap_or_default();
            let date = created
                .and_then(|t| t.date())
                .map(|d| crate::i18n::date(&d))
                .unwrap_or_default();
            let actions = if c.status == Status::Draft {
                view! { <DraftActions connection=c.clone() /> }.into_any()
            } else {
                view! { <EditLink connection=c.clone() /> }.into_any()
            };
            view! {
                <tr>
                    <th scope="row">
                        <a href=href>{c.name.clone()}</a>
                    </th>
                    <td>{role}</td>
                    <td>{accounts}</td>
                    <td>
                        <span class="cf-status" data-status=c.status.as_str()>
                            {status_label(c.status)}
                        </span>
                    </td>
                    <td>
                        <time datetime=datetime>{date}</time>
                    </td>
                    <td>{actions}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="cf-table">
            <caption class="cf-visually-hidden">{t.connections_title}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.col_name}</th>
                    <th scope="col">{t.col_role}</th>
                    <th scope="col">{t.col_accounts}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.col_created}</th>
                    <th scope="col">
                        <span class="cf-visually-hidden">{t.col_actions}</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Edit, for whoever may change the connection (its Owners and Editors, CloudFlow Owners).
#[component]
fn EditLink(connection: Connection) -> impl IntoView {
    let paths = use_paths();
    let session = use_session();
    let t = crate::i18n::t();
    let href = connection
        .id()
        .map(|id| paths.edit(id, crate::wizard::steps::Step::Setup).href());
    let label = crate::i18n::fill(t.edit_named, &[&connection.name]);
    move || {
        let shown = crate::wizard::edit::may_edit(&session, &connection);
        href.clone().filter(|_| shown).map(|href| {
            view! {
                <a class="cf-button" href=href aria-label=label.clone()>
                    {t.edit}
                </a>
            }
        })
    }
}

/// Resume and Delete for a saved-but-not-done connection (a draft saved at Setup).
#[component]
fn DraftActions(connection: Connection) -> impl IntoView {
    let session = use_session();
    let paths = use_paths();
    let navigate = crate::paths::use_go_to();
    let error: RwSignal<Option<crate::api::ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let Some(id) = connection.id().map(str::to_owned) else {
        return ().into_any();
    };
    let name = connection.name.clone();
    let t = crate::i18n::t();
    let resume = {
        let to = paths.resume(&id);
        move |_| navigate(&to)
    };
    let delete = {
        let name = name.clone();
        let etag = connection.etag.clone();
        move |_| {
            let sure = window()
                .confirm_with_message(&crate::i18n::fill(t.confirm_delete_draft, &[&name]))
                .unwrap_or(false);
            if !sure {
                return;
            }
            let api = session.api();
            let id = id.clone();
            let etag = etag.clone();
            let key = format!(
                "cf-delete-draft-{id}-{}",
                crate::wizard::state::new_draft_id()
            );
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                let result = api.delete_for_good(&id, etag.as_deref(), &key).await;
                busy.set(false);
                match result {
                    Ok(()) => session.connections.refetch(),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    view! {
        <div class="cf-row-actions">
            <button type="button" class="cf-button" aria-label=crate::i18n::fill(t.resume_named, &[&name]) on:click=resume>
                {t.resume}
            </button>
            <button
                type="button"
                class="cf-button"
                aria-label=crate::i18n::fill(t.delete_named, &[&name])
                on:click=delete
                disabled=move || busy.get()
            >
                {t.delete}
            </button>
        </div>
        <ApiErrorNotice error=error context=t.delete_draft_failed />
    }
    .into_any()
}

/// The words for a connection or account status.
pub fn status_label(status: Status) -> &'static str {
    let t = crate::i18n::t();
    match status {
        Status::Active => t.status_active,
        Status::PendingPermissions => t.status_pending,
        Status::PermissionsFailed => t.status_permissions_failed,
        Status::Draft => t.status_draft,
        Status::Inactive => t.status_inactive,
        Status::CloudDeleted => t.status_cloud_deleted,
        Status::Disabled => t.status_disabled,
        Status::Unknown => t.status_unknown,
    }
}

/// The list of cloud providers CloudFlow connects to; AWS is the one this app creates.
#[component]
fn ProviderPane() -> impl IntoView {
    let paths = use_paths();
    view! {
        <nav class="cf-providers" aria-label=crate::i18n::t().cloud_providers>
            <ul>
                <li>
                    <a href=paths.connections().href() aria-current="page">
                        "AWS"
                    </a>
                </li>
            </ul>
        </nav>
    }
}
