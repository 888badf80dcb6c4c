/**
 * Node ids (issue 17): each server process has one, part of every session
 * id so that ids are unique across nodes; random by default, or named by
 * `--node-id` / `LC_NODE_ID`, and only from a safe alphabet, since it also
 * names a node's entries in a shared presence.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../src/server/config.js';
import { within } from './helpers/wait.js';

const root = fileURLToPath(new URL('..', import.meta.url));

test('a node id is random by default, distinct per process start, and checked when given', () => {
  const first = resolveConfig({ dataDir: '/tmp/unused' }).nodeId;
  const second = resolveConfig({ dataDir: '/tmp/unused' }).nodeId;
  assert.match(first, /^[0-9a-f]{12}$/);
  assert.notEqual(first, second);
  assert.equal(resolveConfig({ dataDir: '/tmp/unused', nodeId: 'eu-west_1' }).nodeId, 'eu-west_1');
  for (const nodeId of ['', 'a:b', 'with space', 'x'.repeat(65), 'ü', 'a/b']) {
    assert.throws(() => resolveConfig({ dataDir: '/tmp/unused', nodeId }), /nodeId must be 1-64 letters, digits, _ or -/, JSON.stringify(nodeId));
  }
});

test('lc-chat serve refuses a bad --node-id before starting', () => {
  const data = mkdtempSync(join(tmpdir(), 'lc-chat-node-id-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--data', data, '--node-id', 'node:1'], { cwd: root, encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /--node-id must be 1-64 letters, digits, _ or -, got "node:1"/);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

for (const [how, args, env] of [
  ['--node-id', ['--node-id', 'node-from-flag'], {}],
  ['LC_NODE_ID', [], { LC_NODE_ID: 'node-from-env' }],
] as const) {
  test(`lc-chat serve takes its node id from ${how} and prints it`, { timeout: 60_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'lc-chat-node-id-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--host', '127.0.0.1', '--port', '0', '--data', data, '--no-demo', ...args], {
      cwd: root,
      env: { ...process.env, LC_STORE: '', ...env },
    });
    try {
      let output = '';
      child.stdout.setEncoding('utf8');
      await within(
        new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (chunk: string) => {
            output += chunk;
            if (/app key\s+\S+\n/.test(output)) resolve();
          });
          child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
        }),
        () => `serve to print its app key; it printed:\n${output}`,
        50_000,
      );
      assert.equal(/node id\s+(\S+)/.exec(output)?.[1], how === '--node-id' ? 'node-from-flag' : 'node-from-env');
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
}
