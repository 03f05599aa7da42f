// Shared by the site checks and the screenshots: a small static server for a
// built site, Chromium through playwright-core, and the pages to look at.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/// Every file under `dir`, as paths relative to it with `/` separators.
export function listFiles(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(d, entry.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
};

/// Serves `dir` under `basePath` (`/arkiv/`) on 127.0.0.1, with 404.html for
/// anything missing, as a static host would. Resolves to { origin, close }.
export function serve(dir, basePath = '/') {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    let file = null;
    if (rel.startsWith(basePath)) {
      rel = rel.slice(basePath.length);
      const candidate = path.join(dir, rel);
      if (candidate.startsWith(dir)) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
        else if (fs.existsSync(path.join(candidate, 'index.html'))) {
          if (!url.pathname.endsWith('/')) {
            res.writeHead(301, { Location: `${url.pathname}/` });
            res.end();
            return;
          }
          file = path.join(candidate, 'index.html');
        }
      }
    }
    const status = file ? 200 : 404;
    file = file || path.join(dir, '404.html');
    res.writeHead(status, {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(Number(process.env.SITE_PORT || 0), '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, close: () => server.close() });
    });
  });
}

/// Chromium as Debian installs it, with nothing that reaches for the network.
/// playwright-core starts it with a fresh profile (user data dir) of its own
/// each time, and removes it on close.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser, close: () => browser.close() };
}

/// The kinds of page, each with how to recognise its file. The first match
/// wins; add a row for a new kind of page. `pick` chooses which pages of a kind
/// to check when the site is too large to check every page: the largest file
/// is the one most likely to show a problem.
export const PAGE_KINDS = [
  { kind: 'home', match: /^index\.html$/ },
  { kind: '404', match: /^404\.html$/ },
  { kind: 'search', match: /^soeg\/index\.html$/ },
  { kind: 'data', match: /^data\/index\.html$/ },
  { kind: 'topic index', match: /^emner\/index\.html$/ },
  { kind: 'topic timeline', match: /^emner\/[^/]+\/index\.html$/ },
  { kind: 'case index', match: /^sager\/index\.html$/ },
  { kind: 'cases of a year', match: /^sager\/aar-\d{4}\/index\.html$/ },
  { kind: 'case', match: /^sager\/[^/]+\/index\.html$/ },
  { kind: 'open follow-ups', match: /^[^/]+\/opfoelgning\/index\.html$/ },
  { kind: 'year', match: /^\d{4}\/index\.html$/ },
  { kind: 'meeting', match: /^[^/]+\/\d{4}-\d\d-\d\d-[^/]+\/index\.html$/ },
  { kind: 'body', match: /^[^/]+\/index\.html$/ },
  { kind: 'other', match: /\.html$/ },
];

export function kindOf(rel) {
  return PAGE_KINDS.find((k) => k.match.test(rel)).kind;
}

/// The HTML pages of a built site with their kind, address and size. All of
/// them when there are at most `limit`; otherwise the two largest of each kind.
export function pages(dir, basePath, limit = 60) {
  const all = listFiles(dir)
    .filter((rel) => rel.endsWith('.html'))
    .map((rel) => ({
      rel,
      kind: kindOf(rel),
      size: fs.statSync(path.join(dir, rel)).size,
      // The 404 page is fetched at an address that does not exist, as a
      // reader arrives at it.
      url: rel === '404.html'
        ? `${basePath}findes/ikke/`
        : basePath + rel.replace(/(^|\/)index\.html$/, '$1'),
    }));
  if (all.length <= limit) return all;
  const chosen = [];
  for (const { kind } of PAGE_KINDS) {
    const of = all.filter((p) => p.kind === kind).sort((a, b) => b.size - a.size);
    chosen.push(...of.slice(0, 2));
  }
  return chosen;
}

/// The path part of a base URL: `http://127.0.0.1:8000/arkiv/` → `/arkiv/`.
export function basePathOf(baseUrl) {
  const p = new URL(baseUrl).pathname;
  return p.endsWith('/') ? p : `${p}/`;
}
