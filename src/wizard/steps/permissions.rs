//! Step 2 — Permissions: AWS managed policies, allowed actions, and how to
//! deploy the role (CloudFormation or Terraform).

use std::sync::Arc;

use cloudflow_core::policy::{inline_policies_size, INLINE_POLICY_LIMIT};
use cloudflow_core::{Format, RenderOptions};
use leptos::prelude::*;

use super::parts::{RowList, WizardField};
use crate::api::Status;
use crate::components::{
    ApiErrorNotice, ComboOption, Combobox, DownloadButton, MultiSelect, RemoveButton, Tabs,
};
use crate::follow::Following;
use crate::preview::artefact;
use crate::session::use_session;
use crate::wizard::draft::{ActionAt, ActionRowStoreFields, DraftStoreFields};
use crate::wizard::fields::Control;
use crate::wizard::state::{focus_id, row_field, WizardStore};

/// AWS's default quota of managed policies per role, and the most it can be raised to.
pub const POLICY_QUOTA: usize = 10;
pub const POLICY_MAX: usize = 25;
/// The most bytes one quick-create link parameter may carry.
pub const PARAM_LIMIT: usize = 4_096;

#[component]
pub fn PermissionsStep() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let store = expect_context::<WizardStore>();
    store.catalogs.need_permissions();
    view! {
        <p class="cf-hint">{crate::i18n::t().permissions_hint}</p>
        {move || store.catalogs.error.get().map(|e| view! { <p class="cf-alert" role="status" data-kind="warning">{e}</p> })}
        <ManagedPolicies />
        <AllowedActions />
        <SizeMeters />
        {if store.edit_id().is_some() {
            view! {
                <crate::wizard::edit::ApplyEdit />
                <DeployStatus />
            }
                .into_any()
        } else {
            view! { <Deploy /> }.into_any()
        }}
    }
}

#[component]
fn ManagedPolicies() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let catalog = store.catalogs.policies;
    let options = Memo::new(move |_| {
        Arc::new(
            catalog
                .get()
                .map(|c| {
                    c.policies
                        .iter()
                        .map(|p| ComboOption::new(p.arn(), p.name.clone(), p.description.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        )
    });
    let policies = store.draft.policies();
    let selected = Memo::new(move |_| policies.get());
    let t = crate::i18n::t();
    view! {
        <WizardField control=Control::ManagedPolicies label=t.policies_label description=t.policies_desc>
            <MultiSelect
                selected=selected
                on_change=Callback::new(move |v: Vec<String>| policies.set(v))
                options=options
                chips_label=t.policies_selected
                placeholder=t.policies_search
                max=POLICY_MAX
            />
        </WizardField>
        <Meter
            label=t.meter_policies
            value=Signal::derive(move || selected.with(Vec::len))
            warn=POLICY_QUOTA
            max=POLICY_MAX
            unit=""
        />
    }
}

#[component]
fn AllowedActions() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let rows = store.draft.actions();
    let add = Callback::new(move |()| {
        let key = store.add_action();
        focus_id(&Control::Action(key).dom_id());
    });
    let t = crate::i18n::t();
    view! {
        <h3 class="cf-section-heading">{t.actions_heading}</h3>
        <RowList label=t.actions_group control=Control::Actions add_label=t.add_action on_add=add>
            <For each=move || rows key=|row| row.key() let:row>
                <ActionRow row />
            </For>
        </RowList>
    }
}

#[component]
fn ActionRow(row: ActionAt) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let key = row.key().get_untracked();
    let action = row.action();
    let value = row_field(action);
    let catalog = store.catalogs.actions;
    let options = Memo::new(move |_| {
        let q = value.get();
        Arc::new(
            catalog
                .with(|c| {
                    c.as_ref().map(|c| {
                        c.search(q.trim(), 50)
                            .into_iter()
                            .map(|a| ComboOption::new(a.action.clone(), a.action, a.level.as_str()))
                            .collect()
                    })
                })
                .unwrap_or_default(),
        )
    });
    let matches = Memo::new(move |_| {
        let v = value.get();
        let v = v.trim();
        (v.contains('*') || v.contains('?'))
            .then(|| catalog.with(|c| c.as_ref().map(|c| c.match_count(v))))
            .flatten()
    });
    let rows = store.draft.actions();
    let can_remove = Memo::new(move |_| rows.with(|r| r.len() > 1));
    let set = Callback::new(move |v: String| action.set(v));
    let remove = Callback::new(move |()| store.remove_action(key));
    let t = crate::i18n::t();
    view! {
        <div class="cf-row">
            <WizardField control=Control::Action(key) label=t.action_label>
                <Combobox
                    value=value
                    on_input=set
                    on_select=Callback::new(move |o: ComboOption| set.run(o.value))
                    options=options
                    placeholder="S3:GetObject"
                />
            </WizardField>
            <p class="cf-row__note" aria-live="polite">
                {move || matches.get().map(|n| if n == 1 { t.matches_one.to_owned() } else { crate::i18n::fill(t.matches_n, &[&n]) })}
            </p>
            <RemoveButton
                label=Signal::derive(move || crate::i18n::fill(t.remove_action, &[&value.get()]))
                hidden=Signal::derive(move || !can_remove.get())
                on_remove=remove
            />
        </div>
    }
}

/// A value against an AWS limit, turning to a warning before a stack would fail.
#[component]
fn Meter(
    label: &'static str,
    value: Signal<usize>,
    warn: usize,
    max: usize,
    unit: &'static str,
) -> impl IntoView {
    let t = crate::i18n::t();
    let state = move || {
        let v = value.get();
        if v > max {
            "over"
        } else if v > warn {
            "warning"
        } else {
            "ok"
        }
    };
    view! {
        <div class="cf-meter" data-state=state>
            <label>
                <span class="cf-meter__label">{label}</span>
                <meter min="0" max=max.to_string() high=warn.to_string() optimum="0" value=move || value.get().to_string()></meter>
            </label>
            <span class="cf-meter__text">
                {move || {
                    let v = value.get();
                    let note = match state() {
                        "over" => t.meter_over,
                        "warning" => t.meter_close,
                        _ => "",
                    };
                    let of = crate::i18n::fill(t.meter_of, &[&format_args!("{v}{unit}"), &format_args!("{max}{unit}")]);
                    format!("{of}{note}")
                }}
            </span>
        </div>
    }
}

#[component]
fn SizeMeters() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let inline = Memo::new(move |_| {
        store.request.with(|r| {
            r.aws_config.as_ref().map_or(0, |a| {
                inline_policies_size(&a.role_name, &a.permissions.actions)
            })
        })
    });
    let actions_param = Memo::new(move |_| {
        store.request.with(|r| {
            r.aws_config
                .as_ref()
                .map_or(0, |a| a.permissions.actions.join(",").len())
        })
    });
    let policies_param = Memo::new(move |_| {
        store.request.with(|r| {
            r.aws_config
                .as_ref()
                .map_or(0, |a| a.permissions.aws_managed_policies.join(",").len())
        })
    });
    let t = crate::i18n::t();
    view! {
        <div class="cf-meters" role="group" aria-label=t.meters_label>
            <Meter label=t.meter_inline value=inline.into() warn=INLINE_POLICY_LIMIT * 9 / 10 max=INLINE_POLICY_LIMIT unit=t.unit_characters />
            <Meter label=t.meter_actions_param value=actions_param.into() warn=PARAM_LIMIT * 9 / 10 max=PARAM_LIMIT unit=t.unit_bytes />
            <Meter label=t.meter_policies_param value=policies_param.into() warn=PARAM_LIMIT * 9 / 10 max=PARAM_LIMIT unit=t.unit_bytes />
        </div>
    }
}

/// What a person does to deploy, in each account: the external ID's state, the one-click
/// launch and the AWS CLI, the files to download (the code itself is in the live preview), and
/// each account's status as DoiT sees it.
#[component]
fn Deploy() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let request: Signal<cloudflow_core::CreateConnectionRequest> = store.request.into();
    let base = crate::preview::options_with(None);
    let options = Signal::derive(move || RenderOptions {
        external_id: store.external_id(),
        ..base.clone()
    });
    let t = crate::i18n::t();
    view! {
        <h3 class="cf-section-heading">{t.deploy_heading}</h3>
        <p class="cf-hint">{t.deploy_hint}</p>
        <ExternalIdNote />
        <DeployActions request options id="deploy" />
        <DeployStatus />
    }
}

/// What a person does to deploy a request's role, as tabs: CloudFormation (the one-click
/// launch, the AWS CLI, the template to download) and Terraform (the two forms to download).
/// The code itself is shown elsewhere (the live preview; a connection's page shows it below).
#[component]
pub fn DeployActions(
    #[prop(into)] request: Signal<cloudflow_core::CreateConnectionRequest>,
    #[prop(into)] options: Signal<RenderOptions>,
    /// Distinguishes the tab set's element ids on the page.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let tab = RwSignal::new("cloudformation");
    let org = Memo::new(move |_| request.with(|r| r.is_organisation_scope()));
    let file = move |format: Format| {
        Signal::derive(move || request.with(|r| options.with(|o| artefact(format, r, o))))
    };
    let t = crate::i18n::t();
    view! {
        <Tabs label=t.deploy_with id=id tabs=vec![("cloudformation", "CloudFormation"), ("terraform", "Terraform")] selected=tab>
            {move || match tab.get() {
                "terraform" => view! {
                    <p class="cf-hint">{t.terraform_hint}</p>
                    <div class="cf-downloads">
                        <DownloadButton label=t.download_terraform code=file(Format::Terraform) filename=Format::Terraform.file_name() />
                        <DownloadButton label=t.download_terraform_module code=file(Format::TerraformModule) filename=Format::TerraformModule.file_name() />
                    </div>
                }.into_any(),
                _ => view! {
                    <LaunchStack request options />
                    <div class="cf-downloads">
                        {move || if org.get() {
                            view! {
                                <DownloadButton label=t.download_stackset code=file(Format::StacksetYaml) filename=Format::StacksetYaml.file_name() mime="application/yaml" />
                            }.into_any()
                        } else {
                            view! {
                                <DownloadButton label=t.download_yaml code=file(Format::CfnYaml) filename=Format::CfnYaml.file_name() mime="application/yaml" />
                                <DownloadButton label=t.download_json code=file(Format::CfnJson) filename=Format::CfnJson.file_name() mime="application/json" />
                            }.into_any()
                        }}
                    </div>
                }.into_any(),
            }}
        </Tabs>
    }
}

/// Where the external ID in the artefacts comes from, said plainly: DoiT's (saved), not told
/// by the server, or not known yet (not saved): never a made-up one.
#[component]
pub(crate) fn ExternalIdNote() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let saved = store.draft.saved();
    let state =
        Memo::new(move |_| saved.with(|s| s.as_ref().map(|s| s.external_id.clone().ok_or(()))));
    let t = crate::i18n::t();
    move || {
        match state.get() {
        Some(Ok(id)) => view! {
            <p class="cf-external-id" data-state="known">
                {t.external_id_lead} <code>{id}</code> {t.external_id_tail}
            </p>
        }
        .into_any(),
        Some(Err(())) => view! {
            <p class="cf-alert cf-external-id" role="status" data-kind="warning" data-state="not-given">
                {t.external_id_not_given}
            </p>
        }
        .into_any(),
        None => view! {
            <p class="cf-alert cf-external-id" role="status" data-kind="info" data-state="unknown">
                {t.external_id_unknown}
            </p>
        }
        .into_any(),
    }
    }
}

/// What a person reads for an account's status.
pub fn deploy_status_text(status: Status, message: Option<&str>) -> String {
    let t = crate::i18n::t();
    match status {
        Status::Active => t.deploy_connected.to_owned(),
        Status::PermissionsFailed => crate::i18n::fill(
            t.deploy_failed,
            &[&message.unwrap_or(t.deploy_cannot_assume)],
        ),
        _ => t.deploy_waiting.to_owned(),
    }
}

/// Each account of the draft with its status as DoiT sees it, polled with back-off while the
/// step is open (and again on Check again), until every account is connected.
#[component]
fn DeployStatus() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let session = use_session();
    let saved_id = Memo::new(move |_| store.saved_id());
    let accounts = Memo::new(move |_| {
        store.request.with(|r| {
            r.aws_config
                .as_ref()
                .map(|a| {
                    a.context
                        .iter()
                        .map(|c| c.account_id.clone())
                        .filter(|id| !id.is_empty())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // Followed until every account is connected; Check again starts over.
    let all_connected = |c: &crate::api::Connection| {
        !c.accounts().is_empty() && c.accounts().iter().all(|a| a.status == Status::Active)
    };
    let following = Following::new(saved_id.into(), all_connected, session);
    let server = Memo::new(move |_| {
        following
            .current
            .with(|c| c.as_ref().map(|v| v.connection.accounts().to_vec()))
    });
    let polling = move || following.polling();
    let error = Signal::derive(move || following.error());
    let t = crate::i18n::t();
    let row_status = move |account: &str| -> (String, &'static str) {
        if saved_id.with(Option::is_none) {
            return (t.deploy_not_saved.to_owned(), "unknown");
        }
        server.with(|s| {
            let state = s
                .as_ref()
                .and_then(|list| list.iter().find(|a| a.account_id == account));
            match state {
                None => (t.deploy_unseen.to_owned(), "unknown"),
                Some(a) => (
                    deploy_status_text(a.status, a.status_message.as_deref()),
                    match a.status {
                        Status::Active => "connected",
                        Status::PermissionsFailed => "failed",
                        _ => "waiting",
                    },
                ),
            }
        })
    };
    let org = Memo::new(move |_| store.request.with(|r| r.is_organisation_scope()));
    let not_connected = move || {
        accounts
            .get()
            .into_iter()
            .filter(|a| row_status(a).1 != "connected")
            .collect::<Vec<_>>()
    };
    view! {
        <div class="cf-deploy-status">
            <table class="cf-table">
                <caption>{t.deploy_status}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.account_id}</th>
                        <th scope="col">{t.status}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || accounts.get() key=|a| a.clone() let:account>
                        {
                            let id = account.clone();
                            view! {
                                <tr>
                                    <th scope="row">
                                        <code>{account}</code>
                                    </th>
                                    <td>
                                        <span class="cf-status" data-status=move || row_status(&id).1>
                                            {
                                                let id = id.clone();
                                                move || row_status(&id).0
                                            }
                                        </span>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <button
                type="button"
                class="cf-button"
                on:click=move |_| following.check_again()
                disabled=move || saved_id.with(Option::is_none)
            >
                {t.check_again}
            </button>
            <span class="cf-hint" aria-live="polite">
                {move || polling().then_some(t.checking_accounts)}
            </span>
            <p class="cf-hint" role="status" hidden=move || not_connected().is_empty()>
                {move || {
                    crate::i18n::fill(t.not_connected, &[&not_connected().join(", ")])
                }}
            </p>
            <p class="cf-hint" hidden=move || !org.get()>
                {t.org_status_note}
            </p>
            <ApiErrorNotice error=error context=t.status_unreadable />
        </div>
    }
}

/// "Open CloudFormation stack" (the quick-create link, in a new tab) and the AWS CLI command.
#[component]
pub fn LaunchStack(
    #[prop(into)] request: Signal<cloudflow_core::CreateConnectionRequest>,
    #[prop(into)] options: Signal<RenderOptions>,
) -> impl IntoView {
    let link = Memo::new(move |_| {
        request.with(|r| options.with(|o| cloudflow_core::render(Format::QuickCreateUrl, r, o)))
    });
    let cli = Memo::new(move |_| request.with(|r| options.with(|o| artefact(Format::Cli, r, o))));
    let org = Memo::new(move |_| request.with(|r| r.is_organisation_scope()));
    let t = crate::i18n::t();
    view! {
        <div class="cf-launch">
            {move || match link.get() {
                Ok(url) => view! {
                    <a class="cf-button cf-button--primary" href=url.trim().to_owned() target="_blank" rel="noopener noreferrer">
                        {t.open_stack}
                    </a>
                    <span class="cf-hint">
                        {move || if org.get() { t.launch_org } else { t.launch_hint }}
                    </span>
                }.into_any(),
                Err(e) => view! {
                    <p class="cf-alert" role="status" data-kind="warning">
                        {crate::i18n::fill(t.link_impossible, &[&e])}
                    </p>
                }.into_any(),
            }}
        </div>
        <crate::components::CodeBlock label=t.cli_command code=cli filename="cloudflow-create-stack.sh" />
    }
}
