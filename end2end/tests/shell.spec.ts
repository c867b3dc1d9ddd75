import { test, expect } from "@playwright/test";
import { expectNoAxeViolations, fillSetup, openNewWizard, pick, stepHeading, stepNav } from "./helpers";

// The app shell: Connections page, the wizard frame and its step navigation.

test("the root opens the Connections page with the AWS provider pane", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/connections$/);
  const providers = page.getByRole("navigation", { name: "Cloud providers" });
  await expect(providers.getByRole("link", { name: "AWS" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("button", { name: "Create connection" })).toBeVisible();
  // The tenant's existing connections are listed.
  await expect(page.getByRole("table", { name: "AWS connections" }).getByRole("link", { name: "Production read-only", exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("Create connection opens Setup; Next and Previous step through the wizard", async ({ page }) => {
  await openNewWizard(page);
  await expect(page).toHaveURL(/\/connections\/aws\/new\/setup$/);
  const nav = stepNav(page);
  await expect(nav.getByRole("link", { name: /Setup/ })).toHaveAttribute("aria-current", "step");
  // Unvisited steps are shown but not links.
  await expect(nav.getByRole("link", { name: /Permissions/ })).toHaveCount(0);
  await expect(nav.getByText("Permissions")).toBeVisible();
  await expect(page.getByRole("button", { name: "Previous" })).toHaveCount(0);

  // Next is never disabled: it validates, and focus goes to the first invalid field.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByLabel("Name your new connection")).toBeFocused();
  await expect(page.getByLabel("Name your new connection")).toHaveAttribute("aria-invalid", "true");

  await fillSetup(page, "Shell test connection");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/permissions$/);
  await expect(stepHeading(page)).toHaveText("Permissions");
  // Focus moves to the step heading on step change.
  await expect(stepHeading(page)).toBeFocused();
  await expect(nav.getByRole("link", { name: /Permissions/ })).toHaveAttribute("aria-current", "step");

  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Access");
  await expect(page.getByRole("button", { name: "Next" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Done" })).toBeVisible();

  await page.getByRole("button", { name: "Previous" }).click();
  await expect(stepHeading(page)).toHaveText("Permissions");
  await expect(stepHeading(page)).toBeFocused();
  // Visited steps stay clickable.
  await nav.getByRole("link", { name: /Access/ }).click();
  await expect(page).toHaveURL(/\/access$/);
  await nav.getByRole("link", { name: /Setup/ }).click();
  await expect(stepHeading(page)).toHaveText("Setup");
});

test("a reload or deep link on any step keeps the person on that step", async ({ page }) => {
  for (const step of ["setup", "permissions", "access"]) {
    await page.goto(`/connections/aws/new/${step}`);
    await expect(stepNav(page).getByRole("link", { name: new RegExp(step, "i") })).toHaveAttribute("aria-current", "step");
    await page.reload();
    await expect(page).toHaveURL(new RegExp(`/connections/aws/new/${step}$`));
    await expect(stepHeading(page)).toHaveText(new RegExp(step, "i"));
  }
});

test("every wizard step passes axe-core, with and without errors shown", async ({ page }) => {
  await openNewWizard(page);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Next" }).click(); // errors shown
  await expect(page.getByLabel("Name your new connection")).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page);
  for (const step of ["permissions", "access"]) {
    await page.goto(`/connections/aws/new/${step}`);
    await expect(stepHeading(page)).toBeVisible();
    await expectNoAxeViolations(page);
  }
  // Errors shown on Permissions: a malformed action.
  await page.goto("/connections/aws/new/permissions");
  await page.getByRole("combobox", { name: "Allowed action" }).first().fill("not an action");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("combobox", { name: "Allowed action" }).first()).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page);
});

test("config.json is fetched once, by the preload in index.html, while the wasm loads", async ({ page }) => {
  await page.goto("/connections/aws/new/setup");
  await expect(page.getByLabel("Name your new connection")).toBeVisible();
  const entries = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => {
      const r = e as PerformanceResourceTiming;
      return { name: new URL(r.name).pathname, initiator: r.initiatorType, start: r.startTime, end: r.responseEnd };
    }),
  );
  const config = entries.filter((e) => e.name.endsWith("/config.json"));
  // One request, made by the <link rel="preload">: the app's fetch was served from it.
  expect(config).toEqual([expect.objectContaining({ initiator: "link" })]);
  const wasm = entries.find((e) => e.name.endsWith(".wasm"));
  expect(wasm).toBeDefined();
  expect(config[0].start).toBeLessThan(wasm!.end);
});

test("under a basePath (the console's /console/cloudflow/) every link, deep link and reload stays under it", async ({ page, baseURL }) => {
  const base = "/console/cloudflow";
  await page.route("**/config.json", async (route) => {
    const resp = await route.fetch();
    await route.fulfill({ response: resp, json: { ...(await resp.json()), basePath: base } });
  });
  // The console serves the app's index.html for every page under its path.
  await page.route(`**${base}/**`, async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    await route.fulfill({ response: await route.fetch({ url: `${baseURL}/` }) });
  });
  await page.goto(`${base}/connections`);
  await page.evaluate(() => sessionStorage.clear());
  const existing = page.getByRole("table", { name: "AWS connections" }).getByRole("link", { name: "Production read-only", exact: true });
  await expect(existing).toHaveAttribute("href", new RegExp(`^${base}/connections/aws/`));
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/connections/aws/new/setup$`));
  await expect(stepHeading(page)).toHaveText("Setup");
  await fillSetup(page, "Under a base path");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/connections/aws/new/permissions$`));
  await page.reload();
  await expect(stepHeading(page)).toHaveText("Permissions");
  await expect(stepNav(page).getByRole("link", { name: /Setup/ })).toHaveAttribute("href", `${base}/connections/aws/new/setup`);
  await page.getByRole("combobox", { name: "Allowed action" }).first().fill("s3:GetObject");
  await page.getByRole("combobox", { name: "Allowed action" }).first().press("Escape");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(`${baseURL}${base}/connections/aws/new/access`);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Under a base path", { timeout: 20_000 });
  await expect(page).toHaveURL(new RegExp(`^${baseURL}${base}/connections/aws/[^/]+$`));
  // The redirects (the root, the wizard without a step) land under the base too.
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(`${baseURL}${base}/connections`);
  await page.goto(`${base}/connections/aws/new`);
  await expect(page).toHaveURL(`${baseURL}${base}/connections/aws/new/setup`);
  await expect(stepHeading(page)).toHaveText("Setup");
  await page.goto(`${base}/connections`);
  await existing.click();
  await expect(page).toHaveURL(new RegExp(`^${baseURL}${base}/connections/aws/[^/]+$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Production read-only");
});

test("the live preview sits beside the form on wide screens and below it on narrow ones; no page scrolls sideways", async ({ page }) => {
  for (const [width, beside] of [[1400, true], [900, false], [420, false]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await openNewWizard(page);
    const form = await page.getByRole("region", { name: "Setup" }).boundingBox();
    const preview = await page.getByRole("complementary", { name: /preview/i }).boundingBox();
    expect(form && preview, `${width}px: both are laid out`).toBeTruthy();
    if (beside) {
      expect(preview!.x, `${width}px: beside`).toBeGreaterThanOrEqual(form!.x + form!.width - 1);
    } else {
      expect(preview!.y, `${width}px: below`).toBeGreaterThanOrEqual(form!.y + form!.height - 1);
    }
    // Nothing is pushed off to the side at any width, on any step or page (long template
    // lines scroll inside their code block).
    await fillSetup(page, `Layout check ${width} ${Date.now()}`);
    await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
    for (const next of ["Permissions", "Access", null]) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${width}px, ${page.url()}: no horizontal scroll`).toBeLessThanOrEqual(0);
      if (next === null) break;
      await page.getByRole("button", { name: "Next" }).click();
      await expect(stepHeading(page)).toHaveText(next);
    }
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.goto("/connections");
    const link = page.getByRole("table", { name: "AWS connections" }).getByRole("link", { name: "Production read-only", exact: true });
    await expect(link).toBeVisible();
    expect(await sideways(), `${width}px, the Connections page: no horizontal scroll`).toBeLessThanOrEqual(0);
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Production read-only");
    expect(await sideways(), `${width}px, the connection's page: no horizontal scroll`).toBeLessThanOrEqual(0);
  }
});
