use leptos::prelude::*;

use crate::api::ApiError;

/// An API error as a person reads it: its message (a problem's detail, or the released
/// API's `error`), the issues of `details[]`, and its Request-Id (for DoiT support), in an
/// alert region.
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
                    {
                        let issues = e.issues();
                        (!issues.is_empty())
                            .then(|| {
                                view! {
                                    <ul class="cf-alert__issues">
                                        {issues.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}
                                    </ul>
                                }
                            })
                    }
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
