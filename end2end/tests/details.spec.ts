import { test, expect } from "@playwright/test";
import { apiGet, OWNER_TOKEN } from "./helpers";

// The connection details page: Disable/Enable and Delete with If-Match.

async function createConnection(request: any, name: string) {
  const resp = await request.post("/cloudflow/v1/connections", {
    headers: { Authorization: `Bearer ${OWNER_TOKEN}`, "Idempotency-Key": `e2e-${name.replace(/[^A-Za-z0-9]/g, "-")}`, "Content-Type": "application/json" },
    data: {
      name,
      awsConfig: { roleName: "CloudFlowDetailsRole", context: [{ accountId: "234567890123", regions: [] }], permissions: { awsManagedPolicies: [], actions: ["s3:GetObject"] } },
      collaborators: [],
    },
  });
  expect(resp.status()).toBe(201);
  return resp.json();
}

test("disable and enable send If-Match; a change made elsewhere first is reloaded and explained", async ({ page, request }) => {
  const created = await createConnection(request, `Details ${Date.now()}`);
  await page.goto(`/connections/aws/${created.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(created.name);
  // The role can still be deployed where it is missing, with the real external ID.
  const template = page.getByRole("region", { name: "CloudFormation template (YAML)" });
  await expect(template).toContainText(created.externalId);
  const link = page.getByRole("link", { name: "Open CloudFormation stack" });
  expect(new URLSearchParams(new URL((await link.getAttribute("href"))!).hash.split("?")[1]).get("param_ExternalId")).toBe(created.externalId);

  await page.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByText("The connection is disabled.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();

  // Another tab enables it meanwhile: our ETag is now stale.
  const fresh = await request.get(`/cloudflow/v1/connections/${created.id}`, { headers: { Authorization: `Bearer ${OWNER_TOKEN}` } });
  const etag = fresh.headers()["etag"];
  const patched = await request.patch(`/cloudflow/v1/connections/${created.id}`, {
    headers: { Authorization: `Bearer ${OWNER_TOKEN}`, "If-Match": etag, "Idempotency-Key": `e2e-other-tab-${created.id}`, "Content-Type": "application/merge-patch+json" },
    data: { enabled: true },
  });
  expect(patched.status()).toBe(200);
  await page.getByRole("button", { name: "Enable" }).click();
  await expect(page.getByText(/Someone changed this connection in the meantime/)).toBeVisible();
  // Reloaded: it shows the other tab's state.
  await expect(page.getByRole("button", { name: "Disable" })).toBeVisible();
  const after = await apiGet(request, `/cloudflow/v1/connections/${created.id}`);
  expect(after.enabled).toBe(true);
});

test("a delete blocked by flows is explained, and a free connection is deleted", async ({ page, request }) => {
  await page.goto("/connections/aws/cfc_seed01");
  page.on("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText(/cannot be deleted while flows use it/)).toBeVisible();

  const created = await createConnection(request, `Delete me ${Date.now()}`);
  await page.goto(`/connections/aws/${created.id}`);
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  const gone = await request.get(`/cloudflow/v1/connections/${created.id}`, { headers: { Authorization: `Bearer ${OWNER_TOKEN}` } });
  expect(gone.status()).toBe(404);
});
