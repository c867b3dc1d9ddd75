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
            let Ok(a) = render(format, &req, &opts) else {
                assert_eq!(format, Format::StacksetYaml, "{case} {format}");
                assert!(!req.is_organisation_scope());
                continue;
            };
            assert!(a.ends_with('\n') && !a.ends_with("\n\n"), "{case} {format}");
            assert_eq!(a, render(format, &req, &opts).unwrap(), "{case} {format}");
        }
    }
}

#[test]
fn cfn_json_has_doits_interface() {
    let req = corpus("multi-account");
    let out = render(Format::CfnJson, &req, &RenderOptions::default()).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let params = doc["Parameters"].as_object().unwrap();
    let names: Vec<&str> = params.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "ExternalId",
            "AllowedActions",
            "ManagedPolicyArns",
            "RoleName",
            "TrustedAccountId"
        ]
        .iter()
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    assert_eq!(params["TrustedAccountId"]["Default"], "068664126052");
    assert_eq!(params["ManagedPolicyArns"]["Type"], "CommaDelimitedList");
    let role = &doc["Resources"]["CloudFlowRole"];
    assert_eq!(role["Type"], "AWS::IAM::Role");
    let stmt = &role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(
        stmt["Principal"]["AWS"]["Fn::Sub"],
        "arn:${AWS::Partition}:iam::${TrustedAccountId}:root"
    );
    assert_eq!(
        stmt["Condition"]["StringEquals"]["sts:ExternalId"]["Ref"],
        "ExternalId"
    );
    let base = &role["Properties"]["Policies"][0];
    assert_eq!(base["PolicyName"], "DoitCloudFlowConnectionBasePolicy");
    let base_text = base.to_string();
    for a in [
        "iam:ListAttachedRolePolicies",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "ec2:DescribeRegions",
    ] {
        assert!(base_text.contains(a), "{a}");
    }
    assert_eq!(
        doc["Resources"]["CloudFlowCustomPolicy"]["Properties"]["PolicyName"],
        "CloudFlowConnectionRoleCustomPolicy"
    );
    assert_eq!(
        doc["Resources"]["CloudFlowCustomPolicy"]["Condition"],
        "HasAllowedActions"
    );
    assert_eq!(
        doc["Outputs"]["RoleArn"]["Value"]["Fn::GetAtt"][0],
        "CloudFlowRole"
    );
    let rule = &doc["Rules"]["StackInUsEast1"]["Assertions"][0]["Assert"]["Fn::Equals"];
    assert_eq!(rule[0]["Ref"], "AWS::Region");
    assert_eq!(rule[1], "us-east-1");
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
    assert_eq!(body["Resources"]["CloudFlowRole"]["Type"], "AWS::IAM::Role");
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
        for needle in [
            "output \"role_arn\"",
            "output \"role_name\"",
            "variable \"trusted_account_id\"",
            "variable \"external_id\"",
        ] {
            assert!(out.contains(needle), "{case}: {needle}");
        }
    }
}

#[test]
fn quick_create_refuses_parameters_over_4096_bytes() {
    let mut req = corpus("single-account");
    let aws = req.aws_config.as_mut().unwrap();
    aws.permissions.actions = (0..400)
        .map(|i| format!("ec2:DescribeSomething{i:04}"))
        .collect();
    let len = aws.permissions.actions.join(",").len();
    let err = render(Format::QuickCreateUrl, &req, &RenderOptions::default()).unwrap_err();
    assert_eq!(
        err,
        RenderError::ParameterTooLong {
            param: "param_AllowedActions".into(),
            bytes: len
        }
    );
    assert!(err.to_string().starts_with(&format!(
        "param_AllowedActions is {} bytes; AWS accepts 4,096",
        text::thousands(len)
    )));
    assert_eq!(err.field(), "awsConfig.permissions.actions");
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
        external_id: Some("a+b=c,d@e:f/g".into()),
        ..RenderOptions::default()
    };
    let url = render(Format::QuickCreateUrl, &req, &opts).unwrap();
    assert!(
        url.contains("&param_RoleName=Doit%2BCloudFlow%3DRole%2Cv1.2%40team_a-b&"),
        "{url}"
    );
    assert!(
        url.contains("&param_ExternalId=a%2Bb%3Dc%2Cd%40e%3Af%2Fg&"),
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
    assert!(!cli.contains("REPLACE-WITH"));
}

#[test]
fn cli_runs_in_a_real_shell_with_every_value_intact() {
    let mut req = corpus("hostile-texts");
    req.aws_config.as_mut().unwrap().role_name = "it's-a \"role\" $(rm -rf /) `x` \\".into();
    let opts = RenderOptions {
        external_id: Some("ext'id".into()),
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
    assert_eq!(params[2]["ParameterValue"], "ext'id");
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
