//! The `cloudflow-render` command: exit codes, stdout/stderr contract, options.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cloudflow-render"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run cloudflow-render")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn corpus(name: &str) -> String {
    common::corpus_dir()
        .join(format!("{name}.json"))
        .to_string_lossy()
        .into_owned()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn renders_every_format_and_only_the_artefact_goes_to_stdout() {
    for format in [
        "cfn-yaml",
        "cfn-json",
        "stackset-yaml",
        "terraform",
        "terraform-module",
        "quick-create-url",
        "cli",
    ] {
        let out = run(&[
            "--format",
            format,
            "--external-id",
            "abc-123",
            &corpus("organisation-ous"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            text(&out.stderr)
        );
        let stdout = text(&out.stdout);
        let lib = cloudflow_core::render(
            format.parse().unwrap(),
            &serde_json::from_str(&std::fs::read_to_string(corpus("organisation-ous")).unwrap())
                .unwrap(),
            &cloudflow_core::RenderOptions {
                external_id: Some("abc-123".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(stdout, lib, "{format}");
        assert!(
            text(&out.stderr).is_empty(),
            "{format}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn default_format_is_cfn_yaml_and_stdin_works() {
    let json = std::fs::read_to_string(corpus("single-account")).unwrap();
    let out = run_stdin(&["--external-id=abc-123", "-"], &json);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("AWSTemplateFormatVersion: '2010-09-09'"));
}

#[test]
fn warnings_are_prefixed_and_do_not_block() {
    let out = run(&["--format", "cfn-json", &corpus("many-permissions")]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(
        stderr.lines().any(|l| l
            .starts_with("warning: awsConfig.permissions.awsManagedPolicies: 25 managed policies")),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("warning: externalId: ")),
        "{stderr}"
    );
    assert!(
        stderr.lines().all(|l| l.starts_with("warning: ")),
        "{stderr}"
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
}

#[test]
fn invalid_request_exits_2_naming_every_field_with_nothing_on_stdout() {
    let bad = r#"{"name": "", "awsConfig": {"roleName": "bad role",
        "context": [{"accountId": "12345", "regions": ["eu-wset-1"]}, {"accountId": "12345"}],
        "permissions": {"actions": ["s3:GetObject", "nonsense", "s3:getobject", "iam:PassRole"],
                        "awsManagedPolicies": ["arn:aws:iam::aws:policy/NoSuchPolicyAtAll"]}},
        "collaborators": [{"email": "x", "role": "boss"}]}"#;
    let out = run_stdin(&["--format", "terraform", "-"], bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    for expected in [
        "name: is required",
        "awsConfig.roleName: must not contain spaces (only letters, digits and + = , . @ _ - are allowed)",
        "awsConfig.context[0].accountId: must be 12 digits",
        "awsConfig.context[1].accountId: must be 12 digits",
        "awsConfig.context[0].regions[0]: is not an AWS region; did you mean eu-west-1?",
        "awsConfig.permissions.actions[2]: already listed in row 1",
        "awsConfig.permissions.awsManagedPolicies[0]: is not an AWS managed policy",
        "collaborators[0].role: must be owner, editor or user",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(expected)), "missing {expected:?} in\n{stderr}");
    }
    assert!(lines
        .iter()
        .any(|l| l.starts_with("awsConfig.permissions.actions[1]: must be service:Action")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("collaborators[0].email: ")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("warning: awsConfig.permissions.actions[3]: iam:PassRole")));
    // errors first, then warnings
    let first_warning = lines
        .iter()
        .position(|l| l.starts_with("warning: "))
        .unwrap();
    assert!(lines[first_warning..]
        .iter()
        .all(|l| l.starts_with("warning: ")));
}

#[test]
fn check_validates_only() {
    let out = run(&["--check", &corpus("single-account")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let out = run_stdin(&["--check", "-"], r#"{"name": "x"}"#);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "awsConfig: is required\n");
}

#[test]
fn bad_json_exits_1_with_line_and_column() {
    let out = run_stdin(&["-"], "{\n  \"name\": \"x\",\n  \"awsConfig\": [}\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("-: invalid JSON at line 3, column "),
        "{stderr}"
    );
    let out = run_stdin(&["-"], r#"{"name": 5}"#);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("line 1, column"));
}

#[test]
fn unreadable_file_and_usage_errors_exit_1() {
    let out = run(&["/nonexistent/request.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("/nonexistent/request.json: cannot read"));
    for args in [
        &["--format", "yaml", "x.json"][..],
        &["--bogus", "x.json"],
        &[],
        &["a.json", "b.json"],
        &["--format"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains("usage: cloudflow-render"),
            "{args:?}"
        );
    }
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.starts_with("usage: cloudflow-render"));
    for needle in [
        "terraform-module",
        "DoiT's",
        "quick-create link",
        "Terraform module",
    ] {
        assert!(help.contains(needle), "{needle}");
    }
}

#[test]
fn an_external_id_doits_template_refuses_is_refused_naming_the_option() {
    for bad in ["tenant:abc123/conn_42", "", "a b"] {
        for format in [
            "cfn-yaml",
            "terraform",
            "terraform-module",
            "quick-create-url",
            "cli",
        ] {
            let out = run(&[
                "--format",
                format,
                "--external-id",
                bad,
                &corpus("single-account"),
            ]);
            assert_eq!(out.status.code(), Some(2), "{bad} {format}");
            assert!(out.stdout.is_empty());
            let stderr = text(&out.stderr);
            assert!(
                stderr
                    .lines()
                    .any(|l| l.starts_with("externalId: --external-id ")),
                "{stderr}"
            );
        }
    }
    let out = run(&["--external-id", "tenant:abc", &corpus("single-account")]);
    assert_eq!(
        text(&out.stderr),
        "externalId: --external-id must not contain \":\" (only letters, digits and + = , . @ _ - are allowed)\n"
    );
    let long = "a".repeat(1224);
    let out = run(&["--external-id", &long, &corpus("single-account")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn options_are_validated_and_applied() {
    let out = run(&[
        "--external-id",
        "has space",
        "--trusted-account",
        "123",
        &corpus("single-account"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("externalId: --external-id must not contain spaces"),
        "{stderr}"
    );
    assert!(
        stderr.contains("trustedAccountId: --trusted-account must be 12 digits"),
        "{stderr}"
    );

    let out = run(&[
        "--format",
        "quick-create-url",
        "--trusted-account",
        "111122223333",
        "--template-url",
        "https://example-bucket.s3.us-east-1.amazonaws.com/role.yml",
        "--external-id",
        "ext-1",
        &corpus("single-account"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let url = text(&out.stdout);
    assert!(url.contains("param_TrustedAccountId=111122223333"));
    assert!(url.contains(
        "templateURL=https%3A%2F%2Fexample-bucket.s3.us-east-1.amazonaws.com%2Frole.yml"
    ));
}

#[test]
fn render_refusals_exit_2_with_the_field() {
    let mut req: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus("single-account")).unwrap()).unwrap();
    let actions: Vec<String> = (0..300).map(|i| format!("ec2:Describe{i:03}*")).collect();
    req["awsConfig"]["permissions"]["actions"] = serde_json::json!(actions);
    let out = run_stdin(
        &[
            "--format",
            "quick-create-url",
            "--external-id",
            "ext-1",
            "-",
        ],
        &req.to_string(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).lines().any(|l| l
        .starts_with("awsConfig.permissions.actions: the AllowedActions parameter would be ")
        && l.ends_with("download the template instead (it holds every value)")));

    let out = run(&["--format", "stackset-yaml", &corpus("single-account")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr)
        .contains("awsConfig.organizationRootId: a StackSet needs an organisation scope"));
}

#[test]
fn previous_prints_the_change_and_the_script_that_applies_it() {
    let old = corpus("multi-account");
    let mut edit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    let actions = edit["awsConfig"]["permissions"]["actions"]
        .as_array_mut()
        .unwrap();
    actions.push("s3:ListBucket".into());
    let context = edit["awsConfig"]["context"].as_array_mut().unwrap();
    let removed = context.remove(0)["accountId"].as_str().unwrap().to_owned();
    let edit = edit.to_string();

    let out = run_stdin(&["--previous", &old, "--format", "summary", "-"], &edit);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(
        summary.contains("Action added: s3:ListBucket (List)"),
        "{summary}"
    );
    assert!(summary.contains(&format!("Account removed: {removed}: delete its stack")));

    let out = run_stdin(
        &["--previous", &old, "--external-id", "doit-ext-1", "-"],
        &edit,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert!(plan.starts_with("#!/bin/sh\n"));
    assert!(plan.contains("#   Action added: s3:ListBucket (List)"));
    assert!(plan.contains(&format!(
        "  {removed})\n    aws cloudformation delete-stack"
    )));
    let check = Command::new("sh")
        .args(["-n", "-c", &plan])
        .output()
        .unwrap();
    assert!(check.status.success());

    let out = run_stdin(
        &[
            "--previous",
            &old,
            "--format",
            "change-set-cli",
            "--external-id",
            "doit-ext-1",
            "-",
        ],
        &edit,
    );
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("create-change-set"));

    // The edit is validated as any request; the summary formats need --previous.
    let out = run(&["--format", "summary", &old]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("need --previous"));
    let bad = edit.replace("s3:ListBucket", "s3 list");
    let out = run_stdin(&["--previous", &old, "-"], &bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
