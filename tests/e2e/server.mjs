// Starts the real server binary over real TLS for the browser tests, and the headless Debian
// chromium that drives it. Each test run owns its environment: a temporary data directory, a
// throwaway ECDSA P-256 certificate, port 0.
import { spawn, execFileSync } from "node:child_process";
import https from "node:https";
import { mkdtempSync, mkdirSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../..");
export const binary = process.env.GRIEVANCE_BINARY ?? join(repoRoot, "build", "grievance");
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const axePath = join(here, "node_modules", "axe-core", "axe.min.js");
export const resultsDir = join(here, "test-results");

// `options.config`: settings written to a JSON configuration file for --config (README.md).
export async function startServer(options = {}) {
  if (!existsSync(binary)) {
    throw new Error(`server binary ${binary} not found: build it first or set GRIEVANCE_BINARY`);
  }
  const dir = mkdtempSync(join(tmpdir(), "grievance-e2e-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ], { stdio: "ignore" });
  const data = join(dir, "data");
  const configArgs = [];
  if (options.config) {
    const configFile = join(dir, "config.json");
    writeFileSync(configFile, JSON.stringify(options.config));
    configArgs.push("--config", configFile);
  }
  const child = spawn(binary, [
    "serve", "--listen", "127.0.0.1:0", "--data", data, "--tls-cert", cert, "--tls-key", key,
    "--demo", ...configArgs,
    // A binary built elsewhere (e.g. an earlier commit's, to see a new test fail there) reads
    // that commit's web/ directory.
    ...(process.env.GRIEVANCE_WEB_DIR ? ["--web", process.env.GRIEVANCE_WEB_DIR] : []),
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (stderr.length > 200000) stderr = stderr.slice(-100000);
  });
  // The demo prints one user per role with a fresh password on stdout, before "listening on".
  const users = {};
  const origin = await new Promise((resolveOrigin, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30000);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const m = stdout.match(/listening on (https:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        for (const u of stdout.matchAll(/demo user: role=(\S+) email=(\S+) password=(\S+)/g)) {
          users[u[2]] = { role: u[1], email: u[2], password: u[3] };
        }
        resolveOrigin(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  return {
    origin,
    // Demo staff accounts by e-mail: { role, email, password }.
    users,
    // The server's data directory (its keys are in keys/: `grievance verify-receipt --data`).
    dataDir: data,
    logs: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A phone-sized page in a fresh context (TLS errors ignored: the test server's certificate is
// self-signed), collecting page errors and console errors in `problems`. `options` go to
// browser.newContext() and override the defaults.
export const MOBILE = { width: 360, height: 640 };
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: MOBILE, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  return { context, page, problems };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

// WCAG 2.1 AA with axe-core. The page's CSP forbids injected scripts, so the context that runs
// axe bypasses CSP (the functional tests keep it enforced).
export async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    }));
  // A run that checked nothing would also report no violation.
  if (result.passes.length === 0) throw new Error("axe-core checked no rule");
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}

// One request to the server under test, over TLS on loopback: the answer's status, headers,
// text and, when the text is JSON, the parsed body. `body` other than a string is sent as JSON.
export function apiRequest(origin, method, target,
                           { token, body, type = "application/json", headers = {} } = {}) {
  const url = new URL(target, origin);
  const payload = body === undefined ? undefined
    : typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method,
      rejectUnauthorized: false,  // the test's own throwaway certificate, on loopback
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(payload !== undefined ? { "Content-Type": type } : {}),
        ...headers,
      },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { text += c; });
      res.on("end", () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// Registers the file's before/after hooks: one server (`options` as for startServer) and one
// browser for all its tests, handed to `ready(server, browser)` (awaited) once both run.
export function useServerAndBrowser(ready, options = {}) {
  let server;
  let browser;
  before(async () => {
    server = await startServer(options);
    browser = await launchBrowser();
    mkdirSync(resultsDir, { recursive: true });
    await ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

// A page as a phone shows it: no axe-core violation (WCAG 2.1 AA; axe runs in the page, so
// only with JavaScript on: pass `axe = false` otherwise), nothing wider than 360 px, and a
// full-page screenshot test-results/NAME.png to look at.
export async function checkPhonePage(page, name, axe = true) {
  if (axe) {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
  }
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 360, `${name} fits a 360 px phone (${scrollWidth})`);
  await page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true });
}
