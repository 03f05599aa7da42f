// Screenshots of a built site, so that anyone can look at what it shows:
// the home page, the largest meeting, the largest topic timeline and the
// search page (when the site has one), at 390 and 1280 px, the meeting in
// dark mode too, and the meeting as printed (PDF).
//
//   node screenshots.mjs SITE_DIR BASE_URL OUT_DIR

import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, pages as sitePages, basePathOf } from './lib.mjs';

const [siteDir, baseUrl, outDir] = process.argv.slice(2);
if (!siteDir || !baseUrl || !outDir) {
  console.error('usage: node screenshots.mjs SITE_DIR BASE_URL OUT_DIR');
  process.exit(2);
}
const dir = path.resolve(siteDir);
const basePath = basePathOf(baseUrl);
fs.mkdirSync(outDir, { recursive: true });

const all = sitePages(dir, basePath, Infinity);
const largest = (kind) => all.filter((p) => p.kind === kind).sort((a, b) => b.size - a.size)[0];
const shots = [
  ['home', largest('home')],
  ['meeting', largest('meeting')],
  ['topic', largest('topic timeline')],
  ['search', largest('search')],
  ['404', largest('404')],
].filter(([, p]) => p);

const server = await serve(dir, basePath);
const { browser, close } = await launch();
try {
  for (const scheme of ['light', 'dark']) {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const [name, p] of shots) {
        if (scheme === 'dark' && name !== 'meeting') continue;
        await page.goto(server.origin + p.url);
        const file = path.join(outDir, `${name}-${width}${scheme === 'dark' ? '-dark' : ''}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`${file}  ${p.url}`);
      }
      await context.close();
    }
  }
  const meeting = largest('meeting');
  if (meeting) {
    const page = await browser.newPage();
    await page.goto(server.origin + meeting.url);
    const file = path.join(outDir, 'meeting-print.pdf');
    await page.pdf({ path: file, format: 'A4', printBackground: false });
    console.log(`${file}  ${meeting.url}`);
  }
} finally {
  await close();
  server.close();
}
