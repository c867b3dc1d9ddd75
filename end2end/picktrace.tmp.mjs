import { chromium } from "playwright";
const url = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } }); const page = await ctx.newPage();
await page.goto(url + "/connections/aws/new/setup");
await page.waitForSelector("#connection-name");
const combo = page.locator("[role=combobox][id^=account-]").first();
await combo.click();
const listId = await combo.getAttribute("aria-controls");
await page.waitForFunction((id) => document.getElementById(id)?.querySelector("[role=option]"), listId, { timeout: 60_000 });
const h = await combo.elementHandle();
await browser.startTracing(page, { path: "/tmp/prof/pick.json", categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"] });
for (let r = 0; r < 3; r++) for (const q of ["1", "12", "123", "1234", "12345", "1234", "123", "12", "1", "", "9", "98", "987"]) { await h.fill(q); await page.waitForTimeout(50); }
await browser.stopTracing();
await browser.close();
