/**
 * `lc-chat serve` (what `npm start` runs) prints every demo's URL with the
 * app id and key, and each of them is served.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { within } from './helpers/wait.js';

const root = fileURLToPath(new URL('..', import.meta.url));

test('serve prints every demo URL with ?app=…&key=…, and they are served', { timeout: 60_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'lc-chat-cli-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--host', '127.0.0.1', '--port', '0', '--data', data], { cwd: root });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    await within(
      new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          output += chunk;
          // The last line printed: `live` now, `chat demo` before every demo was listed.
          if (/(live|chat demo)\s+\S+\n/.test(output)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
      }),
      () => `serve to print every demo URL; it printed:\n${output}`,
      50_000,
    );
    const appId = /app id\s+(\S+)/.exec(output)?.[1];
    const appKey = /app key\s+(\S+)/.exec(output)?.[1];
    assert.ok(appId && appKey, output);
    const urls = [...output.matchAll(/(http:\/\/\S+\.html\?\S+)/g)].map((match) => new URL(match[1]!));
    assert.deepEqual(urls.map((url) => url.pathname).sort(), ['/agent.html', '/chat.html', '/inbox.html', '/live.html', '/support.html']);
    for (const url of urls) {
      assert.equal(url.searchParams.get('app'), appId, url.href);
      assert.equal(url.searchParams.get('key'), appKey, url.href);
      const response = await fetch(url);
      assert.equal(response.status, 200, url.href);
      await response.arrayBuffer();
    }
  } finally {
    // An exit that already happened (the server failed) emits nothing more: waiting for it would hang.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await within(exited, 'lc-chat serve to exit after SIGTERM', 60_000);
    }
    rmSync(data, { recursive: true, force: true });
  }
});
