//! What every handler shares: the database, the configuration and the page-token signer.

use std::sync::{Mutex, MutexGuard};

use cloudflow_core::Catalogs;
use rusqlite::Connection;

use crate::config::Config;
use crate::pagination::Pager;
use crate::problem::ApiError;

pub struct AppState {
    db: Mutex<Connection>,
    pub config: Config,
    pub pager: Pager,
    /// The tenant /config.json names.
    pub tenant_id: String,
    /// Catalogues for the core's region/action/policy checks, when found on disk.
    pub catalogs: Option<Catalogs>,
}

impl AppState {
    pub fn new(
        conn: Connection,
        config: Config,
        pager: Pager,
        tenant_id: String,
        catalogs: Option<Catalogs>,
    ) -> AppState {
        AppState {
            db: Mutex::new(conn),
            config,
            pager,
            tenant_id,
            catalogs,
        }
    }

    /// The database, locked for one short synchronous step (never hold it across an await).
    pub fn db(&self) -> Result<MutexGuard<'_, Connection>, ApiError> {
        // A panic while the lock was held leaves SQLite consistent (transactions roll back),
        // so a poisoned lock is taken over rather than failing every later request.
        Ok(self
            .db
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Waits `--latency-ms` (simulated network and server time).
    pub async fn simulate_latency(&self) {
        if self.config.latency_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(self.config.latency_ms)).await;
        }
    }
}
