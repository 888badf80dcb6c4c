/**
 * The latency row of `bench/goals.ts`: send→receive in a group at a steady
 * rate, with a load generator cheap enough to measure the server rather
 * than itself.
 *
 * One member sends, paced by the clock; `sampled` members are full clients
 * in this process (WebSocket parsing and protobuf decoding, as an SDK
 * does) and time every message they get against the send time, taken by
 * the same clock. The other members run in a child process
 * (raw-members.ts) and only count the frames in their TCP streams: the
 * server writes them every byte all the same. The generator's own CPU
 * (this process and the child) is measured and reported beside the
 * server's, for lc-chat and for the bare `ws` relay alike.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { CommandType, OpType, decodeCommand } from '../src/protocol/codec.js';
import { RawClient } from '../test/helpers/raw-client.js';
import { TEST_APP } from '../test/helpers/server.js';
import { cpuSeconds, openRelaySocket, paced, percentiles, relaySender } from './lib.js';

const RAW_MEMBERS = fileURLToPath(new URL('./raw-members.ts', import.meta.url));

export interface LatencySettings {
  members: number;
  perSecond: number;
  seconds: number;
  /** Members that decode everything and time it; the rest only count frames. */
  sampled: number;
}

export interface LatencyResult {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  delivered: number;
  expected: number;
  /** Wall-clock seconds from the first send to the last count. */
  wallSeconds: number;
  /** CPU seconds of the server process over the run. */
  serverCpu: number;
  /** Write syscalls of the server process over the run (its sockets' writes and writevs, and its store's), 0 if unknown. */
  serverWrites: number;
  /** CPU seconds of the load generator over the run: this process (sender and sampled members) and the counting members' process. */
  generatorCpu: { sender: number; counters: number };
}

/**
 * Write syscalls a process made so far (`syscw` of /proc/<pid>/io): how
 * many frames share a write tells a server that keeps up (one push per
 * write) from one that fell behind (many), which its latency alone does not.
 */
function writeCalls(pid: number): number {
  try {
    return Number(/syscw:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The counting members' process. */
class RawMembers {
  private readonly replies: ((message: Record<string, unknown>) => void)[] = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Record<string, unknown>) => this.replies.shift()?.(message));
  }

  static async start(): Promise<RawMembers> {
    const child = fork(RAW_MEMBERS, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const members = new RawMembers(child);
    await members.next();
    return members;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.replies.push((message) => (typeof message.error === 'string' ? reject(new Error(message.error)) : resolve(message)));
    });
  }

  private ask(message: object): Promise<Record<string, unknown>> {
    const reply = this.next();
    this.child.send(message);
    return reply;
  }

  async open(url: string, ids: string[], login?: { appId: string; protocol: string }): Promise<void> {
    await this.ask({ open: { url, ids, ...(login ?? {}) } });
  }

  async reset(): Promise<void> {
    await this.ask({ reset: true });
  }

  async count(): Promise<{ frames: number; bytes: number; odd: number }> {
    return (await this.ask({ count: true })) as { frames: number; bytes: number; odd: number };
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ close: true });
    await exited;
  }
}

/** A group as the generator drives it, whatever the server. */
interface Group {
  send(payload: string): Promise<void>;
  close(): void;
}

/** A persisted lc-chat group (not a chat room): every send is acked after its commit. */
async function lcChatGroup(url: string, ids: string[], sampledIds: string[], onSampled: (text: string) => void, joined: () => Promise<void>): Promise<Group> {
  const connect = async (id: string) => {
    const client = await RawClient.connect(url);
    await client.login(TEST_APP.appId, id);
    return client;
  };
  const sender = await connect(ids[0]!);
  const sampled = await Promise.all(sampledIds.map(connect));
  const reply = await sender.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ids } });
  const cid = reply.convMessage!.cid!;
  // Every member but the sender is told it joined: that frame is not part of the run.
  await Promise.all(sampled.map((client) => client.take((command) => command.cmd === CommandType.conv && command.op === OpType.joined, 60_000)));
  await joined();
  for (const client of sampled) {
    client.ws.removeAllListeners('message');
    client.ws.on('message', (data: Buffer) => onSampled(decodeCommand(new Uint8Array(data)).directMessage?.msg ?? ''));
  }
  return {
    async send(payload) {
      const ack = await sender.request({ cmd: CommandType.direct, directMessage: { cid, msg: payload } }, 60_000);
      if (ack.cmd !== CommandType.ack) throw new Error(`send failed: ${ack.errorMessage?.reason}`);
    },
    close() {
      for (const client of [sender, ...sampled]) client.close();
    },
  };
}

/** The bare `ws` relay (peer-servers.ts): text frames `<id> <payload>`, acked `<id>`. */
async function wsGroup(url: string, sampledCount: number, onSampled: (text: string) => void): Promise<Group> {
  const sender = await openRelaySocket(url);
  const send = relaySender(sender);
  const sampled = await Promise.all(Array.from({ length: sampledCount }, () => openRelaySocket(url)));
  for (const ws of sampled) ws.on('message', (data) => onSampled(data.toString()));
  return {
    send,
    close() {
      for (const ws of [sender, ...sampled]) ws.terminate();
    },
  };
}

/**
 * Runs the group at `perSecond` for `seconds` against the server at `url`
 * (process `pid`): `lc-chat`, or a bare `ws` relay.
 */
export async function groupLatency(target: { name: string; pid: number; url: string }, settings: LatencySettings): Promise<LatencyResult> {
  const { members, perSecond, seconds, sampled: sampledCount } = settings;
  const samples: number[] = [];
  let sampledFrames = 0;
  const onSampled = (text: string) => {
    sampledFrames += 1;
    const sentAt = Number(/t(\d+\.\d+)e/.exec(text)?.[1] ?? NaN);
    if (!Number.isNaN(sentAt)) samples.push(performance.now() - sentAt);
  };
  const ids = Array.from({ length: members }, (_, k) => `goal-g${k}`);
  const sampledIds = ids.slice(1, 1 + sampledCount);
  const countedIds = ids.slice(1 + sampledCount);
  const counters = await RawMembers.start();
  let group: Group | undefined;
  try {
    if (target.name === 'lc-chat') {
      // Logged in before the conversation starts, so they are sent its pushes.
      await counters.open(target.url, countedIds, { appId: TEST_APP.appId, protocol: 'lc.protobuf2.3' });
      // The counting members' one frame before the run: their 'joined' push.
      const joined = async () => {
        for (const until = performance.now() + 60_000; (await counters.count()).frames < countedIds.length; ) {
          if (performance.now() > until) throw new Error('the counting members were not all told they joined');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      group = await lcChatGroup(target.url, ids, sampledIds, onSampled, joined);
    } else {
      await counters.open(target.url, countedIds);
      group = await wsGroup(target.url, sampledCount, onSampled);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await counters.reset();
    sampledFrames = 0;
    const cpu = { server: cpuSeconds(target.pid), sender: cpuSeconds(process.pid), counters: cpuSeconds(counters.pid) };
    const writesBefore = writeCalls(target.pid);
    const started = performance.now();
    const total = perSecond * seconds;
    const send = group.send.bind(group);
    await paced(total, perSecond, () => send(`{"_lctype":-1,"_lctext":"t${performance.now().toFixed(3)}e"}`));
    // The last pushes may trail their acks.
    const expected = total * (members - 1);
    const until = performance.now() + 5000;
    let counted = await counters.count();
    while (sampledFrames + counted.frames < expected && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      counted = await counters.count();
    }
    if (counted.odd > 0) throw new Error(`the counting members lost their place in ${counted.odd} frames: their counts are wrong`);
    const wallSeconds = (performance.now() - started) / 1000;
    const { p50, p99, max } = percentiles(samples);
    return {
      p50,
      p99,
      max,
      samples: samples.length,
      delivered: sampledFrames + counted.frames,
      expected,
      wallSeconds,
      serverCpu: cpuSeconds(target.pid) - cpu.server,
      serverWrites: writeCalls(target.pid) - writesBefore,
      generatorCpu: { sender: cpuSeconds(process.pid) - cpu.sender, counters: cpuSeconds(counters.pid) - cpu.counters },
    };
  } finally {
    group?.close();
    await counters.close();
  }
}
