/**
 * The modules package.json `"browser"` swaps in for browser bundles
 * (node-buffer.browser.ts, node-websocket.browser.ts): a browser bundler
 * does pick them, the code they fold away is gone, and what is left behaves
 * as the Node modules do: the codec writes the same bytes and reads them
 * back alike, and without a platform WebSocket the SDK says so.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { bundleForBrowser } from '../scripts/bundler-size.mjs';
import * as node from '../src/protocol/codec.js';
import type { Command } from '../src/protocol/codec.js';


type BrowserBundle = typeof node & { resolveWebSocket(custom?: unknown): Promise<unknown> };

let dir: string;
let source: string;
let browser: BrowserBundle;

before(async () => {
  const result = await bundleForBrowser("export * from './src/protocol/codec.ts'; export { resolveWebSocket } from './src/sdk/websocket.ts';");
  source = result.outputFiles[0]!.text;
  dir = await mkdtemp(join(tmpdir(), 'lc-browser-variants-'));
  const file = join(dir, 'bundle.mjs');
  await writeFile(file, source);
  browser = (await import(pathToFileURL(file).href)) as BrowserBundle;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a browser bundle leaves out the Buffer paths and the ws loader', () => {
  for (const nodeOnly of ['allocUnsafeSlow', 'Buffer', 'maxPayload', '"ws"']) {
    assert.ok(!source.includes(nodeOnly), `${nodeOnly} is in the browser bundle`);
  }
});

const long = 'On my way, see you at the station in ten minutes 🚉 — 文字 '.repeat(5);
const COMMANDS: Command[] = [
  { cmd: node.CommandType.direct, i: 42, peerId: 'alice', directMessage: { cid: 'c1', msg: long, r: true, dt: 'd-1' } },
  { cmd: node.CommandType.direct, peerId: 'bob', serverTs: 1_765_024_200_005, directMessage: { cid: 'c1', id: 'm1', fromPeerId: 'alice', timestamp: 1_765_024_200_000, msg: 'é ß 😀', convType: 1 } },
  { cmd: node.CommandType.ack, i: 7, ackMessage: { uid: 'm1', t: -5, code: -1 } },
  { cmd: node.CommandType.direct, directMessage: { cid: 'c1', binaryMsg: new Uint8Array([0, 1, 2, 255]) } },
  { cmd: node.CommandType.conv, op: node.OpType.query_result, convMessage: { results: { data: JSON.stringify(Array.from({ length: 40 }, (_, n) => ({ objectId: `id${n}`, name: `room ${n} ${long}` }))) } } },
  { cmd: node.CommandType.error, errorMessage: { code: 4303, reason: 'CONVERSATION_NOT_FOUND', detail: '\u0000\u007f\u0080\u07ff\u0800\uffff\ud800' } },
];

test('the browser codec writes the bytes the Node codec writes, and reads both alike', () => {
  for (const [n, command] of COMMANDS.entries()) {
    const expected = node.encodeCommand(command);
    const actual = browser.encodeCommand(command);
    assert.deepEqual([...actual], [...expected], `command #${n}`);
    for (const bytes of [new Uint8Array(expected), Buffer.from(expected)]) {
      const mine = JSON.stringify(browser.decodeCommand(bytes), (_key, value: unknown) => (value instanceof Uint8Array ? [...value] : value));
      const theirs = JSON.stringify(node.decodeCommand(bytes), (_key, value: unknown) => (value instanceof Uint8Array ? [...value] : value));
      assert.equal(mine, theirs, `decoding #${n}`);
    }
    const base64 = node.bytesToBase64(expected);
    assert.equal(browser.bytesToBase64(expected), base64);
    assert.ok(isDeepStrictEqual([...browser.base64ToBytes(base64)], [...expected]));
    assert.ok(isDeepStrictEqual([...browser.base64ToBytes(base64.replace(/=+$/, ''))], [...expected]));
  }
  assert.throws(() => browser.base64ToBytes('a=b'), /invalid base64/);
  assert.throws(() => browser.decodeCommand(new Uint8Array([0x22, 5, 1])), RangeError);
});

test('without a platform WebSocket, the browser SDK rejects instead of importing ws', async () => {
  const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
  try {
    await assert.rejects(browser.resolveWebSocket(), TypeError);
    class Custom {}
    assert.equal(await browser.resolveWebSocket(Custom), Custom);
  } finally {
    if (saved !== undefined) (globalThis as { WebSocket?: unknown }).WebSocket = saved;
  }
});
