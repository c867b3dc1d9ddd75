//! The simulated CloudFormation console: the quick-create page, the stacks it creates, and
//! their deletion. Plain HTML forms; every link, form action, script and stylesheet is a
//! relative URL, so the pages work both under `/simulated-aws/` and when a browser test serves
//! them as `https://us-east-1.console.aws.amazon.com/...` (every path P of that host forwarded
//! to `/simulated-aws` + P). No inline script or style: a strict Content-Security-Policy.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::{Refusal, Stack, StackRequest, DOIT_ACCOUNT};
use crate::api::{query, Shared, BODY_LIMIT};
use crate::reply::Reply;

/// The policy of every page: scripts, styles and form targets from this origin only.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

const SCRIPT: &str = include_str!("console.js");
const STYLESHEET: &str = include_str!("console.css");

/// `GET /simulated-aws/console.js`: fills the quick-create form from the link's fragment.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /simulated-aws/console.css`.
pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET)
}

fn asset(content_type: &str, text: &str) -> Response {
    Reply::bytes(StatusCode::OK, content_type, text.as_bytes().to_vec())
        .header("cache-control", "no-cache")
        .header("x-content-type-options", "nosniff")
        .into_response()
}

fn html(status: StatusCode, page: String) -> Response {
    Reply::bytes(status, "text/html; charset=utf-8", page.into_bytes())
        .header("content-security-policy", PAGE_POLICY)
        .header("cache-control", "no-store")
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .into_response()
}

/// Text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page. `up` is the way from the page's directory to `/simulated-aws/` (`../` for
/// pages under `cloudformation/`), for the stylesheet and script.
fn page(title: &str, up: &str, script: bool, main: &str) -> String {
    let script = if script {
        format!("\n<script src=\"{up}console.js\" defer></script>")
    } else {
        String::new()
    };
    format!(
        "<!doctype html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>{title}</title>
<link rel=\"stylesheet\" href=\"{up}console.css\">{script}
</head>
<body>
<header class=\"sim-banner\"><p>Simulated AWS console (cloudflow-devapi --simulated-aws): nothing here reaches AWS.</p></header>
<main>
{main}
</main>
</body>
</html>
",
        title = escape(title)
    )
}

/// `GET /simulated-aws/cloudformation/home?region=<r>`: the quick-create page. The link's
/// fragment (`#/stacks/quickcreate?templateURL=..&stackName=..&param_<Name>=..`) never
/// reaches the server: `console.js` fills the form from it.
pub async fn home(uri: Uri) -> Response {
    let q = query(&uri);
    let form = StackRequest {
        region: q.get("region").cloned().unwrap_or_default(),
        trusted_account_id: Some(DOIT_ACCOUNT.to_owned()),
        ..StackRequest::default()
    };
    html(StatusCode::OK, quick_create(&form, None))
}

fn quick_create(form: &StackRequest, refusal: Option<&Refusal>) -> String {
    let error = refusal.map_or(String::new(), |r| {
        format!(
            "<section class=\"sim-error\" role=\"alert\" aria-labelledby=\"sim-error-heading\">
<h2 id=\"sim-error-heading\">Stack not created</h2>
<p>{}</p>
</section>
",
            escape(&r.to_string())
        )
    });
    let region = if form.region.is_empty() {
        "(none)".to_owned()
    } else {
        escape(&form.region)
    };
    let template = form.template_url.as_deref().unwrap_or("");
    let shown_template = if template.is_empty() {
        "(none)".to_owned()
    } else {
        escape(template)
    };
    let text = |id: &str, name: &str, label: &str, value: &str, hint: Option<&str>| {
        let described = hint.map_or(String::new(), |_| {
            format!(" aria-describedby=\"{id}-hint\"")
        });
        let hint = hint.map_or(String::new(), |h| {
            format!("\n<p class=\"sim-hint\" id=\"{id}-hint\">{h}</p>")
        });
        format!(
            "<div class=\"sim-field\">
<label for=\"{id}\">{label}</label>
<input type=\"text\" id=\"{id}\" name=\"{name}\" value=\"{}\" autocomplete=\"off\" spellcheck=\"false\"{described}>{hint}
</div>
",
            escape(value)
        )
    };
    let param = |name: &str, value: &Option<String>, hint: &str| {
        text(
            &format!("param-{name}"),
            name,
            name,
            value.as_deref().unwrap_or(""),
            Some(hint),
        )
    };
    let checked = if form.acknowledged { " checked" } else { "" };
    let main = format!(
        "<h1>Quick create stack</h1>
{error}<p>Region: <strong>{region}</strong> (DoiT's template must be used in us-east-1)</p>
<form method=\"post\" action=\"stacks\" class=\"sim-form\">
<input type=\"hidden\" name=\"region\" value=\"{region_value}\">
<input type=\"hidden\" id=\"templateURL\" name=\"templateURL\" value=\"{template_value}\">
<h2>Template</h2>
<p>Template URL: <span id=\"template-url-text\">{shown_template}</span></p>
<h2>Account</h2>
{account}<h2>Stack name</h2>
{stack_name}<h2>Parameters</h2>
{role}{trusted}{external}{policies}{actions}<h2>Capabilities</h2>
<div class=\"sim-check\">
<input type=\"checkbox\" id=\"acknowledged\" name=\"acknowledged\" value=\"true\"{checked}>
<label for=\"acknowledged\">I acknowledge that AWS CloudFormation might create IAM resources with custom names.</label>
</div>
<button type=\"submit\">Create stack</button>
</form>
<p><a href=\"stacks\">Stacks</a></p>",
        region_value = escape(&form.region),
        template_value = escape(template),
        account = text(
            "accountId",
            "accountId",
            "AWS account ID",
            &form.account_id,
            Some("The 12-digit account you are signed into: the stack is created there."),
        ),
        stack_name = text("stackName", "stackName", "Stack name", &form.stack_name, None),
        role = param("RoleName", &form.role_name, "The name of the IAM role to create."),
        trusted = param(
            "TrustedAccountId",
            &form.trusted_account_id,
            "The AWS account allowed to assume the role (DoiT's: 068664126052).",
        ),
        external = param(
            "ExternalId",
            &form.external_id,
            "The external ID DoiT gave this connection.",
        ),
        policies = param(
            "ManagedPolicyArns",
            &form.managed_policy_arns,
            "Comma-separated ARNs of managed policies to attach.",
        ),
        actions = param(
            "AllowedActions",
            &form.allowed_actions,
            "Comma-separated IAM actions to allow.",
        ),
    );
    page("Quick create stack", "../", true, &main)
}

/// Reads an `application/x-www-form-urlencoded` body (first value of each name), or says why
/// not.
async fn form_fields(
    headers: &HeaderMap,
    body: Body,
) -> Result<HashMap<String, String>, (StatusCode, &'static str)> {
    let is_form = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The form must be sent as application/x-www-form-urlencoded",
        ));
    }
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "The form must be at most 1 MB",
        )
    })?;
    let mut fields = HashMap::new();
    for (name, value) in form_urlencoded::parse(&bytes) {
        fields
            .entry(name.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    Ok(fields)
}

fn problem_page(status: StatusCode, heading: &str, up: &str, reason: &str) -> Response {
    let main = format!(
        "<h1>{}</h1>
<p role=\"alert\">{}</p>",
        escape(heading),
        escape(reason)
    );
    html(status, page(heading, up, false, &main))
}

/// `POST /simulated-aws/cloudformation/stacks` (the quick-create form): the stack created
/// (`CREATE_COMPLETE`), or the form again under "Stack not created" and the reason.
pub async fn create_stack(State(state): Shared, headers: HeaderMap, body: Body) -> Response {
    let fields = match form_fields(&headers, body).await {
        Ok(f) => f,
        Err((status, why)) => return problem_page(status, "Stack not created", "../", why),
    };
    let field = |name: &str| fields.get(name).cloned();
    let form = StackRequest {
        account_id: field("accountId").unwrap_or_default().trim().to_owned(),
        stack_name: field("stackName").unwrap_or_default().trim().to_owned(),
        region: field("region").unwrap_or_default(),
        template_url: field("templateURL").filter(|u| !u.is_empty()),
        acknowledged: fields.get("acknowledged").is_some_and(|v| !v.is_empty()),
        role_name: field("RoleName"),
        trusted_account_id: field("TrustedAccountId"),
        external_id: field("ExternalId"),
        managed_policy_arns: field("ManagedPolicyArns"),
        allowed_actions: field("AllowedActions"),
    };
    match super::create(&state, &form) {
        Ok(Ok(stack)) => html(StatusCode::OK, created_page(&stack)),
        Ok(Err(refusal)) => html(StatusCode::BAD_REQUEST, quick_create(&form, Some(&refusal))),
        Err(e) => e.into_response(),
    }
}

fn created_page(stack: &Stack) -> String {
    let main = format!(
        "<h1>Stack created</h1>
<p class=\"sim-status\">{status}</p>
<dl>
<dt>Stack name</dt><dd>{name}</dd>
<dt>Account</dt><dd>{account}</dd>
<dt>Region</dt><dd>{region}</dd>
<dt>Status</dt><dd>{status}</dd>
<dt>Role name</dt><dd>{role}</dd>
<dt>RoleArn (output)</dt><dd>{arn}</dd>
</dl>
<p><a href=\"stacks\">Stacks</a></p>",
        status = escape(&stack.status),
        name = escape(&stack.stack_name),
        account = escape(&stack.account_id),
        region = escape(&stack.region),
        role = escape(&stack.role_name),
        arn = escape(&stack.role_arn()),
    );
    page("Stack created", "../", false, &main)
}

/// `GET /simulated-aws/cloudformation/stacks`: every stack, each with a "Delete stack" button.
pub async fn stack_list(State(state): Shared) -> Response {
    let stacks = match state
        .db()
        .and_then(|conn| Ok(crate::db::simulated_stacks(&conn, None)?))
    {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let rows: String = stacks
        .iter()
        .map(|s| {
            let account = escape(&s.account_id);
            let name = escape(&s.stack_name);
            format!(
                "<tr>
<td>{account}</td>
<td>{name}</td>
<td>{role}</td>
<td>{status}</td>
<td>{created}</td>
<td><form method=\"post\" action=\"stacks/delete\">
<input type=\"hidden\" name=\"accountId\" value=\"{account}\">
<input type=\"hidden\" name=\"stackName\" value=\"{name}\">
<button type=\"submit\" aria-label=\"Delete stack {name} in {account}\">Delete stack</button>
</form></td>
</tr>
",
                role = escape(&s.role_name),
                status = escape(&s.status),
                created = escape(&crate::time::rfc3339(s.create_ms)),
            )
        })
        .collect();
    let table = if stacks.is_empty() {
        "<p>No stacks.</p>".to_owned()
    } else {
        format!(
            "<table>
<caption>Stacks in every account</caption>
<thead><tr><th scope=\"col\">Account</th><th scope=\"col\">Stack name</th><th scope=\"col\">Role name</th><th scope=\"col\">Status</th><th scope=\"col\">Created</th><th scope=\"col\">Actions</th></tr></thead>
<tbody>
{rows}</tbody>
</table>"
        )
    };
    let main = format!(
        "<h1>Stacks</h1>
{table}
<p><a href=\"home?region=us-east-1\">Quick create stack</a></p>"
    );
    html(StatusCode::OK, page("Stacks", "../", false, &main))
}

/// `POST /simulated-aws/cloudformation/stacks/delete` (`accountId`, `stackName`): deletes the
/// stack and its role.
pub async fn delete_stack(State(state): Shared, headers: HeaderMap, body: Body) -> Response {
    let fields = match form_fields(&headers, body).await {
        Ok(f) => f,
        Err((status, why)) => return problem_page(status, "Stack not deleted", "../../", why),
    };
    let account = fields.get("accountId").map_or("", |s| s.trim());
    let name = fields.get("stackName").map_or("", |s| s.trim());
    match super::delete_stack(&state, account, name) {
        Ok(Some(stack)) => {
            let main = format!(
                "<h1>Stack deleted</h1>
<p>The stack {name} in account {account} and its role {role} were deleted.</p>
<p><a href=\"../stacks\">Stacks</a></p>",
                name = escape(&stack.stack_name),
                account = escape(&stack.account_id),
                role = escape(&stack.role_name),
            );
            html(
                StatusCode::OK,
                page("Stack deleted", "../../", false, &main),
            )
        }
        Ok(None) => problem_page(
            StatusCode::NOT_FOUND,
            "Stack not deleted",
            "../../",
            &super::no_such_stack(account, name),
        ),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_would_read() {
        assert_eq!(
            escape("<img src=x onerror=\"a\">&'"),
            "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn the_page_has_no_inline_script_or_style() {
        let html = quick_create(&StackRequest::default(), None);
        assert!(html.contains("<script src=\"../console.js\" defer></script>"));
        assert!(!html.contains("<script>"));
        assert!(!html.contains("style="));
        assert!(!html.contains("<style"));
        let failed = quick_create(&StackRequest::default(), Some(&Refusal::Region));
        assert!(failed.contains("Stack not created"));
        assert!(failed.contains("Create this stack in us-east-1"));
    }
}
