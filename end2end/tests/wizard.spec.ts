import { test, expect, Page } from "@playwright/test";
import { largeURL } from "../playwright.config";
import { apiGet, connectionsNamed, fillSetup, ME, openNewWizard, pick, stepHeading, OWNER_TOKEN } from "./helpers";

// Journeys through the whole wizard against cloudflow-devapi (activation delay 2 s).

async function fillFullDraft(page: Page, name: string) {
  await fillSetup(page, name, "CloudFlowJourneyRole");
  const accounts = page.getByRole("combobox", { name: "Account ID" });
  await pick(page, accounts.nth(0), "0001", /000123456789/);
  await pick(page, page.getByRole("combobox", { name: "Region" }).nth(0), "eu-west-1", /^eu-west-1\b/);
  await page.getByRole("button", { name: "+ Add another account" }).click();
  await expect(accounts.nth(1)).toBeFocused();
  await pick(page, accounts.nth(1), "0044", /004455667788/);
  await pick(page, page.getByRole("combobox", { name: "Region" }).nth(1), "us-east-1", /^us-east-1\b/);
  await pick(page, page.getByRole("combobox", { name: "Region" }).nth(1), "eu-central-1", /^eu-central-1\b/);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");

  const policies = page.getByRole("combobox", { name: "AWS Managed Policies" });
  await pick(page, policies, "ReadOnlyAccess", /^ReadOnlyAccess\b/);
  await pick(page, policies, "AmazonS3ReadOnly", /AmazonS3ReadOnlyAccess/);
  await expect(page.getByRole("list", { name: "Selected AWS managed policies" }).getByRole("listitem")).toHaveCount(2);
  const actions = page.getByRole("combobox", { name: "Allowed action" });
  await actions.nth(0).fill("s3:GetObject");
  await actions.nth(0).press("Escape");
  await page.getByRole("button", { name: "+ Add another allowed action" }).click();
  await expect(actions.nth(1)).toBeFocused();
  await actions.nth(1).fill("ec2:Describe*");
  await actions.nth(1).press("Escape");
  await expect(page.getByText(/Matches \d+ known actions/)).toBeVisible();
  await page.getByRole("button", { name: "+ Add another allowed action" }).click();
  await actions.nth(2).fill("ec2:StopInstances");
  await actions.nth(2).press("Escape");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Access");

  // The signed-in person is first, as Owner.
  await expect(page.getByRole("combobox", { name: "Email" }).nth(0)).toHaveValue(ME);
  await expect(page.getByLabel("Connection access level").nth(0)).toHaveValue("owner");
  await page.getByRole("button", { name: "+ Add another user" }).click();
  await pick(page, page.getByRole("combobox", { name: "Email" }).nth(1), "marcus", /marcus\.webb@example\.com/);
  await page.getByLabel("Connection access level").nth(1).selectOption("editor");
}

test("create a connection with two accounts, two policies, three actions and two users, and follow it until active", async ({ page, request }) => {
  const name = `Journey ${Date.now()}`;
  await openNewWizard(page);
  await fillFullDraft(page, name);
  await page.getByRole("button", { name: "Done" }).click();

  await expect(page).toHaveURL(/\/connections\/aws\/[^/]+$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("Creating…")).toBeVisible();
  await expect(page.getByRole("table", { name: "Accounts" }).getByRole("row")).toHaveCount(3);
  // Polling with back-off follows it to active (activation delay 2 s).
  await expect(page.locator(".cf-details__status")).toContainText("Active", { timeout: 20_000 });

  // The API holds exactly what was entered.
  const [created] = await connectionsNamed(request, name);
  expect(created.awsConfig.roleName).toBe("CloudFlowJourneyRole");
  expect(created.awsConfig.context.map((c: any) => [c.accountId, c.regions])).toEqual([
    ["000123456789", ["eu-west-1"]],
    ["004455667788", ["us-east-1", "eu-central-1"]],
  ]);
  expect(created.awsConfig.permissions.awsManagedPolicies).toEqual([
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
  ]);
  expect(created.awsConfig.permissions.actions).toEqual(["s3:GetObject", "ec2:Describe*", "ec2:StopInstances"]);
  expect(created.collaborators).toEqual([
    { email: ME, role: "owner" },
    { email: "marcus.webb@example.com", role: "editor" },
  ]);
  // A successful create clears the draft.
  expect(await page.evaluate(() => sessionStorage.getItem("cloudflow-connect.draft"))).toBeNull();
});

test("the quick-create link carries every parameter and DoiT's external ID, the files download, and the Terraform copied equals the preview", async ({ page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openNewWizard(page);
  const name = `Link check ${Date.now()}`;
  await fillSetup(page, name, "CloudFlowLinkRole");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  await page.getByRole("button", { name: "Next" }).click();
  await pick(page, page.getByRole("combobox", { name: "AWS Managed Policies" }), "ReadOnlyAccess", /^ReadOnlyAccess\b/);
  await page.getByRole("combobox", { name: "Allowed action" }).first().fill("s3:GetObject");

  // A near miss gets a did-you-mean hint, which no empty picker popup covers.
  const action = page.getByRole("combobox", { name: "Allowed action" }).first();
  await action.fill("s3:GetObjekt");
  const hint = page.getByText("is not a known action; did you mean s3:GetObject?");
  await expect(hint).toBeVisible();
  await expect(action).toBeFocused();
  const onTop = await hint.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!top && (el === top || el.contains(top));
  });
  expect(onTop, "the hint is not covered").toBe(true);
  await action.fill("s3:GetObject");

  const link = page.getByRole("link", { name: "Open CloudFormation stack" });
  await expect(link).toHaveAttribute("target", "_blank");
  const href = (await link.getAttribute("href"))!;
  const url = new URL(href);
  expect(url.host).toBe("us-east-1.console.aws.amazon.com");
  const params = new URLSearchParams(url.hash.split("?")[1]);
  expect(params.get("stackName")).toBe("DoitCloudFlowConnectionRole");
  expect(params.get("templateURL")).toMatch(/^https:\/\/.*doit-cmp-ops-pub.*create_cloudflow_connection_role\.yml$/);
  expect(params.get("param_RoleName")).toBe("CloudFlowLinkRole");
  expect(params.get("param_TrustedAccountId")).toBe("068664126052");
  expect(params.get("param_ManagedPolicyArns")).toBe("arn:aws:iam::aws:policy/ReadOnlyAccess");
  expect(params.get("param_AllowedActions")).toBe("s3:GetObject");
  // The connection was saved at Setup: the link carries its external ID, the server's.
  const [saved] = await connectionsNamed(request, name);
  expect(saved.externalId).toMatch(/^[A-Za-z0-9+=,.@_-]+$/);
  expect(params.get("param_ExternalId")).toBe(saved.externalId);
  await expect(page.locator(".cf-external-id code")).toHaveText(saved.externalId);

  // The deploy section downloads; the template itself is shown once, in the preview.
  const deploy = page.getByRole("tablist", { name: "Deploy with" }).first();
  const yaml = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the template (YAML)" }).click();
  expect((await yaml).suggestedFilename()).toBe("cloudflow-role.yaml");
  await deploy.getByRole("tab", { name: "Terraform" }).click();
  const tf = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the Terraform configuration" }).click();
  expect((await tf).suggestedFilename()).toBe("cloudflow-role.tf");

  const preview = page.getByRole("tablist", { name: "Deploy with" }).last();
  await preview.getByRole("tab", { name: "Terraform" }).click();
  const block = page.getByRole("region", { name: "Terraform configuration preview", exact: true });
  const shown = await block.locator("pre").innerText();
  expect(shown).toContain('resource "aws_iam_role"');
  expect(shown).toContain("CloudFlowLinkRole");
  await block.getByRole("button", { name: "Copy" }).click();
  await expect(block.getByText("Copied")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.trim()).toBe(shown.trim());
});

test("the Terraform tab's Use DoiT's module form calls DoiT's module at the pinned commit and can be copied", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openNewWizard(page);
  await fillSetup(page, "Module check", "CloudFlowModuleRole");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("combobox", { name: "Allowed action" }).first().fill("s3:GetObject");

  const preview = page.getByRole("tablist", { name: "Deploy with" }).last();
  await preview.getByRole("tab", { name: "Terraform" }).click();
  // Self-contained first; the two forms are radios with real labels.
  await expect(page.getByRole("radio", { name: "Self-contained" }).first()).toBeChecked();
  await page.getByRole("radio", { name: "Use DoiT's module" }).first().check();
  const block = page.getByRole("region", { name: "Terraform configuration using DoiT's module preview", exact: true });
  await expect(block).toContainText('module "cloudflow_connection_role"');
  const shown = await block.locator("pre").innerText();
  expect(shown).toMatch(
    /source\s*=\s*"git::https:\/\/github\.com\/doitintl\/cloudflow-infra\.git\/\/connections\/aws\/terraform\/create_cloudflow_connection\?ref=cf7c11444a6370ca1bfcb7cd56456ca2221a432a"/,
  );
  expect(shown).toMatch(/role_name\s*=\s*"CloudFlowModuleRole"/);
  expect(shown).toContain('"s3:GetObject"');
  expect(shown).not.toContain('resource "aws_iam_role"');
  await expect(block.getByRole("button", { name: "Download" })).toBeEnabled();
  await block.getByRole("button", { name: "Copy" }).click();
  await expect(block.getByText("Copied")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.trim()).toBe(shown.trim());
});

test("All accounts switches to organisation scope and the StackSet template", async ({ page }) => {
  await openNewWizard(page);
  await fillSetup(page, "Org scope", "CloudFlowOrgRole");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "All", /All accounts/);
  await expect(page.getByLabel("Management account ID")).toBeFocused();
  await page.getByLabel("Management account ID").fill("012345678901");
  await page.getByLabel("Organization root ID").fill("r-ab12");
  await page.getByLabel("Organizational unit IDs").fill("ou-ab12-11111111, ou-ab12-22222222");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");
  const template = page.getByRole("region", { name: "CloudFormation StackSet template" }).first();
  await expect(template).toContainText("AWS::CloudFormation::StackSet");
  await expect(template).toContainText("SERVICE_MANAGED");
  await expect(template).toContainText("ou-ab12-22222222");
  await expect(page.getByText(/never deploys to the management account/).first()).toBeVisible();
});

test("while the accounts load the form is usable and says so; when they fail it says why and Try again loads them", async ({ page }) => {
  let answer: "slow" | "fail" | "pass" = "slow";
  await page.route("**/billing/v1/assets**", async (route) => {
    if (answer === "slow") {
      await new Promise((r) => setTimeout(r, 3000));
      return route.continue();
    }
    if (answer === "fail") {
      return route.fulfill({ status: 403, contentType: "application/problem+json", headers: { "Request-Id": "req_01TESTASSETS" },
        body: JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, detail: "This token may not read billing assets.", code: "forbidden", retryable: false }) });
    }
    return route.continue();
  });
  await page.goto("/connections/aws/new/setup");
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  // The form does not wait for 10,000 accounts: it is there, and says they are coming.
  await expect(page.getByLabel("Name your new connection")).toBeEditable();
  await expect(page.getByRole("status").filter({ hasText: "Loading your AWS accounts…" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Loading your AWS accounts…" })).toBeHidden({ timeout: 10_000 });

  answer = "fail";
  await page.reload();
  const alert = page.getByRole("alert").filter({ hasText: "Loading your AWS accounts failed." });
  await expect(alert).toContainText("You can still type a 12-digit account ID.");
  await expect(alert).toContainText("This token may not read billing assets.");
  await expect(alert).toContainText("req_01TESTASSETS");
  // Typing an ID still works.
  await fillSetup(page, `Typed account ${Date.now()}`);
  await page.getByRole("combobox", { name: "Account ID" }).fill("234567890123");
  await page.getByRole("combobox", { name: "Account ID" }).press("Escape");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");
  await page.getByRole("button", { name: "Previous" }).click();

  answer = "pass";
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(alert).toHaveCount(0);
  await page.getByRole("button", { name: "+ Add another account" }).click();
  await pick(page, page.getByRole("combobox", { name: "Account ID" }).nth(1), "0044", /004455667788/);
});

test("an existing connection's name is refused as it is typed and by Next; its role name in the same account is warned about", async ({ page }) => {
  await openNewWizard(page);
  // The seed's "Production read-only" uses DoitCloudFlowReadOnly in 000123456789 and 004455667788.
  await fillSetup(page, "  production READ-only ", "doitcloudflowreadonly");
  const name = page.getByLabel("Name your new connection");
  const nameMsg = page.locator("#connection-name-msg");
  await expect(nameMsg).toContainText("is already used by another connection of your organisation");
  const roleMsg = page.locator("#role-name-msg");
  await expect(roleMsg).not.toContainText("already uses this role name");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "0001", /000123456789/);
  await expect(roleMsg).toContainText('the connection "Production read-only" already uses this role name in one of these accounts');
  // Next stops on the name, as on any other error of the step.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Setup");
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  // Another name and another account: both messages go, and Next moves on.
  await name.fill("Production read-only (eu)");
  await expect(nameMsg).not.toContainText("is already used");
  await page.getByRole("combobox", { name: "Account ID" }).fill("");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  await expect(roleMsg).not.toContainText("already uses this role name");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");
});

test("a name taken after the page loaded is refused when Next saves the connection, and mapped to its field", async ({ page, request }) => {
  const name = `Taken ${Date.now()}`;
  await openNewWizard(page);
  await fillSetup(page, name, "CloudFlowTakenRole");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  // Someone else creates a connection with the same name meanwhile.
  const resp = await request.post("/cloudflow/v1/connections", {
    headers: { Authorization: `Bearer ${OWNER_TOKEN}`, "Idempotency-Key": `e2e-${name.replace(/[^A-Za-z0-9]/g, "-")}`, "Content-Type": "application/json" },
    data: { name, awsConfig: { roleName: "Other", context: [{ accountId: "234567890123", regions: [] }], permissions: { awsManagedPolicies: [], actions: [] } }, collaborators: [] },
  });
  expect(resp.status()).toBe(201);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Setup");
  const field = page.getByLabel("Name your new connection");
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#connection-name-msg")).not.toBeEmpty();
  expect(await connectionsNamed(request, name)).toHaveLength(1);
});

test("a reload mid-wizard restores every field and the step", async ({ page }) => {
  await openNewWizard(page);
  await fillFullDraft(page, "Reload keeps it");
  await page.reload();
  await expect(stepHeading(page)).toHaveText("Access");
  await expect(page.getByRole("combobox", { name: "Email" }).nth(1)).toHaveValue("marcus.webb@example.com");
  await expect(page.getByLabel("Connection access level").nth(1)).toHaveValue("editor");
  await page.getByRole("link", { name: /Permissions/ }).click();
  await expect(page.getByRole("combobox", { name: "Allowed action" })).toHaveCount(3);
  await expect(page.getByRole("combobox", { name: "Allowed action" }).nth(2)).toHaveValue("ec2:StopInstances");
  await page.getByRole("link", { name: /Setup/ }).click();
  await expect(page.getByLabel("Name your new connection")).toHaveValue("Reload keeps it");
  await expect(page.getByRole("combobox", { name: "Account ID" }).nth(1)).toHaveValue("004455667788");
  // Cancel asks before throwing the draft away.
  page.once("dialog", (d) => d.dismiss());
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(stepHeading(page)).toHaveText("Setup");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  expect(await page.evaluate(() => sessionStorage.getItem("cloudflow-connect.draft"))).toBeNull();
});

test("a viewer without CloudFlow permission is told so and offered no way to create", async ({ page }) => {
  await page.route("**/config.json", async (route) => {
    const resp = await route.fetch();
    const cfg = await resp.json();
    await route.fulfill({ response: resp, json: { ...cfg, token: "dev-viewer-token" } });
  });
  await page.goto("/connections");
  await expect(page.getByText(/creating one needs the CloudFlow Owner or CloudFlow Editor permission/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Create connection" })).toHaveCount(0);
  await page.goto("/connections/aws/new/setup");
  await expect(page.getByText(/creating one needs the CloudFlow Owner or CloudFlow Editor permission/)).toBeVisible();
  await expect(page.getByLabel("Name your new connection")).toHaveCount(0);
});

test("a partner token reaches the tenant config.json names in tenantId, and only that one", async ({ page }) => {
  let tenantId: string | undefined = "initech-example";
  await page.route("**/config.json", async (route) => {
    const resp = await route.fetch();
    await route.fulfill({ response: resp, json: { ...(await resp.json()), token: "dev-partner-token", tenantId } });
  });
  await page.goto("/connections/aws/new/setup");
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  const picker = page.getByRole("combobox", { name: "Account ID" });
  await picker.fill("initech");
  await expect(page.getByRole("option", { name: /777788889999/ })).toBeVisible();
  await picker.fill("globex");
  // The picker's own list (the top bar's language select has options too).
  await expect(page.locator(`#${await picker.getAttribute("aria-controls")}`).getByRole("option")).toHaveCount(0);
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(page.locator("#account-1-id-count")).toHaveText("No matches");
  // Without it the API cannot tell which tenant is meant, and the page says so.
  tenantId = undefined;
  await page.reload();
  await expect(page.getByText("Your permissions could not be checked.")).toBeVisible();
  await expect(page.getByText(/reaches several tenants \(globex-example, initech-example\); name one in X-Tenant-Id/)).toBeVisible();
  await expect(page.getByLabel("Name your new connection")).toHaveCount(0);
});

test("the Account ID picker filters and selects among 10,000 accounts with a bounded list", async ({ page }) => {
  await page.goto(`${largeURL}/connections`);
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${largeURL}/connections/aws/new/setup`);
  const picker = page.getByRole("combobox", { name: "Account ID" });
  await picker.click();
  const listbox = page.locator(`#${await picker.getAttribute("aria-controls")}`);
  await expect(listbox.getByRole("option").first()).toBeVisible({ timeout: 20_000 });
  expect(await listbox.getByRole("option").count()).toBeLessThanOrEqual(40);
  const assets = await apiGet(page.request, `${largeURL}/billing/v1/assets?filter=type:amazon-web-services&maxResults=1000&pageToken=`).catch(() => null);
  const target = assets?.assets?.[777]?.accountId ?? null;
  expect(target).not.toBeNull();
  await picker.fill(target);
  await expect(listbox.getByRole("option", { name: new RegExp(target) })).toHaveCount(1);
  await picker.press("ArrowDown");
  await picker.press("Enter");
  await expect(picker).toHaveValue(target);
  // The accounts come 1,000 a page (the API's largest): about ten requests, not a hundred.
  // (Resource timing lists this document's requests only, not the previous page's.)
  const assetPages = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => e.name).filter((u) => u.includes("/billing/v1/assets")),
  );
  expect(assetPages.length).toBeGreaterThanOrEqual(10);
  expect(assetPages.length).toBeLessThanOrEqual(11);
  expect(assetPages.every((u) => u.includes("maxResults=1000"))).toBe(true);
});

test("an account whose role cannot be assumed ends permissions_failed with its message and a way to check again", async ({ page }) => {
  const name = `Broken ${Date.now()}`;
  await openNewWizard(page);
  await fillSetup(page, name, "CloudFlowBrokenRole");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2109", /210987654321/);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name, { timeout: 20_000 });
  const row = page.getByRole("table", { name: "Accounts" }).getByRole("row", { name: /210987654321/ });
  await expect(row).toContainText("Permissions failed", { timeout: 20_000 });
  await expect(row.locator(".cf-status__message")).not.toBeEmpty();
  // The role can still be deployed there, and the check retried.
  await expect(page.getByRole("link", { name: "Open CloudFormation stack" })).toBeVisible();
  await page.getByRole("button", { name: "Check again" }).click();
  await expect(row).toContainText("Permissions failed");
});

/** Presses Tab until the focused element matches (by id, label or text): keyboard only. */
async function tabTo(page: Page, m: { id?: string; label?: string; text?: string }) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const ok = await page.evaluate((m) => {
      const a = document.activeElement as HTMLInputElement | null;
      if (!a) return false;
      if (m.id) return a.id === m.id;
      if (m.label) return (a.labels?.[0]?.textContent ?? "").trim() === m.label;
      return (a.textContent ?? "").trim() === m.text;
    }, m);
    if (ok) return;
  }
  throw new Error(`Tab never reached ${JSON.stringify(m)}`);
}

test("the keyboard alone completes the wizard", async ({ page, request }) => {
  const name = `Keyboard ${Date.now()}`;
  await page.goto("/connections");
  await page.evaluate(() => sessionStorage.clear());
  await tabTo(page, { text: "Create connection" });
  await page.keyboard.press("Enter");
  await expect(stepHeading(page)).toHaveText("Setup");
  await tabTo(page, { label: "Name your new connection" });
  await page.keyboard.type(name);
  await tabTo(page, { label: "Name your new AWS role" });
  await page.keyboard.type("CloudFlowKeyboardRole");
  await tabTo(page, { label: "Account ID" });
  await page.keyboard.type("234567");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("combobox", { name: "Account ID" })).toHaveValue("234567890123");
  await tabTo(page, { text: "Next" });
  await page.keyboard.press("Enter");
  await expect(stepHeading(page)).toBeFocused();
  await expect(stepHeading(page)).toHaveText("Permissions");
  await tabTo(page, { label: "Allowed action" });
  await page.keyboard.type("s3:GetObj");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("combobox", { name: "Allowed action" })).toHaveValue("s3:GetObject");
  await tabTo(page, { text: "Next" });
  await page.keyboard.press("Enter");
  await expect(stepHeading(page)).toHaveText("Access");
  await tabTo(page, { text: "Done" });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name, { timeout: 20_000 });
  const [created] = await connectionsNamed(request, name);
  expect(created.awsConfig.permissions.actions).toEqual(["s3:GetObject"]);
  expect(created.awsConfig.context[0].accountId).toBe("234567890123");
});
