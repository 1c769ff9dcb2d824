// Browser test of the practical handles for follow-up (issue 10 item 6; docs/domain.md
// "Follow-up guides" and "Workers' rights and other avenues"): the operator edits a category's
// follow-up guide, and a company reads it, collapsed, on its case view; a worker on a 360 px
// phone with JavaScript off follows the link from the receipt and from the case page to the
// rights page of the workplace's country. axe-core (WCAG 2.1 AA) on every new page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useServerAndBrowser, checkPhonePage } from "./server.mjs";

let server;
let browser;
const ADMIN = "admin@demo.grievance.example";
const COMPANIES = ["company@demo.grievance.example", "buyer@demo.grievance.example",
  "garment@demo.grievance.example"];

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const checkPage = (page, name) => checkPhonePage(page, `guides-${name}`);

// axe needs JavaScript: a page the worker reads with it off is checked again in a context with it
// on, at the same address and size.
async function checkWithAxe(url, name) {
  const checker = await openPage(browser, { locale: "id-ID", bypassCSP: true });
  await checker.page.goto(url);
  await checkPage(checker.page, name);
  await checker.context.close();
}

async function staffSignIn(page, email) {
  await page.goto(`${server.origin}/staff/sign-in?lang=en`);
  await page.fill("#email", email);
  await page.fill("#password", server.users[email].password);
  await page.locator("main form button[type=submit]").click();
}

async function fileByApi(request, language, categories, narrative) {
  const sites = await (await request.get(`${server.origin}/api/v1/sites?country=ID`)).json();
  const res = await request.post(`${server.origin}/api/v1/complaints`, {
    data: { language, categories, narrative, site_id: sites.sites[0].id, anonymous: true },
  });
  assert.equal(res.status(), 201);
  return res.json();
}

test("the operator edits a guide; the company reads it on the case view", async () => {
  const office = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  const filed = await fileByApi(office.context.request, "id", ["forced_labour"], "Paspor kami ditahan.");

  const page = office.page;
  await staffSignIn(page, ADMIN);
  await page.getByRole("link", { name: "Follow-up guides" }).click();
  assert.equal(await page.locator("h1").innerText(), "Follow-up guides");
  await checkPage(page, "admin-list");
  await page.selectOption("#in", "en");
  await page.locator("#guide-language button[type=submit]").click();
  await page.locator('#guides a[href*="/staff/admin/guides/forced_labour?"]').click();
  await checkPage(page, "admin-edit");
  await page.locator("#check").fill("Ask to see where the passports are kept\nCall the recruitment agency");
  await page.locator("#guide-form button[type=submit]").click();
  assert.match(await page.locator(".notice").innerText(), /saved/);

  // A company that holds the case sees the operator's words, collapsed until opened.
  const company = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  let seen = false;
  for (const email of COMPANIES) {
    await company.context.clearCookies();
    await staffSignIn(company.page, email);
    const res = await company.page.goto(`${server.origin}/staff/cases/${filed.reference}?lang=en`);
    if (res.status() !== 200) continue;
    seen = true;
    const guide = company.page.locator("#guide-forced_labour");
    assert.equal(await guide.getAttribute("open"), null, "collapsed");
    assert.equal(await guide.getByText("Ask to see where the passports are kept").isVisible(), false);
    await guide.locator("summary").click();
    assert.ok(await guide.getByText("Ask to see where the passports are kept").isVisible());
    assert.ok(await guide.getByText("Call the recruitment agency").isVisible());
    // The sections the operator left as shipped are still there.
    assert.match(await guide.innerText(), /Pitfalls/);
    await checkPage(company.page, "case-view");
    break;
  }
  assert.ok(seen, "a demo company holds the case");

  // Reset brings the shipped text back.
  await page.goto(`${server.origin}/staff/admin/guides/forced_labour?lang=en&in=en`);
  await page.locator("#guide-reset button[type=submit]").click();
  assert.match(await page.locator(".notice").innerText(), /shipped/);
  assert.deepEqual(office.problems, []);
  assert.deepEqual(company.problems, []);
  await office.context.close();
  await company.context.close();
});

test("a worker with JavaScript off follows the links to the rights of their country", async () => {
  const worker = await openPage(browser, { locale: "id-ID", javaScriptEnabled: false });
  const page = worker.page;

  // The receipt: filed through the form, as a worker does.
  await page.goto(`${server.origin}/complaint?lang=id`);
  await page.selectOption("#country", "ID");
  await page.locator("#country-step button[type=submit]").click();
  await page.locator("#site-step input[name=site_id]").first().check();
  await page.locator("#site-step button[type=submit]").click();
  await page.getByLabel("Upah dan gaji").check();
  await page.getByLabel("Ceritakan apa yang terjadi").fill("Upah lembur tidak dibayar.");
  await page.getByLabel("Tidak, rahasiakan nama saya").check();
  await page.getByRole("button", { name: "Lanjut" }).click();
  await page.getByRole("button", { name: "Kirim pengaduan" }).click();
  const reference = (await page.locator("#reference").innerText()).trim();
  const code = (await page.locator("#access-code").innerText()).trim();
  await page.locator("#rights-link").click();
  assert.match(page.url(), /\/rights\?lang=id&country=ID$/);
  assert.equal(await page.locator("h1").innerText(), "Hak Anda di tempat kerja dan di mana mendapat bantuan");
  assert.match(await page.locator("#avenues").innerText(), /Komnas HAM/);
  assert.match(await page.locator("#avenues").innerText(), /Pengawas Ketenagakerjaan/);
  await checkWithAxe(page.url(), "rights-id");

  // The case page links to the same country.
  await page.goto(`${server.origin}/follow?lang=id`);
  await page.locator("#reference").fill(reference);
  await page.locator("#access_code").fill(code);
  await page.locator("main form button[type=submit]").click();
  await page.locator("#rights-link").click();
  assert.match(page.url(), /country=ID$/);

  // Another country, chosen with the form (no JavaScript).
  await page.selectOption("#country", "NL");
  await page.locator("#country-form button[type=submit]").click();
  assert.match(await page.locator("#avenues").innerText(), /Nationaal Contactpunt OESO-richtlijnen/);
  await checkWithAxe(page.url(), "rights-nl");
  assert.deepEqual(worker.problems, []);
  await worker.context.close();
});
