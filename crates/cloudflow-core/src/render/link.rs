//! The console quick-create link and the `aws cloudformation create-stack` command.

use super::cfn::aws_or_default;
use super::{RenderError, RenderOptions, STACK_NAME};
use crate::model::CreateConnectionRequest;

/// AWS's limit on one quick-create parameter value.
pub const PARAM_LIMIT: usize = 4_096;
/// AWS's limit on the template URL.
pub const TEMPLATE_URL_LIMIT: usize = 1_024;

/// Percent-encodes everything but RFC 3986 unreserved characters, so `+ = , @ & # /` survive
/// any decoder (including form decoders that read `+` as a space).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// The stack parameters of DoiT's hosted template, in its order; the external id only when
/// known (checked against DoiT's rule). Refuses a value over AWS's limit on one parameter value.
pub(crate) fn parameters(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<Vec<(&'static str, String)>, RenderError> {
    let external_id = opts.checked_external_id()?;
    let aws = aws_or_default(req);
    let mut p = vec![
        ("RoleName", aws.role_name.clone()),
        ("TrustedAccountId", opts.trusted_account_id.clone()),
    ];
    if let Some(e) = external_id {
        p.push(("ExternalId", e.into()));
    }
    p.push((
        "ManagedPolicyArns",
        aws.permissions.aws_managed_policies.join(","),
    ));
    p.push(("AllowedActions", aws.permissions.actions.join(",")));
    if let Some((name, value)) = p.iter().find(|(_, v)| v.len() > PARAM_LIMIT) {
        return Err(RenderError::ParameterTooLong {
            param: (*name).to_string(),
            bytes: value.len(),
        });
    }
    Ok(p)
}

pub(crate) fn check_template_url(url: &str) -> Result<(), RenderError> {
    let len = url.chars().count();
    if len > TEMPLATE_URL_LIMIT {
        return Err(RenderError::TemplateUrlTooLong { len });
    }
    Ok(())
}

/// `quick-create-url`. Without an external id the link leaves `ExternalId` for the person to
/// type in the console.
pub fn quick_create_url(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    check_template_url(&opts.template_url)?;
    let params = parameters(req, opts)?;
    let mut url = format!(
        "{}/cloudformation/home?region=us-east-1#/stacks/quickcreate?templateURL={}&stackName={}",
        opts.console_url.trim_end_matches('/'),
        percent_encode(&opts.template_url),
        STACK_NAME
    );
    for (name, value) in params {
        url.push_str("&param_");
        url.push_str(name);
        url.push('=');
        url.push_str(&percent_encode(&value));
    }
    url.push('\n');
    Ok(url)
}

/// Quotes a word for POSIX shells.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@+%".contains(&b))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `cli`: sets `EXTERNAL_ID` (or insists that the caller did), then runs `create-stack`.
pub fn cli(req: &CreateConnectionRequest, opts: &RenderOptions) -> Result<String, RenderError> {
    stack_command(
        req,
        opts,
        "Creates the DoiT CloudFlow connection role with the AWS CLI.",
        &["aws cloudformation create-stack"],
    )
}

/// A script that runs `command` (its lines, then the stack's region, name, template,
/// capabilities and parameters) with the role stack's parameters: it sets `EXTERNAL_ID` (or
/// insists that the caller did) first. `what` is the script's first comment.
pub(crate) fn stack_command(
    req: &CreateConnectionRequest,
    opts: &RenderOptions,
    what: &str,
    command: &[&str],
) -> Result<String, RenderError> {
    check_template_url(&opts.template_url)?;
    let params = parameters(req, opts)?;
    let external_id = opts.checked_external_id()?;
    let aws = aws_or_default(req);
    let mut out = format!("#!/bin/sh\n# {what}\n");
    // Comments end at a line break, so only well-formed ids may appear in them.
    let accounts: Vec<&str> = aws
        .context
        .iter()
        .map(|c| c.account_id.as_str())
        .filter(|a| a.parse::<crate::types::AccountId>().is_ok())
        .collect();
    if accounts.len() > 1 {
        out.push_str("# Run it once in each account of the connection, with credentials for that account\n# (e.g. AWS_PROFILE=...):\n");
        for chunk in accounts.chunks(6) {
            out.push_str(&format!("#   {}\n", chunk.join(" ")));
        }
    } else if let Some(a) = accounts.first() {
        out.push_str(&format!(
            "# Run it with credentials for account {}.\n",
            shell_quote(a)
        ));
    }
    out.push_str("set -eu\n");
    out.push_str(&external_id_lines(external_id.as_ref().map(|e| e.as_str())));
    for line in command {
        out.push_str(line);
        out.push_str(" \\\n");
    }
    out.push_str(&stack_arguments(&params, &opts.template_url));
    Ok(out)
}

/// Sets `EXTERNAL_ID` to the known id, or insists that the caller did (and checks it against
/// DoiT's rule before anything is created).
pub(crate) fn external_id_lines(external_id: Option<&str>) -> String {
    match external_id {
        Some(e) => format!("EXTERNAL_ID={}\n", shell_quote(e)),
        None => concat!(
            ": \"${EXTERNAL_ID:?set EXTERNAL_ID to the external id DoiT shows for this connection}\"\n",
            // DoiT's template refuses any other; say so before anything is created.
            "case $EXTERNAL_ID in\n  *[!A-Za-z0-9+=,.@_-]*) echo 'EXTERNAL_ID may hold only letters, digits and + = , . @ _ -' >&2; exit 2 ;;\nesac\n"
        )
        .to_owned(),
    }
}

/// The region, stack name, template URL, capabilities and parameters of a `create-stack`,
/// `update-stack` or `create-change-set`, each on a continued line, the last one ending it.
pub(crate) fn stack_arguments(params: &[(&'static str, String)], template_url: &str) -> String {
    // Parameters as JSON (commas in list values need no shorthand escaping); the external id is
    // spliced in from the shell variable so that it never has to be known here.
    let entry =
        |k: &str, v: &str| serde_json::json!({"ParameterKey": k, "ParameterValue": v}).to_string();
    let mut before = Vec::new();
    let mut after = Vec::new();
    for (name, value) in params.iter().filter(|(n, _)| *n != "ExternalId") {
        let part = entry(name, value);
        if matches!(*name, "RoleName" | "TrustedAccountId") {
            before.push(part);
        } else {
            after.push(part);
        }
    }
    // `[<before>,{"ParameterKey":"ExternalId","ParameterValue":"` $EXTERNAL_ID `"},<after>]`
    let params = format!(
        "{}\"$EXTERNAL_ID\"{}",
        shell_quote(&format!(
            "[{},{{\"ParameterKey\":\"ExternalId\",\"ParameterValue\":\"",
            before.join(",")
        )),
        shell_quote(&format!("\"}},{}]", after.join(",")))
    );
    let mut out = String::from("  --region us-east-1 \\\n");
    out.push_str(&format!("  --stack-name {STACK_NAME} \\\n"));
    out.push_str(&format!(
        "  --template-url {} \\\n",
        shell_quote(template_url)
    ));
    out.push_str("  --capabilities CAPABILITY_NAMED_IAM \\\n");
    out.push_str(&format!("  --parameters {params}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CreateConnectionRequest;

    #[test]
    fn encoding() {
        assert_eq!(
            percent_encode("a+b=c,d@e f/é"),
            "a%2Bb%3Dc%2Cd%40e%20f%2F%C3%A9"
        );
        assert_eq!(percent_encode("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn person_text_never_escapes_a_comment_or_a_quote() {
        let mut req = CreateConnectionRequest::default();
        let mut aws = crate::model::AwsConfig {
            role_name: "r'\nrole".into(),
            ..Default::default()
        };
        for id in [
            "1\necho INJECTED-1",
            "123456789012",
            "2'\necho INJECTED-2 #",
        ] {
            aws.context.push(crate::model::AccountContext {
                account_id: id.into(),
                regions: vec![],
            });
        }
        aws.permissions.actions = vec!["a'$(echo INJECTED-3)".into()];
        req.aws_config = Some(aws);
        let opts = RenderOptions {
            external_id: Some("x'\necho INJECTED-4".into()),
            ..RenderOptions::default()
        };
        assert!(matches!(cli(&req, &opts), Err(RenderError::ExternalId(_))));
        let opts = RenderOptions {
            external_id: Some("ext-4".into()),
            ..RenderOptions::default()
        };
        let script = cli(&req, &opts).unwrap();
        assert!(script
            .lines()
            .filter(|l| l.starts_with('#'))
            .all(|l| !l.contains("INJECTED")));
        let stub = "aws() { :; }\necho() { printf 'ran echo\\n'; }\n";
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
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("abc"), "abc");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("it's $x"), r"'it'\''s $x'");
    }
}
