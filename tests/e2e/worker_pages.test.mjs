// Browser tests of the worker pages (issue 2, "Browser"): the real server over TLS, headless
// Debian chromium via playwright-core. A worker files a complaint in Bahasa Indonesia and
// follows it up, with JavaScript on and off; axe-core finds no WCAG 2.1 AA violation on any
// worker page; the pages fit a 360 px wide phone.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, axeViolations, resultsDir, openPage, MOBILE } from "./server.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(resultsDir, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});


const newPage = (options = {}) => openPage(browser, { locale: "id-ID", ...options });

// Chooses the first country that has sites, then its first site (the country-first picker).
async function chooseSite(page, next) {
  await page.selectOption("#country", { index: 0 });
  await page.locator("#country-step").getByRole("button", { name: next }).click();
  const sites = page.locator("#site-step input[name=site_id]");
  assert.ok(await sites.count() > 1, "the demo data offers sites to pick");
  await sites.first().check();
  await page.locator("#site-step").getByRole("button", { name: next }).click();
}

// Fills and sends the complaint form from the home page; returns what the receipt shows.
async function fileComplaint(page, origin, narrative) {
  await page.goto(`${origin}/`);
  assert.equal(await page.getAttribute("html", "lang"), "id", "Accept-Language id-ID");
  await page.locator("main").getByRole("link", { name: "Buat pengaduan" }).click();
  assert.equal(await page.locator("h1").innerText(), "Buat pengaduan");

  // The workplace first: the country, then one of its sites (issue 8).
  await chooseSite(page, "Lanjut");
  await page.getByLabel("Upah dan gaji").check();
  await page.getByLabel("Jam kerja dan lembur").check();
  await page.getByLabel("Ceritakan apa yang terjadi").fill(narrative);
  await page.getByLabel("Kapan kejadiannya? (tidak wajib)").fill("2026-10-01");
  await page.getByLabel("Tidak, rahasiakan nama saya").check();
  await page.getByRole("button", { name: "Lanjut" }).click();

  assert.equal(await page.locator("h1").innerText(), "Periksa pengaduan Anda");
  assert.match(await page.locator(".summary-list").innerText(), /Upah dan gaji/);
  await page.getByRole("button", { name: "Kirim pengaduan" }).click();

  assert.equal(await page.locator("h1").innerText(), "Pengaduan Anda sudah terkirim");
  const reference = (await page.locator("#reference").innerText()).trim();
  const code = (await page.locator("#access-code").innerText()).trim();
  assert.match(reference, /^GRV-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.match(code, /^\d{4} \d{4} \d{4} \d{4}$/);
  assert.ok(!(await page.content()).includes(narrative), "no complaint text on the receipt");
  return { reference, code };
}

async function followUp(page, { reference, code }, narrative, message) {
  await page.locator("main").getByRole("link", { name: "Lihat pengaduan Anda" }).click();
  assert.equal(await page.locator("h1").innerText(), "Lihat pengaduan Anda");
  await page.getByLabel("Nomor pengaduan").fill(reference);
  await page.getByLabel("Kode rahasia").fill(code.replaceAll(" ", ""));
  await page.getByRole("button", { name: "Tampilkan pengaduan saya" }).click();

  assert.match(new URL(page.url()).pathname, /^\/case$/);
  assert.match(await page.locator("h1").innerText(), new RegExp(reference));
  assert.equal(await page.locator(".panel__status").innerText(), "Sudah masuk");
  assert.match(await page.locator(".stages").innerText(), /Dalam 7 hari/);
  await page.locator("details.details summary").click();
  assert.match(await page.locator("details.details").innerText(), new RegExp(narrative));

  await page.getByLabel("Pesan Anda").fill(message);
  await page.getByRole("button", { name: "Kirim pesan" }).click();
  assert.equal(await page.locator(".notice").innerText(), "Pesan Anda sudah terkirim.");
  assert.match(await page.locator(".timeline").innerText(), new RegExp(message));

  await page.getByRole("button", { name: "Keluar" }).click();
  assert.equal(await page.locator(".notice").innerText(), "Anda sudah keluar.");
  await page.goto(new URL("/case", page.url()).href);
  assert.equal(new URL(page.url()).pathname, "/follow", "signed out: back to sign-in");
}

describe("a worker files and follows a complaint in Bahasa Indonesia", () => {
  test("with JavaScript", async () => {
    const { context, page, problems } = await newPage();
    const narrative = "Upah lembur bulan Oktober tidak dibayar. E2E-JS-4417";
    const filed = await fileComplaint(page, server.origin, narrative);
    await followUp(page, filed, narrative, "Kapan upah lembur dibayar?");
    assert.deepEqual(problems, [], "no script errors and no CSP violations");
    await context.close();
  });

  test("without JavaScript", async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    const narrative = "Tidak ada alat pelindung diri saat menyemprot. E2E-NOJS-8812";
    const filed = await fileComplaint(page, server.origin, narrative);
    await followUp(page, filed, narrative, "Mohon kabari saya.");
    await context.close();
  });

  test("the language switch and the error summary", async () => {
    const { context, page } = await newPage({ locale: "en-GB" });
    await page.goto(`${server.origin}/complaint`);
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await page.getByRole("link", { name: "Tiếng Việt" }).click();
    assert.equal(await page.getAttribute("html", "lang"), "vi");
    await page.goto(`${server.origin}/`);
    assert.equal(await page.getAttribute("html", "lang"), "vi", "the choice is remembered");
    await page.goto(`${server.origin}/complaint?lang=en&country=other`);
    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.locator(".error-summary");
    assert.equal(await summary.locator("h2").innerText(), "There is a problem");
    assert.ok(await summary.evaluate((el) => el === document.activeElement), "summary focused");
    await summary.getByRole("link", { name: "Choose at least one kind of problem" }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "cat-wages");
    await context.close();
  });
});

describe("accessibility (axe-core, WCAG 2.1 AA) and a 360 px phone", () => {
  const pages = [];

  before(async () => {
    // Visit every worker page once, with CSP bypassed so that axe can be injected.
    const { context, page } = await newPage({ bypassCSP: true });
    const snap = async (name) => {
      const violations = await axeViolations(page);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      const file = join(resultsDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      pages.push({ name, violations, scrollWidth, file, lang: await page.getAttribute("html", "lang") });
    };
    await page.goto(`${server.origin}/`);
    await snap("home");
    await page.goto(`${server.origin}/complaint`);
    await snap("complaint");
    await page.selectOption("#country", { index: 0 });
    await page.locator("#country-step").getByRole("button").click();
    await snap("complaint-sites");
    await page.locator("#site-step input[name=site_id]").first().check();
    await page.locator("#site-step").getByRole("button").click();
    await page.getByRole("button", { name: "Lanjut" }).click();
    await snap("complaint-errors");
    await page.getByLabel("Upah dan gaji").check();
    await page.getByLabel("Ceritakan apa yang terjadi").fill("Gaji dipotong tanpa alasan.");
    await page.getByLabel("Tidak, rahasiakan nama saya").check();
    await page.getByRole("button", { name: "Lanjut" }).click();
    await snap("check");
    await page.getByRole("button", { name: "Kirim pengaduan" }).click();
    await snap("receipt");
    const reference = (await page.locator("#reference").innerText()).trim();
    const code = (await page.locator("#access-code").innerText()).trim();
    await page.goto(`${server.origin}/follow`);
    await snap("follow");
    await page.getByLabel("Nomor pengaduan").fill(reference);
    await page.getByLabel("Kode rahasia").fill("1111 2222 3333 4444");
    await page.getByRole("button", { name: "Tampilkan pengaduan saya" }).click();
    await snap("follow-error");
    await page.getByLabel("Kode rahasia").fill(code);
    await page.getByRole("button", { name: "Tampilkan pengaduan saya" }).click();
    await page.getByLabel("Pesan Anda").fill("Terima kasih.");
    await page.getByRole("button", { name: "Kirim pesan" }).click();
    await snap("case");
    for (const lang of ["en", "nl", "vi", "fr"]) {
      await page.goto(`${server.origin}/complaint?lang=${lang}`);
      await snap(`complaint-${lang}`);
    }
    const missing = await page.goto(`${server.origin}/no-such-page`);
    assert.equal(missing.status(), 404);
    await snap("not-found");
    await context.close();
  });

  for (const name of ["home", "complaint", "complaint-sites", "complaint-errors", "check", "receipt", "follow",
    "follow-error", "case", "complaint-en", "complaint-nl", "complaint-vi", "complaint-fr",
    "not-found"]) {
    test(`${name}: zero violations, no horizontal scrolling`, () => {
      const visited = pages.find((p) => p.name === name);
      assert.ok(visited, `${name} was visited`);
      assert.deepEqual(visited.violations, [], JSON.stringify(visited.violations, null, 2));
      assert.ok(visited.scrollWidth <= MOBILE.width,
        `${name} is ${visited.scrollWidth}px wide at ${MOBILE.width}px`);
    });
  }
});
