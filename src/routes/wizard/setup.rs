//! Step 1 — Setup: name the connection and the role, pick accounts and regions.

use std::sync::Arc;

use cloudflow_core::RegionCatalog;
use leptos::prelude::*;

use crate::components::{
    described_by, ComboOption, Combobox, FormField, ListLoadNotice, MultiSelect, RemoveButton,
};
use crate::draft::Scope;
use crate::session::use_session;
use crate::steps::Step;
use crate::store::{focus_id, settled, WizardStore};

/// The Account ID picker's choice that switches to the whole organisation.
pub const ALL_ACCOUNTS: &str = "all-accounts";

#[component]
pub fn SetupStep() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let store = expect_context::<WizardStore>();
    store.catalogs.need_regions();
    let scope = Memo::new(move |_| store.draft.with(|d| d.scope));
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

/// A signal over a string field of the draft, and its writer.
fn text_field(
    store: WizardStore,
    get: fn(&crate::draft::Draft) -> &String,
    set: fn(&mut crate::draft::Draft, String),
) -> (Signal<String>, Callback<String>) {
    let value = Memo::new(move |_| store.draft.with(|d| get(d).clone()));
    (
        value.into(),
        Callback::new(move |v: String| store.draft.update(|d| set(d, v))),
    )
}

#[component]
fn ConnectionName() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let session = use_session();
    let t = crate::i18n::t();
    let (value, set) = text_field(store, |d| &d.name, |d, v| d.name = v);
    // The live uniqueness check, debounced so it runs once typing pauses; after Next on
    // this step it follows every keystroke, like the other errors.
    let settled: Signal<String> = leptos_use::signal_debounced(value, 300.0);
    // The draft's own connection (once saved) does not clash with itself.
    let own = Memo::new(move |_| store.draft.with(|d| d.saved.as_ref().map(|s| s.id.clone())));
    let clash = Memo::new(move |_| {
        let own = own.get();
        if store.attempted.with(|a| a.contains(&Step::Setup)) {
            value.with(|v| session.is_name_taken(v, own.as_deref()))
        } else {
            settled.with(|v| session.is_name_taken(v, own.as_deref()))
        }
    });
    let field = Signal::stored("name".to_owned());
    let base_errors = store.errors(field);
    let errors = Signal::derive(move || {
        let mut e = base_errors.get();
        if clash.get() {
            e.push(t.name_taken.into());
        }
        e
    });
    let id = "connection-name";
    view! {
        <FormField
            id=id
            label=t.name_label
            description=t.name_desc
            errors=errors
            warnings=store.warnings(field)
        >
            <TextControl id=id value=value on_input=set errors=errors touch="name" />
        </FormField>
    }
}

#[component]
fn RoleName() -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let session = use_session();
    let t = crate::i18n::t();
    let (value, set) = text_field(store, |d| &d.role_name, |d, v| d.role_name = v);
    let field = Signal::stored("awsConfig.roleName".to_owned());
    let errors = store.errors(field);
    let base_warnings = store.warnings(field);
    // Another connection with this role name in an overlapping account: that stack would fail.
    let clash = Memo::new(move |_| {
        let role = value.get().trim().to_lowercase();
        if role.is_empty() {
            return None;
        }
        let accounts: Vec<String> = store.request.with(|r| {
            r.aws_config
                .as_ref()
                .map(|a| a.context.iter().map(|c| c.account_id.clone()).collect())
                .unwrap_or_default()
        });
        let own = store.draft.with(|d| d.saved.as_ref().map(|s| s.id.clone()));
        session.connections_now.with(|c| {
            c.as_ref().and_then(|r| r.as_ref().ok()).and_then(|list| {
                list.iter().find_map(|c| {
                    if own.is_some() && c.id() == own.as_deref() {
                        return None;
                    }
                    let aws = c.aws_config.as_ref()?;
                    let overlap = aws.role_name.to_lowercase() == role
                        && aws.context.iter().any(|a| accounts.contains(&a.account_id));
                    overlap.then(|| c.name.clone())
                })
            })
        })
    });
    let warnings = Signal::derive(move || {
        let mut w = base_warnings.get();
        if let Some(name) = clash.get() {
            w.push(crate::i18n::fill(t.role_clash, &[&name]));
        }
        w
    });
    let id = "role-name";
    view! {
        <FormField
            id=id
            label=t.role_label
            description=t.role_desc
            errors=errors
            warnings=warnings
        >
            <TextControl id=id value=value on_input=set errors=errors touch="awsConfig.roleName" />
        </FormField>
    }
}

/// A one-line text input wired to its `FormField`: the draft's value, every
/// edit, `aria-invalid` from its errors, and "touched" once the person leaves it.
#[component]
fn TextControl(
    #[prop(into)] id: String,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    errors: Signal<Vec<String>>,
    /// The request field that shows its errors after the person left the input.
    touch: &'static str,
    /// Digits only (an account id): the numeric keyboard on touch devices.
    #[prop(optional)]
    numeric: bool,
) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    view! {
        <input
            id=id.clone()
            type="text"
            class="cf-input"
            autocomplete="off"
            spellcheck="false"
            inputmode=numeric.then_some("numeric")
            prop:value=value
            aria-describedby=described_by(&id)
            aria-invalid=move || (!errors.get().is_empty()).then_some("true")
            on:input=move |ev| on_input.run(event_target_value(&ev))
            on:blur=move |_| store.touch(touch)
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
    // The rows alone, told only when they change: typing elsewhere in the draft does
    // not reach the 100 rows' memos (see `settled`).
    let rows = settled(move || store.draft.with(|d| d.accounts.clone()));
    let keys = Memo::new(move |_| rows.with(|r| r.iter().map(|a| a.key).collect::<Vec<_>>()));
    let options = account_options();
    let region_catalog = store.catalogs.regions;
    let region_opts: Signal<_> = Memo::new(move |_| region_options(region_catalog.get())).into();
    let add = move |_| {
        let key = store.draft.try_update(|d| d.add_account()).unwrap_or(0);
        focus_id(&format!("account-{key}-id"));
    };
    let field = Signal::stored("awsConfig.context".to_owned());
    let errors = store.errors(field);
    let t = crate::i18n::t();
    view! {
        <div class="cf-rows" role="group" aria-label=t.aws_accounts>
            <For each=move || keys.get() key=|k| *k let:key>
                <AccountRow key options rows region_opts />
            </For>
        </div>
        <p class="cf-field__message" data-severity="error" hidden=move || errors.get().is_empty()>
            {move || errors.get().join("; ")}
        </p>
        <button type="button" class="cf-button cf-button--link" on:click=add>
            {t.add_account}
        </button>
    }
}

#[component]
fn AccountRow(
    key: u32,
    options: Signal<Arc<Vec<ComboOption>>>,
    rows: Signal<Vec<crate::draft::AccountRow>>,
    region_opts: Signal<Arc<Vec<ComboOption>>>,
) -> impl IntoView {
    let store = expect_context::<WizardStore>();
    let index = Memo::new(move |_| rows.with(|r| r.iter().position(|a| a.key == key).unwrap_or(0)));
    let value = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .find(|a| a.key == key)
                .map(|a| a.account_id.clone())
                .unwrap_or_default()
        })
    });
    let regions = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .find(|a| a.key == key)
                .map(|a| a.regions.clone())
                .unwrap_or_default()
        })
    });
    let used_elsewhere = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .filter(|a| a.key != key && !a.account_id.is_empty())
                .map(|a| a.account_id.clone())
                .collect::<Vec<_>>()
        })
    });
    let id_field = Signal::derive(move || format!("awsConfig.context[{}].accountId", index.get()));
    let id_errors = store.errors(id_field);
    let region_field =
        Signal::derive(move || format!("awsConfig.context[{}].regions", index.get()));
    let region_errors = Signal::derive(move || {
        let n = regions.with(Vec::len);
        (0..n)
            .flat_map(|j| store.field_errors(&format!("{}[{j}]", region_field.get())))
            .collect::<Vec<_>>()
    });
    let region_warnings = Signal::derive(move || {
        let n = regions.with(Vec::len);
        (0..n)
            .flat_map(|j| store.field_warnings(&format!("{}[{j}]", region_field.get())))
            .collect::<Vec<_>>()
    });
    let id = format!("account-{key}-id");
    let regions_id = format!("account-{key}-regions");
    let can_remove = Memo::new(move |_| rows.with(|r| r.len() > 1));
    let on_select = Callback::new(move |o: ComboOption| {
        if o.value == ALL_ACCOUNTS {
            store.draft.update(|d| d.scope = Scope::Organisation);
            focus_id("management-account");
        } else if let Some(a) = store.draft.write().account_mut(key) {
            a.account_id = o.value;
        }
    });
    let on_input = Callback::new(move |text: String| {
        if let Some(a) = store.draft.write().account_mut(key) {
            a.account_id = text;
        }
    });
    let remove = Callback::new(move |()| {
        store.draft.update(|d| d.accounts.retain(|a| a.key != key));
        let first = store
            .draft
            .with_untracked(|d| d.accounts.first().map(|a| a.key));
        if let Some(k) = first {
            focus_id(&format!("account-{k}-id"));
        }
    });
    let t = crate::i18n::t();
    let number = move || index.get() + 1;
    let label = move || crate::i18n::fill(t.account_n, &[&number()]);
    view! {
        <div class="cf-row" role="group" aria-label=move || crate::i18n::fill(t.account_row, &[&number()])>
            <FormField id=id.clone() label=t.account_id errors=id_errors>
                <Combobox
                    id=id.clone()
                    value=value
                    on_input=on_input
                    on_select=on_select
                    options=options
                    placeholder=t.account_placeholder
                    invalid=Signal::derive(move || !id_errors.get().is_empty())
                    described_by=described_by(&id)
                    disabled_values=used_elsewhere
                />
            </FormField>
            <FormField
                id=regions_id.clone()
                label=t.region
                description=t.regions_optional
                errors=region_errors
                warnings=region_warnings
            >
                <MultiSelect
                    id=regions_id.clone()
                    selected=regions
                    on_change=Callback::new(move |v: Vec<String>| {
                        if let Some(a) = store.draft.write().account_mut(key) {
                            a.regions = v;
                        }
                    })
                    options=region_opts
                    chips_label=crate::i18n::fill(t.regions_of, &[&crate::i18n::fill(t.account_n, &[&(index.get_untracked() + 1)])])
                    placeholder=t.search_regions
                    empty_text=t.all_regions
                    invalid=Signal::derive(move || !region_errors.get().is_empty())
                    described_by=described_by(&regions_id)
                />
            </FormField>
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
    let org_text = |get: fn(&crate::draft::Organisation) -> &String,
                    set: fn(&mut crate::draft::Organisation, String)| {
        let value = Memo::new(move |_| store.draft.with(|d| get(&d.organisation).clone()));
        let write =
            Callback::new(move |v: String| store.draft.update(|d| set(&mut d.organisation, v)));
        (value, write)
    };
    let (management, set_management) =
        org_text(|o| &o.management_account, |o, v| o.management_account = v);
    let (root, set_root) = org_text(|o| &o.root_id, |o, v| o.root_id = v);
    let (ous, set_ous) = org_text(|o| &o.ou_ids, |o, v| o.ou_ids = v);
    let f_context = Signal::stored("awsConfig.context[0].accountId".to_owned());
    let f_management = Signal::stored("awsConfig.managementAccount".to_owned());
    let management_errors = {
        let a = store.errors(f_context);
        let b = store.errors(f_management);
        Signal::derive(move || {
            let mut e = a.get();
            e.extend(b.get());
            e.dedup();
            e
        })
    };
    let root_errors = store.errors(Signal::stored("awsConfig.organizationRootId".to_owned()));
    let ou_count = Memo::new(move |_| {
        store.request.with(|r| {
            r.aws_config
                .as_ref()
                .map_or(0, |a| a.scope_targeted_organizational_unit_ids.len())
        })
    });
    let ou_errors = Signal::derive(move || {
        (0..ou_count.get())
            .flat_map(|i| {
                store.field_errors(&format!(
                    "awsConfig.scopeTargetedOrganizationalUnitIds[{i}]"
                ))
            })
            .collect::<Vec<_>>()
    });
    let region_catalog = store.catalogs.regions;
    let region_opts = Memo::new(move |_| region_options(region_catalog.get()));
    let regions = Memo::new(move |_| store.draft.with(|d| d.organisation.regions.clone()));
    let back = move |_| {
        store.draft.update(|d| d.scope = Scope::Accounts);
        let first = store
            .draft
            .with_untracked(|d| d.accounts.first().map(|a| a.key));
        if let Some(k) = first {
            focus_id(&format!("account-{k}-id"));
        }
    };
    let t = crate::i18n::t();
    view! {
        <div class="cf-org" role="group" aria-label=t.all_accounts>
            <p class="cf-hint">{t.org_hint}</p>
            <FormField
                id="management-account"
                label=t.management_account
                description=t.management_desc
                errors=management_errors
            >
                <TextControl
                    id="management-account"
                    value=management
                    on_input=set_management
                    errors=management_errors
                    touch="awsConfig.context[0].accountId"
                    numeric=true
                />
            </FormField>
            <FormField
                id="organization-root-id"
                label=t.root_id
                description=t.root_desc
                errors=root_errors
            >
                <TextControl
                    id="organization-root-id"
                    value=root
                    on_input=set_root
                    errors=root_errors
                    touch="awsConfig.organizationRootId"
                />
            </FormField>
            <FormField
                id="organizational-units"
                label=t.ou_ids
                description=t.ou_desc
                errors=ou_errors
            >
                <textarea
                    id="organizational-units"
                    class="cf-input"
                    rows="2"
                    prop:value=ous
                    aria-describedby=described_by("organizational-units")
                    on:input=move |ev| set_ous.run(event_target_value(&ev))
                />
            </FormField>
            <FormField id="organisation-regions" label=t.region description=t.regions_optional>
                <MultiSelect
                    id="organisation-regions"
                    selected=regions
                    on_change=Callback::new(move |v: Vec<String>| store.draft.update(|d| d.organisation.regions = v))
                    options=region_opts
                    chips_label=t.org_regions
                    placeholder=t.search_regions
                    empty_text=t.all_regions
                    described_by=described_by("organisation-regions")
                />
            </FormField>
            <button type="button" class="cf-button cf-button--link" on:click=back>
                {t.single_accounts}
            </button>
        </div>
    }
}
