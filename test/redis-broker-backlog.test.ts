/**
 * The broker backlog (backlog-ledger.ts) in one process: Redis brokers on
 * the shared Redis under a test prefix standing for nodes, one reaching it
 * through a TCP proxy the test cuts, and a real PostgreSQL store of the
 * test's own, read through a connection of the test's own as another
 * process would.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { BacklogLedger, type BacklogStore } from '../src/server/broker/redis/backlog-ledger.js';
import { RedisBroker, type BrokerLog } from '../src/server/broker/redis/redis-broker.js';
import type { Delivery } from '../src/server/broker/types.js';
import { openPostgresStore } from '../src/server/store/postgres/postgres-store.js';
import type { Store } from '../src/server/store/types.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { REDIS_HOST, REDIS_PORT, REDIS_URL, testPrefix, waitUntil } from './helpers/redis.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

const APP = 'app1';
const BEAT_MS = 200;
const DEAD_MS = 1000;
const QUIET: BrokerLog = { warn() {}, error() {} };

let database: TestDatabase;
let store: Store;
let reader: pg.Client;
const brokers: RedisBroker[] = [];
const ledgers: BacklogLedger[] = [];
const proxies: TcpProxy[] = [];
before(async () => {
  database = await createTestDatabase();
  store = await openPostgresStore({ url: database.url });
  reader = new pg.Client({ connectionString: database.url });
  await reader.connect();
});
after(async () => {
  await Promise.all(brokers.map((broker) => broker.close()));
  await Promise.all(ledgers.map((ledger) => ledger.close()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await reader?.end();
  await store?.close();
  await database?.drop();
});

interface Node {
  broker: RedisBroker;
  got: Delivery[];
  gaps: number;
}

/** The store's backlog calls for one node id, counted. */
function counting(nodeId: string): { store: BacklogStore; writes: () => number } {
  let writes = 0;
  const counted: BacklogStore = {
    holdBrokerBacklog: (id, stale) => {
      if (id === nodeId) writes++;
      return store.holdBrokerBacklog(id, stale);
    },
    takeBrokerBacklog: (id) => {
      if (id === nodeId) writes++;
      return store.takeBrokerBacklog(id);
    },
    takeStaleBrokerBacklogs: (deadMs, limit) => store.takeStaleBrokerBacklogs(deadMs, limit),
  };
  return { store: counted, writes: () => writes };
}

async function node(prefix: string, nodeId: string, options: { proxied?: boolean; backlog?: BacklogStore; looks?: boolean } = {}): Promise<Node & { proxy?: TcpProxy; ledger?: BacklogLedger }> {
  let proxy: TcpProxy | undefined;
  if (options.proxied) {
    proxy = await startTcpProxy(REDIS_HOST, REDIS_PORT);
    proxies.push(proxy);
  }
  const ledger = options.backlog ? new BacklogLedger({ store: options.backlog, nodeId, beatMs: BEAT_MS, deadMs: DEAD_MS, log: QUIET }) : undefined;
  if (ledger) ledgers.push(ledger);
  const broker = await RedisBroker.open({ url: proxy ? `redis://127.0.0.1:${proxy.port}` : REDIS_URL, prefix, nodeId, ...(ledger ? { backlog: ledger } : {}) });
  brokers.push(broker);
  if (ledger && options.looks) ledger.start(broker);
  const n = { broker, got: [] as Delivery[], gaps: 0, ...(proxy ? { proxy } : {}), ...(ledger ? { ledger } : {}) };
  broker.subscribe((deliveries) => n.got.push(...deliveries));
  broker.onGap(() => n.gaps++);
  return n;
}

const payload = (text: string) => new TextEncoder().encode(text);
const text = (delivery: Delivery) => new TextDecoder().decode(delivery.payload);
const pushes = (n: Node) => n.got.filter((d) => d.conversationChanged === undefined);

async function rows(): Promise<Array<{ node_id: string; since: number; beat_at: number }>> {
  return (await reader.query('SELECT node_id, since::float8 AS since, beat_at::float8 AS beat_at FROM broker_backlog ORDER BY node_id')).rows;
}

async function settle(from: Node, ...others: Node[]): Promise<void> {
  await Promise.all([from, ...others].map((n) => n.broker.settled()));
  const marker = `settle-${Math.random()}`;
  await from.broker.publish({ appId: APP, clientIds: [], payload: new Uint8Array(0), conversationChanged: marker });
  await waitUntil(() => others.every((n) => n.got.some((d) => d.conversationChanged === marker)), 'the marker arrived');
}

test('a node holding publications has a row in the store before the first held publish resolves, beaten while it lasts, gone once they are sent; none while the link is up', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix, 'one');
  const counted = counting('two');
  const n2 = await node(prefix, 'two', { proxied: true, backlog: counted.store });
  n1.broker.follow({ kind: 'client', appId: APP, id: 'bob' });
  await settle(n2, n1);
  for (let k = 0; k < 20; k++) await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload(`up ${k}`) });
  await settle(n2, n1);
  assert.equal(counted.writes(), 0, 'no store write while the link is up');

  n2.proxy!.cut();
  await waitUntil(() => !n2.broker.connected, 'node two saw the link drop');
  await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('held 1') });
  // Resolved (the message would be acked now): the row is there for any other process to see.
  const [row] = await rows();
  assert.equal(row?.node_id, 'two');
  for (const word of ['held 2', 'held 3']) await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload(word) });
  assert.equal(counted.writes(), 1, 'one write for the outage, not one per publication');
  await waitUntil(async () => ((await rows())[0]?.beat_at ?? 0) > row!.beat_at, 'the row was beaten');

  // Taken by a sweeper that took node two for dead: its next beat writes it again, with a new start.
  assert.equal((await store.takeBrokerBacklog('two'))?.since, row!.since);
  await waitUntil(async () => (await rows()).length === 1, 'the row is back');
  assert.ok((await rows())[0]!.since > row!.since);

  n2.proxy!.restore();
  await waitUntil(() => pushes(n1).filter((d) => text(d).startsWith('held')).length === 3, 'node one got the held ones', 30_000);
  await waitUntil(async () => (await rows()).length === 0, 'the row is gone once they are sent');
  const writes = counted.writes();
  await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('up again') });
  await settle(n2, n1);
  assert.equal(counted.writes(), writes, 'none after it either');
  assert.equal(n1.gaps, 0, 'nothing was lost: no gap');
});

test('a node gone holding publications: the sweeper of its presence, or any node finding its row stale, tells every node (itself too) to catch up', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix, 'plain');
  const n3 = await node(prefix, 'sweeper', { backlog: store, looks: true });
  const n2 = await node(prefix, 'doomed', { proxied: true, backlog: store });
  await settle(n1, n2, n3);

  n2.proxy!.cut();
  await waitUntil(() => !n2.broker.connected, 'the doomed node saw the link drop');
  await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('held') });
  assert.deepEqual((await rows()).map((row) => row.node_id), ['doomed']);
  // The presence's sweep claimed it dead (alive here, but cut off: the same to the others).
  await n3.ledger!.nodeDied('doomed');
  await waitUntil(() => n1.gaps === 1 && n3.gaps === 1, 'both other nodes ran onGap, the announcer too');
  assert.deepEqual(await rows(), []);

  // Written again by its beat; then a clean stop that cannot send it marks it stale, and the sweeper's next look finds it.
  await waitUntil(async () => (await rows()).length === 1, 'the doomed node wrote its row again');
  await n2.broker.close();
  await waitUntil(() => n1.gaps === 2 && n3.gaps === 2, 'the stale row was announced', 10_000);
  assert.deepEqual(await rows(), []);
  assert.equal(n2.gaps, 0, 'the doomed node heard nothing: it was cut off');
});
