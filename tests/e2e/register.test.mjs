// The public register in the browser (issue 11 item 6; docs/domain.md "Public register"): a
// worker on a 360 px phone lists the case from the case page, with JavaScript off and on; the
// register shows it with the allowed fields and never the worker's words; taken off, it is gone.
// axe-core finds no WCAG 2.1 AA violation on the case page's form or the register, which also
// reads in Vietnamese.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openPage, apiRequest, checkPhonePage } from "./server.mjs";

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

const MARKER = "REGISTERMARKER";

// A complaint filed through the API (anonymous, at a known site), its reference and code.
async function fileComplaint() {
  const picker = await apiRequest(server.origin, "GET", "/api/v1/sites?country=ID");
  assert.equal(picker.status, 200);
  const filed = await apiRequest(server.origin, "POST", "/api/v1/complaints", {
    body: {
      language: "en", categories: ["wages"], narrative: `Overtime not paid ${MARKER}.`,
      site_id: picker.json.sites[0].id, anonymous: true,
    },
  });
  assert.equal(filed.status, 201, filed.text);
  return { reference: filed.json.reference, code: filed.json.access_code };
}

async function signIn(page, { reference, code }) {
  await page.goto(`${server.origin}/follow?lang=en`);
  await page.locator("#reference").fill(reference);
  await page.locator("#access_code").fill(code);
  await page.getByRole("button", { name: "Show my complaint" }).click();
  assert.equal(new URL(page.url()).pathname, "/case");
}

async function registerText(page, lang = "en") {
  await page.goto(`${server.origin}/register?lang=${lang}`);
  return page.locator("#register-cases").innerText();
}

for (const js of [false, true]) {
  test(`a worker lists the case and takes it off again (JavaScript ${js ? "on" : "off"})`, async () => {
    const filed = await fileComplaint();
    const { context, page, problems } = await openPage(browser, { javaScriptEnabled: js, bypassCSP: js });
    context.setDefaultTimeout(10000);
    await signIn(page, filed);

    const section = page.locator("#register");
    const explained = await section.innerText();
    assert.match(explained, /Public register/);
    assert.match(explained, /the company, the country/);
    assert.match(explained, /Your name, your words, your messages/);
    assert.match(explained, /This case is not on the public list\./);
    if (js) await checkPhonePage(page, `register-case-form`);
    assert.doesNotMatch(await registerText(page), new RegExp(filed.reference));

    await signIn(page, filed);
    await section.getByRole("button", { name: "Put my case on the public list" }).click();
    assert.equal(new URL(page.url()).searchParams.get("done"), "register");
    assert.match(await page.locator("main").innerText(), /Your choice about the public register has been saved\./);
    assert.match(await section.innerText(), /This case is on the public list now\./);
    assert.match(await page.locator("main").innerText(), /The case was put on the public list/);

    const listed = await registerText(page);
    assert.match(listed, new RegExp(filed.reference));
    const entry = page.locator("article", { has: page.getByRole("heading", { name: filed.reference }) });
    const fields = await entry.innerText();
    assert.match(fields, /Indonesia/);
    assert.match(fields, /Wages|Pay and wages/);
    assert.match(fields, /Received/);
    assert.doesNotMatch(await page.content(), new RegExp(MARKER), "never the worker's words");
    await checkPhonePage(page, `register-page-js-${js ? "on" : "off"}`, js);

    await signIn(page, filed);
    await section.getByRole("button", { name: "Take my case off the public list" }).click();
    assert.match(await section.innerText(), /This case is not on the public list\./);
    assert.doesNotMatch(await registerText(page), new RegExp(filed.reference));
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the register reads in Vietnamese on a phone, with the headline protected", async () => {
  const filed = await fileComplaint();
  const { context, page } = await openPage(browser, { bypassCSP: true });
  context.setDefaultTimeout(10000);
  await signIn(page, filed);
  await page.locator("#register").getByRole("button", { name: "Put my case on the public list" }).click();
  await page.goto(`${server.origin}/register?lang=vi`);
  assert.equal(await page.locator("h1").innerText(), "Danh sách công khai các khiếu nại");
  const figures = await page.locator("#register-figures").innerText();
  assert.match(figures, /Khiếu nại đã nhận/);
  assert.match(await page.locator("#register-cases").innerText(), new RegExp(filed.reference));
  await checkPhonePage(page, "register-page-vi");
  await context.close();
});
