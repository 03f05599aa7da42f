// Searches the built site in headless Chromium, as a reader would: types a
// word into /soeg/ and checks that the expected items come up, with their
// meeting's date and body, and that a word found only in a decision links to
// that decision.
//
//   SITE_URL=http://127.0.0.1:PORT/ node search.mjs
//
// The words and the titles they must find are set below and can be changed
// with environment variables when the archive's content changes.

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const site = process.env.SITE_URL;
if (!site) {
  console.error("SITE_URL is not set");
  process.exit(2);
}

const cases = [
  {
    name: "an inflected Danish word finds the item by its stem",
    // "botilbuddenes" is written nowhere in the archive; "botilbud" is in the title.
    query: process.env.SEARCH_INFLECTED || "botilbuddenes",
    title: process.env.SEARCH_INFLECTED_TITLE || "Status ift. sundhedstjek på botilbud",
    meta: process.env.SEARCH_INFLECTED_META || "4. april 2024",
  },
  {
    name: "a word only in a decision finds the item and links to its decision",
    // "Tilsynschef" occurs only in the decision of this item.
    query: process.env.SEARCH_DECISION || "tilsynschef",
    title: process.env.SEARCH_DECISION_TITLE || "Årsrapport fra Socialtilsyn Nord 2023",
    meta: process.env.SEARCH_DECISION_META || "27. maj 2024",
    decisionLink: true,
    filters: { decision: true },
  },
];

// Each browser gets a fresh profile folder (Playwright's userDataDir is
// Chromium's --user-data-dir).
const profiles = [];
async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "protokol-chromium-"));
  profiles.push(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 60000,
    ...options,
  });
}
const browser = await launch();

let passed = 0;
let failed = 0;
try {
  const page = browser.pages()[0] || (await browser.newPage());
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // Without JavaScript the page still leads somewhere.
  const plain = await launch({ javaScriptEnabled: false });
  const noJs = plain.pages()[0] || (await plain.newPage());
  await noJs.goto(new URL("soeg/", site).href);
  const fallbackLinks = await noJs.locator(".search-fallback a").count();
  if (fallbackLinks > 0 && (await noJs.locator("form.search-form").isHidden())) {
    console.log("ok - without JavaScript the page links to the year, body and topic lists");
    passed++;
  } else {
    console.log("not ok - without JavaScript the page offers no way in");
    failed++;
  }
  await plain.close();

  for (const c of cases) {
    try {
      const url = new URL("soeg/", site);
      await page.goto(url.href);
      await page.waitForSelector("#soeg[data-ready]");
      if (c.filters && c.filters.decision) {
        await page.check("input[name=decision]");
      }
      await page.fill("input[name=q]", c.query);
      await page.press("input[name=q]", "Enter");
      const result = page.locator(".search-result", { hasText: c.title }).first();
      await result.waitFor();
      const text = await result.innerText();
      if (!text.includes(c.meta)) throw new Error(`the result does not show "${c.meta}": ${text}`);
      const href = await result.locator(".item-title a").getAttribute("href");
      if (!/#punkt-\d+$/.test(href)) throw new Error(`the result links to ${href}`);
      if (c.decisionLink) {
        const decision = result.locator("blockquote.decision a");
        const target = await decision.getAttribute("href");
        if (!/#punkt-\d+-beslutning$/.test(target)) {
          throw new Error(`the decision links to ${target}`);
        }
        // Following it lands on the decision itself.
        await decision.click();
        await page.waitForURL(/#punkt-\d+-beslutning$/);
        const id = new URL(page.url()).hash.slice(1);
        if ((await page.locator(`[id="${id}"]`).count()) !== 1) {
          throw new Error(`no element ${id} on ${page.url()}`);
        }
      }
      console.log(`ok - ${c.name} ("${c.query}" → ${c.title})`);
      passed++;
    } catch (e) {
      console.log(`not ok - ${c.name} ("${c.query}"): ${e.message}`);
      failed++;
    }
  }
  // A search with many results shows the first ten and a button for more,
  // which adds the next ten and moves the focus to the first of them.
  try {
    const url = new URL("soeg/", site);
    url.searchParams.set("year", process.env.SEARCH_MANY_YEAR || "2024");
    await page.goto(url.href);
    await page.waitForSelector("#soeg[data-ready]");
    await page.locator(".search-result").nth(9).waitFor();
    const status = await page.locator(".search-status").innerText();
    const total = Number((status.match(/\d+/) || ["0"])[0]);
    if (total <= 10) throw new Error(`only ${total} results for the year: "${status}"`);
    if ((await page.locator(".search-result").count()) !== 10) {
      throw new Error("not ten results at first");
    }
    const button = page.locator(".search-more button");
    if (!(await button.isVisible())) throw new Error("no button for more results");
    await button.press("Enter");
    const expected = Math.min(total, 20);
    await page.locator(".search-result").nth(expected - 1).waitFor();
    if ((await page.locator(".search-result").count()) !== expected) {
      throw new Error(`not ${expected} results after "show more"`);
    }
    const focused = await page.evaluate(() => {
      const li = document.activeElement && document.activeElement.closest(".search-result");
      return li ? [...li.parentNode.children].indexOf(li) : -1;
    });
    if (focused !== 10) throw new Error(`the focus is on result ${focused}, not the eleventh`);
    if ((await button.isVisible()) !== total > 20) throw new Error("the button is shown wrongly");
    console.log(`ok - a search with ${total} results shows ten, and ten more on "show more"`);
    passed++;
  } catch (e) {
    console.log(`not ok - showing more results: ${e.message}`);
    failed++;
  }
  if (errors.length) {
    console.log(`not ok - the page reported errors: ${errors.join("; ")}`);
    failed++;
  }
} finally {
  await browser.close();
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
