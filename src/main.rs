fn main() {
    cloudflow_connect::crash::install_panic_screen();
    // The runtime config is fetched before mounting (the router's base path is in it);
    // mounting sets up Leptos's executor for everything after.
    wasm_bindgen_futures::spawn_local(async {
        let config = cloudflow_connect::config::load().await;
        // Into the body, or beside the static Setup step of index.html until the app's
        // first page is built (see `prerender`).
        leptos::mount::mount_to(cloudflow_connect::prerender::mount_point(), move || {
            cloudflow_connect::Root(config)
        })
        .forget();
    });
}
