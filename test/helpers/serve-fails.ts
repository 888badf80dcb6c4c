/**
 * Starting the real CLI with a configuration it must refuse: `serveFails`
 * runs `lc-chat serve` in a fresh data directory and resolves with its exit
 * code and output; `assertOneLine` checks the refusal is one line on stderr,
 * without a stack trace, and that nothing started.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface ServeResult {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs `lc-chat serve` expecting it to fail at start (killed after 30 s if it does not). */
export function serveFails(args: string[], env: Record<string, string> = {}): Promise<ServeResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-serve-fails-'));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--host', '127.0.0.1', '--port', '0', '--no-demo', '--data', dataDir, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stderr, stdout });
    }),
  );
}

/** One line on stderr matching `pattern`, no stack trace, nothing printed as if it started. */
export function assertOneLine(result: ServeResult, pattern: RegExp): void {
  assert.notEqual(result.code, 0, 'a non-zero exit');
  assert.equal(result.stdout, '', 'nothing printed as if it started');
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.match(lines[0]!, pattern);
}
