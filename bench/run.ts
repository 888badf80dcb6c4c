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
import { RawClient } from '../test/helpers/raw-client.js';
import { TEST_APP } from '../test/helpers/server.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';

const SETTINGS = {
  throughput: { clients: 20, messagesPerClient: 2000, inFlight: 32 },
  fanout: { members: 100, messages: 1000, senders: 4 },
  latency: { messages: 1000, intervalMs: 2 },
  room: { viewers: 2000, messages: 200 },
  query: { conversations: 10_000, queries: 200 },
};

async function clientsFor(server: ServerProcess, ids: string[]): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  // Connect in small batches: a thundering herd of handshakes is not what we measure.
  for (let n = 0; n < ids.length; n += 25) {
    const batch = await Promise.all(ids.slice(n, n + 25).map(() => RawClient.connect(server.wsUrl)));
    await Promise.all(batch.map((client, k) => client.login(TEST_APP.appId, ids[n + k]!)));
    clients.push(...batch);
  }
  return clients;
}

async function createConversation(client: RawClient, members: string[]): Promise<string> {
  const reply = await client.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: members } });
  if (!reply.convMessage?.cid) throw new Error(`conv start failed: ${reply.errorMessage?.reason}`);
  return reply.convMessage.cid;
}

function send(client: RawClient, cid: string, text: string, dt?: string) {
  return client.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: text }), ...(dt ? { dt } : {}) } });
}

/** Many clients, each pipelining sends to its own conversation; every ack waits for the commit. */
async function throughput(server: ServerProcess) {
  const { clients: count, messagesPerClient, inFlight } = SETTINGS.throughput;
  const ids = Array.from({ length: count }, (_, k) => `tp-${k}`);
  const clients = await clientsFor(server, ids);
  const cids = await Promise.all(clients.map((client, k) => createConversation(client, [ids[k]!, `tp-peer-${k}`])));
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, k) => {
      const window = new Set<Promise<unknown>>();
      for (let n = 0; n < messagesPerClient; n++) {
        const request = send(client, cids[k]!, `m${n}`, `tp-${k}-${n}`).then((reply) => {
          if (reply.cmd !== CommandType.ack) throw new Error(`send failed: ${reply.errorMessage?.reason}`);
        });
        window.add(request);
        void request.finally(() => window.delete(request));
        if (window.size >= inFlight) await Promise.race(window);
      }
      await Promise.all(window);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  const total = count * messagesPerClient;
  return { total, seconds, perSecond: total / seconds };
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
  const kinds: Record<string, () => Record<string, unknown>> = {
    'my conversations, newest first': () => ({ where: { data: JSON.stringify({ m: { $all: [`q-user-${Math.floor(Math.random() * 500)}`] } }) }, sort: '-lm', limit: 10 }),
    'by name': () => ({ where: { data: JSON.stringify({ name: `room ${Math.floor(Math.random() * conversations)}` }) }, limit: 1 }),
    'attribute range + sort': () => ({ where: { data: JSON.stringify({ level: { $gte: 90 } }) }, sort: '-createdAt', limit: 20 }),
  };
  const results: Record<string, ReturnType<typeof percentiles>> = {};
  for (const [kind, make] of Object.entries(kinds)) {
    const samples: number[] = [];
    for (let n = 0; n < count; n++) {
      const started = performance.now();
      const reply = await client!.request({ cmd: CommandType.conv, op: OpType.query, convMessage: make() });
      if (reply.cmd === CommandType.error) throw new Error(`query failed: ${reply.errorMessage?.detail}`);
      samples.push(performance.now() - started);
    }
    results[kind] = percentiles(samples);
  }
  client!.close();
  return results;
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1]! };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const rate = (value: number) => Math.round(value).toLocaleString('en-US');

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
