use leptos::html;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::StepNav;
use crate::steps::Step;
use crate::use_paths;

/// `/connections/aws/new/*`: the wizard frame around the current step.
#[component]
pub fn NewConnectionWizard() -> impl IntoView {
    let paths = use_paths();
    let location = use_location();
    let current = Memo::new(move |_| {
        location.pathname.with(|p| {
            p.trim_end_matches('/')
                .rsplit('/')
                .next()
                .and_then(Step::from_slug)
                .unwrap_or(Step::Setup)
        })
    });
    let reached = RwSignal::new(Step::Setup);
    let farthest = Signal::derive(move || reached.get().max(current.get()));
    let navigate = use_navigate();
    let go = {
        let paths = paths.clone();
        Callback::new(move |step: Step| {
            reached.update(|r| *r = (*r).max(step));
            navigate(&paths.new_connection(step), Default::default());
        })
    };

    // Focus moves to the step heading when the step changes (not on first render).
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |previous: Option<Step>| {
        let step = current.get();
        if previous.is_some_and(|p| p != step) {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        }
        step
    });

    let cancel = {
        let navigate = use_navigate();
        let to = paths.connections();
        move |_| navigate(&to, Default::default())
    };
    let step_href = {
        let paths = paths.clone();
        Callback::new(move |step: Step| paths.new_connection(step))
    };
    view! {
        <div class="cf-page cf-wizard">
            <StepNav current farthest href=step_href on_select=go />
            <section class="cf-wizard__content" aria-labelledby="cf-step-heading">
                <p class="cf-wizard__counter">
                    {move || format!("Step {} of {}", current.get().number(), Step::ALL.len())}
                </p>
                <h2 id="cf-step-heading" class="cf-wizard__heading" tabindex="-1" node_ref=heading>
                    {move || current.get().title()}
                </h2>
                <Outlet />
                <div class="cf-wizard__actions">
                    <button type="button" class="cf-button cf-button--link" on:click=cancel>
                        "Cancel"
                    </button>
                    {move || {
                        current
                            .get()
                            .previous()
                            .map(|p| {
                                view! {
                                    <button
                                        type="button"
                                        class="cf-button"
                                        on:click=move |_| go.run(p)
                                    >
                                        "Previous"
                                    </button>
                                }
                            })
                    }}
                    {move || {
                        current
                            .get()
                            .next()
                            .map(|n| {
                                view! {
                                    <button
                                        type="button"
                                        class="cf-button cf-button--primary"
                                        on:click=move |_| go.run(n)
                                    >
                                        "Next"
                                    </button>
                                }
                            })
                    }}
                </div>
            </section>
        </div>
    }
}

/// Step 1: name the connection and the role, pick accounts and regions.
#[component]
pub fn SetupStep() -> impl IntoView {
    view! {
        <p class="cf-hint">
            "Name the connection and the IAM role CloudFlow assumes, then choose the AWS accounts and regions it may act in."
        </p>
    }
}

/// Step 2: managed policies, allowed actions, and how to deploy the role.
#[component]
pub fn PermissionsStep() -> impl IntoView {
    view! {
        <p class="cf-hint">
            "Choose the AWS managed policies and the actions the role allows, then deploy it with CloudFormation or Terraform."
        </p>
    }
}

/// Step 3: who may use the connection, and at which level.
#[component]
pub fn AccessStep() -> impl IntoView {
    view! {
        <p class="cf-hint">
            "Choose who may use this connection and at which level: Owner, Editor or User."
        </p>
    }
}
