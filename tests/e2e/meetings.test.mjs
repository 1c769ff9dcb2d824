// Browser test of meetings (issue 10 item 3, CSDDD Art. 14(4)(b); docs/domain.md "Meetings") and
// of the staff translate form (item 4): the worker proposes a meeting with JavaScript off on a
// 360 px phone (times typed on the workplace's clock), the company accepts one of the times on
// its case page and adds a Dutch translation of the complaint, shown under the original; after
// the meeting time the company records the minutes and the worker reads them. axe-core (WCAG
// 2.1 AA) on every new state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useServerAndBrowser, checkPhonePage } from "./server.mjs";

let server;
let browser;
const ADMIN = "admin@demo.grievance.example";
const COMPANY = "company@demo.grievance.example";
// The offsets of the zone labels the pages show (server/domain/local_time.cpp).
const OFFSETS = { UTC: 0, WIB: 7, WITA: 8, WIT: 9, ICT: 7, "UTC+7": 7, CET: 1, CEST: 2 };

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const checkPage = (page, name) => checkPhonePage(page, `meetings-${name}`);

// An axe run needs scripts: the worker's JavaScript-off page is checked in a context that runs
// them, on the same session cookie.
async function checkWorkerPage(worker, name) {
  const cookies = await worker.context.cookies();
  const axe = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await axe.context.addCookies(cookies);
  await axe.page.goto(worker.page.url());
  await checkPage(axe.page, name);
  await axe.context.close();
}

async function staffSignIn(page, email) {
  await page.goto(`${server.origin}/staff/sign-in?lang=en`);
  await page.fill("#email", email);
  await page.fill("#password", server.users[email].password);
  await page.locator("main form button[type=submit]").click();
}

// "2026-12-03T09:05" on the clock `hours` ahead of UTC.
const localValue = (ms, hours) => new Date(ms + hours * 3600e3).toISOString().slice(0, 16);

test("a meeting: the worker proposes (JavaScript off), the company accepts a time, translates the complaint, records the minutes; the worker reads them", { timeout: 400e3 }, async () => {
  const setup = await openPage(browser);
  const request = setup.context.request;
  const admin = await (await request.post(`${server.origin}/api/v1/session`, {
    data: { email: ADMIN, password: server.users[ADMIN].password },
  })).json();
  const auth = { Authorization: `Bearer ${admin.token}` };
  const users = (await (await request.get(`${server.origin}/api/v1/users`, { headers: auth })).json()).users;
  const companyOrg = users.find((u) => u.email === COMPANY).org_id;
  const sites = (await (await request.get(`${server.origin}/api/v1/sites?all=1`, { headers: auth })).json()).sites;
  const site = sites.find((s) => s.operator_org_id === companyOrg && !s.disabled);
  await setup.context.close();
  // Filed without the admin's session cookie (a cookie-authenticated post needs a CSRF token).
  const filer = await openPage(browser);
  const filedRes = await filer.context.request.post(`${server.origin}/api/v1/complaints`, {
    data: { language: "id", categories: ["wages"], narrative: "Upah lembur bulan Oktober belum dibayar.",
      site_id: site.id, anonymous: true },
  });
  assert.equal(filedRes.status(), 201);
  const filed = await filedRes.json();
  await filer.context.close();

  // The worker, JavaScript off, on a phone.
  const worker = await openPage(browser, { locale: "en-GB", javaScriptEnabled: false });
  await worker.page.goto(`${server.origin}/follow?lang=en`);
  await worker.page.locator("#reference").fill(filed.reference);
  await worker.page.locator("#access_code").fill(filed.access_code);
  await worker.page.locator("main form button[type=submit]").click();
  await worker.page.goto(`${server.origin}/case?lang=en`);
  assert.equal(await worker.page.locator("#meeting-propose").count(), 1, "the worker may propose");
  await checkWorkerPage(worker, "worker-form");
  const zone = (await worker.page.locator("#meeting-times-hint").innerText()).match(/\(([^)]+)\)$/)[1];
  assert.ok(zone in OFFSETS, `a known zone label: ${zone}`);
  // The first time on the first whole minute at least 15 s ahead (still in the future when the
  // form arrives, six fields later; the minutes can only come after it, so the test waits for
  // it below: each second of margin is a second of every CI run), the second tomorrow.
  const first = Math.ceil((Date.now() + 15e3) / 60e3) * 60e3;
  await worker.page.locator("#meeting-time-1").fill(localValue(first, OFFSETS[zone]));
  await worker.page.locator("#meeting-time-2").fill(localValue(first + 86400e3, OFFSETS[zone]));
  await worker.page.locator("#meeting-place").fill("The union office in Dumai");
  await worker.page.locator("#meeting-interpreter").check();
  await worker.page.locator("#meeting-interpreter-language").fill("Javanese");
  await worker.page.locator("#meeting-companion").check();
  await worker.page.locator("#meeting-propose button[type=submit]").click();
  const proposed = await worker.page.locator("main").innerText();
  assert.match(proposed, /Your meeting proposal has been sent/);
  assert.match(proposed, /Meeting proposed by you/);
  assert.match(proposed, /Waiting for an answer/);
  assert.match(proposed, /An interpreter for Javanese/);
  assert.match(proposed, /Someone from the union comes along/);
  assert.match(proposed, new RegExp(`${localValue(first, OFFSETS[zone]).slice(11)} ${zone}`),
    "the time on the workplace's clock, as typed");
  await checkWorkerPage(worker, "worker-proposed");

  // The company accepts the first time on its case page.
  const company = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await staffSignIn(company.page, COMPANY);
  const casePath = `${server.origin}/staff/cases/${filed.reference}?lang=en`;
  await company.page.goto(casePath);
  await checkPage(company.page, "company-proposal");
  const meeting = company.page.locator("#meetings article").first();
  await meeting.locator("input[name=choice]").first().check();
  await meeting.locator("button[type=submit]").click();
  assert.match(await company.page.locator("#meetings").innerText(), /Agreed/);
  await checkPage(company.page, "company-agreed");

  // A Dutch translation of the complaint, shown under the original with who made it.
  await company.page.locator("#narrative ~ details.translate summary").first().click();
  await company.page.locator("#translate-1-language").selectOption("nl");
  await company.page.locator("#translate-1-text").fill("Het overwerk van oktober is niet betaald.");
  await company.page.locator("#narrative ~ details.translate button[type=submit]").click();
  const translation = company.page.locator("#narrative + .translation");
  assert.match(await translation.innerText(), /Translation into Dutch, by .+/);
  assert.match(await translation.innerText(), /Het overwerk van oktober is niet betaald\./);
  assert.equal((await company.page.locator("#narrative").innerText()).trim(),
    "Upah lembur bulan Oktober belum dibayar.", "the original stays");
  await checkPage(company.page, "company-translated");

  // After the meeting time, the company records the minutes.
  await new Promise((r) => setTimeout(r, Math.max(0, first - Date.now()) + 2000));
  await company.page.goto(casePath);
  await company.page.locator("#meetings textarea[name=text]").fill("We met with an interpreter; the overtime will be paid on 15 December.");
  await company.page.locator("#meetings textarea[name=text] >> xpath=ancestor::form//button").click();
  assert.match(await company.page.locator("#meetings").innerText(), /Held, with notes/);
  await checkPage(company.page, "company-minutes");

  // The worker reads the minutes, and the translation under the complaint.
  await worker.page.goto(`${server.origin}/case?lang=en`);
  const read = await worker.page.locator("#meetings").innerText();
  assert.match(read, /Held, with notes/);
  assert.match(read, /Notes by the company/);
  assert.match(read, /the overtime will be paid on 15 December/);
  assert.match(await worker.page.locator("details.details").last().textContent(),
    /Translation into Dutch, by .+Het overwerk van oktober is niet betaald\./s);
  await checkWorkerPage(worker, "worker-minutes");
  assert.deepEqual(worker.problems, []);
  assert.deepEqual(company.problems, []);
  await worker.context.close();
  await company.context.close();
});
