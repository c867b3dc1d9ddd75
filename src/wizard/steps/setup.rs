//! Step 1 — Setup: name the connection and the role, pick accounts and regions.

use std::sync::Arc;

use cloudflow_core::RegionCatalog;
use leptos::prelude::*;

use super::parts::{RowList, WizardField};
use crate::components::{
    use_field, ComboOption, Combobox, ListLoadNotice, MultiSelect, RemoveButton,
};
use crate::session::use_session;
use crate::wizard::draft::{
    AccountAt, AccountRowStoreFields, DraftStoreFields, OrganisationStoreFields, Scope,
};
use crate::wizard::fields::Control;
use crate::wizard::state::{focus_id, row_field, WizardStore};

/// The Account ID picker's choice that switches to the whole organisation.
pub const ALL_ACCOUNTS: &str = "all-accounts";

#[component]
pub fn SetupStep() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let store = expect_context::<WizardStore>();
    store.catalogs.need_regions();
    let scope = store.draft.scope();
    let t = crate::i18n::t();
    view! {
        <p class="cf-hint">{t.setup_hint}</p>
        <ConnectionName />
        <RoleName />
        <h3 class="cf-section-heading">{t.aws_accounts}</h3>
        <ListLoadNotice
            state=use_session().accounts_now
            list=use_session().accounts
            what=t.accounts_what
            typing=t.accounts_typing
        />
        {move || match scope.get() {
            Scope::Accounts => view! { <AccountRows /> }.into_any(),
            Scope::Organisation => view! { <OrganisationScope /> }.into_any(),
        }}
    }
}

#[component]
fn ConnectionName() -> impl IntoView {
    let t = crate::i18n::t();
    let name = expect_context::<WizardStore>().draft.name();
    view! { <TextField control=Control::Name label=t.name_label description=t.name_desc text=bind(name) /> }
}

#[component]
fn RoleName() -> impl IntoView {
    let t = crate::i18n::t();
    let role = expect_context::<WizardStore>().draft.role_name();
    view! { <TextField control=Control::RoleName label=t.role_label description=t.role_desc text=bind(role) /> }
}

/// A text field of the draft as its value and its writer.
type Text = (Signal<String>, Callback<String>);

/// Reads and writes the draft's text field `field`.
fn bind<F>(field: F) -> Text
where
    F: Get<Value = String> + Set<Value = String> + Copy + Send + Sync + 'static,
{
    (
        Signal::derive(move || field.get()),
        Callback::new(move |v| field.set(v)),
    )
}

/// A one-line text field of the draft: label, help and messages around its input.
#[component]
fn TextField(
    /// The field's control (its id and messages).
    control: Control,
    /// The visible label.
    label: &'static str,
    /// Help text under the label.
    description: &'static str,
    /// The draft's value and its writer.
    text: Text,
    /// Digits only (an account id): the numeric keyboard on touch devices.
    #[prop(optional)]
    numeric: bool,
) -> impl IntoView {
    let (value, on_input) = text;
    view! {
        <WizardField control label description>
            <TextControl value on_input control numeric />
        </WizardField>
    }
}

/// A one-line text input in its field: the draft's value, every edit, and "touched" once the
/// person leaves it.
#[component]
fn TextControl(
    /// What the draft holds.
    #[prop(into)]
    value: Signal<String>,
    /// Every edit.
    on_input: Callback<String>,
    /// The control whose errors show once the person left the input.
    control: Control,
    /// Digits only (an account id): the numeric keyboard on touch devices.
    #[prop(optional)]
    numeric: bool,
) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let field = use_field();
    view! {
        <input
            id=field.id
            type="text"
            class="cf-input"
            autocomplete="off"
            spellcheck="false"
            inputmode=numeric.then_some("numeric")
            prop:value=value
            aria-describedby=field.described_by
            aria-invalid=move || field.invalid.get().then_some("true")
            on:input=move |ev| on_input.run(event_target_value(&ev))
            on:blur=move |_| store.touch(control)
        />
    }
}

/// The account picker's options: "All accounts", then every account of the tenant.
fn account_options() -> Signal<Arc<Vec<ComboOption>>> {
    let session = use_session();
    let t = crate::i18n::t();
    let options =
        Memo::new(move |_| {
            let mut out = vec![ComboOption::new(
                ALL_ACCOUNTS,
                t.all_accounts,
                t.all_accounts_detail,
            )];
            session.accounts_now.with(|a| {
                if let Some(Ok(list)) = a {
                    out.extend(list.iter().map(|a| {
                        ComboOption::new(a.aws_account_id(), a.aws_account_id(), a.label())
                    }));
                }
            });
            Arc::new(out)
        });
    options.into()
}

/// The region picker's options, grouped by partition.
pub fn region_options(catalog: Option<Arc<RegionCatalog>>) -> Arc<Vec<ComboOption>> {
    Arc::new(
        catalog
            .map(|c| {
                c.partitions
                    .iter()
                    .flat_map(|p| {
                        let group = if p.name.is_empty() {
                            p.id.clone()
                        } else {
                            p.name.clone()
                        };
                        p.regions.iter().map(move |r| {
                            ComboOption::new(r.id.clone(), r.id.clone(), r.name.clone())
                                .in_group(group.clone())
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    )
}

#[component]
fn AccountRows() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let rows = store.draft.accounts();
    let options = account_options();
    let region_catalog = store.catalogs.regions;
    let region_opts: Signal<_> = Memo::new(move |_| region_options(region_catalog.get())).into();
    let add = Callback::new(move |()| {
        let key = store.add_account();
        focus_id(&Control::AccountId(key).dom_id());
    });
    let t = crate::i18n::t();
    view! {
        <RowList label=t.aws_accounts control=Control::Accounts add_label=t.add_account on_add=add>
            <For each=move || rows key=|row| row.key() let:row>
                <AccountRow row options region_opts />
            </For>
        </RowList>
    }
}

#[component]
fn AccountRow(
    row: AccountAt,
    options: Signal<Arc<Vec<ComboOption>>>,
    region_opts: Signal<Arc<Vec<ComboOption>>>,
) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let key = row.key().get_untracked();
    let rows = store.draft.accounts();
    // Its place in the list, which is its index in `awsConfig.context`.
    let number =
        Memo::new(move |_| rows.with(|r| r.iter().position(|a| a.key == key).unwrap_or(0)) + 1);
    let used_elsewhere = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .filter(|a| a.key != key && !a.account_id.is_empty())
                .map(|a| a.account_id.clone())
                .collect::<Vec<_>>()
        })
    });
    let can_remove = Memo::new(move |_| rows.with(|r| r.len() > 1));
    let account_id = row.account_id();
    let regions = row.regions();
    let (account_value, regions_value) = (row_field(account_id), row_field(regions));
    let on_select = Callback::new(move |o: ComboOption| {
        if o.value == ALL_ACCOUNTS {
            store.draft.scope().set(Scope::Organisation);
            focus_id(&Control::ManagementAccount.dom_id());
        } else {
            account_id.set(o.value);
        }
    });
    let remove = Callback::new(move |()| {
        store.remove_account(key);
        let first = rows.with_untracked(|r| r.first().map(|a| a.key));
        if let Some(k) = first {
            focus_id(&Control::AccountId(k).dom_id());
        }
    });
    let t = crate::i18n::t();
    let label = move || crate::i18n::fill(t.account_n, &[&number.get()]);
    view! {
        <div class="cf-row" role="group" aria-label=move || crate::i18n::fill(t.account_row, &[&number.get()])>
            <WizardField control=Control::AccountId(key) label=t.account_id>
                <Combobox
                    value=account_value
                    on_input=Callback::new(move |v| account_id.set(v))
                    on_select=on_select
                    options=options
                    placeholder=t.account_placeholder
                    disabled_values=used_elsewhere
                />
            </WizardField>
            <WizardField control=Control::Regions(key) label=t.region description=t.regions_optional>
                <MultiSelect
                    selected=regions_value
                    on_change=Callback::new(move |v: Vec<String>| regions.set(v))
                    options=region_opts
                    chips_label=crate::i18n::fill(t.regions_of, &[&crate::i18n::fill(t.account_n, &[&number.get_untracked()])])
                    placeholder=t.search_regions
                    empty_text=t.all_regions
                />
            </WizardField>
            <RemoveButton
                label=Signal::derive(move || crate::i18n::fill(t.remove_named, &[&label()]))
                hidden=Signal::derive(move || !can_remove.get())
                on_remove=remove
            />
        </div>
    }
}

/// "All accounts": the organisation's management account, root or OUs.
#[component]
fn OrganisationScope() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let org = store.draft.organisation();
    let (management, root, ous, regions) = (
        org.management_account(),
        org.root_id(),
        org.ou_ids(),
        org.regions(),
    );
    let region_catalog = store.catalogs.regions;
    let region_opts = Memo::new(move |_| region_options(region_catalog.get()));
    let back = move |_| {
        store.draft.scope().set(Scope::Accounts);
        let first = store
            .draft
            .accounts()
            .with_untracked(|r| r.first().map(|a| a.key));
        if let Some(k) = first {
            focus_id(&Control::AccountId(k).dom_id());
        }
    };
    let t = crate::i18n::t();
    view! {
        <div class="cf-org" role="group" aria-label=t.all_accounts>
            <p class="cf-hint">{t.org_hint}</p>
            <TextField
                control=Control::ManagementAccount
                label=t.management_account
                description=t.management_desc
                text=bind(management)
                numeric=true
            />
            <TextField control=Control::RootId label=t.root_id description=t.root_desc text=bind(root) />
            <WizardField control=Control::OrganizationalUnits label=t.ou_ids description=t.ou_desc>
                <OuList text=bind(ous) />
            </WizardField>
            <WizardField control=Control::OrgRegions label=t.region description=t.regions_optional>
                <MultiSelect
                    selected=Signal::derive(move || regions.get())
                    on_change=Callback::new(move |v: Vec<String>| regions.set(v))
                    options=region_opts
                    chips_label=t.org_regions
                    placeholder=t.search_regions
                    empty_text=t.all_regions
                />
            </WizardField>
            <button type="button" class="cf-button cf-button--link" on:click=back>
                {t.single_accounts}
            </button>
        </div>
    }
}

/// The organisational units, as typed (ids separated by commas, spaces or new lines).
#[component]
fn OuList(
    /// The draft's value and its writer.
    text: Text,
) -> impl IntoView {
    let (value, on_input) = text;
    let field = use_field();
    view! {
        <textarea
            id=field.id
            class="cf-input"
            rows="2"
            prop:value=value
            aria-describedby=field.described_by
            aria-invalid=move || field.invalid.get().then_some("true")
            on:input=move |ev| on_input.run(event_target_value(&ev))
        />
    }
}
