// Browser tests of what a worker meets (issue 8, "Found by trying it as a new user would"):
// who has the case, the consent-to-share rule, every form error at once, the receipt's print
// button, local times, the receipt's recipients and its proof as a file, choosing the
// workplace country first, and words that mislead. Each runs on a 360 px phone, with
// JavaScript on and off, and checks what the worker reads.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, repoRoot, resultsDir, binary, openPage, MOBILE } from "./server.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const LANGS = ["en", "nl", "id", "vi", "fr"];
const catalogue = Object.fromEntries(LANGS.map((l) => [l,
  JSON.parse(readFileSync(join(repoRoot, "web", "i18n", `${l}.json`), "utf8"))]));
const t = (lang, key) => {
  const text = catalogue[lang][key];
  assert.ok(text, `web/i18n/${lang}.json has ${key}`);
  return text;
};

async function newPage({ js = true, ...options } = {}) {
  const opened = await openPage(browser, {
    locale: "en-GB", javaScriptEnabled: js, acceptDownloads: true, ...options,
  });
  opened.context.setDefaultTimeout(10000);
  return opened;
}

const SITES = {
  kampar: "Kebun Kampar Estate",          // PT Sawit Riau Lestari; bought by Noordzee Foods
  indragiri: "Kebun Indragiri Hulu Plasma", // PT Indragiri Agro Nusantara; 2 buyers
  siak: "Pabrik Kelapa Sawit Siak",
};

// Chooses where it happened: a known site, or (site null) a place the directory does not know.
// Works with the workplace picker before issue 8 (one dropdown) and after it (country first,
// then the site), so that each item's test fails on its own assertion before its fix.
async function chooseWorkplace(page, { country = "ID", site = null, place = "Desa Sungai Rotan" }) {
  const dropdown = page.locator("select#site_id");
  if (await dropdown.count()) {
    if (site) {
      const value = await dropdown.evaluate(
        (sel, name) => [...sel.options].find((o) => o.text.includes(name)).value, site);
      await page.selectOption("#site_id", value);
    } else {
      await page.selectOption("#site_id", "");
      await page.locator("#place").fill(place);
      await page.selectOption("#country", country);
    }
    return;
  }
  await page.selectOption("#country", country);
  await page.locator("#country-step").getByRole("button").click();
  if (site) {
    await page.getByLabel(site).check();
  } else {
    await page.locator("#site-other").check();
  }
  await page.locator("#site-step").getByRole("button").click();
  if (!site) await page.locator("#place").fill(place);
}

// Fills the rest of the form in English; `named` gives the consent to share the name.
async function fillComplaint(page, { narrative, date = null, named = false, name = null }) {
  await page.getByLabel("Pay and wages").check();
  await page.getByLabel("Tell us what happened").fill(narrative);
  if (date) await page.getByLabel(/When did it happen/).fill(date);
  await page.locator(named ? "#anonymous-no" : "#anonymous-yes").check();
  if (name) await page.locator("#contact_name").fill(name);
}

// Files a complaint in English from /complaint; returns the receipt's reference and code.
async function file(page, where, what) {
  await page.goto(`${server.origin}/complaint?lang=en`);
  await chooseWorkplace(page, where);
  await fillComplaint(page, what);
  await page.getByRole("button", { name: "Continue" }).click();
  assert.equal(await page.locator("h1").innerText(), "Check your complaint");
  await page.getByRole("button", { name: "Send complaint" }).click();
  const reference = (await page.locator("#reference").innerText()).trim();
  const code = (await page.locator("#access-code").innerText()).trim();
  return { reference, code };
}

async function signIn(page, { reference, code }) {
  await page.goto(`${server.origin}/follow?lang=en`);
  await page.locator("#reference").fill(reference);
  await page.locator("#access_code").fill(code);
  await page.locator("main form button[type=submit]").click();
  assert.equal(new URL(page.url()).pathname, "/case");
}

async function fits(page, name) {
  await page.screenshot({ path: join(resultsDir, `issue8-${name}.png`), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= MOBILE.width, `${name} is ${width}px wide`);
}

for (const js of [true, false]) {
  const mode = js ? "with JavaScript" : "without JavaScript";

  describe(`issue 8, ${mode}`, () => {
    test("1. the case page says who has the case now: the responsible company, its buyers", async () => {
      const { context, page } = await newPage({ js });
      const filed = await file(page, { site: SITES.indragiri },
        { narrative: `Upah dipotong. ITEM1-${js}` });
      await signIn(page, filed);
      const holders = page.locator("#holders");
      const text = await holders.innerText();
      const lines = await holders.locator("li").allInnerTexts();
      assert.equal(lines.length, 3, `one line per company: ${text}`);
      assert.match(lines[0], /PT Indragiri Agro Nusantara/);
      assert.match(lines[0], /runs the workplace/);
      assert.match(lines[1], /PT Sawit Riau Lestari/);
      assert.match(lines[1], /buys from/);
      assert.match(lines[2], /Noordzee Foods B\.V\./);
      assert.match(lines[2], /buys from/);
      // The timeline names each company once, in its part; never one line twice.
      const timeline = await page.locator(".timeline__title").allInnerTexts();
      assert.equal(new Set(timeline).size, timeline.length, `no duplicate: ${timeline}`);
      assert.ok(!timeline.some((l) => /passed to the company responsible/i.test(l)), `${timeline}`);
      await fits(page, `case-holders-${js}`);
      await context.close();
    });

    test("1. a case waiting in triage says the complaints office is finding the company", async () => {
      const { context, page } = await newPage({ js });
      const filed = await file(page, { site: null, place: "Desa Sungai Rotan, Kampar" },
        { narrative: `Tanah diambil. ITEM1-TRIAGE-${js}` });
      await signIn(page, filed);
      const holders = await page.locator("#holders").innerText();
      assert.match(holders, /complaints office is finding the company/);
      const all = await page.locator("main").innerText();
      assert.doesNotMatch(all, /passed to the company responsible/i);
      assert.doesNotMatch(all, /runs the workplace/);
      assert.match(await page.locator(".panel--status").innerText(),
        /complaints office/, "what happens next, in triage");
      await context.close();
    });

    test("2. consent to share the name needs a name, with a field error in every language", async () => {
      const { context, page } = await newPage({ js });
      for (const lang of LANGS) {
        await page.goto(`${server.origin}/complaint?lang=en`);
        await chooseWorkplace(page, { site: SITES.kampar });
        await fillComplaint(page, { narrative: "Gaji dipotong.", named: true });
        await page.locator("#contact_phone").fill("+62 812 3456 7890");
        // The rest of the flow in `lang`: the hidden lang field decides the answer's language.
        await page.locator("form[action='/complaints'] input[name=lang]")
          .evaluate((el, l) => { el.value = l; }, lang);
        await page.getByRole("button", { name: "Continue" }).click();
        const message = t(lang, "error_contact_name_to_share");
        assert.equal(await page.getAttribute("html", "lang"), lang);
        assert.match(await page.locator(".error-summary").innerText(),
          new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), lang);
        assert.match(await page.locator("#contact_name-error").innerText(),
          new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), lang);
      }
      await context.close();
    });

    test("3. the complaint form reports every error at once", async () => {
      const { context, page } = await newPage({ js });
      await page.goto(`${server.origin}/complaint?lang=en`);
      await chooseWorkplace(page, { site: SITES.kampar });
      // No category, no story, a date in the future, an e-mail address that is not one.
      await page.getByLabel(/When did it happen/).fill("2099-01-01");
      await page.locator("#anonymous-yes").check();
      await page.locator("#contact_email").fill("not-an-address");
      await page.getByRole("button", { name: "Continue" }).click();
      const summary = await page.locator(".error-summary").innerText();
      for (const key of ["error_categories", "error_narrative", "error_incident_date",
        "error_contact_email"]) {
        assert.ok(summary.includes(t("en", key)), `${key} in: ${summary}`);
      }
      assert.equal(await page.locator(".error-message").count(), 4);
      await fits(page, `all-errors-${js}`);
      await context.close();
    });

    test("4. the receipt offers to print only when printing works", async () => {
      const { context, page } = await newPage({ js });
      await file(page, { site: SITES.kampar }, { narrative: `Cetak. ITEM4-${js}` });
      const print = page.getByRole("button", { name: "Print this page" });
      if (js) {
        assert.ok(await print.isVisible(), "JavaScript on: the button prints");
      } else {
        assert.equal(await print.count(), 0, "JavaScript off: no button that does nothing");
      }
      await context.close();
    });

    test("5. times are local: the site's zone, or the browser's with JavaScript", async () => {
      const { context, page } = await newPage({ js, timezoneId: "Asia/Makassar" });
      const filed = await file(page, { site: SITES.kampar }, { narrative: `Jam. ITEM5-${js}` });
      await signIn(page, filed);
      const first = page.locator(".timeline time").first();
      const iso = await first.getAttribute("datetime");
      const text = await first.innerText();
      // Riau is WIB (UTC+7); the browser here is in Makassar (WITA, UTC+8).
      const hours = js ? 8 : 7;
      const local = new Date(Date.parse(iso) + hours * 3600e3);
      const hhmm = `${String(local.getUTCHours()).padStart(2, "0")}:` +
        `${String(local.getUTCMinutes()).padStart(2, "0")}`;
      assert.ok(text.includes(hhmm), `${text} shows ${hhmm} (${iso})`);
      assert.doesNotMatch(text, /UTC(?![+-])/, "not in UTC");
      if (!js) assert.match(text, /WIB/);
      await context.close();
    });

    test("6. the receipt says who received it and saves the proof as a file that verifies", async () => {
      const { context, page } = await newPage({ js });
      await file(page, { site: SITES.kampar }, { narrative: `Bukti. ITEM6-${js}` });
      const received = await page.locator("#received-by").innerText();
      assert.match(received, /PT Sawit Riau Lestari/);
      assert.match(received, /runs the workplace/);
      assert.match(received, /Noordzee Foods B\.V\./);
      assert.match(received, /buys from/);
      const proof = await page.locator("#proof").innerText();
      assert.match(proof, /proves/);
      assert.doesNotMatch(proof, /SHA-256|[A-Za-z0-9_-]{60,}/, "no hash or signature to read");
      await fits(page, `receipt-${js}`);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: t("en", "receipt_proof_save") }).click(),
      ]);
      const dir = mkdtempSync(join(tmpdir(), "receipt-"));
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      assert.match(download.suggestedFilename(), /^receipt-GRV-[0-9A-Z]{4}-[0-9A-Z]{4}\.json$/);
      JSON.parse(readFileSync(path, "utf8"));
      const out = execFileSync(binary, ["verify-receipt", path, "--data", server.dataDir],
        { encoding: "utf8" });
      assert.match(out, /^valid: GRV-/);
      // A changed file does not verify.
      const changed = JSON.parse(readFileSync(path, "utf8"));
      changed.receipt.filed_at = "2020-01-01T00:00:00Z";
      writeFileSync(path, JSON.stringify(changed));
      assert.throws(() => execFileSync(binary, ["verify-receipt", path, "--data", server.dataDir],
        { stdio: "ignore" }));
      await context.close();
    });

    test("6. a complaint without a known site was received by the complaints office", async () => {
      const { context, page } = await newPage({ js });
      await file(page, { site: null }, { narrative: `Triase. ITEM6-TRIAGE-${js}` });
      const received = await page.locator("#received-by").innerText();
      assert.match(received, /complaints office/);
      assert.doesNotMatch(received, /runs the workplace/);
      await context.close();
    });

    test("7. the workplace: the country first, then search or pick its site", async () => {
      const { context, page } = await newPage({ js });
      await page.goto(`${server.origin}/complaint?lang=en`);
      assert.equal(await page.locator("select#site_id").count(), 0, "no list of every site");
      assert.equal(await page.locator("input[name=site_id]").count(), 0, "no site before a country");
      await page.selectOption("#country", "ID");
      await page.locator("#country-step").getByRole("button").click();
      const sites = page.locator("#site-step input[name=site_id]");
      const labels = await page.locator("#site-step .choice__label").allInnerTexts();
      assert.ok(labels.some((l) => l.includes(SITES.kampar)), `${labels}`);
      assert.ok(!labels.some((l) => /Saigon|CAPS|Dong Nai/.test(l)), `only Indonesia: ${labels}`);
      assert.equal(await sites.count(), 6, "5 Indonesian sites and 'not in the list'");

      await page.getByLabel("Search").fill("siak");
      if (js) {
        // Filters as the worker types.
        await page.waitForFunction(() =>
          document.querySelectorAll("#site-step input[name=site_id]").length === 2);
      } else {
        await page.getByRole("button", { name: "Search" }).click();
      }
      assert.equal(await sites.count(), 2, "the mill and 'not in the list'");
      await fits(page, `site-search-${js}`);
      await page.getByLabel(SITES.siak).check();
      await page.locator("#site-step").getByRole("button", { name: "Continue" }).click();
      assert.match(await page.locator("#workplace").innerText(), new RegExp(SITES.siak));
      await fillComplaint(page, { narrative: `Pabrik. ITEM7-${js}` });
      await page.getByRole("button", { name: "Continue" }).click();
      assert.match(await page.locator(".summary-list").innerText(), /Siak/);
      await page.getByRole("button", { name: "Change" }).click();
      assert.match(await page.locator("#workplace").innerText(), new RegExp(SITES.siak),
        "the choice is kept when the worker changes an answer");
      assert.equal(await page.getByLabel("Tell us what happened").inputValue(), `Pabrik. ITEM7-${js}`);
      await context.close();
    });
  });
}

describe("issue 8: words that mislead (the translations review)", () => {
  test("the anonymity hint says the story reaches the company: do not write your name", async () => {
    const { context, page } = await newPage();
    for (const [lang, words] of [["en", /Do not write your name/], ["nl", /Schrijf uw naam niet/],
      ["id", /Jangan tulis nama Anda/], ["vi", /Đừng viết tên bạn/],
      ["fr", /N'écrivez pas votre nom/]]) {
      await page.goto(`${server.origin}/complaint?lang=${lang}`);
      await chooseWorkplace(page, { site: SITES.kampar });
      assert.match(await page.locator("#anonymous-hint").innerText(), words, lang);
    }
    await context.close();
  });

  test("received is not accepted; steps have their own names; French says 'à qui'", async () => {
    const { context, page } = await newPage({ locale: "id-ID" });
    const filed = await file(page, { site: SITES.kampar }, { narrative: "Kata-kata. WORDS" });
    await page.goto(`${server.origin}/follow?lang=id`);
    await page.locator("#reference").fill(filed.reference);
    await page.locator("#access_code").fill(filed.code);
    await page.locator("main form button[type=submit]").click();
    assert.equal(await page.locator(".panel__status").innerText(), "Sudah masuk");
    for (const lang of LANGS) {
      await page.goto(`${server.origin}/case?lang=${lang}`);
      const steps = await page.locator(".stage__name").allInnerTexts();
      const statuses = Object.entries(catalogue[lang])
        .filter(([k]) => k.startsWith("status_") && !k.startsWith("status_help_"))
        .map(([, v]) => v);
      for (const s of steps) assert.ok(!statuses.includes(s), `${lang}: step "${s}" is a status name`);
      const help = t(lang, "status_help_acknowledged");
      assert.doesNotMatch(help, /confirmed your complaint|bevestigd uw klacht|mengonfirmasi pengaduan/);
    }
    await page.goto(`${server.origin}/complaint?lang=fr`);
    await chooseWorkplace(page, { site: SITES.kampar });
    const hint = await page.locator("#narrative-hint").innerText();
    assert.doesNotMatch(hint, /pour qui/);
    assert.match(hint, /à qui/);
    await context.close();
  });
});
