/**
 * A double fault: node 1's link to Redis is cut, it goes on acking
 * messages (they are in the store) and holds their publications for the
 * other nodes in memory, and then it goes away before the link is back.
 * Members online on the other nodes must still get every acked message,
 * exactly once, without anyone reconnecting them by hand: being told to
 * reconnect (a gap notice, announced on the gone node's behalf from its
 * broker backlog row in the store) and catching up from history is the
 * repair.
 *
 * Three nodes on one PostgreSQL database and a Redis of this test's own,
 * node 1 reaching it through a TCP proxy the test cuts; our SDK's clients,
 * each knowing only its own node: the sender on node 1, one recipient on
 * node 2 and one on node 3.
 *   - SIGKILL: the presence's sweep claims node 1 dead and finds its row;
 *   - SIGTERM (a clean stop that cannot send what it holds): its row is
 *     marked stale and the next look of another node finds it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Realtime, TextMessage, type Conversation, type IMClient, type Message } from '../src/sdk/index.js';
import { startFaultCluster, type Cluster, type FaultCluster } from './helpers/cluster.js';
import { TEST_APP } from './helpers/server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { until } from './helpers/wait.js';

/** Messages acked on node 1 while its link is cut. */
const HELD = 10;
/** The brief's bound: the sweep (dead after 10 s) and a reconnect fit well inside it. */
const WAIT = 60_000;

let faults: FaultCluster;
let proxy: TcpProxy;
let cluster: Cluster;
before(async () => {
  faults = await startFaultCluster(0);
  ({ proxy, cluster } = faults);
});
after(async () => {
  await faults?.close();
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let run = 0;

/**
 * Logs the sender in on node 1 and a recipient on each other node, checks
 * the live path, cuts node 1's link, sends HELD messages (each acked), then
 * ends node 1 with `end`; resolves once both recipients have every acked
 * message, then checks each got each exactly once.
 */
async function heldThenGone(end: () => Promise<void>): Promise<void> {
  run += 1;
  const [one, two, three] = cluster.nodes;
  // Whatever the case before left behind (even a failure): node 1 up, and its link whole.
  proxy.restore();
  if (!one!.process) await one!.start();
  const realtimes: Realtime[] = [];
  const login = (id: string, servers: string[]): Promise<IMClient> => {
    const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: servers });
    realtimes.push(realtime);
    return realtime.createIMClient(id);
  };
  try {
    // On node 1 only: its messages must be the ones node 1 acked and held.
    const sender = await login(`sender-${run}`, [one!.wsUrl]);
    const recipientIds = [`on-two-${run}`, `on-three-${run}`];
    const recipients = [await login(recipientIds[0]!, [two!.wsUrl]), await login(recipientIds[1]!, [three!.wsUrl])];
    const group: Conversation = await sender.createConversation({ members: recipientIds, name: `backlog ${run}` });
    const received = recipients.map(() => [] as string[]);
    recipients.forEach((recipient, k) =>
      recipient.on('message', (message: Message, conversation: Conversation) => {
        if (conversation.id === group.id) received[k]!.push(message.id);
      }),
    );
    // The live path works before anything breaks.
    const first = await group.send(new TextMessage('before the cut'));
    await until(() => received.every((ids) => ids.includes(first.id)), () => 'the first message reached both recipients', WAIT);

    proxy.cut();
    // Node 1's connections to Redis are reset at once; give its broker a moment to see it.
    await delay(500);
    const acked = [first.id];
    for (let n = 0; n < HELD; n++) acked.push((await group.send(new TextMessage(`held ${n}`))).id);
    await end();

    await until(
      () => received.every((ids) => acked.every((id) => ids.includes(id))),
      () => `both recipients have every acked message (missing: ${received.map((ids) => acked.filter((id) => !ids.includes(id)).length).join(', ')} of ${acked.length})`,
      WAIT,
    );
    // Room for a late duplicate to show up before counting.
    await delay(2000);
    received.forEach((ids, k) => {
      assert.deepEqual([...ids].sort(), [...acked].sort(), `recipient ${k + 2}: every acked message exactly once`);
    });
  } finally {
    await Promise.allSettled(realtimes.map((realtime) => realtime.close()));
  }
}

describe('a node gone while its Redis link is down: what it acked still reaches the members online elsewhere', { timeout: 600_000 }, () => {
  test('killed with SIGKILL: the node that sweeps it announces its gap', { timeout: 240_000 }, async () => {
    await heldThenGone(() => cluster.nodes[0]!.kill());
  });

  test('stopped with SIGTERM, unable to send what it holds: its stale row is found at once', { timeout: 240_000 }, async () => {
    await heldThenGone(() => cluster.nodes[0]!.stop());
  });
});
