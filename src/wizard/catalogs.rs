//! The AWS catalogues the wizard checks against and offers (regions, IAM actions, managed
//! policies), fetched from `catalog/` when a step first needs them, shared by every page.

use std::collections::BTreeSet;
use std::sync::Arc;

use cloudflow_core::{ActionCatalog, Catalogs, PolicyCatalog, RegionCatalog};
use leptos::prelude::*;

/// The catalogues, fetched when a step first needs them.
#[derive(Clone, Copy)]
pub struct CatalogStore {
    pub regions: RwSignal<Option<Arc<RegionCatalog>>>,
    pub actions: RwSignal<Option<Arc<ActionCatalog>>>,
    pub policies: RwSignal<Option<Arc<PolicyCatalog>>>,
    requested: StoredValue<BTreeSet<&'static str>>,
    pub error: RwSignal<Option<String>>,
}

impl CatalogStore {
    pub fn new() -> CatalogStore {
        CatalogStore {
            regions: RwSignal::new(None),
            actions: RwSignal::new(None),
            policies: RwSignal::new(None),
            requested: StoredValue::new(BTreeSet::new()),
            error: RwSignal::new(None),
        }
    }

    /// Fetches `catalog/<file>` once, and hands its text to `apply`.
    fn fetch(
        &self,
        file: &'static str,
        apply: impl FnOnce(&str) -> Result<(), cloudflow_core::CatalogError> + 'static,
    ) {
        let first = self
            .requested
            .try_update_value(|r| r.insert(file))
            .unwrap_or(false);
        if first {
            fetch_catalog(file, Box::new(apply), self.error);
        }
    }

    /// Setup needs the regions.
    pub fn need_regions(&self) {
        let into = self.regions;
        self.fetch("regions.json", move |t| {
            into.set(Some(Arc::new(RegionCatalog::from_json(t)?)));
            Ok(())
        });
    }

    /// Permissions needs the actions and the managed policies.
    pub fn need_permissions(&self) {
        self.need_regions();
        let actions = self.actions;
        self.fetch("iam-actions.json", move |t| {
            actions.set(Some(Arc::new(ActionCatalog::from_json(t)?)));
            Ok(())
        });
        let policies = self.policies;
        self.fetch("managed-policies.json", move |t| {
            policies.set(Some(Arc::new(PolicyCatalog::from_json(t)?)));
            Ok(())
        });
    }

    /// All three, once all are loaded (validation checks membership only then).
    pub fn all(&self) -> Option<Catalogs> {
        Some(Catalogs {
            regions: (*self.regions.get()?).clone(),
            actions: (*self.actions.get()?).clone(),
            policies: (*self.policies.get()?).clone(),
        })
    }
}

impl Default for CatalogStore {
    fn default() -> Self {
        CatalogStore::new()
    }
}

/// What is done with a catalogue's text once it arrived.
type ApplyCatalog = Box<dyn FnOnce(&str) -> Result<(), cloudflow_core::CatalogError>>;

/// The request of [`CatalogStore::fetch`], not generic: one copy of the request code for
/// every catalogue (a generic one cost a copy per catalogue).
fn fetch_catalog(file: &'static str, apply: ApplyCatalog, error: RwSignal<Option<String>>) {
    leptos::task::spawn_local(async move {
        let url = crate::config::asset_url(&format!("catalog/{file}"));
        let text = match gloo_net::http::Request::get(&url).send().await {
            Ok(r) if r.ok() => r.text().await.map_err(|e| e.to_string()),
            Ok(r) => Err(crate::i18n::fill(crate::i18n::t().status_n, &[&r.status()])),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = text.and_then(|t| apply(&t).map_err(|e| e.to_string())) {
            error.set(Some(crate::i18n::fill(
                crate::i18n::t().catalog_failed,
                &[&file, &e],
            )));
        }
    });
}
