// Screenshots of parts of one page, for looking closely at a long page:
//   node peek.mjs URL OUT_PREFIX WIDTH [SCHEME] [SELECTOR...]
// takes the first screen, then one image per selector (the element's box).
import { launch } from './lib.mjs';

const [url, prefix, width = '390', scheme = 'light', ...selectors] = process.argv.slice(2);
const { browser, close } = await launch();
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 844 }, colorScheme: scheme });
  await page.goto(url);
  await page.screenshot({ path: `${prefix}-top.png` });
  let n = 0;
  for (const sel of selectors) {
    const el = await page.$(sel);
    if (!el) { console.log(`no ${sel}`); continue; }
    await el.screenshot({ path: `${prefix}-${++n}.png` });
    console.log(`${prefix}-${n}.png ${sel}`);
  }
} finally {
  await close();
}
