//! What a picker's list is doing when it is not simply there: still loading, or
//! failed (with the API's reason and a way to try again; typing stays possible).

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::ApiErrorNotice;
use crate::session::Loaded;

/// `what` names the list ("your AWS accounts"); `typing` says what the person can
/// still do without it ("You can still type a 12-digit account ID.").
#[component]
pub fn ListLoadNotice<T>(
    /// The list's state, read without joining any transition (see `Session`).
    state: Memo<Loaded<T>>,
    /// The resource behind it, for Try again.
    list: LocalResource<Result<Arc<Vec<T>>, ApiError>>,
    what: &'static str,
    typing: &'static str,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let error =
        Signal::derive(move || state.with(|l| l.as_ref().and_then(|r| r.as_ref().err().cloned())));
    let loading = move || state.with(Option::is_none);
    let t = crate::i18n::t();
    view! {
        <p class="cf-hint" role="status" hidden=move || !loading()>
            {crate::i18n::fill(t.list_loading, &[&what])}
        </p>
        {move || {
            error
                .get()
                .is_some()
                .then(|| {
                    view! {
                        <ApiErrorNotice
                            error=error
                            context=crate::i18n::fill(t.list_failed, &[&what, &typing])
                        />
                        <button type="button" class="cf-button" on:click=move |_| list.refetch()>
                            {t.try_again}
                        </button>
                    }
                })
        }}
    }
}
