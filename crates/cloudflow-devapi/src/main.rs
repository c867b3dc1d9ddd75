//! `cloudflow-devapi --listen 127.0.0.1:8080 --db PATH [--dist DIR] [--seed demo|large] ...`

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use cloudflow_devapi::{bind, describe, prepare, serve_state, Config};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cloudflow-devapi: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), cloudflow_devapi::StartError> {
    let shown = config.clone();
    let state = Arc::new(prepare(config)?);
    let (listener, addr) = bind(&shown).await?;
    println!("{}", describe(&shown, addr));
    serve_state(state, listener, shutdown_signal()).await
}

/// Ctrl-C or SIGTERM (what test runners and process managers send) stop the server cleanly.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
