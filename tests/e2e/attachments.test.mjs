// Browser test of evidence (issue 10 item 2; docs/domain.md "Evidence"): a worker on a 360 px
// phone, with JavaScript off and on, adds a photo carrying GPS EXIF from the case page right
// after filing (a plain multipart form with a camera-capable file input); the complaints office
// sees it in the staff timeline with its size and "identifying details removed" and downloads
// it: the file has no EXIF, no GPS and still decodes. axe-core (WCAG 2.1 AA) on both pages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openPage, repoRoot, useServerAndBrowser, checkPhonePage } from "./server.mjs";

let server;
let browser;
const ADMIN = "admin@demo.grievance.example";
const photo = join(repoRoot, "tests", "fixtures", "gps_photo.jpg");

useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const checkPage = (page, name, axe = true) => checkPhonePage(page, `attachments-${name}`, axe);

// The JPEG's segment markers up to the first scan; throws on a broken structure.
function jpegMarkers(bytes) {
  assert.equal(bytes[0], 0xff);
  assert.equal(bytes[1], 0xd8);
  assert.equal(bytes[bytes.length - 2], 0xff, "ends with EOI");
  assert.equal(bytes[bytes.length - 1], 0xd9, "ends with EOI");
  const markers = [];
  let i = 2;
  while (i < bytes.length) {
    assert.equal(bytes[i], 0xff, `a marker at ${i}`);
    const m = bytes[i + 1];
    markers.push(m);
    if (m === 0xda) break;
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  return markers;
}

async function fileAndSignIn(page) {
  const sites = await (await page.context().request.get(`${server.origin}/api/v1/sites?country=ID`)).json();
  const res = await page.context().request.post(`${server.origin}/api/v1/complaints`, {
    data: { language: "en", categories: ["wages"], narrative: "My pay slip shows the missing overtime.",
      site_id: sites.sites[0].id, anonymous: true },
  });
  assert.equal(res.status(), 201);
  const filed = await res.json();
  await page.goto(`${server.origin}/follow?lang=en`);
  await page.locator("#reference").fill(filed.reference);
  await page.locator("#access_code").fill(filed.access_code);
  await page.locator("main form button[type=submit]").click();
  return filed;
}

test("a worker files on a phone with JavaScript off and adds a photo on the receipt, under the code", async () => {
  const worker = await openPage(browser, { locale: "en-GB", javaScriptEnabled: false });
  const page = worker.page;
  await page.goto(`${server.origin}/complaint?lang=en`);
  await page.selectOption("#country", "ID");
  await page.locator("#country-step button[type=submit]").click();
  await page.locator("#site-step input[name=site_id]").first().check();
  await page.locator("#site-step button[type=submit]").last().click();
  await page.locator("#categories input[type=checkbox]").first().check();
  await page.locator("#narrative").fill("The overtime of October is missing from my pay slip.");
  await page.locator("#anonymous-yes").check();
  await page.locator("main form button[type=submit]").last().click();
  await page.locator("button[name=step][value=send]").click();
  const code = (await page.locator("#access-code").innerText()).trim();
  assert.match(code, /^\d{4} \d{4} \d{4} \d{4}$/);
  // The upload form comes after the code, with the warning to write the code down first.
  const order = await page.evaluate(() => {
    const code = document.getElementById("access-code");
    const attach = document.getElementById("attach");
    return code.compareDocumentPosition(attach) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order, "the code comes first");
  assert.match(await page.locator("#attach").innerText(), /Write down your secret code first/);
  await checkPage(page, "receipt-js-off", false);
  await page.locator("#attach-file").setInputFiles(photo);
  await page.locator("#attach button[type=submit]").click();
  assert.match(page.url(), /\/case\?done=attachment/);
  assert.match(await page.locator("main").innerText(), /Your file has been added/);
  assert.equal(await page.locator("#timeline a[download]").innerText(), "gps_photo.jpg");
  assert.deepEqual(worker.problems, []);
  await worker.context.close();
});

for (const javaScriptEnabled of [false, true]) {
  test(`a worker adds a GPS photo from the case page (JavaScript ${javaScriptEnabled ? "on" : "off"}); the office downloads it without GPS`, async () => {
    const worker = await openPage(browser, { locale: "en-GB", javaScriptEnabled, bypassCSP: javaScriptEnabled });
    const filed = await fileAndSignIn(worker.page);
    const input = worker.page.locator("#attach-file");
    assert.equal(await input.getAttribute("accept"), "image/*,audio/*,application/pdf");
    // No `capture`: on Android it opens the camera and hides the chooser (no earlier photo, PDF
    // or voice note); without it the phone offers the camera next to the files.
    assert.equal(await input.getAttribute("capture"), null);
    assert.equal(await worker.page.locator("#attach form").getAttribute("enctype"), "multipart/form-data");
    if (javaScriptEnabled) await checkPage(worker.page, "worker-form", true);
    await input.setInputFiles(photo);
    await worker.page.locator("#attach button[type=submit]").click();
    const main = await worker.page.locator("main").innerText();
    assert.match(main, /Your file has been added/);
    assert.match(main, /A file was added/);
    assert.match(main, /Photo, \d+ KB\. Identifying details removed\./);
    assert.equal(await worker.page.locator("#timeline a[download]").innerText(), "gps_photo.jpg");
    await checkPage(worker.page, `worker-added-js-${javaScriptEnabled ? "on" : "off"}`, javaScriptEnabled);

    const office = await openPage(browser, { locale: "en-GB", bypassCSP: true });
    const page = office.page;
    await page.goto(`${server.origin}/staff/sign-in?lang=en`);
    await page.fill("#email", ADMIN);
    await page.fill("#password", server.users[ADMIN].password);
    await page.locator("main form button[type=submit]").click();
    await page.goto(`${server.origin}/staff/cases/${filed.reference}?lang=en`);
    const link = page.locator("ol.timeline a[download]");
    assert.equal(await link.innerText(), "gps_photo.jpg");
    assert.match(await page.locator("ol.timeline").innerText(), /Identifying details removed\./);
    await checkPage(page, "staff-timeline", true);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const bytes = readFileSync(await download.path());
    const original = readFileSync(photo);
    assert.ok(original.includes("GPS") || original.includes(Buffer.from([0x88, 0x25])), "the fixture has GPS");
    const markers = jpegMarkers(bytes);
    assert.ok(!markers.includes(0xe1), "no APP1 (EXIF, XMP) segment");
    assert.ok(!markers.includes(0xed), "no APP13 (IPTC)");
    assert.ok(!markers.includes(0xfe), "no comment");
    for (const leak of ["Exif", "GPS", "R58T12345678", "Siti", "xmpmeta"]) {
      assert.ok(!bytes.includes(leak), `no ${leak} in the download`);
    }
    // The browser still decodes it.
    const size = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/jpeg;base64,${b64}`;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, bytes.toString("base64"));
    assert.deepEqual(size, [96, 64]);
    assert.deepEqual(worker.problems, []);
    assert.deepEqual(office.problems, []);
    await worker.context.close();
    await office.context.close();
  });
}
