// The whole story of a case in the browser (issue 9, "Tests that must exist"): a worker files
// anonymously in Vietnamese on a phone-sized window; the factory acknowledges, asks a question
// (the clock stops; the worker's page says so), the worker answers (the clock runs again), the
// factory proposes a two-action plan and marks both done, the worker confirms one and disputes
// the other, then accepts with a satisfaction score. A buyer follows the timeline but never sees
// the worker's contact, the factory's internal note or the worker's message for the complaints
// office only. axe-core (WCAG 2.1 AA) finds nothing on every new state of the worker's page.
// Part of it again with JavaScript off: refusing a plan and withdrawing with confirmation, and a
// retaliation report. Then what the worker says about their name and about retaliation: a
// company asks for the name and the worker refuses, shares it with a ticked consent and stops
// sharing; a retaliation report the company never reads reaches the office's queue at once.
//
// The worker acts through the pages. The companies act through the API with bearer tokens, one
// small function per step (factory.acknowledge(ref), ...), so that each can later be switched
// to the staff pages; the buyer's view is read through the API and the buyer's staff case page.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  startServer, launchBrowser, axeViolations, resultsDir, openPage, MOBILE, repoRoot, apiRequest,
} from "./server.mjs";

const COMPANY = "company@demo.grievance.example";
const BUYER = "buyer@demo.grievance.example";
const ADMIN = "admin@demo.grievance.example";
const vi = JSON.parse(readFileSync(join(repoRoot, "web/i18n/vi.json"), "utf8"));
// A catalogue text with its placeholders cut out: the parts a reader sees around them.
const fixedParts = (key) => vi[key].split(/\{[a-z_]+\}/).map((s) => s.trim()).filter(Boolean);

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

// ---- the API, for the companies' steps --------------------------------------------------

function api(method, target, options = {}) {
  return apiRequest(server.origin, method, target, options);
}

async function apiToken(email) {
  const r = await api("POST", "/api/v1/session", {
    body: { email, password: server.users[email].password },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.token;
}

async function ok(promise, what) {
  const r = await promise;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// The factory (the demo company that runs the site): one function per step of its part.
function factoryOf(token) {
  const move = (ref, body, what) =>
    ok(api("POST", `/api/v1/cases/${ref}/transitions`, { token, body }), what);
  return {
    acknowledge: (ref) => move(ref, { to: "acknowledged", reason: "Chúng tôi đã nhận được khiếu nại." }, "acknowledge"),
    ask: (ref, question) => ok(api("POST", `/api/v1/cases/${ref}/messages`, {
      token, body: { body: question, await_answer: true },
    }), "ask and wait"),
    internalNote: (ref, note) => ok(api("POST", `/api/v1/cases/${ref}/messages`, {
      token, body: { body: note, visibility: "organisation" },
    }), "internal note"),
    proposePlan: (ref, actions) => move(ref, {
      to: "remedy_proposed", reason: "Chúng tôi đề xuất kế hoạch sau.", actions,
    }, "propose a plan"),
    markDone: (ref, n, note) => ok(api("POST", `/api/v1/cases/${ref}/actions/${n}/done`, {
      token, body: { note },
    }), `mark action ${n} done`),
    requestDisclosure: (ref, reason) => ok(api("POST", `/api/v1/cases/${ref}/disclosure`, {
      token, body: { reason },
    }), "ask for the name"),
    view: (ref) => ok(api("GET", `/api/v1/cases/${ref}`, { token }), "factory view"),
  };
}

function buyerOf(token) {
  return { view: (ref) => ok(api("GET", `/api/v1/cases/${ref}`, { token }), "buyer view") };
}

// The demo company's site (where the story happens) and the two organisations of a plan.
async function storySite() {
  const admin = await apiToken(ADMIN);
  const users = (await ok(api("GET", "/api/v1/users", { token: admin }), "users")).users;
  const factoryOrg = users.find((u) => u.email === COMPANY).org_id;
  const buyerOrg = users.find((u) => u.email === BUYER).org_id;
  const sites = (await ok(api("GET", "/api/v1/sites?all=1", { token: admin }), "sites")).sites;
  const site = sites.find((s) => s.operator_org_id === factoryOrg && !s.disabled);
  assert.ok(site, "the demo company runs a site");
  return { site, factoryOrg, buyerOrg };
}

const dueIn = (days) => new Date(Date.now() + days * 86400e3).toISOString().slice(0, 10);

// ---- the worker's pages ------------------------------------------------------------------

// Files in Vietnamese at `site`, anonymously (with `contact`, a name and phone number that only
// the complaints office sees), from the home page; answers the receipt.
async function fileInVietnamese(page, site, narrative, contact = null) {
  await page.goto(`${server.origin}/`);
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  await page.locator("main").getByRole("link", { name: vi.home_start }).first().click();
  await page.selectOption("#country", site.country);
  await page.locator("#country-step button[type=submit]").click();
  await page.check(`#site-${site.id}`);
  await page.locator("#site-step button[type=submit]").click();
  await page.getByLabel(vi.category_wages).check();
  await page.getByLabel(vi.narrative_label).fill(narrative);
  await page.getByLabel(vi.anonymous_yes).check();
  if (contact) {
    await page.getByLabel(vi.contact_name_label).fill(contact.name);
    await page.getByLabel(vi.contact_phone_label).fill(contact.phone);
  }
  await page.locator("main form button[type=submit]").last().click();
  assert.equal(await page.locator("h1").innerText(), vi.check_title);
  await page.getByRole("button", { name: vi.check_send }).click();
  assert.equal(await page.locator("h1").innerText(), vi.receipt_title);
  const reference = (await page.locator("#reference").innerText()).trim();
  const code = (await page.locator("#access-code").innerText()).trim();
  return { reference, code };
}

async function signInAsWorker(page, { reference, code }) {
  await page.goto(`${server.origin}/follow?lang=vi`);
  await page.getByLabel(vi.follow_reference_label).fill(reference);
  await page.getByLabel(vi.follow_code_label).fill(code);
  await page.getByRole("button", { name: vi.follow_submit }).click();
  assert.equal(new URL(page.url()).pathname, "/case");
}

const nowText = (page) => page.locator("#case-now").innerText();
// `text` contains `part` (catalogue texts hold brackets: no regular expressions).
const has = (text, part) => assert.ok(text.includes(part), `"${part}" in:\n${text}`);

function assertHas(text, key, what = key) {
  for (const part of fixedParts(key)) {
    assert.ok(text.includes(part), `${what}: "${part}" in:\n${text}`);
  }
}

// Every new state of the worker's page: axe-core finds nothing, nothing is wider than the
// phone, and a screenshot for the record.
const checked = [];
async function checkState(page, name) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 2)}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= MOBILE.width, `${name} is ${width}px wide at ${MOBILE.width}px`);
  await page.screenshot({ path: join(resultsDir, `story-${name}.png`), fullPage: true });
  // What a phone shows first: the case now and, below it, the plan.
  for (const part of ["#case-now", "#plan"]) {
    if (await page.locator(part).count()) {
      await page.locator(part).screenshot({ path: join(resultsDir, `story-${name}-${part.slice(1)}.png`) });
    }
  }
  checked.push(name);
}

describe("the whole story of a case, in Vietnamese on a phone", () => {
  test("from filing to an accepted plan, the buyer following", async () => {
    const { site, factoryOrg, buyerOrg } = await storySite();
    const factory = factoryOf(await apiToken(COMPANY));
    const buyer = buyerOf(await apiToken(BUYER));
    const internal = "NOTE-INTERNAL-5521 quản đốc đã được cảnh báo";
    const secret = "E2E-MECH-7310 Tôi sợ quản đốc biết.";

    // axe needs its script injected: this context bypasses CSP (the JS-off run keeps it).
    const { context, page, problems } = await openPage(browser, { locale: "vi-VN", bypassCSP: true });
    const filed = await fileInVietnamese(page, site, "Tiền làm thêm giờ tháng 10 chưa được trả. E2E-STORY-0912");
    await signInAsWorker(page, filed);
    const ref = filed.reference;
    assertHas(await nowText(page), "case_next_received");
    await checkState(page, "received");

    await factory.acknowledge(ref);
    await page.reload();
    assertHas(await nowText(page), "case_next_acknowledged");
    await checkState(page, "acknowledged");

    const question = "Tháng nào chưa được trả lương làm thêm giờ?";
    await factory.ask(ref, question);
    await page.reload();
    assertHas(await nowText(page), "case_next_paused", "the clock is stopped");
    has(await page.locator("#timeline").innerText(), question);
    has(await page.locator("#message").innerText(), vi.case_message_answer.slice(0, 30));
    await checkState(page, "paused");
    assert.ok((await factory.view(ref)).paused_since, "the factory sees the clock stopped");

    // The answer to everyone starts the clock again.
    assert.ok(await page.locator("#to-parties").isChecked(), "to everyone by default");
    await page.getByLabel(vi.case_message_label).fill("Tháng 10.");
    await page.getByRole("button", { name: vi.case_message_send }).click();
    assert.equal(await page.locator(".notice").first().innerText(), vi.case_message_sent);
    assert.ok(!(await nowText(page)).includes(fixedParts("case_next_paused")[0]), "no longer paused");
    has(await page.locator("#timeline").innerText(), vi.event_clock_resumed);
    assert.equal((await factory.view(ref)).paused_since ?? null, null, "the clock runs again");

    // A message for the complaints office only.
    await page.getByLabel(vi.case_message_to_mechanism).check();
    await page.getByLabel(vi.case_message_label).fill(secret);
    await page.getByRole("button", { name: vi.case_message_send }).click();
    assert.match(await page.locator("#timeline").innerText(), /E2E-MECH-7310/);
    await checkState(page, "mechanism-message");

    await factory.internalNote(ref, internal);
    await factory.proposePlan(ref, [
      { what: "Trả tiền làm thêm giờ tháng 10", organisation: factoryOrg, due: dueIn(20) },
      { what: "Kiểm tra bảng lương của nhà máy", organisation: factoryOrg, due: dueIn(40) },
    ]);
    await page.reload();
    assertHas(await nowText(page), "case_next_remedy_proposed");
    const plan = await page.locator("#plan").innerText();
    assert.match(plan, /Trả tiền làm thêm giờ tháng 10/);
    assert.match(plan, /Kiểm tra bảng lương của nhà máy/);
    assert.equal(await page.locator("form[action='/case/actions/verdict']").count(), 0, "nothing done yet");
    await checkState(page, "plan-proposed");

    await factory.markDone(ref, 1, "Đã trả cùng lương tháng 11.");
    await factory.markDone(ref, 2, "Đã kiểm tra bảng lương.");
    await page.reload();
    assert.equal(await page.locator("form[action='/case/actions/verdict']").count(), 2);
    await checkState(page, "plan-done");

    // Action 1: confirmed. Action 2: disputed - first without the note it needs.
    const first = page.locator("#action-1");
    await first.getByLabel(vi.case_verdict_confirmed).check();
    await first.getByRole("button", { name: vi.case_verdict_send }).click();
    assert.equal(await page.locator(".notice").first().innerText(), vi.case_done_verdict);
    has(await page.locator("#action-1").innerText(), vi.case_action_confirmed.slice(0, 20));
    let second = page.locator("#action-2");
    await second.getByLabel(vi.case_verdict_disputed).check();
    await second.getByRole("button", { name: vi.case_verdict_send }).click();
    const summary = page.locator(".error-summary");
    has(await summary.innerText(), vi.case_error_verdict_note.slice(0, 20));
    await checkState(page, "verdict-error");
    await summary.getByRole("link").first().click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "note-2");
    second = page.locator("#action-2");
    await second.getByLabel(vi.case_verdict_disputed).check();
    await second.getByLabel(vi.case_verdict_note_label).fill("Không ai đến kiểm tra.");
    await second.getByRole("button", { name: vi.case_verdict_send }).click();
    assert.match(await page.locator("#action-2").innerText(), /Không ai đến kiểm tra\./);
    await checkState(page, "verdicts");

    // Accepting the plan, with a score in words.
    const feedback = page.locator("#feedback");
    await feedback.getByLabel(vi.case_accept_yes).check();
    await feedback.getByLabel(vi.case_satisfaction_4, { exact: true }).check();
    await feedback.getByLabel(vi.case_feedback_comment_label).fill("Cảm ơn.");
    await feedback.getByRole("button", { name: vi.case_feedback_send }).click();
    assert.equal(await page.locator(".notice").first().innerText(), vi.case_done_feedback);
    assertHas(await nowText(page), "case_next_resolved");
    await checkState(page, "resolved");
    // The refused verdict answered 400 on purpose (a form with an error); nothing else.
    const unexpected = problems.filter((p) => !/status of 400 \(Bad Request\)/.test(p));
    assert.deepEqual(unexpected, [], "no script errors on the worker's pages");

    // The worker's page never shows the factory's internal note.
    assert.ok(!(await page.content()).includes("NOTE-INTERNAL-5521"));
    await context.close();

    // The buyer follows through the API ...
    const seen = await buyer.view(ref);
    assert.equal(seen.status, "resolved");
    assert.equal(seen.contact ?? null, null, "no contact for a buyer");
    const texts = JSON.stringify(seen);
    assert.ok(!texts.includes("NOTE-INTERNAL-5521"), "no internal note of the factory");
    assert.ok(!texts.includes("E2E-MECH-7310"), "no message for the complaints office only");
    const types = seen.events.map((e) => e.type);
    for (const t of ["clock_paused", "clock_resumed", "action_done", "action_verdict", "feedback"]) {
      assert.ok(types.includes(t), `the buyer's timeline has ${t}`);
    }
    // ... and the factory never reads the worker's message for the office.
    assert.ok(!JSON.stringify(await factory.view(ref)).includes("E2E-MECH-7310"));

    // ... and on the buyer's staff case page.
    const staff = await openPage(browser, { locale: "en-GB" });
    await staff.page.goto(`${server.origin}/staff/sign-in?lang=en`);
    await staff.page.fill("#email", BUYER);
    await staff.page.fill("#password", server.users[BUYER].password);
    await staff.page.locator("main form button[type=submit]").click();
    await staff.page.goto(`${server.origin}/staff/cases/${ref}?lang=en`);
    const html = await staff.page.content();
    assert.ok(html.includes(ref), "the buyer reads the case");
    assert.ok(html.includes("Tháng 10."), "the worker's answer is on the buyer's timeline");
    assert.ok(!html.includes("NOTE-INTERNAL-5521"), "no internal note of the factory");
    assert.ok(!html.includes("E2E-MECH-7310"), "no message for the complaints office only");
    assert.deepEqual(staff.problems, []);
    await staff.context.close();
  });

  test("with JavaScript off: refusing a plan, then withdrawing after a confirmation", async () => {
    const { site, factoryOrg } = await storySite();
    const factory = factoryOf(await apiToken(COMPANY));
    const { context, page } = await openPage(browser, { locale: "vi-VN", javaScriptEnabled: false });
    const filed = await fileInVietnamese(page, site, "Không có đồ bảo hộ. E2E-STORY-NOJS-4410");
    await signInAsWorker(page, filed);
    const ref = filed.reference;
    await factory.acknowledge(ref);
    await factory.proposePlan(ref, [{ what: "Phát đồ bảo hộ", organisation: factoryOrg, due: dueIn(10) }]);
    await factory.markDone(ref, 1, "Đã phát.");
    await page.reload();

    await page.locator("#action-1").getByLabel(vi.case_verdict_confirmed).check();
    await page.locator("#action-1").getByRole("button", { name: vi.case_verdict_send }).click();
    // Refusing without a score: the error is named; then with one.
    const feedback = page.locator("#feedback");
    await feedback.getByLabel(vi.case_accept_no).check();
    await feedback.getByRole("button", { name: vi.case_feedback_send }).click();
    has(await page.locator(".error-summary").innerText(), vi.case_error_satisfaction);
    await page.locator("#feedback").getByLabel(vi.case_satisfaction_2, { exact: true }).check();
    await page.locator("#feedback").getByRole("button", { name: vi.case_feedback_send }).click();
    assertHas(await nowText(page), "case_next_in_dialogue");
    assert.equal((await factory.view(ref)).status, "in_dialogue");

    await page.getByRole("link", { name: vi.case_withdraw_link }).click();
    assert.equal(await page.locator("h1").innerText(), vi.withdraw_title);
    await page.getByRole("link", { name: vi.withdraw_no }).click();
    assert.equal(new URL(page.url()).pathname, "/case");
    assert.equal((await factory.view(ref)).status, "in_dialogue", "going back changes nothing");
    await page.getByRole("link", { name: vi.case_withdraw_link }).click();
    await page.getByLabel(vi.withdraw_reason_label).fill("Tôi đã nghỉ việc.");
    await page.getByRole("button", { name: vi.withdraw_yes }).click();
    assert.equal(await page.locator(".notice").first().innerText(), vi.case_done_withdraw);
    assertHas(await nowText(page), "case_next_withdrawn");
    assert.equal((await factory.view(ref)).status, "withdrawn");
    await context.close();
  });

  test("the withdrawal's confirmation page passes axe-core", async () => {
    const { site } = await storySite();
    const { context, page } = await openPage(browser, { locale: "vi-VN", bypassCSP: true });
    const filed = await fileInVietnamese(page, site, "Giờ làm quá dài. E2E-STORY-AXE-2231");
    await signInAsWorker(page, filed);
    await page.getByRole("link", { name: vi.case_withdraw_link }).click();
    await checkState(page, "withdraw-confirm");
    await context.close();
  });

  test("the name and retaliation: a company asks for the name, the worker refuses, then shares it with consent; a report the company never reads", async () => {
    const { site } = await storySite();
    const factory = factoryOf(await apiToken(COMPANY));
    const { context, page, problems } = await openPage(browser, { locale: "vi-VN", bypassCSP: true });
    const filed = await fileInVietnamese(page, site, "Bị trừ lương vô cớ. E2E-STORY-NAME-5120",
      { name: "Nguyễn Thị Lan", phone: "+84901234567" });
    await signInAsWorker(page, filed);
    const ref = filed.reference;
    has(await page.locator("#identity").innerText(), vi.case_identity_confidential.slice(0, 25));
    await checkState(page, "identity-confidential");
    assert.equal((await factory.view(ref)).contact ?? null, null, "the factory does not see the name");

    await factory.requestDisclosure(ref, "Để kiểm tra phiếu lương cùng bạn.");
    await page.reload();
    const asked = page.locator("#disclosure");
    assert.match(await asked.innerText(), /Để kiểm tra phiếu lương cùng bạn\./);
    await checkState(page, "disclosure-asked");
    await asked.getByLabel(vi.case_disclosure_refuse).check();
    await asked.getByRole("button", { name: vi.case_disclosure_send }).click();
    assert.equal(await page.locator(".notice").first().innerText(), vi.case_done_disclosure);
    assert.equal(await page.locator("#disclosure").count(), 0);
    assert.equal((await factory.view(ref)).contact ?? null, null, "refused: still no name");

    // Sharing needs the box ticked.
    const identity = page.locator("#identity");
    await identity.getByRole("button", { name: vi.case_share_send }).click();
    has(await page.locator(".error-summary").innerText(), vi.case_error_share_confirm);
    await checkState(page, "identity-error");
    await page.getByLabel(vi.case_share_confirm).check();
    await page.locator("#identity").getByRole("button", { name: vi.case_share_send }).click();
    assert.match(JSON.stringify((await factory.view(ref)).contact), /Nguyễn Thị Lan/, "shared");
    await checkState(page, "identity-shared");
    await page.locator("#identity").getByRole("button", { name: vi.case_unshare_send }).click();
    assert.equal((await factory.view(ref)).contact ?? null, null, "no longer shared");

    const report = page.locator("#retaliation");
    has(await report.innerText(), vi.case_retaliation_private.slice(0, 25));
    await report.getByLabel(vi.case_retaliation_label).fill("Quản đốc cắt ca của tôi. E2E-RETAL-3391");
    await report.getByRole("button", { name: vi.case_retaliation_send }).click();
    assert.equal(await page.locator(".notice").first().innerText(), vi.case_done_retaliation);
    await checkState(page, "retaliation-reported");
    assert.ok(!JSON.stringify(await factory.view(ref)).includes("E2E-RETAL-3391"), "never the company");
    const admin = await apiToken(ADMIN);
    const flagged = await ok(api("GET", "/api/v1/cases?flag=retaliation", { token: admin }), "queue");
    assert.ok(JSON.stringify(flagged).includes(ref), "in front of the complaints office at once");
    const unexpected = problems.filter((p) => !/status of 400 \(Bad Request\)/.test(p));
    assert.deepEqual(unexpected, []);
    await context.close();
  });

  test("with JavaScript off: a retaliation report", async () => {
    const { site } = await storySite();
    const { context, page } = await openPage(browser, { locale: "vi-VN", javaScriptEnabled: false });
    const filed = await fileInVietnamese(page, site, "Bị đe dọa. E2E-STORY-NOJS-RETAL-7781");
    await signInAsWorker(page, filed);
    await page.locator("#retaliation").getByLabel(vi.case_retaliation_label).fill("Tôi bị chuyển chỗ làm.");
    await page.locator("#retaliation").getByRole("button", { name: vi.case_retaliation_send }).click();
    assert.equal(await page.locator(".notice").first().innerText(), vi.case_done_retaliation);
    assert.equal(await page.locator("#retaliation-flagged").count(), 1);
    await context.close();
  });
});
