/**
 * Issue 17 for Web Push: two `lc-chat serve` processes on one PostgreSQL
 * database and one Redis (test/helpers/cluster.ts), started as an operator
 * would (https push services only; this one is on 127.0.0.1, named by
 * --push-hosts, its certificate trusted through NODE_EXTRA_CA_CERTS). A
 * browser subscribes through node 1; a message published through node 2
 * to the offline subscriber reaches the push service signed with the one
 * key pair both nodes serve. A subscription the push service calls gone
 * (410) is removed from the store by the node that sent, and node 1 no
 * longer pushes to it either.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { CommandType } from '../src/protocol/codec.js';
import { FAST_PRESENCE_ARGS, startCluster, type Cluster, type ClusterNode } from './helpers/cluster.js';
import { Browser, checkVapid, FakePushService, loopbackCertificate } from './helpers/push-service.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP } from './helpers/server.js';

const SUBJECT = 'mailto:ops@example.com';
const service = new FakePushService();
let cluster: Cluster;
let certDir = '';
const clients: RawClient[] = [];

before(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'lc-chat-push-tls-'));
  const tls = loopbackCertificate(certDir);
  await service.start(tls);
  cluster = await startCluster({
    nodes: 2,
    extraArgs: [...FAST_PRESENCE_ARGS, '--push-hosts', '127.0.0.1', '--push-subject', SUBJECT],
    env: { NODE_EXTRA_CA_CERTS: tls.cert },
  });
});

after(async () => {
  for (const client of clients) client.close();
  await cluster?.close();
  await service.close();
  rmSync(certDir, { recursive: true, force: true });
});

const node = (n: 1 | 2): ClusterNode => cluster.nodes[n - 1]!;

async function login(on: ClusterNode, id: string): Promise<{ client: RawClient; token: string }> {
  const client = await RawClient.connect(on.wsUrl);
  clients.push(client);
  const opened = await client.login(TEST_APP.appId, id);
  return { client, token: opened.sessionMessage!.st! };
}

async function rest(on: ClusterNode, method: string, path: string, body?: unknown): Promise<{ objectId?: string; results?: string[] }> {
  const response = await fetch(`${on.httpUrl}${path}`, {
    method,
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.masterKey},master`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as { objectId?: string; results?: string[] };
}

async function subscribe(on: ClusterNode, token: string, browser: Browser): Promise<void> {
  const response = await fetch(`${on.httpUrl}/push/subscriptions`, {
    method: 'POST',
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ subscription: browser.toJSON() }),
  });
  assert.equal(response.status, 200, await response.text());
}

async function send(client: RawClient, cid: string, alert: string): Promise<void> {
  const reply = await client.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: 'not in the push' }), pushData: JSON.stringify({ alert }) } });
  assert.equal(reply.cmd, CommandType.ack, JSON.stringify(reply.errorMessage));
}

async function endpointsInStore(clientId: string): Promise<string[]> {
  const sql = new pg.Client({ connectionString: cluster.database.url });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ endpoint: string }>('SELECT endpoint FROM push_subscriptions WHERE app_id = $1 AND client_id = $2 ORDER BY seq', [TEST_APP.appId, clientId]);
    return rows.map((row) => new URL(row.endpoint).pathname);
  } finally {
    await sql.end();
  }
}

test('subscribed through node 1, pushed by node 2 with the one key pair; a gone subscription is removed for both', { timeout: 120_000 }, async () => {
  const keys = await Promise.all([node(1), node(2)].map(async (on) => ((await (await fetch(`${on.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey));
  assert.equal(keys[0], keys[1], 'both nodes serve the one VAPID key');
  const publicKey = keys[0]!;

  // Bob subscribes two browsers through node 1, then goes offline.
  const bobBrowser = new Browser(`${service.url}/bob-1`);
  const goneBrowser = new Browser(`${service.url}/bob-gone`);
  const bob = await login(node(1), 'cwp-bob');
  await subscribe(node(1), bob.token, bobBrowser);
  await subscribe(node(1), bob.token, goneBrowser);
  bob.client.close();
  while ((await rest(node(2), 'POST', '/1.2/rtm/clients/check-online', { client_ids: ['cwp-bob'] })).results?.length !== 0) await sleep(50);
  service.answer = (request) => (request.path === '/bob-gone' ? 410 : 201);

  // Alice, on node 2, writes to Bob.
  const alice = await login(node(2), 'cwp-alice');
  const cid = (await rest(node(2), 'POST', '/1.2/rtm/conversations', { m: ['cwp-alice', 'cwp-bob'] })).objectId!;
  await send(alice.client, cid, 'from node 2');
  const [push] = await service.at('/bob-1', 1, 30_000);
  checkVapid(push!, publicKey, service.url, SUBJECT);
  assert.deepEqual(JSON.parse(bobBrowser.decrypt(push!.body)), { title: 'New message', body: 'from node 2', cid });

  // The push service said the other browser is gone: node 2 removed it from the store.
  await service.at('/bob-gone', 1, 30_000);
  for (let i = 0; (await endpointsInStore('cwp-bob')).includes('/bob-gone'); i++) {
    assert.ok(i < 600, 'the gone subscription is removed from the store');
    await sleep(50);
  }
  assert.deepEqual(await endpointsInStore('cwp-bob'), ['/bob-1']);

  // Carol, on node 1, writes to Bob: node 1 pushes to the browser still there, and not to the gone one.
  const carol = await login(node(1), 'cwp-carol');
  const other = (await rest(node(1), 'POST', '/1.2/rtm/conversations', { m: ['cwp-carol', 'cwp-bob'] })).objectId!;
  await send(carol.client, other, 'from node 1');
  const pushes = await service.at('/bob-1', 2, 30_000);
  checkVapid(pushes[1]!, publicKey, service.url, SUBJECT);
  assert.deepEqual(JSON.parse(bobBrowser.decrypt(pushes[1]!.body)), { title: 'New message', body: 'from node 1', cid: other });
  assert.equal(service.received.filter((request) => request.path === '/bob-gone').length, 1, 'nothing more was sent to the gone subscription');
});
