// scripts/prerender's browser half: the app's own first render of a page, as static markup
// for index.html. PAGE is `setup` (the Setup step: the lists it loads — accounts, users,
// connections — are held back, so the copy shows them loading, as the app does at that
// moment; the person's own record and roles load), `connections` or `details` (a
// connection's page): every API request is held back, so the copy is the page's frame,
// loading, as the app first renders it. LANG (en, ja) is the copy's language, chosen as a
// person would with the switch.
// Usage: node snapshot.mjs APP_URL OUT_FILE [LANG] [PAGE]
import { chromium } from "playwright";
import * as fs from "node:fs";
import { serializeSetup } from "./serialize.mjs";
import { PAGES } from "./pages.mjs";

const [appUrl, out, lang = "en", name = "setup"] = process.argv.slice(2);
const page_ = PAGES[name];
if (!page_) throw new Error(`unknown page ${name}`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.addInitScript((l) => localStorage.setItem("cloudflow-connect.lang", l), lang);
const held = [];
await page.route(page_.held, (route) => {
  held.push(route);
});
await page.goto(`${appUrl}${page_.path}`);
await page.waitForFunction(() => performance.getEntriesByName("cf-live").length > 0, null, { timeout: 30_000 });
// Let what else the page fetches (the regions catalogue) arrive: held requests keep the
// network busy, so there is no idle moment to wait for.
await page.waitForTimeout(1500);
if (held.length === 0) throw new Error("no request was held: the copy would not show the page loading");
const markup = await page.evaluate(serializeSetup, "body");
if (!markup.includes(page_.mustContain)) throw new Error(`the ${name} page did not render`);
fs.writeFileSync(out, `<!-- Written by scripts/prerender from the app's own first render of ${name}; do not edit. -->\n${markup}\n`);
await browser.close();
console.log(`prerender: ${out}, ${markup.length} characters`);
