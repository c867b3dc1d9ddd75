// scripts/prerender's browser half: the app's own first render of the Setup step, as
// static markup for index.html. The lists the step loads (accounts, users, connections)
// are held back, so the copy shows them loading, as the app does at that moment; the
// person's own record and roles load, so the app renders the step and takes over.
// LANG (en, ja) is the language of the copy: chosen as a person would with the switch.
// Usage: node snapshot.mjs APP_URL OUT_FILE [LANG]
import { chromium } from "playwright";
import * as fs from "node:fs";
import { serializeSetup } from "./serialize.mjs";

const [appUrl, out, lang = "en"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.addInitScript((l) => localStorage.setItem("cloudflow-connect.lang", l), lang);
const held = [];
await page.route(/\/billing\/v1\/assets|\/cloudflow\/v1\/connections|\/iam\/v1\/users(?!\?email=)/, (route) => {
  held.push(route);
});
await page.goto(`${appUrl}/connections/aws/new/setup`);
await page.waitForFunction(() => performance.getEntriesByName("cf-live").length > 0, null, { timeout: 30_000 });
// Let what else the step fetches (the regions catalogue) arrive: held requests keep the
// network busy, so there is no idle moment to wait for.
await page.waitForTimeout(1500);
if (held.length === 0) throw new Error("no list request was held: the snapshot would not show the lists loading");
const markup = await page.evaluate(serializeSetup, "body");
if (!markup.includes('id="connection-name"')) throw new Error("the Setup step did not render");
fs.writeFileSync(out, `<!-- Written by scripts/prerender from the app's own first render of Setup; do not edit. -->\n${markup}\n`);
await browser.close();
console.log(`prerender: ${out}, ${markup.length} characters`);
