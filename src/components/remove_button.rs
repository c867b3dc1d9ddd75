//! A row's "Remove" button (account, allowed action, user), named for the row it removes.

use leptos::prelude::*;

/// Removes its row. `hidden` hides it while the row is the last one that must stay;
/// `locked` (with `why`) keeps it in the tab order but refuses, and says why, as the
/// Access step's owner rule needs: a person must be told, not just find it missing.
#[component]
pub fn RemoveButton(
    /// The accessible name: "Remove account 2", "Remove allowed action s3:GetObject".
    #[prop(into)]
    label: Signal<String>,
    #[prop(optional, into)] hidden: Signal<bool>,
    #[prop(optional, into)] locked: Signal<bool>,
    /// Shown as the title while locked.
    #[prop(optional)]
    why: &'static str,
    on_remove: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="cf-button cf-button--link cf-row__remove"
            aria-label=label
            hidden=hidden
            aria-disabled=move || locked.get().then_some("true")
            title=move || locked.get().then_some(why)
            on:click=move |_| {
                if !locked.get_untracked() {
                    on_remove.run(());
                }
            }
        >
            {crate::i18n::t().remove}
        </button>
    }
}
