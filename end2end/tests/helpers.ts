import { expect, Page, APIRequestContext } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const OWNER_TOKEN = "dev-owner-token";
export const ME = "priya.natarajan@example.com";

export const stepNav = (page: Page) => page.getByRole("navigation", { name: "Create AWS connection steps" });
export const stepHeading = (page: Page) => page.locator("#cf-step-heading");

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" | ")})`)).toEqual([]);
}

/** Starts a fresh wizard (no draft left from an earlier test in this context). */
export async function openNewWizard(page: Page) {
  await page.goto("/connections");
  await page.evaluate(() => sessionStorage.clear());
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(stepHeading(page)).toHaveText("Setup");
}

/** Picks an option of a combobox by typing and choosing it from the list. */
export async function pick(page: Page, combobox: ReturnType<Page["getByRole"]>, text: string, option: RegExp | string) {
  await combobox.click();
  await combobox.fill(text);
  const listbox = page.locator(`#${await combobox.getAttribute("aria-controls")}`);
  await listbox.getByRole("option", { name: option }).first().click();
}

export async function fillSetup(page: Page, name: string, role = "CloudFlowE2ERole") {
  await page.getByLabel("Name your new connection").fill(name);
  await page.getByLabel("Name your new AWS role").fill(role);
}

/** The API as the tests' own client (the same token the app has). */
export async function apiGet(request: APIRequestContext, path: string, token = OWNER_TOKEN) {
  const resp = await request.get(path, { headers: { Authorization: `Bearer ${token}` } });
  expect(resp.ok(), `${path} answered ${resp.status()}`).toBeTruthy();
  return resp.json();
}

export async function connectionsNamed(request: APIRequestContext, name: string) {
  const all: any[] = [];
  let token: string | null = null;
  do {
    const q: string = token ? `&pageToken=${encodeURIComponent(token)}` : "";
    const page: any = await apiGet(request, `/cloudflow/v1/connections?maxResults=100${q}`);
    all.push(...page.items);
    token = page.pageToken;
  } while (token);
  return all.filter((c) => c.name === name);
}
