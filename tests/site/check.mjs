// Checks a built site in Chromium: axe (WCAG 2.1 A and AA, and a few rules
// the theme promises beyond them) at a phone and a desktop width, light and
// dark; no page wider than a 320 px screen; every request to the site itself;
// one stylesheet and nothing else render-blocking; the right `lang`; a visible
// skip link; the 404 page; and the copy-link buttons of decisions.
//
//   node check.mjs SITE_DIR BASE_URL
//
// Exits 1 and lists every problem when there is one.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, pages as sitePages, basePathOf } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Beyond WCAG 2.1: target size (2.2), headings in order, landmarks.
const EXTRA_RULES = [
  'target-size',
  'heading-order',
  'page-has-heading-one',
  'landmark-one-main',
  'landmark-unique',
  'landmark-no-duplicate-banner',
  'landmark-no-duplicate-contentinfo',
  'region',
  'skip-link',
  'empty-heading',
];
const MODES = [
  { name: '390 light', width: 390, height: 844, scheme: 'light' },
  { name: '1280 light', width: 1280, height: 800, scheme: 'light' },
  { name: '390 dark', width: 390, height: 844, scheme: 'dark' },
  { name: '1280 dark', width: 1280, height: 800, scheme: 'dark' },
];

const [siteDir, baseUrl] = process.argv.slice(2);
if (!siteDir || !baseUrl) {
  console.error('usage: node check.mjs SITE_DIR BASE_URL');
  process.exit(2);
}
const dir = path.resolve(siteDir);
const basePath = basePathOf(baseUrl);
const lang = JSON.parse(fs.readFileSync(path.join(dir, 'data/archive.json'), 'utf8')).site.language;

const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);
let axeViolations = 0;

const server = await serve(dir, basePath);
const { browser, close } = await launch();
const list = sitePages(dir, basePath);
console.log(`checking ${list.length} pages in ${MODES.length} modes: ${[...new Set(list.map((p) => p.kind))].join(', ')}`);

try {
  for (const mode of MODES) {
    const context = await browser.newContext({
      viewport: { width: mode.width, height: mode.height },
      colorScheme: mode.scheme,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const foreign = new Set();
    page.on('request', (r) => {
      if (!r.url().startsWith(`${server.origin}/`)) foreign.add(r.url());
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // A failed load shows as a response below; the console repeats it.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    page.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document') errors.push(`${r.status()} ${r.url()}`);
    });

    for (const p of list) {
      const where = `${p.url} [${mode.name}]`;
      errors.length = 0;
      const response = await page.goto(server.origin + p.url, { waitUntil: 'load' });
      const expected = p.kind === '404' ? 404 : 200;
      if (response.status() !== expected) problem(where, `status ${response.status()}, expected ${expected}`);
      if (mode === MODES[0]) {
        const facts = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          stylesheets: document.querySelectorAll('link[rel~="stylesheet"]').length,
          blockingScripts: [...document.querySelectorAll('script')].filter(
            (s) => s.src && !s.defer && !s.async && s.type !== 'module',
          ).length,
          inlineScripts: [...document.querySelectorAll('script:not([src])')].filter((s) => !s.type.includes('json')).length,
          styleElements: document.querySelectorAll('style').length,
          h1: document.querySelectorAll('h1').length,
          main: document.querySelectorAll('main').length,
        }));
        if (facts.lang !== lang) problem(where, `lang="${facts.lang}", expected "${lang}"`);
        if (facts.stylesheets !== 1) problem(where, `${facts.stylesheets} stylesheets, expected exactly one`);
        if (facts.blockingScripts || facts.inlineScripts) problem(where, 'a script that blocks rendering (use defer)');
        if (facts.styleElements) problem(where, 'a <style> element; all styles belong in the one stylesheet');
        if (facts.h1 !== 1) problem(where, `${facts.h1} h1 elements, expected one`);
        if (facts.main !== 1) problem(where, `${facts.main} main elements, expected one`);

        // The first Tab shows the skip link, inside the screen, with a focus ring.
        await page.keyboard.press('Tab');
        const skip = await page.evaluate(() => {
          const a = document.activeElement;
          const r = a.getBoundingClientRect();
          const s = getComputedStyle(a);
          return {
            isSkip: a.classList.contains('skip-link'),
            target: a.getAttribute('href'),
            visible: r.top >= 0 && r.left >= 0 && r.width > 0 && r.bottom <= innerHeight,
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          };
        });
        if (!skip.isSkip) problem(where, 'the first Tab does not reach the skip link');
        else {
          if (!skip.visible) problem(where, 'the focused skip link is not on the screen');
          if (!skip.outline) problem(where, 'the focused skip link has no visible focus outline');
          if (!(await page.$(`[id="${skip.target.slice(1)}"]`))) problem(where, `the skip link's target ${skip.target} is missing`);
        }
      }

      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(
        async ([tags, extra]) => {
          const a = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          const b = await window.axe.run(document, { runOnly: { type: 'rule', values: extra }, resultTypes: ['violations'] });
          return [...a.violations, ...b.violations].map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary.replace(/\s+/g, ' ')}`),
          }));
        },
        [WCAG_TAGS, EXTRA_RULES],
      );
      for (const v of result) {
        axeViolations += v.nodes.length;
        problem(where, `axe ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).join('\n    ')}`);
      }
      for (const e of errors) problem(where, `browser error: ${e}`);

      if (mode === MODES[0]) {
        // 320 CSS px, the narrowest phone: the page never scrolls sideways.
        await page.setViewportSize({ width: 320, height: 700 });
        const wide = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return null;
          const culprits = [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > width + 1)
            .filter((e) => !e.closest('.scroll, pre, table'))
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''}`);
          return `${document.documentElement.scrollWidth}px wide (${culprits.join(', ')})`;
        });
        if (wide) problem(`${p.url} [320]`, `the page scrolls sideways: ${wide}`);
        await page.setViewportSize({ width: mode.width, height: mode.height });
      }
    }
    for (const url of foreign) problem(mode.name, `a request outside the site: ${url}`);
    await context.close();
  }

  await checkCopyLinks();
  await checkWithoutJavaScript();
} finally {
  await close();
  server.close();
}

/// On a meeting page, each decision's copy-link button puts the decision's
/// absolute address on the clipboard and says so in a live region.
async function checkCopyLinks() {
  const meeting = list.find((p) => p.kind === 'meeting');
  if (!meeting) return;
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await context.newPage();
  await page.goto(server.origin + meeting.url);
  const where = `${meeting.url} [copy link]`;
  const decisions = await page.$$eval('.decision .permalink a', (as) => as.length);
  const buttons = await page.$$('.decision button.copy-link');
  if (decisions && buttons.length !== decisions) {
    problem(where, `${buttons.length} copy buttons for ${decisions} decisions`);
  }
  if (buttons.length) {
    const button = buttons[buttons.length - 1];
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(200);
    const result = await page.evaluate(async (b) => ({
      expected: b.closest('.permalink').querySelector('a').href,
      copied: await navigator.clipboard.readText(),
      said: (document.querySelector('[aria-live]') || {}).textContent || '',
    }), button);
    if (result.copied !== result.expected) problem(where, `copied "${result.copied}", expected "${result.expected}"`);
    if (!result.expected.startsWith('http')) problem(where, `"${result.expected}" is not an absolute address`);
    if (!result.said.trim()) problem(where, 'nothing was announced in the live region');
  }
  await context.close();
}

/// Reading needs no JavaScript: with it off, every page shows its content
/// and nothing is hidden that only a script would show.
async function checkWithoutJavaScript() {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  for (const p of list) {
    await page.goto(server.origin + p.url);
    const text = await page.evaluate(() => document.querySelector('main').innerText.trim().length);
    if (text < 20) problem(`${p.url} [no JavaScript]`, 'the main content is empty');
    const buttons = await page.$$('button.copy-link');
    if (buttons.length) problem(`${p.url} [no JavaScript]`, 'copy buttons that cannot work without JavaScript');
  }
  await context.close();
}

console.log(`axe violations: ${axeViolations}`);
if (problems.length) {
  console.error(`\n${problems.length} problems:\n`);
  for (const p of problems) console.error(`- ${p}`);
  process.exit(1);
}
console.log(`site check: ${list.length} pages, ${MODES.length} modes, no problems`);
