#!/usr/bin/env node
// The SDK as an app's bundler builds it (issue 11's "bundler case"): esbuild,
// minified, for browsers, of `import … from 'lc-chat'`, gzip -9 of the
// output. Two imports: everything the package exports (`export *`, the
// worst case) and a chat app's usual `{ Realtime, TextMessage }`. It builds
// from src/sdk/index.ts, which is what lib/sdk/index.js is compiled from, so
// it needs no `npm run build:node` first (package.json `"browser"` maps the
// Node-only modules and the server's codec in src/ as in lib/, so both
// bundle alike). `ws` stays
// external: browsers never reach that import. Nothing else is configured: an
// app gets whatever our package makes its bundler pull in.
//
//   node scripts/bundler-size.mjs           the two figures
//   node scripts/bundler-size.mjs --top 25  and the largest inputs of `export *`
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The two imports measured, as an app would write them. */
export const BUNDLER_CASES = [
  { name: "export * from 'lc-chat'", contents: "export * from './src/sdk/index.ts';" },
  { name: "import { Realtime, TextMessage } from 'lc-chat'", contents: "export { Realtime, TextMessage } from './src/sdk/index.ts';" },
];

/**
 * `contents` (TypeScript importing from src/) as an app's bundler builds it
 * for browsers: esbuild, minified, ESM, package.json `"browser"` honoured.
 * `options` adds to esbuild's.
 */
export function bundleForBrowser(contents, options = {}) {
  return build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    ...options,
  });
}

/**
 * Bundles one case and returns its sizes and esbuild's metafile inputs
 * (bytes each input contributes to the minified output).
 */
export async function bundlerSize(contents) {
  const result = await bundleForBrowser(contents, { metafile: true, external: ['ws'] });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .filter(({ bytes }) => bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1] ?? 25) : 0;
  console.log(`\n${'bundler case (esbuild, minified, browser)'.padEnd(52)} ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}`);
  let first;
  for (const { name, contents } of BUNDLER_CASES) {
    const size = await bundlerSize(contents);
    first ??= size;
    console.log(`${name.padEnd(52)} ${kb(size.raw).padStart(9)}  ${kb(size.gzip).padStart(9)}`);
  }
  if (top > 0) {
    console.log(`\nlargest inputs of ${BUNDLER_CASES[0].name} (minified bytes in the output):`);
    for (const { path, bytes } of first.inputs.slice(0, top)) console.log(`${String(bytes).padStart(8)}  ${path}`);
  }
}
