/**
 * A node that receives one Redis publication holding several messages of
 * a group (one sending node's turn) hands them to its sessions in one pass
 * over the recipients (gateway.ts `deliverRun`). Two nodes on the shared
 * Redis: a sender on node 1 pipelines a burst into a group whose members,
 * and a second device of the sender, are on node 2. Every member's session
 * gets every message once, in the order they were acked; the sending
 * session gets none back, the sender's other device gets them all. The test
 * listens on node 2's channel itself, to check that the burst did arrive
 * there as publications of several messages each (else it would test the
 * one-at-a-time path only).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { CommandType, OpType, decodeCommand } from '../src/protocol/codec.js';
import { decodeEnvelope } from '../src/server/broker/redis/envelope.js';
import { nodeChannel } from '../src/server/broker/redis/redis-names.js';
import { REDIS_HOST, SHARED_REDIS_PORT, startCluster, type Cluster } from './helpers/cluster.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP } from './helpers/server.js';

const BURST = 40;
const MEMBERS = ['batch-a', 'batch-b', 'batch-c'];

let cluster: Cluster;
let listener: Redis;
/** Messages (direct pushes; not the membership event of the start) per publication on node 2's channel. */
const publications: number[] = [];

before(async () => {
  cluster = await startCluster({ nodes: 2 });
  listener = new Redis({ host: REDIS_HOST, port: SHARED_REDIS_PORT });
  listener.on('smessageBuffer', (_channel: Buffer, message: Buffer) => {
    const envelope = decodeEnvelope(message);
    const deliveries = envelope?.kind === 'batch' ? envelope.deliveries : envelope?.kind === 'delivery' ? [envelope.delivery] : [];
    const messages = deliveries.filter((delivery) => decodeCommand(delivery.payload).cmd === CommandType.direct).length;
    if (messages > 0) publications.push(messages);
  });
  await listener.ssubscribe(nodeChannel(cluster.prefix, 'node2'));
});

after(async () => {
  listener?.disconnect();
  await cluster?.close();
});

test('a burst into a group reaches the members on another node once each, in order, handed out a publication at a time', { timeout: 120_000 }, async () => {
  const [first, second] = cluster.nodes;
  const sender = await RawClient.connect(first!.wsUrl);
  await sender.login(TEST_APP.appId, 'batch-sender');
  const otherDevice = await RawClient.connect(second!.wsUrl);
  await otherDevice.login(TEST_APP.appId, 'batch-sender');
  const members: RawClient[] = [];
  for (const id of MEMBERS) {
    const client = await RawClient.connect(second!.wsUrl);
    await client.login(TEST_APP.appId, id);
    members.push(client);
  }
  try {
    const started = await sender.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: MEMBERS } });
    const cid = started.convMessage!.cid!;
    // Pipelined, not one at a time: one commit acks several, and node 1 publishes a turn's messages together.
    const acks = await Promise.all(
      Array.from({ length: BURST }, (_, n) => sender.request({ cmd: CommandType.direct, directMessage: { cid, msg: `m${n}` } }, 30_000)),
    );
    for (const ack of acks) assert.equal(ack.cmd, CommandType.ack, `refused: ${ack.errorMessage?.reason}`);
    const expected = Array.from({ length: BURST }, (_, n) => `m${n}`);
    for (const [k, client] of [...members, otherDevice].entries()) {
      const got: string[] = [];
      while (got.length < BURST) {
        const push = await client.take((command) => command.cmd === CommandType.direct && command.directMessage?.cid === cid, 10_000);
        got.push(push.directMessage!.msg!);
      }
      assert.deepEqual(got, expected, `session ${k}: every message once, in order`);
    }
    // Nothing more: no duplicate arrives late, and the sending session got none of its own messages back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const client of [...members, otherDevice, sender]) {
      assert.deepEqual(client.drain().filter((command) => command.cmd === CommandType.direct && command.directMessage?.cid === cid), []);
    }
    assert.equal(publications.reduce((sum, count) => sum + count, 0), BURST, 'node 2 got each message in exactly one publication');
    assert.ok(publications.some((count) => count > 1), `some publication held several messages (${publications.join(', ')})`);
  } finally {
    for (const client of [sender, otherDevice, ...members]) client.close();
  }
});
