// Browser tests of what staff meet (issue 8): the real server over TLS with the demo data,
// headless Debian chromium via playwright-core. Each test reads what the user reads:
//   - a case's timeline names each actor from the viewer's point of view (never "You" for the
//     complainant's words in a company's or an admin's view);
//   - a union's batch: the CSV template and the codes (site ids, categories, languages), a check
//     before filing that lists every problem of every row in staff wording, and the same file
//     uploaded again answering the first upload's references instead of filing twice;
//   - a union files one complaint with a mandate and writes in a case it follows; an admin
//     assigns a triage case;
//   - an admin chooses countries by name, edits records, confirms before disabling and sets a
//     staff member's new password (which signs them out);
// with JavaScript on and off where a flow has a form, and axe-core (WCAG 2.1 AA) plus a 360 px
// phone on every new page in all five languages. Screenshots go to test-results/.
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
const BUYER = "buyer@demo.grievance.example";
const DESKTOP = { width: 1280, height: 900 };
const CODE = /^\d{4} \d{4} \d{4} \d{4}$/;
const LANGS = ["en", "nl", "id", "vi", "fr"];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(resultsDir, { recursive: true });
  for (const email of [ADMIN, UNION, COMPANY, BUYER]) {
    assert.ok(server.users[email], `the demo prints ${email} with its password`);
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const newPage = (options = {}) => openPage(browser, { locale: "en-GB", ...options });

async function signIn(page, email, lang = "en", password = server.users[email].password) {
  await page.goto(`${server.origin}/staff/sign-in?lang=${lang}`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.locator("main form button[type=submit]").click();
  assert.equal(new URL(page.url()).pathname, "/staff/cases", `${email} is signed in`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(resultsDir, `staff-work-${name}.png`), fullPage: true });
}

// The actor of each timeline entry, as the reader sees it ("time · actor · ...").
async function timelineActors(page) {
  const metas = await page.locator(".timeline__meta").allInnerTexts();
  return metas.map((m) => m.split("·")[1]?.trim() ?? "");
}

// The reference of the first listed case whose row mentions `text`.
async function openCaseWith(page, text) {
  await page.goto(`${server.origin}/staff/cases?lang=en&q=${encodeURIComponent(text)}`);
  await page.locator("#cases tbody th a").first().click();
}

describe("the timeline names each actor from the viewer's point of view", () => {
  test("a company, a buyer and the admin never read 'You' for the complainant", async () => {
    for (const email of [COMPANY, ADMIN]) {
      const { context, page } = await newPage({ viewport: DESKTOP });
      await signIn(page, email);
      await openCaseWith(page, "Kebun Kampar");
      const actors = await timelineActors(page);
      assert.ok(actors.length >= 2, `a timeline (${actors})`);
      assert.equal(actors[0], "The complainant", `${email}: the worker's filing`);
      assert.ok(!actors.includes("You"), `${email} reads no "You": ${actors}`);
      // Write a message and read it back as the own organisation's.
      await page.getByLabel("Message", { exact: true }).fill(`A message from ${email}.`);
      await page.getByRole("button", { name: "Send the message" }).click();
      assert.match(await page.locator("[role=status]").innerText(), /sent/);
      const after = await timelineActors(page);
      assert.match(after.at(-1), /^Your organisation/, `${email}'s own message: ${after.at(-1)}`);
      await shot(page, `timeline-${email.split("@")[0]}`);
      await context.close();
    }
    // The buyer reads the operator's and the office's messages, none as its own.
    const { context, page } = await newPage({ viewport: DESKTOP });
    await signIn(page, BUYER);
    await openCaseWith(page, "Kebun Kampar");
    const actors = await timelineActors(page);
    assert.equal(actors[0], "The complainant");
    assert.ok(!actors.includes("You"), `the buyer reads no "You": ${actors}`);
    // The buyer wrote nothing: no entry is its own.
    assert.ok(!actors.some((a) => /^Your organisation/.test(a)), `${actors}`);
    await shot(page, "timeline-buyer");
    await context.close();
  });
});

describe("a union's batch: template, codes, a check before filing, no duplicates", () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`with JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
      const { context, page, problems } = await newPage({ javaScriptEnabled });
      await signIn(page, UNION);
      await page.goto(`${server.origin}/staff/batch?lang=en`);

      // The template: a header row the upload takes.
      const templateHref = await page
        .getByRole("link", { name: "Download the CSV template" }).getAttribute("href");
      const template = await (await page.request.get(`${server.origin}${templateHref}`)).text();
      const header = template.replace(/^\uFEFF/, "").split(/\r?\n/)[0];
      assert.equal(header.split(",")[0], "language");
      assert.ok(header.includes("mandate_follow"));

      // The codes: the sites a union may name with their ids, the categories, the languages.
      await page.getByRole("link", { name: /Codes for the file/ }).click();
      assert.equal(await page.locator("h1").innerText(), "Codes for the CSV file");
      const siteRow = page.locator("#sites tbody tr", { hasText: "Kebun Kampar Estate" });
      const siteId = (await siteRow.locator("td").first().innerText()).trim();
      assert.match(siteId, /^\d+$/, "a site id a union can copy");
      assert.match(await page.locator("#categories").innerText(), /health_safety\s+Health and safety/);
      assert.match(await page.locator("#languages").innerText(), /vi\s+Tiếng Việt/);
      await shot(page, `codes-js-${javaScriptEnabled}`);

      // A file with a good row, a row with three problems and a row without a mandate.
      const marker = `js-${javaScriptEnabled}-${Date.now()}`;
      const csv = [
        template.replace(/^\uFEFF/, "").split(/\r?\n/)[0],
        `id,wages,"Upah lembur tidak dibayar ${marker}",${siteId},,,,true,,,,true,false,false,`,
        `en,,"Three problems ${marker}",${siteId},,,2999-01-01,perhaps,,,,true,false,false,`,
        `nl,working_hours,"Geen mandaat ${marker}",${siteId},,,,true,,,,,,,`,
        "",
      ].join("\r\n");
      await page.goto(`${server.origin}/staff/batch?lang=en`);
      await page.getByLabel("CSV file").setInputFiles({
        name: "paper-forms.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8"),
      });
      await page.getByRole("button", { name: "Check the file" }).click();

      assert.equal(await page.locator("h1").innerText(), "Check the file before filing");
      assert.match(await page.locator("#batch-summary").innerText(),
        /3 rows: 1 ready to file, 2 with problems/);
      const row2 = page.locator("#row-2");
      assert.equal(await row2.locator("li").count(), 3, "every problem of the row");
      const row2Text = await row2.innerText();
      for (const column of ["categories", "incident_date", "anonymous"]) {
        assert.ok(row2Text.includes(column), `${column} named: ${row2Text}`);
      }
      assert.doesNotMatch(row2Text, /your name/i, "staff wording, not the worker's");
      assert.match(await page.locator("#row-3").innerText(), /mandate_follow/);
      assert.match(await page.locator("#row-1").innerText(), /Ready to file/);
      await shot(page, `preview-js-${javaScriptEnabled}`);

      await page.getByRole("button", { name: "File the 1 complaints that are ready" }).click();
      assert.equal(await page.locator("h1").innerText(), "Receipt slips");
      assert.match(await page.locator("#batch-summary").innerText(),
        /1 complaints stored, 2 rows with a problem, 0 stored before/);
      const reference = (await page.locator(".slip__reference").first().innerText()).trim();
      assert.match(await page.locator(".slip__code").first().innerText(), CODE);

      // The same file again: the check says it was filed, filing answers the same reference.
      await page.goto(`${server.origin}/staff/batch?lang=en`);
      await page.getByLabel("CSV file").setInputFiles({
        name: "paper-forms-again.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8"),
      });
      await page.getByRole("button", { name: "Check the file" }).click();
      assert.match(await page.locator("#row-1").innerText(), new RegExp(`Filed before as ${reference}`));
      await page.getByRole("button", { name: /File the 1 complaints/ }).click();
      assert.match(await page.locator("#batch-summary").innerText(),
        /0 complaints stored, 2 rows with a problem, 1 stored before/);
      assert.equal(await page.locator(".slip__code").count(), 0, "no code shown again");
      const replayed = await page.locator("#replayed-section").innerText();
      assert.ok(replayed.includes(reference), replayed);
      assert.match(replayed, /secret codes are never stored/);
      assert.match(replayed, /slips printed after the first upload/);
      await shot(page, `replayed-js-${javaScriptEnabled}`);

      // One case, not two.
      await page.goto(`${server.origin}/staff/cases?lang=en&q=${encodeURIComponent("Kebun Kampar")}`);
      const listed = await page.locator("#cases tbody th a").allInnerTexts();
      assert.equal(listed.filter((r) => r.trim() === reference).length, 1);
      if (javaScriptEnabled) assert.deepEqual(problems, [], "no script errors, no CSP violations");
      await context.close();
    });
  }
});

describe("unions and admins work on cases from the pages", () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`a union files one complaint with a mandate (JavaScript ${javaScriptEnabled ? "on" : "off"})`,
      async () => {
        const { context, page } = await newPage({ javaScriptEnabled });
        await signIn(page, UNION);
        await page.locator(".staff-nav").getByRole("link", { name: "File a complaint" }).click();
        assert.equal(await page.locator("h1").innerText(), "File a complaint for a worker");
        // Everything missing is named at once.
        await page.getByRole("button", { name: "File the complaint" }).click();
        const summary = await page.locator(".error-summary").innerText();
        for (const what of [/language/i, /kind of problem/i, /what happened/i, /workplace/i,
          /follow the case/i, /name/i]) {
          assert.match(summary, what);
        }
        await shot(page, `file-errors-js-${javaScriptEnabled}`);
        await page.getByLabel("Language of the complaint").selectOption("id");
        await page.getByLabel("Pay and wages").check();
        await page.getByLabel("What happened").fill(`Upah lembur tidak dibayar (JS ${javaScriptEnabled}).`);
        await page.getByLabel("Workplace").selectOption({ label: "Kebun Kampar Estate (Riau, Kampar)" });
        await page.getByLabel("Yes, the union follows the case and writes in it").check();
        await page.getByLabel("No, keep the worker's name from the companies").check();
        await page.getByLabel("A group of workers").check();
        await page.getByLabel("How many workers").fill("14");
        await page.getByRole("button", { name: "File the complaint" }).click();
        assert.equal(await page.locator("h1").innerText(), "Complaint filed");
        const reference = (await page.locator(".slip__reference").innerText()).trim();
        assert.match(reference, /^GRV-/);
        assert.match(await page.locator(".slip__code").innerText(), CODE);
        await shot(page, `filed-js-${javaScriptEnabled}`);
        // The union follows it: it writes in it.
        await page.goto(`${server.origin}/staff/cases/${reference}?lang=en`);
        assert.match(await page.locator("#facts-title + dl").innerText(), /collective complaint of 14/);
        await page.getByLabel("Message", { exact: true }).fill("The workers can meet on Friday.");
        await page.getByRole("button", { name: "Send the message" }).click();
        assert.match(await page.locator(".timeline").innerText(), /The workers can meet on Friday\./);
        const actors = await timelineActors(page);
        assert.match(actors.at(-1), /^Your organisation/);
        await context.close();
      });
  }

  test("an admin assigns a triage case to a company", async () => {
    const { context, page } = await newPage({ viewport: DESKTOP });
    await signIn(page, ADMIN);
    await page.goto(`${server.origin}/staff/cases?triage=1&lang=en`);
    await page.locator("#cases tbody th a").first().click();
    const reference = (await page.locator("#reference").innerText()).trim();
    await page.getByLabel("Company responsible").selectOption({ label: "PT Sawit Riau Lestari" });
    await page.getByRole("button", { name: "Assign" }).click();
    assert.match(await page.locator("[role=status]").innerText(), /PT Sawit Riau Lestari/);
    assert.match(await page.locator("#facts-title + dl").innerText(),
      /PT Sawit Riau Lestari \(Responsible company\)/);
    await shot(page, "assigned");
    await page.goto(`${server.origin}/staff/cases?triage=1&lang=en`);
    const left = await page.locator("#cases tbody th a").allInnerTexts();
    assert.ok(!left.map((r) => r.trim()).includes(reference), "out of the triage queue");
    // The company now has it.
    const company = await newPage({ viewport: DESKTOP });
    await signIn(company.page, COMPANY);
    const res = await company.page.goto(`${server.origin}/staff/cases/${reference}?lang=en`);
    assert.equal(res.status(), 200);
    await company.context.close();
    await context.close();
  });
});

describe("an admin manages the directory by name, with confirmation", () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`countries by name, edit, confirm before disabling (JavaScript ${javaScriptEnabled ? "on" : "off"})`,
      async () => {
        const { context, page } = await newPage({ javaScriptEnabled, viewport: DESKTOP });
        await signIn(page, ADMIN);
        await page.goto(`${server.origin}/staff/admin/organisations?lang=en`);
        const name = `Sime Plantations ${javaScriptEnabled ? "A" : "B"}`;
        await page.getByLabel("Kind of organisation").selectOption("company");
        await page.getByLabel("Name", { exact: true }).fill(name);
        await page.getByLabel("Country", { exact: true }).selectOption({ label: "Malaysia" });
        await page.getByRole("button", { name: "Save" }).click();
        const row = page.locator("#records tbody tr", { hasText: name });
        assert.match(await row.innerText(), /Malaysia/, "Malaysia, not Morocco");
        assert.doesNotMatch(await row.innerText(), /Morocco/);

        // Edit it.
        await row.getByRole("link", { name: /Edit/ }).click();
        await page.getByLabel("Name", { exact: true }).fill(`${name} Berhad`);
        await page.getByRole("button", { name: "Save changes" }).click();
        const edited = page.locator("#records tbody tr", { hasText: `${name} Berhad` });
        assert.equal(await edited.count(), 1);

        // Disabling asks first; cancelling changes nothing.
        await edited.getByRole("link", { name: /Disable/ }).click();
        assert.equal(await page.locator("h1").innerText(), `Disable ${name} Berhad?`);
        await shot(page, `confirm-disable-js-${javaScriptEnabled}`);
        await page.getByRole("link", { name: "Cancel" }).click();
        assert.match(await page.locator("#records tbody tr", { hasText: `${name} Berhad` }).innerText(),
          /Active/);
        await page.locator("#records tbody tr", { hasText: `${name} Berhad` })
          .getByRole("link", { name: /Disable/ }).click();
        await page.getByRole("button", { name: "Yes, disable it" }).click();
        assert.match(await page.locator("#records tbody tr", { hasText: `${name} Berhad` }).innerText(),
          /Disabled/);
        await context.close();
      });
  }

  test("an admin sets a new password for a staff member, who is signed out", async () => {
    const buyer = await newPage();
    await signIn(buyer.page, BUYER);
    const { context, page } = await newPage({ viewport: DESKTOP });
    await signIn(page, ADMIN);
    await page.goto(`${server.origin}/staff/admin/users?lang=en`);
    await page.locator("#records tbody tr", { hasText: BUYER }).getByRole("link", { name: /Edit/ }).click();
    await shot(page, "edit-user");
    const password = "a new passphrase for the buyer";
    await page.getByLabel("New password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Set the new password" }).click();
    assert.match(await page.locator("[role=status]").innerText(), /signed out/);
    // The buyer's session has ended; the new password works.
    await buyer.page.goto(`${server.origin}/staff/cases?lang=en`);
    assert.equal(new URL(buyer.page.url()).pathname, "/staff/sign-in");
    await signIn(buyer.page, BUYER, "en", password);
    server.users[BUYER].password = password;
    await buyer.context.close();
    await context.close();
  });
});

describe("accessibility of the new staff pages in every language (axe-core, 360 px)", () => {
  const visited = [];
  before(async () => {
    const snap = async (page, name) => {
      const violations = await axeViolations(page);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: join(resultsDir, `staff-work-a11y-${name}.png`), fullPage: true });
      visited.push({ name, violations, scrollWidth });
    };
    for (const lang of LANGS) {
      const { context, page } = await newPage({ bypassCSP: true });
      await signIn(page, UNION, lang);
      await page.goto(`${server.origin}/staff/batch?lang=${lang}`);
      await snap(page, `batch-${lang}`);
      await page.goto(`${server.origin}/staff/batch/codes?lang=${lang}`);
      await snap(page, `codes-${lang}`);
      await page.goto(`${server.origin}/staff/batch?lang=${lang}`);
      await page.setInputFiles("#file", {
        name: "f.csv", mimeType: "text/csv",
        buffer: Buffer.from("language,categories,narrative,site_id,anonymous,mandate_follow\r\n"
          + "en,,x,999999,maybe,\r\nen,wages,ok,,true,true\r\n", "utf8"),
      });
      await page.locator("main form button[type=submit]").click();
      await snap(page, `preview-${lang}`);
      await page.goto(`${server.origin}/staff/complaint?lang=${lang}`);
      await snap(page, `complaint-${lang}`);
      await page.locator("main form button[type=submit]").last().click();
      await snap(page, `complaint-errors-${lang}`);
      await context.clearCookies();

      await signIn(page, ADMIN, lang);
      await page.goto(`${server.origin}/staff/cases?triage=1&lang=${lang}`);
      const triage = page.locator("#cases tbody th a");
      if (await triage.count() > 0) {
        await triage.first().click();
        await snap(page, `case-triage-${lang}`);
      }
      for (const dir of ["organisations", "users", "sites", "supply-links"]) {
        await page.goto(`${server.origin}/staff/admin/${dir}?lang=${lang}`);
        await page.locator("#records tbody tr").first().getByRole("link").first().click();
        await snap(page, `edit-${dir}-${lang}`);
      }
      await page.goto(`${server.origin}/staff/admin/sites?lang=${lang}`);
      await page.locator("#records tbody tr").first().getByRole("link").last().click();
      await snap(page, `confirm-${lang}`);
      await context.close();
    }
  });

  const names = [];
  for (const lang of LANGS) {
    for (const name of ["batch", "codes", "preview", "complaint", "complaint-errors",
      "edit-organisations", "edit-users", "edit-sites", "edit-supply-links", "confirm"]) {
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
