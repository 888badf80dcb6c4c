/**
 * The broker a server's configuration names (`--broker`, `LC_BROKER`):
 * the in-process one by default, or Redis for several nodes, which also
 * brings the Redis presence (online, room counts, tags, wills across nodes).
 */
import type { Presence } from '../presence/types.js';
import { PRESENCE_DEFAULTS, RedisPresence } from '../presence/redis-presence.js';
import { BacklogLedger, type BacklogStore } from './redis/backlog-ledger.js';
import { LocalBroker } from './local-broker.js';
import { RedisBroker, type BrokerLog } from './redis/redis-broker.js';
import type { Broker } from './types.js';

/** Where pushes between nodes go: nowhere (one process), or a Redis server. */
export type BrokerLocation =
  | { kind: 'local' }
  | {
      kind: 'redis';
      /** `redis://[user:password@]host:port[/db]`, without the prefix query. */
      url: string;
      /** Prefix of every key and channel, shared by the nodes of one cluster. */
      prefix: string;
    };

const USAGE = '--broker must be redis://[user:password@]host:6379[/db][?prefix=<p>] (or rediss://)';
/** A prefix is part of every key name: short, and nothing a shell or a glob would mangle. */
const PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Parses `--broker`; throws an Error whose message is one line for an operator. */
export function parseBrokerLocation(value: string): BrokerLocation {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${USAGE}; "${redact(value)}" is not a valid URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`${USAGE}, got "${redact(value)}"`);
  if (url.hostname === '') throw new Error(`${USAGE}; "${redact(value)}" names no host`);
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname)) throw new Error(`${USAGE}; the path must be a database number, got "${url.pathname}"`);
  for (const key of url.searchParams.keys()) if (key !== 'prefix') throw new Error(`${USAGE}; unknown parameter "${key}"`);
  const prefix = url.searchParams.get('prefix') ?? 'lc:';
  if (!PREFIX_PATTERN.test(prefix)) throw new Error(`${USAGE}; the prefix must be 1 to 64 of A-Z a-z 0-9 _ . : -`);
  url.search = '';
  url.hash = '';
  return { kind: 'redis', url: url.href, prefix };
}

/** The location as a banner or an error shows it: never the password. */
export function describeBrokerLocation(location: BrokerLocation): string {
  if (location.kind === 'local') return 'in-process';
  const shown = redact(location.url);
  return location.prefix === 'lc:' ? shown : `${shown}?prefix=${location.prefix}`;
}

function redact(value: string): string {
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    return url.href;
  } catch {
    return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/** The broker could not be opened (Redis unreachable, refused the login): one line, no password. */
export class BrokerOpenError extends Error {}

/** What `openBroker` opened; `presence` is undefined for the in-process broker (the server keeps its own). */
export interface OpenedBroker {
  broker: Broker;
  presence: Presence | undefined;
}

/** The presence's heartbeat period and the silence after which a node is dead (ms; `--node-heartbeat`, `--node-dead-after`). */
export interface PresenceTiming {
  beatMs?: number;
  deadMs?: number;
}

/**
 * Opens the configured broker and, for Redis, the presence beside it;
 * throws BrokerOpenError when Redis cannot be reached. With `store`, a
 * Redis node records there the publications it holds while its link is
 * down, and announces the gap of a node that died holding some
 * (backlog-ledger.ts).
 */
export async function openBroker(location: BrokerLocation, nodeId: string, log?: BrokerLog, timing: PresenceTiming = {}, store?: BacklogStore): Promise<OpenedBroker> {
  if (location.kind === 'local') return { broker: new LocalBroker(), presence: undefined };
  let broker: RedisBroker | undefined;
  const ledger = store
    ? new BacklogLedger({ store, nodeId, beatMs: timing.beatMs || PRESENCE_DEFAULTS.beatMs, deadMs: timing.deadMs || PRESENCE_DEFAULTS.deadMs, log: log ?? { warn() {}, error() {} } })
    : undefined;
  try {
    broker = await RedisBroker.open({ url: location.url, prefix: location.prefix, nodeId, ...(log ? { log } : {}), ...(ledger ? { backlog: ledger } : {}) });
    // The server's node id for both: its session ids, its publications and its presence entries name the same node.
    const presence = await RedisPresence.open({
      url: location.url,
      prefix: location.prefix,
      nodeId,
      ...(timing.beatMs ? { beatMs: timing.beatMs } : {}),
      ...(timing.deadMs ? { deadMs: timing.deadMs } : {}),
      ...(log ? { log } : {}),
    });
    // Swept as dead while alive, or Redis restarted: the broker's registrations went with the presence's entries.
    const registered = broker;
    presence.onRejoined(() => registered.repairRegistrations());
    if (ledger) {
      presence.onNodeSwept((dead) => ledger.nodeDied(dead));
      ledger.start(broker);
    }
    return { broker, presence };
  } catch (error) {
    await broker?.close().catch(() => {});
    await ledger?.close();
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    throw new BrokerOpenError(`cannot open the broker ${describeBrokerLocation(location)}: ${reason.replaceAll(location.url, describeBrokerLocation(location))}`, { cause: error });
  }
}
