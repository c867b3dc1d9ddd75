//! `cloudflow-render`: renders the artefacts of a `CreateConnectionRequest` in a pipeline.
//!
//! stdout carries the artefact only; stderr one line per problem (`field.path: message`,
//! warnings prefixed `warning: `). Exit 0 on success (warnings allowed), 2 when the request is
//! invalid, 1 when the input cannot be read.

use std::io::{Read, Write};
use std::process::ExitCode;

use cloudflow_core::render::RenderOptions;
use cloudflow_core::{
    render, validate, AccountId, Catalogs, ChangeSummary, CreateConnectionRequest, ExternalId,
    Format, Severity,
};

const USAGE: &str = "usage: cloudflow-render [--format cfn-yaml|cfn-json|stackset-yaml|terraform|terraform-module|quick-create-url|cli]
                        [--check] [--external-id ID] [--trusted-account ID] [--template-url URL] REQUEST.json|-
       cloudflow-render --previous OLD.json [--format update-plan|summary|update-cli|change-set-cli|...]
                        [--external-id ID] ... REQUEST.json|-

Validates a DoiT CloudFlow CreateConnectionRequest and prints the chosen artefact (default
cfn-yaml) on stdout. Problems go to stderr as `field.path: message` (warnings prefixed
`warning: `). Exit status: 0 rendered (warnings allowed), 2 invalid request or option, 1
unreadable input. --check validates only.

The artefacts are interchangeable with DoiT's own: the templates create the resources of DoiT's
hosted template (the one its quick-create link opens; quick-create-url and cli use it), so a
stack made with one can be updated with the other; terraform has the resource addresses,
variables and outputs of DoiT's Terraform module, and terraform-module calls that module.
--previous OLD.json compares REQUEST.json (the edit) with the connection as it was, as the
page's edit does: `update-plan` (the default then) is a script to run once in each account of
either, `sh cloudflow-update.sh ACCOUNT_ID`, that updates, creates or deletes the role stack
there (the change summary heads it); `summary` prints the summary alone; `update-cli` and
`change-set-cli` the update of a deployed account directly, or as a change set to review.
--external-id is the ID DoiT shows for the connection: 1-1,224 letters, digits and
+ = , . @ _ - (DoiT's rule; any other is refused). Without it the templates and Terraform ask
for it when applied.";

const REGIONS: &str = include_str!("../../../../public/catalog/regions.json");
const ACTIONS: &str = include_str!("../../../../public/catalog/iam-actions.json");
const POLICIES: &str = include_str!("../../../../public/catalog/managed-policies.json");

/// What goes to stdout.
#[derive(Clone, Copy)]
enum Output {
    Artefact(Format),
    /// With --previous: the change summary.
    Summary,
    /// With --previous: the script that applies the edit in each account.
    UpdatePlan,
    UpdateCli,
    ChangeSetCli,
}

struct Args {
    format: Option<Output>,
    previous: Option<String>,
    check: bool,
    external_id: Option<String>,
    trusted_account: Option<String>,
    template_url: Option<String>,
    input: String,
}

enum Parsed {
    Run(Args),
    Help,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut format = None;
    let mut previous = None;
    let mut check = false;
    let mut external_id = None;
    let mut trusted_account = None;
    let mut template_url = None;
    let mut input: Option<String> = None;
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--check" => check = true,
            "--format" => {
                format = Some(match value("--format")?.as_str() {
                    "summary" => Output::Summary,
                    "update-plan" => Output::UpdatePlan,
                    "update-cli" => Output::UpdateCli,
                    "change-set-cli" => Output::ChangeSetCli,
                    other => Output::Artefact(other.parse().map_err(|e| format!("--format: {e}"))?),
                })
            }
            "--previous" => previous = Some(value("--previous")?),
            "--external-id" => external_id = Some(value("--external-id")?),
            "--trusted-account" => trusted_account = Some(value("--trusted-account")?),
            "--template-url" => template_url = Some(value("--template-url")?),
            "-" => input = Some(arg),
            f if f.starts_with('-') => return Err(format!("unknown option {f}")),
            _ if input.is_some() => return Err("give exactly one REQUEST.json (or -)".into()),
            _ => input = Some(arg),
        }
    }
    let input = input.ok_or("give a REQUEST.json (or - for stdin)")?;
    if previous.is_none()
        && matches!(
            format,
            Some(Output::Summary | Output::UpdatePlan | Output::UpdateCli | Output::ChangeSetCli)
        )
    {
        return Err(
            "--format summary, update-plan, update-cli and change-set-cli need --previous OLD.json"
                .into(),
        );
    }
    if previous.as_deref() == Some("-") && input == "-" {
        return Err("only one of REQUEST.json and --previous may be read from stdin".into());
    }
    Ok(Parsed::Run(Args {
        format,
        previous,
        check,
        external_id,
        trusted_account,
        template_url,
        input,
    }))
}

fn read_input(path: &str) -> Result<String, String> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("-: cannot read stdin: {e}"))?;
    } else {
        text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    }
    Ok(text)
}

fn read_request(path: &str) -> Result<CreateConnectionRequest, String> {
    let text = read_input(path)?;
    serde_json::from_str(&text).map_err(|e| {
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or(&what).to_string();
        format!(
            "{path}: invalid JSON at line {}, column {}: {what}",
            e.line(),
            e.column()
        )
    })
}

fn run(args: Args) -> Result<ExitCode, String> {
    let req = read_request(&args.input)?;
    let previous = args.previous.as_deref().map(read_request).transpose()?;
    let catalogs = Catalogs::from_json(REGIONS, ACTIONS, POLICIES).map_err(|e| e.to_string())?;
    let mut report = validate(&req, Some(&catalogs));

    let mut opts = RenderOptions::default();
    let mut option_errors = Vec::new();
    if let Some(id) = &args.external_id {
        match id.parse::<ExternalId>() {
            Ok(_) => opts.external_id = Some(id.clone()),
            Err(e) => option_errors.push(format!("externalId: --external-id {e}")),
        }
    }
    if let Some(acct) = &args.trusted_account {
        match acct.parse::<AccountId>() {
            Ok(_) => opts.trusted_account_id = acct.clone(),
            Err(e) => option_errors.push(format!("trustedAccountId: --trusted-account {e}")),
        }
    }
    if let Some(url) = &args.template_url {
        if url.starts_with("https://") {
            opts.template_url = url.clone();
        } else {
            option_errors.push("templateUrl: --template-url must be an https:// URL".to_string());
        }
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    report
        .problems
        .sort_by_key(|p| p.severity == Severity::Warning);
    for p in &report.problems {
        let prefix = if p.severity == Severity::Warning {
            "warning: "
        } else {
            ""
        };
        let _ = writeln!(err, "{prefix}{}: {}", p.field, p.message);
    }
    for e in &option_errors {
        let _ = writeln!(err, "{e}");
    }
    if report.has_errors() || !option_errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    if args.check {
        return Ok(ExitCode::SUCCESS);
    }
    if opts.external_id.is_none() {
        let _ = writeln!(
            err,
            "warning: externalId: not given (--external-id); the artefact asks for the external id DoiT shows for this connection"
        );
    }
    let output = args.format.unwrap_or(if previous.is_some() {
        Output::UpdatePlan
    } else {
        Output::Artefact(Format::CfnYaml)
    });
    let rendered = match (output, &previous) {
        (Output::Artefact(format), _) => render(format, &req, &opts),
        (Output::UpdateCli, _) => cloudflow_core::render::update_cli(&req, &opts),
        (Output::ChangeSetCli, _) => cloudflow_core::render::change_set_cli(&req, &opts),
        (Output::Summary, Some(old)) => {
            Ok(ChangeSummary::between(old, &req).to_text(Some(&catalogs.actions)))
        }
        (Output::UpdatePlan, Some(old)) => {
            let summary = ChangeSummary::between(old, &req).to_text(Some(&catalogs.actions));
            cloudflow_core::render::update_plan(old, &req, &opts, &summary)
        }
        (_, None) => return Err("this --format needs --previous OLD.json".into()),
    };
    match rendered {
        Ok(out) => {
            let stdout = std::io::stdout();
            let mut o = stdout.lock();
            o.write_all(out.as_bytes())
                .and_then(|()| o.flush())
                .map_err(|e| format!("cannot write the artefact: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let _ = writeln!(err, "{}: {e}", e.field());
            Ok(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cloudflow-render: {e}\n{USAGE}");
            ExitCode::from(1)
        }
        Ok(Parsed::Run(args)) => match run(args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        },
    }
}
