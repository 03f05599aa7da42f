// Proof that Protokol's search index is Pagefind's: indexes the same records
// with Pagefind's own indexer (the pinned `pagefind` package), puts that index
// beside Protokol's in the built site, and queries both with the stock
// runtime in headless Chromium. Fails unless every query gives the same
// results, the same first five in order with the same excerpts and
// sub-results, and unless the word index and filter files are byte for byte
// the same once decompressed, and every page's fragment holds the same data.
//
//   node same-search.mjs SITE_DIR RECORDS.jsonl
//
// SITE_DIR is a site built by `protokol build`; RECORDS.jsonl comes from
// `cargo run --example search-records -- ARCHIVE` (see same-search.sh).

import * as pagefind from "pagefind";
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";
import { mkdtempSync, rmSync, readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";

const [siteDir, recordsFile] = process.argv.slice(2);
if (!siteDir || !recordsFile) {
  console.error("usage: node same-search.mjs SITE_DIR RECORDS.jsonl");
  process.exit(2);
}
const ours = "pagefind";
const stock = "pagefind-stock";
const failures = [];
const fail = (what) => {
  failures.push(what);
  console.log(`FAIL ${what}`);
};

// 1. Pagefind's own index of the same records.
const records = readFileSync(recordsFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const language = records[0]?.language || "da";
const { index, errors } = await pagefind.createIndex({ forceLanguage: language, keepIndexUrl: true });
if (errors.length) throw new Error(errors.join("\n"));
for (const r of records) {
  const added = await index.addHTMLFile({ url: r.url, content: r.content });
  if (added.errors.length) throw new Error(added.errors.join("\n"));
}
await index.writeFiles({ outputPath: join(siteDir, stock) });
await pagefind.close();
console.log(`indexed ${records.length} records with Pagefind's indexer`);

// 2. The files: word index and filters the same, fragments the same per page.
const unpack = (path) => {
  const bytes = gunzipSync(readFileSync(path));
  const signature = bytes.subarray(0, 12).toString();
  if (signature !== "pagefind_dcd") fail(`${path} does not start with pagefind_dcd`);
  return bytes.subarray(12);
};
for (const dir of ["index", "filter"]) {
  const a = readdirSync(join(siteDir, ours, dir)).sort();
  const b = readdirSync(join(siteDir, stock, dir)).sort();
  if (a.join() !== b.join()) {
    fail(`${dir}/: Protokol wrote ${a.length} files, Pagefind ${b.length}; names differ`);
    continue;
  }
  for (const name of a) {
    if (!unpack(join(siteDir, ours, dir, name)).equals(unpack(join(siteDir, stock, dir, name)))) {
      fail(`${dir}/${name} differs`);
    }
  }
  console.log(`${dir}/: ${a.length} files, the same as Pagefind's`);
}
const fragments = (dir, grouped) => {
  const byUrl = new Map();
  for (const name of readdirSync(join(siteDir, dir, "fragment"))) {
    const json = JSON.parse(unpack(join(siteDir, dir, "fragment", name)).toString());
    for (const f of grouped ? Object.values(json) : [json]) byUrl.set(f.url, JSON.stringify(f));
  }
  return byUrl;
};
const ourFragments = fragments(ours, true);
const stockFragments = fragments(stock, false);
if (ourFragments.size !== stockFragments.size) {
  fail(`fragments: ${ourFragments.size} pages against Pagefind's ${stockFragments.size}`);
}
for (const [url, f] of stockFragments) {
  if (ourFragments.get(url) !== f) fail(`the fragment of ${url} differs:\n  ours:     ${ourFragments.get(url)}\n  Pagefind: ${f}`);
}
console.log(`fragments: ${stockFragments.size} pages compared`);

// 3. The same queries against both indexes, with the stock runtime.
const types = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = join(siteDir, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!file.startsWith(siteDir) || !existsSync(file)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const site = `http://127.0.0.1:${server.address().port}/`;

const queries = [
  // Inflected Danish words, found by their stems.
  ["botilbuddenes"], ["institutionerne"], ["socialaftalens"], ["udviklingshæmmede"], ["pædagogerne"],
  ["kapaciteten"], ["tilbuddene"], ["samarbejdet"], ["drøftelsen"], ["årsrapporterne"],
  // Words found only in decisions, with and without the decision filter.
  ["tilsynschef"], ["tilsynschef", { decision: "ja" }], ["godkendt", { decision: "ja" }], ["indstillingen"],
  // Case numbers, whole and in part.
  ["2024-029219"], ["2024-079097"], ["029219"],
  // Names of places, bodies and people.
  ["Sødisebakke"], ["Kvisten"], ["Østerskoven"], ["Grønland"], ["KDK"], ["DASSOS"], ["Socialtilsyn Nord"],
  // Diacritics, with and without.
  ["arsrapport"], ["årsrapport"], ["drøftede"],
  // Several words, and a prefix as typed.
  ["sikrede institutioner"], ["nordjysk socialaftale"], ["sundhedst"], ["handicap udbud"],
  // Each filter, alone and with words.
  ["botilbud", { year: "2024" }], ["tilbud", { body: "DAS Social" }], [null, { year: "2020" }],
  [null, { decision: "ja" }], ["kapacitet", { year: "2025" }],
];

const profile = mkdtempSync(join(tmpdir(), "protokol-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  timeout: 60000,
});
try {
  const page = await browser.newPage();
  await page.goto(`${site}404.html`);
  // Topics are only known from the index: add a topic filter query per topic.
  const topics = await page.evaluate(async (dir) => {
    const pf = await import(`/${dir}/pagefind.js`);
    await pf.options({ baseUrl: "/" });
    return Object.keys((await pf.filters()).topic || {});
  }, ours);
  for (const t of topics.slice(0, 3)) queries.push([null, { topic: t }], ["tilbud", { topic: t }]);
  const answers = await page.evaluate(async ({ dirs, queries }) => {
    const engines = [];
    for (const dir of dirs) {
      const pf = await import(`/${dir}/pagefind.js?${dir}`);
      await pf.options({ baseUrl: "/", excerptLength: 24 });
      engines.push(pf);
    }
    const out = [];
    for (const [q, filters] of queries) {
      const both = [];
      for (const pf of engines) {
        const search = await pf.search(q, { filters: filters || {} });
        const all = await Promise.all(search.results.map((r) => r.data()));
        both.push({
          urls: all.map((d) => d.url),
          scores: search.results.slice(0, 5).map((r) => r.score),
          top: all.slice(0, 5).map((d) => ({
            url: d.url, excerpt: d.excerpt, word_count: d.word_count,
            sub: d.sub_results.map((s) => [s.url, s.title, s.excerpt]),
          })),
          filters: search.filters,
        });
      }
      out.push(both);
    }
    return out;
  }, { dirs: [ours, stock], queries });
  let empty = 0;
  answers.forEach(([a, b], i) => {
    const label = JSON.stringify(queries[i]);
    if (a.urls.length === 0) empty++;
    if (JSON.stringify([...a.urls].sort()) !== JSON.stringify([...b.urls].sort())) {
      fail(`${label}: ${a.urls.length} results against Pagefind's ${b.urls.length}`);
      return;
    }
    if (JSON.stringify(a.top) !== JSON.stringify(b.top)) {
      fail(`${label}: the first five differ\n  ours:     ${JSON.stringify(a.top)}\n  Pagefind: ${JSON.stringify(b.top)}`);
      return;
    }
    if (JSON.stringify(a.filters) !== JSON.stringify(b.filters)) fail(`${label}: filter counts differ`);
    if (JSON.stringify(a.scores) !== JSON.stringify(b.scores)) console.log(`note ${label}: scores ${a.scores} against ${b.scores}`);
    console.log(`same ${label}: ${a.urls.length} results`);
  });
  if (empty > queries.length / 3) fail(`${empty} of ${queries.length} queries found nothing: the queries no longer fit the archive`);
  console.log(`${queries.length} queries compared`);
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`${failures.length} differences from Pagefind's own index`);
  process.exit(1);
}
console.log("the same search as Pagefind's own index");
