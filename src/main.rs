fn main() {
    cloudflow_connect::crash::install_panic_screen();
    // The runtime config is fetched before mounting (the router's base path is in it);
    // mounting sets up Leptos's executor for everything after.
    wasm_bindgen_futures::spawn_local(async {
        let config = cloudflow_connect::config::load().await;
        leptos::mount::mount_to_body(move || cloudflow_connect::Root(config));
    });
}
