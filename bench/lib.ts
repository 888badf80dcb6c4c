/** What the benchmarks share: protocol clients, sends, pacing, a process's CPU, percentiles and number formats. */
import { readFileSync, readdirSync } from 'node:fs';
import WebSocket from 'ws';
import { CommandType, OpType, has, type Command } from '../src/protocol/codec.js';
import { RawClient } from '../test/helpers/raw-client.js';
import { TEST_APP } from '../test/helpers/server.js';
import type { ServerProcess } from '../test/helpers/server-process.js';

export async function clientsFor(server: ServerProcess, ids: string[]): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  // Connect in small batches: a thundering herd of handshakes is not what we measure.
  for (let n = 0; n < ids.length; n += 25) {
    const batch = await Promise.all(ids.slice(n, n + 25).map(() => RawClient.connect(server.wsUrl)));
    await Promise.all(batch.map((client, k) => client.login(TEST_APP.appId, ids[n + k]!)));
    clients.push(...batch);
  }
  return clients;
}

export async function createConversation(client: RawClient, members: string[]): Promise<string> {
  const reply = await client.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: members } });
  if (!reply.convMessage?.cid) throw new Error(`conv start failed: ${reply.errorMessage?.reason}`);
  return reply.convMessage.cid;
}

function directCommand(cid: string, text: string, dt?: string): Command {
  return { cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: text }), ...(dt ? { dt } : {}) } };
}

export function send(client: RawClient, cid: string, text: string, dt?: string) {
  return client.request(directCommand(cid, text, dt));
}

/** Serials of `sendAcked`, above any `request` of a bench client. */
const PIPELINE_SERIALS = 1 << 24;

/**
 * Sends `count` commands on `client`, `inFlight` at a time, each next one
 * when an earlier one is acked; rejects on the first reply that is not an
 * ack. Without a timer, a closure and a promise per message, as
 * `RawClient.request` has: the generator shares the two cores with the
 * server and the database, and with them cost about as much CPU per
 * message as the database did.
 */
function sendAcked(client: RawClient, count: number, inFlight: number, command: (n: number) => Command): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let acked = 0;
    const sendNext = () => {
      const n = sent++;
      client.send({ ...command(n), i: PIPELINE_SERIALS + n });
    };
    const done = (error?: Error) => {
      clearTimeout(timer);
      client.onPush = undefined;
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`${acked} of ${count} acked after 120 s`)), 120_000);
    client.onPush = (reply) => {
      if (!has(reply, 'i') || reply.i < PIPELINE_SERIALS) return false;
      if (reply.cmd !== CommandType.ack) done(new Error(`send failed: ${reply.errorMessage?.reason}`));
      else if (++acked === count) done();
      else if (sent < count) sendNext();
      return true;
    };
    for (let w = 0; w < Math.min(inFlight, count); w++) sendNext();
  });
}

/** Many clients, each pipelining sends to its own conversation; every ack waits for the commit. */
export async function persistedAcks(
  server: ServerProcess,
  settings: { clients: number; messagesPerClient: number; inFlight: number; prefix?: string },
  /** Called once the clients are logged in and their conversations exist, just before the first send: where CPU readings start. */
  beforeSending?: () => Promise<void>,
) {
  const { clients: count, messagesPerClient, inFlight } = settings;
  const prefix = settings.prefix ?? 'tp';
  const ids = Array.from({ length: count }, (_, k) => `${prefix}-${k}`);
  const clients = await clientsFor(server, ids);
  const cids = await Promise.all(clients.map((client, k) => createConversation(client, [ids[k]!, `${prefix}-peer-${k}`])));
  await beforeSending?.();
  const started = performance.now();
  await Promise.all(clients.map((client, k) => sendAcked(client, messagesPerClient, inFlight, (n) => directCommand(cids[k]!, `m${n}`, `${prefix}-${k}-${n}`))));
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  const total = count * messagesPerClient;
  return { total, seconds, perSecond: total / seconds };
}

/**
 * The conversation queries the benches time: a user's conversations newest
 * first, one by name, an attribute range sorted by creation. Users are
 * `<userPrefix><0..users-1>`, conversations named `room <n>` with a numeric `level` attribute.
 */
export function typicalQueries(userPrefix: string, users: number, conversations: number): Record<string, () => Record<string, unknown>> {
  return {
    'my conversations, newest first': () => ({ where: { data: JSON.stringify({ m: { $all: [`${userPrefix}${Math.floor(Math.random() * users)}`] } }) }, sort: '-lm', limit: 10 }),
    'by name': () => ({ where: { data: JSON.stringify({ name: `room ${Math.floor(Math.random() * conversations)}` }) }, limit: 1 }),
    'attribute range + sort': () => ({ where: { data: JSON.stringify({ level: { $gte: 90 } }) }, sort: '-createdAt', limit: 20 }),
  };
}

/** Each query kind `count` times in a row, one at a time: latency percentiles per kind. */
export async function queryLatency(client: RawClient, kinds: Record<string, () => Record<string, unknown>>, count: number) {
  const results: Record<string, ReturnType<typeof percentiles>> = {};
  for (const [kind, make] of Object.entries(kinds)) {
    const samples: number[] = [];
    for (let n = 0; n < count; n++) {
      const started = performance.now();
      const reply = await client.request({ cmd: CommandType.conv, op: OpType.query, convMessage: make() });
      if (reply.cmd === CommandType.error) throw new Error(`query failed: ${reply.errorMessage?.detail}`);
      samples.push(performance.now() - started);
    }
    results[kind] = percentiles(samples);
  }
  return results;
}

export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1]! };
}

/**
 * Alternated rounds of the rows that report a median (`LC_BENCH_ROUNDS`,
 * default 5: bench/cluster.ts group, bench/goals.ts persisted), each on
 * fresh processes: on the two-core machine one pair of the group row moved
 * from −5 % to +89 % between back-to-back runs, and the persisted row's
 * peer by a fifth, so a single run cannot say whether a goal is met.
 */
export const ROUNDS = Math.max(1, Number(process.env.LC_BENCH_ROUNDS ?? 5));

/** The median (of an even count, the mean of the two middle values): what a noisy machine's rounds report. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const rate = (value: number) => Math.round(value).toLocaleString('en-US');


/**
 * CPU seconds every thread of a process has spent on a CPU so far, from
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds; /proc/<pid>/stat counts
 * 10 ms ticks, too coarse for windows of a few hundred milliseconds).
 * Threads that ended are not counted (a node's threads live as long as
 * it); 0 if the process is gone.
 */
export function threadCpuSeconds(pid: number): number {
  let nanos = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        nanos += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    return 0;
  }
  return nanos / 1e9;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) a process has used so far, from /proc; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * Calls `send` `total` times at `perSecond`, paced by the clock (whatever a
 * timer's lateness, the rate holds), and waits for every send.
 */
export async function paced(total: number, perSecond: number, send: () => Promise<void>): Promise<void> {
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
    for (; n < due; n++) sends.push(send());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(sends);
}

/** A socket to one of the bare `ws` peers (peer-servers.ts), once open. */
export async function openRelaySocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return ws;
}

/** Sends to a bare `ws` peer as text frames `<id> <payload>`; each resolves when the peer acks `<id>`. */
export function relaySender(ws: WebSocket): (payload: string) => Promise<void> {
  const acks = new Map<string, () => void>();
  ws.on('message', (data) => acks.get(data.toString())?.());
  let next = 0;
  return (payload) => {
    const id = String(next++);
    return new Promise<void>((resolve) => {
      acks.set(id, () => {
        acks.delete(id);
        resolve();
      });
      ws.send(`${id} ${payload}`);
    });
  };
}
