use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::steps::Step;
use crate::use_paths;

/// `/connections`: the provider pane on the left, the provider's connections on the right.
#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let paths = use_paths();
    let navigate = use_navigate();
    let create = move |_| navigate(&paths.new_connection(Step::Setup), Default::default());
    view! {
        <div class="cf-page cf-connections">
            <ProviderPane />
            <section class="cf-connections__main" aria-labelledby="cf-connections-heading">
                <header class="cf-page__header">
                    <h1 id="cf-connections-heading">"AWS connections"</h1>
                    <button type="button" class="cf-button cf-button--primary" on:click=create>
                        "Create connection"
                    </button>
                </header>
                <p class="cf-hint">
                    "A connection lets CloudFlow act in your AWS accounts through an IAM role that you create with DoiT's CloudFormation template or Terraform."
                </p>
            </section>
        </div>
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
