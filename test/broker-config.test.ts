/**
 * Issue 17: choosing the broker through the real CLI. A bad --broker is a
 * usage error (exit 2), an unreachable Redis stops `lc-chat serve` with one
 * line and exit 1 and never prints the password; a good one starts, says so
 * in the banner, beats into Redis, serves the received-deliveries counter,
 * and removes its entries when stopped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeBrokerLocation, parseBrokerLocation } from '../src/server/broker/open-broker.js';
import { encodeDelivery } from '../src/server/broker/redis/envelope.js';
import { dropPrefix, REDIS_URL, testPrefix, testRedis, waitUntil } from './helpers/redis.js';
import { TEST_APP } from './helpers/server.js';
import { startServerProcess } from './helpers/server-process.js';
import { freeLoopbackPort } from './helpers/tcp-proxy.js';
import { assertOneLine, serveFails } from './helpers/serve-fails.js';

const dirs: string[] = [];
const prefixes: string[] = [];
after(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await Promise.all(prefixes.map(dropPrefix));
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lc-chat-broker-config-'));
  dirs.push(dir);
  return dir;
}

test('--broker URLs: what parses, and how each bad one is refused', () => {
  assert.deepEqual(parseBrokerLocation('redis://127.0.0.1:6379'), { kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'lc:' });
  assert.deepEqual(parseBrokerLocation('rediss://u:pw@redis.example:6380/3?prefix=chat-a:'), { kind: 'redis', url: 'rediss://u:pw@redis.example:6380/3', prefix: 'chat-a:' });
  assert.equal(describeBrokerLocation(parseBrokerLocation('redis://u:pw@h:1/2?prefix=p:')), 'redis://u:***@h:1/2?prefix=p:');
  assert.equal(describeBrokerLocation({ kind: 'local' }), 'in-process');
  for (const [bad, reason] of [
    ['http://127.0.0.1:6379', /must be redis:\/\//],
    ['redis://127.0.0.1:6379/zero', /database number/],
    ['redis://127.0.0.1:6379?prefix=has space', /prefix must be/],
    ['redis://127.0.0.1:6379?prefix=', /prefix must be/],
    ['redis://127.0.0.1:6379?db=2', /unknown parameter "db"/],
    ['redis://:secret@[bad', /not a valid URL/],
  ] as const) {
    assert.throws(() => parseBrokerLocation(bad), reason, bad);
  }
  assert.throws(() => parseBrokerLocation('redis://:secret@[bad'), (error: Error) => !error.message.includes('secret'));
});

test('a bad --broker is a usage error (exit 2) with one line', { timeout: 60_000 }, async () => {
  const result = await serveFails(['--broker', 'amqp://127.0.0.1']);
  assert.equal(result.code, 2);
  assertOneLine(result, /^lc-chat: --broker must be redis:\/\/\[user:password@\]host:6379\[\/db\]\[\?prefix=<p>\]/);
  const fromEnv = await serveFails([], { LC_BROKER: 'redis://127.0.0.1:6379/x' });
  assert.equal(fromEnv.code, 2);
  assertOneLine(fromEnv, /database number/);
});

test('an unreachable Redis fails at start with one line and exit 1, never printing the password; the flag wins over LC_BROKER', { timeout: 60_000 }, async () => {
  const port = await freeLoopbackPort();
  const result = await serveFails(['--broker', `redis://default:s3cret-pw@127.0.0.1:${port}`], { LC_BROKER: 'nonsense://ignored' });
  assert.equal(result.code, 1);
  assertOneLine(result, new RegExp(`^lc-chat: cannot open the broker redis://default:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  assert.doesNotMatch(result.stderr, /s3cret-pw/);
});

test('a server on the Redis broker says so, beats into Redis, counts what it receives, and leaves nothing behind when stopped', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  prefixes.push(prefix);
  const redis = testRedis();
  const server = await startServerProcess(dataDir(), 0, ['--broker', `${REDIS_URL}?prefix=${prefix}`]);
  try {
    assert.match(server.output(), new RegExp(`broker\\s+${REDIS_URL.replaceAll('/', '\\/')}\\?prefix=${prefix}`));
    const nodes = await redis.zrange(`${prefix}nodes`, 0, -1);
    assert.equal(nodes.length, 1, 'the node beats under the prefix');

    // Another node's conversationChanged reaches this one through Redis: the counter says so.
    await redis.spublish(`${prefix}all`, encodeDelivery('another-node', { appId: TEST_APP.appId, clientIds: [], payload: new Uint8Array(0), conversationChanged: 'c1' }));
    const received = async () => {
      const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      return Number(/^lc_broker_deliveries_received_total (\d+)/m.exec(text)?.[1]);
    };
    await waitUntil(async () => (await received()) === 1, 'the metric counts the delivery');
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  try {
    assert.equal(await redis.zcard(`${prefix}nodes`), 0, 'a clean stop removes the node');
  } finally {
    redis.disconnect();
  }
});
