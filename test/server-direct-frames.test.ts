import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, decodeCommand, encodeCommand } from '../src/protocol/codec.js';
import { encodeDirectAck, encodeDirectPush } from '../src/server/handlers/direct-frames.js';
import { directOf } from '../src/server/handlers/direct.js';
import type { MessageRecord } from '../src/server/store/types.js';

function message(fields: Partial<MessageRecord> = {}): MessageRecord {
  return {
    appId: 'app',
    cid: '6750f1c2a3b4d5e6f7a8b9c0',
    id: 'AZkB2c3D4e5F6g7H8i9J0k',
    seq: 7,
    from: 'Tom',
    data: JSON.stringify({ _lctype: -1, _lctext: 'hello' }),
    timestamp: 1765065600123,
    dt: 'dt-1',
    receipt: false,
    mentionPids: [],
    mentionAll: false,
    patchTimestamp: null,
    ...fields,
  };
}

const SERVER_TS = 1765065600456;
const pushed = (m: MessageRecord, serverTs = SERVER_TS) => Buffer.from(encodeCommand({ cmd: CommandType.direct, serverTs, directMessage: directOf(m) }));
const acked = (i: number, peerId: string, uid: string, t: number) => Buffer.from(encodeCommand({ cmd: CommandType.ack, i, peerId, ackMessage: { uid, t } }));

const texts = {
  ascii: 'a persisted message of a typical size',
  empty: '',
  exactly40: 'x'.repeat(40),
  just41: 'y'.repeat(41),
  chinese: '你好，世界',
  emoji: '👋🏽 hi',
  loneSurrogate: 'bad \ud800 half',
  long: 'z'.repeat(1000),
  longUnicode: '长'.repeat(300),
  tooLongForTheSlab: 'w'.repeat(5000),
};

test('a push writes the bytes the codec writes for the same command, for every kind of text', () => {
  for (const [name, text] of Object.entries(texts)) {
    for (const m of [message({ data: text }), message({ from: text.slice(0, 64) || 'x' }), message({ cid: text.slice(0, 30) || 'c' })]) {
      assert.deepEqual(Buffer.from(encodeDirectPush(m, SERVER_TS)), pushed(m), name);
    }
  }
});

test('a push of a message off the common shape (binary, mentions, an edit) is the codec’s too', () => {
  for (const m of [
    message({ binary: true, data: Buffer.from([1, 2, 3, 250]).toString('base64') }),
    message({ mentionPids: ['Jerry', 'Tom'] }),
    message({ mentionAll: true }),
    message({ patchTimestamp: 1765065700000 }),
    message({ timestamp: 0 }),
  ]) {
    assert.deepEqual(Buffer.from(encodeDirectPush(m, SERVER_TS)), pushed(m));
  }
  assert.deepEqual(Buffer.from(encodeDirectPush(message(), 0)), pushed(message(), 0));
});

test('a push decodes to the message it was made of', () => {
  const m = message({ data: texts.chinese });
  const decoded = decodeCommand(encodeDirectPush(m, SERVER_TS));
  assert.equal(decoded.cmd, CommandType.direct);
  assert.equal(decoded.serverTs, SERVER_TS);
  assert.equal(decoded.directMessage?.msg, m.data);
  assert.equal(decoded.directMessage?.cid, m.cid);
  assert.equal(decoded.directMessage?.id, m.id);
  assert.equal(decoded.directMessage?.fromPeerId, m.from);
  assert.equal(decoded.directMessage?.timestamp, m.timestamp);
});

test('an ack writes the bytes the codec writes for the same command', () => {
  const ids = [0, 1, 127, 128, 16_383, 16_384, 2_147_483_647, -1, 1.5];
  for (const i of ids) assert.deepEqual(Buffer.from(encodeDirectAck(i, 'Tom', 'AZkB2c3D4e5F6g7H8i9J0k', 1765065600123)), acked(i, 'Tom', 'AZkB2c3D4e5F6g7H8i9J0k', 1765065600123), `i ${i}`);
  for (const peerId of ['', '汤姆', 'p'.repeat(64)]) assert.deepEqual(Buffer.from(encodeDirectAck(3, peerId, 'uid', 5)), acked(3, peerId, 'uid', 5), peerId);
  for (const t of [0, 1, 2 ** 53 - 1]) assert.deepEqual(Buffer.from(encodeDirectAck(3, 'Tom', 'uid', t)), acked(3, 'Tom', 'uid', t), `t ${t}`);
});

test('frames stay intact when many are written one after another (each a view of its own bytes)', () => {
  const frames = Array.from({ length: 2000 }, (_, k) => ({ k, push: encodeDirectPush(message({ seq: k, data: `message ${k}` }), SERVER_TS), ack: encodeDirectAck(k, 'Tom', `id-${k}`, k) }));
  for (const { k, push, ack } of frames) {
    assert.equal(decodeCommand(push).directMessage?.msg, `message ${k}`);
    assert.equal(decodeCommand(ack).i, k);
    assert.equal(decodeCommand(ack).ackMessage?.uid, `id-${k}`);
  }
});
