use leptos::prelude::*;

use crate::api::{Connection, Status};
use crate::components::ApiErrorNotice;
use crate::session::use_session;
use crate::steps::Step;
use crate::use_paths;

/// `/connections`: the provider pane on the left, the tenant's AWS connections on the right.
#[component]
pub fn ConnectionsPage() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let session = use_session();
    view! {
        <div class="cf-page cf-connections">
            <ProviderPane />
            <section class="cf-connections__main" aria-labelledby="cf-connections-heading">
                <header class="cf-page__header">
                    <h1 id="cf-connections-heading">"AWS connections"</h1>
                    <CreateConnectionButton />
                </header>
                <p class="cf-hint">
                    "A connection lets CloudFlow act in your AWS accounts through an IAM role that you create with DoiT's CloudFormation template or Terraform."
                </p>
                <Transition fallback=|| view! { <p class="cf-hint">"Loading connections…"</p> }>
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
                                            context="Loading the connections failed."
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
                let paths = paths.clone();
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
                                    "Create connection"
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
        <ApiErrorNotice error=Signal::stored(Some(error)) context="Your permissions could not be checked." />
    }
}

/// The plain explanation for people without CloudFlow Owner or Editor.
#[component]
pub fn PermissionNotice() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    view! {
        <p class="cf-alert" role="status" data-kind="info">
            "You can view connections, but creating one needs the CloudFlow Owner or CloudFlow Editor permission. Ask a DoiT console administrator of your organisation to grant it."
        </p>
    }
}

#[component]
fn ConnectionTable(list: Vec<Connection>) -> impl IntoView {
    let paths = use_paths();
    if list.is_empty() {
        return view! { <p class="cf-hint">"No AWS connections yet."</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|c| {
            // `connectionId` (released) or `id` (pre-release), whichever the server sent.
            let href = c.id().map(|id| paths.connection(id)).unwrap_or_default();
            let role = c.role_name().to_owned();
            let accounts = c.accounts().len();
            let created = c.created();
            let datetime = created.map(|t| t.rfc3339()).unwrap_or_default();
            let date = created.and_then(|t| t.date()).unwrap_or_default();
            let actions = (c.status == Status::Draft)
                .then(|| view! { <DraftActions connection=c.clone() /> });
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
            <caption class="cf-visually-hidden">"AWS connections"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Accounts"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">
                        <span class="cf-visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
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
    let resume = {
        let to = paths.resume(&id);
        move |_| navigate(&to)
    };
    let delete = {
        let name = name.clone();
        let etag = connection.etag.clone();
        move |_| {
            let sure = window()
                .confirm_with_message(&format!(
                    "Delete the draft connection \"{name}\"? What was typed in it will be lost."
                ))
                .unwrap_or(false);
            if !sure {
                return;
            }
            let api = session.api();
            let id = id.clone();
            let etag = etag.clone();
            let key = format!("cf-delete-draft-{id}-{}", crate::store::new_draft_id());
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
            <button type="button" class="cf-button" aria-label=format!("Resume {name}") on:click=resume>
                "Resume"
            </button>
            <button
                type="button"
                class="cf-button"
                aria-label=format!("Delete {name}")
                on:click=delete
                disabled=move || busy.get()
            >
                "Delete"
            </button>
        </div>
        <ApiErrorNotice error=error context="Deleting the draft failed." />
    }
    .into_any()
}

/// The words for a connection or account status.
pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Active => "Active",
        Status::PendingPermissions => "Waiting for permissions",
        Status::PermissionsFailed => "Permissions failed",
        Status::Draft => "Draft",
        Status::Inactive => "Inactive",
        Status::CloudDeleted => "Deleted in AWS",
        Status::Disabled => "Disabled",
        Status::Unknown => "Unknown",
    }
}

/// The list of cloud providers CloudFlow connects to; AWS is the one this app creates.
#[component]
fn ProviderPane() -> impl IntoView {
    let paths = use_paths();
    view! {
        <nav class="cf-providers" aria-label="Cloud providers">
            <ul>
                <li>
                    <a href=paths.connections() aria-current="page">
                        "AWS"
                    </a>
                </li>
            </ul>
        </nav>
    }
}
