//! Behaviour of the generators on real requests: structure, limits, allow-lists.

mod common;

use cloudflow_core::render::{text, RESOURCE_ATTRIBUTES};
use cloudflow_core::{
    render, validate, CreateConnectionRequest, Format, RenderError, RenderOptions,
};

fn corpus(name: &str) -> CreateConnectionRequest {
    common::corpus()
        .into_iter()
        .find(|(c, _)| c == name)
        .unwrap()
        .1
}

#[test]
fn the_corpus_is_valid_against_the_real_catalogues() {
    let catalogs = common::catalogs();
    for (case, req) in common::corpus() {
        let report = validate(&req, Some(&catalogs));
        assert!(!report.has_errors(), "{case}: {:?}", report.problems);
    }
}

#[test]
fn every_artefact_ends_with_one_newline_and_is_deterministic() {
    let opts = RenderOptions::default();
    for (case, req) in common::corpus() {
        for format in Format::ALL {
            let a = match render(format, &req, &opts) {
                Ok(a) => a,
                Err(RenderError::NotOrganisation) => {
                    assert_eq!(format, Format::StacksetYaml, "{case} {format}");
                    assert!(!req.is_organisation_scope());
                    continue;
                }
                Err(e @ RenderError::ParameterTooLong { .. }) => {
                    assert!(
                        matches!(format, Format::QuickCreateUrl | Format::Cli),
                        "{case} {format}: {e}"
                    );
                    continue;
                }
                Err(e) => panic!("{case} {format}: {e}"),
            };
            assert!(a.ends_with('\n') && !a.ends_with("\n\n"), "{case} {format}");
            assert_eq!(a, render(format, &req, &opts).unwrap(), "{case} {format}");
        }
    }
}

#[test]
fn cfn_json_keeps_what_we_do_better_and_creates_no_other_resource() {
    let req = corpus("multi-account");
    let out = render(Format::CfnJson, &req, &RenderOptions::default()).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The partition-aware trust and the region rule (DoiT's template: a failing custom resource).
    let role = &doc["Resources"]["DoitCloudFlowConnectionRole"];
    let stmt = &role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(
        stmt["Principal"]["AWS"]["Fn::Sub"],
        "arn:${AWS::Partition}:iam::${TrustedAccountId}:root"
    );
    let rule = &doc["Rules"]["StackInUsEast1"]["Assertions"][0]["Assert"]["Fn::Equals"];
    assert_eq!(rule[0]["Ref"], "AWS::Region");
    assert_eq!(rule[1], "us-east-1");
    assert_eq!(doc["Resources"].as_object().unwrap().len(), 3);
    assert!(role["Properties"].get("Tags").is_none());
    // The connection's texts are in the metadata, verbatim.
    assert_eq!(doc["Metadata"]["DoitCloudFlow"]["ConnectionName"], req.name);
}

#[test]
fn stackset_targets_ous_or_root() {
    let ous = render(
        Format::StacksetYaml,
        &corpus("organisation-ous"),
        &RenderOptions::default(),
    )
    .unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&ous).unwrap();
    let props = &doc["Resources"]["CloudFlowRoleStackSet"]["Properties"];
    assert_eq!(props["PermissionModel"], "SERVICE_MANAGED");
    assert_eq!(props["AutoDeployment"]["Enabled"], true);
    assert_eq!(props["Capabilities"][0], "CAPABILITY_NAMED_IAM");
    let group = &props["StackInstancesGroup"][0];
    assert_eq!(group["Regions"][0], "us-east-1");
    assert_eq!(
        group["DeploymentTargets"]["OrganizationalUnitIds"][1],
        "ou-ab12-sandbox99"
    );
    assert_eq!(
        group["DeploymentTargets"]["AccountFilterType"],
        "DIFFERENCE"
    );
    let body: serde_yaml::Value =
        serde_yaml::from_str(props["TemplateBody"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["Resources"]["DoitCloudFlowConnectionRole"]["Type"],
        "AWS::IAM::Role"
    );
    assert!(ous.contains("management account"));

    let root = render(
        Format::StacksetYaml,
        &corpus("organisation-root"),
        &RenderOptions::default(),
    )
    .unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&root).unwrap();
    let targets = &doc["Resources"]["CloudFlowRoleStackSet"]["Properties"]["StackInstancesGroup"]
        [0]["DeploymentTargets"];
    assert_eq!(targets["OrganizationalUnitIds"][0], "r-9z8y7x");

    let err = render(
        Format::StacksetYaml,
        &corpus("single-account"),
        &RenderOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err, RenderError::NotOrganisation);
}

#[test]
fn terraform_uses_only_allow_listed_attributes() {
    for (case, req) in common::corpus() {
        let out = render(Format::Terraform, &req, &RenderOptions::default()).unwrap();
        let body = hcl::parse(&out).unwrap_or_else(|e| panic!("{case}: {e}"));
        let mut seen = 0;
        for block in body.blocks().filter(|b| b.identifier() == "resource") {
            let rtype = block.labels()[0].as_str();
            let allowed = RESOURCE_ATTRIBUTES
                .iter()
                .find(|(t, _)| *t == rtype)
                .unwrap_or_else(|| panic!("{case}: resource type {rtype} not on the allow-list"))
                .1;
            for a in block.body().attributes() {
                assert!(allowed.contains(&a.key()), "{case}: {rtype}.{}", a.key());
            }
            for b in block.body().blocks() {
                assert!(
                    allowed.contains(&b.identifier()),
                    "{case}: {rtype} block {}",
                    b.identifier()
                );
            }
            seen += 1;
        }
        assert_eq!(seen, 4, "{case}");
        let providers = out.contains("version = \"~> 5.0\"");
        assert!(providers, "{case}");
    }
}

#[test]
fn the_allow_list_covers_what_the_role_may_use() {
    let role = RESOURCE_ATTRIBUTES
        .iter()
        .find(|(t, _)| *t == "aws_iam_role")
        .unwrap()
        .1;
    assert!(role.contains(&"path"));
    assert!(!role.contains(&"tags"));
}

#[test]
fn quick_create_and_cli_refuse_parameters_over_4096_bytes() {
    let mut req = corpus("single-account");
    let aws = req.aws_config.as_mut().unwrap();
    aws.permissions.actions = (0..400)
        .map(|i| format!("ec2:DescribeSomething{i:04}"))
        .collect();
    let len = aws.permissions.actions.join(",").len();
    for format in [Format::QuickCreateUrl, Format::Cli] {
        let err = render(format, &req, &RenderOptions::default()).unwrap_err();
        assert_eq!(
            err,
            RenderError::ParameterTooLong {
                param: "AllowedActions".into(),
                bytes: len
            }
        );
        assert!(err.to_string().starts_with(&format!(
            "the AllowedActions parameter would be {} bytes; AWS accepts 4,096",
            text::thousands(len)
        )));
        assert!(err.to_string().contains("download the template instead"));
        assert_eq!(err.field(), "awsConfig.permissions.actions");
    }
    // The templates still carry them.
    for format in [Format::CfnYaml, Format::CfnJson, Format::Terraform] {
        assert!(render(format, &req, &RenderOptions::default()).is_ok());
    }
    // exactly 4,096 bytes still fits
    req.aws_config.as_mut().unwrap().permissions.actions = vec![format!("s3:{}", "A".repeat(4093))];
    assert!(render(Format::QuickCreateUrl, &req, &RenderOptions::default()).is_ok());
    req.aws_config.as_mut().unwrap().permissions.actions = vec![format!("s3:{}", "A".repeat(4094))];
    assert!(render(Format::QuickCreateUrl, &req, &RenderOptions::default()).is_err());
}

#[test]
fn quick_create_refuses_template_urls_over_1024_chars() {
    let req = corpus("single-account");
    let opts = RenderOptions {
        template_url: format!("https://example.com/{}", "a".repeat(1005)),
        ..RenderOptions::default()
    };
    assert_eq!(opts.template_url.len(), 1025);
    let err = render(Format::QuickCreateUrl, &req, &opts).unwrap_err();
    assert_eq!(err, RenderError::TemplateUrlTooLong { len: 1025 });
    assert!(render(Format::Cli, &req, &opts).is_err());
    let ok = RenderOptions {
        template_url: format!("https://example.com/{}", "a".repeat(1004)),
        ..RenderOptions::default()
    };
    let url = render(Format::QuickCreateUrl, &req, &ok).unwrap();
    assert!(url.contains("templateURL=https%3A%2F%2Fexample.com%2Faaaa"));
}

#[test]
fn quick_create_encodes_every_special_character() {
    let mut req = corpus("hostile-texts");
    req.aws_config
        .as_mut()
        .unwrap()
        .permissions
        .aws_managed_policies = vec![
        "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess".into(),
    ];
    let opts = RenderOptions {
        external_id: Some("a+b=c,d@e.f_g-h".into()),
        ..RenderOptions::default()
    };
    let url = render(Format::QuickCreateUrl, &req, &opts).unwrap();
    assert!(
        url.contains("&param_RoleName=Doit%2BCloudFlow%3DRole%2Cv1.2%40team_a-b&"),
        "{url}"
    );
    assert!(
        url.contains("&param_ExternalId=a%2Bb%3Dc%2Cd%40e.f_g-h&"),
        "{url}"
    );
    assert!(url.contains("ReadOnlyAccess%2Carn%3Aaws"), "{url}");
    let query = url
        .trim_end()
        .split_once("#/stacks/quickcreate?")
        .unwrap()
        .1;
    assert!(query
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~%=&".contains(&b)));
}

#[test]
fn quick_create_and_cli_leave_the_external_id_to_the_person_when_unknown() {
    let req = corpus("single-account");
    let url = render(Format::QuickCreateUrl, &req, &RenderOptions::default()).unwrap();
    assert!(!url.contains("param_ExternalId"));
    let cli = render(Format::Cli, &req, &RenderOptions::default()).unwrap();
    assert!(cli.contains(": \"${EXTERNAL_ID:?"));
}

#[test]
fn the_cli_script_refuses_an_external_id_doits_template_would() {
    let req = corpus("single-account");
    let script = render(Format::Cli, &req, &RenderOptions::default()).unwrap();
    let stub = "aws() { echo created; }\n";
    let run = |ext: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{stub}{script}"))
            .env("EXTERNAL_ID", ext)
            .output()
            .unwrap()
    };
    let ok = run("doit-cf-abc+=,.@_-");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for bad in ["tenant:abc", "a/b", "a b", "x'y"] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(out.stdout.is_empty(), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("EXTERNAL_ID may hold only"));
    }
    let unset = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{stub}{script}"))
        .env_remove("EXTERNAL_ID")
        .output()
        .unwrap();
    assert!(!unset.status.success());
    assert!(unset.stdout.is_empty());
}

#[test]
fn cli_runs_in_a_real_shell_with_every_value_intact() {
    let mut req = corpus("hostile-texts");
    req.aws_config.as_mut().unwrap().role_name = "it's-a \"role\" $(rm -rf /) `x` \\".into();
    req.aws_config.as_mut().unwrap().permissions.actions = vec!["EXTERNAL_ID".into()];
    let opts = RenderOptions {
        external_id: Some("ext,id=1".into()),
        ..RenderOptions::default()
    };
    let script = render(Format::Cli, &req, &opts).unwrap();
    let stub = "aws() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }\n";
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{stub}{script}"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let args: Vec<&str> = text.split('\0').filter(|s| !s.is_empty()).collect();
    let at = args.iter().position(|a| *a == "--parameters").unwrap();
    let params: serde_json::Value = serde_json::from_str(args[at + 1]).unwrap();
    assert_eq!(
        params[0]["ParameterValue"],
        "it's-a \"role\" $(rm -rf /) `x` \\"
    );
    assert_eq!(params[2]["ParameterKey"], "ExternalId");
    assert_eq!(params[2]["ParameterValue"], "ext,id=1");
    assert_eq!(params[4]["ParameterValue"], "EXTERNAL_ID");
    assert!(args.contains(&"CAPABILITY_NAMED_IAM"));
    let region = args.iter().position(|a| *a == "--region").unwrap();
    assert_eq!(args[region + 1], "us-east-1");
}

#[test]
fn inline_policy_size_checked_by_validation() {
    let mut req = corpus("single-account");
    req.aws_config.as_mut().unwrap().permissions.actions = (0..500)
        .map(|i| format!("ec2:DescribeSomethingLong{i:04}"))
        .collect();
    let report = validate(&req, None);
    assert!(report
        .for_field("awsConfig.permissions.actions")
        .any(|p| p.message.contains("10240")));
}
