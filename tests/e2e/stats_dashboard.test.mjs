// Browser test of the statistics dashboard (issue 11 item 5; docs/domain.md "Statistics"): the
// auditor signs in on the demo server and lands on the dashboard, not on a dead end; on a 360 px
// phone, with JavaScript on and off, it reads the headline figures and six charts, each an image
// with a name and a table of its numbers; the filters narrow and keep what was chosen, a bad
// date is an error on its field, and the export link downloads a CSV with the same filters.
// The operator, a company and a union read their own dashboards. axe-core (WCAG 2.1 AA) finds
// nothing, in English, Dutch and Vietnamese, and no raw catalogue key shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openPage, useServerAndBrowser, checkPhonePage, resultsDir } from "./server.mjs";

let server;
let browser;
const AUDITOR = "auditor@demo.grievance.example";
const CHARTS = ["categories", "times", "overdue", "outcomes", "satisfaction", "recurrence"];

useServerAndBrowser(async (s, b) => {
  server = s;
  browser = b;
});

const checkPage = (page, name, axe = true) => checkPhonePage(page, `dash-${name}`, axe);

async function signIn(page, email, lang = "en") {
  await page.goto(`${server.origin}/staff/sign-in?lang=${lang}`);
  await page.fill("#email", email);
  await page.fill("#password", server.users[email].password);
  await page.locator("main form button[type=submit]").click();
}

// Every chart: an image named by its title, and its table behind "Show the numbers".
async function checkCharts(page) {
  for (const chart of CHARTS) {
    const section = page.locator(`#chart-${chart}`);
    const title = await section.locator("h2").innerText();
    const image = section.getByRole("img");
    assert.equal(await image.count(), 1, chart);
    const name = await image.evaluate((svg) =>
      svg.getAttribute("aria-labelledby").split(" ")
        .map((id) => document.getElementById(id).textContent).join(" "));
    assert.ok(name.startsWith(title), `${chart}: the image is named by its title (${name})`);
    assert.ok(name.length > title.length + 20, `${chart}: and described`);
    // The axis' unit ("cases", "days") clear of every value label: they once overlapped.
    const overlaps = await image.evaluate((svg) => {
      const unit = svg.querySelector(".chart-unit");
      if (!unit) return [];
      const u = unit.getBoundingClientRect();
      return [...svg.querySelectorAll(".chart-tick")].filter((t) => {
        const r = t.getBoundingClientRect();
        return r.left < u.right && u.left < r.right && r.top < u.bottom && u.top < r.bottom;
      }).map((t) => t.textContent);
    });
    assert.deepEqual(overlaps, [], `${chart}: the unit overlaps ${overlaps}`);
    await section.locator("summary").click();
    const table = section.locator(`#table-${chart}`);
    assert.ok(await table.isVisible(), `${chart}: its table opens`);
    assert.ok(await table.locator("tbody tr").count() > 0, `${chart}: rows`);
  }
}

for (const javaScript of [true, false]) {
  test(`the auditor lands on the dashboard and reads protected numbers (JavaScript ${javaScript ? "on" : "off"})`, async () => {
    const { page, context, problems } = await openPage(browser, {
      locale: "en-GB", javaScriptEnabled: javaScript, bypassCSP: javaScript, acceptDownloads: true,
    });
    await signIn(page, AUDITOR);
    assert.match(page.url(), /\/staff\/stats\?lang=en$/, "no dead end after sign-in");
    assert.equal(await page.locator("h1").innerText(), "Statistics");
    assert.equal(await page.getByRole("link", { name: "Statistics" }).getAttribute("aria-current"),
      "page");
    assert.match(await page.locator(".stats-lead").innerText(), /fewer than 5/);
    const registered = await page.locator("#figure-registered dd").innerText();
    assert.match(registered, /^(\d+|fewer than 5)$/);
    // The demo's few cases: most cells are too small to publish, and say so.
    assert.match(await page.locator("main").innerText(), /fewer than 5/);
    await checkCharts(page);
    await checkPage(page, `auditor-js-${javaScript}`, javaScript);

    // The filters narrow, and the form keeps them.
    await page.selectOption("#category", "wages");
    await page.getByRole("button", { name: "Show the statistics" }).click();
    assert.match(page.url(), /category=wages/);
    assert.equal(await page.locator("#category").inputValue(), "wages");
    assert.equal(await page.locator("#chart-categories .chart-legend li").first().innerText(),
      "Pay and wages");

    // The export: a CSV with the same filters, a header and one row per month.
    const link = page.getByRole("link", { name: /Figures per month \(CSV/ });
    assert.match(await link.getAttribute("href"), /^\/api\/v1\/exports\/stats\.csv\?from=.*category=wages.*group_by=month$/);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const file = join(resultsDir, `dash-export-js-${javaScript}.csv`);
    await download.saveAs(file);
    const csv = readFileSync(file, "utf8");
    assert.match(csv, /^month,registered,/);
    assert.ok(csv.trim().split("\r\n").length >= 2, csv);
    // The case rows: a pseudonym per case, never the complaint's text.
    const rowsLink = page.getByRole("link", { name: /One row per case \(CSV/ });
    const [rowsDownload] = await Promise.all([page.waitForEvent("download"), rowsLink.click()]);
    const rowsFile = join(resultsDir, `dash-cases-js-${javaScript}.csv`);
    await rowsDownload.saveAs(rowsFile);
    assert.match(readFileSync(rowsFile, "utf8"), /^id,period,site,/);

    // A bad date: the form again, the error on the field, what was typed kept, nothing drawn.
    await page.getByLabel("Filed on or after").fill("2026-13-01");
    await page.getByRole("button", { name: "Show the statistics" }).click();
    assert.equal(await page.locator("#from").inputValue(), "2026-13-01");
    assert.match(await page.locator("#from-error").innerText(), /real date as year-month-day/);
    assert.match(await page.locator(".error-summary").innerText(), /real date/);
    assert.equal(await page.locator("#chart-categories").count(), 0);
    await checkPage(page, `auditor-error-js-${javaScript}`, javaScript);
    assert.deepEqual(problems.filter((p) => !/status of 400 \(Bad Request\)/.test(p)), []);
    await context.close();
  });
}

test("the dashboard in Dutch and Vietnamese, axe-clean, no raw keys", async () => {
  const { page, context, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, AUDITOR);
  for (const [lang, heading, fewer] of [["nl", "Statistieken", "minder dan 5"],
    ["vi", "Thống kê", "ít hơn 5"]]) {
    await page.goto(`${server.origin}/staff/stats?lang=${lang}`);
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    assert.equal(await page.locator("h1").innerText(), heading);
    const text = await page.locator("body").innerText();
    assert.doesNotMatch(text, /staff_[a-z_]+/, `${lang}: a raw key`);
    assert.ok(text.includes(fewer), `${lang}: "${fewer}"`);
    await checkCharts(page);
    await checkPage(page, `auditor-${lang}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the operator, a company and a union read their own dashboards", async () => {
  for (const [email, heading] of [
    ["admin@demo.grievance.example", "Statistics"],
    ["company@demo.grievance.example", "Statistics of your company's cases"],
    ["union@demo.grievance.example", "Statistics of the complaints your union filed"],
  ]) {
    const { page, context, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
    await signIn(page, email);
    await page.getByRole("link", { name: "Statistics" }).click();
    assert.equal(await page.locator("h1").innerText(), heading);
    assert.match(await page.locator("#figure-registered dd").innerText(), /^\d+$/, "exact");
    assert.doesNotMatch(await page.locator("main").innerText(), /fewer than/);
    const exports = await page.locator("#exports").count();
    assert.equal(exports, email.startsWith("union") ? 0 : 1, `${email}: exports`);
    if (email.startsWith("company")) {
      // The company's annual disclosure, last year's and this year's so far.
      const year = new Date().getFullYear();
      const link = page.getByRole("link", { name: `Annual report ${year}: ESRS S1-17 and GRI 2-25 (JSON)` });
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const file = join(resultsDir, "dash-disclosure.json");
      await download.saveAs(file);
      const disclosure = JSON.parse(readFileSync(file, "utf8"));
      assert.equal(disclosure.year, year);
      assert.equal(typeof disclosure.esrs_s1_17.complaints_filed, "number");
      assert.equal(await page.locator("#exports a").count(), 2);
    }
    await checkCharts(page);
    await checkPage(page, email.split("@")[0]);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
