import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";
import * as fs from "node:fs";

// End-to-end tests: Debian's Chromium (never a downloaded browser) against the
// release build in ../dist, served with the local DoiT API by cloudflow-devapi.
const port = Number(process.env.E2E_PORT ?? 8091);
const largePort = port + 1;
export const baseURL = `http://127.0.0.1:${port}`;
// A second server with the large seed (10,000 accounts, 2,000 users) for the picker tests.
export const largeURL = `http://127.0.0.1:${largePort}`;
// A third that answers as DoiT's released API document (--dialect released); the default
// server speaks the pre-release one.
const releasedPort = port + 2;
export const releasedURL = `http://127.0.0.1:${releasedPort}`;
const root = path.resolve(__dirname, "..");
const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-e2e-"));
const devapi = process.env.DEVAPI_BIN ?? path.join(root, "target/debug/cloudflow-devapi");

export default defineConfig({
  testDir: "tests",
  outputDir: path.join(root, "target/playwright/results"),
  reporter: [["list"], ["html", { outputFolder: path.join(root, "target/playwright/report"), open: "never" }]],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        // Re-raster whole tiles, not just the invalidated part of one: with partial
        // raster a rounded corner on half a pixel anti-aliases differently after a
        // partial repaint, and prerender.spec.ts compares screenshots byte for byte
        // (3 of 25 runs differed in 6 pixels of one corner; 0 of 30 with this flag).
        "--disable-partial-raster",
      ],
    },
  },
  webServer: [
    {
      command: [
        devapi,
        `--listen 127.0.0.1:${port}`,
        `--db ${path.join(dbDir, "e2e.db")}`,
        `--dist ${path.join(root, "dist")}`,
        "--seed demo",
        "--activation-delay 2",
        "--quiet",
      ].join(" "),
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: [
        devapi,
        `--listen 127.0.0.1:${largePort}`,
        `--db ${path.join(dbDir, "large.db")}`,
        `--dist ${path.join(root, "dist")}`,
        "--seed large",
        "--quiet",
      ].join(" "),
      url: `${largeURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: [
        devapi,
        `--listen 127.0.0.1:${releasedPort}`,
        `--db ${path.join(dbDir, "released.db")}`,
        `--dist ${path.join(root, "dist")}`,
        "--seed demo",
        "--activation-delay 2",
        "--dialect released",
        "--quiet",
      ].join(" "),
      url: `${releasedURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
