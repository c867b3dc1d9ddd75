//! Step 2 — Permissions: AWS managed policies, allowed actions, and how to
//! deploy the role (CloudFormation or Terraform).

use std::sync::Arc;

use cloudflow_core::policy::{inline_policies_size, INLINE_POLICY_LIMIT};
use cloudflow_core::{Format, RenderOptions};
use leptos::prelude::*;

use crate::components::{
    described_by, ComboOption, Combobox, FormField, MultiSelect, RemoveButton,
};
use crate::preview::{artefact, ArtefactTabs};
use crate::store::{focus_id, settled, WizardStore};

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
        <p class="cf-hint">
            "Choose the AWS managed policies and the actions the role allows, then deploy it with CloudFormation or Terraform."
        </p>
        {move || store.catalogs.error.get().map(|e| view! { <p class="cf-alert" role="status" data-kind="warning">{e}</p> })}
        <ManagedPolicies />
        <AllowedActions />
        <SizeMeters />
        <Deploy />
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
    let selected = Memo::new(move |_| store.draft.with(|d| d.policies.clone()));
    let count_field = "awsConfig.permissions.awsManagedPolicies";
    let errors = Signal::derive(move || {
        let n = selected.with(Vec::len);
        let mut e = store.field_errors(count_field);
        for i in 0..n {
            e.extend(store.field_errors(&format!("{count_field}[{i}]")));
        }
        e
    });
    let warnings = Signal::derive(move || {
        let n = selected.with(Vec::len);
        let mut w = store.field_warnings(count_field);
        for i in 0..n {
            w.extend(store.field_warnings(&format!("{count_field}[{i}]")));
        }
        w
    });
    let id = "managed-policies";
    view! {
        <FormField
            id=id
            label="AWS Managed Policies"
            description="Optional. AWS allows 10 managed policies per role by default (up to 25 with a quota increase)."
            errors=errors
            warnings=warnings
        >
            <MultiSelect
                id=id
                selected=selected
                on_change=Callback::new(move |v: Vec<String>| store.draft.update(|d| d.policies = v))
                options=options
                chips_label="Selected AWS managed policies"
                placeholder="Search AWS managed policies"
                invalid=Signal::derive(move || !errors.get().is_empty())
                described_by=described_by(id)
                max=POLICY_MAX
            />
        </FormField>
        <Meter
            label="Managed policies"
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
    // The rows alone, told only when they change (see `settled`): typing in one of 200
    // rows reaches the others' memos only through this signal.
    let rows = settled(move || store.draft.with(|d| d.actions.clone()));
    let keys = Memo::new(move |_| rows.with(|r| r.iter().map(|a| a.key).collect::<Vec<_>>()));
    let add = move |_| {
        let key = store.draft.try_update(|d| d.add_action()).unwrap_or(0);
        focus_id(&format!("action-{key}"));
    };
    view! {
        <h3 class="cf-section-heading">"Allowed actions"</h3>
        <div class="cf-rows" role="group" aria-label="Allowed actions">
            <For each=move || keys.get() key=|k| *k let:key>
                <ActionRow key rows />
            </For>
        </div>
        <button type="button" class="cf-button cf-button--link" on:click=add>
            "+ Add another allowed action"
        </button>
    }
}

#[component]
fn ActionRow(key: u32, rows: Signal<Vec<crate::draft::ActionRow>>) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let value = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .find(|a| a.key == key)
                .map(|a| a.action.clone())
                .unwrap_or_default()
        })
    });
    // The row's index among the filled rows is its index in the request.
    let field =
        Memo::new(move |_| rows.with(|r| crate::draft::action_field(r, key).unwrap_or_default()));
    let errors = Signal::derive(move || {
        field.with(|f| {
            if f.is_empty() {
                vec![]
            } else {
                store.field_errors(f)
            }
        })
    });
    let warnings = Signal::derive(move || {
        field.with(|f| {
            if f.is_empty() {
                vec![]
            } else {
                store.field_warnings(f)
            }
        })
    });
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
    let id = format!("action-{key}");
    let can_remove = Memo::new(move |_| rows.with(|r| r.len() > 1));
    let set = Callback::new(move |v: String| {
        if let Some(a) = store.draft.write().action_mut(key) {
            a.action = v;
        }
    });
    let remove = Callback::new(move |()| {
        store.draft.update(|d| d.actions.retain(|a| a.key != key));
    });
    view! {
        <div class="cf-row">
            <FormField id=id.clone() label="Allowed action" errors=errors warnings=warnings>
                <Combobox
                    id=id.clone()
                    value=value
                    on_input=set
                    on_select=Callback::new(move |o: ComboOption| set.run(o.value))
                    options=options
                    placeholder="S3:GetObject"
                    invalid=Signal::derive(move || !errors.get().is_empty())
                    described_by=described_by(&id)
                />
            </FormField>
            <p class="cf-row__note" aria-live="polite">
                {move || matches.get().map(|n| format!("Matches {n} known action{}", if n == 1 { "" } else { "s" }))}
            </p>
            <RemoveButton
                label=Signal::derive(move || format!("Remove allowed action {}", value.get()))
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
                        "over" => " — over AWS's limit: the stack would fail",
                        "warning" => " — close to AWS's limit",
                        _ => "",
                    };
                    format!("{v}{unit} of {max}{unit}{note}")
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
    view! {
        <div class="cf-meters" role="group" aria-label="Size against AWS limits">
            <Meter label="Inline policies" value=inline.into() warn=INLINE_POLICY_LIMIT * 9 / 10 max=INLINE_POLICY_LIMIT unit=" characters" />
            <Meter label="AllowedActions link parameter" value=actions_param.into() warn=PARAM_LIMIT * 9 / 10 max=PARAM_LIMIT unit=" bytes" />
            <Meter label="ManagedPolicyArns link parameter" value=policies_param.into() warn=PARAM_LIMIT * 9 / 10 max=PARAM_LIMIT unit=" bytes" />
        </div>
    }
}

/// The deploy tabs: the one-click launch and the CLI above the template, Terraform beside it.
#[component]
fn Deploy() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let request: Signal<_> = store.request.into();
    let options = Signal::derive(RenderOptions::default);
    view! {
        <h3 class="cf-section-heading">"Deploy the role"</h3>
        <p class="cf-hint">
            "Apply it once in each account. DoiT assigns the connection's external ID when you press Done; the connection's page then offers the launch link, template and Terraform with it filled in."
        </p>
        <DeployArtefacts request options id="deploy" />
    }
}

/// The artefacts that deploy a request's role: CloudFormation (with the one-click
/// launch and the AWS CLI above the template) and Terraform, as tabs. The Permissions
/// step and a connection's page both show it.
#[component]
pub fn DeployArtefacts(
    #[prop(into)] request: Signal<cloudflow_core::CreateConnectionRequest>,
    #[prop(into)] options: Signal<RenderOptions>,
    /// Distinguishes the tab set's element ids on the page.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    view! {
        <ArtefactTabs
            request=request
            options=options
            id=id
            cloudformation_extra=ViewFn::from(move || view! { <LaunchStack request options /> })
        />
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
    view! {
        <div class="cf-launch">
            {move || match link.get() {
                Ok(url) => view! {
                    <a class="cf-button cf-button--primary" href=url.trim().to_owned() target="_blank" rel="noopener noreferrer">
                        "Open CloudFormation stack"
                    </a>
                    <span class="cf-hint">
                        {move || if org.get() {
                            " In the management account. For the rest of the organisation use the StackSet template below."
                        } else {
                            " Opens the AWS console's quick-create page in us-east-1; tick the IAM acknowledgement there."
                        }}
                    </span>
                }.into_any(),
                Err(e) => view! {
                    <p class="cf-alert" role="status" data-kind="warning">
                        {format!("The one-click link cannot carry this role: {e}")}
                    </p>
                }.into_any(),
            }}
        </div>
        <crate::components::CodeBlock label="AWS CLI command" code=cli filename="cloudflow-create-stack.sh" />
    }
}
