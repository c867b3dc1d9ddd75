//! The label, description and messages around one form control, wired so
//! that the control's accessible name is the label and its description is
//! the help text plus every error and warning. The control learns its id, what
//! describes it and whether it is invalid from the field ([`use_field`]), as
//! thaw's `Field` hands them to its input: it repeats none of them.

use cloudflow_core::Severity;
use leptos::prelude::*;

/// How a message under a field reads: CSS selects on `data-severity` ("error", "warning"),
/// screen readers hear the prefix, and the icon carries it visually.
fn severity_parts(severity: Severity) -> (&'static str, &'static str, &'static str) {
    let t = crate::i18n::t();
    match severity {
        Severity::Error => ("error", t.error_prefix, "\u{2715}"),
        Severity::Warning => ("warning", t.warning_prefix, "\u{26a0}"),
    }
}

/// The `aria-describedby` value of the control inside a [`FormField`] with
/// this `id`: its description and its messages.
pub fn described_by(id: &str) -> String {
    format!("{id}-desc {id}-msg")
}

/// What the control inside a [`FormField`] takes from it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldContext {
    /// The control's id (the label points at it).
    pub id: String,
    /// Its `aria-describedby`: the description and the messages.
    pub described_by: String,
    /// Whether the field shows an error (the control's `aria-invalid`).
    pub invalid: Signal<bool>,
}

impl FieldContext {
    /// A control's id and state as it was given them, else as its field says (with the field's
    /// description), outside a field: as given, or empty.
    pub fn or_field(
        id: Option<String>,
        invalid: Option<Signal<bool>>,
    ) -> (String, Signal<bool>, Option<String>) {
        let field = use_context::<FieldContext>();
        let id = id
            .or_else(|| field.as_ref().map(|f| f.id.clone()))
            .unwrap_or_default();
        let invalid = invalid
            .or_else(|| field.as_ref().map(|f| f.invalid))
            .unwrap_or_default();
        (id, invalid, field.map(|f| f.described_by))
    }
}

/// The field around the calling control. Panics outside a [`FormField`]: a control without its
/// label would be a bug.
pub fn use_field() -> FieldContext {
    expect_context::<FieldContext>()
}

/// One control with its label, optional description and messages. The control (the child)
/// reads its id, `aria-describedby` and `aria-invalid` from [`use_field`].
#[component]
pub fn FormField(
    /// The control's id; the label is `<label for=id id="{id}-label">`.
    #[prop(into)]
    id: String,
    /// The visible label, which is the control's accessible name.
    #[prop(into)]
    label: String,
    /// Help text under the label, `id="{id}-desc"`.
    #[prop(optional, into)]
    description: MaybeProp<String>,
    /// Errors shown under the control, inside `id="{id}-msg"`.
    #[prop(optional, into)]
    errors: Signal<Vec<String>>,
    /// Warnings shown under the control, after the errors.
    #[prop(optional, into)]
    warnings: Signal<Vec<String>>,
    /// The control.
    children: Children,
) -> impl IntoView {
    let desc_id = format!("{id}-desc");
    let msg_id = format!("{id}-msg");
    let label_id = format!("{id}-label");
    let messages = move || {
        let line = |severity: Severity, text: String| {
            let (kind, prefix, icon) = severity_parts(severity);
            view! {
                <p class="cf-field__message" data-severity=kind>
                    <span class="cf-field__icon" aria-hidden="true">
                        {icon}
                    </span>
                    <span class="cf-visually-hidden">{prefix}</span>
                    {text}
                </p>
            }
        };
        let mut out = errors
            .get()
            .into_iter()
            .map(|e| line(Severity::Error, e))
            .collect::<Vec<_>>();
        out.extend(
            warnings
                .get()
                .into_iter()
                .map(|w| line(Severity::Warning, w)),
        );
        out
    };
    let has_errors = move || errors.with(|e| !e.is_empty());
    provide_context(FieldContext {
        id: id.clone(),
        described_by: described_by(&id),
        invalid: Signal::derive(has_errors),
    });
    view! {
        <div class="cf-field" data-invalid=move || has_errors().then_some("true")>
            <label class="cf-field__label" for=id id=label_id>
                {label}
            </label>
            {move || {
                description
                    .get()
                    .map(|d| {
                        view! {
                            <p class="cf-field__description" id=desc_id.clone()>
                                {d}
                            </p>
                        }
                    })
            }}
            <div class="cf-field__control">{children()}</div>
            <div class="cf-field__messages" id=msg_id aria-live="polite">
                {messages}
            </div>
        </div>
    }
}
