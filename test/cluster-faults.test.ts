/**
 * Issue 17, acceptance 2: losing things must not lose messages. Three
 * nodes on one PostgreSQL database and a Redis of this test's own (it is
 * restarted here; the machine's shared Redis is never touched), node 2
 * reaching it through a TCP proxy the test can cut. Three senders and three
 * recipients, one of each per node, all on our SDK with the list of the
 * three servers (it fails over in order and, after a reconnect, catches up
 * from history, deduplicated against live pushes). In each case a burst of
 * messages runs while something breaks:
 *   - node 3 is killed with SIGKILL;
 *   - node 2's Redis connection is cut for 5 s;
 *   - Redis is killed and started again (empty).
 * Afterwards every acked message has reached every recipient exactly once,
 * and nothing was delivered that is not in the history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Realtime, TextMessage, type Conversation, type IMClient, type Message } from '../src/sdk/index.js';
import { startFaultCluster, type Cluster, type ClusterNode, type FaultCluster, type PrivateRedis } from './helpers/cluster.js';
import { TEST_APP } from './helpers/server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { until } from './helpers/wait.js';

const SENDS_PER_SENDER = 30;
/** Between two sends of one sender: the burst lasts a few seconds, longer than the faults' start. */
const SEND_GAP_MS = 100;
/** Acked messages (of all senders together) before the fault strikes: mid-burst. */
const FAULT_AFTER_ACKS = 20;
/** Generous: a failure costs time, never a flake. */
const WAIT = 60_000;

let faults: FaultCluster;
let redis: PrivateRedis;
let proxy: TcpProxy;
let cluster: Cluster;
before(async () => {
  faults = await startFaultCluster(1);
  ({ redis, proxy, cluster } = faults);
});
after(async () => {
  await faults?.close();
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let run = 0;
/** The servers starting at `first`, then the others in order: where our SDK connects and fails over. */
const from = (first: number) => [0, 1, 2].map((k) => cluster.nodes[(first + k) % 3]!.wsUrl);

interface Burst {
  /** Message ids acked to the senders. */
  acked: Set<string>;
  /** Per recipient, every message id it got, in order (duplicates kept). */
  received: string[][];
  /** Ids in the conversation's history afterwards. */
  stored: Set<string>;
}

/**
 * Three senders and three recipients (one of each starting on each node)
 * in one group; every sender sends SENDS_PER_SENDER messages while `fault`
 * runs once FAULT_AFTER_ACKS are acked. Resolves when every recipient has
 * every acked message, or rejects after WAIT.
 */
async function burst(fault: (nodes: ClusterNode[]) => Promise<void>): Promise<Burst> {
  run += 1;
  const realtimes: Realtime[] = [];
  const login = (id: string, first: number): Promise<IMClient> => {
    const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: from(first) });
    realtimes.push(realtime);
    return realtime.createIMClient(id);
  };
  try {
    const senderIds = [0, 1, 2].map((k) => `sender-${run}-${k}`);
    const recipientIds = [0, 1, 2].map((k) => `recipient-${run}-${k}`);
    const senders = await Promise.all(senderIds.map((id, k) => login(id, k)));
    const recipients = await Promise.all(recipientIds.map((id, k) => login(id, k)));
    const group = await senders[0]!.createConversation({ members: [...senderIds, ...recipientIds], name: `burst ${run}` });
    const received = recipients.map(() => [] as string[]);
    recipients.forEach((recipient, k) =>
      recipient.on('message', (message: Message, conversation: Conversation) => {
        if (conversation.id === group.id) received[k]!.push(message.id);
      }),
    );
    const conversations = await Promise.all(senders.map(async (sender) => (await sender.getConversation(group.id))!));

    const acked = new Set<string>();
    let faultDone: Promise<void> | undefined;
    await Promise.all(
      conversations.map(async (conversation, k) => {
        for (let n = 0; n < SENDS_PER_SENDER; n++) {
          try {
            const sent = await conversation.send(new TextMessage(`${k}:${n}`));
            acked.add(sent.id);
          } catch {
            // Not acked (its node died, or the link was down): it may or may not be stored; it does not count.
            await delay(500);
          }
          if (acked.size >= FAULT_AFTER_ACKS && !faultDone) faultDone = fault(cluster.nodes);
          await delay(SEND_GAP_MS);
        }
      }),
    );
    await faultDone;
    assert.ok(acked.size >= SENDS_PER_SENDER, `most sends were acked (${acked.size})`);

    await until(
      () => received.every((ids) => [...acked].every((id) => ids.includes(id))),
      () => `every recipient has every acked message (${acked.size} acked; missing per recipient: ${received.map((ids) => [...acked].filter((id) => !ids.includes(id)).length).join(', ')})`,
      WAIT,
    );
    // Room for a late duplicate to show up before counting.
    await delay(2000);

    const stored = new Set<string>();
    for (const message of await conversations[0]!.queryMessages({ limit: 1000 })) stored.add(message.id);
    return { acked, received, stored };
  } finally {
    await Promise.allSettled(realtimes.map((realtime) => realtime.close()));
  }
}

function assertExactlyOnce({ acked, received, stored }: Burst): void {
  for (const id of acked) assert.ok(stored.has(id), `acked ${id} is stored`);
  received.forEach((ids, k) => {
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const twice = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
    assert.deepEqual(twice, [], `recipient ${k}: nothing delivered twice`);
    const missing = [...acked].filter((id) => !counts.has(id));
    assert.deepEqual(missing, [], `recipient ${k}: every acked message delivered`);
    const unknown = ids.filter((id) => !stored.has(id));
    assert.deepEqual(unknown, [], `recipient ${k}: nothing delivered that is not stored`);
  });
}

describe('faults mid-burst: every acked message reaches every online recipient exactly once', { timeout: 900_000 }, () => {
  test('a node killed with SIGKILL: its clients fail over to the next node and catch up', { timeout: 240_000 }, async () => {
    const result = await burst(async (nodes) => {
      await nodes[2]!.kill();
    });
    assertExactlyOnce(result);
    await cluster.nodes[2]!.start();
  });

  test('a node’s Redis connection cut for 5 s: its sessions are told to catch up', { timeout: 240_000 }, async () => {
    const result = await burst(async () => {
      proxy.cut();
      await delay(5000);
      proxy.restore();
    });
    assertExactlyOnce(result);
  });

  test('Redis killed and started again, empty: every node resubscribes and its sessions catch up', { timeout: 240_000 }, async () => {
    const result = await burst(async () => {
      await redis.kill();
      await delay(1000);
      await redis.start();
    });
    assertExactlyOnce(result);
  });
});
