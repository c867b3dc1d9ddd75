import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// The app shell: Connections page, the wizard frame and its step navigation.

const stepNav = (page: Page) => page.getByRole("navigation", { name: "Create AWS connection steps" });
const heading = (page: Page) => page.getByRole("heading", { level: 2 });

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

test("the root opens the Connections page with the AWS provider pane", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/connections$/);
  const providers = page.getByRole("navigation", { name: "Cloud providers" });
  await expect(providers.getByRole("link", { name: "AWS" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("button", { name: "Create connection" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("Create connection opens Setup; Next and Previous step through the wizard", async ({ page }) => {
  await page.goto("/connections");
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page).toHaveURL(/\/connections\/aws\/new\/setup$/);
  await expect(heading(page)).toHaveText("Setup");
  const nav = stepNav(page);
  await expect(nav.getByRole("link", { name: /Setup/ })).toHaveAttribute("aria-current", "step");
  // Unvisited steps are shown but not links.
  await expect(nav.getByRole("link", { name: /Permissions/ })).toHaveCount(0);
  await expect(nav.getByText("Permissions")).toBeVisible();
  await expect(page.getByRole("button", { name: "Previous" })).toHaveCount(0);

  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/permissions$/);
  await expect(heading(page)).toHaveText("Permissions");
  // Focus moves to the step heading on step change.
  await expect(heading(page)).toBeFocused();
  await expect(nav.getByRole("link", { name: /Permissions/ })).toHaveAttribute("aria-current", "step");

  await page.getByRole("button", { name: "Next" }).click();
  await expect(heading(page)).toHaveText("Access");
  await expect(page.getByRole("button", { name: "Next" })).toHaveCount(0);

  await page.getByRole("button", { name: "Previous" }).click();
  await expect(heading(page)).toHaveText("Permissions");
  await expect(heading(page)).toBeFocused();
  // Visited steps stay clickable.
  await nav.getByRole("link", { name: /Access/ }).click();
  await expect(page).toHaveURL(/\/access$/);
  await nav.getByRole("link", { name: /Setup/ }).click();
  await expect(heading(page)).toHaveText("Setup");
});

test("a reload or deep link on any step keeps the person on that step", async ({ page }) => {
  for (const step of ["setup", "permissions", "access"]) {
    await page.goto(`/connections/aws/new/${step}`);
    await expect(stepNav(page).getByRole("link", { name: new RegExp(step, "i") })).toHaveAttribute(
      "aria-current",
      "step",
    );
    await page.reload();
    await expect(page).toHaveURL(new RegExp(`/connections/aws/new/${step}$`));
    await expect(heading(page)).toHaveText(new RegExp(step, "i"));
  }
});

test("every wizard step passes axe-core with no violations", async ({ page }) => {
  for (const step of ["setup", "permissions", "access"]) {
    await page.goto(`/connections/aws/new/${step}`);
    await expect(heading(page)).toBeVisible();
    await expectNoAxeViolations(page);
  }
});
