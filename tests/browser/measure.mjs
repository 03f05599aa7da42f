// Measures what a browser downloads for a search on the built site: the
// search page, Pagefind's start-up, and each query on its own.
//
//   SITE_URL=http://127.0.0.1:PORT/ node measure.mjs [word ...]

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const site = process.env.SITE_URL;
const queries = process.argv.slice(2).length ? process.argv.slice(2) : ["botilbuddene"];
const profile = mkdtempSync(join(tmpdir(), "protokol-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let log = [];
const page = browser.pages()[0] || (await browser.newPage());
page.on("requestfinished", async (req) => {
  const sizes = await req.sizes().catch(() => null);
  if (sizes) log.push({ url: req.url().replace(site, "/"), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
});
const total = (l) => l.reduce((a, r) => a + r.bytes, 0);
try {
  await page.goto(new URL("soeg/", site).href);
  await page.waitForSelector("#soeg[data-ready]");
  await page.waitForTimeout(500);
  console.log(`search page and Pagefind start-up: ${total(log)} bytes in ${log.length} files`);
  for (const l of log) console.log(`  ${l.bytes}\t${l.url}`);
  for (const q of queries) {
    log = [];
    await page.fill("input[name=q]", q);
    await page.press("input[name=q]", "Enter");
    await page.waitForSelector(".search-result");
    await page.waitForTimeout(800);
    const n = await page.locator(".search-result").count();
    console.log(`query "${q}" (${n} results shown): ${total(log)} bytes in ${log.length} files`);
    for (const l of log) console.log(`  ${l.bytes}\t${l.url}`);
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
