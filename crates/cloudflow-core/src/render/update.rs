//! Applying an edit to the stacks already deployed: `update-stack`, a change set to review
//! first, `delete-stack` for removed accounts, and one script that does the right one in
//! whichever account it runs in.

use super::link::{
    check_template_url, external_id_lines, parameters, stack_arguments, stack_command,
};
use super::{RenderError, RenderOptions, STACK_NAME};
use crate::change::{ChangeSummary, StackStep};
use crate::model::CreateConnectionRequest;
use crate::types::AccountId;

/// `aws cloudformation update-stack` with the edited parameters (same stack, same template).
pub fn update_cli(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    stack_command(
        req,
        opts,
        "Updates the DoiT CloudFlow connection role stack with the AWS CLI (same stack, new parameters).",
        &["aws cloudformation update-stack"],
    )
}

/// The update as a change set: created, described, and left for the person to execute.
pub fn change_set_cli(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    check_template_url(&opts.template_url)?;
    let params = parameters(req, opts)?;
    let external_id = opts.checked_external_id()?;
    let mut out = String::from(
        "#!/bin/sh\n# Reviews the update of the DoiT CloudFlow connection role stack before it is applied:\n# creates a change set, waits for it and prints what it would change. Nothing changes until\n# you execute it (the last line says how). A stack already up to date makes no change set.\nset -eu\n",
    );
    out.push_str(&external_id_lines(external_id.as_ref().map(|e| e.as_str())));
    out.push_str("CHANGE_SET=cloudflow-update-$(date -u +%Y%m%d%H%M%S)\n");
    out.push_str("aws cloudformation create-change-set \\\n");
    out.push_str("  --change-set-name \"$CHANGE_SET\" \\\n");
    out.push_str("  --change-set-type UPDATE \\\n");
    out.push_str(&stack_arguments(&params, &opts.template_url));
    let at =
        format!("--region us-east-1 --stack-name {STACK_NAME} --change-set-name \"$CHANGE_SET\"");
    out.push_str(&format!(
        "aws cloudformation wait change-set-create-complete {at}\n"
    ));
    out.push_str(&format!(
        "aws cloudformation describe-change-set {at} \\\n  --query 'Changes[].ResourceChange.{{Action:Action,Resource:LogicalResourceId,Type:ResourceType,Replacement:Replacement}}' \\\n  --output table\n"
    ));
    out.push_str(&format!(
        "echo \"To apply it: aws cloudformation execute-change-set {}\"\n",
        at.replace('"', "\\\"")
    ));
    Ok(out)
}

/// `aws cloudformation delete-stack` for an account removed from the connection: its role
/// would otherwise keep trusting DoiT.
pub fn delete_cli(account: &str) -> String {
    let mut out = String::from(
        "#!/bin/sh\n# Deletes the DoiT CloudFlow connection role stack (and with it the role DoiT may assume).\n",
    );
    if account.parse::<AccountId>().is_ok() {
        out.push_str(&format!(
            "# Run it with credentials for account {account}.\n"
        ));
    }
    out.push_str("set -eu\n");
    out.push_str(&format!(
        "aws cloudformation delete-stack --region us-east-1 --stack-name {STACK_NAME}\n"
    ));
    out.push_str(&format!(
        "aws cloudformation wait stack-delete-complete --region us-east-1 --stack-name {STACK_NAME}\n"
    ));
    out
}

/// The AWS console's list of stacks, filtered to the connection's stack (to delete or update
/// it by hand).
pub fn stack_console_url(opts: &RenderOptions) -> String {
    format!(
        "{}/cloudformation/home?region=us-east-1#/stacks?filteringText={STACK_NAME}&filteringStatus=active&viewNested=true",
        opts.console_url.trim_end_matches('/')
    )
}

/// One script for the whole edit: run in each account of the old and new connection as
/// `sh cloudflow-update.sh ACCOUNT_ID`, it checks that the credentials are that account's and
/// creates, updates or deletes the stack there, or says there is nothing to do. The summary of
/// the change heads it as comments.
pub fn update_plan(
    old: &CreateConnectionRequest,
    new: &CreateConnectionRequest,
    opts: &RenderOptions,
    summary_text: &str,
) -> Result<String, RenderError> {
    check_template_url(&opts.template_url)?;
    let params = parameters(new, opts)?;
    let external_id = opts.checked_external_id()?;
    let change = ChangeSummary::between(old, new);
    let mut accounts: Vec<(String, StackStep)> = Vec::new();
    let all = old
        .aws_config
        .iter()
        .chain(new.aws_config.iter())
        .flat_map(|a| a.context.iter());
    for a in all {
        let id = a.account_id.trim();
        if id.parse::<AccountId>().is_ok() && !accounts.iter().any(|(x, _)| x == id) {
            accounts.push((id.to_owned(), change.stack_step(id)));
        }
    }
    let mut out = format!(
        "#!/bin/sh\n# Applies the edit of the DoiT CloudFlow connection {} to its role stacks.\n# Run it once in each account below, with credentials for that account:\n#   sh cloudflow-update.sh ACCOUNT_ID\n#\n# What changes:\n",
        comment_safe(&format!("\"{}\"", new.name.trim()))
    );
    for line in summary_text.lines() {
        out.push_str(&format!("#   {}\n", comment_safe(line)));
    }
    out.push_str("#\n");
    // The accounts that take `step`, joined by `sep`; `None` when there are none.
    let ids = |step: StackStep, sep: &str| -> Option<String> {
        let list: Vec<&str> = accounts
            .iter()
            .filter(|(_, s)| *s == step)
            .map(|(a, _)| a.as_str())
            .collect();
        (!list.is_empty()).then(|| list.join(sep))
    };
    for (step, label) in [
        (StackStep::Update, "update the stack"),
        (StackStep::Create, "create the stack"),
        (StackStep::Delete, "delete the stack"),
        (StackStep::Unchanged, "nothing to apply"),
    ] {
        if let Some(list) = ids(step, " ") {
            out.push_str(&format!("# {label}: {list}\n"));
        }
    }
    if new.is_organisation_scope() {
        out.push_str("# All accounts: the rest of the organisation follows the StackSet: update the stack you made\n# from the StackSet template with the new one (stackset-yaml).\n");
    }
    out.push_str("set -eu\nACCOUNT=${1:?give the id of the AWS account this runs in}\n");
    out.push_str("CALLER=$(aws sts get-caller-identity --query Account --output text)\n");
    out.push_str("if [ \"$CALLER\" != \"$ACCOUNT\" ]; then\n  echo \"these credentials are for account $CALLER, not $ACCOUNT\" >&2\n  exit 2\nfi\n");
    let wait = |what: &str| {
        format!("    aws cloudformation wait stack-{what}-complete --region us-east-1 --stack-name {STACK_NAME}\n")
    };
    let needs_parameters =
        ids(StackStep::Update, "|").is_some() || ids(StackStep::Create, "|").is_some();
    if needs_parameters {
        out.push_str(&external_id_lines(external_id.as_ref().map(|e| e.as_str())));
    }
    out.push_str("case $ACCOUNT in\n");
    let arguments: String = stack_arguments(&params, &opts.template_url)
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    for (step, verb) in [(StackStep::Update, "update"), (StackStep::Create, "create")] {
        if let Some(list) = ids(step, "|") {
            out.push_str(&format!(
                "  {list})\n    aws cloudformation {verb}-stack \\\n"
            ));
            out.push_str(&arguments);
            out.push_str(&wait(verb));
            out.push_str("    ;;\n");
        }
    }
    if let Some(list) = ids(StackStep::Delete, "|") {
        out.push_str(&format!(
            "  {list})\n    aws cloudformation delete-stack --region us-east-1 --stack-name {STACK_NAME}\n"
        ));
        out.push_str(&wait("delete"));
        out.push_str("    ;;\n");
    }
    if let Some(list) = ids(StackStep::Unchanged, "|") {
        out.push_str(&format!(
            "  {list})\n    echo \"nothing to apply in $ACCOUNT: its stack stays as it is\"\n    ;;\n"
        ));
    }
    out.push_str("  *)\n    echo \"$ACCOUNT is not an account of this connection\" >&2\n    exit 2\n    ;;\nesac\n");
    Ok(out)
}

/// A line that cannot end a shell comment early.
fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountContext, AwsConfig, Permissions};

    fn req(accounts: &[&str], actions: &[&str]) -> CreateConnectionRequest {
        CreateConnectionRequest {
            name: "Prod".into(),
            aws_config: Some(AwsConfig {
                role_name: "DoitCloudFlow".into(),
                context: accounts
                    .iter()
                    .map(|a| AccountContext {
                        account_id: (*a).into(),
                        regions: vec![],
                    })
                    .collect(),
                permissions: Permissions {
                    aws_managed_policies: vec![],
                    actions: actions.iter().map(|s| (*s).to_owned()).collect(),
                },
                ..AwsConfig::default()
            }),
            ..CreateConnectionRequest::default()
        }
    }

    fn opts() -> RenderOptions {
        RenderOptions {
            external_id: Some("doit-ext-1".into()),
            ..RenderOptions::default()
        }
    }

    #[test]
    fn the_update_keeps_the_stack_and_the_capability() {
        let u = update_cli(&req(&["000123456789"], &["s3:GetObject"]), &opts()).unwrap();
        assert!(u.contains("aws cloudformation update-stack \\\n"));
        assert!(u.contains(&format!("--stack-name {STACK_NAME} ")));
        assert!(u.contains("--capabilities CAPABILITY_NAMED_IAM"));
        assert!(u.contains("EXTERNAL_ID=doit-ext-1"));
        assert!(
            u.contains("\"ParameterKey\":\"AllowedActions\",\"ParameterValue\":\"s3:GetObject\"")
        );
        let c = change_set_cli(&req(&["000123456789"], &["s3:GetObject"]), &opts()).unwrap();
        assert!(c.contains("--change-set-type UPDATE"));
        assert!(c.contains("describe-change-set"));
        assert!(
            !c.lines()
                .any(|l| l.starts_with("aws cloudformation execute-change-set")),
            "executing is left to the person"
        );
        let d = delete_cli("004455667788");
        assert!(d.contains(&format!(
            "delete-stack --region us-east-1 --stack-name {STACK_NAME}"
        )));
        assert!(d.contains("account 004455667788"));
        assert!(!delete_cli("1\necho x").contains("echo x"));
    }

    #[test]
    fn the_plan_does_the_right_thing_in_each_account() {
        let old = req(&["000123456789", "004455667788"], &["s3:GetObject"]);
        let new = req(
            &["000123456789", "111122223333"],
            &["s3:GetObject", "s3:ListBucket"],
        );
        let text = ChangeSummary::between(&old, &new).to_text(None);
        let plan = update_plan(&old, &new, &opts(), &text).unwrap();
        assert!(
            plan.contains("  000123456789)\n    aws cloudformation update-stack"),
            "{plan}"
        );
        assert!(
            plan.contains("  111122223333)\n    aws cloudformation create-stack"),
            "{plan}"
        );
        assert!(
            plan.contains("  004455667788)\n    aws cloudformation delete-stack"),
            "{plan}"
        );
        assert!(plan.contains("#   Action added: s3:ListBucket"));
        let renamed = CreateConnectionRequest {
            name: "Other\necho INJECTED".into(),
            ..old.clone()
        };
        let plan = update_plan(&old, &renamed, &opts(), "x\ny").unwrap();
        assert!(
            plan.contains("  000123456789|004455667788)\n    echo \"nothing to apply"),
            "{plan}"
        );
        assert!(!plan.contains("\necho INJECTED"));
        assert!(
            !plan.contains("EXTERNAL_ID="),
            "nothing to create or update: no parameters"
        );
    }
}
