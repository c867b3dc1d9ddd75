//! The commands that apply an edit, run in a real shell with `aws` stubbed: they parse
//! (`sh -n`), carry the stack name, the capability and the edited parameters, and the plan does
//! the right thing in each account (and nothing in an account it does not name).

use cloudflow_core::render::{change_set_cli, delete_cli, update_cli, update_plan, STACK_NAME};
use cloudflow_core::{ChangeSummary, CreateConnectionRequest, RenderOptions};

fn corpus(name: &str) -> CreateConnectionRequest {
    let path = format!("{}/tests/corpus/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn opts() -> RenderOptions {
    RenderOptions {
        external_id: Some("doit-ext,id=1".into()),
        ..RenderOptions::default()
    }
}

fn parses(script: &str) {
    let out = std::process::Command::new("sh")
        .arg("-n")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sh -n: {}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `script` with `aws` printing one call per line (its arguments NUL-separated), `sts`
/// answering `caller`. Returns (success, the calls).
fn run(script: &str, args: &[&str], caller: &str) -> (bool, Vec<Vec<String>>) {
    let stub = format!(
        "aws() {{ if [ \"$1\" = sts ]; then echo {caller}; return; fi; for a in \"$@\"; do printf '%s\\0' \"$a\"; done; echo; }}\n"
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{stub}{script}"))
        .arg("plan")
        .args(args)
        .output()
        .unwrap();
    let calls = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains('\0'))
        .map(|l| {
            l.split('\0')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    (out.status.success(), calls)
}

fn param(call: &[String], key: &str) -> Option<String> {
    let at = call.iter().position(|a| a == "--parameters")?;
    let params: serde_json::Value = serde_json::from_str(&call[at + 1]).unwrap();
    params
        .as_array()?
        .iter()
        .find(|p| p["ParameterKey"] == key)
        .map(|p| p["ParameterValue"].as_str().unwrap().to_owned())
}

#[test]
fn update_and_change_set_carry_the_edited_parameters() {
    let mut req = corpus("multi-account");
    req.aws_config.as_mut().unwrap().permissions.actions =
        vec!["s3:GetObject".into(), "s3:ListBucket".into()];
    for script in [
        update_cli(&req, &opts()).unwrap(),
        change_set_cli(&req, &opts()).unwrap(),
        delete_cli("000123456789"),
    ] {
        parses(&script);
    }
    let (ok, calls) = run(&update_cli(&req, &opts()).unwrap(), &[], "0");
    assert!(ok);
    let call = &calls[0];
    assert_eq!(&call[..2], ["cloudformation", "update-stack"]);
    assert!(call.contains(&STACK_NAME.to_owned()));
    assert!(call.contains(&"CAPABILITY_NAMED_IAM".to_owned()));
    assert_eq!(
        param(call, "AllowedActions").as_deref(),
        Some("s3:GetObject,s3:ListBucket")
    );
    assert_eq!(param(call, "ExternalId").as_deref(), Some("doit-ext,id=1"));
    assert_eq!(
        param(call, "RoleName"),
        Some(req.aws_config.as_ref().unwrap().role_name.clone())
    );

    let (ok, calls) = run(&change_set_cli(&req, &opts()).unwrap(), &[], "0");
    assert!(ok);
    let verbs: Vec<&str> = calls.iter().map(|c| c[1].as_str()).collect();
    assert_eq!(verbs, ["create-change-set", "wait", "describe-change-set"]);
    assert!(calls[0].contains(&"UPDATE".to_owned()));
    assert_eq!(
        param(&calls[0], "AllowedActions").as_deref(),
        Some("s3:GetObject,s3:ListBucket")
    );

    let (ok, calls) = run(&delete_cli("000123456789"), &[], "0");
    assert!(ok);
    assert_eq!(&calls[0][..2], ["cloudformation", "delete-stack"]);
    assert_eq!(calls[1][1], "wait");
}

#[test]
fn the_plan_creates_updates_deletes_or_leaves_each_account() {
    let old = corpus("multi-account");
    let mut new = old.clone();
    let aws = new.aws_config.as_mut().unwrap();
    let removed = aws.context.remove(0).account_id;
    let kept = aws.context[0].account_id.clone();
    aws.context.push(cloudflow_core::AccountContext {
        account_id: "999988887777".into(),
        regions: vec![],
    });
    aws.permissions.actions.push("s3:ListBucket".into());
    let summary = ChangeSummary::between(&old, &new).to_text(None);
    let plan = update_plan(&old, &new, &opts(), &summary).unwrap();
    parses(&plan);

    let (ok, calls) = run(&plan, &[&kept], &kept);
    assert!(ok, "{plan}");
    assert_eq!(calls[0][1], "update-stack");
    assert!(param(&calls[0], "AllowedActions")
        .unwrap()
        .ends_with("s3:ListBucket"));
    let (ok, calls) = run(&plan, &["999988887777"], "999988887777");
    assert!(ok);
    assert_eq!(calls[0][1], "create-stack");
    let (ok, calls) = run(&plan, &[&removed], &removed);
    assert!(ok);
    assert_eq!(calls[0][1], "delete-stack");
    // Credentials of another account, an account the connection never had, no account: nothing runs.
    let (ok, calls) = run(&plan, &[&kept], "111111111111");
    assert!(!ok && calls.is_empty());
    let (ok, calls) = run(&plan, &["123123123123"], "123123123123");
    assert!(!ok && calls.is_empty());
    let (ok, calls) = run(&plan, &[], &kept);
    assert!(!ok && calls.is_empty());

    // A change DoiT alone sees (a new name): no stack changes anywhere.
    let mut renamed = old.clone();
    renamed.name = "Renamed".into();
    let plan = update_plan(&old, &renamed, &opts(), "").unwrap();
    parses(&plan);
    let (ok, calls) = run(&plan, &[&kept], &kept);
    assert!(ok && calls.is_empty());
}
