/**
 * `npm run bench` (second part): the rows of issue 11, each measured on
 * lc-chat and on a peer in the same run under the same load generator,
 * with the ratio. Servers run as their own processes; "per server
 * CPU-second" counts the CPU time of the server process alone (from
 * /proc), so the load generator sharing the machine does not count.
 *
 * `npx tsx bench/goals.ts [row…]` runs some rows only (room, persisted,
 * stalled, connections, storm, latency); `LC_CHAT_CPU_PROF=<dir>` writes a
 * CPU profile of the lc-chat server; `LC_GOALS_PERSISTED_PER_CLIENT` sets
 * the persisted row's messages per client (400: a run of 20,000; more
 * makes a figure that a loaded machine's noise moves less) and
 * `LC_BENCH_ROUNDS` its alternated rounds (5). The latency
 * row's load generator is its own (group-latency.ts): most receivers only count frames, in a
 * child process, and its CPU is printed beside the server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { CommandType, OpType, decodeCommand } from '../src/protocol/codec.js';
import { RawClient } from '../test/helpers/raw-client.js';
import { TEST_APP } from '../test/helpers/server.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { groupLatency, type LatencyResult } from './group-latency.js';
import { ROUNDS, cpuSeconds, median, openRelaySocket, relaySender } from './lib.js';

const PEERS = fileURLToPath(new URL('./peer-servers.ts', import.meta.url));

const SETTINGS = {
  room: { viewers: 2000, messages: 200, bytes: 120, inFlight: 10 },
  // warmUpPerClient: sent before the measured run, in its shape, so that V8's compiler is done (see persistedRate).
  persisted: { clients: 50, inFlight: 50, messagesPerClient: Number(process.env.LC_GOALS_PERSISTED_PER_CLIENT ?? 400), warmUpPerClient: 100 },
  stalled: { stalled: 10, comments: 10_240, bytes: 4096, inFlight: 10 },
  connections: { wanted: 20_000, storm: 5000, stormSeconds: 10 },
  latency: { members: 100, perSecond: 1000, seconds: 3, sampled: 10 },
};

// ---------------------------------------------------------------- processes

interface Target {
  name: string;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** Resident memory of the process in bytes, from /proc. */
function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

async function lcChat(extraArgs: string[] = []): Promise<Target & { server: ServerProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-goals-'));
  const server = await startServerProcess(dataDir, 0, ['--conversations-per-minute', '1000000', ...extraArgs]);
  return {
    name: 'lc-chat',
    pid: server.child.pid!,
    url: server.wsUrl,
    server,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function peer(kind: string): Promise<Target> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', PEERS, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`peer ${kind} exited (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    name: kind,
    pid: child.pid!,
    url: `ws://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---------------------------------------------------------------- room clients

/** A room as the load generator sees it, whatever the server. */
interface Room {
  /** Opens `count` viewers; each calls `onFrame` per delivery it gets. */
  addViewers(count: number, onFrame: (viewer: number, data: WebSocket.RawData, isBinary: boolean) => void): Promise<WebSocket[]>;
  /** Sends one message from the host; resolves on the server's ack. */
  send(payload: string, priority?: number): Promise<void>;
  close(): void;
}

async function inBatches<T>(count: number, size: number, make: (n: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let n = 0; n < count; n += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - n) }, (_, k) => make(n + k)))));
  return out;
}

async function lcChatRoom(url: string, prefix: string): Promise<Room> {
  const host = await RawClient.connect(url);
  await host.login(TEST_APP.appId, `${prefix}-host`);
  const started = await host.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { transient: true } });
  const cid = started.convMessage!.cid!;
  const viewers: RawClient[] = [];
  return {
    async addViewers(count, onFrame) {
      const added = await inBatches(count, 50, async (n) => {
        const viewer = await RawClient.connect(url);
        const id = `${prefix}-v${viewers.length + n}`;
        await viewer.login(TEST_APP.appId, id);
        await viewer.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: [id] } });
        // From here on count frames only: decoding 400,000 of them would load the machine we measure on.
        viewer.ws.removeAllListeners('message');
        viewer.ws.on('message', (data, isBinary) => onFrame(n, data, isBinary));
        return viewer;
      });
      viewers.push(...added);
      return added.map((viewer) => viewer.ws);
    },
    async send(payload, priority = 2) {
      const reply = await host.request({ cmd: CommandType.direct, priority, directMessage: { cid, msg: payload } });
      if (reply.cmd !== CommandType.ack) throw new Error(`send failed: ${reply.errorMessage?.reason}`);
    },
    close() {
      for (const client of [host, ...viewers]) client.close();
    },
  };
}

/** The bare `ws` peers: text frames `<id> <payload>`, acked `<id>`. */
async function wsRoom(url: string): Promise<Room> {
  const host = await openRelaySocket(url);
  const send = relaySender(host);
  const sockets: WebSocket[] = [host];
  return {
    async addViewers(count, onFrame) {
      const added = await inBatches(count, 50, async (n) => {
        const ws = await openRelaySocket(url);
        ws.on('message', (data, isBinary) => onFrame(n, data, isBinary));
        return ws;
      });
      sockets.push(...added);
      return added;
    },
    send,
    close() {
      for (const ws of sockets) ws.terminate();
    },
  };
}

/**
 * Socket.IO over its WebSocket transport, spoken with plain `ws` like the
 * others (Engine.IO v4 packets: `0` open, `2`/`3` ping/pong, `40` connect,
 * `42` event, `43` ack), so the load generator costs the same.
 */
async function socketIoRoom(url: string): Promise<Room> {
  const open = async (onEvent?: (data: WebSocket.RawData, isBinary: boolean) => void, onAck?: (id: number) => void) => {
    const ws = new WebSocket(`${url}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    const connected = new Promise<void>((resolve) => {
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? '' : (data as Buffer).toString('latin1', 0, 2);
        if (text === '42') onEvent?.(data, isBinary);
        else if (text === '43') onAck?.(Number.parseInt((data as Buffer).toString('latin1', 2, 14), 10));
        else if (text === '0{') ws.send('40');
        else if (text === '40') resolve();
        else if (text === '2') ws.send('3');
      });
    });
    await connected;
    return ws;
  };
  const acks = new Map<number, () => void>();
  const host = await open(undefined, (id) => acks.get(id)?.());
  const sockets: WebSocket[] = [host];
  let next = 0;
  return {
    async addViewers(count, onFrame) {
      const added = await inBatches(count, 50, (n) => open((data, isBinary) => onFrame(n, data, isBinary)));
      sockets.push(...added);
      return added;
    },
    send(payload) {
      const id = next++;
      return new Promise<void>((resolve) => {
        acks.set(id, () => {
          acks.delete(id);
          resolve();
        });
        host.send(`42${id}${JSON.stringify(['m', payload])}`);
      });
    },
    close() {
      for (const ws of sockets) ws.terminate();
    },
  };
}

async function roomOf(target: Target, prefix: string): Promise<Room> {
  if (target.name === 'lc-chat') return lcChatRoom(target.url, prefix);
  if (target.name === 'socketio') return socketIoRoom(target.url);
  return wsRoom(target.url);
}

/** Sends `count` messages with `inFlight` unacknowledged at most. */
async function pipeline(count: number, inFlight: number, sendOne: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await sendOne(next++);
    }),
  );
}

function deadline<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what())), ms)))]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- rows

interface Row {
  what: string;
  ours: string;
  peers: string[];
  goal: string;
  met: boolean | undefined;
}

const rows: Row[] = [];
const fmt = (value: number) => Math.round(value).toLocaleString('en-US');
/** Decimal megabytes, as the goals are written (2 MB is 2,000,000 bytes). */
const MB = 1_000_000;
const mb = (bytes: number) => `${(bytes / MB).toFixed(2)} MB`;

/** Chat-room deliveries per server CPU-second. */
async function roomRate(target: Target): Promise<number> {
  const { viewers, messages, bytes, inFlight } = SETTINGS.room;
  const room = await roomOf(target, 'goal-room');
  try {
    let received = 0;
    const expected = viewers * messages;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    await room.addViewers(viewers, () => {
      if (++received === expected) resolveDone();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    received = 0;
    const payload = 'x'.repeat(bytes);
    const cpu = cpuSeconds(target.pid);
    await pipeline(messages, inFlight, () => room.send(payload));
    await deadline(done, 120_000, () => `${target.name}: only ${received}/${expected} room deliveries`);
    return expected / (cpuSeconds(target.pid) - cpu);
  } finally {
    room.close();
  }
}

async function roomRow(): Promise<void> {
  const { viewers, messages, bytes, inFlight } = SETTINGS.room;
  const figures: Record<string, number> = {};
  for (const make of [() => lcChat(), () => peer('ws-each'), () => peer('ws-corked'), () => peer('socketio')]) {
    const target = await make();
    try {
      figures[target.name] = await roomRate(target);
    } finally {
      await target.stop();
    }
  }
  const ours = figures['lc-chat']!;
  const ratio = (name: string) => `${name} ${fmt(figures[name]!)} (×${(ours / figures[name]!).toFixed(2)})`;
  rows.push({
    what: `chat-room deliveries per server CPU-second, ${viewers} viewers × ${messages} messages of ${bytes} B, ${inFlight} in flight`,
    ours: fmt(ours),
    peers: [ratio('ws-each'), ratio('ws-corked'), ratio('socketio')],
    goal: '≥ 2.5 × ws-each',
    met: ours >= 2.5 * figures['ws-each']!,
  });
}

/** Persisted messages acked per server CPU-second: many clients pipelining into their own conversations. */
async function persistedRate(target: Target): Promise<number> {
  const { clients: count, inFlight, messagesPerClient, warmUpPerClient } = SETTINGS.persisted;
  const clients = await inBatches(count, 25, async (k) => {
    const client = await RawClient.connect(target.url);
    await client.login(TEST_APP.appId, `goal-p${k}`);
    return client;
  });
  try {
    const cids = await Promise.all(
      clients.map(async (client, k) => {
        if (target.name !== 'lc-chat') return `peer-conv-${k}`;
        const reply = await client.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [`goal-p${k}`, `goal-p${k}-peer`] } });
        return reply.convMessage!.cid!;
      }),
    );
    const text = JSON.stringify({ _lctype: -1, _lctext: 'a persisted message of a typical size' });
    const send = (messages: number, prefix: string) =>
      Promise.all(
        clients.map((client, k) =>
          pipeline(messages, inFlight, async (n) => {
            const reply = await client.request({ cmd: CommandType.direct, peerId: `goal-p${k}`, directMessage: { cid: cids[k]!, msg: text, dt: `${prefix}${k}-${n}` } }, 60_000);
            if (reply.cmd !== CommandType.ack) throw new Error(`${target.name}: send failed: ${reply.errorMessage?.reason}`);
          }),
        ),
      );
    // Not measured: 5,000 messages in the run's shape first. Without them the
    // run also paid V8's optimizing compiler for lc-chat's path (longer than
    // the minimal loop's), once per process, which is not a per-message cost.
    await send(warmUpPerClient, 'w');
    const cpu = cpuSeconds(target.pid);
    await send(messagesPerClient, 'p');
    return (count * messagesPerClient) / (cpuSeconds(target.pid) - cpu);
  } finally {
    for (const client of clients) client.close();
  }
}

async function persistedRow(): Promise<void> {
  const { clients, inFlight } = SETTINGS.persisted;
  const ours: number[] = [];
  const loop: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(await withTarget(lcChat(), persistedRate));
    loop.push(await withTarget(peer('sqlite-ack'), persistedRate));
  }
  const rounds = ROUNDS > 1 ? `, median of ${ROUNDS} alternated rounds (${ours.map(fmt).join(', ')})` : '';
  const loopRounds = ROUNDS > 1 ? `, median (${loop.map(fmt).join(', ')})` : '';
  rows.push({
    what: `persisted messages acked per server CPU-second, ${clients} clients × ${inFlight} in flight, ack after commit`,
    ours: `${fmt(median(ours))}${rounds}`,
    peers: [`minimal parse + SQLite group commit + ack ${fmt(median(loop))}${loopRounds} (×${(median(ours) / median(loop)).toFixed(2)})`],
    goal: '≥ 50,000',
    met: median(ours) >= 50_000,
  });
}

async function withTarget<T>(making: Promise<Target>, run: (target: Target) => Promise<T>): Promise<T> {
  const target = await making;
  try {
    return await run(target);
  } finally {
    await target.stop();
  }
}

async function health(target: Target): Promise<{ pendingBytes: number; maxPendingBytes: number; droppedFrames: number; slowConsumersCut: number }> {
  const response = await fetch(target.url.replace('ws:', 'http:') + '/health');
  return (await response.json()) as never;
}

/**
 * The server's memory growth under a stream of large comments with
 * `stalled` viewers whose sockets stopped reading; one viewer keeps
 * reading and must get every HIGH one.
 */
async function stalledHold(
  target: Target,
  stalled: number,
): Promise<{ growth: number; peakQueued: number; peakOneSocket: number; readerGot: number; highSent: number }> {
  const { comments, bytes, inFlight } = SETTINGS.stalled;
  const room = await roomOf(target, 'goal-stall');
  try {
    const reader = await room.addViewers(1, () => {});
    let readerGot = 0;
    // HIGH comments start with 'H' (the pushes do not carry their priority).
    const readerIsHigh = (data: WebSocket.RawData, isBinary: boolean) =>
      isBinary ? decodeCommand(new Uint8Array(data as Buffer)).directMessage?.msg?.startsWith('H') === true : data.toString().startsWith('H');
    reader[0]!.removeAllListeners('message');
    reader[0]!.on('message', (data, isBinary) => {
      if (readerIsHigh(data, isBinary)) readerGot += 1;
    });
    const stalledSockets = await room.addViewers(stalled, () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The socket stops reading: the kernel's buffers fill, then the server's.
    for (const ws of stalledSockets) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const rssBefore = rssBytes(target.pid);
    let peakRss = rssBefore;
    let peakQueued = 0;
    let peakOneSocket = 0;
    const payload = 'c'.repeat(bytes);
    const highPayload = 'H'.repeat(bytes);
    let highSent = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssBytes(target.pid));
      if (target.name !== 'lc-chat') return;
      void health(target).then((stats) => {
        peakQueued = Math.max(peakQueued, stats.pendingBytes);
        peakOneSocket = Math.max(peakOneSocket, stats.maxPendingBytes);
      }, () => {});
    }, 50);
    // Every tenth comment is HIGH (a gift, say): the reader must get all of those.
    await pipeline(comments, inFlight, (n) => {
      const high = n % 10 === 0;
      if (high) highSent += 1;
      return room.send(high ? highPayload : payload, high ? 1 : 2);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssBytes(target.pid));
    return { growth: peakRss - rssBefore, peakQueued, peakOneSocket, readerGot, highSent };
  } finally {
    room.close();
  }
}

async function stalledRow(): Promise<void> {
  const { stalled, comments, bytes } = SETTINGS.stalled;
  // The same stream with no stalled viewer: what the stream itself costs (buffers, garbage not yet collected).
  const held = async (making: () => Promise<Target>) => {
    const base = await withTarget(making(), (target) => stalledHold(target, 0));
    const run = await withTarget(making(), (target) => stalledHold(target, stalled));
    return { ...run, perStalled: Math.max(0, run.growth - base.growth) / stalled, baseGrowth: base.growth };
  };
  const ours = await held(() => lcChat());
  const bare = await held(() => peer('ws-each'));
  // Held per stalled viewer: its send queue at the most (the server's own
  // figure for its fullest socket), or the process's growth per viewer,
  // whichever is more.
  const perStalled = Math.max(ours.perStalled, ours.peakOneSocket);
  rows.push({
    what: `server memory held per stalled viewer, ${stalled} stalled under ${mb(comments * bytes)} of ${bytes / 1024} KB comments (the fullest send queue, or RSS growth beyond the same stream with none stalled per viewer, whichever is more)`,
    ours: `${mb(perStalled)} (fullest queue ${mb(ours.peakOneSocket)}; RSS ${mb(ours.growth)} against ${mb(ours.baseGrowth)} with none stalled, ${mb(ours.perStalled)} per viewer; all send queues at peak ${mb(ours.peakQueued)}; the reading viewer got ${ours.readerGot}/${ours.highSent} HIGH)`,
    peers: [`Centrifugo's default per-client queue 1.00 MB`, `bare ws ${mb(bare.perStalled)} (×${(perStalled / bare.perStalled).toFixed(2)})`],
    goal: '≤ 2 MB each',
    met: perStalled <= 2 * MB && ours.readerGot === ours.highSent,
  });
}

/** Raises nothing: what this process may open, from /proc (the hard limit cannot be raised without privileges we may lack). */
function fileLimit(pid: number | 'self'): number {
  const match = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return Number(match?.[1] ?? 1024);
}

/** Idle logged-in connections: server memory per connection. */
async function idleMemory(target: Target, count: number): Promise<number> {
  const before = rssBytes(target.pid);
  const sockets = await inBatches(count, 200, async (n) => {
    if (target.name !== 'lc-chat') {
      const ws = new WebSocket(target.url, { perMessageDeflate: false });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return ws;
    }
    const client = await RawClient.connect(target.url);
    await client.login(TEST_APP.appId, `idle-${n}`);
    // Idle: nothing more to decode.
    client.ws.removeAllListeners('message');
    return client.ws;
  });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const perConnection = (rssBytes(target.pid) - before) / count;
  for (const ws of sockets) ws.terminate();
  return perConnection;
}

async function connectionsRow(): Promise<void> {
  const { wanted } = SETTINGS.connections;
  const ours = await lcChat();
  let count = wanted;
  let perConnection = 0;
  try {
    // Both ends of every connection are on this machine: each process needs a descriptor per socket.
    const limit = Math.min(fileLimit(ours.pid), fileLimit('self'));
    count = Math.min(wanted, limit - 1000);
    perConnection = await idleMemory(ours, count);
  } finally {
    await ours.stop();
  }
  const bare = await withTarget(peer('ws-each'), (target) => idleMemory(target, count));
  rows.push({
    what: `server memory per idle logged-in connection, ${fmt(count)} connections${count < wanted ? ` (not ${fmt(wanted)}: the open-file limit here is ${fileLimit('self')} per process, hard, and both ends run here)` : ''}`,
    ours: `${(perConnection / 1024).toFixed(1)} KiB`,
    peers: [`bare ws, not logged in ${(bare / 1024).toFixed(1)} KiB (×${(perConnection / bare).toFixed(2)})`],
    goal: '≤ 10 KiB',
    met: perConnection <= 10 * 1024 && count >= wanted,
  });
}

/** 5,000 clients connect and log in within 10 s, evenly spread. */
async function stormRow(): Promise<void> {
  const { storm, stormSeconds } = SETTINGS.connections;
  const target = await lcChat();
  let errors = 0;
  let seconds = 0;
  const reasons = new Map<string, number>();
  try {
    const started = performance.now();
    const slice = 100;
    const clients: RawClient[] = [];
    const waits: Promise<void>[] = [];
    for (let n = 0; n < storm; n += slice) {
      const at = started + ((n / storm) * stormSeconds * 1000);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
      for (let k = n; k < Math.min(storm, n + slice); k++) {
        waits.push(
          RawClient.connect(target.url)
            .then(async (client) => {
              clients.push(client);
              await client.login(TEST_APP.appId, `storm-${k}`);
              client.ws.removeAllListeners('message');
            })
            .catch((error: unknown) => {
              errors += 1;
              const reason = error instanceof Error ? error.message.replace(/\d+/g, 'N') : String(error);
              reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
            }),
        );
      }
    }
    await Promise.all(waits);
    seconds = (performance.now() - started) / 1000;
    for (const client of clients) client.ws.terminate();
  } finally {
    await target.stop();
  }
  rows.push({
    what: `login storm: ${fmt(storm)} clients connecting and logging in over ${stormSeconds} s`,
    ours: `${errors} errors${errors ? ` (${[...reasons].map(([reason, n]) => `${n}× ${reason}`).join('; ')})` : ''}, all done in ${seconds.toFixed(1)} s`,
    peers: ['—'],
    goal: `no error, done within ${stormSeconds + 5} s`,
    met: errors === 0 && seconds <= stormSeconds + 5,
  });
}

/** p99 send→receive in a 100-member group at a steady rate (group-latency.ts), on lc-chat and on the bare `ws` relay. */
async function latencyRow(): Promise<void> {
  const { members, perSecond, sampled } = SETTINGS.latency;
  const ours = await withTarget(lcChat(), (target) => groupLatency(target, SETTINGS.latency));
  const bare = await withTarget(peer('ws-each'), (target) => groupLatency(target, SETTINGS.latency));
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  // What the generator itself cost, so a reader can tell whether it, and not the server, was in the way.
  const costs = (result: LatencyResult) => {
    const generator = result.generatorCpu.sender + result.generatorCpu.counters;
    const perWrite = result.serverWrites > 0 ? `, ${(result.delivered / result.serverWrites).toFixed(1)} deliveries per server write syscall` : '';
    return `server ${result.serverCpu.toFixed(2)} CPU-s${perWrite}, load generator ${generator.toFixed(2)} CPU-s (sender and ${sampled} decoding members ${result.generatorCpu.sender.toFixed(2)}, ${members - 1 - sampled} counting members ${result.generatorCpu.counters.toFixed(2)}) over ${result.wallSeconds.toFixed(1)} s`;
  };
  const figures = (result: LatencyResult) =>
    `p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)} (${fmt(result.samples)} timed; ${fmt(result.delivered)}/${fmt(result.expected)} delivered; ${costs(result)})`;
  rows.push({
    what: `send→receive in a ${members}-member group at ${fmt(perSecond)} messages/s (persisted, ack after commit; ${sampled} members decode and time, the rest count frames)`,
    ours: figures(ours),
    peers: [`bare ws relay, nothing stored: ${figures(bare)}`],
    goal: 'p99 < 10 ms',
    met: ours.p99 < 10 && ours.delivered === ours.expected,
  });
}

const ROWS: Record<string, () => Promise<void>> = {
  room: roomRow,
  persisted: persistedRow,
  stalled: stalledRow,
  connections: connectionsRow,
  storm: stormRow,
  latency: latencyRow,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(ROWS);
  console.log(`lc-chat goals (issue 11): node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; server CPU from /proc, load generator in this process (the latency row's also in a child)`);
  for (const name of names) {
    const row = ROWS[name];
    if (!row) throw new Error(`no row ${name}; rows: ${Object.keys(ROWS).join(', ')}`);
    await row();
    const last = rows[rows.length - 1]!;
    console.log(`\n${last.what}\n  lc-chat: ${last.ours}\n  peers:   ${last.peers.join('; ')}\n  goal:    ${last.goal}: ${last.met ? 'met' : 'NOT met'}`);
  }
}

await main();
