import { chromium } from "playwright";
const url = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } }); const page = await ctx.newPage();
await page.goto(url + "/connections/aws/new/setup");
await page.waitForSelector("#connection-name");
const combo = page.getByRole("combobox", { name: "Account ID" }).first();
await combo.click();
const listId = await combo.getAttribute("aria-controls");
await page.waitForFunction((id) => document.getElementById(id)?.querySelector("[role=option]"), listId, { timeout: 60_000 });
const cdp = await ctx.newCDPSession(page);
await cdp.send("Profiler.enable"); await cdp.send("Profiler.setSamplingInterval", { interval: 100 }); await cdp.send("Profiler.start");
for (let r = 0; r < 5; r++) for (const q of ["1", "12", "123", "1234", "12345", "1234", "123", "12", "1", "", "9", "98", "987"]) { await combo.fill(q); await page.waitForTimeout(30); }
const { profile } = await cdp.send("Profiler.stop");
const byId = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map(), incl = new Map(); let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const d = profile.timeDeltas[i] / 1000; let id = profile.samples[i]; const n = byId.get(id);
  const k = n.callFrame.functionName || "(anon)"; if (k === "(idle)") continue; total += d;
  self.set(k, (self.get(k) || 0) + d);
  const seen = new Set(); while (id !== undefined) { const nm = byId.get(id).callFrame.functionName; if (!seen.has(nm)) { seen.add(nm); incl.set(nm, (incl.get(nm) || 0) + d); } id = parent.get(id); }
}
console.log("busy ms total", total.toFixed(1), "per keystroke", (total / 65).toFixed(2));
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log("self", v.toFixed(1), k.slice(0, 150));
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log("incl", v.toFixed(1), k.slice(0, 150));
await browser.close();
