//! The generated artefacts on screen: the live preview beside the form, the
//! Permissions step's deploy tabs and the details page all render the same
//! core generators as memos over a request.

use cloudflow_core::{render, CreateConnectionRequest, Format, RenderOptions};
use leptos::prelude::*;

use crate::components::{CodeBlock, Tabs};

/// The render options every artefact starts from (the console URL from `/config.json`),
/// provided once by `App`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Defaults(pub RenderOptions);

/// The render options for a connection with this external ID (`None`: not known, so the
/// artefacts ask for it).
pub fn options_with(external_id: Option<String>) -> RenderOptions {
    let Defaults(base) = use_context::<Defaults>().unwrap_or_default();
    RenderOptions {
        external_id,
        ..base
    }
}

/// One artefact of a request, or the reason it cannot be produced.
pub fn artefact(format: Format, req: &CreateConnectionRequest, opts: &RenderOptions) -> String {
    match render(format, req, opts) {
        Ok(text) => text,
        Err(e) => format!("# {} cannot be produced: {e}\n", format.as_str()),
    }
}

/// The CloudFormation template (YAML or JSON, or the StackSet for an
/// organisation) and the Terraform of `request`, as tabs.
#[component]
pub fn ArtefactTabs(
    #[prop(into)] request: Signal<CreateConnectionRequest>,
    #[prop(into)] options: Signal<RenderOptions>,
    /// Distinguishes several tab sets on one page ("preview", "deploy").
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let tab = RwSignal::new("cloudformation");
    let json = RwSignal::new(false);
    // Terraform: self-contained (DoiT's module's addresses) or a call of DoiT's module.
    let module = RwSignal::new(false);
    let org = Memo::new(move |_| request.with(CreateConnectionRequest::is_organisation_scope));
    let cfn_format = Memo::new(move |_| match (org.get(), json.get()) {
        (true, _) => Format::StacksetYaml,
        (false, false) => Format::CfnYaml,
        (false, true) => Format::CfnJson,
    });
    let format = Memo::new(move |_| match (tab.get(), module.get()) {
        ("terraform", false) => Format::Terraform,
        ("terraform", true) => Format::TerraformModule,
        _ => cfn_format.get(),
    });
    // Only the visible artefact is rendered on each keystroke.
    let code = Memo::new(move |_| {
        let format = format.get();
        request.with(|r| options.with(|o| artefact(format, r, o)))
    });
    // Landmark names must be unique on the page: the live preview says so in its names.
    let t = crate::i18n::t();
    let suffix = if id == "preview" {
        t.preview_suffix
    } else {
        ""
    };
    let label = Memo::new(move |_| {
        let title = match format.get() {
            Format::Terraform => t.title_terraform,
            Format::TerraformModule => t.title_terraform_module,
            Format::StacksetYaml => t.title_stackset,
            Format::CfnJson => t.title_cfn_json,
            _ => t.title_cfn_yaml,
        };
        format!("{title}{suffix}")
    });
    let radio_name = StoredValue::new(format!("{id}-template-format"));
    let tf_radio_name = StoredValue::new(format!("{id}-terraform-form"));
    view! {
        <Tabs
            label=t.deploy_with
            id=id
            tabs=vec![("cloudformation", "CloudFormation"), ("terraform", "Terraform")]
            selected=tab
        >
            {move || {
                (tab.get() == "cloudformation")
                    .then(|| {
                        view! {
                            <Switch
                                legend=t.template_format
                                name=radio_name.get_value()
                                choices=("YAML", "JSON")
                                second=json
                                hidden=org
                            />
                            <p class="cf-hint" hidden=move || !org.get()>
                                {t.stackset_hint}
                            </p>
                        }
                    })
            }}
            {move || {
                (tab.get() == "terraform")
                    .then(|| {
                        view! {
                            <Switch
                                legend=t.terraform_form
                                name=tf_radio_name.get_value()
                                choices=(t.self_contained, t.use_module)
                                second=module
                            />
                            <p class="cf-hint">
                                {move || if module.get() { t.module_hint } else { t.self_contained_hint }}
                            </p>
                        }
                    })
            }}
            {move || {
                // A new block per format: its name and file name follow the format.
                let format = format.get();
                view! { <CodeBlock label=label.get_untracked() code=code filename=format.file_name() /> }
            }}
        </Tabs>
    }
}

/// Two labelled radio buttons in a fieldset (its legend read by screen readers only):
/// `second` is true when the second choice is picked.
#[component]
fn Switch(
    legend: &'static str,
    /// The radios' group name, unique on the page.
    name: String,
    choices: (&'static str, &'static str),
    second: RwSignal<bool>,
    #[prop(optional, into)] hidden: Signal<bool>,
) -> impl IntoView {
    let radio = move |label: &'static str, value: bool| {
        view! {
            <label>
                <input
                    type="radio"
                    name=name.clone()
                    prop:checked=move || second.get() == value
                    on:change=move |_| second.set(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="cf-switch" hidden=move || hidden.get()>
            <legend class="cf-visually-hidden">{legend}</legend>
            {radio(choices.0, false)}
            {radio(choices.1, true)}
        </fieldset>
    }
}
