//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use cloudflow_core::{Catalogs, CreateConnectionRequest};

pub mod doit;

pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every corpus request, by file stem, sorted.
pub fn corpus() -> Vec<(String, CreateConnectionRequest)> {
    let mut out: Vec<(String, CreateConnectionRequest)> = std::fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read corpus file");
            let req = serde_json::from_str(&text).expect("corpus file parses");
            (p.file_stem().unwrap().to_string_lossy().into_owned(), req)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub fn catalogs() -> Catalogs {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/catalog");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("catalogue file");
    Catalogs::from_json(
        &read("regions.json"),
        &read("iam-actions.json"),
        &read("managed-policies.json"),
    )
    .expect("catalogues parse")
}

/// The string value of an HCL expression that holds only literal text (quoted strings with
/// escapes, including `$${` and `%%{`).
pub fn hcl_literal(expr: &hcl::Expression) -> Option<String> {
    match expr {
        hcl::Expression::String(s) => Some(s.clone()),
        hcl::Expression::TemplateExpr(t) => {
            let template = hcl::Template::from_expr(t).ok()?;
            let mut out = String::new();
            for el in template.elements() {
                match el {
                    hcl::template::Element::Literal(s) => out.push_str(s),
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// The attribute `key` of the first block `ident [labels...]` in `body`.
pub fn hcl_block_attr<'a>(
    body: &'a hcl::Body,
    ident: &str,
    labels: &[&str],
    key: &str,
) -> Option<&'a hcl::Expression> {
    body.blocks()
        .find(|b| {
            b.identifier() == ident
                && b.labels().len() == labels.len()
                && b.labels()
                    .iter()
                    .zip(labels)
                    .all(|(l, want)| l.as_str() == *want)
        })?
        .body()
        .attributes()
        .find(|a| a.key() == key)
        .map(|a| a.expr())
}
