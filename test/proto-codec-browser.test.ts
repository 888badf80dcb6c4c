/**
 * The browser codec (src/protocol/proto-codec.browser.ts, which package.json
 * `"browser"` puts in place of proto-codec.ts in browser bundles) held to
 * every test the Node codec passes: this file swaps the module for every
 * import (test/helpers/browser-codec-hooks.mjs), then runs
 * test/proto-codec.test.ts as it is, and adds what only the swap can show.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { test } from 'node:test';

register('./helpers/browser-codec-hooks.mjs', import.meta.url);

const codec = await import('../src/protocol/codec.js');
const protoCodec = await import('../src/protocol/proto-codec.js');
// test/proto-codec.test.ts as it is, against the browser codec.
await import('./proto-codec.test.js');

test('the swap is in place: proto-codec resolves to the browser codec', () => {
  // Only the Node codec's message types index their fields by name, for its encoder.
  const types = protoCodec.compileSchema('M a');
  assert.equal('byName' in types.M!, false);
});

test('a leading U+FEFF in a string is kept, as Node and protobufjs read it', () => {
  const bytes = codec.encodeCommand({ peerId: '\ufeffhi', directMessage: { msg: '\ufeff' } });
  const decoded = codec.decodeCommand(new Uint8Array(bytes));
  assert.equal(decoded.peerId, '\ufeffhi');
  assert.equal(decoded.directMessage?.msg, '\ufeff');
});

test('int64 numbers that are not integers or not finite are written as protobufjs wrote them', () => {
  for (const [value, expected] of [[1.9, 1], [-1.9, -1], [Number.NaN, 0], [Number.POSITIVE_INFINITY, 0]] as const) {
    const bytes = codec.encodeCommand({ ackMessage: { t: value } });
    assert.equal(codec.decodeCommand(bytes).ackMessage?.t, expected, String(value));
  }
});
