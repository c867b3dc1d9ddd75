//! Helpers shared by the browser tests (each `tests/browser_*.rs` declares `mod support;`).
#![cfg(target_arch = "wasm32")]

/// Waits `ms` milliseconds of browser time (a `setTimeout`), letting effects,
/// microtasks and animation frames run.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
