// The worker's pages never use two names for one concept (issue 8, "Words that mislead"): the
// glossary (docs/glossary.md) gives each concept one term per language and the names never to
// use; every worker text in web/i18n (keys not starting with staff_) is checked against it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./server.mjs";

const LANGS = ["en", "nl", "id", "vi", "fr"];
const glossary = readFileSync(join(repoRoot, "docs", "glossary.md"), "utf8");

// The rows of the table under `heading`: { concept: { en: [...], nl: [...], ... } }.
function table(heading) {
  const start = glossary.indexOf(`## ${heading}`);
  assert.ok(start >= 0, `docs/glossary.md has "## ${heading}"`);
  const rows = {};
  for (const line of glossary.slice(start).split("\n").slice(1)) {
    if (line.startsWith("## ")) break;
    if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| Concept")) continue;
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    rows[cells[0]] = Object.fromEntries(LANGS.map((l, i) =>
      [l, cells[i + 1].split(";").map((w) => w.trim()).filter(Boolean)]));
  }
  return rows;
}

const workerTexts = (lang) => Object.entries(
  JSON.parse(readFileSync(join(repoRoot, "web", "i18n", `${lang}.json`), "utf8")))
  .filter(([key]) => !key.startsWith("staff_"));

// A whole-word, case-insensitive match that knows letters beyond ASCII.
const wordRe = (w) => new RegExp(`(?<![\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "iu");

test("the glossary has one term per concept and language, and names to avoid", () => {
  const terms = table("Terms");
  const never = table("Never on the worker's pages");
  assert.deepEqual(Object.keys(never).sort(), Object.keys(terms).sort());
  for (const [concept, byLang] of Object.entries(terms)) {
    for (const lang of LANGS) assert.equal(byLang[lang].length, 1, `${concept} ${lang}`);
  }
});

test("the worker's pages use the glossary's term and never another name for it", () => {
  const terms = table("Terms");
  const never = table("Never on the worker's pages");
  const problems = [];
  for (const lang of LANGS) {
    const texts = workerTexts(lang);
    for (const [concept, byLang] of Object.entries(never)) {
      for (const word of byLang[lang]) {
        for (const [key, text] of texts) {
          if (wordRe(word).test(text)) {
            problems.push(`${lang} ${key}: "${word}" where the glossary says "${terms[concept][lang][0]}"`);
          }
        }
      }
    }
    for (const concept of ["reference", "secret code", "complaint"]) {
      const term = terms[concept][lang][0];
      assert.ok(texts.some(([, text]) => wordRe(term).test(text)), `${lang} uses "${term}"`);
    }
  }
  assert.deepEqual(problems, []);
});
