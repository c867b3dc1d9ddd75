import { expect, Page, APIRequestContext } from "@playwright/test";
import { spawn, ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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

const root = path.resolve(__dirname, "../..");
const devapi = process.env.DEVAPI_BIN ?? path.join(root, "target/debug/cloudflow-devapi");
/** The first port of the servers tests start themselves (beside the config's three). */
export const basePort = Number(process.env.E2E_PORT ?? 8091);

/** A fresh database file in a directory of its own. */
export const tmpDb = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cf-e2e-own-")), "db.sqlite");

/** A cloudflow-devapi of the test's own, on its own port and database (demo seed, accounts
 * active at once unless `flags` say otherwise). */
export class DevApi {
  proc?: ChildProcess;
  constructor(readonly port: number, readonly flags: string[], readonly db: string = tmpDb()) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start() {
    this.proc = spawn(devapi, [
      "--listen", `127.0.0.1:${this.port}`, "--db", this.db, "--dist", path.join(root, "dist"),
      "--seed", "demo", "--activation-delay", "0", "--quiet", ...this.flags,
    ], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("cloudflow-devapi did not start");
  }
  async stop() {
    if (!this.proc) return;
    const done = new Promise((r) => this.proc!.once("exit", r));
    this.proc.kill("SIGKILL");
    await done;
    this.proc = undefined;
  }
  /** Every connection with this name, read past any injected fault. */
  async connectionsNamed(name: string) {
    for (let attempt = 0; attempt < 30; attempt++) {
      const r = await fetch(`${this.url}/cloudflow/v1/connections?maxResults=100`, { headers: { Authorization: `Bearer ${OWNER_TOKEN}` } });
      if (r.ok) return ((await r.json()).items as any[]).filter((c) => c.name === name);
    }
    throw new Error("the API never answered");
  }
}
