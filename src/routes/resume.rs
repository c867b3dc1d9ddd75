//! `/connections/aws/:id/resume`: a connection saved at Setup and not done yet (a draft)
//! opens in the wizard, on any device: its fields come from the server, and the wizard
//! continues at Permissions with the same connection and external ID.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiError, Status};
use crate::components::ApiErrorNotice;
use crate::retry::with_retries;
use crate::session::use_session;
use crate::use_paths;
use crate::wizard::draft::Draft;
use crate::wizard::state::{new_draft_id, put_draft};
use crate::wizard::steps::Step;

#[component]
pub fn ResumeDraft() -> impl IntoView {
    crate::prerender::reveal_when_rendered();
    let params = use_params_map();
    let session = use_session();
    let paths = use_paths();
    let navigate = crate::paths::use_go_to();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let back = paths.connections();
    Effect::new(move |_| {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        // Whoever resumes becomes the Owner only when the draft names nobody.
        let Some(Ok(me)) = session.viewer.get().map(|v| v.map(|v| v.email)) else {
            return;
        };
        let api = session.api();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match with_retries(|| api.connection(&id), |_, _, _| ()).await {
                Ok(v) if v.connection.status == Status::Draft => {
                    let draft = Draft::from_connection(new_draft_id(), &me, &v.connection, v.etag);
                    put_draft(&draft);
                    navigate(&paths.new_connection(Step::Permissions));
                }
                // Done already: its page says how it stands.
                Ok(_) => navigate(&paths.connection(&id)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let t = crate::i18n::t();
    view! {
        <section class="cf-page">
            <h1>{t.resume_title}</h1>
            <p class="cf-hint" hidden=move || error.with(Option::is_some)>
                {t.draft_loading}
            </p>
            <ApiErrorNotice error=error context=t.draft_failed />
            <p>
                <a href=back.href()>{t.back_to_list}</a>
            </p>
        </section>
    }
}
