import { test, expect, Page, APIRequestContext } from "@playwright/test";
import { baseURL, releasedURL } from "../playwright.config";
import { OWNER_TOKEN, stepHeading } from "./helpers";

// Editing a connection in the same wizard (issue 15): the summary of what changes, how to apply
// it in each account, one Save; a conflicting change keeps the edit; a User of the connection
// cannot edit it, in the page or by hand. Against both of DoiT's API documents.

const EDITOR_TOKEN = "dev-editor-token"; // marcus.webb@example.com, CloudFlow Editor
const dialects: [string, string][] = [
  ["pre-release", baseURL],
  ["released", releasedURL],
];

const auth = (token = OWNER_TOKEN) => ({ Authorization: `Bearer ${token}` });

/** A connection made for the test through the API: two accounts, one action, two people. */
async function makeConnection(request: APIRequestContext, url: string, name: string) {
  const resp = await request.post(`${url}/cloudflow/v1/connections`, {
    headers: { ...auth(), "Idempotency-Key": `edit-${name.replace(/\W/g, "-")}` },
    data: {
      name,
      awsConfig: {
        roleName: "CloudFlowEditRole",
        context: [
          { accountId: "000123456789", regions: ["eu-west-1"] },
          { accountId: "004455667788", regions: [] },
        ],
        permissions: { awsManagedPolicies: [], actions: ["s3:GetObject"] },
      },
      collaborators: [
        { email: "priya.natarajan@example.com", role: "owner" },
        { email: "marcus.webb@example.com", role: "editor" },
      ],
      enabled: true,
    },
  });
  expect(resp.status()).toBe(201);
  const created = await resp.json();
  return (created.id ?? created.connectionId) as string;
}

async function read(request: APIRequestContext, url: string, id: string) {
  const resp = await request.get(`${url}/cloudflow/v1/connections/${id}`, { headers: auth() });
  expect(resp.ok()).toBeTruthy();
  return { body: await resp.json(), etag: resp.headers()["etag"] };
}

const changes = (page: Page) => page.getByRole("region", { name: "What changes" });

/** Opens the connection's page, then Edit. */
async function openEdit(page: Page, url: string, id: string) {
  await page.goto(`${url}/connections/aws/${id}`);
  await page.evaluate(() => sessionStorage.clear());
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/connections/aws/${id}/edit/setup$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit AWS connection");
  await expect(stepHeading(page)).toHaveText("Setup");
  // Every step is open at once: the connection has them all.
  const steps = page.getByRole("navigation", { name: "Edit AWS connection steps" });
  await expect(steps.getByRole("link", { name: /Access/ })).toBeVisible();
}

async function addAction(page: Page, action: string) {
  await page.getByRole("button", { name: "+ Add another allowed action" }).click();
  const field = page.getByRole("combobox", { name: "Allowed action" }).last();
  await field.fill(action);
  await field.press("Escape");
}

for (const [dialect, url] of dialects) {
  test(`against the ${dialect} API: edit a connection (remove an account, add an action and a person), see what changes and how to apply it, save once`, async ({ page, request }) => {
    test.setTimeout(90_000);
    const name = `Edit ${dialect} ${Date.now()}`;
    const id = await makeConnection(request, url, name);
    await openEdit(page, url, id);

    // Setup, filled from the server; the external ID stays.
    await expect(page.getByLabel("Name your new connection")).toHaveValue(name);
    await expect(page.getByLabel("Name your new AWS role")).toHaveValue("CloudFlowEditRole");
    await expect(changes(page)).toContainText("No changes yet");
    await page.getByRole("button", { name: "Remove account 2" }).click();
    await expect(changes(page).locator('[data-change="account-removed"]')).toHaveText(
      "Account removed: 004455667788: delete its stack, so that no role trusting DoiT is left behind",
    );

    await page.getByRole("button", { name: "Next" }).click();
    await expect(stepHeading(page)).toHaveText("Permissions");
    await addAction(page, "s3:ListBucket");
    await expect(changes(page).locator('[data-change="action-added"]')).toContainText("Action added: s3:ListBucket");

    // How to apply it: the kept account updates its stack, the removed one deletes it.
    const apply = page.getByRole("table", { name: "What to do in each account" });
    await expect(apply.getByRole("row", { name: /000123456789/ })).toContainText("Update the stack");
    await expect(apply.getByRole("row", { name: /004455667788/ })).toContainText("Delete the stack");
    const update = page.getByRole("region", { name: "AWS CLI: update the stack" });
    await expect(update).toContainText("aws cloudformation update-stack");
    await expect(update).toContainText("CAPABILITY_NAMED_IAM");
    await expect(update).toContainText("s3:GetObject,s3:ListBucket");
    const { body: before } = await read(request, url, id);
    if (before.externalId) await expect(update).toContainText(`EXTERNAL_ID=${before.externalId}`);
    await expect(page.getByRole("region", { name: "AWS CLI: review as a change set" })).toContainText("create-change-set");
    const del = page.getByRole("region", { name: "AWS CLI: delete the stack in 004455667788" });
    await expect(del).toContainText("aws cloudformation delete-stack --region us-east-1 --stack-name DoitCloudFlowConnectionRole");

    await page.getByRole("button", { name: "Next" }).click();
    await expect(stepHeading(page)).toHaveText("Access");
    await page.getByRole("button", { name: "+ Add another user" }).click();
    const email = page.getByRole("combobox", { name: "Email" }).nth(2);
    await email.fill("sean.obrien@example.com");
    await email.press("Escape");
    await expect(changes(page).locator('[data-change="person-added"]')).toHaveText("Person added: sean.obrien@example.com as User");
    // Others are granted Editor or User; the last Owner can be neither removed nor demoted.
    const levels = page.getByLabel("Connection access level");
    await expect(levels.nth(1).locator('option[value="owner"]')).toBeDisabled();
    await expect(levels.nth(2).locator('option[value="owner"]')).toBeDisabled();
    await expect(levels.nth(2).locator('option[value="editor"]')).toBeEnabled();
    await expect(levels.nth(0).locator('option[value="user"]')).toBeDisabled();
    await expect(page.getByRole("button", { name: "Remove priya.natarajan@example.com" })).toHaveAttribute("aria-disabled", "true");

    // A reload keeps the edit where it was.
    await page.reload();
    await expect(stepHeading(page)).toHaveText("Access");
    await expect(changes(page).locator("li")).toHaveCount(3);

    // Nothing is saved before Save.
    expect((await read(request, url, id)).body.awsConfig.context).toHaveLength(2);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(new RegExp(`/connections/aws/${id}$`), { timeout: 20_000 });

    const { body: after } = await read(request, url, id);
    expect(after.name).toBe(name);
    expect(after.awsConfig.roleName).toBe("CloudFlowEditRole");
    expect(after.awsConfig.context.map((c: any) => [c.accountId, c.regions])).toEqual([["000123456789", ["eu-west-1"]]]);
    expect(after.awsConfig.permissions).toEqual({ awsManagedPolicies: [], actions: ["s3:GetObject", "s3:ListBucket"] });
    expect(after.collaborators).toEqual([
      { email: "priya.natarajan@example.com", role: "owner" },
      { email: "marcus.webb@example.com", role: "editor" },
      { email: "sean.obrien@example.com", role: "user" },
    ]);
    expect(after.enabled).toBe(true);
    if (before.externalId) expect(after.externalId).toBe(before.externalId);
  });

  test(`against the ${dialect} API: a User of a connection sees no Edit, and a hand-made PATCH is refused`, async ({ page, request }) => {
    await page.route("**/config.json", async (route) => {
      const resp = await route.fetch();
      await route.fulfill({ response: resp, json: { ...(await resp.json()), token: EDITOR_TOKEN } });
    });
    // Marcus is an Editor of "Production read-only" and a User of "Legacy sandbox".
    await page.goto(`${url}/connections`);
    await expect(page.getByRole("link", { name: "Edit Production read-only" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Legacy sandbox", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit Legacy sandbox" })).toHaveCount(0);

    await page.goto(`${url}/connections/aws/cfc_seed02`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Legacy sandbox");
    await expect(page.getByText("You can use this connection. Only its Owners and Editors")).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Disable" })).toBeHidden();

    await page.goto(`${url}/connections/aws/cfc_seed02/edit/setup`);
    await expect(page.getByText("only its Owners and Editors (and CloudFlow Owners) can change it")).toBeVisible();
    await expect(page.getByLabel("Name your new connection")).toHaveCount(0);

    const { etag } = await read(request, url, "cfc_seed02");
    const refused = await request.patch(`${url}/cloudflow/v1/connections/cfc_seed02`, {
      headers: { ...auth(EDITOR_TOKEN), "Content-Type": "application/json", "Idempotency-Key": `hand-${Date.now()}`, ...(etag ? { "If-Match": etag } : {}) },
      data: { name: "Taken over" },
    });
    expect(refused.status()).toBe(403);
    expect((await read(request, url, "cfc_seed02")).body.name).toBe("Legacy sandbox");
  });
}

test("a change saved by someone else meanwhile (412) is shown; the edit is kept on top of it and saved after", async ({ page, request }) => {
  test.setTimeout(90_000);
  const name = `Edit conflict ${Date.now()}`;
  const id = await makeConnection(request, baseURL, name);
  await openEdit(page, baseURL, id);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");
  await addAction(page, "s3:ListBucket");

  // Someone else adds a person while the edit is open.
  const { body, etag } = await read(request, baseURL, id);
  const theirs = await request.patch(`${baseURL}/cloudflow/v1/connections/${id}`, {
    headers: { ...auth(), "Content-Type": "application/json", "Idempotency-Key": `theirs-${id}`, "If-Match": etag },
    data: { collaborators: [...body.collaborators, { email: "lena.fischer@example.com", role: "user" }] },
  });
  expect(theirs.status()).toBe(200);

  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Save" }).click();
  const notice = page.getByRole("alert").filter({ hasText: "Someone else changed this connection" });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Person added: lena.fischer@example.com as User");
  // The edit is kept, on top of theirs: their person is in the list, and what the edit changes
  // is now against the connection as saved now (the action only).
  await expect(page).toHaveURL(new RegExp(`/connections/aws/${id}/edit/access$`));
  await expect(page.getByRole("combobox", { name: "Email" })).toHaveCount(3);
  await expect(page.getByRole("combobox", { name: "Email" }).nth(2)).toHaveValue("lena.fischer@example.com");
  await expect(changes(page).locator("li")).toHaveCount(1);
  await expect(changes(page).locator('[data-change="action-added"]')).toContainText("s3:ListBucket");
  expect((await read(request, baseURL, id)).body.awsConfig.permissions.actions).toEqual(["s3:GetObject"]);

  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/connections/aws/${id}$`), { timeout: 20_000 });
  const after = (await read(request, baseURL, id)).body;
  expect(after.awsConfig.permissions.actions).toEqual(["s3:GetObject", "s3:ListBucket"]);
  expect(after.collaborators.map((c: any) => c.email)).toContain("lena.fischer@example.com");
});

test("a draft (saved at Setup, not done) is not edited but resumed", async ({ page, request }) => {
  const resp = await request.post(`${baseURL}/cloudflow/v1/connections`, {
    headers: { ...auth(), "Idempotency-Key": `edit-draft-${Date.now()}` },
    data: {
      name: `Edit draft ${Date.now()}`,
      awsConfig: { roleName: "CloudFlowDraftRole", context: [{ accountId: "000123456789", regions: [] }], permissions: { awsManagedPolicies: [], actions: ["s3:GetObject"] } },
      collaborators: [{ email: "priya.natarajan@example.com", role: "owner" }],
      enabled: false,
    },
  });
  expect(resp.status()).toBe(201);
  const id = (await resp.json()).id;
  await page.goto(`${baseURL}/connections/aws/${id}`);
  await expect(page.getByRole("link", { name: "Resume it in the wizard" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
  await page.goto(`${baseURL}/connections/aws/${id}/edit/setup`);
  await expect(page).toHaveURL(/\/connections\/aws\/new\/permissions$/);
  await expect(page.getByLabel("Name your new AWS role")).toHaveCount(0);
});
