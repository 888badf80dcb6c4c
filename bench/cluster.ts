/**
 * `npm run bench:cluster` (part of `npm run bench`): what the Redis broker
 * costs (issue 17). The same load on the same machine, twice:
 *   - in-process: one `lc-chat serve` with the in-process broker;
 *   - Redis: two nodes with `--broker redis://…`, the sender on node 1 and
 *     every recipient on node 2, so every delivery crosses the Redis hop
 *     (the worst case: a node delivers to its own sessions without Redis).
 * Both on one PostgreSQL database each (created and dropped here), and a
 * redis-server of the bench's own on a free port, so that its `INFO cpu`
 * counts this load only and the machine's shared Redis is left alone.
 *
 * Figures: deliveries per server CPU-second (the CPU of the lc-chat
 * processes only, from /proc; summed over both nodes) for a 100-member
 * group and for a chat room; the send→receive latency at a steady rate
 * (p50/p99) and what the hop adds; Redis's own CPU per 1,000 deliveries.
 * They are the inputs of the capacity model in the README ("Many nodes").
 *
 * The group row keeps both deployments up and measures them in turns of
 * 500 messages (interleavedRounds); the other rows measure one deployment,
 * then the other.
 *
 * `npx tsx bench/cluster.ts [group|direct|room|latency…]` runs some rows only;
 * `LC_BENCH_ROUNDS=n` sets the group row's rounds (5).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type WebSocket from 'ws';
import { CommandType, OpType, decodeCommand } from '../src/protocol/codec.js';
import { startPrivateRedis, type PrivateRedis } from '../test/helpers/cluster.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/postgres.js';
import { RawClient } from '../test/helpers/raw-client.js';
import { TEST_APP } from '../test/helpers/server.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { readdirSync, readFileSync } from 'node:fs';
import { RedisBroker } from '../src/server/broker/redis/redis-broker.js';
import { ROUNDS, median, paced, percentiles, threadCpuSeconds } from './lib.js';

/**
 * Write syscalls (`syscw` in /proc/<pid>/io: write, writev, sendmsg) of a
 * process so far: on loopback each costs the writer the receiver's side of
 * the kernel too, so how many a delivery takes is the first thing to read
 * beside its CPU.
 */
function writeCalls(pid: number): number {
  try {
    return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * System CPU seconds of a process so far (`stime` in /proc/<pid>/stat, all
 * its threads), and its voluntary context switches summed over its threads
 * (each is a wake-up: a node that waits on I/O between small batches pays
 * one per batch, a busy one gathers more per wake-up).
 */
function systemSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) / 100;
  } catch {
    return 0;
  }
}

function wakeUps(pid: number): number {
  try {
    let sum = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) sum += Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'))?.[1] ?? 0);
    return sum;
  } catch {
    return 0;
  }
}

/**
 * CLOCK_MONOTONIC in microseconds: the clock V8 stamps a .cpuprofile's
 * samples with, the same in every process of the machine, so the measured
 * window printed with LC_CHAT_CPU_PROF picks the servers' samples of that
 * window out of their whole-run profiles (warm-up and logins left out).
 */
function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Calls so far of the fan-out script (EVALSHA) on the bench's Redis: per
 * group message, how many messages a call carried, i.e. how the sending
 * node's turns batched them (each call is one publication to the
 * recipients' node, and its deliveries leave that node's sockets together).
 */
async function fanoutCalls(port: number): Promise<number> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const info = await redis.info('commandstats');
    return Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(info)?.[1] ?? 0) + Number(/^cmdstat_eval:calls=(\d+)/m.exec(info)?.[1] ?? 0);
  } finally {
    redis.disconnect();
  }
}

const SETTINGS = {
  group: { members: 100, messages: 6000, inFlight: 10, warmup: 1000, slice: 500 },
  /**
   * The same group at a steady 400 messages/s: with ten in flight the
   * in-process node, the slower loop, gathers more messages per turn than
   * the two-node deployment does (whose sending node waits less), so it
   * writes more frames per socket write; at a set rate both see the same
   * arrivals per turn.
   */
  groupPaced: { members: 100, messages: 4000, perSecond: 400, warmup: 1000 },
  /** The broker pair alone: the sending node's turns of five group messages, as the group row's fan-out calls carry. */
  broker: { members: 100, messages: 20000, perTurn: 5, warmup: 4000 },
  room: { viewers: 500, messages: 600, inFlight: 10, warmup: 200 },
  direct: { messages: 2000, inFlight: 10, warmup: 1000 },
  latency: { members: 100, perSecond: 50, seconds: 4, sampled: 10 },
};
const fmt = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(2)} ms`;
const sleep = (time: number) => new Promise((resolve) => setTimeout(resolve, time));

/** One deployment under test: where the sender connects, where the recipients do, and the server processes. */
interface Deployment {
  name: 'in-process' | 'redis';
  senderUrl: string;
  recipientUrl: string;
  pids: number[];
  stop(): Promise<void>;
}

async function serve(database: TestDatabase, args: string[]): Promise<{ server: ServerProcess; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-bench-cluster-'));
  const server = await startServerProcess(dataDir, 0, ['--store', database.url, '--conversations-per-minute', '1000000', '--log-level', 'warn', ...args]);
  return {
    server,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function deploy(kind: Deployment['name'], redis: PrivateRedis): Promise<Deployment> {
  const database = await createTestDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    if (kind === 'in-process') {
      const one = await serve(database, []);
      stops.push(one.stop);
      return { name: kind, senderUrl: one.server.wsUrl, recipientUrl: one.server.wsUrl, pids: [one.server.child.pid!], stop: () => stopAll(stops, database) };
    }
    const broker = `redis://127.0.0.1:${redis.port}?prefix=bench-${randomBytes(4).toString('hex')}:`;
    const first = await serve(database, ['--broker', broker, '--node-id', 'bench1']);
    stops.push(first.stop);
    const second = await serve(database, ['--broker', broker, '--node-id', 'bench2']);
    stops.push(second.stop);
    return {
      name: kind,
      senderUrl: first.server.wsUrl,
      recipientUrl: second.server.wsUrl,
      pids: [first.server.child.pid!, second.server.child.pid!],
      stop: () => stopAll(stops, database),
    };
  } catch (error) {
    await stopAll(stops, database);
    throw error;
  }
}

async function stopAll(stops: (() => Promise<void>)[], database: TestDatabase): Promise<void> {
  await Promise.allSettled(stops.map((stop) => stop()));
  await database.drop();
}

async function connectAll(url: string, ids: string[]): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let n = 0; n < ids.length; n += 25) {
    const batch = await Promise.all(ids.slice(n, n + 25).map(() => RawClient.connect(url)));
    await Promise.all(batch.map((client, k) => client.login(TEST_APP.appId, ids[n + k]!)));
    clients.push(...batch);
  }
  return clients;
}

/** Sends `count` with at most `inFlight` unacked. */
async function pipeline(count: number, inFlight: number, sendOne: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < count) await sendOne(next++);
  }));
}

/** A sender on `senderUrl`, `size` recipients on `recipientUrl`, in a group or a chat room. */
async function audience(deployment: Deployment, kind: 'group' | 'room', size: number, prefix: string) {
  const [sender] = await connectAll(deployment.senderUrl, [`${prefix}-sender`]);
  const ids = Array.from({ length: size }, (_, k) => `${prefix}-${k}`);
  const recipients = await connectAll(deployment.recipientUrl, ids);
  let cid: string;
  if (kind === 'group') {
    const reply = await sender!.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [`${prefix}-sender`, ...ids] } });
    cid = reply.convMessage!.cid!;
  } else {
    const reply = await sender!.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { transient: true } });
    cid = reply.convMessage!.cid!;
    for (let n = 0; n < size; n += 50) {
      await Promise.all(recipients.slice(n, n + 50).map((client, k) => client.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: [ids[n + k]!] } })));
    }
  }
  // Membership events settle before counting frames.
  await sleep(500);
  const listen = (onFrame: (recipient: number, data: WebSocket.RawData, isBinary: boolean) => void) =>
    recipients.forEach((client, n) => {
      client.ws.removeAllListeners('message');
      client.ws.on('message', (data, isBinary) => onFrame(n, data, isBinary));
    });
  const send = async (text: string) => {
    const reply = await sender!.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: text }) } }, 60_000);
    if (reply.cmd !== CommandType.ack) throw new Error(`send failed: ${reply.errorMessage?.reason}`);
  };
  return {
    listen,
    send,
    close() {
      for (const client of [sender!, ...recipients]) client.close();
    },
  };
}

interface Rate {
  deliveries: number;
  serverCpu: number;
  /** CPU seconds of each node: the sender's first. */
  perNode: number[];
  /** Write syscalls of each node over the same span. */
  writesPerNode: number[];
  /** System CPU seconds of each node (part of perNode). */
  systemPerNode: number[];
  /** Voluntary context switches of each node's threads (wake-ups). */
  wakeUpsPerNode: number[];
  redisCpu: number;
  /** Messages sent in the window. */
  messages: number;
  /** Fan-out script calls in the window (Redis only). */
  fanoutCalls: number;
  perCpuSecond: number;
}

/**
 * How a row's messages are sent: `inFlight` at most unacked (a closed loop:
 * the next goes when an ack comes back), or `perSecond` at a steady rate
 * whatever the acks (an open loop, as many independent senders make).
 */
type Sending = { inFlight: number } | { perSecond: number };

type Crowd = Awaited<ReturnType<typeof audience>>;

/** A crowd counting its deliveries, warmed up: connections to Redis and PostgreSQL open, V8 done optimizing the hot paths. */
async function warmedUp(crowd: Crowd, size: number, warmup: number): Promise<{ received: number }> {
  const counter = { received: 0 };
  crowd.listen(() => (counter.received += 1));
  // With 20 messages, compiling was 26 to 30 % of the sender node's CPU in the window and 13 to 18 %
  // of the in-process node's: a cost each process pays once, which the Redis deployment paid twice,
  // not a cost per delivery.
  await pipeline(warmup, 10, () => crowd.send('warm-up'));
  for (let waited = 0; counter.received < warmup * size && waited < 30_000; waited += 20) await sleep(20);
  await sleep(300);
  return counter;
}

/**
 * Redis's own CPU per second with the nodes connected and nothing sent (its
 * cron, the nodes' pings and heartbeats): subtracted from each window, so
 * that the figure is what the deliveries cost.
 */
async function redisIdleRate(redis: PrivateRedis): Promise<number> {
  const from = await redis.cpuSeconds();
  const started = performance.now();
  await sleep(3000);
  return ((await redis.cpuSeconds()) - from) / ((performance.now() - started) / 1000);
}

/** Deliveries per server CPU-second, and Redis's CPU, for `messages` sends to `size` recipients: a fresh audience, warmed up, one window. */
async function deliveryRate(deployment: Deployment, redis: PrivateRedis, kind: 'group' | 'room', size: number, messages: number, sending: Sending, warmup: number): Promise<Rate> {
  const crowd = await audience(deployment, kind, size, `${deployment.name}-${kind}`);
  try {
    const counter = await warmedUp(crowd, size, warmup);
    return await measureWindow(deployment, redis, crowd, counter, size, messages, sending, await redisIdleRate(redis));
  } finally {
    crowd.close();
  }
}

/** One measured window: `messages` sends, until every delivery has arrived. */
async function measureWindow(deployment: Deployment, redis: PrivateRedis, crowd: Crowd, counter: { received: number }, size: number, messages: number, sending: Sending, redisIdlePerSecond: number): Promise<Rate> {
  counter.received = 0;
  const cpu = deployment.pids.map(threadCpuSeconds);
  const writes = deployment.pids.map(writeCalls);
  const system = deployment.pids.map(systemSeconds);
  const wakes = deployment.pids.map(wakeUps);
  const redisCpu = await redis.cpuSeconds();
  const callsBefore = await fanoutCalls(redis.port);
  const started = performance.now();
  const windowFrom = monotonicMicros();
  const expected = messages * size;
  const text = 'a message of a typical length, forty-odd bytes';
  if ('inFlight' in sending) await pipeline(messages, sending.inFlight, () => crowd.send(text));
  else await paced(messages, sending.perSecond, () => crowd.send(text));
  for (let waited = 0; counter.received < expected; waited += 20) {
    if (waited > 120_000) throw new Error(`${deployment.name}: only ${counter.received}/${expected} deliveries`);
    await sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  if (process.env.LC_CHAT_CPU_PROF) console.log(`  ${deployment.name}: measured window ${windowFrom}..${monotonicMicros()} µs (CLOCK_MONOTONIC, the clock of the servers' .cpuprofile timestamps)`);
  const perNode = deployment.pids.map((pid, k) => threadCpuSeconds(pid) - cpu[k]!);
  const writesPerNode = deployment.pids.map((pid, k) => writeCalls(pid) - writes[k]!);
  const systemPerNode = deployment.pids.map((pid, k) => systemSeconds(pid) - system[k]!);
  const wakeUpsPerNode = deployment.pids.map((pid, k) => wakeUps(pid) - wakes[k]!);
  const serverCpu = perNode.reduce((sum, used) => sum + used, 0);
  const redisUsed = deployment.name === 'redis' ? Math.max(0, (await redis.cpuSeconds()) - redisCpu - redisIdlePerSecond * seconds) : 0;
  const calls = (await fanoutCalls(redis.port)) - callsBefore;
  return { deliveries: expected, messages, serverCpu, perNode, writesPerNode, systemPerNode, wakeUpsPerNode, redisCpu: redisUsed, fanoutCalls: calls, perCpuSecond: expected / serverCpu };
}

/** The windows of one deployment added up. */
function sumRates(rates: readonly Rate[]): Rate {
  const add = (pick: (rate: Rate) => number[]) => pick(rates[0]!).map((_, k) => rates.reduce((sum, rate) => sum + pick(rate)[k]!, 0));
  const total = (pick: (rate: Rate) => number) => rates.reduce((sum, rate) => sum + pick(rate), 0);
  const deliveries = total((rate) => rate.deliveries);
  const serverCpu = total((rate) => rate.serverCpu);
  return {
    deliveries,
    messages: total((rate) => rate.messages),
    serverCpu,
    perNode: add((rate) => rate.perNode),
    writesPerNode: add((rate) => rate.writesPerNode),
    systemPerNode: add((rate) => rate.systemPerNode),
    wakeUpsPerNode: add((rate) => rate.wakeUpsPerNode),
    redisCpu: total((rate) => rate.redisCpu),
    fanoutCalls: total((rate) => rate.fanoutCalls),
    perCpuSecond: deliveries / serverCpu,
  };
}

/**
 * Both deployments up at once, measured in alternating slices of
 * `slice` messages (in-process, Redis, Redis, in-process, …, so that a
 * trend in the machine's load favours neither), `messages` per deployment
 * and round. Measured one after the other, 15 s apart (a deployment's
 * start and warm-up between them), a pair of windows moved from −5 % to
 * +89 % between back-to-back runs on this shared machine: what the other
 * processes did in those seconds, not what the broker costs.
 */
async function interleavedRounds(redis: PrivateRedis, members: number, messages: number, inFlight: number, warmup: number, slice: number): Promise<Record<Deployment['name'], Rate>[]> {
  const deployments: Deployment[] = [];
  try {
    for (const kind of ['in-process', 'redis'] as const) deployments.push(await deploy(kind, redis));
    const crowds: Crowd[] = [];
    try {
      for (const deployment of deployments) crowds.push(await audience(deployment, 'group', members - 1, `${deployment.name}-group`));
      const counters = [];
      for (const crowd of crowds) counters.push(await warmedUp(crowd, members - 1, warmup));
      const idle = await redisIdleRate(redis);
      const rounds: Record<Deployment['name'], Rate>[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const windows: Rate[][] = deployments.map(() => []);
        for (let s = 0; s < Math.ceil(messages / slice); s++) {
          const count = Math.min(slice, messages - s * slice);
          for (const k of s % 2 === 0 ? [0, 1] : [1, 0]) {
            windows[k]!.push(await measureWindow(deployments[k]!, redis, crowds[k]!, counters[k]!, members - 1, count, { inFlight }, idle));
          }
        }
        rounds.push({ 'in-process': sumRates(windows[0]!), redis: sumRates(windows[1]!) });
      }
      return rounds;
    } finally {
      for (const crowd of crowds) crowd.close();
    }
  } finally {
    await Promise.allSettled(deployments.map((deployment) => deployment.stop()));
  }
}

/** Send→receive at a steady rate in a group, sampled on some recipients. */
async function latency(deployment: Deployment): Promise<{ p50: number; p99: number; delivered: number; expected: number }> {
  const { members, perSecond, seconds, sampled } = SETTINGS.latency;
  const crowd = await audience(deployment, 'group', members - 1, `${deployment.name}-latency`);
  try {
    const samples: number[] = [];
    let delivered = 0;
    crowd.listen((n, data, isBinary) => {
      delivered += 1;
      if (n >= sampled) return;
      const command = decodeCommand(isBinary ? new Uint8Array(data as Buffer) : new Uint8Array(Buffer.from(data.toString(), 'base64')));
      const sentAt = Number(/t(\d+\.\d+)e/.exec(command.directMessage?.msg ?? '')?.[1] ?? NaN);
      if (!Number.isNaN(sentAt)) samples.push(performance.now() - sentAt);
    });
    await pipeline(20, 5, () => crowd.send('warm-up'));
    await sleep(1000);
    samples.length = 0;
    delivered = 0;
    const total = perSecond * seconds;
    await paced(total, perSecond, () => crowd.send(`t${performance.now().toFixed(3)}e`));
    await sleep(1500);
    const { p50, p99 } = percentiles(samples);
    return { p50, p99, delivered, expected: total * (members - 1) };
  } finally {
    crowd.close();
  }
}

/**
 * What the broker itself costs, apart from the gateway and the store: a
 * sending broker publishes group messages in turns (as a group commit
 * does), a receiving one holding every recipient hands them on. This
 * process's CPU per message is both brokers' (ioredis's encoding and
 * decoding, the envelopes, the socket writes to Redis), with much less
 * noise than the group row's, whose batching varies from run to run.
 */
async function brokerCost(redis: PrivateRedis, recipients: number, messages: number, perTurn: number, warmup: number): Promise<{ node: number; redis: number }> {
  const url = `redis://127.0.0.1:${redis.port}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  const sending = await RedisBroker.open({ url, prefix, nodeId: 'sending' });
  const receiving = await RedisBroker.open({ url, prefix, nodeId: 'receiving' });
  try {
    const ids = Array.from({ length: recipients }, (_, k) => `group-member-${k}`);
    for (const id of ids) receiving.follow({ kind: 'client', appId: TEST_APP.appId, id });
    await receiving.settled();
    let received = 0;
    receiving.subscribe((deliveries) => (received += deliveries.length));
    const payload = new Uint8Array(120).fill(7);
    const run = async (count: number) => {
      received = 0;
      for (let sent = 0; sent < count; sent += perTurn) {
        const turn: Promise<void>[] = [];
        for (let k = 0; k < perTurn; k++) turn.push(sending.publish({ appId: TEST_APP.appId, clientIds: ids, payload, excludeSessionId: 'the-sender' }));
        await Promise.all(turn);
      }
      for (let waited = 0; received < count; waited += 1) {
        if (waited > 60_000) throw new Error(`broker row: only ${received}/${count} received`);
        await sleep(1);
      }
    };
    await run(warmup);
    const from = process.cpuUsage();
    const redisFrom = await redis.cpuSeconds();
    await run(messages);
    const used = process.cpuUsage(from);
    const redisUsed = (await redis.cpuSeconds()) - redisFrom;
    return { node: (used.user + used.system) / messages, redis: (redisUsed * 1e6) / messages };
  } finally {
    await Promise.all([sending.close(), receiving.close()]);
  }
}

async function each<T>(redis: PrivateRedis, measure: (deployment: Deployment) => Promise<T>): Promise<Record<Deployment['name'], T>> {
  const results = {} as Record<Deployment['name'], T>;
  for (const kind of ['in-process', 'redis'] as const) {
    const deployment = await deploy(kind, redis);
    try {
      results[kind] = await measure(deployment);
    } finally {
      await deployment.stop();
    }
  }
  return results;
}

/** How much more server CPU per delivery the Redis deployment used than the in-process one, in %. */
function extraCpu(figures: Record<Deployment['name'], Rate>): number {
  return (figures['in-process'].perCpuSecond / figures.redis.perCpuSecond - 1) * 100;
}

function rateLines(what: string, figures: Record<Deployment['name'], Rate>): void {
  const local = figures['in-process'];
  const redis = figures.redis;
  const extra = extraCpu(figures);
  console.log(`\n${what}`);
  console.log(`  in-process broker, 1 node:  ${fmt(local.perCpuSecond)} deliveries per server CPU-second (${fmt(local.deliveries)} in ${local.serverCpu.toFixed(2)} s CPU)`);
  console.log(`  Redis broker, 2 nodes:      ${fmt(redis.perCpuSecond)} deliveries per server CPU-second (${fmt(redis.deliveries)} in ${redis.serverCpu.toFixed(2)} s CPU: sender's node ${redis.perNode[0]!.toFixed(2)} s, recipients' ${redis.perNode[1]!.toFixed(2)} s)`);
  const writes = (rate: Rate) => rate.writesPerNode.map((count) => ((count / rate.deliveries) * 1000).toFixed(0)).join(' + ');
  console.log(`  write syscalls per 1,000 deliveries: in-process ${writes(local)}; Redis ${writes(redis)} (sender's node + recipients')`);
  const system = (rate: Rate) => rate.systemPerNode.map((seconds) => seconds.toFixed(2)).join(' + ');
  console.log(`  system CPU, seconds:        in-process ${system(local)}; Redis ${system(redis)} (sender's node + recipients')`);
  const wakes = (rate: Rate) => rate.wakeUpsPerNode.map((count) => ((count / rate.messages) * 1000).toFixed(0)).join(' + ');
  console.log(`  wake-ups per 1,000 messages: in-process ${wakes(local)}; Redis ${wakes(redis)} (voluntary context switches, all threads)`);
  if (redis.fanoutCalls > 0) console.log(`  fan-out calls:              ${fmt(redis.fanoutCalls)}, ${(redis.messages / redis.fanoutCalls).toFixed(1)} messages per call`);
  console.log(`  server CPU per delivery:    ${extra >= 0 ? '+' : ''}${extra.toFixed(1)} % with Redis`);
  console.log(`  Redis CPU:                  ${((redis.redisCpu / redis.deliveries) * 1000 * 1000).toFixed(2)} ms per 1,000 deliveries (${redis.redisCpu.toFixed(3)} s for ${fmt(redis.deliveries)}, its idle rate subtracted)`);
}

const ROWS: Record<string, (redis: PrivateRedis) => Promise<void>> = {
  async group(redis) {
    const { members, messages, inFlight, warmup, slice } = SETTINGS.group;
    const rounds = await interleavedRounds(redis, members, messages, inFlight, warmup, slice);
    const extras = rounds.map(extraCpu);
    const middle = median(extras);
    // The round nearest the median is printed in full.
    const typical = rounds.reduce((best, round) => (Math.abs(extraCpu(round) - middle) < Math.abs(extraCpu(best) - middle) ? round : best));
    const what = `${members}-member group, ${messages} persisted messages, ${inFlight} in flight (goal: Redis ≤ +30 % server CPU per delivery)`;
    rateLines(rounds.length > 1 ? `${what}; the round nearest the median of ${rounds.length}` : what, typical);
    if (rounds.length > 1) {
      const percent = (extra: number) => `${extra >= 0 ? '+' : ''}${extra.toFixed(1)} %`;
      console.log(`  every round, in order:      ${extras.map(percent).join(', ')}`);
      console.log(`  median of the rounds:       ${percent(middle)} (goal ≤ +30 %: ${middle <= 30 ? 'met' : 'NOT met'})`);
    }
  },
  async 'group-paced'(redis) {
    const { members, messages, perSecond, warmup } = SETTINGS.groupPaced;
    const figures = await each(redis, (deployment) => deliveryRate(deployment, redis, 'group', members - 1, messages, { perSecond }, warmup));
    rateLines(`${members}-member group, ${messages} persisted messages at ${perSecond} per second (an open loop: the same arrivals per turn for both)`, figures);
  },
  async direct(redis) {
    const { messages, inFlight, warmup } = SETTINGS.direct;
    const figures = await each(redis, (deployment) => deliveryRate(deployment, redis, 'group', 1, messages, { inFlight }, warmup));
    rateLines(`one-to-one, ${messages} persisted messages, ${inFlight} in flight (a delivery is one SPUBLISH; the store append dominates)`, figures);
  },
  async room(redis) {
    const { viewers, messages, inFlight, warmup } = SETTINGS.room;
    const figures = await each(redis, (deployment) => deliveryRate(deployment, redis, 'room', viewers, messages, { inFlight }, warmup));
    rateLines(`chat room, ${viewers} viewers × ${messages} messages, ${inFlight} in flight`, figures);
  },
  async broker(redis) {
    const { members, messages, perTurn, warmup } = SETTINGS.broker;
    const cost = await brokerCost(redis, members - 1, messages, perTurn, warmup);
    console.log(`\nthe Redis broker alone, ${members}-member group, ${messages} messages in turns of ${perTurn} (two brokers in this process, no sockets to clients, no store)`);
    console.log(`  both brokers: ${cost.node.toFixed(1)} µs of CPU per message (${(cost.node / (members - 1)).toFixed(2)} µs per delivery); Redis ${cost.redis.toFixed(1)} µs per message`);
  },
  async latency(redis) {
    const { members, perSecond } = SETTINGS.latency;
    const figures = await each(redis, latency);
    const local = figures['in-process'];
    const hop = figures.redis;
    console.log(`\nsend→receive in a ${members}-member group at ${perSecond} messages/s (persisted, ack after commit)`);
    console.log(`  in-process broker, 1 node:  p50 ${ms(local.p50)}, p99 ${ms(local.p99)} (${fmt(local.delivered)}/${fmt(local.expected)} delivered)`);
    console.log(`  Redis broker, across nodes: p50 ${ms(hop.p50)}, p99 ${ms(hop.p99)} (${fmt(hop.delivered)}/${fmt(hop.expected)} delivered)`);
    console.log(`  added by the Redis hop:     p50 ${ms(hop.p50 - local.p50)}, p99 ${ms(hop.p99 - local.p99)}`);
  },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(ROWS);
  for (const name of names) if (!ROWS[name]) throw new Error(`no row ${name}; rows: ${Object.keys(ROWS).join(', ')}`);
  console.log(`lc-chat cluster bench (issue 17): node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; server CPU from /proc, load generator in this process, a private redis-server`);
  const redis = await startPrivateRedis();
  try {
    for (const name of names) await ROWS[name]!(redis);
  } finally {
    await redis.close();
  }
}

await main();
