/**
 * The broker of several server nodes, on Redis 7 sharded pub/sub
 * (SSUBSCRIBE/SPUBLISH: on a Redis Cluster each channel lives on one
 * shard, so adding shards adds pub/sub capacity, which plain PUBLISH,
 * broadcast to every shard, does not).
 *
 * Channels and keys (`<prefix>` is `lc:` unless the URL says `?prefix=`;
 * a colon in an app id is escaped as `%3A`, see redis-names.ts):
 *
 * - `<prefix>n:<nodeId>`: one node. Every node subscribes to its own from
 *   the start. A Delivery with `clientIds` is published once per node that
 *   holds a session of a recipient, naming the recipients that node holds:
 *   one call of FANOUT_SCRIPT per turn of the event loop looks the
 *   recipients of all the turn's deliveries up and publishes one batch per
 *   node, holding every delivery of the turn with recipients there, in
 *   order. A message between nodes 1 and 2 never reaches node 3, and both
 *   sides pay per node and turn, not per recipient or message.
 * - `<prefix>cl:<appId>` HASH: client id → the nodes holding a session of
 *   it, and `<prefix>n:<nodeId>:cl`, the node's index of its entries
 *   (client-nodes.ts). A node puts itself in a client's entry on `follow`
 *   (the client's first session there) and takes itself out on `unfollow`;
 *   the login awaits `settled()` before it is acknowledged, so once a
 *   client is seen online, what is published to it finds its node. A node
 *   that gets a delivery for a client it no longer holds (the client moved
 *   between lookup and publish) finds no session and drops it. The
 *   presence's sweep of a dead node takes it out of every entry its index
 *   names (redis-presence.ts), so a dead node's entries do not outlive it;
 *   if this node was taken for dead and swept while alive (a stalled
 *   process), the presence's next beat tells it (`repairRegistrations`) and
 *   it writes them again.
 * - `<prefix>r:<appId>:<cid>`: one chat room, published once per room
 *   message; each node that holds viewers subscribes (`follow`) and fans it
 *   out locally.
 * - `<prefix>all`: what every node gets: `conversationChanged`, and gap
 *   notices.
 *
 * Each publication is one binary envelope (envelope.ts): the Delivery's
 * fields, the payload bytes as they are, and the publishing node's id. A
 * node delivers to its own sessions in `publish` directly, without a Redis
 * round trip (so local delivery goes on while Redis is down); the fan-out
 * script skips the publishing node, and a node skips its own room and
 * `all` publications when they come back.
 *
 * Losses (pub/sub is at-most-once; the store repairs by seq):
 * - the subscriber connection drops: on reconnect this node subscribes to
 *   everything again itself (ioredis's own resubscribe is off, because the
 *   gap must be announced after the subscriptions are back, not before),
 *   then runs its `onGap` handlers once;
 * - a registration could not be written (the publisher was down, or Redis
 *   restarted empty): once the publisher is back, the node writes all its
 *   fields again, and if any was missing it runs its `onGap` handlers
 *   (once, after both connections are whole again);
 * - the publisher connection is down: publications wait in a queue of at
 *   most `queueLimit` deliveries (10,000), `queueBytes` bytes (32 MiB) and
 *   `queueMaxAgeMs` (10 s); older or excess ones are dropped, and so is a
 *   publication the connection took with it. If anything was dropped, once
 *   back the node publishes a gap notice on `<prefix>all`, and every other
 *   node runs its `onGap` handlers;
 * - the node dies (or stops) while it holds such publications: with a
 *   `backlog` ledger (backlog-ledger.ts), it keeps a row in the store while
 *   it holds any, and another node publishes the gap notice on its behalf.
 */
import { randomBytes } from 'node:crypto';
import { Redis, type ChainableCommander, type RedisOptions } from 'ioredis';
import type { Broker, Delivery, Topic } from '../types.js';
import type { BacklogLedger } from './backlog-ledger.js';
import { decodeEnvelope, encodeBatchHead, encodeClientsHead, encodeDelivery, encodeGapNotice } from './envelope.js';
import { addClientNode, clientNodesIndexKey, clientNodesKey, clientNodesMember, defineClientNodeScripts, removeClientNode } from './client-nodes.js';
import { appSegment, nodeChannel } from './redis-names.js';

/** Where the broker writes what goes wrong (a pino logger fits). */
export interface BrokerLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface RedisBrokerOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Prefix of every channel and key; default `lc:`. Nodes of one cluster share it. */
  prefix?: string;
  /** This node's id in envelopes, its channel and its registrations; default random. Unique in the cluster. */
  nodeId?: string;
  /** Deliveries held while the publisher is disconnected (default 10,000). */
  queueLimit?: number;
  /** Bytes held while the publisher is disconnected (default 32 MiB). */
  queueBytes?: number;
  /** A held delivery older than this is dropped (default 10 s): its recipients catch up from the store. */
  queueMaxAgeMs?: number;
  /** Time to wait for Redis at start (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * Both connections are pinged this often (default 5 s); one that answers
   * nothing for twice as long is dropped and made again, since a link that
   * went silent without closing (a half-open TCP connection) would
   * otherwise lose publications unnoticed.
   */
  pingMs?: number;
  log?: BrokerLog;
  /**
   * Where this node records, in the store, that it holds publications no
   * other node has (see backlog-ledger.ts); closed with the broker. Without
   * one, a node that dies holding them loses them unannounced.
   */
  backlog?: BacklogLedger;
}

/** A publication waiting for (or on its way to) Redis. */
type Queued =
  /** On one channel: a room's, or `all`. */
  | { channel: string; bytes: Buffer; size: number; at: number }
  /** To clients: FANOUT_SCRIPT finds their nodes in the app's hash of client nodes, `appKey` (client-nodes.ts). */
  | { appKey: string; head: Buffer; payload: Buffer; clientIds: string[]; size: number; at: number };

/**
 * The deliveries to clients of one turn (in publishing order), each
 * published to every node that holds any of its recipients, one
 * publication per node for all of them. ARGV: the app's hash of client
 * nodes (client-nodes.ts),
 * the node channels' prefix, the publishing node (which delivered locally
 * already, and is skipped), the head of a node's batch (envelope.ts), then
 * per delivery three: its envelope's head, its payload, and its client ids
 * joined by "\n", or "" for the same clients as the delivery before it (a
 * group's messages of one turn name the same members: sent, split and
 * looked up once). Each node's publication is the batch head, then per
 * delivery with recipients there a u32 length and the delivery (its head, a
 * u32 length and that node's clients joined by "\n", the payload), where a
 * delivery to the same clients as the one before it carries an empty list
 * (envelope.ts): a group's list went to each node once per call, not once
 * per message (the copies were a third of the script's time).
 *
 * Why this shape, from the profiles of bench/cluster.ts group: one call per
 * message cost the sending node ioredis's encoding, a promise and a reply
 * per message, and the receiving node one RESP push per message; one call
 * per turn costs each once per turn. One argument for the ids because
 * ioredis's cost per argument was an item of the sending node's profile.
 * The script runs atomically, so a client's nodes are looked up once per
 * call without changing what any delivery finds: one HMGET of the app's
 * hash for all of a list's recipients not seen yet in the call
 * (client-nodes.ts; with an HKEYS per recipient key and a Lua table per
 * recipient, the lookups were about half of a call's 207 µs for nine
 * messages to 99 recipients). (Standalone Redis: on a Redis Cluster a
 * script may touch one slot only, so each app's hash and the node channels
 * would be tagged to one slot first.)
 */
const FANOUT_SCRIPT = `
local appKey, channels, origin, batchHead = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local nodesOf, out, order = {}, {}, {}
local byNode, nodes, lists
local sameClients = struct.pack('>I4', 0)
for d = 5, #ARGV, 3 do
  local head, payload, ids = ARGV[d], ARGV[d + 1], ARGV[d + 2]
  local repeated = ids == '' and byNode ~= nil
  if not repeated then
    byNode, nodes, lists = {}, {}, {}
    local seen, distinct, unknown = {}, {}, {}
    for id in string.gmatch(ids, '[^\\n]+') do
      if not seen[id] then
        seen[id] = true
        distinct[#distinct + 1] = id
        if nodesOf[id] == nil then unknown[#unknown + 1] = id end
      end
    end
    if #unknown > 0 then
      local entries = redis.call('HMGET', appKey, unpack(unknown))
      for k, id in ipairs(unknown) do
        local entry = entries[k]
        -- false: on no other node; a string: on that one node (by far the most common); a table: on several.
        if not entry or entry == origin then
          nodesOf[id] = false
        elseif not string.find(entry, ' ', 1, true) then
          nodesOf[id] = entry
        else
          local found = {}
          for node in string.gmatch(entry, '%S+') do
            if node ~= origin then found[#found + 1] = node end
          end
          nodesOf[id] = found
        end
      end
    end
    local function add(node, id)
      local list = byNode[node]
      if list == nil then
        list = {}
        byNode[node] = list
        nodes[#nodes + 1] = node
      end
      list[#list + 1] = id
    end
    for _, id in ipairs(distinct) do
      local found = nodesOf[id]
      if type(found) == 'string' then
        add(found, id)
      elseif found then
        for _, node in ipairs(found) do add(node, id) end
      end
    end
    for _, node in ipairs(nodes) do
      local list = table.concat(byNode[node], '\\n')
      lists[node] = struct.pack('>I4', #list) .. list
    end
  end
  for _, node in ipairs(nodes) do
    local one = head .. (repeated and sameClients or lists[node]) .. payload
    local parts = out[node]
    if parts == nil then
      parts = { batchHead }
      out[node] = parts
      order[#order + 1] = node
    end
    parts[#parts + 1] = struct.pack('>I4', #one)
    parts[#parts + 1] = one
  end
end
for _, node in ipairs(order) do
  redis.call('SPUBLISH', channels .. node, table.concat(out[node]))
end
return #order
`;
/** Recipients named per fan-out call (a script blocks Redis while it runs); a delivery to more is split. */
const FANOUT_BATCH = 1000;
/** Deliveries per fan-out call: bounds its run and each node's publication, whatever the turn held. */
const FANOUT_DELIVERIES = 100;

/** The fan-out script as ioredis defines it on the connection (a promise) and its pipelines (the pipeline). */
interface FanoutCommand {
  lcFanout(...args: Array<string | Buffer>): unknown;
}

/** One command of a turn's publications. */
type Command = { kind: 'spublish'; channel: string; bytes: Buffer } | { kind: 'fanout'; args: Array<string | Buffer> };

/** SSUBSCRIBE arguments per command when subscribing again after a reconnect. */
const RESUBSCRIBE_BATCH = 500;
/** Queued deliveries sent per pipeline when the publisher is back. */
const FLUSH_BATCH = 200;
/** Registrations written per pipeline when writing them all again. */
const REGISTER_BATCH = 1000;

const SILENT: BrokerLog = { warn() {}, error() {} };
const RESOLVED: Promise<void> = Promise.resolve();
/** Flushes a clean stop tries before it gives up on sending what is queued (each bounded by the connection's socket timeout). */
const CLOSE_FLUSHES = 3;

/** ioredis settings both connections share: we queue and resubscribe ourselves. */
function connectionOptions(connectTimeoutMs: number, pingMs: number, name: string): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    // No reply (to a ping or anything else) for this long: the socket is dead, reconnect.
    socketTimeout: 2 * pingMs,
    keepAlive: 10_000,
    connectionName: name,
    // Fail fast while disconnected: the broker's own queue is bounded, ioredis's is not.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A publication in flight when the link broke may or may not have gone out:
    // resending it could deliver twice, so it counts as dropped instead.
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false,
    enableReadyCheck: false,
    retryStrategy: (times) => Math.min(100 * times, 1000) + Math.floor(Math.random() * 100),
  };
}

/** A Broker on Redis 7 sharded pub/sub; open it with `RedisBroker.open`. */
export class RedisBroker implements Broker {
  /** This node's id, in every envelope it publishes. */
  readonly nodeId: string;
  private readonly prefix: string;
  private readonly allChannel: string;
  /** Where the other nodes publish the deliveries to this node's clients. */
  private readonly ownChannel: string;
  /** The SET of this node's entries in the apps' client-node hashes (client-nodes.ts). */
  private readonly indexKey: string;
  /** The head of every batch this node's fan-out script publishes (envelope.ts). */
  private readonly batchHead: Buffer;
  private readonly log: BrokerLog;
  private readonly handlers = new Set<(deliveries: readonly Delivery[]) => void>();
  private readonly gapHandlers = new Set<() => void>();
  /** Room channel → the room, for every room followed now. */
  private readonly rooms = new Map<string, Topic>();
  /** The index line (client-nodes.ts) of every client followed now: the registrations this node keeps in Redis. */
  private readonly clients = new Set<string>();
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  /** Publications of this turn of the event loop, sent together at its end (sendThisTurn). */
  private turn: Queued[] = [];
  private turnSent: Promise<void> | undefined;
  private flushing = false;
  /** The flush under way, for a close to wait for. */
  private flushRun: Promise<void> | undefined;
  /** Publications were lost: a gap notice is owed once the publisher is back. */
  private dropped = false;
  /** The subscriber connection was ready once: a later ready is a reconnect. */
  private subscriberWasReady = false;
  /** The subscriber dropped and has not subscribed to everything again yet. */
  private subscriberLost = false;
  /** Redis may not hold every registration (the publisher dropped, or a write failed): write them all again. */
  private registrationsStale = false;
  /** Deliveries to this node may have been lost: run onGap once the links are whole again. */
  private gapOwed = false;
  /** Bumped on every subscriber ready, so a resubscribe overtaken by another drop does not announce. */
  private subscriberEpoch = 0;
  private rewriting: Promise<void> | undefined;
  /** The last registration write and SSUBSCRIBE sent: each connection answers in order (settled()). */
  private lastRegistration: Promise<void> = Promise.resolve();
  private lastSubscription: Promise<void> = Promise.resolve();
  private closed = false;
  private pinger: NodeJS.Timeout | undefined;
  private received = 0;
  private readonly queueLimit: number;
  private readonly queueBytes: number;
  private readonly queueMaxAgeMs: number;
  private readonly backlog: BacklogLedger | undefined;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    options: RedisBrokerOptions,
  ) {
    this.nodeId = options.nodeId ?? randomBytes(8).toString('hex');
    this.prefix = options.prefix ?? 'lc:';
    this.allChannel = `${this.prefix}all`;
    this.ownChannel = nodeChannel(this.prefix, this.nodeId);
    this.indexKey = clientNodesIndexKey(this.prefix, this.nodeId);
    this.batchHead = encodeBatchHead(this.nodeId);
    this.log = options.log ?? SILENT;
    this.queueLimit = options.queueLimit ?? 10_000;
    this.queueBytes = options.queueBytes ?? 32 * 1024 * 1024;
    this.queueMaxAgeMs = options.queueMaxAgeMs ?? 10_000;
    this.backlog = options.backlog;
  }

  /**
   * Connects both connections (publisher, subscriber) and subscribes to
   * `<prefix>all` and this node's channel; rejects, leaving nothing open, if
   * Redis cannot be reached.
   */
  static async open(options: RedisBrokerOptions): Promise<RedisBroker> {
    const timeout = options.connectTimeoutMs ?? 5_000;
    const pingMs = options.pingMs ?? 5_000;
    const publisher = new Redis(options.url, connectionOptions(timeout, pingMs, 'lc-chat-publisher'));
    const subscriber = new Redis(options.url, connectionOptions(timeout, pingMs, 'lc-chat-subscriber'));
    // connect() rejects with "Connection is closed."; the error event says why (ECONNREFUSED, WRONGPASS).
    let cause: Error | undefined;
    const remember = (error: Error) => (cause ??= error);
    publisher.on('error', remember);
    subscriber.on('error', remember);
    publisher.defineCommand('lcFanout', { numberOfKeys: 0, lua: FANOUT_SCRIPT });
    defineClientNodeScripts(publisher);
    const broker = new RedisBroker(publisher, subscriber, options);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.ssubscribe(broker.allChannel, broker.ownChannel);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw cause ?? error;
    } finally {
      publisher.off('error', remember);
      subscriber.off('error', remember);
    }
    broker.listen();
    broker.pinger = setInterval(() => broker.ping(), pingMs);
    broker.pinger.unref();
    return broker;
  }

  /** Publications received from Redis and handed to subscribers (not this node's own): one per delivery to this node, whatever its recipients. */
  get deliveriesReceived(): number {
    return this.received;
  }

  /** Whether both connections to Redis are up now. */
  get connected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Deliveries waiting for the publisher connection. */
  get queued(): number {
    return this.queue.length;
  }

  private listen(): void {
    this.subscriberWasReady = true;
    this.subscriber.on('smessageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    this.subscriber.on('close', () => {
      if (this.closed) return;
      this.subscriberLost = true;
      this.gapOwed = true;
    });
    this.publisher.on('close', () => {
      // Redis may come back empty (a restart keeps nothing): the registrations are written again on ready.
      if (!this.closed) this.registrationsStale = true;
    });
    this.subscriber.on('ready', () => void this.resubscribe());
    this.publisher.on('ready', () => {
      void this.flush();
      void this.rewriteRegistrations();
    });
    this.publisher.on('error', (error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: publisher connection error'));
    this.subscriber.on('error', (error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: subscriber connection error'));
  }

  async publish(delivery: Delivery): Promise<void> {
    this.handAll([delivery]);
    if (this.closed) return;
    let item: Queued | undefined;
    try {
      item = this.publicationOf(delivery);
    } catch (error) {
      this.log.error({ err: { message: (error as Error).message } }, 'Redis broker: delivery not encodable, not published');
      return;
    }
    if (item === undefined) return;
    // Behind queued ones, in order; or held while the link is down.
    if (this.publisher.status !== 'ready' || this.flushing || this.queue.length > 0) {
      // Resolves once the store says this node holds it: the message is acked only then.
      return this.enqueue(item);
    }
    await this.sendThisTurn(item);
  }

  /**
   * Publications of one turn of the event loop (a group commit acks several
   * messages at once) go to Redis as one pipeline, one socket write: on the
   * sending node's profile each write to Redis's loopback socket cost more
   * than the commands in it.
   */
  private sendThisTurn(item: Queued): Promise<void> {
    this.turn.push(item);
    this.turnSent ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        const items = this.turn;
        this.turn = [];
        this.turnSent = undefined;
        void this.send(items).then(resolve);
      });
    });
    return this.turnSent;
  }

  subscribe(handler: (deliveries: readonly Delivery[]) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  follow(topic: Topic): void {
    if (this.closed) return;
    if (topic.kind === 'client') {
      const member = clientNodesMember(topic.appId, topic.id);
      if (this.clients.has(member)) return;
      this.clients.add(member);
      this.register((batch) => addClientNode(batch, this.prefix, this.nodeId, member), true);
      return;
    }
    const channel = this.roomChannel(topic.appId, topic.id);
    if (this.rooms.has(channel)) return;
    this.rooms.set(channel, topic);
    // While disconnected, the resubscribe on ready includes it.
    if (this.subscriber.status === 'ready') {
      this.lastSubscription = this.subscriber.ssubscribe(channel).then(
        () => {},
        (error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: SSUBSCRIBE failed'),
      );
    }
  }

  unfollow(topic: Topic): void {
    if (this.closed) return;
    if (topic.kind === 'client') {
      const member = clientNodesMember(topic.appId, topic.id);
      if (!this.clients.delete(member)) return;
      // An entry left behind only costs a publication the node drops: no gap.
      this.register((batch) => removeClientNode(batch, this.prefix, this.nodeId, member), false);
      return;
    }
    const channel = this.roomChannel(topic.appId, topic.id);
    if (!this.rooms.delete(channel)) return;
    if (this.subscriber.status === 'ready') {
      this.subscriber.sunsubscribe(channel).catch((error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: SUNSUBSCRIBE failed'));
    }
  }

  async settled(): Promise<void> {
    await Promise.all([this.lastRegistration, this.lastSubscription]);
  }

  /**
   * Writes every registration of this node again, because Redis may have
   * lost them (the presence found this node swept as dead while it was
   * alive); runs the gap handlers if any was missing.
   */
  repairRegistrations(): void {
    if (this.closed) return;
    this.registrationsStale = true;
    if (this.publisher.status === 'ready') void this.rewriteRegistrations();
  }

  onGap(handler: () => void): () => void {
    this.gapHandlers.add(handler);
    return () => this.gapHandlers.delete(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // A clean stop is not a death, but what this node holds for the others
    // would die with it all the same: it is sent first if the publisher is
    // up. What cannot be sent is lost, and its backlog row stays, marked
    // stale (backlog-ledger.ts): the next look of any node announces the gap.
    for (let tries = 0; tries < CLOSE_FLUSHES && this.publisher.status === 'ready' && (this.queue.length > 0 || this.dropped); tries++) await this.flush();
    this.closed = true;
    clearInterval(this.pinger);
    this.handlers.clear();
    this.gapHandlers.clear();
    this.queue.length = 0;
    await this.backlog?.close();
    // A clean stop is not a death: this node's registrations go now (else the sweep of its presence takes them).
    if (this.publisher.status === 'ready') {
      try {
        await this.rewriting;
        const members = await this.publisher.smembers(this.indexKey);
        for (let i = 0; i < members.length; i += REGISTER_BATCH) {
          const batch = this.publisher.pipeline();
          for (const member of members.slice(i, i + REGISTER_BATCH)) removeClientNode(batch, this.prefix, this.nodeId, member);
          await batch.exec();
        }
        await this.publisher.del(this.indexKey);
      } catch (error) {
        this.log.warn({ err: { message: (error as Error).message } }, 'Redis broker: could not remove this node\'s registrations at close; the sweep of a dead node removes them');
      }
    }
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  /**
   * Publishes a gap notice as if from `nodeId` (a node that died holding
   * publications, backlog-ledger.ts): every node, this one included, runs
   * its `onGap` handlers. Resolves with whether Redis took it.
   */
  async announceGapFor(nodeId: string): Promise<boolean> {
    if (this.closed || this.publisher.status !== 'ready') return false;
    try {
      await this.publisher.spublish(this.allChannel, encodeGapNotice(nodeId));
      return true;
    } catch {
      return false;
    }
  }

  /** Something to answer on both connections, so socketTimeout notices a silent link. */
  private ping(): void {
    // A failed ping needs nothing more: the timeout already dropped the socket, and ioredis reconnects.
    for (const connection of [this.publisher, this.subscriber]) if (connection.status === 'ready') connection.ping().catch(() => {});
  }

  private roomChannel(appId: string, cid: string): string {
    return `${this.prefix}r:${appSegment(appId)}:${cid}`;
  }

  /** What to send to Redis for a delivery; undefined when no other node can want it. */
  private publicationOf(delivery: Delivery): Queued | undefined {
    const at = Date.now();
    if (delivery.conversationChanged !== undefined || delivery.roomId !== undefined) {
      const channel = delivery.conversationChanged !== undefined ? this.allChannel : this.roomChannel(delivery.appId, delivery.roomId!);
      const bytes = encodeDelivery(this.nodeId, delivery);
      return { channel, bytes, size: bytes.length, at };
    }
    if (delivery.clientIds.length === 0) return undefined;
    const head = encodeClientsHead(this.nodeId, delivery);
    const { payload } = delivery;
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const appKey = clientNodesKey(this.prefix, delivery.appId);
    // Client ids are ~64 bytes at most: a bound on what the queue holds, not an exact count.
    return { appKey, head, payload: bytes, clientIds: delivery.clientIds, size: head.length + bytes.length + 64 * delivery.clientIds.length, at };
  }

  private handAll(deliveries: readonly Delivery[]): void {
    for (const handler of this.handlers) {
      try {
        handler(deliveries);
      } catch (error) {
        this.log.error({ err: { message: (error as Error).message } }, 'Redis broker: a delivery handler threw');
      }
    }
  }

  private receive(channel: string, message: Buffer): void {
    const room = channel === this.ownChannel || channel === this.allChannel ? undefined : this.rooms.get(channel);
    // In flight when it was unfollowed: the node has no viewer in it any more.
    if (room === undefined && channel !== this.ownChannel && channel !== this.allChannel) return;
    const envelope = decodeEnvelope(message);
    if (envelope === undefined) {
      this.log.warn({ channel, bytes: message.length }, 'Redis broker: malformed publication ignored');
      return;
    }
    if (envelope.origin === this.nodeId) return;
    if (envelope.kind === 'gap') {
      if (channel === this.allChannel) this.announceGap();
      return;
    }
    if (envelope.kind === 'batch') {
      // Deliveries to clients, which only this node's channel carries.
      if (channel !== this.ownChannel) return;
      this.handToClients(envelope.deliveries);
      return;
    }
    const { delivery } = envelope;
    if (channel === this.allChannel) {
      if (delivery.conversationChanged === undefined) return;
    } else if (room !== undefined) {
      if (delivery.appId !== room.appId || delivery.roomId !== room.id) return;
      delivery.clientIds = [];
    } else {
      this.handToClients([delivery]);
      return;
    }
    this.received++;
    this.handAll([delivery]);
  }

  /** Deliveries that came on this node's channel: to clients only, handed on together. */
  private handToClients(deliveries: Delivery[]): void {
    const toClients = deliveries.every(isToClients) ? deliveries : deliveries.filter(isToClients);
    if (toClients.length === 0) return;
    this.received += toClients.length;
    this.handAll(toClients);
  }

  /** Sends a registration write; one that cannot be sent or fails leaves Redis stale (and, for a follow, deliveries lost). */
  private register(build: (batch: ChainableCommander) => void, isFollow: boolean): void {
    const lost = () => {
      this.registrationsStale = true;
      if (isFollow) this.gapOwed = true;
    };
    if (this.publisher.status !== 'ready') {
      lost();
      return;
    }
    // One script call, atomic by itself: a pipeline, not MULTI.
    const batch = this.publisher.pipeline();
    build(batch);
    this.lastRegistration = batch.exec().then(
      (results) => {
        if (results === null || results.some(([error]) => error !== null)) lost();
      },
      (error: Error) => {
        lost();
        this.log.warn({ err: { message: error.message } }, 'Redis broker: a registration write failed; all are written again once the link is back');
      },
    );
  }

  /** Writes every registration again (and deletes those Redis holds and this node does not); owes a gap if any was missing. */
  private rewriteRegistrations(): Promise<void> {
    if (this.rewriting) {
      // One at a time; one more after it if asked meanwhile.
      return this.rewriting.then(() => (this.registrationsStale && this.publisher.status === 'ready' ? this.rewriteRegistrations() : undefined));
    }
    this.rewriting = (async () => {
      if (this.closed || this.publisher.status !== 'ready') return;
      this.registrationsStale = false;
      try {
        // Only what was followed when SMEMBERS went out can be missing from its answer:
        // a client followed while it was on its way is written behind it.
        const asked = new Set(this.clients);
        const present = new Set(await this.publisher.smembers(this.indexKey));
        const commands: Array<(batch: ChainableCommander) => void> = [];
        for (const member of present) if (!this.clients.has(member)) commands.push((batch) => removeClientNode(batch, this.prefix, this.nodeId, member));
        for (const member of this.clients) {
          if (asked.has(member) && !present.has(member)) this.gapOwed = true;
          commands.push((batch) => addClientNode(batch, this.prefix, this.nodeId, member));
        }
        for (let i = 0; i < commands.length; i += REGISTER_BATCH) {
          const batch = this.publisher.pipeline();
          for (const command of commands.slice(i, i + REGISTER_BATCH)) command(batch);
          const results = (await batch.exec()) ?? [];
          if (results.some(([error]) => error !== null)) throw results.find(([error]) => error !== null)![0]!;
        }
      } catch (error) {
        // The next ready (or repair) does it all over.
        this.registrationsStale = true;
        this.log.warn({ err: { message: (error as Error).message } }, 'Redis broker: writing the registrations again failed');
        return;
      }
      this.announceIfWhole(true);
    })().finally(() => (this.rewriting = undefined));
    return this.rewriting;
  }

  /** The subscriber is back: subscribe to everything followed, then announce the gap once. */
  private async resubscribe(): Promise<void> {
    if (this.closed || !this.subscriberWasReady) return;
    const epoch = ++this.subscriberEpoch;
    const channels = [this.allChannel, this.ownChannel, ...this.rooms.keys()];
    try {
      const replies: Array<Promise<unknown>> = [];
      for (let i = 0; i < channels.length; i += RESUBSCRIBE_BATCH) replies.push(this.subscriber.ssubscribe(...channels.slice(i, i + RESUBSCRIBE_BATCH)));
      await Promise.all(replies);
    } catch (error) {
      // Dropped again meanwhile: the next ready does it all over.
      this.log.warn({ err: { message: (error as Error).message } }, 'Redis broker: resubscribe failed');
      return;
    }
    if (epoch !== this.subscriberEpoch || this.closed) return;
    this.subscriberLost = false;
    this.announceIfWhole();
  }

  /**
   * Runs the gap handlers once a gap is owed and both the subscriptions and
   * the registrations are whole again (a rewrite under way announces when
   * it ends).
   */
  private announceIfWhole(fromRewrite = false): void {
    if (!this.gapOwed || this.subscriberLost || this.registrationsStale) return;
    if (this.rewriting !== undefined && !fromRewrite) return;
    if (this.subscriber.status !== 'ready' || this.publisher.status !== 'ready') return;
    this.gapOwed = false;
    this.announceGap();
  }

  private announceGap(): void {
    for (const handler of this.gapHandlers) {
      try {
        handler();
      } catch (error) {
        this.log.error({ err: { message: (error as Error).message } }, 'Redis broker: a gap handler threw');
      }
    }
  }

  /** Holds a publication while the publisher is down (or others wait); resolves once the store records the backlog. */
  private enqueue(item: Queued): Promise<void> {
    this.queue.push(item);
    this.queuedBytes += item.size;
    this.trim(Date.now());
    return this.noteBacklog();
  }

  /**
   * Tells the ledger whether this node holds publications no other node
   * has (queued, or lost with a gap notice owed); resolves once a backlog
   * is recorded. A boolean test while nothing is held.
   */
  private noteBacklog(): Promise<void> {
    if (this.backlog === undefined) return RESOLVED;
    if (this.queue.length > 0 || this.dropped) return this.backlog.hold();
    this.backlog.release();
    return RESOLVED;
  }

  /** Drops what is over the count, byte or age bound, oldest first. */
  private trim(now: number): void {
    while (this.queue.length > 0 && (this.queue.length > this.queueLimit || this.queuedBytes > this.queueBytes || now - this.queue[0]!.at > this.queueMaxAgeMs)) {
      this.queuedBytes -= this.queue.shift()!.size;
      this.dropped = true;
    }
  }

  /** Sends the queue in order once the publisher is back, then the gap notice if anything was lost; the flush under way if one is. */
  private flush(): Promise<void> {
    if (this.closed) return RESOLVED;
    return (this.flushRun ??= this.flushQueue().finally(() => {
      this.flushRun = undefined;
      // Publications that arrived during the last await of the loop.
      if (this.queue.length > 0 && this.publisher.status === 'ready' && !this.closed) void this.flush();
    }));
  }

  private async flushQueue(): Promise<void> {
    this.flushing = true;
    try {
      this.trim(Date.now());
      while (this.queue.length > 0 && this.publisher.status === 'ready') {
        const batch = this.queue.splice(0, FLUSH_BATCH);
        for (const item of batch) this.queuedBytes -= item.size;
        await this.send(batch);
      }
      if (this.dropped && this.publisher.status === 'ready') await this.sendGapNotice();
    } finally {
      this.flushing = false;
    }
    void this.noteBacklog();
  }

  /**
   * The items as few commands as keep their order, sent as one write: a
   * pipeline when there are several, the command alone when there is one
   * (the common case once a turn's deliveries are one fan-out call: an
   * ioredis pipeline costs an object with every command's method copied on,
   * a promise per command and one for the whole). What fails is counted as
   * dropped.
   */
  private async send(items: Queued[]): Promise<void> {
    const commands = this.commandsOf(items);
    try {
      if (commands.length === 1) {
        const command = commands[0]!;
        await (command.kind === 'spublish' ? this.publisher.spublish(command.channel, command.bytes) : (this.publisher as unknown as FanoutCommand).lcFanout(...command.args));
      } else {
        const pipeline = this.publisher.pipeline();
        for (const command of commands) {
          if (command.kind === 'spublish') pipeline.spublish(command.channel, command.bytes);
          else (pipeline as unknown as FanoutCommand).lcFanout(...command.args);
        }
        const results = (await pipeline.exec()) ?? [];
        if (results.some(([error]) => error !== null)) this.dropped = true;
      }
    } catch {
      this.dropped = true;
    }
    if (this.dropped && this.publisher.status === 'ready' && !this.flushing) await this.sendGapNotice();
    // A loss still unannounced is held like a queue: the acks of this turn wait for its record.
    if (this.dropped && !this.flushing) await this.noteBacklog();
  }

  /** Consecutive deliveries to clients of one app become one fan-out call, in order. */
  private commandsOf(items: Queued[]): Command[] {
    const commands: Command[] = [];
    let call: Array<string | Buffer> | undefined;
    let named = 0;
    let deliveries = 0;
    let lastIds: readonly string[] | undefined;
    const endCall = () => {
      if (call !== undefined) commands.push({ kind: 'fanout', args: call });
      call = undefined;
      named = 0;
      deliveries = 0;
      lastIds = undefined;
    };
    for (const item of items) {
      if ('channel' in item) {
        endCall();
        commands.push({ kind: 'spublish', channel: item.channel, bytes: item.bytes });
        continue;
      }
      if (call !== undefined && call[0] !== item.appKey) endCall();
      const ids = item.clientIds;
      for (let i = 0; i < ids.length; i += FANOUT_BATCH) {
        const some = ids.length <= FANOUT_BATCH ? ids : ids.slice(i, i + FANOUT_BATCH);
        if (call !== undefined && (named + some.length > FANOUT_BATCH || deliveries === FANOUT_DELIVERIES)) endCall();
        call ??= [item.appKey, `${this.prefix}n:`, this.nodeId, this.batchHead];
        const same = lastIds !== undefined && sameIds(lastIds, some);
        call.push(item.head, item.payload, same ? '' : some.join('\n'));
        // Named once per call: a repeated list is not sent again.
        if (!same) named += some.length;
        deliveries += 1;
        lastIds = some;
      }
    }
    endCall();
    return commands;
  }

  private async sendGapNotice(): Promise<void> {
    try {
      await this.publisher.spublish(this.allChannel, encodeGapNotice(this.nodeId));
      this.dropped = false;
      if (!this.flushing) void this.noteBacklog();
      this.log.warn({ nodeId: this.nodeId }, 'Redis broker: publications were dropped; told every node to catch up from the store');
    } catch {
      // Still owed: the next ready sends it.
    }
  }
}

function isToClients(delivery: Delivery): boolean {
  return delivery.roomId === undefined && delivery.conversationChanged === undefined && delivery.clientIds.length > 0;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  try {
    if (connection.status === 'ready') await connection.quit();
    else connection.disconnect();
  } catch {
    connection.disconnect();
  }
}
