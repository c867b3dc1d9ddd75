//! insta snapshots of every format for every corpus request (committed under tests/snapshots/).

mod common;

use cloudflow_core::{render, Format, RenderOptions};

fn opts() -> RenderOptions {
    RenderOptions {
        external_id: Some("doit-cf-01HXYZ-conn_42".into()),
        ..RenderOptions::default()
    }
}

#[test]
fn every_format_of_every_corpus_request() {
    for (case, req) in common::corpus() {
        for format in Format::ALL {
            let out = match render(format, &req, &opts()) {
                Ok(out) => out,
                Err(e) => format!("error: {e}\n"),
            };
            insta::assert_snapshot!(format!("{case}__{format}"), out);
        }
    }
}

/// Without an external id: no default for it anywhere (CloudFormation and Terraform ask).
#[test]
fn unknown_external_id() {
    let (_, req) = common::corpus()
        .into_iter()
        .find(|(c, _)| c == "single-account")
        .unwrap();
    for format in [
        Format::CfnYaml,
        Format::Terraform,
        Format::TerraformModule,
        Format::QuickCreateUrl,
        Format::Cli,
    ] {
        let out = render(format, &req, &RenderOptions::default()).unwrap();
        insta::assert_snapshot!(format!("single-account-no-external-id__{format}"), out);
    }
}
