import { test, expect, Page } from "@playwright/test";
import { apiGet, connectionsNamed, expectNoAxeViolations, pick, stepHeading } from "./helpers";

// The app in Japanese (src/i18n.rs): for a person whose DoiT user record says `language: ja`
// (the seed's kenji.sato@example.com, token dev-ja-token), or who chose it with the switch.

const JA_TOKEN = "dev-ja-token";
const KENJI = "kenji.sato@example.com";

/** Signs the page in as the Japanese-speaking editor (the app's token comes from config.json). */
async function asKenji(page: Page) {
  await page.route("**/config.json", async (route) => {
    const resp = await route.fetch();
    const config = await resp.json();
    await route.fulfill({ response: resp, json: { ...config, token: JA_TOKEN } });
  });
}

/** Words of the English interface that must not be left on a Japanese page (outside code). */
const ENGLISH = /\b(Next|Previous|Cancel|Done|Preview|Loading|Remove|Setup|Permissions|Access|Copy|Download|Status|Account ID|Region|Name your|Allowed action|Connections|Create connection|Waiting|Active|Draft|Check again|Deploy)\b/;

async function englishLeftOver(page: Page) {
  return page.evaluate((source) => {
    const re = new RegExp(source);
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (el.closest("pre, code, option, [hidden], .cf-visually-hidden") || !el.checkVisibility()) continue;
      const m = (n.textContent ?? "").match(re);
      if (m) found.push(`${m[0]} in "${n.textContent!.trim().slice(0, 80)}"`);
    }
    for (const el of document.querySelectorAll("[aria-label], [placeholder]")) {
      for (const attr of ["aria-label", "placeholder"]) {
        const m = (el.getAttribute(attr) ?? "").match(re);
        if (m) found.push(`${m[0]} in ${attr}="${el.getAttribute(attr)}"`);
      }
    }
    return found;
  }, ENGLISH.source);
}

test("a Japanese user walks the whole wizard, the list and the connection's page in Japanese", async ({ page, request }) => {
  await asKenji(page);
  const name = `日本語の接続 ${Date.now()}`;
  await page.goto("/connections");
  await expect(page.getByRole("heading", { name: "AWS 接続", exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page).toHaveTitle("AWS 接続を作成 · CloudFlow · DoiT");
  // The list: Japanese headers, statuses and dates (2026/12/07).
  const table = page.getByRole("table", { name: "AWS 接続" });
  await expect(table.getByRole("columnheader", { name: "名前" })).toBeVisible();
  await expect(table.getByText("有効").first()).toBeVisible();
  await expect(table.locator("time").first()).toHaveText(/^\d{4}\/\d{2}\/\d{2}$/);
  expect(await englishLeftOver(page)).toEqual([]);
  await expectNoAxeViolations(page);

  await page.evaluate(() => sessionStorage.clear());
  await page.getByRole("button", { name: "接続を作成" }).click();
  await expect(stepHeading(page)).toHaveText("セットアップ");
  await expect(page.getByText("ステップ 1/3")).toBeVisible();

  // Validation in Japanese, with its parameters.
  await page.getByRole("button", { name: "次へ" }).click();
  const nameField = page.getByLabel("新しい接続の名前");
  await expect(nameField).toHaveAccessibleDescription(/必須です/);
  await nameField.fill("あ".repeat(201));
  await expect(nameField).toHaveAccessibleDescription(/200 文字以内にしてください \(現在 201 文字\)/);
  await nameField.fill(name);
  await page.getByLabel("新しい AWS ロールの名前").fill("Kenji Role");
  await expect(page.getByLabel("新しい AWS ロールの名前")).toHaveAccessibleDescription(/「スペース」|スペースは使用できません/);
  await page.getByLabel("新しい AWS ロールの名前").fill("CloudFlowKenjiRole");
  const account = page.getByRole("combobox", { name: "アカウント ID" });
  await pick(page, account, "0001", /000123456789/);
  await pick(page, page.getByRole("combobox", { name: "リージョン" }).first(), "eu-west-1", /^eu-west-1\b/);
  expect(await englishLeftOver(page)).toEqual([]);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "次へ" }).click();

  await expect(stepHeading(page)).toHaveText("権限");
  await expect(page.getByText("DoiT に下書きの接続として保存しました")).toBeVisible();
  const action = page.getByRole("combobox", { name: "許可するアクション" }).first();
  await action.fill("s3:GetObject");
  await action.press("Escape");
  await page.getByRole("button", { name: "+ 許可するアクションを追加" }).click();
  const second = page.getByRole("combobox", { name: "許可するアクション" }).nth(1);
  await second.fill("iam:PassRole");
  await second.press("Escape");
  await expect(second).toHaveAccessibleDescription(/iam:PassRole は ?CloudFlow が AWS のサービスにロールを渡せるようにします/);
  await expect(page.getByRole("table", { name: "デプロイの状況" })).toBeVisible();
  await expect(page.getByRole("link", { name: "CloudFormation スタックを開く" })).toBeVisible();
  // The artefacts stay as AWS reads them.
  await expect(page.locator(".cf-preview pre")).toContainText("AWS::IAM::Role");
  expect(await englishLeftOver(page)).toEqual([]);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "次へ" }).click();

  await expect(stepHeading(page)).toHaveText("アクセス");
  await expect(page.getByRole("combobox", { name: "メールアドレス" }).first()).toHaveValue(KENJI);
  await expect(page.getByLabel("接続のアクセスレベル").first()).toHaveValue("owner");
  await expect(page.getByLabel("接続のアクセスレベル").first().locator("option:checked")).toHaveText("オーナー");
  expect(await englishLeftOver(page)).toEqual([]);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "完了" }).click();

  await expect(page).toHaveURL(/\/connections\/aws\/[^/]+$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("table", { name: "アカウント" })).toBeVisible();
  await expect(page.locator(".cf-details__status")).toContainText("有効", { timeout: 20_000 });
  await expect(page.getByRole("button", { name: "無効にする" })).toBeVisible();
  expect(await englishLeftOver(page)).toEqual([]);
  await expectNoAxeViolations(page);

  // The server holds what was entered.
  const [created] = await connectionsNamed(request, name);
  expect(created.awsConfig.roleName).toBe("CloudFlowKenjiRole");
  expect(created.awsConfig.permissions.actions).toEqual(["s3:GetObject", "iam:PassRole"]);
  expect(created.collaborators).toEqual([{ email: KENJI, role: "owner" }]);
  const me = await apiGet(request, `/iam/v1/users?email=${encodeURIComponent(KENJI)}`, JA_TOKEN);
  expect(me.users[0].language).toBe("ja");
});

test("a server refusal is shown in Japanese", async ({ page }) => {
  await asKenji(page);
  await page.route("**/cloudflow/v1/connections", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    await route.fulfill({
      status: 409,
      contentType: "application/problem+json",
      json: { type: "https://developer.doit.com/errors/duplicate_name", title: "Conflict", status: 409, code: "cloudflow.duplicate_name", detail: "A connection with this name already exists" },
    });
  });
  await page.goto("/connections/aws/new/setup");
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.getByLabel("新しい接続の名前").fill(`拒否される接続 ${Date.now()}`);
  await page.getByLabel("新しい AWS ロールの名前").fill("CloudFlowRefusedRole");
  await pick(page, page.getByRole("combobox", { name: "アカウント ID" }), "0001", /000123456789/);
  await page.getByRole("button", { name: "次へ" }).click();
  await expect(page.getByRole("alert")).toContainText("組織内の別の接続が既にこの名前を使っています。");
  await expect(stepHeading(page)).toHaveText("セットアップ");
});

test("the language switch changes the page, sets lang, and is remembered in this browser, first paint included", async ({ page }) => {
  await page.goto("/connections");
  await expect(page.getByRole("heading", { name: "AWS connections" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Language").selectOption("ja");
  await expect(page.getByRole("heading", { name: "AWS 接続", exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByLabel("言語")).toHaveValue("ja");

  // A reload keeps it, and the static Setup step paints in Japanese before the wasm arrives.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.evaluate(() => sessionStorage.clear());
  await page.goto("/connections/aws/new/setup", { waitUntil: "commit" });
  await expect(page.getByLabel("新しい接続の名前")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  // One copy shows; ids stay unique in the page (the other copies' are prefixed).
  expect(await page.evaluate(() => {
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
    return ids.length - new Set(ids).size;
  })).toBe(0);
  await expect(page.locator('[data-copy="setup-ja"] h1')).toBeVisible();
  release();
  await expect.poll(() => page.evaluate(() => performance.getEntriesByName("cf-live").length)).toBe(1);
  await expect(page.getByRole("button", { name: "次へ" })).toBeEnabled();

  // What was typed survives a switch (the draft is kept).
  await page.getByLabel("新しい接続の名前").fill("切り替え");
  await page.getByLabel("言語").selectOption("en");
  await expect(page.getByLabel("Name your new connection")).toHaveValue("切り替え");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await expect(page.getByLabel("Name your new connection")).toBeVisible();
});

test("the person's choice wins over their DoiT language, and the page-load failure speaks Japanese", async ({ page }) => {
  await asKenji(page);
  await page.addInitScript(() => {
    if (!sessionStorage.getItem("chosen")) {
      localStorage.setItem("cloudflow-connect.lang", "en");
      sessionStorage.setItem("chosen", "1");
    }
  });
  await page.goto("/connections");
  await expect(page.getByRole("heading", { name: "AWS connections" })).toBeVisible();
  await page.getByLabel("Language").selectOption("ja");
  await expect(page.getByRole("heading", { name: "AWS 接続", exact: true })).toBeVisible();
  await page.route(/_bg\.wasm$/, (route) => route.abort("connectionreset"));
  await page.goto("/connections/aws/new/setup");
  await expect(page.getByRole("heading", { name: "このページを開始できませんでした" })).toBeVisible();
  await expect(page.getByRole("link", { name: "再読み込み" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Reload" })).toBeHidden();
});

test("Japanese text fits at 1400, 900 and 420 px: no page scrolls sideways", async ({ page }) => {
  await asKenji(page);
  for (const width of [1400, 900, 420]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/connections");
    await page.evaluate(() => sessionStorage.clear());
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await expect(page.getByRole("heading", { name: "AWS 接続", exact: true })).toBeVisible();
    expect(await sideways(), `${width}px, the list`).toBeLessThanOrEqual(0);
    await page.getByRole("button", { name: "接続を作成" }).click();
    await page.getByLabel("新しい接続の名前").fill(`幅の確認 ${width} ${Date.now()}`);
    await page.getByLabel("新しい AWS ロールの名前").fill("CloudFlowWidthRole");
    await pick(page, page.getByRole("combobox", { name: "アカウント ID" }), "2345", /234567890123/);
    for (const next of ["権限", "アクセス", null]) {
      expect(await sideways(), `${width}px, ${page.url()}`).toBeLessThanOrEqual(0);
      if (next === null) break;
      await page.getByRole("button", { name: "次へ" }).click();
      await expect(stepHeading(page)).toHaveText(next);
    }
    await page.goto("/connections");
    await page.getByRole("link", { name: "Production read-only", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Production read-only");
    expect(await sideways(), `${width}px, the connection's page`).toBeLessThanOrEqual(0);
  }
});

test("a Japanese Editor of a connection edits it in Japanese: what changes and how to apply it", async ({ page, request }) => {
  const created = await request.post("/cloudflow/v1/connections", {
    headers: { Authorization: "Bearer dev-owner-token", "Idempotency-Key": `ja-edit-${Date.now()}` },
    data: {
      name: `日本語で編集 ${Date.now()}`,
      awsConfig: {
        roleName: "CloudFlowJaRole",
        context: [{ accountId: "000123456789", regions: [] }, { accountId: "004455667788", regions: [] }],
        permissions: { awsManagedPolicies: [], actions: ["s3:GetObject"] },
      },
      collaborators: [{ email: "priya.natarajan@example.com", role: "owner" }, { email: KENJI, role: "editor" }],
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  await asKenji(page);
  await page.goto(`/connections/aws/${id}`);
  await page.evaluate(() => sessionStorage.clear());
  await page.getByRole("link", { name: "編集", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("AWS 接続を編集");
  await page.getByRole("button", { name: "アカウント 2 を削除" }).click();
  await page.getByRole("button", { name: "次へ" }).click();
  await expect(stepHeading(page)).toHaveText("権限");
  await page.getByRole("button", { name: "+ 許可するアクションを追加" }).click();
  const action = page.getByRole("combobox", { name: "許可するアクション" }).last();
  await action.fill("iam:PassRole");
  await action.press("Escape");
  const changes = page.getByRole("region", { name: "変更内容" });
  await expect(changes.locator('[data-change="account-removed"]')).toContainText("削除されたアカウント: 004455667788");
  await expect(changes.locator('[data-change="action-added"]')).toContainText("追加されたアクション: iam:PassRole");
  await expect(page.getByRole("table", { name: "アカウントごとの作業" }).getByRole("row", { name: /004455667788/ })).toContainText("スタックを削除");
  expect(await englishLeftOver(page)).toEqual([]);
  await expectNoAxeViolations(page);
});
