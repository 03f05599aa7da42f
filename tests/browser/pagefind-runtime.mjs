// Pagefind's browser runtime as shipped in src/search/runtime/, compared with
// what the pinned Pagefind release (the `pagefind` package in package.json)
// writes. Exits non-zero when a file differs or is missing.
//
//   node pagefind-runtime.mjs            compare
//   node pagefind-runtime.mjs --update   copy the release's files over ours
import * as pagefind from "pagefind";
import { mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const shipped = join(here, "..", "..", "src", "search", "runtime");
const update = process.argv.includes("--update");
const release = JSON.parse(
  await readFile(join(here, "node_modules", "pagefind", "package.json"), "utf8"),
).version;

// The runtime does not depend on the pages; one page per language suffices.
const files = ["pagefind.js", "pagefind-worker.js"];
const made = {};
for (const language of ["da", "en"]) {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
  if (errors.length) throw new Error(errors.join("\n"));
  await index.addHTMLFile({ url: "/", content: `<html lang="${language}"><body><p>ord</p></body></html>` });
  const out = await mkdtemp(join(tmpdir(), "pagefind-runtime-"));
  await index.writeFiles({ outputPath: out });
  for (const name of [...files, `wasm.${language}.pagefind`]) {
    made[name] = await readFile(join(out, name));
  }
  await rm(out, { recursive: true, force: true });
}
await pagefind.close();

let differ = 0;
for (const [name, bytes] of Object.entries(made)) {
  const path = join(shipped, name);
  if (update) {
    await writeFile(path, bytes);
    console.log(`updated ${name} (${bytes.length} bytes) from Pagefind ${release}`);
    continue;
  }
  const ours = await readFile(path).catch(() => null);
  if (!ours || !ours.equals(bytes)) {
    console.log(`DIFFERS ${name}: shipped ${ours ? ours.length : "missing"}, Pagefind ${release} ${bytes.length} bytes`);
    differ++;
  } else {
    console.log(`same ${name} (${bytes.length} bytes) as Pagefind ${release}`);
  }
}
if (update) {
  await writeFile(join(shipped, "VERSION"), `${release}\n`);
}
process.exit(differ ? 1 : 0);
