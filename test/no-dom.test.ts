/**
 * Importing the components on a server (issue 19, defect 2): in plain Node
 * (Lit's node build and its DOM shim) and in an edge/worker bundle
 * (esbuild --platform=neutral with the worker and edge-light conditions:
 * Lit's browser build, as Next.js edge or Cloudflare Workers get it) run
 * where there is no DOM. Nothing throws, the exports are there, and no DOM
 * globals are left behind. test/browser/no-dom.test.ts does the same in a
 * browser's module worker.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const scratch = mkdtempSync(join(tmpdir(), 'lc-chat-no-dom-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Imports `url` in a fresh Node process (with `loader` flags) and returns what it saw. */
function importIn(url: string, loader: string[] = []): { error: string | null; LcChat: string; globals: string[] } {
  const script = `
    try {
      const components = await import(${JSON.stringify(url)});
      console.log(JSON.stringify({ error: null, LcChat: typeof components.LcChat, globals: [typeof HTMLElement, typeof document, typeof window] }));
    } catch (error) {
      console.log(JSON.stringify({ error: String(error), LcChat: 'none', globals: [] }));
    }`;
  const result = spawnSync(process.execPath, [...loader, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { error: string | null; LcChat: string; globals: string[] };
}

test('plain Node imports the components (Lit\'s node build) without throwing', () => {
  const seen = importIn(pathToFileURL(join(ROOT, 'src/components/index.ts')).href, ['--import', 'tsx']);
  assert.deepEqual(seen, { error: null, LcChat: 'function', globals: ['undefined', 'undefined', 'undefined'] });
});

test('an edge/worker bundle (neutral platform, worker and edge-light conditions) imports them without a DOM', async () => {
  const outfile = join(scratch, 'edge.mjs');
  await build({
    entryPoints: [join(ROOT, 'src/components/index.ts')],
    bundle: true,
    platform: 'neutral',
    conditions: ['worker', 'edge-light'],
    mainFields: ['module', 'main'],
    format: 'esm',
    // The SDK's Node fallback (a dynamic import that never runs where WebSocket exists).
    external: ['ws'],
    outfile,
    logLevel: 'silent',
  });
  const seen = importIn(pathToFileURL(outfile).href);
  assert.deepEqual(seen, { error: null, LcChat: 'function', globals: ['undefined', 'undefined', 'undefined'] });
});
