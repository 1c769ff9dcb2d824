// Browser test of notification e-mail settings (issue 10 item 1; docs/domain.md "Notification
// e-mail"): a company user opens "Your account" from the staff navigation on a 360 px phone,
// chooses a daily summary in Vietnamese, saves, and reads that the settings are kept; the page
// in the five languages; axe-core (WCAG 2.1 AA) with no violations. With JavaScript off too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useServerAndBrowser, checkPhonePage } from "./server.mjs";

let server;
let browser;
const COMPANY = "company@demo.grievance.example";

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const checkPage = (page, name, axe = true) => checkPhonePage(page, `mail-settings-${name}`, axe);

async function signIn(page, email) {
  await page.goto(`${server.origin}/staff/sign-in?lang=en`);
  await page.fill("#email", email);
  await page.fill("#password", server.users[email].password);
  await page.locator("main form button[type=submit]").click();
}

for (const javaScript of [true, false]) {
  test(`a company user opts in to a daily summary in Vietnamese (JavaScript ${javaScript ? "on" : "off"})`, async () => {
    const { page, context, problems } = await openPage(browser, {
      locale: "en-GB", javaScriptEnabled: javaScript, bypassCSP: true,
    });
    await signIn(page, COMPANY);
    await page.getByRole("link", { name: "Your account" }).click();
    assert.match(page.url(), /\/staff\/account/);
    assert.equal(await page.locator("h1").innerText(), "Your account");
    // Off is the default; the proposed language is the one the pages are read in.
    assert.ok(await page.getByLabel("No e-mails").isChecked());
    assert.equal(await page.locator("#mail-language").inputValue(), "en");
    assert.match(await page.locator("main").innerText(), /never what the complainant wrote/);
    // axe-core runs in the page, so with JavaScript off only layout is checked.
    await checkPage(page, `form-js-${javaScript}`, javaScript);

    await page.getByLabel("One summary e-mail a day").check();
    await page.locator("#mail-language").selectOption("vi");
    await page.getByRole("button", { name: "Save settings" }).click();
    assert.match(await page.locator("main .notice").innerText(), /Your settings are saved\./);
    assert.ok(await page.getByLabel("One summary e-mail a day").isChecked());
    assert.equal(await page.locator("#mail-language").inputValue(), "vi");
    await checkPage(page, `saved-js-${javaScript}`, javaScript);

    // Back to none, in English, for the next run.
    await page.getByLabel("No e-mails").check();
    await page.locator("#mail-language").selectOption("en");
    await page.getByRole("button", { name: "Save settings" }).click();
    assert.ok(await page.getByLabel("No e-mails").isChecked());
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the account page in the five languages, axe-clean", async () => {
  const { page, context, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, COMPANY);
  const headings = { en: "Your account", nl: "Uw account", id: "Akun Anda", vi: "Tài khoản của bạn", fr: "Votre compte" };
  for (const [lang, heading] of Object.entries(headings)) {
    await page.goto(`${server.origin}/staff/account?lang=${lang}`);
    assert.equal(await page.locator("h1").innerText(), heading);
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    await checkPage(page, `lang-${lang}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
