// Browser test of a lost access code (issue 10 item 5; docs/domain.md "Lost access codes"): the
// complaints office issues a new code from the staff case page with a reason and a confirmation;
// the page shows it once, grouped in fours; the worker's open session has ended, the old code is
// refused and the new one signs in. axe-core (WCAG 2.1 AA) on the form and the code page, at
// 360 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useServerAndBrowser, checkPhonePage } from "./server.mjs";

let server;
let browser;
const ADMIN = "admin@demo.grievance.example";

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const checkPage = (page, name) => checkPhonePage(page, `access-code-${name}`);

async function workerSignIn(page, reference, code) {
  await page.goto(`${server.origin}/follow?lang=en`);
  await page.locator("#reference").fill(reference);
  await page.locator("#access_code").fill(code);
  await page.locator("main form button[type=submit]").click();
  return (await page.locator(".panel__status").count()) > 0;
}

test("the office issues a new access code; the old one is refused, the new one signs in", async () => {
  const worker = await openPage(browser, { locale: "en-GB" });
  const sites = await (await worker.context.request.get(`${server.origin}/api/v1/sites?country=ID`)).json();
  const filedRes = await worker.context.request.post(`${server.origin}/api/v1/complaints`, {
    data: { language: "id", categories: ["wages"], narrative: "Kode saya hilang.",
      site_id: sites.sites[0].id, anonymous: true },
  });
  assert.equal(filedRes.status(), 201);
  const filed = await filedRes.json();
  assert.ok(await workerSignIn(worker.page, filed.reference, filed.access_code), "the first code works");

  const office = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  const page = office.page;
  await page.goto(`${server.origin}/staff/sign-in?lang=en`);
  await page.fill("#email", ADMIN);
  await page.fill("#password", server.users[ADMIN].password);
  await page.locator("main form button[type=submit]").click();
  await page.goto(`${server.origin}/staff/cases/${filed.reference}?lang=en`);
  await checkPage(page, "form");
  await page.locator("#newcode-reason").fill("Lost her phone; we called her back on her known number.");
  await page.locator("#newcode-confirm").check();
  await page.locator("#newcode button[type=submit]").click();
  const shown = (await page.locator("#new-code").innerText()).trim();
  assert.match(shown, /^\d{4} \d{4} \d{4} \d{4}$/, "grouped in fours");
  assert.match(await page.locator("main").innerText(), /in person or by telephone/);
  await checkPage(page, "shown");

  // The worker's open session has ended; the old code is refused, the new one works.
  await worker.page.goto(`${server.origin}/case?lang=en`);
  assert.equal(await worker.page.locator(".panel__status").count(), 0, "signed out");
  assert.equal(await workerSignIn(worker.page, filed.reference, filed.access_code), false,
    "the old code is refused");
  assert.ok(await workerSignIn(worker.page, filed.reference, shown), "the new code signs in");
  // The refused sign-in answers 401, which the browser logs; nothing else may go wrong.
  assert.deepEqual(worker.problems.filter((p) => !/status of 401/.test(p)), []);
  assert.deepEqual(office.problems, []);
  await worker.context.close();
  await office.context.close();
});
