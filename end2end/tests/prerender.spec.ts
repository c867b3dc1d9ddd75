import { test, expect, Page, Route } from "@playwright/test";
import { serializeSetup } from "../prerender/serialize.mjs";
import { PAGES } from "../prerender/pages.mjs";

// index.html carries the Setup step as static markup (prerender/setup.html, written by
// scripts/prerender from the app's own render): it paints and takes typing before the
// wasm has arrived, and the app takes over without a visible change (src/prerender.rs).

const SETUP = "/connections/aws/new/setup";
const live = (page: Page) => page.evaluate(() => performance.getEntriesByName("cf-live").length > 0);

/** Holds the app's wasm until the returned function is called. */
async function holdWasm(page: Page) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test("the Setup step paints and takes typing before the wasm arrives; the app keeps what was typed", async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto(SETUP, { waitUntil: "commit" });
  const name = page.getByLabel("Name your new connection");
  await expect(name).toBeVisible();
  await expect(page.getByRole("heading", { name: "Setup" })).toBeVisible();
  // (Scoped to the copy that shows: index.html holds each route's, in both languages.)
  await expect(page.locator('[data-copy="setup-en"] .cf-preview pre')).toContainText("AWS::IAM::Role");
  await expect.poll(() => page.evaluate(() => performance.getEntriesByName("first-contentful-paint").length)).toBe(1);
  expect(await live(page)).toBe(false);
  // Its buttons wait for the app; a click on them is not silently lost as done.
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();

  await name.click();
  await page.keyboard.type("Early bird");
  await page.keyboard.press("ArrowLeft");
  await page.getByLabel("Name your new AWS role").fill("EarlyRole");
  await name.focus();
  await name.evaluate((el: HTMLInputElement) => el.setSelectionRange(9, 9));
  release();
  await expect.poll(() => live(page)).toBe(true);

  await expect(page.locator("#cf-prerender")).toHaveCount(0);
  await expect(page.locator("#cf-load-failed")).toHaveCount(0);
  await expect(name).toHaveValue("Early bird");
  await expect(name).toBeFocused();
  expect(await name.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe(9);
  await page.keyboard.type("!");
  await expect(name).toHaveValue("Early bir!d");
  await expect(page.getByLabel("Name your new AWS role")).toHaveValue("EarlyRole");
  // The app's own state has both: the autosaved draft and the live preview.
  await expect
    .poll(() => page.evaluate(() => sessionStorage.getItem("cloudflow-connect.draft") ?? ""))
    .toMatch(/"name":"Early bir!d".*"roleName":"EarlyRole"|"roleName":"EarlyRole".*"name":"Early bir!d"/);
  await expect(page.locator(".cf-preview pre")).toContainText("EarlyRole");
  await expect(page.getByRole("button", { name: "Next" })).toBeEnabled();
});

test("a click into the Account ID picker before the app took over opens its list once it has", async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto(SETUP, { waitUntil: "commit" });
  const picker = page.getByRole("combobox", { name: "Account ID" });
  await picker.click();
  await page.keyboard.type("2345");
  release();
  await expect.poll(() => live(page)).toBe(true);
  await expect(picker).toBeFocused();
  await expect(picker).toHaveValue("2345");
  const list = page.locator(`#${await picker.getAttribute("aria-controls")}`);
  await expect(list.getByRole("option", { name: /234567890123/ })).toBeVisible();
});

for (const [name, spec] of Object.entries(PAGES)) for (const lang of ["en", "ja"]) {
test(`the static copy of ${name} is the app's own first render (${lang}): same markup, same pixels, no layout shift (else run scripts/prerender)`, async ({ page }) => {
  // The copy in the person's language: Japanese as chosen with the switch (prerender/*.ja.html).
  if (lang !== "en") await page.addInitScript((l) => localStorage.setItem("cloudflow-connect.lang", l), lang);
  await page.setViewportSize({ width: 1400, height: 1000 });
  // What the copy shows loading stays loading (end2end/prerender/pages.mjs).
  const held: Route[] = [];
  await page.route(spec.held, (route) => {
    held.push(route);
  });
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => (window as any).__csp.push(`${e.violatedDirective}`));
    (window as any).__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as any[]) (window as any).__shift += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  const release = await holdWasm(page);
  await page.goto(spec.path, { waitUntil: "commit" });
  const shown = page.locator(`[data-copy="${name}-${lang}"]`);
  await expect(shown.locator("h1").first()).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  await expect(page.locator("html")).toHaveAttribute("data-cf-prerender", name);
  await page.evaluate(() => document.fonts.ready);
  const copy = await page.evaluate(serializeSetup, `[data-copy="${name}-${lang}"]`);
  const before = await page.screenshot();
  release();
  await expect.poll(() => live(page)).toBe(true);
  await page.waitForTimeout(1000);
  const app = await page.evaluate(serializeSetup, "body");
  expect(app, `the app's ${name} page differs from prerender/${name}.html: run scripts/prerender`).toBe(copy);
  const after = await page.screenshot();
  expect(Buffer.compare(before, after), "the page looks different once the app takes over").toBe(0);
  expect(await page.evaluate(() => (window as any).__shift)).toBe(0);
  // The copy and the script that shows it pass the page's CSP (no inline style, a hashed script).
  expect(await page.evaluate(() => (window as any).__csp)).toEqual([]);
  held.forEach((r) => r.abort().catch(() => {}));
});
}

test("each route shows its own copy before the wasm; Setup's not when the tab has a draft to restore", async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto("/connections", { waitUntil: "commit" });
  await expect(page.getByRole("heading", { name: "AWS connections" })).toBeVisible();
  await expect(page.getByText("Loading connections…")).toBeVisible();
  await expect(page.getByLabel("Name your new connection")).toBeHidden();
  await page.goto("/connections/aws/conn_somewhere", { waitUntil: "commit" });
  await expect(page.getByRole("heading", { name: "Connection", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Check again" })).toBeDisabled();
  await page.goto("/connections/aws/new/permissions", { waitUntil: "commit" });
  await expect(page.locator("#cf-prerender")).toBeHidden();
  await page.goto("/connections/aws/new", { waitUntil: "commit" });
  await expect(page.getByLabel("Name your new connection")).toBeVisible();
  await page.evaluate(() => sessionStorage.setItem("cloudflow-connect.draft", "{}"));
  await page.goto(SETUP, { waitUntil: "commit" });
  await expect(page.locator("#cf-prerender")).toBeHidden();
  release();
  // Without the copy the app mounts into the body as before, and removes the copy.
  await expect(page.locator("#cf-step-heading")).toHaveText("Setup");
  await expect(page.locator("#cf-prerender")).toHaveCount(0);
  expect(await live(page)).toBe(false);
});

test("when the app cannot load, the page says so instead of a copy that never comes alive", async ({ page }) => {
  await page.route(/_bg\.wasm$/, (route) => route.abort("connectionreset"));
  for (const path of [SETUP, "/connections"]) {
    await page.goto(path);
    const notice = page.getByRole("alert");
    await expect(notice).toContainText("This page could not start");
    await expect(notice).toContainText("Check your connection, then reload the page.");
    await expect(page.getByRole("link", { name: "Reload" })).toBeVisible();
    await expect(page.getByLabel("Name your new connection")).toHaveCount(0);
  }
  // Once the network is back, Reload starts the app.
  await page.unroute(/_bg\.wasm$/);
  await page.getByRole("link", { name: "Reload" }).click();
  await expect(page.getByRole("heading", { name: "AWS connections" })).toBeVisible();
  await expect(page.getByText("This page could not start")).toBeHidden();
});

test("a person who may not create connections sees the static step give way to the explanation", async ({ page }) => {
  await page.route("**/config.json", async (route) => {
    const resp = await route.fetch();
    const config = await resp.json();
    await route.fulfill({ response: resp, json: { ...config, token: "dev-viewer-token" } });
  });
  await page.goto(SETUP);
  await expect(page.getByText("creating one needs the CloudFlow Owner or CloudFlow Editor permission")).toBeVisible();
  await expect(page.getByLabel("Name your new connection")).toHaveCount(0);
  await expect(page.locator("#cf-prerender")).toHaveCount(0);
});
