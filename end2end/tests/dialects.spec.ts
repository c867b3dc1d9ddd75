import { test, expect, Page, APIRequestContext } from "@playwright/test";
import { baseURL, releasedURL } from "../playwright.config";
import { OWNER_TOKEN, pick, stepHeading } from "./helpers";

// The main journey against both of DoiT's API documents: the pre-release one (problem+json,
// dry runs, ETags, idempotency keys; the default server) and the released one (connectionId,
// {"error"} bodies, no dry run: its ?dryRun=true POST creates the connection).

const dialects: [string, string, string][] = [
  ["pre-release", baseURL, "id"],
  ["released", releasedURL, "connectionId"],
];

async function connectionsNamed(request: APIRequestContext, url: string, name: string) {
  const resp = await request.get(`${url}/cloudflow/v1/connections?maxResults=100`, { headers: { Authorization: `Bearer ${OWNER_TOKEN}` } });
  expect(resp.ok()).toBeTruthy();
  return ((await resp.json()).items as any[]).filter((c) => c.name === name);
}

async function draftWithAStranger(page: Page, name: string) {
  await page.getByLabel("Name your new connection").fill(name);
  await page.getByLabel("Name your new AWS role").fill("CloudFlowDialectRole");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");
  const action = page.getByRole("combobox", { name: "Allowed action" }).first();
  await action.fill("s3:GetObject");
  await action.press("Escape");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Access");
  // Someone the organisation does not know: only the server can tell.
  await page.getByRole("button", { name: "+ Add another user" }).click();
  const email = page.getByRole("combobox", { name: "Email" }).nth(1);
  await email.fill("stranger@elsewhere.example");
  await email.press("Escape");
}

for (const [dialect, url, idField] of dialects) {
  test(`against the ${dialect} API: a refusal in the server's words, then create, follow to active, disable, enable, list, delete`, async ({ page, request }) => {
    test.setTimeout(90_000);
    const name = `Dialect ${dialect} ${Date.now()}`;
    await page.goto(`${url}/connections`);
    await page.evaluate(() => sessionStorage.clear());
    await page.getByRole("button", { name: "Create connection" }).click();
    await expect(stepHeading(page)).toHaveText("Setup");
    await draftWithAStranger(page, name);

    // Saved at Setup as a draft (disabled); the server refuses the stranger at Done, in its own
    // words, and the draft stays as it was.
    const draft = await connectionsNamed(request, url, name);
    expect(draft).toHaveLength(1);
    expect(draft[0].status).toBe("draft");
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByText(/is not a user of this organisation/).first()).toBeVisible();
    const still = await connectionsNamed(request, url, name);
    expect(still).toHaveLength(1);
    expect(still[0].enabled).toBe(false);
    expect(still[0].collaborators.map((c: any) => c.email)).not.toContain("stranger@elsewhere.example");
    await page.getByRole("button", { name: "Remove stranger@elsewhere.example" }).click();

    await page.getByRole("button", { name: "Done" }).click();
    await expect(page).toHaveURL(/\/connections\/aws\/[^/]+$/, { timeout: 20_000 });
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(page.locator(".cf-details__status")).toContainText("Active", { timeout: 20_000 });
    const found = await connectionsNamed(request, url, name);
    expect(found).toHaveLength(1);
    expect(found[0][idField]).toBe(id);
    expect(found[0].collaborators).toEqual([{ email: "priya.natarajan@example.com", role: "owner" }]);

    await page.getByRole("button", { name: "Disable" }).click();
    await expect(page.getByText("The connection is disabled.")).toBeVisible();
    await page.getByRole("button", { name: "Enable" }).click();
    await expect(page.getByText("The connection is enabled.")).toBeVisible();
    expect((await connectionsNamed(request, url, name))[0].enabled).toBe(true);

    await page.getByRole("link", { name: "← AWS connections" }).click();
    const link = page.getByRole("link", { name, exact: true });
    await expect(link).toHaveAttribute("href", new RegExp(`/connections/aws/${encodeURIComponent(id)}$`));
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

    page.on("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/connections$/);
    expect(await connectionsNamed(request, url, name)).toHaveLength(0);
  });
}

test("against the released API the error area shows the {\"error\"} text, and no Request-Id is invented", async ({ page }) => {
  await page.route(
    (u) => u.pathname.endsWith("/cloudflow/v1/connections"),
    (route) =>
      route.request().method() === "POST"
        ? route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ error: "awsConfig.roleName is reserved by DoiT" }) })
        : route.continue(),
  );
  await page.goto(`${releasedURL}/connections`);
  await page.evaluate(() => sessionStorage.clear());
  await page.getByRole("button", { name: "Create connection" }).click();
  await page.getByLabel("Name your new connection").fill(`Refused ${Date.now()}`);
  await page.getByLabel("Name your new AWS role").fill("CloudFlowDialectRole");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  // Next saves the connection with DoiT: refused, the person stays on Setup with its words.
  await page.getByRole("button", { name: "Next" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "awsConfig.roleName is reserved by DoiT" });
  await expect(alert).toBeVisible();
  await expect(alert).not.toContainText("Request-Id");
  await expect(stepHeading(page)).toHaveText("Setup");
});
