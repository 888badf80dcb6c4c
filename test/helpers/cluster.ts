/**
 * Several real `lc-chat serve` processes as one cluster (issue 17): one
 * fresh PostgreSQL database, one Redis with a key prefix of the test's own,
 * each node on its own loopback port. A test can kill a node with SIGKILL,
 * start it again on the same port, point a node's broker at a proxy it can
 * cut, and read a node's /metrics. Everything is removed afterwards: the
 * database, the data directories, and the Redis keys under the prefix
 * (SCAN + UNLINK: the shared Redis is other engineers' too, never FLUSHALL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { freeLoopbackPort, startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export const REDIS_HOST = '127.0.0.1';
export const SHARED_REDIS_PORT = Number(process.env.LC_TEST_REDIS_PORT ?? 6379);

/**
 * Presence bounds short enough for a test: a node beats every second and is
 * dead after four silent ones, so a killed node's wills and chat-room
 * viewers are handed over within seconds, not the production 15 s.
 */
export const FAST_PRESENCE_ARGS = ['--node-heartbeat', '1000', '--node-dead-after', '4000'];

export interface ClusterNode {
  readonly index: number;
  readonly port: number;
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** The running process, or undefined after kill()/stop() until start(). */
  readonly process: ServerProcess | undefined;
  /** SIGKILL: no shutdown, its presence entries stay until its heartbeat expires. */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown. */
  stop(): Promise<void>;
  /** Starts it again on the same port, same data directory and arguments. */
  start(): Promise<void>;
  /** The sum of a metric's samples on this node's /metrics (0 if absent). */
  metric(name: string): Promise<number>;
  output(): string;
}

export interface Cluster {
  readonly nodes: ClusterNode[];
  readonly database: TestDatabase;
  /** The Redis key prefix of this cluster (`lc-test-<random>:`). */
  readonly prefix: string;
  /** Stops every node, drops the database, removes the prefix's Redis keys. */
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Nodes to start (default 3). */
  nodes?: number;
  /** The Redis the cluster uses (default the shared one on 6379); a private one for fault tests. */
  redisPort?: number;
  /** The port node `index` reaches Redis at: a proxy in front of `redisPort` for a node whose link a test cuts. */
  brokerPortFor?: (index: number) => number;
  /** More `serve` flags for every node (default FAST_PRESENCE_ARGS). */
  extraArgs?: string[];
  /** Environment of every node, beside the test's own. */
  env?: Record<string, string>;
}

/** Starts the nodes one after the other (the first applies the migrations) and waits until each listens. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.nodes ?? 3;
  const redisPort = options.redisPort ?? SHARED_REDIS_PORT;
  const prefix = `lc-test-${randomBytes(6).toString('hex')}:`;
  const database = await createTestDatabase();
  const nodes: ClusterNode[] = [];
  const dirs: string[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const dir = mkdtempSync(join(tmpdir(), `lc-chat-cluster-${index}-`));
      dirs.push(dir);
      const brokerPort = options.brokerPortFor?.(index) ?? redisPort;
      const args = [
        '--store', database.url,
        '--broker', `redis://${REDIS_HOST}:${brokerPort}?prefix=${prefix}`,
        '--node-id', `node${index + 1}`,
        ...(options.extraArgs ?? FAST_PRESENCE_ARGS),
      ];
      nodes.push(await startNode(index, dir, args, options.env ?? {}));
    }
  } catch (error) {
    await Promise.allSettled(nodes.map((node) => node.kill()));
    await database.drop().catch(() => {});
    await removeKeys(redisPort, prefix).catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes,
    database,
    prefix,
    async close() {
      await Promise.allSettled(nodes.map((node) => node.stop()));
      await database.drop();
      await removeKeys(redisPort, prefix);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startNode(index: number, dir: string, args: string[], env: Record<string, string>): Promise<ClusterNode> {
  let current: ServerProcess | undefined = await startServerProcess(dir, 0, args, env);
  const port = current.port;
  let lastOutput = '';
  const end = async (signal: NodeJS.Signals) => {
    const running = current;
    if (!running) return;
    current = undefined;
    lastOutput = running.output();
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
    await running.exited;
  };
  return {
    index,
    port,
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    get process() {
      return current;
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    async start() {
      if (current) throw new Error(`node ${index + 1} is running`);
      current = await startServerProcess(dir, port, args, env);
    },
    async metric(name: string) {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      if (!response.ok) throw new Error(`node ${index + 1} /metrics: HTTP ${response.status}`);
      return sumMetric(await response.text(), name);
    },
    output: () => current?.output() ?? lastOutput,
  };
}

/** The sum of every sample of `name` (any labels) in Prometheus text. */
export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match && match[1] === name) sum += Number(match[2]);
  }
  return sum;
}

/** Removes every key under `prefix` (SCAN + UNLINK), and nothing else. */
export async function removeKeys(port: number, prefix: string): Promise<number> {
  if (!/^lc-test-[0-9a-f]+:$/.test(prefix)) throw new Error(`refusing to remove keys of prefix ${prefix}`);
  const redis = new Redis({ host: REDIS_HOST, port, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  await redis.connect();
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

/** A `redis-server` of the test's own, which it may kill and restart without disturbing anyone. */
export interface PrivateRedis {
  readonly port: number;
  /** SIGKILL: every connection drops, nothing is kept (no RDB, no AOF). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** used_cpu_sys + used_cpu_user of the server process, in seconds (INFO cpu). */
  cpuSeconds(): Promise<number>;
  close(): Promise<void>;
}

export async function startPrivateRedis(port?: number): Promise<PrivateRedis> {
  const chosen = port ?? (await freeLoopbackPort());
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 15_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          started.stdout!.off('data', onData);
          // Keep draining its output so a full pipe never blocks it.
          started.stdout!.resume();
          resolve();
        }
      };
      started.stdout!.on('data', onData);
      started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
      started.once('error', reject);
    });
  };
  const stopChild = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running) return;
    child = undefined;
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };
  await launch();
  return {
    port: chosen,
    kill: () => stopChild('SIGKILL'),
    async start() {
      if (child) throw new Error('redis-server is running');
      await launch();
    },
    async cpuSeconds() {
      const redis = new Redis({ host: REDIS_HOST, port: chosen, lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        const info = await redis.info('cpu');
        const field = (key: string) => Number(new RegExp(`^${key}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
        return field('used_cpu_sys') + field('used_cpu_user');
      } finally {
        redis.disconnect();
      }
    },
    close: () => stopChild('SIGKILL'),
  };
}

/** A fault test's cluster: three nodes on a Redis of its own, one of them reaching it through a proxy the test can cut. */
export interface FaultCluster {
  readonly redis: PrivateRedis;
  /** Between node `proxied` and Redis. */
  readonly proxy: TcpProxy;
  readonly cluster: Cluster;
  close(): Promise<void>;
}

/**
 * Starts a FaultCluster: heartbeats every second, a node dead after 10 s
 * of silence (so a 5 s cut is not a death, and a killed node is swept
 * well within a minute).
 */
export async function startFaultCluster(proxied: number): Promise<FaultCluster> {
  const redis = await startPrivateRedis();
  const proxy = await startTcpProxy(REDIS_HOST, redis.port);
  try {
    const cluster = await startCluster({
      nodes: 3,
      redisPort: redis.port,
      brokerPortFor: (index) => (index === proxied ? proxy.port : redis.port),
      extraArgs: ['--node-heartbeat', '1000', '--node-dead-after', '10000'],
    });
    return {
      redis,
      proxy,
      cluster,
      async close() {
        await cluster.close().catch(() => {});
        await proxy.close();
        await redis.close();
      },
    };
  } catch (error) {
    await proxy.close();
    await redis.close();
    throw error;
  }
}
