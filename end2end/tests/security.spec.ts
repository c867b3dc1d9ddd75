import { test, expect, Page } from "@playwright/test";
import { fillSetup, openNewWizard, OWNER_TOKEN, pick, stepHeading } from "./helpers";

// Browser security: the CSP, tokens in memory only, hostile strings never run.

const HOSTILE = [
  "<img src=x onerror=window.__xss=1>",
  '"><script>window.__xss=1</script>',
  "javascript:window.__xss=1",
  "\u202Eevil\u202C name",
];

async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

test("every page is served with a strict CSP and reports no violation", async ({ page, request }) => {
  await watchCsp(page);
  const resp = await request.get("/connections");
  const csp = resp.headers()["content-security-policy"];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("frame-ancestors");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("'unsafe-eval'");
  // The same policy is in the page for hosts that cannot send headers.
  expect(await resp.text()).toContain('http-equiv="Content-Security-Policy"');

  await page.goto("/connections");
  await expect(page.getByRole("button", { name: "Create connection" })).toBeVisible();
  await openNewWizard(page);
  await fillSetup(page, "CSP check");
  await pick(page, page.getByRole("combobox", { name: "Account ID" }), "2345", /234567890123/);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("combobox", { name: "AWS Managed Policies" })).toBeVisible();
  await page.getByRole("tab", { name: "Terraform" }).first().click();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Access");
  await page.goto("/connections/aws/cfc_seed01");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Production read-only");
  expect(await page.evaluate(() => (window as any).__csp)).toEqual([]);
});

test("the token lives in memory only: never in localStorage or sessionStorage", async ({ page }) => {
  await openNewWizard(page);
  await fillSetup(page, "Token check");
  await page.getByRole("button", { name: "Next" }).click();
  await page.reload();
  const stored = await page.evaluate(() => {
    const all: string[] = [];
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i++) all.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
    }
    return all.join("\n");
  });
  expect(stored).toContain("Token check"); // the draft is there...
  expect(stored).not.toContain(OWNER_TOKEN); // ...the token is not
  expect(stored).not.toMatch(/dev-[a-z]+-token/);
});

test("every text field on every step takes hostile strings as plain text", async ({ page }) => {
  await openNewWizard(page);
  const fillAll = async () => {
    const fields = page.locator("main input[type=text], main input:not([type]), main textarea, main input[role=combobox]");
    await fields.first().waitFor();
    const n = await fields.count();
    expect(n).toBeGreaterThan(0);
    for (const s of [...HOSTILE, "y".repeat(10_000)]) {
      for (let i = 0; i < n; i++) {
        await fields.nth(i).fill(s);
        await fields.nth(i).press("Escape");
      }
    }
    return n;
  };
  let filled = await fillAll(); // Setup: name, role, Account ID, Region search
  // The organisation fields too.
  await page.getByRole("combobox", { name: "Account ID" }).fill("All");
  await page.getByRole("option", { name: /All accounts/ }).click();
  filled += await fillAll(); // management account, root, OUs, region search
  await page.goto("/connections/aws/new/permissions");
  filled += await fillAll(); // managed policy search, allowed action
  await page.goto("/connections/aws/new/access");
  filled += await fillAll(); // email
  expect(filled).toBeGreaterThanOrEqual(10);
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(await page.locator("main img, main script").count()).toBe(0);
  // The preview still renders a document.
  await expect(page.getByRole("region", { name: /CloudFormation .*preview/ })).toContainText("AWSTemplateFormatVersion");
});

test("hostile strings typed or sent by the API are shown as text and never run", async ({ page }) => {
  await openNewWizard(page);
  const long = "x".repeat(10_000);
  for (const s of [...HOSTILE, long]) {
    await page.getByLabel("Name your new connection").fill(s);
    await page.getByLabel("Name your new AWS role").fill(s);
    await page.getByRole("combobox", { name: "Account ID" }).fill(s);
  }
  await page.getByLabel("Name your new connection").fill(HOSTILE[0]);
  // The preview still renders a document, with the text intact in it.
  await expect(page.getByRole("region", { name: /CloudFormation template \(YAML\) preview/ })).toContainText("AWSTemplateFormatVersion");
  await page.getByRole("button", { name: "Next" }).click(); // errors shown for the bad role name
  await expect(page.getByLabel("Name your new AWS role")).toHaveAttribute("aria-invalid", "true");
  // The seeded user whose display name is markup appears as text in the Access picker.
  await page.goto("/connections/aws/new/access");
  const email = page.getByRole("combobox", { name: "Email" }).first();
  await email.fill("");
  await email.click();
  await email.fill("qa.tester");
  const listbox = page.locator(`#${await email.getAttribute("aria-controls")}`);
  await expect(listbox.getByRole("option", { name: /qa\.tester@example\.com/ })).toContainText("<img src=x onerror=window.__xss=1>");
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(await page.locator("img").count()).toBe(0);
  // The page is still laid out: no horizontal overflow from the 10,000-char strings.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
