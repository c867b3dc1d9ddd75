//! A panic anywhere replaces the page with a plain error screen and a Reload
//! button, instead of leaving a blank or frozen page. Text only, built with DOM
//! calls (never HTML strings).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn install_panic_screen() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let _ = show_crash_screen();
    }));
}

fn show_crash_screen() -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    body.set_text_content(None);
    let main = document.create_element("main").ok()?;
    main.set_class_name("cf-crash");
    main.set_attribute("role", "alert").ok()?;
    let h1 = document.create_element("h1").ok()?;
    let t = crate::i18n::t();
    h1.set_text_content(Some(t.crash_title));
    let p = document.create_element("p").ok()?;
    p.set_text_content(Some(t.crash_text));
    let button: web_sys::HtmlElement = document.create_element("button").ok()?.dyn_into().ok()?;
    button.set_text_content(Some(t.reload));
    button.set_class_name("cf-button cf-button--primary");
    let reload = Closure::<dyn FnMut()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    button.set_onclick(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    main.append_child(&h1).ok()?;
    main.append_child(&p).ok()?;
    main.append_child(&button).ok()?;
    body.append_child(&main).ok()?;
    Some(())
}
