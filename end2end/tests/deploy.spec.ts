import { test, expect, Page, BrowserContext } from "@playwright/test";
import { basePort, DevApi, pick, stepHeading } from "./helpers";

// The help page's order, literally: Setup, then Permissions, where the person applies the
// stack in each account (here in cloudflow-devapi's stand-in of the AWS console), sees each
// account connect, then Access and Done. The connection exists on the server from Setup on
// (a draft), so every artefact carries DoiT's external ID.

const CONSOLE = "https://us-east-1.console.aws.amazon.com";

/** cloudflow-devapi with its stand-in of the AWS console (`--simulated-aws`). */
class Server extends DevApi {
  constructor(port: number, flags: string[]) {
    super(port, ["--simulated-aws", ...flags]);
  }
  async stack(body: any) {
    const r = await fetch(`${this.url}/simulated-aws/api/stacks`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect(r.status, await r.clone().text()).toBe(201);
  }
  async deleteStack(account: string) {
    const r = await fetch(`${this.url}/simulated-aws/api/stacks/${account}/DoitCloudFlowConnectionRole`, { method: "DELETE" });
    expect(r.status).toBe(204);
  }
}

/** The AWS console's host answers from the local stand-in (every path, every method). */
async function routeConsole(context: BrowserContext, server: Server) {
  await context.route(`${CONSOLE}/**`, async (route) => {
    const req = route.request();
    const u = new URL(req.url());
    const resp = await context.request.fetch(`${server.url}/simulated-aws${u.pathname}${u.search}`, {
      method: req.method(),
      headers: req.headers(),
      data: req.postDataBuffer() ?? undefined,
      maxRedirects: 0,
    });
    await route.fulfill({ status: resp.status(), headers: resp.headers(), body: await resp.body() });
  });
}

async function setup(page: Page, name: string, accounts: [string, RegExp][]) {
  await page.getByLabel("Name your new connection").fill(name);
  await page.getByLabel("Name your new AWS role").fill("CloudFlowDeployRole");
  const pickers = page.getByRole("combobox", { name: "Account ID" });
  for (const [i, [typed, option]] of accounts.entries()) {
    if (i > 0) await page.getByRole("button", { name: "+ Add another account" }).click();
    await pick(page, pickers.nth(i), typed, option);
  }
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");
}

const status = (page: Page, account: string) =>
  page.getByRole("table", { name: "Deployment status" }).getByRole("row", { name: new RegExp(account) });

/** Opens the one-click link (a new tab), creates the stack in `account`, closes the tab. */
async function deployThroughTheLink(page: Page, account: string) {
  const [tab] = await Promise.all([
    page.context().waitForEvent("page"),
    page.getByRole("link", { name: "Open CloudFormation stack" }).click(),
  ]);
  await expect(tab.getByRole("heading", { name: "Quick create stack" })).toBeVisible();
  await tab.getByLabel("AWS account ID").fill(account);
  await tab.getByLabel("I acknowledge that AWS CloudFormation might create IAM resources with custom names.").check();
  await tab.getByRole("button", { name: "Create stack" }).click();
  await expect(tab.getByRole("heading", { name: "Stack created" })).toBeVisible();
  await expect(tab.getByText("CREATE_COMPLETE").first()).toBeVisible();
  await tab.close();
}

test("following the help page: deploy from Permissions with DoiT's external ID, each account connects, Done, active, one connection", async ({ browser }) => {
  test.setTimeout(120_000);
  const server = new Server(basePort + 8, []);
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  try {
    // The app opens AWS's real console host; the test routes that host to the stand-in.
    await context.route("**/config.json", async (route) => {
      const resp = await route.fetch();
      const config = await resp.json();
      delete config.awsConsoleUrl;
      await route.fulfill({ response: resp, json: config });
    });
    await routeConsole(context, server);
    const page = await context.newPage();
    const name = `Help page ${Date.now()}`;
    await page.goto("/connections");
    await page.getByRole("button", { name: "Create connection" }).click();
    await setup(page, name, [["0001", /000123456789/], ["0044", /004455667788/]]);

    // Saved at Setup: a draft with DoiT's external ID, which every artefact carries.
    const [draft] = await server.connectionsNamed(name);
    expect(draft.status).toBe("draft");
    const externalId: string = draft.externalId;
    await expect(page.locator(".cf-external-id code")).toHaveText(externalId);
    const href = (await page.getByRole("link", { name: "Open CloudFormation stack" }).getAttribute("href"))!;
    expect(new URL(href).host).toBe("us-east-1.console.aws.amazon.com");
    expect(new URLSearchParams(new URL(href).hash.split("?")[1]).get("param_ExternalId")).toBe(externalId);
    await expect(page.getByRole("region", { name: "AWS CLI command" })).toContainText(externalId);
    await expect(page.getByRole("region", { name: /CloudFormation template \(YAML\) preview/ })).toContainText(externalId);
    await expect(status(page, "000123456789")).toContainText("Waiting for the role");

    // Permissions first (they travel in the link), then deploy in each account.
    const action = page.getByRole("combobox", { name: "Allowed action" }).first();
    await action.fill("s3:GetObject");
    await action.press("Escape");
    await expect.poll(async () => (await server.connectionsNamed(name))[0].awsConfig.permissions.actions).toEqual(["s3:GetObject"]);
    await deployThroughTheLink(page, "000123456789");
    await expect(status(page, "000123456789")).toContainText("Connected", { timeout: 20_000 });
    await expect(page.getByText(/Not connected yet: 004455667788/)).toBeVisible();
    await deployThroughTheLink(page, "004455667788");
    await expect(status(page, "004455667788")).toContainText("Connected", { timeout: 20_000 });
    await expect(page.getByText(/Not connected yet/)).toBeHidden();

    await page.getByRole("button", { name: "Next" }).click();
    await expect(stepHeading(page)).toHaveText("Access");
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name, { timeout: 20_000 });
    await expect(page.locator(".cf-details__status")).toContainText("Active", { timeout: 20_000 });
    const found = await server.connectionsNamed(name);
    expect(found).toHaveLength(1);
    expect(found[0].externalId).toBe(externalId);
    expect(found[0].enabled).toBe(true);
  } finally {
    await context.close();
    await server.stop();
  }
});

test("a stack with a wrong external ID or role name shows Failed with the reason; fixed, Check again connects", async ({ browser }) => {
  test.setTimeout(120_000);
  const server = new Server(basePort + 9, []);
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    const name = `Wrong stack ${Date.now()}`;
    await page.goto("/connections");
    await page.getByRole("button", { name: "Create connection" }).click();
    await setup(page, name, [["2345", /234567890123/]]);
    const [draft] = await server.connectionsNamed(name);
    const parameters = { RoleName: "CloudFlowDeployRole", TrustedAccountId: "068664126052", ExternalId: "someone-elses-id", ManagedPolicyArns: "", AllowedActions: "" };

    await server.stack({ accountId: "234567890123", acknowledged: true, parameters });
    await page.getByRole("button", { name: "Check again" }).click();
    await expect(status(page, "234567890123")).toContainText("Failed: the role's external ID differs from this connection's", { timeout: 20_000 });

    await server.deleteStack("234567890123");
    await server.stack({ accountId: "234567890123", acknowledged: true, parameters: { ...parameters, RoleName: "SomeOtherRole", ExternalId: draft.externalId } });
    await page.getByRole("button", { name: "Check again" }).click();
    await expect(status(page, "234567890123")).toContainText(/Failed: the stack DoitCloudFlowConnectionRole in this account created the role SomeOtherRole/, { timeout: 20_000 });

    // Fixed through the link (served by the stand-in, which config.json names).
    await server.deleteStack("234567890123");
    await deployThroughTheLink(page, "234567890123");
    await page.getByRole("button", { name: "Check again" }).click();
    await expect(status(page, "234567890123")).toContainText("Connected", { timeout: 20_000 });
  } finally {
    await context.close();
    await server.stop();
  }
});

test("leave after Setup, Resume from the list in a new browser: the same connection and external ID; Cancel deletes it", async ({ browser }) => {
  test.setTimeout(120_000);
  const server = new Server(basePort + 10, []);
  await server.start();
  try {
    const first = await browser.newContext({ baseURL: server.url });
    const page = await first.newPage();
    const name = `Resumed ${Date.now()}`;
    await page.goto("/connections");
    await page.getByRole("button", { name: "Create connection" }).click();
    await setup(page, name, [["2345", /234567890123/]]);
    const action = page.getByRole("combobox", { name: "Allowed action" }).first();
    await action.fill("ec2:DescribeInstances");
    await action.press("Escape");
    await expect.poll(async () => (await server.connectionsNamed(name))[0].awsConfig.permissions.actions).toEqual(["ec2:DescribeInstances"]);
    const [draft] = await server.connectionsNamed(name);
    await first.close();

    const second = await browser.newContext({ baseURL: server.url });
    const other = await second.newPage();
    await other.goto("/connections");
    const row = other.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Draft");
    await row.getByRole("button", { name: `Resume ${name}` }).click();
    await expect(stepHeading(other)).toHaveText("Permissions");
    await expect(other.locator(".cf-external-id code")).toHaveText(draft.externalId);
    await expect(other.getByRole("combobox", { name: "Allowed action" }).first()).toHaveValue("ec2:DescribeInstances");
    await other.getByRole("link", { name: /Setup/ }).click();
    await expect(other.getByLabel("Name your new connection")).toHaveValue(name);

    other.on("dialog", (d) => d.accept());
    await other.getByRole("button", { name: "Cancel" }).click();
    await expect(other).toHaveURL(/\/connections$/);
    expect(await server.connectionsNamed(name)).toHaveLength(0);
    await second.close();
  } finally {
    await server.stop();
  }
});

test("against the released API (no external ID in any answer) the step says so and offers artefacts that ask for it", async ({ browser }) => {
  test.setTimeout(90_000);
  const server = new Server(basePort + 11, ["--dialect", "released"]);
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    const name = `Released draft ${Date.now()}`;
    await page.goto("/connections");
    await page.getByRole("button", { name: "Create connection" }).click();
    await setup(page, name, [["2345", /234567890123/]]);
    const [draft] = await server.connectionsNamed(name);
    expect(draft.status).toBe("draft");
    expect(draft.externalId).toBeUndefined();
    await expect(page.getByText(/DoiT's API did not return this connection's external ID/)).toBeVisible();
    const href = (await page.getByRole("link", { name: "Open CloudFormation stack" }).getAttribute("href"))!;
    expect(new URLSearchParams(href.split("#")[1].split("?")[1]).has("param_ExternalId")).toBe(false);
    await expect(page.getByRole("region", { name: "AWS CLI command" })).toContainText("EXTERNAL_ID");
    await expect(status(page, "234567890123")).toContainText("Waiting for the role");
    page.on("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/connections$/);
    expect(await server.connectionsNamed(name)).toHaveLength(0);
  } finally {
    await context.close();
    await server.stop();
  }
});
