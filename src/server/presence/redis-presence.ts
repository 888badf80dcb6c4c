/**
 * Presence in Redis, for several nodes (see types.ts for the contract).
 *
 * Keys (`<p>` is the prefix, `lc:` by default; `<app>` the escaped app id,
 * redis-names.ts):
 *
 * - `<p>nodes` ZSET: node id → its last heartbeat (Redis's own clock, so
 *   the nodes' clocks need not agree). A node beats every `beatMs` (5 s);
 *   one whose beat is older than `deadMs` (15 s) is dead, and every read
 *   ignores its entries from then on.
 * - `<p>o:<app>:<clientId>` HASH: session id → `{"n":node,"t":tag,"d":device}`,
 *   one field per session on any node (online, tagHolders).
 * - `<p>rc:<app>:<cid>` HASH: node id → how many distinct clients of that
 *   node are in the chat room (roomCount sums the live nodes').
 * - `<p>n:<node>:idx` SET: `<hash key>\n<field>` of every entry above that
 *   belongs to the node, so whoever sweeps it knows what to delete.
 * - `<p>w:<node>` HASH: session id → its will messages.
 * - `<p>l:<app>:<sha256(token)>`: a login's tag and device, `PX` its TTL.
 *   Only a digest of the token is in the name: Redis never holds a token
 *   that would let a reader log in.
 * - `<p>park:<app>:<clientId>` LIST: at most 8 parked logins, each
 *   `<expiry ms>|<json>`, the key expiring with the newest. The entry holds
 *   the token, which `takeParkedRooms` must give back; it lives as long as
 *   the 30-minute rejoin window and no longer.
 * - `<p>sweeping` ZSET: dead nodes being swept → the claim's lease expiry.
 * - `<p>n:<node>:cl` SET: the broker's registrations of the node (its
 *   entries in the apps' `<p>cl:<app>` hashes, client-nodes.ts).
 *   The broker writes them; sweeping a dead node deletes them too, and a
 *   node that finds itself swept while alive tells the broker
 *   (`onRejoined`) to write them again.
 *
 * Every write of this node's own entries states an absolute value (a
 * count, not an increment) from a mirror kept in memory, so a write lost
 * while Redis was away is repaired by writing the mirror again: the next
 * heartbeat does so whenever a write failed, or the node found itself
 * missing from `<p>nodes` (Redis restarted, or the node was taken for dead
 * after a long partition and swept).
 *
 * Lua scripts, where a read and a write must be one step: the heartbeat
 * (beat, and tell whether the node was still known); reads that filter by
 * live nodes (one round trip, one clock); claiming dead nodes (moving each
 * from `nodes` to `sweeping` is the lock: a node is claimed by exactly one
 * sweeper, and re-claimed only when that sweeper's lease ran out; only
 * nodes with an `onOrphanedWills` handler sweep); taking
 * a dead node's wills (read and delete at once, so they are handed over
 * once even if two sweepers overlap); parking and taking parked rooms (two
 * nodes cannot both take one login's rooms).
 */
import { createHash } from 'node:crypto';
import { Redis, type ChainableCommander } from 'ioredis';
import { clientNodesIndexKey, defineClientNodeScripts, removeClientNode } from '../broker/redis/client-nodes.js';
import { appSegment } from '../broker/redis/redis-names.js';
import type { BrokerLog } from '../broker/redis/redis-broker.js';
import type { LoginFacts, OrphanedWills, ParkedRooms, Presence, PresenceSession, WillMessage } from './types.js';

export interface RedisPresenceOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Key prefix, shared by the nodes of one cluster; default `lc:`. */
  prefix?: string;
  /** This node's id; its entries live under it. */
  nodeId: string;
  /** Heartbeat (and sweep) period; default 5 s. */
  beatMs?: number;
  /** A node whose last beat is older than this is dead; default 15 s. */
  deadMs?: number;
  /** Time to wait for Redis at start; default 5 s. */
  connectTimeoutMs?: number;
  log?: BrokerLog;
}

/** Parked logins per client: the local registry's bound too. */
const MAX_PARKED_PER_CLIENT = 8;
/** The heartbeat period and the silence after which a node is dead, when the options say none (ms); the broker backlog's follow them too. */
export const PRESENCE_DEFAULTS = { beatMs: 5_000, deadMs: 15_000 } as const;

/** Dead nodes one sweep claims; the next beat takes more. */
const SWEEP_CLAIMS = 10;
/** Entries deleted per round trip when sweeping a dead node. */
const SWEEP_BATCH = 500;
/** Commands per pipeline when writing the mirror again. */
const REWRITE_BATCH = 1000;
/** Client ids answered per `online` round trip. */
const ONLINE_BATCH = 500;

const SILENT: BrokerLog = { warn() {}, error() {} };

/** Redis's own clock in ms, so every node's scripts agree on `now`. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** `now`, and the set of live nodes (by a beat newer than ARGV[1] ms). */
const LIVE_NODES = `${NOW}local alive = {}
for _, n in ipairs(redis.call('ZRANGE', KEYS[1], now - tonumber(ARGV[1]), '+inf', 'BYSCORE')) do alive[n] = true end
`;

const SCRIPTS = {
  /** KEYS nodes, sweeping; ARGV node. 1 if the node was known and not being swept, else 0. */
  lcBeat: {
    numberOfKeys: 2,
    lua: `
${NOW}local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], now, ARGV[1])
if known and not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 1 end
return 0`,
  },
  /** KEYS nodes, hash; ARGV deadMs. The hash's values whose "n" is a live node. */
  lcLiveValues: {
    numberOfKeys: 2,
    lua: `${LIVE_NODES}
local out = {}
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do
  local ok, entry = pcall(cjson.decode, v)
  if ok and type(entry) == 'table' and alive[entry.n] then out[#out + 1] = v end
end
return out`,
  },
  /** KEYS nodes, room hash; ARGV deadMs. The sum of the live nodes' counts. */
  lcLiveSum: {
    numberOfKeys: 2,
    lua: `${LIVE_NODES}
local sum = 0
local fields = redis.call('HGETALL', KEYS[2])
for i = 1, #fields, 2 do
  if alive[fields[i]] then sum = sum + (tonumber(fields[i + 1]) or 0) end
end
return sum`,
  },
  /**
   * KEYS nodes, sweeping; ARGV deadMs, leaseMs, max. Claims dead nodes (out
   * of nodes, into sweeping with a lease) and sweeps whose lease ran out.
   */
  lcClaimDead: {
    numberOfKeys: 2,
    lua: `
${NOW}local lease = now + tonumber(ARGV[2])
local claimed = {}
for _, n in ipairs(redis.call('ZRANGE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[1])), 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))) do
  redis.call('ZREM', KEYS[1], n)
  redis.call('ZADD', KEYS[2], lease, n)
  claimed[#claimed + 1] = n
end
for _, n in ipairs(redis.call('ZRANGE', KEYS[2], '-inf', '(' .. now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))) do
  redis.call('ZADD', KEYS[2], lease, n)
  claimed[#claimed + 1] = n
end
return claimed`,
  },
  /** KEYS wills hash. Its fields and values, and the hash deleted: taken once. */
  lcTake: {
    numberOfKeys: 1,
    lua: `
local all = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return all`,
  },
  /** KEYS park list; ARGV entry json, ttlMs, max, token. Parks one login, replacing one with the same token. */
  lcPark: {
    numberOfKeys: 1,
    lua: `
${NOW}local keep = {}
for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local bar = string.find(raw, '|', 1, true)
  local expiry = bar and tonumber(string.sub(raw, 1, bar - 1))
  if expiry and expiry > now then
    local ok, entry = pcall(cjson.decode, string.sub(raw, bar + 1))
    if ok and type(entry) == 'table' and entry.t ~= ARGV[4] then keep[#keep + 1] = raw end
  end
end
keep[#keep + 1] = (now + tonumber(ARGV[2])) .. '|' .. ARGV[1]
local max = tonumber(ARGV[3])
while #keep > max do table.remove(keep, 1) end
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[1], unpack(keep))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return #keep`,
  },
  /**
   * KEYS park list; ARGV token ('' for none), hasToken, device, hasDevice.
   * Takes the login the reconnect continues (types.ts takeParkedRooms).
   */
  lcUnpark: {
    numberOfKeys: 1,
    lua: `
${NOW}local live = {}
local newest = 0
for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local bar = string.find(raw, '|', 1, true)
  local expiry = bar and tonumber(string.sub(raw, 1, bar - 1))
  if expiry and expiry > now then
    local ok, entry = pcall(cjson.decode, string.sub(raw, bar + 1))
    if ok and type(entry) == 'table' then live[#live + 1] = { raw = raw, entry = entry, expiry = expiry } end
  end
end
local index = nil
if ARGV[2] == '1' then
  for i, item in ipairs(live) do if item.entry.t == ARGV[1] then index = i break end end
end
if not index and ARGV[4] == '1' then
  for i, item in ipairs(live) do if item.entry.d == ARGV[3] then index = i break end end
end
if not index and ARGV[2] == '0' and ARGV[4] == '0' and #live == 1 then index = 1 end
if not index then return false end
local taken = live[index].raw
table.remove(live, index)
redis.call('DEL', KEYS[1])
for _, item in ipairs(live) do
  redis.call('RPUSH', KEYS[1], item.raw)
  if item.expiry > newest then newest = item.expiry end
end
if #live > 0 then redis.call('PEXPIRE', KEYS[1], newest - now) end
return taken`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/** The JSON of one online entry. */
interface OnlineEntry {
  n: string;
  t: string | null;
  d: string | null;
}

/** The JSON of one node's will messages of one session. */
interface WillsEntry {
  appId: string;
  clientId: string;
  wills: WillMessage[];
}

/** The JSON of one parked login (behind its expiry). */
interface ParkedEntry {
  j: string | null;
  r: string[];
  t: string;
  d: string | null;
}

/** Presence shared through Redis; open it with `RedisPresence.open`. */
export class RedisPresence implements Presence {
  readonly nodeId: string;
  private readonly prefix: string;
  private readonly beatMs: number;
  private readonly deadMs: number;
  private readonly log: BrokerLog;
  private readonly orphanHandlers = new Set<(orphaned: OrphanedWills) => Promise<void>>();
  private readonly rejoinHandlers = new Set<() => void>();
  private readonly sweptHandlers = new Set<(nodeId: string) => Promise<void>>();
  /** The mirror of this node's entries: session id → session. */
  private readonly sessions = new Map<string, PresenceSession>();
  /** room hash key → this node's distinct clients in it. */
  private readonly rooms = new Map<string, Set<string>>();
  /** session id → its will messages (only sessions that have some). */
  private readonly wills = new Map<string, WillsEntry>();
  /** A write failed: the next beat writes the mirror again. */
  private dirty = false;
  private lastBeatKnown = true;
  /** A beat found this node known once: being unknown later means it was swept (or Redis lost it). */
  private everKnown = false;
  private lastSwept = false;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly redis: Redis,
    options: RedisPresenceOptions,
  ) {
    this.nodeId = options.nodeId;
    this.prefix = options.prefix ?? 'lc:';
    this.beatMs = options.beatMs ?? PRESENCE_DEFAULTS.beatMs;
    this.deadMs = options.deadMs ?? PRESENCE_DEFAULTS.deadMs;
    this.log = options.log ?? SILENT;
    for (const [name, script] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
    defineClientNodeScripts(redis);
  }

  /** Connects, beats once, and beats and sweeps every `beatMs` from then on; rejects if Redis cannot be reached. */
  static async open(options: RedisPresenceOptions): Promise<RedisPresence> {
    if ((options.deadMs ?? PRESENCE_DEFAULTS.deadMs) <= (options.beatMs ?? PRESENCE_DEFAULTS.beatMs)) throw new RangeError('deadMs must exceed beatMs');
    const redis = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      connectionName: 'lc-chat-presence',
      // Fail fast while disconnected: writes are repaired from the mirror, reads answer an error.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
      retryStrategy: (times) => Math.min(100 * times, 1000) + Math.floor(Math.random() * 100),
    });
    // connect() rejects with "Connection is closed."; the error event says why.
    let cause: Error | undefined;
    const remember = (error: Error) => (cause ??= error);
    redis.on('error', remember);
    const presence = new RedisPresence(redis, options);
    try {
      await redis.connect();
      await presence.beat();
    } catch (error) {
      redis.disconnect();
      throw cause ?? error;
    } finally {
      redis.off('error', remember);
    }
    redis.on('error', (error: Error) => presence.log.warn({ err: { message: error.message } }, 'Redis presence: connection error'));
    redis.on('close', () => {
      // Redis may come back empty (a restart keeps nothing here): write everything again.
      if (!presence.closed) presence.dirty = true;
    });
    presence.timer = setInterval(() => void presence.tick(), presence.beatMs);
    presence.timer.unref();
    return presence;
  }

  // --- this node's sessions (fire-and-forget) ---

  sessionOpened(session: PresenceSession): void {
    this.sessions.set(session.sessionId, { ...session });
    const key = this.onlineKey(session.appId, session.clientId);
    this.write((batch) => {
      batch.hset(key, session.sessionId, this.onlineValue(session));
      batch.sadd(this.indexKey(this.nodeId), indexMember(key, session.sessionId));
    });
  }

  sessionEnded(session: PresenceSession): void {
    this.sessions.delete(session.sessionId);
    const hadWills = this.wills.delete(session.sessionId);
    const key = this.onlineKey(session.appId, session.clientId);
    this.write((batch) => {
      batch.hdel(key, session.sessionId);
      batch.srem(this.indexKey(this.nodeId), indexMember(key, session.sessionId));
      if (hadWills) batch.hdel(this.willsKey(this.nodeId), session.sessionId);
    });
  }

  roomEntered(appId: string, cid: string, clientId: string): void {
    const key = this.roomKey(appId, cid);
    let clients = this.rooms.get(key);
    if (!clients) this.rooms.set(key, (clients = new Set()));
    clients.add(clientId);
    const count = clients.size;
    this.write((batch) => {
      batch.hset(key, this.nodeId, count);
      batch.sadd(this.indexKey(this.nodeId), indexMember(key, this.nodeId));
    });
  }

  roomLeft(appId: string, cid: string, clientId: string): void {
    const key = this.roomKey(appId, cid);
    const clients = this.rooms.get(key);
    if (!clients?.delete(clientId)) return;
    const count = clients.size;
    if (count === 0) this.rooms.delete(key);
    this.write((batch) => {
      if (count > 0) batch.hset(key, this.nodeId, count);
      else {
        batch.hdel(key, this.nodeId);
        batch.srem(this.indexKey(this.nodeId), indexMember(key, this.nodeId));
      }
    });
  }

  setWills(session: PresenceSession, wills: readonly WillMessage[]): void {
    if (!this.sessions.has(session.sessionId)) return;
    const key = this.willsKey(this.nodeId);
    if (wills.length === 0) {
      if (!this.wills.delete(session.sessionId)) return;
      this.write((batch) => batch.hdel(key, session.sessionId));
      return;
    }
    const entry: WillsEntry = { appId: session.appId, clientId: session.clientId, wills: [...wills] };
    this.wills.set(session.sessionId, entry);
    this.write((batch) => batch.hset(key, session.sessionId, JSON.stringify(entry)));
  }

  onOrphanedWills(handler: (orphaned: OrphanedWills) => Promise<void>): () => void {
    this.orphanHandlers.add(handler);
    return () => this.orphanHandlers.delete(handler);
  }

  // --- the cluster's answers ---

  async online(appId: string, clientIds: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < clientIds.length; i += ONLINE_BATCH) {
      const ids = clientIds.slice(i, i + ONLINE_BATCH);
      const batch = this.redis.pipeline();
      for (const id of ids) scripted(batch, 'lcLiveValues')(this.nodesKey, this.onlineKey(appId, id), this.deadMs);
      const replies = await execOrThrow(batch);
      ids.forEach((id, at) => {
        if ((replies[at] as unknown[]).length > 0) found.push(id);
      });
    }
    return found;
  }

  async roomCount(appId: string, cid: string): Promise<number> {
    return Number(await this.script('lcLiveSum')(this.nodesKey, this.roomKey(appId, cid), this.deadMs));
  }

  async tagHolders(appId: string, clientId: string, tag: string): Promise<Array<string | null>> {
    const values = (await this.script('lcLiveValues')(this.nodesKey, this.onlineKey(appId, clientId), this.deadMs)) as string[];
    const holders: Array<string | null> = [];
    for (const value of values) {
      const entry = parseJson<OnlineEntry>(value);
      if (entry && entry.t === tag) holders.push(entry.d ?? null);
    }
    return holders;
  }

  // --- logins and parked rooms ---

  async rememberLogin(appId: string, token: string, facts: LoginFacts, ttlMs: number): Promise<void> {
    await this.redis.set(this.loginKey(appId, token), JSON.stringify({ t: facts.tag, d: facts.deviceId }), 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async recallLogin(appId: string, token: string): Promise<LoginFacts | undefined> {
    const entry = parseJson<{ t: string | null; d: string | null }>(await this.redis.get(this.loginKey(appId, token)));
    return entry ? { tag: entry.t ?? null, deviceId: entry.d ?? null } : undefined;
  }

  async forgetLogin(appId: string, token: string): Promise<void> {
    await this.redis.del(this.loginKey(appId, token));
  }

  async parkRooms(appId: string, clientId: string, place: ParkedRooms, ttlMs: number): Promise<void> {
    const entry: ParkedEntry = { j: place.joined ?? null, r: [...place.rooms], t: place.token, d: place.deviceId };
    await this.script('lcPark')(this.parkKey(appId, clientId), JSON.stringify(entry), Math.max(1, Math.ceil(ttlMs)), MAX_PARKED_PER_CLIENT, place.token);
  }

  async takeParkedRooms(appId: string, clientId: string, previousToken: string | undefined, deviceId: string | null): Promise<ParkedRooms | undefined> {
    const raw = (await this.script('lcUnpark')(this.parkKey(appId, clientId), previousToken ?? '', previousToken === undefined ? '0' : '1', deviceId ?? '', deviceId === null ? '0' : '1')) as string | null;
    if (raw === null) return undefined;
    const entry = parseJson<ParkedEntry>(raw.slice(raw.indexOf('|') + 1));
    if (!entry) return undefined;
    const rooms = Array.isArray(entry.r) ? entry.r.filter((room): room is string => typeof room === 'string') : [];
    return { joined: typeof entry.j === 'string' ? entry.j : undefined, rooms, token: entry.t, deviceId: typeof entry.d === 'string' ? entry.d : null };
  }

  // --- lifecycle ---

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.beating?.catch(() => {});
    try {
      if (this.redis.status === 'ready') {
        // A clean stop is not a death: this node's entries go now, and its wills are not handed over.
        await this.deleteEntriesOf(this.nodeId);
        await this.redis.multi().del(this.willsKey(this.nodeId)).zrem(this.nodesKey, this.nodeId).exec();
        await this.redis.quit();
      }
    } catch (error) {
      this.log.warn({ err: { message: (error as Error).message } }, 'Redis presence: could not remove this node\'s entries at close; they expire with its heartbeat');
    } finally {
      this.redis.disconnect();
    }
  }

  /** One heartbeat now, then the sweep of dead nodes (also what the timer runs). */
  async tick(): Promise<void> {
    if (this.closed || this.beating) return this.beating;
    this.beating = (async () => {
      try {
        await this.beat();
        await this.sweep();
      } catch (error) {
        this.log.warn({ err: { message: (error as Error).message } }, 'Redis presence: heartbeat failed');
      }
    })().finally(() => (this.beating = undefined));
    return this.beating;
  }

  /**
   * Called when a heartbeat finds this node, known before, unknown or being
   * swept (Redis restarted, or the node was taken for dead while alive), and
   * on the beat after (a sweep under way may delete what was written
   * meanwhile): what else this node keeps in Redis under its id (the
   * broker's registrations) may be gone and must be written again.
   */
  onRejoined(handler: () => void): () => void {
    this.rejoinHandlers.add(handler);
    return () => this.rejoinHandlers.delete(handler);
  }

  /**
   * Called once per dead node this node claims and sweeps (and again if a
   * sweep's lease ran out before it ended), before its entries are
   * deleted: what else the dead node left (its broker backlog in the
   * store, backlog-ledger.ts) is taken care of there. Awaited; a handler
   * that rejects is logged.
   */
  onNodeSwept(handler: (nodeId: string) => Promise<void>): () => void {
    this.sweptHandlers.add(handler);
    return () => this.sweptHandlers.delete(handler);
  }

  private async beat(): Promise<void> {
    const known = Number(await this.script('lcBeat')(this.nodesKey, this.sweepingKey, this.nodeId)) === 1;
    // Rewrite also on the first beat after being swept: the sweep may have deleted what the previous rewrite wrote.
    const rewrite = this.dirty || !known || !this.lastBeatKnown;
    // Unknown after having been known: swept, or Redis restarted (a new node is unknown at its first beat).
    const swept = !known && this.everKnown;
    const rejoined = swept || this.lastSwept;
    this.lastSwept = swept;
    if (known) this.everKnown = true;
    this.lastBeatKnown = known;
    if (rewrite) await this.rewrite();
    if (rejoined) {
      for (const handler of this.rejoinHandlers) {
        try {
          handler();
        } catch (error) {
          this.log.error({ err: { message: (error as Error).message } }, 'Redis presence: a rejoin handler threw');
        }
      }
    }
  }

  /** Writes this node's mirror again, removing what Redis holds of it that the mirror does not. */
  private async rewrite(): Promise<void> {
    this.dirty = false;
    const want = new Map<string, (batch: ChainableCommander) => void>();
    for (const session of this.sessions.values()) {
      const key = this.onlineKey(session.appId, session.clientId);
      const value = this.onlineValue(session);
      want.set(indexMember(key, session.sessionId), (batch) => batch.hset(key, session.sessionId, value));
    }
    for (const [key, clients] of this.rooms) {
      const count = clients.size;
      want.set(indexMember(key, this.nodeId), (batch) => batch.hset(key, this.nodeId, count));
    }
    const indexKey = this.indexKey(this.nodeId);
    try {
      const stale = (await this.redis.smembers(indexKey)).filter((member) => !want.has(member));
      const commands: Array<(batch: ChainableCommander) => void> = [];
      for (const member of stale) {
        const [key, field] = splitIndexMember(member);
        commands.push((batch) => batch.hdel(key, field).srem(indexKey, member));
      }
      for (const [member, command] of want) {
        commands.push((batch) => {
          command(batch);
          batch.sadd(indexKey, member);
        });
      }
      const willsKey = this.willsKey(this.nodeId);
      commands.push((batch) => batch.del(willsKey));
      for (const [sessionId, entry] of this.wills) commands.push((batch) => batch.hset(willsKey, sessionId, JSON.stringify(entry)));
      for (let i = 0; i < commands.length; i += REWRITE_BATCH) {
        const batch = this.redis.pipeline();
        for (const command of commands.slice(i, i + REWRITE_BATCH)) command(batch);
        await execOrThrow(batch);
      }
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  /** Claims dead nodes and, for each, hands its wills over once, then deletes its entries. */
  private async sweep(): Promise<void> {
    // Only a node that can deliver wills takes them: a claimed node's wills are gone from Redis once taken.
    if (this.orphanHandlers.size === 0) return;
    const lease = Math.max(this.deadMs, 30_000);
    const claimed = (await this.script('lcClaimDead')(this.nodesKey, this.sweepingKey, this.deadMs, lease, SWEEP_CLAIMS)) as string[];
    for (const dead of claimed) {
      if (dead === this.nodeId) {
        // Our own beat was late (a stalled process), and we are alive: the next beat puts us back.
        await this.redis.zrem(this.sweepingKey, dead);
        continue;
      }
      const flat = (await this.script('lcTake')(this.willsKey(dead))) as string[];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const entry = parseJson<WillsEntry>(flat[i + 1]!);
        if (!entry || !Array.isArray(entry.wills) || entry.wills.length === 0) continue;
        for (const handler of this.orphanHandlers) {
          await handler({ appId: entry.appId, clientId: entry.clientId, wills: entry.wills }).catch((error: unknown) =>
            this.log.error({ err: { message: (error as Error).message }, node: dead }, 'Redis presence: delivering a dead node\'s will messages failed'),
          );
        }
      }
      for (const handler of this.sweptHandlers) {
        await handler(dead).catch((error: unknown) => this.log.error({ err: { message: (error as Error).message }, node: dead }, 'Redis presence: a swept-node handler failed'));
      }
      await this.deleteEntriesOf(dead);
      await this.redis.zrem(this.sweepingKey, dead);
    }
  }

  /** Deletes every entry a node's indexes name (its own and the broker's), then the indexes. */
  private async deleteEntriesOf(node: string): Promise<void> {
    await this.sweepIndex(this.indexKey(node), (batch, member) => {
      const [key, field] = splitIndexMember(member);
      batch.hdel(key, field);
    });
    // The broker's registrations: the node in each client's entry (client-nodes.ts).
    await this.sweepIndex(clientNodesIndexKey(this.prefix, node), (batch, member) => removeClientNode(batch, this.prefix, node, member));
    // Those of a node that ran an earlier version (one hash per client, `<prefix>n:<node>:cn` naming them).
    await this.sweepIndex(`${this.prefix}n:${node}:cn`, (batch, key) => batch.hdel(key, node));
  }

  /** Deletes what every member of an index names (`remove` queues the writes for one), a batch at a time, then the index. */
  private async sweepIndex(indexKey: string, remove: (batch: ChainableCommander, member: string) => void): Promise<void> {
    let cursor = '0';
    do {
      const [next, members] = await this.redis.sscan(indexKey, cursor, 'COUNT', SWEEP_BATCH);
      cursor = next;
      if (members.length > 0) {
        const batch = this.redis.pipeline();
        for (const member of members) remove(batch, member);
        await execOrThrow(batch);
      }
    } while (cursor !== '0');
    await this.redis.del(indexKey);
  }

  private write(build: (batch: ChainableCommander) => void): void {
    if (this.closed) return;
    if (this.redis.status !== 'ready') {
      this.dirty = true;
      return;
    }
    // MULTI: an entry and its index line are written together, so no entry escapes the sweep of a node that dies between them.
    const batch = this.redis.multi();
    build(batch);
    execOrThrow(batch).catch((error: unknown) => {
      this.dirty = true;
      this.log.warn({ err: { message: (error as Error).message } }, 'Redis presence: write failed; the next heartbeat writes it again');
    });
  }

  private script(name: ScriptName): ScriptCall {
    return scripted(this.redis, name);
  }

  private onlineValue(session: PresenceSession): string {
    const entry: OnlineEntry = { n: this.nodeId, t: session.tag, d: session.deviceId };
    return JSON.stringify(entry);
  }

  private get nodesKey(): string {
    return `${this.prefix}nodes`;
  }

  private get sweepingKey(): string {
    return `${this.prefix}sweeping`;
  }

  private onlineKey(appId: string, clientId: string): string {
    return `${this.prefix}o:${appSegment(appId)}:${clientId}`;
  }

  private roomKey(appId: string, cid: string): string {
    return `${this.prefix}rc:${appSegment(appId)}:${cid}`;
  }

  private indexKey(node: string): string {
    return `${this.prefix}n:${node}:idx`;
  }

  private willsKey(node: string): string {
    return `${this.prefix}w:${node}`;
  }

  private loginKey(appId: string, token: string): string {
    return `${this.prefix}l:${appSegment(appId)}:${createHash('sha256').update(token).digest('base64url')}`;
  }

  private parkKey(appId: string, clientId: string): string {
    return `${this.prefix}park:${appSegment(appId)}:${clientId}`;
  }
}

/** Session ids and node ids hold no newline; hash keys may (a client id may), so the field is after the last one. */
function indexMember(key: string, field: string): string {
  return `${key}\n${field}`;
}

function splitIndexMember(member: string): [string, string] {
  const at = member.lastIndexOf('\n');
  return [member.slice(0, at), member.slice(at + 1)];
}

function scripted(target: Redis | ChainableCommander, name: ScriptName): ScriptCall {
  const method = (target as unknown as Record<string, ScriptCall>)[name]!;
  return method.bind(target);
}

/** A pipeline's replies; rejects with the first command's error. */
async function execOrThrow(batch: ChainableCommander): Promise<unknown[]> {
  const results = (await batch.exec()) ?? [];
  const failed = results.find(([error]) => error !== null);
  if (failed) throw failed[0];
  return results.map(([, reply]) => reply);
}

function parseJson<T>(text: string | null | undefined): T | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
