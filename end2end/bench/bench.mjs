// scripts/bench's browser half: every figure measured in one run, in Debian's Chromium.
// Usage: node bench.mjs APP_URL LARGE_URL OUT_JSON   (servers started by scripts/bench)
import { chromium } from "playwright";
import * as fs from "node:fs";
import { largeDraft, profileTyping } from "./profile.mjs";

const [appUrl, largeUrl, out] = process.argv.slice(2);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--enable-precise-memory-info"],
});

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
};

/** Runs in the page: for each input event on `inputSel`, the time until the animation frame
 *  after `targetSel` changed (keystroke to painted result), collected in window.__lat. */
function keystrokeToPaint([inputSel, targetSel]) {
  window.__lat = [];
  const input = document.querySelector(inputSel);
  const target = document.querySelector(targetSel);
  let t0 = null;
  input.addEventListener("input", () => (t0 = performance.now()), true);
  new MutationObserver(() => {
    if (t0 === null) return;
    const start = t0;
    t0 = null;
    requestAnimationFrame(() => window.__lat.push(performance.now() - start));
  }).observe(target, { subtree: true, childList: true, characterData: true, attributes: true });
}

/** Runs in the page: for each input event on `inputSel`, the time until the next animation
 *  frame, with no work done in between: the floor of keystroke to paint (event dispatch plus
 *  the wait for the frame), in window.__lat. */
function keystrokeToFrame(inputSel) {
  window.__lat = [];
  document.querySelector(inputSel).addEventListener("input", () => {
    const start = performance.now();
    requestAnimationFrame(() => window.__lat.push(performance.now() - start));
  }, true);
}

// Time to interactive: navigation start to the connection-name input present and taking
// text. On the app's Setup route that input is the static copy in index.html (see
// src/prerender.rs), so the app also reports when it has taken over ("live": the
// performance mark cf-live, after which the preview and checks follow typing).
// First contentful paint for both sides, from the Paint Timing entries.
async function tti(url, app) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__ready = null;
    const check = () => {
      if (window.__ready === null && document.getElementById("connection-name")) window.__ready = performance.now();
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__ready !== null, null, { timeout: 30_000 });
  await page.fill("#connection-name", "x");
  if ((await page.inputValue("#connection-name")) !== "x") throw new Error("the input did not take text");
  const ready = await page.evaluate(() => window.__ready);
  let live = null;
  if (app) {
    await page.waitForFunction(() => performance.getEntriesByName("cf-live").length > 0, null, { timeout: 30_000 });
    live = await page.evaluate(() => performance.getEntriesByName("cf-live")[0].startTime);
    if ((await page.inputValue("#connection-name")) !== "x") throw new Error("the app lost the text typed before it took over");
  }
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  await ctx.close();
  return { ready, live, fcp };
}

const ttiApp = [], ttiFloor = [], liveApp = [], fcpApp = [], fcpFloor = [];
for (let i = 0; i < RUNS; i++) {
  const a = await tti(`${appUrl}/connections/aws/new/setup`, true);
  const f = await tti(`${appUrl}/bench-floor.html`, false);
  ttiApp.push(a.ready); liveApp.push(a.live); fcpApp.push(a.fcp);
  ttiFloor.push(f.ready); fcpFloor.push(f.fcp);
}

// Every route paints from the HTML before the wasm: with the wasm held back (never arriving),
// the route's static copy paints (its first contentful paint) and shows its heading.
async function fromHtml(path) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.route(/_bg\.wasm$/, () => {});
  await page.goto(`${appUrl}${path}`, { waitUntil: "commit" });
  const painted = await page.locator("#cf-prerender h1:visible").first()
    .waitFor({ state: "visible", timeout: 10_000 }).then(() => true, () => false);
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 10_000 }).catch(() => {});
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  await ctx.close();
  return { painted, fcp };
}
const routes = {};
for (const [name, path] of [["Setup", "/connections/aws/new/setup"], ["Connections list", "/connections"], ["a connection's page", "/connections/aws/conn_bench"]]) {
  const fcps = [];
  let painted = true;
  for (let i = 0; i < 5; i++) {
    const r = await fromHtml(path);
    painted &&= r.painted && r.fcp !== null;
    if (r.fcp !== null) fcps.push(r.fcp);
  }
  routes[name] = { painted, fcp: stats(fcps.length ? fcps : [NaN]) };
}

// The large draft: 100 accounts of the 10,000-account tenant, 25 policies, 200 actions.
const draft = await largeDraft(largeUrl, new URL("../../", import.meta.url));

async function largePage(withDraft) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  await page.addInitScript(([json]) => {
    addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm));
    if (json && !sessionStorage.getItem("cloudflow-connect.draft")) sessionStorage.setItem("cloudflow-connect.draft", json);
  }, [withDraft ? JSON.stringify(draft) : null]);
  await page.goto(`${largeUrl}/connections/aws/new/setup`);
  await page.waitForSelector("#connection-name");
  // The app, not index.html's static copy of Setup (gone once the app has taken over).
  await page.waitForFunction(() => !document.getElementById("cf-prerender"), null, { timeout: 60_000 });
  return { ctx, page };
}

// Keystroke to painted preview while typing a 30-character name over the large draft.
const typing = [];
let memory = null;
for (let run = 0; run < 3; run++) {
  const { ctx, page } = await largePage(true);
  await page.waitForFunction(() => document.querySelectorAll("[role=combobox][id^=account-]").length >= 100, null, { timeout: 60_000 });
  await page.evaluate(keystrokeToPaint, ["#connection-name", ".cf-preview pre"]);
  await page.click("#connection-name");
  await page.keyboard.type("Benchmark connection name 0123".slice(0, 30), { delay: 80 });
  await page.waitForTimeout(300);
  typing.push(...(await page.evaluate(() => window.__lat)));
  if (run === 0) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Performance.enable");
    const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
    memory = {
      jsHeapUsed: metrics.JSHeapUsedSize,
      wasmMemory: await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? null),
      domNodes: metrics.Nodes,
    };
  }
  await ctx.close();
}

// Script time per keystroke in the name over the large draft, from a CPU profile (the profiler
// slows the page: separate runs from the latency above).
const scriptPerKey = [];
for (let run = 0; run < 3; run++) {
  const { ctx, page } = await largePage(true);
  await page.waitForFunction(() => document.querySelectorAll("[role=combobox][id^=account-]").length >= 100, null, { timeout: 60_000 });
  await page.waitForTimeout(500);
  scriptPerKey.push(await profileTyping(page, "#connection-name", "Benchmark connection name 0123"));
  await ctx.close();
}

// Account ID picker over 10,000 accounts: keystroke to painted filtered list, DOM nodes in the list.
const picker = [];
let listNodes = 0;
for (let run = 0; run < 3; run++) {
  const { ctx, page } = await largePage(false);
  const combo = page.getByRole("combobox", { name: "Account ID" }).first();
  await combo.click();
  const listId = await combo.getAttribute("aria-controls");
  await page.waitForFunction((id) => document.getElementById(id)?.querySelector("[role=option]"), listId, { timeout: 60_000 });
  await page.evaluate(keystrokeToPaint, [`[aria-controls="${listId}"]`, `#${listId}`]);
  for (const q of ["1", "12", "123", "1234", "12345", "1234", "123", "12", "1", "", "9", "98", "987"]) {
    await combo.fill(q);
    await page.waitForTimeout(60);
  }
  picker.push(...(await page.evaluate(() => window.__lat)));
  listNodes = Math.max(listNodes, await page.evaluate((id) => document.getElementById(id).querySelectorAll("*").length, listId));
  await ctx.close();
}

// The floor of both keystroke figures: the same typing into the static page's input.
const typingFloor = [];
for (let run = 0; run < 3; run++) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  await page.goto(`${appUrl}/bench-floor.html`);
  await page.evaluate(keystrokeToFrame, "#connection-name");
  await page.click("#connection-name");
  await page.keyboard.type("Benchmark connection name 0123".slice(0, 30), { delay: 80 });
  await page.waitForTimeout(300);
  typingFloor.push(...(await page.evaluate(() => window.__lat)));
  await ctx.close();
}

await browser.close();
fs.writeFileSync(out, JSON.stringify({
  typingFloor: stats(typingFloor),
  tti: { app: stats(ttiApp), floor: stats(ttiFloor), live: stats(liveApp) },
  fcp: { app: stats(fcpApp), floor: stats(fcpFloor) },
  routes,
  typing: stats(typing),
  scriptPerKey: stats(scriptPerKey),
  picker: stats(picker),
  listNodes,
  memory,
}, null, 2));
