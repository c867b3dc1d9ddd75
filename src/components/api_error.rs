use leptos::prelude::*;

use crate::api::ApiError;

/// An API error as a person reads it: the problem's detail and its Request-Id
/// (for DoiT support), in an alert region.
#[component]
pub fn ApiErrorNotice(
    #[prop(into)] error: Signal<Option<ApiError>>,
    /// What was being done, e.g. "Loading your AWS accounts failed."
    #[prop(optional, into)]
    context: MaybeProp<String>,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let offline = matches!(e, ApiError::Network(_));
            view! {
                <div class="cf-alert" role="alert" data-kind=if offline { "offline" } else { "error" }>
                    {context.get().map(|c| view! { <strong>{c}" "</strong> })}
                    <span>{e.to_string()}</span>
                    {e
                        .request_id()
                        .map(|id| {
                            view! {
                                <span class="cf-alert__request-id">
                                    " Request-Id: "<code>{id.to_owned()}</code>
                                </span>
                            }
                        })}
                </div>
            }
        })
    }
}
