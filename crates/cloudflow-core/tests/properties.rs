//! Property tests: whatever a person types, every artefact parses back to the same values (the
//! person's texts verbatim), has the resources and interface of DoiT's template and module,
//! rendering is deterministic, and no input makes validation or rendering panic.

mod common;

use std::sync::OnceLock;

use cloudflow_core::render::text::{substitution_lookalikes, template_description};
use cloudflow_core::{
    render, validate, AccountContext, AwsConfig, Catalogs, Collaborator, CreateConnectionRequest,
    Format, Permissions, RenderOptions,
};
use common::doit;
use proptest::prelude::*;

fn catalogs() -> &'static Catalogs {
    static C: OnceLock<Catalogs> = OnceLock::new();
    C.get_or_init(common::catalogs)
}

/// Pieces of text that break naive generators, plus arbitrary characters.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,12}",
        1 => Just("\"".to_string()),
        1 => Just("'".to_string()),
        1 => Just(":".to_string()),
        1 => Just(": ".to_string()),
        1 => Just(" #".to_string()),
        1 => Just("${".to_string()),
        1 => Just("${AWS::Region}".to_string()),
        1 => Just("${RoleName}".to_string()),
        1 => Just("${DoitCloudFlowConnectionRole.Arn}".to_string()),
        1 => Just("${!".to_string()),
        1 => Just("%{".to_string()),
        1 => Just("$${".to_string()),
        1 => Just("\\".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\t".to_string()),
        1 => Just("  ".to_string()),
        1 => Just("- ".to_string()),
        1 => Just("---".to_string()),
        1 => Just("yes".to_string()),
        1 => Just("2010-09-09".to_string()),
        1 => Just("12:30".to_string()),
        1 => Just("日本語".to_string()),
        1 => Just("Ελλάδα".to_string()),
        1 => Just("עברית".to_string()),
        1 => Just("🚀👩🏽‍💻".to_string()),
        1 => Just("\u{85}\u{2028}\u{feff}\u{0}\u{7f}".to_string()),
        2 => any::<char>().prop_map(String::from),
    ]
}

fn text(max_fragments: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..max_fragments).prop_map(|v| v.concat())
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        text(40).prop_map(|t| format!("N{}", truncate(&t, 199))),
        // very long texts: 200 characters after a long prefix
        "[a-z]{1,3}".prop_map(|p| p.repeat(200).chars().take(200).collect()),
    ]
}

fn description() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        4 => text(120).prop_map(|t| Some(truncate(&t, 2000))),
        1 => text(10).prop_map(|t| Some(truncate(&t.repeat(400), 2000))),
    ]
}

fn action() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("s3:GetObject".to_string()),
        Just("ec2:Describe*".to_string()),
        Just("iam:*AccessKey*".to_string()),
        Just("logs:Get?ogEvents".to_string()),
        "[a-z0-9]{2,10}:[A-Za-z][A-Za-z0-9]{0,20}",
    ]
}

/// A few actions, or now and then more than a 4,096-byte parameter holds (the inline policy
/// still fits IAM's 10,240 characters).
fn actions() -> impl Strategy<Value = std::collections::BTreeSet<String>> {
    prop_oneof![
        4 => prop::collection::btree_set(action(), 0..20),
        1 => (150usize..250).prop_map(|n| {
            (0..n)
                .map(|i| format!("ec2:DescribeGeneratedThing{i:04}"))
                .collect()
        }),
    ]
}

fn request() -> impl Strategy<Value = CreateConnectionRequest> {
    (
        name(),
        description(),
        "[A-Za-z0-9+=,.@_-]{1,64}",
        prop::collection::btree_set("[0-9]{12}", 1..6),
        actions(),
        prop::collection::btree_set(
            "(ReadOnlyAccess|SecurityAudit|job-function/ViewOnlyAccess|[A-Z][A-Za-z0-9]{1,30})",
            0..8,
        ),
        any::<bool>(),
    )
        .prop_map(
            |(name, description, role, accounts, actions, policies, org)| CreateConnectionRequest {
                name,
                description,
                aws_config: Some(AwsConfig {
                    role_name: role,
                    context: accounts
                        .into_iter()
                        .map(|a| AccountContext {
                            account_id: a,
                            regions: vec!["us-east-1".into()],
                        })
                        .collect(),
                    permissions: Permissions {
                        aws_managed_policies: policies
                            .into_iter()
                            .map(|p| format!("arn:aws:iam::aws:policy/{p}"))
                            .collect(),
                        // case-insensitive duplicates are errors: keep one spelling
                        actions: dedup_ci(actions.into_iter().collect()),
                    },
                    organization_root_id: org.then(|| "r-ab12".to_string()),
                    ..AwsConfig::default()
                }),
                collaborators: vec![Collaborator {
                    email: "ada@example.com".into(),
                    role: "owner".into(),
                }],
                ..CreateConnectionRequest::default()
            },
        )
}

fn dedup_ci(v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.into_iter()
        .filter(|a| seen.insert(a.to_ascii_lowercase()))
        .collect()
}

fn yaml_str<'a>(v: &'a serde_yaml::Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("{path:?} is not a string: {cur:?}"))
}

/// The person's texts are kept verbatim (CloudFormation substitutes `${...}` only inside
/// `Fn::Sub`, which they never reach), and what goes where AWS restricts characters fits.
fn check_cfn_texts(doc: &serde_yaml::Value, req: &CreateConnectionRequest, has_role: bool) {
    assert_eq!(
        yaml_str(doc, &["Metadata", "DoitCloudFlow", "ConnectionName"]),
        req.name
    );
    if let Some(d) = &req.description {
        assert_eq!(
            yaml_str(doc, &["Metadata", "DoitCloudFlow", "ConnectionDescription"]),
            *d
        );
    }
    // Every `${Name}` of those texts is declared literal for cfn-lint (E1029), and only then.
    let texts = [req.name.as_str(), yaml_str(doc, &["Description"])]
        .into_iter()
        .chain(req.description.as_deref());
    let lookalikes = substitution_lookalikes(texts);
    let excludes = doc["Metadata"]["cfn-lint"]["config"]["configure_rules"]["E1029"]
        ["custom_excludes"]
        .as_str();
    match excludes {
        None => assert!(lookalikes.is_empty(), "{lookalikes:?}"),
        Some(pattern) => {
            assert!(!lookalikes.is_empty());
            for name in &lookalikes {
                let escaped = name.replace('.', "\\.");
                assert!(
                    pattern.contains(&format!("|{escaped}|"))
                        || pattern.contains(&format!("(?:{escaped}|"))
                        || pattern.contains(&format!("|{escaped})"))
                        || pattern.contains(&format!("(?:{escaped})")),
                    "{name} not in {pattern}"
                );
            }
        }
    }
    let aws = req.aws_config.as_ref().unwrap();
    assert_eq!(
        yaml_str(doc, &["Parameters", "RoleName", "Default"]),
        aws.role_name
    );
    if !has_role {
        return;
    }
    // The template's description: the name as IAM descriptions allow it, not escaped.
    assert_eq!(
        yaml_str(doc, &["Description"]),
        template_description(&format!(
            "IAM role for the DoiT CloudFlow connection {}",
            req.name.trim()
        ))
    );
    assert_eq!(
        yaml_str(
            doc,
            &[
                "Resources",
                "DoitCloudFlowConnectionRole",
                "Properties",
                "Description"
            ]
        ),
        "Role for DoiT CloudFlow connection"
    );
}

/// Cases per property: 200 by default; the extended mode sets
/// `CLOUDFLOW_PROPTEST_CASES=100000` (see README, "Reliability and security").
fn cases() -> u32 {
    std::env::var("CLOUDFLOW_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn valid_requests_render_documents_that_read_back(
        req in request(),
        ext in proptest::option::weighted(0.8, "[A-Za-z0-9+=,.@_-]{1,40}"),
    ) {
        let report = validate(&req, None);
        prop_assert!(!report.has_errors(), "{:?}", report.problems);
        let opts = RenderOptions { external_id: ext.clone(), ..RenderOptions::default() };

        let yaml = render(Format::CfnYaml, &req, &opts).unwrap();
        let doc: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        check_cfn_texts(&doc, &req, true);
        doit::assert_template_is_doits(&doit::long_form(&doc), &req, ext.as_deref());

        let json = render(Format::CfnJson, &req, &opts).unwrap();
        let doc: serde_yaml::Value = serde_json::from_str(&json).unwrap();
        check_cfn_texts(&doc, &req, true);
        doit::assert_template_is_doits(&doit::long_form(&doc), &req, ext.as_deref());

        if req.is_organisation_scope() {
            let ss = render(Format::StacksetYaml, &req, &opts).unwrap();
            let doc: serde_yaml::Value = serde_yaml::from_str(&ss).unwrap();
            check_cfn_texts(&doc, &req, false);
            let body = yaml_str(&doc, &["Resources", "CloudFlowRoleStackSet", "Properties", "TemplateBody"]);
            let inner: serde_yaml::Value = serde_yaml::from_str(body).unwrap();
            check_cfn_texts(&inner, &req, true);
            doit::assert_template_is_doits(&doit::long_form(&inner), &req, ext.as_deref());
        }

        let tf = render(Format::Terraform, &req, &opts).unwrap();
        let body = hcl::parse(&tf).unwrap();
        let lit = |ident: &str, labels: &[&str], key: &str| {
            common::hcl_block_attr(&body, ident, labels, key).and_then(common::hcl_literal)
        };
        prop_assert_eq!(lit("locals", &[], "connection_name"), Some(req.name.clone()));
        prop_assert_eq!(lit("locals", &[], "connection_description"), req.description.clone());
        let aws = req.aws_config.as_ref().unwrap();
        prop_assert_eq!(lit("variable", &["role_name"], "default"), Some(aws.role_name.clone()));
        prop_assert_eq!(lit("variable", &["external_id"], "default"), ext.clone());
        doit::assert_terraform_is_doits(&tf, &req, ext.as_deref());

        let module = render(Format::TerraformModule, &req, &opts).unwrap();
        let body = hcl::parse(&module).unwrap();
        let lit = |ident: &str, labels: &[&str], key: &str| {
            common::hcl_block_attr(&body, ident, labels, key).and_then(common::hcl_literal)
        };
        prop_assert_eq!(lit("locals", &[], "connection_name"), Some(req.name.clone()));
        prop_assert_eq!(lit("locals", &[], "connection_description"), req.description.clone());
        doit::assert_module_form(&module, &req, ext.as_deref());

        if let Ok(url) = render(Format::QuickCreateUrl, &req, &opts) {
            let query = url.trim_end().split_once("#/stacks/quickcreate?").unwrap().1;
            let params: Vec<(&str, String)> = query
                .split('&')
                .map(|kv| kv.split_once('=').unwrap())
                .map(|(k, v)| (k, percent_decode(v)))
                .collect();
            prop_assert!(params.contains(&("param_RoleName", aws.role_name.clone())));
            let external = params.iter().find(|(k, _)| *k == "param_ExternalId").map(|(_, v)| v.clone());
            prop_assert_eq!(external, ext.clone());
            prop_assert!(params.contains(&("param_AllowedActions", aws.permissions.actions.join(","))));
        } else {
            prop_assert!(aws.permissions.actions.join(",").len() > 4096);
        }

        for format in Format::ALL {
            let a = render(format, &req, &opts);
            prop_assert_eq!(&a, &render(format, &req, &opts));
            if let Ok(a) = a {
                prop_assert!(a.ends_with('\n'));
            }
        }
    }

    #[test]
    fn arbitrary_input_never_panics(
        name in any::<String>(),
        description in proptest::option::of(any::<String>()),
        role in any::<String>(),
        accounts in prop::collection::vec((any::<String>(), prop::collection::vec(any::<String>(), 0..3)), 0..4),
        actions in prop::collection::vec(prop_oneof![any::<String>(), action()], 0..6),
        policies in prop::collection::vec(any::<String>(), 0..4),
        ous in prop::collection::vec(any::<String>(), 0..3),
        root in proptest::option::of(any::<String>()),
        emails in prop::collection::vec((any::<String>(), any::<String>()), 0..3),
        ext in proptest::option::of(any::<String>()),
        url in any::<String>(),
        trusted in any::<String>(),
    ) {
        let req = CreateConnectionRequest {
            name,
            description,
            aws_config: Some(AwsConfig {
                role_name: role,
                context: accounts.into_iter().map(|(account_id, regions)| AccountContext { account_id, regions }).collect(),
                permissions: Permissions { aws_managed_policies: policies, actions },
                organization_root_id: root,
                scope_targeted_organizational_unit_ids: ous,
                management_account: Some(String::new()),
                ..AwsConfig::default()
            }),
            collaborators: emails.into_iter().map(|(email, role)| Collaborator { email, role }).collect(),
            ..CreateConnectionRequest::default()
        };
        let _ = validate(&req, Some(catalogs()));
        let _ = validate(&req, None);
        let opts = RenderOptions { external_id: ext, template_url: url, trusted_account_id: trusted, ..RenderOptions::default() };
        for format in Format::ALL {
            if let Ok(out) = render(format, &req, &opts) {
                prop_assert!(out.ends_with('\n'));
                match format {
                    Format::CfnYaml | Format::StacksetYaml => {
                        prop_assert!(serde_yaml::from_str::<serde_yaml::Value>(&out).is_ok(), "{out}");
                    }
                    Format::CfnJson => prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok()),
                    Format::Terraform | Format::TerraformModule => prop_assert!(hcl::parse(&out).is_ok(), "{out}"),
                    _ => {}
                }
            }
        }
        let empty = CreateConnectionRequest::default();
        for format in Format::ALL {
            let _ = render(format, &empty, &RenderOptions::default());
        }
    }
}
