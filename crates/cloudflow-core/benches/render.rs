//! Render benchmark (no criterion): every format for a large request of 100 accounts,
//! 25 managed policies and 200 actions; prints the median and p95 time per render.
//! Run: cargo bench -p cloudflow-core --bench render

use std::hint::black_box;
use std::time::{Duration, Instant};

use cloudflow_core::{
    render, validate, AccountContext, AwsConfig, Catalogs, Collaborator, CreateConnectionRequest,
    Format, Permissions, RenderOptions,
};

fn large_request() -> CreateConnectionRequest {
    CreateConnectionRequest {
        name: "Large organisation: \"all\" accounts ${x} 日本語 🚀".into(),
        description: Some(
            "A big request with every account, many policies and actions.\n".repeat(20),
        ),
        aws_config: Some(AwsConfig {
            role_name: "DoitCloudFlowBenchmarkRole".into(),
            context: (0..100)
                .map(|i| AccountContext {
                    account_id: format!("{:012}", 100_000_000_000u64 + i),
                    regions: vec![
                        "us-east-1".into(),
                        "eu-west-1".into(),
                        "ap-southeast-2".into(),
                    ],
                })
                .collect(),
            permissions: Permissions {
                aws_managed_policies: (0..25)
                    .map(|i| format!("arn:aws:iam::aws:policy/Policy{i:02}ReadOnly"))
                    .collect(),
                actions: (0..200)
                    .map(|i| format!("svc{:02}:Describe{i:03}*", i % 40))
                    .collect(),
            },
            organization_root_id: Some("r-ab12".into()),
            scope_targeted_organizational_unit_ids: (0..10)
                .map(|i| format!("ou-ab12-abcdef{i:02}"))
                .collect(),
            ..AwsConfig::default()
        }),
        collaborators: (0..10)
            .map(|i| Collaborator {
                email: format!("person{i}@example.com"),
                role: "editor".into(),
            })
            .collect(),
        ..CreateConnectionRequest::default()
    }
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    (median, p95)
}

fn measure(label: &str, iterations: usize, mut f: impl FnMut() -> usize) {
    for _ in 0..iterations / 10 {
        black_box(f());
    }
    let mut samples = Vec::with_capacity(iterations);
    let mut bytes = 0;
    for _ in 0..iterations {
        let t = Instant::now();
        bytes = black_box(f());
        samples.push(t.elapsed());
    }
    let (median, p95) = stats(samples);
    println!(
        "{label:<34} median {:>8.1} µs   p95 {:>8.1} µs   ({bytes} bytes)",
        median.as_secs_f64() * 1e6,
        p95.as_secs_f64() * 1e6
    );
}

fn main() {
    let req = large_request();
    let opts = RenderOptions {
        external_id: Some("doit-cf-bench-1".into()),
        ..RenderOptions::default()
    };
    let iterations = 500;
    println!(
        "request: 100 accounts, 25 managed policies, 200 actions; {iterations} renders per format"
    );
    for format in Format::ALL {
        measure(&format!("render {format}"), iterations, || {
            match render(format, &req, &opts) {
                Ok(s) => s.len(),
                Err(e) => panic!("{format}: {e}"),
            }
        });
    }
    measure("validate (no catalogue)", iterations, || {
        validate(&req, None).problems.len()
    });
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/catalog/");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap_or_default();
    let (r, a, p) = (
        read("regions.json"),
        read("iam-actions.json"),
        read("managed-policies.json"),
    );
    if let Ok(catalogs) = Catalogs::from_json(&r, &a, &p) {
        measure("validate (catalogues, all unknown)", 50, || {
            validate(&req, Some(&catalogs)).problems.len()
        });
        let corpus = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/corpus/many-permissions.json"
        ))
        .unwrap_or_default();
        if let Ok(known) = serde_json::from_str::<CreateConnectionRequest>(&corpus) {
            measure("validate (catalogues, corpus 25p/109a)", 200, || {
                validate(&known, Some(&catalogs)).problems.len()
            });
        }
        measure("Catalogs::from_json (all three)", 20, || {
            Catalogs::from_json(&r, &a, &p)
                .map(|c| c.actions.len())
                .unwrap_or(0)
        });
    }
}
