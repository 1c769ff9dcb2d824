// Browser tests of the staff pages (issue 3, "Browser"): the real server over TLS with the demo
// data (--demo prints one user per role with its password), headless Debian chromium via
// playwright-core. A union officer signs in, uploads a CSV batch of paper forms and prints the
// receipt slips; a company officer sees only its own cases; axe-core finds no WCAG 2.1 AA
// violation on any staff page in English and Dutch, and no page scrolls sideways on a 360 px
// phone.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, axeViolations, resultsDir, openPage, MOBILE } from "./server.mjs";

let server;
let browser;

const ADMIN = "admin@demo.grievance.example";
const UNION = "union@demo.grievance.example";
const COMPANY = "company@demo.grievance.example";
const CODE = /^\d{4} \d{4} \d{4} \d{4}$/;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(resultsDir, { recursive: true });
  for (const email of [ADMIN, UNION, COMPANY]) {
    assert.ok(server.users[email], `the demo prints ${email} with its password`);
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const newPage = (options = {}) => openPage(browser, { locale: "en-GB", ...options });

async function signIn(page, email, lang = "en") {
  await page.goto(`${server.origin}/staff/sign-in?lang=${lang}`);
  await page.fill("#email", email);
  await page.fill("#password", server.users[email].password);
  await page.locator("main form button[type=submit]").click();
  assert.equal(new URL(page.url()).pathname, "/staff/cases", `${email} is signed in`);
}

// The references in the case list, following "Next page" to the end.
async function listedReferences(page) {
  const refs = [];
  for (;;) {
    refs.push(...(await page.locator("#cases tbody th a").allInnerTexts()).map((r) => r.trim()));
    const next = page.locator("a[rel=next]");
    if ((await next.count()) === 0) return refs;
    await next.click();
  }
}

// A CSV of paper forms: two good rows at demo sites, one row without categories. Each call
// writes another file (the same file uploaded again files nothing twice).
let batchCount = 0;
async function batchCsv(page) {
  const form = `${Date.now()}-${++batchCount}`;
  const res = await page.request.get(`${server.origin}/api/v1/sites?country=ID`);
  const { sites } = await res.json();
  assert.ok(sites.length > 0, "the demo has sites in Indonesia");
  const site = sites[0].id;
  return [
    "language,categories,narrative,site_id,country,anonymous,mandate_follow",
    `id,wages;health_safety,"Upah lembur, tidak dibayar sejak Oktober (${form})",${site},ID,true,true`,
    `nl,working_hours,"Te lange diensten, geen pauze (${form})",${site},ID,true,false`,
    `en,,No category on this form,${site},ID,true,true`,
    "",
  ].join("\r\n");
}

async function uploadBatch(page, lang = "en") {
  const csv = await batchCsv(page);
  await page.goto(`${server.origin}/staff/batch?lang=${lang}`);
  await page.setInputFiles("#file", {
    name: "paper-forms.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf8"),
  });
  await page.locator("main form button[type=submit]").click();
}

// The check before filing (issue 8): its button files the rows that are ready.
async function fileCheckedBatch(page) {
  await page.locator("main form[action='/staff/batch/file'] button[type=submit]").click();
}

describe("a union officer uploads paper forms and prints the slips", () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`with JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
      const { context, page, problems } = await newPage({ javaScriptEnabled });
      await signIn(page, UNION);
      await page.locator(".staff-nav").getByRole("link", { name: "Upload paper forms" }).click();
      assert.equal(await page.locator("h1").innerText(), "Upload paper complaint forms");
      assert.equal(await page.locator(".staff-nav a[href^='/staff/admin']").count(), 0,
        "a union has no admin pages");

      const csv = await batchCsv(page);
      await page.getByLabel("CSV file").setInputFiles({
        name: "paper-forms.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(csv, "utf8"),
      });
      await page.getByRole("button", { name: "Check the file" }).click();
      // Checked before anything is filed: two rows ready, one with its problem.
      assert.equal(await page.locator("h1").innerText(), "Check the file before filing");
      assert.match(await page.locator("#batch-summary").innerText(),
        /3 rows: 2 ready to file, 1 with problems/);
      await page.getByRole("button", { name: "File the 2 complaints that are ready" }).click();

      assert.equal(await page.locator("h1").innerText(), "Receipt slips");
      assert.match(await page.locator("#batch-summary").innerText(),
        /2 complaints stored, 1 rows with a problem/);
      // The bad row is listed above the slips, with its row, file line and column.
      const problem = page.locator("#problems tbody tr");
      assert.equal(await problem.count(), 1);
      assert.match(await problem.innerText(), /3\s+4\s+categories/);

      const slips = page.locator("#slips .slip");
      assert.equal(await slips.count(), 2);
      const filed = [];
      for (let i = 0; i < 2; ++i) {
        const slip = slips.nth(i);
        const reference = (await slip.locator(".slip__reference").innerText()).trim();
        const code = (await slip.locator(".slip__code").innerText()).trim();
        assert.match(reference, /^GRV-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
        assert.match(code, CODE);
        assert.match(await slip.locator(".slip__url").innerText(), /\/follow\?lang=(id|nl)$/);
        filed.push({ reference, code, lang: await slip.getAttribute("lang") });
      }
      // Each slip speaks the worker's language.
      assert.deepEqual(filed.map((f) => f.lang), ["id", "nl"]);
      assert.match(await slips.nth(0).innerText(), /Nomor pengaduan Anda/);
      assert.match(await slips.nth(1).innerText(), /Uw kenmerk/);

      // Printed: only the slips, each kept whole on its page, no navigation.
      await page.emulateMedia({ media: "print" });
      for (const hidden of [".site-header", ".staff-bar", ".site-footer", ".no-print"]) {
        assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is not printed`);
      }
      assert.equal(await slips.nth(0).isVisible(), true);
      assert.equal(await slips.nth(1).isVisible(), true);
      const breakInside = await slips.nth(0).evaluate((el) => getComputedStyle(el).breakInside);
      assert.equal(breakInside, "avoid");
      await page.screenshot({
        path: join(resultsDir, `staff-slips-print-js-${javaScriptEnabled}.png`),
        fullPage: true,
      });
      await page.emulateMedia({ media: "screen" });
      assert.equal(await page.locator(".staff-bar").isVisible(), true);

      // A slip works: the worker follows the complaint with its reference and code.
      const worker = await newPage({ locale: "id-ID" });
      await worker.page.goto(`${server.origin}/follow`);
      await worker.page.getByLabel("Nomor pengaduan").fill(filed[0].reference);
      await worker.page.getByLabel("Kode rahasia").fill(filed[0].code);
      await worker.page.getByRole("button", { name: "Tampilkan pengaduan saya" }).click();
      assert.equal(new URL(worker.page.url()).pathname, "/case");
      assert.match(await worker.page.locator("h1").innerText(), new RegExp(filed[0].reference));
      await worker.context.close();

      // The union sees what it filed in its case list.
      await page.locator(".staff-nav").getByRole("link", { name: "Cases" }).click();
      const listed = await listedReferences(page);
      for (const f of filed) assert.ok(listed.includes(f.reference), `${f.reference} listed`);

      if (javaScriptEnabled) assert.deepEqual(problems, [], "no script errors, no CSP violations");
      await context.close();
    });
  }
});

describe("a company officer sees only its own cases", () => {
  test("the list and the case pages", async () => {
    const admin = await newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(admin.page, ADMIN);
    const all = await listedReferences(admin.page);
    assert.ok(all.length >= 3, `the demo has cases (${all.length})`);

    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, COMPANY);
    assert.equal(await page.locator(".staff-nav a[href^='/staff/admin']").count(), 0);
    assert.equal(await page.locator(".staff-nav a[href^='/staff/batch']").count(), 0);
    const mine = await listedReferences(page);
    assert.ok(mine.length > 0, "the operator has cases");
    for (const r of mine) assert.ok(all.includes(r), `${r} is a real case`);
    const foreign = all.filter((r) => !mine.includes(r));
    assert.ok(foreign.length > 0, "other companies' cases exist and are not listed");

    // Every listed row says the company's part in the case.
    const parts = await page.locator("#cases tbody tr td:nth-child(7)").allInnerTexts();
    for (const p of parts) assert.match(p, /^(Responsible company|Buyer)$/);

    // Its own case opens; another company's answers 404 like a case that does not exist.
    await page.locator("#cases tbody th a").first().click();
    assert.match(await page.locator("h1").innerText(), new RegExp(mine[0]));
    assert.equal(await page.locator("#narrative").count(), 1);
    for (const r of foreign) {
      const res = await page.goto(`${server.origin}/staff/cases/${r}?lang=en`);
      assert.equal(res.status(), 404, `${r} is not visible to the company`);
      assert.equal(await page.locator("h1").innerText(), "Page not found");
    }
    const adminPage = await page.goto(`${server.origin}/staff/admin/organisations`);
    assert.equal(adminPage.status(), 404, "no admin pages for a company");

    // Signing out really ends the session.
    await page.goto(`${server.origin}/staff/cases?lang=en`);
    await page.getByRole("button", { name: "Sign out" }).click();
    assert.equal(new URL(page.url()).pathname, "/staff/sign-in");
    await page.goto(`${server.origin}/staff/cases`);
    assert.equal(new URL(page.url()).pathname, "/staff/sign-in");

    await admin.context.close();
    await context.close();
  });
});

describe("accessibility of the staff pages (axe-core, WCAG 2.1 AA) and a 360 px phone", () => {
  const visited = [];
  const names = [];

  before(async () => {
    const snap = async (page, name) => {
      const violations = await axeViolations(page);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: join(resultsDir, `staff-${name}.png`), fullPage: true });
      visited.push({ name, violations, scrollWidth });
    };
    for (const lang of ["en", "nl"]) {
      const { context, page } = await newPage({ bypassCSP: true });
      await page.goto(`${server.origin}/staff/sign-in?lang=${lang}`);
      await snap(page, `sign-in-${lang}`);
      await page.fill("#email", ADMIN);
      await page.fill("#password", "not the password at all");
      await page.locator("main form button[type=submit]").click();
      await snap(page, `sign-in-error-${lang}`);

      await signIn(page, ADMIN, lang);
      await snap(page, `cases-admin-${lang}`);
      await page.goto(`${server.origin}/staff/cases?triage=1&lang=${lang}`);
      await snap(page, `triage-${lang}`);
      await page.goto(`${server.origin}/staff/cases?lang=${lang}`);
      await page.locator("#cases tbody th a").first().click();
      await snap(page, `case-admin-${lang}`);
      for (const admin of ["organisations", "users", "sites", "supply-links"]) {
        await page.goto(`${server.origin}/staff/admin/${admin}?lang=${lang}`);
        await snap(page, `${admin}-${lang}`);
      }
      await page.goto(`${server.origin}/staff/admin/organisations?lang=${lang}`);
      await page.locator("main form[action='/staff/admin/organisations'] button").click();
      await snap(page, `organisations-errors-${lang}`);
      await page.goto(`${server.origin}/staff/cases/GRV-0000-0000?lang=${lang}`);
      await snap(page, `not-found-${lang}`);
      await context.clearCookies();

      await signIn(page, COMPANY, lang);
      await snap(page, `cases-company-${lang}`);
      await page.locator("#cases tbody th a").first().click();
      await snap(page, `case-company-${lang}`);
      await context.clearCookies();

      await signIn(page, UNION, lang);
      await page.goto(`${server.origin}/staff/batch?lang=${lang}`);
      await snap(page, `batch-${lang}`);
      await page.locator("main form button[type=submit]").click();
      await snap(page, `batch-errors-${lang}`);
      await uploadBatch(page, lang);
      await snap(page, `preview-${lang}`);
      await fileCheckedBatch(page);
      await snap(page, `slips-${lang}`);
      await context.close();
    }
  });

  for (const lang of ["en", "nl"]) {
    for (const name of ["sign-in", "sign-in-error", "cases-admin", "triage", "case-admin",
      "organisations", "users", "sites", "supply-links", "organisations-errors", "not-found",
      "cases-company", "case-company", "batch", "batch-errors", "preview", "slips"]) {
      names.push(`${name}-${lang}`);
    }
  }
  for (const name of names) {
    test(`${name}: zero violations, no horizontal scrolling`, () => {
      const page = visited.find((p) => p.name === name);
      assert.ok(page, `${name} was visited`);
      assert.deepEqual(page.violations, [], JSON.stringify(page.violations, null, 2));
      assert.ok(page.scrollWidth <= MOBILE.width,
        `${name} is ${page.scrollWidth}px wide at ${MOBILE.width}px`);
    });
  }
});
