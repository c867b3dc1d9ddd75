//! `/connections/aws/:id/edit/*`: the same wizard, editing a connection that is done. It opens
//! at Setup filled from the server; "What changes" follows every keystroke; the Permissions step
//! says, per account, how to apply the change (update, create or delete the stack); Save sends
//! one PATCH with the version read (`If-Match` where the server has ETags). When someone else
//! changed the connection meanwhile (412), it is read again, what they changed is shown, and
//! what the person typed stays, to be saved over it once they have looked.

use cloudflow_core::change::{ActionFacts, StackStep};
use cloudflow_core::render::{
    change_set_cli, delete_cli, stack_console_url, update_cli, update_plan,
};
use cloudflow_core::{
    ChangeSummary, ConnectionPatch, CreateConnectionRequest, Format, RenderOptions,
};
use leptos::prelude::*;

use super::submit::{show_first_refused, show_refusal_or_unreachable};
use crate::api::{Connection, Status, Versioned};
use crate::components::{CodeBlock, DownloadButton, Tabs};
use crate::retry::with_retries;
use crate::wizard::catalogs::CatalogStore;
use crate::wizard::draft::Draft;
use crate::wizard::draft::DraftStoreFields;
use crate::wizard::state::WizardStore;
use crate::wizard::steps::access::levels;
use crate::wizard::steps::permissions::DeployActions;
use crate::wizard::steps::Step;

/// An edit's starting point and what it changes, as memos over the draft (provided to the steps
/// by the wizard): the connection's request is read once per change of the draft, for every
/// reader.
#[derive(Clone, Copy)]
pub struct EditChange {
    pub original: Memo<Option<CreateConnectionRequest>>,
    pub change: Memo<Option<ChangeSummary>>,
}

impl EditChange {
    pub fn new(store: WizardStore) -> EditChange {
        // Only the connection the edit began from matters: typing does not rebuild it.
        let editing = store.draft.editing();
        let original = Memo::new(move |_| editing.with(|c| c.as_ref().map(Draft::request_of)));
        let change = Memo::new(move |_| {
            original.with(|old| {
                let old = old.as_ref()?;
                Some(store.request.with(|new| ChangeSummary::between(old, new)))
            })
        });
        EditChange { original, change }
    }
}

/// Moves the edit onto `now` (read from the server): the person's changes are replayed on it
/// ([`Draft::rebase`]), and what the other person changed is kept in [`WizardStore::conflict`]
/// to be shown.
pub fn rebase(store: WizardStore, now: &Versioned) {
    let theirs = store
        .replace_draft(|d| d.rebase(&now.connection, now.etag.clone()))
        .flatten();
    if theirs.is_some() {
        store.conflict.set(theirs);
    }
}

/// Save (every step was checked): one PATCH of the name, `awsConfig` and the access list with
/// the version the edit started from. A conflict reads the connection again and keeps the edit.
pub async fn save(
    store: WizardStore,
    session: crate::session::Session,
    paths: crate::paths::Paths,
    go: Callback<Step>,
    navigate: std::sync::Arc<dyn Fn(&crate::paths::Route) + Send + Sync>,
) {
    let Some(saved) = store.draft.saved().get_untracked() else {
        return;
    };
    let to = paths.connection(&saved.id);
    let done = move || {
        store.discard();
        session.connections.refetch();
        navigate(&to);
    };
    let request = store.request.get_untracked();
    let unchanged = store
        .draft
        .editing()
        .with_untracked(|c| c.as_ref().map(Draft::request_of).as_ref() == Some(&request));
    if unchanged {
        done();
        return;
    }
    let patch = ConnectionPatch {
        name: Some(request.name.clone()),
        aws_config: request.aws_config.clone(),
        collaborators: Some(request.collaborators.clone()),
        ..ConnectionPatch::default()
    };
    store.server.set(None);
    store.conflict.set(None);
    let api = session.api();
    let key = store
        .draft
        .with_untracked(|d| d.key_for(saved.etag.as_deref().unwrap_or("edit"), &patch));
    let result = with_retries(
        || api.patch_connection(&saved.id, &patch, saved.etag.as_deref(), &key),
        |_, _, _| (),
    )
    .await;
    match result {
        Ok(_) => done(),
        Err(e) if e.status() == Some(412) => {
            // Someone else saved first: read it again, show what they changed, keep ours.
            match with_retries(|| api.connection(&saved.id), |_, _, _| ()).await {
                Ok(now) => rebase(store, &now),
                Err(e) => show_refusal_or_unreachable(store, e),
            }
        }
        Err(e) => {
            show_refusal_or_unreachable(store, e);
            show_first_refused(store, go);
        }
    }
}

/// The words for an access level (`owner` -> "Owner").
fn level_label(t: &'static crate::i18n::Texts, role: &str) -> String {
    levels(t)
        .into_iter()
        .find(|(v, _)| v.as_str() == role)
        .map_or_else(|| role.to_owned(), |(_, l)| l.to_owned())
}

/// One line of a change summary: its kind (for styling and tests), its text, and whether it
/// needs a second look (a new role name, a broad grant, a removed account).
struct Line {
    kind: &'static str,
    text: String,
    warning: bool,
}

/// A change summary in the page's language, one line per change.
fn lines(c: &ChangeSummary, catalogs: CatalogStore) -> Vec<Line> {
    let t = crate::i18n::t();
    let fill = crate::i18n::fill;
    let mut out = Vec::new();
    let mut push = |kind, text, warning| {
        out.push(Line {
            kind,
            text,
            warning,
        })
    };
    if let Some((a, b)) = &c.name {
        push("name", fill(t.change_name, &[a, b]), false);
    }
    if let Some((a, b)) = &c.role_name {
        push("role-name", fill(t.change_role_name, &[a, b]), true);
    }
    for a in c.accounts.added_items() {
        let regions = crate::i18n::regions(&a.regions);
        push(
            "account-added",
            fill(t.change_account_added, &[&a.account_id, &regions]),
            false,
        );
    }
    for a in &c.accounts.removed {
        push(
            "account-removed",
            fill(t.change_account_removed, &[&a.account_id]),
            true,
        );
    }
    for r in &c.regions {
        let (before, after) = (
            crate::i18n::regions(&r.before),
            crate::i18n::regions(&r.after),
        );
        push(
            "regions",
            fill(t.change_regions, &[&r.account_id, &before, &after]),
            false,
        );
    }
    if c.organisation.is_some() {
        push("organisation", t.change_organisation.to_owned(), false);
    }
    let policies = catalogs.policies.get_untracked();
    let policy_name = |arn: &String| {
        policies
            .as_ref()
            .and_then(|p| p.get(arn).map(|p| p.name.clone()))
            .unwrap_or_else(|| arn.clone())
    };
    for p in c.policies.added_items() {
        push(
            "policy-added",
            fill(t.change_policy_added, &[&policy_name(p)]),
            false,
        );
    }
    for p in &c.policies.removed {
        push(
            "policy-removed",
            fill(t.change_policy_removed, &[&policy_name(p)]),
            false,
        );
    }
    let actions = catalogs.actions.get_untracked();
    let action = |a: &String| {
        let facts = ActionFacts::of(a, actions.as_deref());
        let mut text = a.clone();
        if let Some(level) = facts.level {
            text.push_str(&format!(" ({})", level.as_str()));
        }
        let broad = facts
            .broad
            .map(|b| crate::i18n::rule(t, &cloudflow_core::Rule::Broad(a.clone(), b)));
        (text, broad)
    };
    for a in c.actions.added_items() {
        let (text, broad) = action(a);
        let mut line = fill(t.change_action_added, &[&text]);
        if let Some(b) = &broad {
            line.push_str(" — ");
            line.push_str(b);
        }
        push("action-added", line, broad.is_some());
    }
    for a in &c.actions.removed {
        push(
            "action-removed",
            fill(t.change_action_removed, &[&action(a).0]),
            false,
        );
    }
    for p in c.people.added_items() {
        let level = level_label(t, &p.role);
        push(
            "person-added",
            fill(t.change_person_added, &[&p.email, &level]),
            false,
        );
    }
    for p in &c.people.removed {
        let level = level_label(t, &p.role);
        push(
            "person-removed",
            fill(t.change_person_removed, &[&p.email, &level]),
            false,
        );
    }
    for l in &c.levels {
        let (a, b) = (level_label(t, &l.before), level_label(t, &l.after));
        push("level", fill(t.change_level, &[&l.email, &a, &b]), false);
    }
    out
}

/// A change summary as a list.
#[component]
fn ChangeList(change: ChangeSummary) -> impl IntoView {
    let catalogs = expect_context::<WizardStore>().catalogs;
    lines(&change, catalogs)
        .into_iter()
        .map(|l| {
            view! {
                <li data-change=l.kind data-kind=l.warning.then_some("warning")>
                    {l.text}
                </li>
            }
        })
        .collect_view()
}

/// "What changes": the edit against the connection as saved, area by area, as the person types.
#[component]
pub fn WhatChanges() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let change = expect_context::<EditChange>().change;
    // The catalogues name policies and give actions their access level once loaded.
    let catalogs = store.catalogs;
    let t = crate::i18n::t();
    view! {
        <section class="cf-changes" aria-labelledby="cf-changes-heading">
            <h3 id="cf-changes-heading" class="cf-section-heading">{t.what_changes}</h3>
            {move || {
                catalogs.actions.track();
                catalogs.policies.track();
                match change.get() {
                    Some(c) if !c.is_empty() => view! {
                        <ul class="cf-changes__list">
                            <ChangeList change=c />
                        </ul>
                    }
                    .into_any(),
                    _ => view! { <p class="cf-hint">{t.no_changes}</p> }.into_any(),
                }
            }}
        </section>
    }
}

/// What someone else saved while this edit was open (after a 412, or on reopening a kept edit).
#[component]
pub fn ConflictNotice() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let t = crate::i18n::t();
    move || {
        store.conflict.get().map(|c| {
            view! {
                <div class="cf-alert" role="alert" data-kind="warning">
                    <p>{t.conflict_lead}</p>
                    <ul class="cf-changes__list">
                        <ChangeList change=c />
                    </ul>
                    <p>{t.conflict_tail}</p>
                </div>
            }
        })
    }
}

/// The accounts of the old and the new connection, each with what the edit means for its stack.
fn account_steps(
    old: &CreateConnectionRequest,
    new: &CreateConnectionRequest,
    change: &ChangeSummary,
) -> Vec<(String, StackStep)> {
    let mut out: Vec<(String, StackStep)> = Vec::new();
    let ids = new
        .aws_config
        .iter()
        .chain(old.aws_config.iter())
        .flat_map(|a| a.context.iter().map(|c| c.account_id.trim().to_owned()));
    for id in ids {
        if !id.is_empty() && !out.iter().any(|(a, _)| *a == id) {
            let step = change.stack_step(&id);
            out.push((id, step));
        }
    }
    out
}

/// "How to apply it", in the Permissions step of an edit: per account, whether its stack is
/// updated, created, deleted or left alone, and the commands and links for each.
#[component]
pub fn ApplyEdit() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let EditChange { original, change } = expect_context::<EditChange>();
    let base = crate::preview::options_with(None);
    let options = Signal::derive(move || RenderOptions {
        external_id: store.external_id(),
        ..base.clone()
    });
    let steps = Memo::new(move |_| {
        change
            .with(|c| {
                let c = c.as_ref()?;
                original.with(|old| {
                    store
                        .request
                        .with(|new| Some(account_steps(old.as_ref()?, new, c)))
                })
            })
            .unwrap_or_default()
    });
    let with_step = move |step: StackStep| {
        steps.with(|s| {
            s.iter()
                .filter(|(_, x)| *x == step)
                .map(|(a, _)| a.clone())
                .collect::<Vec<_>>()
        })
    };
    // Whether any account takes a step: a section is rebuilt only when that changes.
    let any = move |step: StackStep| Memo::new(move |_| !with_step(step).is_empty());
    let (has_update, has_create, has_delete) = (
        any(StackStep::Update),
        any(StackStep::Create),
        any(StackStep::Delete),
    );
    let t = crate::i18n::t();
    let request: Signal<CreateConnectionRequest> = store.request.into();
    let code = move |f: fn(
        &CreateConnectionRequest,
        &RenderOptions,
    ) -> Result<String, cloudflow_core::RenderError>| {
        Signal::derive(move || {
            request.with(|r| options.with(|o| f(r, o).unwrap_or_else(|e| format!("# {e}\n"))))
        })
    };
    let plan = Signal::derive(move || {
        let old = original.get().unwrap_or_default();
        let summary = change.with(|c| {
            c.as_ref()
                .map(|c| c.to_text(store.catalogs.actions.get().as_deref()))
                .unwrap_or_default()
        });
        request.with(|r| {
            options
                .with(|o| update_plan(&old, r, o, &summary).unwrap_or_else(|e| format!("# {e}\n")))
        })
    });
    let console = Signal::derive(move || options.with(stack_console_url));
    // All accounts: the StackSet follows the role's parameters and the organisation scope.
    let org_changes = Memo::new(move |_| {
        request.with(|r| r.is_organisation_scope())
            && change.with(|c| {
                c.as_ref()
                    .is_some_and(|c| c.stack_changes() || c.organisation.is_some())
            })
    });
    let stackset = Signal::derive(move || {
        request.with(|r| options.with(|o| crate::preview::artefact(Format::StacksetYaml, r, o)))
    });
    let tab = RwSignal::new("cloudformation");
    let step_text = move |s: StackStep| match s {
        StackStep::Update => t.apply_update,
        StackStep::Create => t.apply_create,
        StackStep::Delete => t.apply_delete,
        StackStep::Unchanged => t.apply_nothing,
    };
    let step_kind = |s: StackStep| match s {
        StackStep::Update => "update",
        StackStep::Create => "create",
        StackStep::Delete => "delete",
        StackStep::Unchanged => "unchanged",
    };
    view! {
        <h3 class="cf-section-heading">{t.apply_heading}</h3>
        <p class="cf-hint">{t.apply_hint}</p>
        <crate::wizard::steps::permissions::ExternalIdNote />
        <table class="cf-table cf-apply">
            <caption>{t.apply_caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.account_id}</th>
                    <th scope="col">{t.apply_what}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || steps.get() key=|s| s.clone() let:row>
                    <tr data-step=step_kind(row.1)>
                        <th scope="row"><code>{row.0}</code></th>
                        <td>{step_text(row.1)}</td>
                    </tr>
                </For>
            </tbody>
        </table>
        <DownloadButton label=t.download_update_plan code=plan filename="cloudflow-update.sh" mime="text/x-shellscript" />
        {move || has_update.get().then(|| view! {
            <h4 class="cf-subheading">
                {move || crate::i18n::fill(t.apply_update_in, &[&with_step(StackStep::Update).join(", ")])}
            </h4>
            <Tabs label=t.deploy_with id="apply-update" tabs=vec![("cloudformation", "CloudFormation"), ("terraform", "Terraform")] selected=tab>
                {move || match tab.get() {
                    "terraform" => view! {
                        <p class="cf-hint">{t.apply_terraform_hint}</p>
                        <DownloadButton
                            label=t.download_terraform
                            code=Signal::derive(move || request.with(|r| options.with(|o| crate::preview::artefact(Format::Terraform, r, o))))
                            filename=Format::Terraform.file_name()
                        />
                    }
                    .into_any(),
                    _ => view! {
                        <CodeBlock label=t.update_cli code=code(update_cli) filename="cloudflow-update-stack.sh" />
                        <p class="cf-hint">{t.change_set_hint}</p>
                        <CodeBlock label=t.change_set_cli code=code(change_set_cli) filename="cloudflow-change-set.sh" />
                        <p>
                            <a href=move || console.get() target="_blank" rel="noopener noreferrer">{t.open_stack_console}</a>
                            <span class="cf-hint">{t.console_update_hint}</span>
                        </p>
                    }
                    .into_any(),
                }}
            </Tabs>
                })}
        {move || org_changes.get().then(|| view! {
            <p class="cf-hint">{t.apply_org_hint}</p>
            <DownloadButton label=t.download_stackset code=stackset filename=Format::StacksetYaml.file_name() mime="application/yaml" />
                })}
        {move || has_create.get().then(|| view! {
            <h4 class="cf-subheading">
                {move || crate::i18n::fill(t.apply_create_in, &[&with_step(StackStep::Create).join(", ")])}
            </h4>
            <DeployActions request options id="apply-create" />
                })}
        {move || has_delete.get().then(|| view! {
            <h4 class="cf-subheading">
                {move || crate::i18n::fill(t.apply_delete_in, &[&with_step(StackStep::Delete).join(", ")])}
            </h4>
            <p class="cf-hint">{t.apply_delete_hint}</p>
            <For each=move || with_step(StackStep::Delete) key=|a| a.clone() let:account>
                <CodeBlock
                    label=crate::i18n::fill(t.delete_cli_for, &[&account])
                    code=Signal::stored(delete_cli(&account))
                    filename=format!("cloudflow-delete-stack-{account}.sh")
                />
            </For>
            <p>
                <a href=move || console.get() target="_blank" rel="noopener noreferrer">{t.open_stack_console}</a>
                <span class="cf-hint">{t.console_delete_hint}</span>
            </p>
                })}
    }
}

/// Whether `c` (read from the server) may be edited by the signed-in person (for Edit links):
/// a draft is resumed, not edited.
pub fn may_edit(session: &crate::session::Session, c: &Connection) -> bool {
    c.status != Status::Draft && session.may_change(c)
}
