//! The artefacts are interchangeable with DoiT's own: every corpus request renders templates
//! with the resources and interface of DoiT's hosted template, Terraform with its module's
//! addresses, and a module form that calls that module (tests/common/doit.rs describes them).

mod common;

use cloudflow_core::{render, CreateConnectionRequest, Format, RenderOptions};
use common::doit::{
    assert_module_form, assert_template_is_doits, assert_terraform_is_doits, long_form,
};

const EXTERNAL_IDS: [Option<&str>; 2] = [Some("doit-cf-01HX_abc+=,.@"), None];

fn opts(external_id: Option<&str>) -> RenderOptions {
    RenderOptions {
        external_id: external_id.map(str::to_owned),
        ..RenderOptions::default()
    }
}

fn yaml(text: &str) -> serde_json::Value {
    long_form(&serde_yaml::from_str(text).unwrap())
}

/// The StackSet's inner template.
fn stackset_body(req: &CreateConnectionRequest, o: &RenderOptions) -> serde_json::Value {
    let outer = yaml(&render(Format::StacksetYaml, req, o).unwrap());
    let body = outer["Resources"]["CloudFlowRoleStackSet"]["Properties"]["TemplateBody"]
        .as_str()
        .unwrap()
        .to_string();
    yaml(&body)
}

#[test]
fn every_template_creates_doits_resources_with_doits_interface() {
    for (case, req) in common::corpus() {
        for ext in EXTERNAL_IDS {
            let o = opts(ext);
            let y = yaml(&render(Format::CfnYaml, &req, &o).unwrap());
            assert_template_is_doits(&y, &req, ext);
            let j: serde_json::Value =
                serde_json::from_str(&render(Format::CfnJson, &req, &o).unwrap()).unwrap();
            assert_template_is_doits(&j, &req, ext);
            assert_eq!(y, j, "{case}: YAML and JSON differ");
            if req.is_organisation_scope() {
                let inner = stackset_body(&req, &o);
                assert_template_is_doits(&inner, &req, ext);
                assert_eq!(inner, j, "{case}: the StackSet deploys another template");
            }
        }
    }
}

#[test]
fn terraform_has_doits_module_addresses_and_the_module_form_calls_it() {
    for (_, req) in common::corpus() {
        for ext in EXTERNAL_IDS {
            let o = opts(ext);
            assert_terraform_is_doits(&render(Format::Terraform, &req, &o).unwrap(), &req, ext);
            assert_module_form(
                &render(Format::TerraformModule, &req, &o).unwrap(),
                &req,
                ext,
            );
        }
    }
}

#[test]
fn without_an_external_id_nothing_stands_in_for_it() {
    for (_, req) in common::corpus() {
        for format in Format::ALL {
            let Ok(out) = render(format, &req, &RenderOptions::default()) else {
                continue;
            };
            let lower = out.to_ascii_lowercase();
            assert!(!lower.contains("replace-with"), "{format}");
            assert!(!lower.contains("placeholder"), "{format}");
        }
        let t = yaml(&render(Format::CfnYaml, &req, &RenderOptions::default()).unwrap());
        assert!(t["Parameters"]["ExternalId"].get("Default").is_none());
        assert!(t.get("Rules").unwrap().get("ExternalIdGiven").is_none());
    }
}

#[test]
fn actions_too_long_for_a_parameter_are_written_in_the_template() {
    let (_, req) = common::corpus()
        .into_iter()
        .find(|(c, _)| c == "overflowing-actions")
        .unwrap();
    let actions = &req.aws_config.as_ref().unwrap().permissions.actions;
    assert!(actions.join(",").len() > 4096);
    let o = opts(Some("ext-1"));
    let t = yaml(&render(Format::CfnYaml, &req, &o).unwrap());
    // (the shape is checked by the test above; here what it means)
    assert_eq!(t["Parameters"]["AllowedActions"]["Default"], "");
    let custom = &t["Resources"]["CloudFlowConnectionRoleCustomPolicy"];
    assert!(custom.get("Condition").is_none());
    assert_eq!(
        custom["Properties"]["PolicyDocument"]["Statement"][0]["Action"]["Fn::If"][2],
        serde_json::json!(actions)
    );
    // The link and the CLI command cannot carry them, and say what to do instead.
    for format in [Format::QuickCreateUrl, Format::Cli] {
        let err = render(format, &req, &o).unwrap_err();
        assert_eq!(err.field(), "awsConfig.permissions.actions");
        assert!(
            err.to_string().contains("download the template instead"),
            "{err}"
        );
    }
}
