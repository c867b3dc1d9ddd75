//! Read-only code with **Copy** (clipboard, with a fallback that selects the
//! text when the browser refuses) and **Download** (a Blob as a file).

use std::fmt;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys;

/// How long "Copied" stays visible.
pub const COPIED_FOR: Duration = Duration::from_secs(2);
/// How long an object URL lives after its download started.
pub const REVOKE_AFTER: Duration = Duration::from_secs(1);

/// What the status line of a [`CodeBlock`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyStatus {
    Idle,
    Copied,
    /// The clipboard is missing or refused; the text was selected instead.
    Blocked,
    /// The browser could not build the file.
    DownloadFailed,
}

impl CopyStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            CopyStatus::Idle => "idle",
            CopyStatus::Copied => "copied",
            CopyStatus::Blocked => "blocked",
            CopyStatus::DownloadFailed => "download-failed",
        }
    }
}

impl fmt::Display for CopyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = crate::i18n::t();
        f.write_str(match self {
            CopyStatus::Idle => "",
            CopyStatus::Copied => t.copied,
            CopyStatus::Blocked => t.copy_blocked,
            CopyStatus::DownloadFailed => t.download_failed,
        })
    }
}

/// `navigator.clipboard` when it exists and has `writeText`.
fn clipboard() -> Option<web_sys::Clipboard> {
    let clipboard = window().navigator().clipboard();
    let raw: &JsValue = clipboard.as_ref();
    if raw.is_undefined() || raw.is_null() {
        return None;
    }
    js_sys::Reflect::get(raw, &JsValue::from_str("writeText"))
        .ok()
        .filter(JsValue::is_function)
        .map(|_| clipboard)
}

/// Starts a download of `text` as `filename`; returns the object URL to
/// revoke once the download has started.
fn download(text: &str, filename: &str, mime: &str) -> Result<String, JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.set_hidden(true);
    if let Some(body) = document().body() {
        body.append_child(&anchor)?;
    }
    anchor.click();
    anchor.remove();
    Ok(url)
}

/// A button that downloads `code` as `filename`, without showing it (the code is on screen
/// elsewhere, e.g. in the live preview).
#[component]
pub fn DownloadButton(
    /// The button's text, e.g. "Download the template (YAML)".
    #[prop(into)]
    label: String,
    #[prop(into)] code: Signal<String>,
    #[prop(into)] filename: String,
    /// MIME type; default "text/plain".
    #[prop(optional)]
    mime: Option<&'static str>,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    let mime = mime.unwrap_or("text/plain");
    let save = move |_| match download(&code.get_untracked(), &filename, mime) {
        Ok(url) => {
            failed.set(false);
            set_timeout(
                move || {
                    let _ = web_sys::Url::revoke_object_url(&url);
                },
                REVOKE_AFTER,
            );
        }
        Err(_) => failed.set(true),
    };
    view! {
        <button type="button" class="cf-button cf-download" on:click=save>
            {label}
        </button>
        <span class="cf-code__status" role="status" hidden=move || !failed.get()>
            {CopyStatus::DownloadFailed.to_string()}
        </span>
    }
}

/// Read-only code in a `<section aria-label=label>` with Copy and Download.
#[component]
pub fn CodeBlock(
    /// Accessible name of the code region, e.g. "Terraform configuration".
    #[prop(into)]
    label: String,
    /// The code shown, copied and downloaded.
    #[prop(into)]
    code: Signal<String>,
    /// Download file name, e.g. "cloudflow-role.tf"; none means no Download button.
    #[prop(optional, into)]
    filename: MaybeProp<String>,
    /// MIME type of the download; default "text/plain".
    #[prop(optional)]
    mime: Option<&'static str>,
) -> impl IntoView {
    let status = RwSignal::new(CopyStatus::Idle);
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let code_ref = NodeRef::<html::Code>::new();
    let mime = mime.unwrap_or("text/plain");

    let clear_timer = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    on_cleanup(clear_timer);

    let copied = move || {
        clear_timer();
        status.set(CopyStatus::Copied);
        let handle = set_timeout_with_handle(
            move || {
                status.try_update(|s| {
                    if *s == CopyStatus::Copied {
                        *s = CopyStatus::Idle;
                    }
                });
            },
            COPIED_FOR,
        );
        timer.try_set_value(handle.ok());
    };
    let blocked = move || {
        clear_timer();
        if let Some(el) = code_ref.get_untracked() {
            if let Ok(Some(selection)) = window().get_selection() {
                let _ = selection.select_all_children(&el);
            }
        }
        status.set(CopyStatus::Blocked);
    };

    let copy = move |_| {
        let Some(clipboard) = clipboard() else {
            blocked();
            return;
        };
        let text = code.get_untracked();
        let on_ok = Closure::<dyn FnMut(JsValue)>::new(move |_| copied());
        let on_err = Closure::<dyn FnMut(JsValue)>::new(move |_| blocked());
        let _ = clipboard.write_text(&text).then2(&on_ok, &on_err);
        // Ownership passes to JS; the closures are freed when the promise is collected.
        let _ = on_ok.into_js_value();
        let _ = on_err.into_js_value();
    };

    let download_button = move || {
        filename.get().map(|name| {
            let save = move |_| {
                clear_timer();
                match download(&code.get_untracked(), &name, mime) {
                    Ok(url) => {
                        status.set(CopyStatus::Idle);
                        set_timeout(
                            move || {
                                let _ = web_sys::Url::revoke_object_url(&url);
                            },
                            REVOKE_AFTER,
                        );
                    }
                    Err(_) => status.set(CopyStatus::DownloadFailed),
                }
            };
            view! {
                <button type="button" class="cf-button cf-code__download" on:click=save>
                    {crate::i18n::t().download}
                </button>
            }
        })
    };

    view! {
        <section class="cf-code" aria-label=label>
            <div class="cf-code__toolbar">
                <button type="button" class="cf-button cf-code__copy" on:click=copy>
                    {crate::i18n::t().copy}
                </button>
                {download_button}
                <p
                    class="cf-code__status"
                    aria-live="polite"
                    data-status=move || status.get().as_str()
                >
                    {move || status.get().to_string()}
                </p>
            </div>
            <pre class="cf-code__pre" tabindex="0">
                <code node_ref=code_ref>{move || code.get()}</code>
            </pre>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::CopyStatus;

    #[test]
    fn status_messages_are_what_a_person_reads() {
        assert_eq!(CopyStatus::Idle.to_string(), "");
        assert_eq!(CopyStatus::Copied.to_string(), "Copied");
        assert!(CopyStatus::Blocked.to_string().contains("press Ctrl+C"));
        assert_eq!(CopyStatus::Blocked.as_str(), "blocked");
    }
}
