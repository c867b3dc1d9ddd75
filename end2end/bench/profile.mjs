// Script time per keystroke, from a CPU profile (Chromium's sampling profiler, every 0.1 ms):
// the samples in JS and wasm (not idle, not the browser's own "(program)" work, not GC)
// while typing `text` into `selector`, and for `settleMs` after, divided by the keystrokes.
// Usage as a script: node profile.mjs LARGE_URL  (the large seed; prints the median of 3 runs)
import { chromium } from "playwright";

const OUTSIDE_SCRIPT = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** The profile's time in script, in ms. */
export function scriptMs(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let us = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    // timeDeltas[i] is the time since the previous sample: the time spent where it was taken.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (node && !OUTSIDE_SCRIPT.has(node.callFrame.functionName)) us += dt;
  }
  return us / 1000;
}

/** Types `text` into `selector` under the profiler; script ms per keystroke. */
export async function profileTyping(page, selector, text, settleMs = 300) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await page.click(selector);
  await cdp.send("Profiler.start");
  await page.keyboard.type(text, { delay: 80 });
  await page.waitForTimeout(settleMs);
  const { profile } = await cdp.send("Profiler.stop");
  await cdp.detach();
  return scriptMs(profile) / text.length;
}

/** The large draft of the benchmark: 100 accounts of the tenant, 25 policies, 200 actions. */
export async function largeDraft(largeUrl, root) {
  const fs = await import("node:fs");
  const auth = { headers: { Authorization: "Bearer dev-owner-token" } };
  const assets = (await (await fetch(`${largeUrl}/billing/v1/assets?filter=type:amazon-web-services&maxResults=100`, auth)).json()).assets;
  const policies = JSON.parse(fs.readFileSync(new URL("public/catalog/managed-policies.json", root))).policies
    .filter((p) => !p.path.includes("service-role")).slice(0, 25)
    .map((p) => `arn:aws:iam::aws:policy${p.path}${p.name}`);
  const actionFile = JSON.parse(fs.readFileSync(new URL("public/catalog/iam-actions.json", root)));
  const actions = [];
  for (const [svc, s] of Object.entries(actionFile.services)) {
    for (const list of Object.values(s.actions)) for (const a of list) if (actions.length < 200) actions.push(`${svc}:${a}`);
  }
  let key = 1;
  return {
    version: 1, draftId: "bench", reached: "access", name: "", roleName: "CloudFlowBenchRole", scope: "accounts",
    accounts: assets.slice(0, 100).map((a) => ({ key: key++, accountId: a.accountId, regions: ["eu-west-1"] })),
    organisation: { managementAccount: "", regions: [], rootId: "", ouIds: "" },
    policies,
    actions: actions.map((action) => ({ key: key++, action })),
    collaborators: [{ key: key++, email: "priya.natarajan@example.com", role: "owner" }],
    nextKey: key,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [largeUrl] = process.argv.slice(2);
  const root = new URL("../../", import.meta.url);
  const draft = await largeDraft(largeUrl, root);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const runs = [];
  for (let run = 0; run < 3; run++) {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await ctx.newPage();
    await page.addInitScript(([json]) => {
      if (!sessionStorage.getItem("cloudflow-connect.draft")) sessionStorage.setItem("cloudflow-connect.draft", json);
    }, [JSON.stringify(draft)]);
    await page.goto(`${largeUrl}/connections/aws/new/setup`);
    await page.waitForFunction(() => !document.getElementById("cf-prerender"), null, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll("[role=combobox][id^=account-]").length >= 100, null, { timeout: 60_000 });
    await page.waitForTimeout(500);
    runs.push(await profileTyping(page, "#connection-name", "Benchmark connection name 0123"));
    await ctx.close();
  }
  await browser.close();
  runs.sort((a, b) => a - b);
  console.log(JSON.stringify({ runs, median: runs[1] }));
}
