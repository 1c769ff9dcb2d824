// Browser test of the admin's webhook pages (issue 10 item 1; docs/domain.md "Notifications"):
// on a 360 px phone, with JavaScript on and off, the admin opens an organisation from the
// Organisations page, adds a webhook, copies the secret from the answer (shown once: the page
// after it does not have it), sees a delivery that died at a closed loopback port on "Webhook
// deliveries" and sends it again; deleting asks first. axe-core (WCAG 2.1 AA) finds nothing, and
// the new pages read in all five languages without a raw catalogue key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, apiRequest, useServerAndBrowser, checkPhonePage } from "./server.mjs";

let server;
let browser;
let company;  // { id, name } of the demo's first active company
const ADMIN = "admin@demo.grievance.example";
const secrets = [];

// One try and a poll each second: a webhook to a closed loopback port dies quickly.
useServerAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  const token = await apiToken(ADMIN);
  const orgs = await apiRequest(server.origin, "GET", "/api/v1/organisations", { token });
  company = orgs.json.organisations.find((o) => o.kind === "company" && !o.disabled);
}, { config: { webhook_allow_private: 1, webhook_max_attempts: 1, webhook_poll_seconds: 1 } });

async function apiToken(email) {
  const r = await apiRequest(server.origin, "POST", "/api/v1/session",
    { body: { email, password: server.users[email].password } });
  assert.equal(r.status, 201);
  return r.json.token;
}

const checkPage = (page, name, axe = true) => checkPhonePage(page, `webhooks-${name}`, axe);

async function signIn(page, email) {
  await page.goto(`${server.origin}/staff/sign-in?lang=en`);
  await page.fill("#email", email);
  await page.fill("#password", server.users[email].password);
  await page.locator("main form button[type=submit]").click();
}

async function openCompany(page) {
  await page.getByRole("link", { name: "Organisations" }).first().click();
  await page.getByRole("link", { name: `Edit ${company.name}`, exact: true }).click();
  assert.match(page.url(), new RegExp(`/staff/admin/organisations/${company.id}\\?`));
  assert.equal(await page.locator("#webhooks-title").innerText(), "Webhooks");
}

for (const javaScript of [true, false]) {
  test(`the admin adds a webhook and copies its secret once (JavaScript ${javaScript ? "on" : "off"})`, async () => {
    const { page, context, problems } = await openPage(browser, {
      locale: "en-GB", javaScriptEnabled: javaScript, bypassCSP: true,
    });
    await signIn(page, ADMIN);
    await openCompany(page);
    await checkPage(page, `org-js-${javaScript}`, javaScript);

    // A plain http:// address is refused on the field, in words, and nothing is added.
    await page.getByLabel("Address the messages go to").fill("http://127.0.0.1:9/plain");
    await page.getByRole("button", { name: "Add the webhook" }).click();
    assert.match(await page.locator("#url-error").innerText(), /starts with https:\/\//);
    assert.match(await page.locator(".error-summary").innerText(), /starts with https:\/\//);
    await checkPage(page, `refused-js-${javaScript}`, javaScript);

    const url = `https://127.0.0.1:9/hook-js-${javaScript}`;
    await page.getByLabel("Address the messages go to").fill(url);
    await page.getByRole("button", { name: "Add the webhook" }).click();
    assert.equal(await page.locator("h1").innerText(), "The webhook's secret");
    assert.match(await page.locator("main").innerText(), /X-Signature/);
    assert.match(await page.locator("main").innerText(), /shown only this once/);
    // Copying: the reader selects the secret's text (a plain element, also without JavaScript).
    const secret = (await page.locator("#webhook-secret").innerText()).trim();
    assert.match(secret, /^[0-9a-f]{64}$/);
    secrets.push(secret);
    await checkPage(page, `secret-js-${javaScript}`, javaScript);

    await page.getByRole("link", { name: "I have copied the secret" }).click();
    const main = await page.locator("main").innerText();
    assert.ok(main.includes(url), "the webhook is listed");
    for (const s of secrets) assert.ok(!(await page.content()).includes(s), "never shown again");
    // The refused address was answered 400, as a refused form is; nothing else went wrong.
    assert.deepEqual(problems.filter((p) => !/status of 400 \(Bad Request\)/.test(p)), []);
    await context.close();
  });
}

test("a delivery dies at a closed port; the admin sends it again", async () => {
  // The operator assigns a triage case to the company: its webhooks are told, and die.
  const token = await apiToken(ADMIN);
  const triage = await apiRequest(server.origin, "GET", "/api/v1/cases?triage=1", { token });
  const reference = triage.json.cases[0].reference;
  const assigned = await apiRequest(server.origin, "POST", `/api/v1/cases/${reference}/assign`,
    { token, body: { org_id: company.id } });
  assert.equal(assigned.status, 200);

  for (const javaScript of [true, false]) {
    const { page, context, problems } = await openPage(browser, {
      locale: "en-GB", javaScriptEnabled: javaScript, bypassCSP: true,
    });
    await signIn(page, ADMIN);
    await page.getByRole("link", { name: "Organisations" }).first().click();
    await page.getByRole("link", { name: "Webhook deliveries" }).click();
    assert.equal(await page.locator("h1").innerText(), "Webhook deliveries");
    let row;
    for (let i = 0; i < 40; i++) {
      row = page.locator("#deliveries tbody tr", { hasText: reference }).first();
      if (await row.count() > 0) break;
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    assert.ok(await row.count() > 0, `a dead delivery for ${reference}`);
    const text = await row.innerText();
    assert.ok(text.includes(company.name), text);
    assert.match(text, /https:\/\/127\.0\.0\.1:9\/hook-js-/);
    assert.match(text, /Case routed/);
    await checkPage(page, `deliveries-js-${javaScript}`, javaScript);
    for (const s of secrets) assert.ok(!(await page.content()).includes(s), "no secret listed");

    await row.getByRole("button", { name: /Send again/ }).click();
    assert.match(await page.locator("main .notice").innerText(), /waiting to be sent again/);
    await checkPage(page, `retried-js-${javaScript}`, javaScript);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("deleting a webhook asks first", async () => {
  const { page, context, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, ADMIN);
  await openCompany(page);
  const before = await page.locator("#webhooks tbody tr").count();
  await page.locator("#webhooks tbody tr").first().getByRole("link", { name: /Delete/ }).click();
  assert.match(await page.locator("h1").innerText(), /^Delete the webhook https:\/\/127\.0\.0\.1:9\//);
  await checkPage(page, "confirm-delete");
  await page.getByRole("button", { name: "Yes, delete it" }).click();
  assert.match(await page.locator("main .notice").innerText(), /The webhook was deleted\./);
  assert.equal(await page.locator("#webhooks tbody tr").count(), before - 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the webhook pages in the five languages, axe-clean, no raw keys", async () => {
  const { page, context, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, ADMIN);
  const headings = {
    en: "Webhook deliveries", nl: "Bezorgingen van webhooks", id: "Pengiriman webhook",
    vi: "Các lần gửi webhook", fr: "Envois des webhooks",
  };
  for (const [lang, heading] of Object.entries(headings)) {
    for (const path of [
      `/staff/admin/organisations/${company.id}`, "/staff/admin/webhooks",
      "/staff/admin/webhook-deliveries", "/staff/admin/webhook-deliveries?state=pending",
    ]) {
      await page.goto(`${server.origin}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
      const text = await page.locator("body").innerText();
      assert.doesNotMatch(text, /staff_[a-z_]+/, `${lang} ${path}: a raw key`);
      if (path.startsWith("/staff/admin/webhook-deliveries")) {
        assert.equal(await page.locator("h1").innerText(), heading);
      }
      await checkPage(page, `lang-${lang}-${path.split("/").pop().replace(/[?=]/g, "-")}`);
    }
    // The answer with the secret, in the language too (the operator's own webhook).
    await page.goto(`${server.origin}/staff/admin/webhooks?lang=${lang}`);
    await page.locator("#url").fill(`https://127.0.0.1:9/office-${lang}`);
    await page.locator("main form[action$='/webhooks'] button[type=submit]").click();
    assert.match((await page.locator("#webhook-secret").innerText()).trim(), /^[0-9a-f]{64}$/);
    assert.doesNotMatch(await page.locator("body").innerText(), /staff_[a-z_]+/);
    await checkPage(page, `lang-${lang}-secret`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
