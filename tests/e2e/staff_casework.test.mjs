// Browser tests of casework from the staff pages (issue 9): the real server over TLS with the
// demo data, headless Debian chromium via playwright-core, a 360 px phone.
//   - the demo holds a case in every status, so a new user sees the whole life of a case;
//   - the responsible company acknowledges a case, asks the complainant and waits (the clock
//     pauses), proposes a plan of two actions and marks both done, all from the case page;
//   - the plan form works with JavaScript off (three rows, more rows by sending the form);
//   - the complaints office (admin) finds the appeal in its queue and decides it;
//   - the office reviews a retaliation report from its queue; a company asks for a confidential
//     complainant's identity with a reason;
//   - a union that follows a case disputes a done action, refuses the plan with a satisfaction
//     score and writes to the worker's side only;
// axe-core (WCAG 2.1 AA) with zero violations on every new state of the page.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, axeViolations, resultsDir, openPage } from "./server.mjs";

let server;
let browser;

const ADMIN = "admin@demo.grievance.example";
const COMPANY = "company@demo.grievance.example";
const UNION = "union@demo.grievance.example";
const STATUSES = ["received", "acknowledged", "in_dialogue", "remedy_proposed", "resolved",
  "closed", "rejected", "escalated", "withdrawn", "reopened", "appealed"];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(resultsDir, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, email, lang = "en") {
  await page.goto(`${server.origin}/staff/sign-in?lang=${lang}`);
  await page.fill("#email", email);
  await page.fill("#password", server.users[email].password);
  await page.locator("main form button[type=submit]").click();
  assert.equal(new URL(page.url()).pathname, "/staff/cases", `${email} is signed in`);
}

// Zero axe violations and nothing wider than the phone, with a screenshot of the state.
async function checkPage(page, name) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 360, `${name} fits a 360 px phone (${scrollWidth})`);
  await page.screenshot({ path: join(resultsDir, `staff-casework-${name}.png`), fullPage: true });
}

// Opens a step's form (a <details> in the "Next step" section) by its title.
async function openMove(page, title) {
  await page.locator("#moves summary", { hasText: title }).click();
  return page.locator("#moves details[open]", { hasText: title });
}

test("the demo has a case in every status", async () => {
  const { context, page } = await openPage(browser, { locale: "en-GB" });
  await signIn(page, ADMIN);
  for (const status of STATUSES) {
    await page.goto(`${server.origin}/staff/cases?lang=en&status=${status}`);
    assert.ok(await page.locator("#cases tbody tr").count() > 0, `a demo case is ${status}`);
  }
  // The paused question, the half-done plan, the closure's outcome and satisfaction.
  await page.goto(`${server.origin}/staff/cases?lang=en&status=in_dialogue`);
  await page.locator("#cases tbody th a").first().click();
  assert.ok(await page.locator("#paused-tag").isVisible(), "the question waits for the worker");
  await page.goto(`${server.origin}/staff/cases?lang=en&status=remedy_proposed`);
  await page.locator("#cases tbody th a").first().click();
  assert.equal(await page.locator("#plan > li").count(), 2);
  assert.equal(await page.locator("#plan > li.plan__action--done").count(), 1);
  await page.goto(`${server.origin}/staff/cases?lang=en&status=closed`);
  const closed = page.locator("#cases tbody th a");
  let found = false;
  for (let i = 0; i < await closed.count() && !found; i++) {
    await page.goto(`${server.origin}/staff/cases?lang=en&status=closed`);
    await page.locator("#cases tbody th a").nth(i).click();
    found = await page.locator("#decision-satisfaction").count() > 0;
  }
  assert.ok(found, "a closed case shows its satisfaction");
  assert.match(await page.locator("#decision-outcome").innerText(), /Remedy accepted/);
  await context.close();
});

describe("the company works a case from the page", () => {
  test("acknowledge, ask and wait, propose two actions, mark both done", async () => {
    const { context, page, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
    await signIn(page, COMPANY);
    await page.goto(`${server.origin}/staff/cases?lang=en&status=received`);
    await page.locator("#cases tbody th a").first().click();
    const casePath = new URL(page.url()).pathname;
    assert.equal(await page.locator("#status").innerText(), "Received");
    await checkPage(page, "company-received");

    // A step without its reason: the error on the page, the form still open.
    let form = await openMove(page, "Acknowledge the complaint");
    await form.getByRole("button", { name: "Acknowledge the complaint" }).click();
    assert.match(await page.locator(".error-summary").innerText(), /Give the reason/);
    await checkPage(page, "company-error");
    form = page.locator("#move-acknowledge");
    await form.getByLabel("Reason (the complainant reads it)").fill("We have your complaint.");
    await form.getByRole("button", { name: "Acknowledge the complaint" }).click();
    assert.equal(new URL(page.url()).pathname, casePath);
    assert.equal(await page.locator("#status").innerText(), "Received by the company");

    // Ask and wait: the clock pauses, and everyone sees it.
    await page.getByLabel("Your question").fill("On which days did it happen?");
    await page.getByRole("button", { name: "Ask and wait for the answer" }).click();
    assert.match(await page.locator("#paused-tag").innerText(), /time limits paused/i);
    assert.match(await page.locator(".timeline").innerText(), /Time limits paused/);
    await checkPage(page, "company-paused");

    // A plan of two actions; the third row stays blank and is ignored.
    form = await openMove(page, "Propose a remedy plan");
    await checkPage(page, "company-plan-form");
    const due = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
    await form.locator("[name=what_1]").fill("Pay the unpaid overtime");
    await form.locator("[name=due_1]").fill(due(14));
    await form.locator("[name=what_2]").fill("Signed time sheets for every worker");
    await form.locator("[name=due_2]").fill(due(45));
    await form.getByLabel("Reason (the complainant reads it)").fill("Our plan to put it right.");
    await form.getByRole("button", { name: "Propose a remedy plan" }).click();
    assert.equal(await page.locator("#status").innerText(), "Solution proposed");
    assert.equal(await page.locator("#plan > li").count(), 2);
    await checkPage(page, "company-plan");

    for (const n of [1, 2]) {
      await page.getByLabel(`Mark action ${n} done: what was done?`).fill(`Done, step ${n}.`);
      await page.locator(`#action-${n}`).getByRole("button", { name: "Mark done" }).click();
      assert.match(await page.locator(`#action-${n} .plan__state`).innerText(), /Done on/);
    }
    assert.equal(await page.locator("#plan > li.plan__action--done").count(), 2);
    await checkPage(page, "company-done");
    // The refused step answered 422 on purpose; nothing else went wrong.
    assert.deepEqual(problems.filter((p) => !/status of 422/.test(p)), []);
    await context.close();
  });

  test("the plan form takes more rows with JavaScript off", async () => {
    const { context, page } = await openPage(browser, { locale: "en-GB", javaScriptEnabled: false });
    await signIn(page, COMPANY);
    await page.goto(`${server.origin}/staff/cases?lang=en&status=acknowledged`);
    await page.locator("#cases tbody th a").first().click();
    const form = await openMove(page, "Propose a remedy plan");
    assert.equal(await form.locator("input[name^=what_]").count(), 3);
    await form.locator("[name=what_1]").fill("Kept while adding rows");
    await form.getByRole("button", { name: "Add three more actions" }).click();
    const again = page.locator("#move-propose_remedy");
    assert.equal(await again.locator("input[name^=what_]").count(), 6);
    assert.equal(await again.locator("[name=what_1]").inputValue(), "Kept while adding rows");
    await context.close();
  });
});

test("the complaints office decides an appeal from its queue", async () => {
  const { context, page, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, ADMIN);
  await page.getByRole("link", { name: "Appeals to decide" }).click();
  await checkPage(page, "admin-appeals");
  await page.locator("#cases tbody th a").first().click();
  assert.equal(await page.locator("#status").innerText(), "Appeal under review");
  await checkPage(page, "admin-appeal");
  const form = await openMove(page, "Uphold the rejection");
  await form.getByLabel("Reason (the complainant reads it)").fill("The decision stands.");
  await form.getByLabel("Reasoning (the complainant reads it)")
    .fill("The workplace is run by a contractor, not by this company.");
  await form.getByRole("button", { name: "Uphold the rejection" }).click();
  assert.equal(await page.locator("#status").innerText(), "Not accepted");
  assert.match(await page.locator(".timeline").innerText(), /The workplace is run by a contractor/);
  await checkPage(page, "admin-decided");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a union that follows the case answers the plan for the worker", async () => {
  const { context, page, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, UNION);
  await page.goto(`${server.origin}/staff/cases?lang=en&status=remedy_proposed`);
  await page.locator("#cases tbody th a").first().click();
  assert.equal(await page.locator("#plan > li").count(), 2);
  await checkPage(page, "union-plan");
  const action = page.locator("#action-1");
  await action.getByLabel("No, not as the company says").check();
  await action.getByLabel("Note (needed when you dispute)").fill("Only two of the three are back.");
  await action.getByRole("button", { name: "Send the answer" }).click();
  assert.match(await page.locator("#action-1 .plan__verdict").innerText(), /Disputed/i);
  const feedback = page.locator("#feedback");
  await feedback.getByLabel("Refuse the plan: the dialogue goes on").check();
  await feedback.getByLabel("2 - a little").check();
  await feedback.getByLabel("Comment (the company reads it)").fill("One officer is still moved.");
  await feedback.getByRole("button", { name: "Send the answer to the plan" }).click();
  assert.equal(await page.locator("#status").innerText(), "In discussion");
  assert.match(await page.locator("#decision-satisfaction").innerText(), /2 out of 5/);
  await page.getByLabel("The complainant's side only", { exact: false }).check();
  await page.getByLabel("Message", { exact: true }).fill("The worker fears the foreman.");
  await page.getByRole("button", { name: "Send the message" }).click();
  assert.match(await page.locator(".timeline__item").last().innerText(),
    /Complaints office and union only/);
  await checkPage(page, "union-answered");
  assert.deepEqual(problems, []);
  await context.close();
});

test("every step's form reads well in every language on a phone (axe-core, 360 px)", async () => {
  const { context, page } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, COMPANY);
  await page.goto(`${server.origin}/staff/cases?lang=en&status=acknowledged`);
  await page.locator("#cases tbody th a").first().click();
  const casePath = new URL(page.url()).pathname;
  for (const lang of ["en", "nl", "id", "vi", "fr"]) {
    await page.goto(`${server.origin}${casePath}?lang=${lang}`);
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    const summaries = page.locator("#moves summary");
    assert.ok(await summaries.count() >= 4, "respond, propose, close, reject, escalate");
    for (let i = 0; i < await summaries.count(); i++) await summaries.nth(i).click();
    await checkPage(page, `company-steps-${lang}`);
  }
  await context.close();
});

test("the office reviews a retaliation report; a company asks for the identity", async () => {
  const { context, page, problems } = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(page, ADMIN);
  await page.getByRole("link", { name: "Retaliation reported" }).click();
  assert.match(await page.locator("#cases tbody tr").first().innerText(), /Retaliation/i);
  await checkPage(page, "admin-retaliation-queue");
  await page.locator("#cases tbody th a").first().click();
  assert.match(await page.locator("#decision-retaliation").innerText(), /waits for the complaints office/);
  await checkPage(page, "admin-review-form");
  await page.getByLabel("What you found and did").fill("We spoke with the estate manager.");
  await page.getByRole("button", { name: "Record the review" }).click();
  assert.match(await page.locator("[role=status]").innerText(), /review is recorded/);
  assert.equal(await page.locator("#decision-retaliation").count(), 0);
  await context.close();

  const company = await openPage(browser, { locale: "en-GB", bypassCSP: true });
  await signIn(company.page, COMPANY);
  await company.page.goto(`${server.origin}/staff/cases?lang=en&status=acknowledged`);
  const rows = company.page.locator("#cases tbody th a");
  let found = false;
  for (let i = 0; i < await rows.count() && !found; i++) {
    await company.page.goto(`${server.origin}/staff/cases?lang=en&status=acknowledged`);
    await company.page.locator("#cases tbody th a").nth(i).click();
    found = await company.page.locator("#disclosure").count() > 0;
  }
  assert.ok(found, "a confidential demo case offers the request");
  await checkPage(company.page, "company-disclosure-form");
  await company.page.getByLabel("Why do you need it?").fill("We must pay the worker directly.");
  await company.page.getByRole("button", { name: "Send the request" }).click();
  assert.match(await company.page.locator("#decision-disclosure").innerText(), /Waiting/);
  await checkPage(company.page, "company-disclosure-sent");
  assert.deepEqual([...problems, ...company.problems], []);
  await company.context.close();
});
