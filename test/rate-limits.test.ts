/**
 * Issue 15: messages per client per second and new connections per address
 * per second. The flooder is refused with LeanCloud's codes; its
 * neighbours (another client in the same conversation, another address)
 * are not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { RateLimiter } from '../src/server/session/rate-limits.js';
import { rawEnvironment } from './helpers/raw-env.js';

const MESSAGES_PER_SECOND = 5;
const CONNECTIONS_PER_SECOND = 4;
const env = rawEnvironment({ messagesPerSecond: MESSAGES_PER_SECOND, connectionsPerSecond: CONNECTIONS_PER_SECOND });
const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });

test('a client sending faster than messagesPerSecond is refused with 4116; its neighbour is not', async () => {
  const flooder = await env.login('rate-flooder');
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the connection budget of this address refills
  const neighbour = await env.login('rate-neighbour');
  const started = await flooder.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['rate-neighbour'] } });
  const cid = started.convMessage!.cid!;

  const replies = await Promise.all(Array.from({ length: 30 }, (_, n) => flooder.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(`flood ${n}`) } })));
  const acked = replies.filter((reply) => reply.cmd === CommandType.ack);
  const refused = replies.filter((reply) => reply.cmd === CommandType.error);
  assert.ok(acked.length >= MESSAGES_PER_SECOND && acked.length <= MESSAGES_PER_SECOND + 2, `a burst of one second's worth goes through (${acked.length})`);
  assert.equal(acked.length + refused.length, 30);
  assert.ok(refused.every((reply) => reply.errorMessage?.code === 4116 && reply.errorMessage.reason === 'MESSAGE_SENT_QUOTA_EXCEEDED'));

  // The neighbour, in the same conversation at the same time, sends its own budget untouched.
  const own = await Promise.all(Array.from({ length: MESSAGES_PER_SECOND }, (_, n) => neighbour.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(`calm ${n}`) } })));
  assert.ok(own.every((reply) => reply.cmd === CommandType.ack));
  // …and received every message the flooder had accepted, none it had not.
  const received: DecodedCommand[] = [];
  for (let n = 0; n < acked.length; n++) received.push(await neighbour.take((command) => command.cmd === CommandType.direct));
  assert.deepEqual(received.map((push) => push.directMessage?.id).sort(), acked.map((reply) => reply.ackMessage?.uid).sort());

  // The bucket refills: after a second the flooder may send again.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal((await flooder.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('later') } })).cmd, CommandType.ack);
});

function open(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'lc.protobuf2.3', { localAddress });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
    });
    ws.on('error', () => resolve(0));
  });
}

test('an address opening connections faster than connectionsPerSecond gets 429; another address does not', async () => {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const statuses = await Promise.all(Array.from({ length: 12 }, () => open(env.server.wsUrl, '127.0.0.1')));
  const accepted = statuses.filter((status) => status === 101).length;
  assert.ok(accepted >= CONNECTIONS_PER_SECOND && accepted <= CONNECTIONS_PER_SECOND + 1, `one second's worth accepted (${accepted})`);
  assert.equal(statuses.filter((status) => status === 429).length, 12 - accepted);
  // Another client on another address is unaffected.
  assert.equal(await open(env.server.wsUrl, '127.0.0.2'), 101);
  const metrics = await (await fetch(`${env.server.httpUrl}/metrics`)).text();
  assert.match(metrics, new RegExp(`^lc_connections_rate_limited_total ${12 - accepted}$`, 'm'));
});

test('RateLimiter.perSecond refills at its rate and holds one second of burst', () => {
  let now = 0;
  const limiter = RateLimiter.perSecond(10, 100, () => now);
  for (let n = 0; n < 10; n++) assert.equal(limiter.take('k'), 0);
  assert.ok(limiter.take('k') > 0, 'the eleventh in the same instant waits');
  now += 100;
  assert.equal(limiter.take('k'), 0, 'a tenth of a second buys one');
  assert.ok(limiter.take('k') > 0);
  now += 10_000;
  for (let n = 0; n < 10; n++) assert.equal(limiter.take('k'), 0);
  assert.ok(limiter.take('k') > 0, 'a long pause still holds only one second of burst');
});
