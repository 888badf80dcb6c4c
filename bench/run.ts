/**
 * `npm run bench`: throughput and latency of the realtime server, measured
 * over loopback against `lc-chat serve` running as its own process (as in
 * production), with raw protocol clients in this process.
 *
 * Prints: persisted messages accepted per second (acked after commit),
 * deliveries per second in a 100-member conversation, and send-to-receive
 * latency percentiles. Every loop is bounded in count and time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { clientsFor, createConversation, ms, percentiles, persistedAcks, queryLatency, rate, send, typicalQueries } from './lib.js';

const SETTINGS = {
  throughput: { clients: 20, messagesPerClient: 2000, inFlight: 32 },
  fanout: { members: 100, messages: 1000, senders: 4 },
  latency: { messages: 1000, intervalMs: 2 },
  room: { viewers: 2000, messages: 200 },
  query: { conversations: 10_000, queries: 200 },
};

/** Many clients, each pipelining sends to its own conversation; every ack waits for the commit. */
function throughput(server: ServerProcess) {
  return persistedAcks(server, SETTINGS.throughput);
}

/** A 100-member conversation, everyone online: how fast do pushes reach all of them? */
async function fanout(server: ServerProcess) {
  const { members, messages, senders } = SETTINGS.fanout;
  const ids = Array.from({ length: members }, (_, k) => `fan-${k}`);
  const clients = await clientsFor(server, ids);
  const cid = await createConversation(clients[0]!, ids);
  const expected = messages * (members - 1);
  let received = 0;
  const latencies: number[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  for (const client of clients) {
    client.onPush = (command) => {
      if (command.cmd !== CommandType.direct) return false;
      const sentAt = Number((JSON.parse(command.directMessage!.msg!) as { _lctext: string })._lctext);
      latencies.push(performance.now() - sentAt);
      if (++received === expected) resolveDone();
      return true;
    };
  }
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      for (let n = s; n < messages; n += senders) await send(clients[s]!, cid, String(performance.now()));
    }),
  );
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${received}/${expected} deliveries`)), 60_000))]);
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  return { deliveries: expected, seconds, perSecond: expected / seconds, latency: percentiles(latencies) };
}

/** One sender, one receiver, a steady trickle: the latency a chatting user sees. */
async function latency(server: ServerProcess) {
  const { messages, intervalMs } = SETTINGS.latency;
  const [sender, receiver] = await clientsFor(server, ['lat-a', 'lat-b']);
  const cid = await createConversation(sender!, ['lat-a', 'lat-b']);
  const samples: number[] = [];
  receiver!.onPush = (command) => {
    if (command.cmd !== CommandType.direct) return false;
    samples.push(performance.now() - Number((JSON.parse(command.directMessage!.msg!) as { _lctext: string })._lctext));
    return true;
  };
  for (let n = 0; n < messages; n++) {
    await send(sender!, cid, String(performance.now()));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  sender!.close();
  receiver!.close();
  if (samples.length !== messages) throw new Error(`received ${samples.length}/${messages}`);
  return percentiles(samples);
}

/** A chat room with 2,000 viewers online: deliveries per second of room messages. */
async function chatRoom(server: ServerProcess) {
  const { viewers, messages } = SETTINGS.room;
  const [host] = await clientsFor(server, ['room-host']);
  const started = await host!.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { transient: true } });
  const cid = started.convMessage!.cid!;
  const ids = Array.from({ length: viewers }, (_, k) => `viewer-${k}`);
  const audience = await clientsFor(server, ids);
  for (let n = 0; n < audience.length; n += 100) {
    await Promise.all(
      audience.slice(n, n + 100).map((viewer, k) =>
        viewer.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: [ids[n + k]!] } }),
      ),
    );
  }
  const expected = viewers * messages;
  let received = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  for (const viewer of audience) {
    viewer.onPush = (command) => {
      if (command.cmd !== CommandType.direct) return true;
      if (++received === expected) resolveDone();
      return true;
    };
  }
  const start = performance.now();
  for (let n = 0; n < messages; n++) {
    await host!.request({ cmd: CommandType.direct, priority: 2, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: `m${n}` }) } });
  }
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${received}/${expected} room deliveries`)), 120_000))]);
  const seconds = (performance.now() - start) / 1000;
  for (const client of [host!, ...audience]) client.close();
  return { deliveries: expected, seconds, perSecond: expected / seconds };
}

/** Conversation queries over 10,000 conversations: latency of typical lookups. */
async function queries(server: ServerProcess) {
  const { conversations, queries: count } = SETTINGS.query;
  const [client] = await clientsFor(server, ['q-owner']);
  for (let n = 0; n < conversations; n += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, conversations - n) }, (_, k) =>
        client!.request({
          cmd: CommandType.conv,
          op: OpType.start,
          convMessage: { m: [`q-user-${(n + k) % 500}`], attr: { data: JSON.stringify({ name: `room ${n + k}`, level: (n + k) % 100 }) } },
        }),
      ),
    );
  }
  const results = await queryLatency(client!, typicalQueries('q-user-', 500, conversations), count);
  client!.close();
  return results;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-bench-'));
  // One bench client creates and queries far more than a user may: lift its per-client quotas, and the
  // per-query time cap, which a query passes on a loaded machine (the bench measures, it does not refuse).
  const server = await startServerProcess(dataDir, 0, ['--conversations-per-minute', '1000000', '--max-query-ms-per-minute', '60000', '--max-query-ms', '1000']);
  try {
    console.log(`lc-chat bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, SQLite durability=process`);
    const tp = await throughput(server);
    console.log(`persisted messages accepted: ${rate(tp.perSecond)}/s  (${tp.total} messages, ${SETTINGS.throughput.clients} clients × ${SETTINGS.throughput.inFlight} in flight, ack after commit, ${tp.seconds.toFixed(2)} s)`);
    const fan = await fanout(server);
    console.log(`deliveries in a ${SETTINGS.fanout.members}-member conversation: ${rate(fan.perSecond)}/s  (${fan.deliveries} deliveries in ${fan.seconds.toFixed(2)} s; send-to-receive p50 ${ms(fan.latency.p50)}, p99 ${ms(fan.latency.p99)})`);
    const lat = await latency(server);
    console.log(`send-to-receive latency, 1:1 chat: p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}, max ${ms(lat.max)}  (${SETTINGS.latency.messages} messages)`);
    const room = await chatRoom(server);
    console.log(`chat-room deliveries to ${SETTINGS.room.viewers} viewers: ${rate(room.perSecond)}/s  (${room.deliveries} deliveries in ${room.seconds.toFixed(2)} s)`);
    for (const [kind, q] of Object.entries(await queries(server))) {
      console.log(`query over ${SETTINGS.query.conversations.toLocaleString('en-US')} conversations, ${kind}: p50 ${ms(q.p50)}, p99 ${ms(q.p99)}`);
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
