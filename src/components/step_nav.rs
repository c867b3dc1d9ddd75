use leptos::prelude::*;

use crate::wizard::steps::{Step, StepStatus};

/// The wizard's step navigation: every step listed in order, the current one
/// marked `aria-current="step"`, visited ones clickable, unvisited ones shown
/// but `aria-disabled`.
#[component]
pub fn StepNav(
    /// The step on screen.
    #[prop(into)]
    current: Signal<Step>,
    /// The farthest step reached so far.
    #[prop(into)]
    farthest: Signal<Step>,
    /// The href of each step's route.
    href: Callback<Step, String>,
    /// Called when a person picks a visited step.
    on_select: Callback<Step>,
    /// The nav's accessible name ("Create AWS connection steps", or the edit's).
    label: &'static str,
) -> impl IntoView {
    let items = Step::ALL
        .into_iter()
        .map(|step| {
            let status = Memo::new(move |_| step.status(current.get(), farthest.get()));
            let t = crate::i18n::t();
            let label = move || {
                view! {
                    <span class="cf-steps__number">{crate::i18n::fill(t.step_n, &[&step.number()])}</span>
                    <span class="cf-steps__title">{step.title()}</span>
                }
            };
            view! {
                <li class="cf-steps__item" data-status=move || status.get().as_str()>
                    {move || match status.get() {
                        StepStatus::Unvisited => {
                            view! {
                                <span class="cf-steps__link" aria-disabled="true">
                                    {label()}
                                </span>
                            }
                                .into_any()
                        }
                        s => {
                            view! {
                                <a
                                    class="cf-steps__link"
                                    href=href.run(step)
                                    aria-current=(s == StepStatus::Current).then_some("step")
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        on_select.run(step);
                                    }
                                >
                                    {label()}
                                </a>
                            }
                                .into_any()
                        }
                    }}
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="cf-steps" aria-label=label>
            <ol class="cf-steps__list">{items}</ol>
        </nav>
    }
}
