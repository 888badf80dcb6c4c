/**
 * The ack gate's rules on their own (src/server/session/ack-gate.ts); the
 * official SDKs against a real server are in official-coalesced-pushes.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AckGate, heldByGate, objectIdsOf, takesAckGate } from '../src/server/session/ack-gate.js';

const bytes = (n: number) => new Uint8Array([n]);

function gate(limits = { maxHoldMs: 60_000, maxHeldBytes: 1024 }) {
  const sent: number[] = [];
  const ackGate = new AckGate((b) => sent.push(b[0]!), limits);
  const push = (cid: string, timestamp: number, n: number, from = 'tom', transient = false) => {
    if (!heldByGate(ackGate, 'jerry', { cid, timestamp, from, transient }, () => bytes(n))) sent.push(n);
  };
  return { ackGate, sent, push };
}

test('pushes of a conversation asked for while earlier ones are unacked wait for the ack up to the last of those', () => {
  const { ackGate, sent, push } = gate();
  push('c', 10, 0);
  push('c', 11, 1);
  ackGate.asked(['c']);
  push('c', 12, 2);
  push('other', 12, 9);
  push('c', 13, 3);
  assert.deepEqual(sent, [0, 1, 9], 'the other conversation is not held');
  ackGate.acked('c', 10);
  assert.deepEqual(sent, [0, 1, 9], 'an ack short of the last one pushed before leaves them waiting');
  ackGate.acked('c', 11);
  assert.deepEqual(sent, [0, 1, 9, 2, 3]);
  push('c', 14, 4);
  assert.deepEqual(sent, [0, 1, 9, 2, 3, 4], 'open again');
  ackGate.asked(['c']);
  push('c', 15, 5);
  assert.deepEqual(sent, [0, 1, 9, 2, 3, 4, 5], 'asked again: the SDK had it cached already, nothing waits');
  ackGate.close();
});

test('nothing waits when every push was acked, or when the client will not ack them', () => {
  const { ackGate, sent, push } = gate();
  push('c', 10, 0);
  ackGate.acked('c', 10);
  ackGate.asked(['c']);
  push('c', 11, 1);
  ackGate.asked(['c']);
  push('d', 11, 2, 'jerry');
  push('e', 11, 3, 'tom', true);
  ackGate.asked(['d', 'e']);
  push('d', 12, 4, 'jerry');
  push('e', 12, 5, 'tom', true);
  assert.deepEqual(sent, [0, 1, 2, 3, 4, 5]);
  assert.equal(ackGate.awaitsAcks, true, 'c at 11 is not acked yet');
  ackGate.acked('c', 11);
  assert.equal(ackGate.awaitsAcks, false);
  ackGate.close();
});

test('what waits goes out past the byte bound, or after maxHoldMs', async () => {
  const bySize = gate({ maxHoldMs: 60_000, maxHeldBytes: 2 });
  bySize.push('c', 10, 0);
  bySize.ackGate.asked(['c']);
  bySize.push('c', 11, 1);
  bySize.push('c', 12, 2);
  assert.deepEqual(bySize.sent, [0]);
  bySize.push('c', 13, 3);
  assert.deepEqual(bySize.sent, [0, 1, 2, 3], 'three bytes held: over the bound, all go in order');
  bySize.ackGate.close();

  const byTime = gate({ maxHoldMs: 20, maxHeldBytes: 1024 });
  byTime.push('c', 10, 0);
  byTime.ackGate.asked(['c']);
  byTime.push('c', 11, 1);
  for (let tries = 0; tries < 500 && byTime.sent.length < 2; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(byTime.sent, [0, 1]);
  assert.equal(byTime.ackGate.timedOut, 1);
  byTime.ackGate.close();
});

test('the byte bound is one per session: gates of several conversations together release everything when over it', () => {
  const { ackGate, sent, push } = gate({ maxHoldMs: 60_000, maxHeldBytes: 2 });
  push('c', 10, 0);
  push('d', 10, 1);
  ackGate.asked(['c', 'd']);
  push('c', 11, 2);
  push('d', 11, 3);
  assert.deepEqual(sent, [0, 1], 'two bytes held, one per conversation: within the bound');
  push('d', 12, 4);
  assert.deepEqual(sent, [0, 1, 2, 3, 4], 'a third byte: every gate opens, each conversation in its order');
  push('c', 13, 5);
  assert.deepEqual(sent, [0, 1, 2, 3, 4, 5], 'and they stay open');
  ackGate.close();
});

test('a query naming any number of ids is remembered up to a bound, and past it still gates what is unacked', () => {
  const { ackGate, sent, push } = gate();
  ackGate.asked(Array.from({ length: 100_000 }, (_, k) => `fake-${k}`));
  push('c', 10, 0);
  ackGate.asked(['c']);
  push('c', 11, 1);
  assert.deepEqual(sent, [0], 'a conversation first asked for after the bound still waits for its ack');
  ackGate.acked('c', 10);
  assert.deepEqual(sent, [0, 1]);
  ackGate.close();
});

test('which SDKs and which queries', () => {
  assert.deepEqual(['js/4.3.1', 'js/3.5.7', 'lc-chat/0.1.0', '', 'ios/6.0'].map(takesAckGate), [true, true, false, false, false]);
  assert.deepEqual(objectIdsOf('{"objectId":"a"}'), ['a']);
  assert.deepEqual(objectIdsOf('{"objectId":{"$in":["a","b",3]}}'), ['a', 'b']);
  assert.deepEqual(objectIdsOf('{"m":{"$all":["x"]}}'), []);
  assert.deepEqual(objectIdsOf('{not json objectId'), []);
  assert.deepEqual(objectIdsOf(undefined), []);
});
