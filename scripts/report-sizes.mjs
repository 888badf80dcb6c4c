#!/usr/bin/env node
// Prints the raw and gzip size of every built browser file (npm run build),
// and what the ES build's pages download: `dist/lc-chat.js` with the chunks
// it imports statically ("first load"), and what each element loaded on
// demand adds to that. Gzip is per file, as each is its own request.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = 'dist';
const ENTRY = 'dist/lc-chat.js';
const REQUIRED = [ENTRY, 'dist/lc-chat.iife.js', 'dist/lc-chat-sdk.js'];

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sizes = new Map();
function size(file) {
  let entry = sizes.get(file);
  if (!entry) {
    const code = readFileSync(file);
    entry = { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
    sizes.set(file, entry);
  }
  return entry;
}

/** The built JavaScript under dist/ (source maps left out). */
function browserFiles(dir = DIST) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) return browserFiles(path);
      return entry.name.endsWith('.js') ? [path] : [];
    })
    .sort();
}

/**
 * The relative modules a built file imports statically (`import…from"./x.js"`,
 * `import"./x.js"`, `export…from"./x.js"`): what the browser fetches before
 * running it. Dynamic `import(…)` is left out on purpose.
 */
function staticImports(file) {
  const code = readFileSync(file, 'utf8');
  const found = new Set();
  for (const match of code.matchAll(/\bfrom\s*["'](\.\.?\/[^"']+)["']|\bimport\s*["'](\.\.?\/[^"']+)["']/g)) {
    found.add(posix.normalize(posix.join(dirname(file), match[1] ?? match[2])));
  }
  return [...found];
}

function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dependency of staticImports(file)) closure(dependency, seen);
  return seen;
}

const total = (files) =>
  [...files].reduce((sum, file) => ({ raw: sum.raw + size(file).raw, gzip: sum.gzip + size(file).gzip }), { raw: 0, gzip: 0 });
const row = (name, { raw, gzip }) => console.log(`${name.padEnd(44)} ${kb(raw).padStart(9)}  ${kb(gzip).padStart(9)}`);

for (const file of REQUIRED) {
  if (!existsSync(file)) {
    console.log(`${file} missing`);
    process.exitCode = 1;
  }
}

console.log(`\n${'file'.padEnd(44)} ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}`);
for (const file of browserFiles()) row(relative('.', file), size(file));

if (existsSync(ENTRY)) {
  const first = closure(ENTRY);
  console.log(`\nES build, ${first.size} files before any element upgrades:`);
  row('first load (dist/lc-chat.js + static imports)', total(first));
  for (const element of browserFiles(join(DIST, 'elements'))) {
    const extra = [...closure(element)].filter((file) => !first.has(file));
    row(`  + <${posix.basename(element, '.js')}> on demand`, total(extra));
  }
}
