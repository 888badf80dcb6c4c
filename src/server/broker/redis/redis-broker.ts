/**
 * The broker of several server nodes, on Redis 7 sharded pub/sub
 * (SSUBSCRIBE/SPUBLISH: on a Redis Cluster each channel lives on one
 * shard, so adding shards adds pub/sub capacity, which plain PUBLISH,
 * broadcast to every shard, does not).
 *
 * Channels (`<prefix>` is `lc:` unless the URL says `?prefix=`):
 *
 * - `<prefix>c:<appId>:<clientId>`: one client (a colon in the app id is
 *   escaped as `%3A`, see redis-names.ts). A node subscribes while it
 *   holds a session of the client (`follow`). A Delivery with `clientIds`
 *   is published on each recipient's channel by one Lua call (the envelope
 *   sent once; FANOUT_SCRIPT), so a message between nodes 1 and 2 never
 *   reaches node 3. A node hands the copies it receives of one envelope,
 *   back to back, to its sessions as one delivery (encoded once).
 * - `<prefix>r:<appId>:<cid>`: one chat room, published once per room
 *   message; each node that holds viewers fans it out locally.
 * - `<prefix>all`: what every node gets: `conversationChanged`, and gap
 *   notices.
 *
 * Each publication is one binary envelope (envelope.ts): the Delivery's
 * fields, the payload bytes as they are, and the publishing node's id. A
 * node delivers to its own sessions in `publish` directly, without a Redis
 * round trip (so local delivery goes on while Redis is down), and skips
 * its own publications when they come back.
 *
 * Losses (pub/sub is at-most-once; the store repairs by seq):
 * - the subscriber connection drops: on reconnect this node subscribes to
 *   everything again itself (ioredis's own resubscribe is off, because the
 *   gap must be announced after the subscriptions are back, not before),
 *   then runs its `onGap` handlers once;
 * - the publisher connection is down: publications wait in a queue of at
 *   most `queueLimit` deliveries (10,000), `queueBytes` bytes (32 MiB) and
 *   `queueMaxAgeMs` (10 s); older or excess ones are dropped, and so is a
 *   publication the connection took with it. If anything was dropped, once
 *   back the node publishes a gap notice on `<prefix>all`, and every other
 *   node runs its `onGap` handlers.
 */
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Broker, Delivery, Topic } from '../types.js';
import { decodeEnvelope, encodeDelivery, encodeGapNotice } from './envelope.js';
import { appSegment } from './redis-names.js';

/** Where the broker writes what goes wrong (a pino logger fits). */
export interface BrokerLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface RedisBrokerOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Prefix of every channel; default `lc:`. Nodes of one cluster share it. */
  prefix?: string;
  /** This node's id in envelopes; default random. */
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
}

interface Queued {
  channels: string[];
  bytes: Buffer;
  at: number;
}

/**
 * One delivery to many client channels: the envelope travels once and Redis
 * publishes it on each channel, instead of one SPUBLISH command (and one
 * copy of the bytes) per recipient. Per-command overhead dominated: in
 * `bench/cluster.ts` a 100-member group message as 99 pipelined SPUBLISH
 * cost the sending node more CPU than delivering it to 99 local sockets.
 * ARGV: the envelope, then the channels. (Standalone Redis: on a Redis
 * Cluster a script may only touch one slot's channels, so the channels
 * would be grouped by slot first.)
 */
const FANOUT_SCRIPT = `
local payload = ARGV[1]
for i = 2, #ARGV do redis.call('SPUBLISH', ARGV[i], payload) end
return #ARGV - 1
`;
/** Channels per fan-out call: a script blocks Redis while it runs. */
const FANOUT_BATCH = 1000;

interface FanoutPipeline {
  lcFanout(payload: Buffer, ...channels: string[]): unknown;
}

/** SSUBSCRIBE arguments per command when subscribing again after a reconnect. */
const RESUBSCRIBE_BATCH = 500;
/** Queued deliveries sent per pipeline when the publisher is back. */
const FLUSH_BATCH = 200;

const SILENT: BrokerLog = { warn() {}, error() {} };

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
  private readonly log: BrokerLog;
  private readonly handlers = new Set<(delivery: Delivery) => void>();
  private readonly gapHandlers = new Set<() => void>();
  /** Channel → what it is, for every topic followed now. */
  private readonly followed = new Map<string, Topic>();
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private flushing = false;
  /** Publications were lost: a gap notice is owed once the publisher is back. */
  private dropped = false;
  /** The subscriber connection was ready once: a later ready is a reconnect. */
  private subscriberWasReady = false;
  private subscriberLost = false;
  /** Bumped on every subscriber ready, so a resubscribe overtaken by another drop does not announce. */
  private subscriberEpoch = 0;
  private closed = false;
  private pinger: NodeJS.Timeout | undefined;
  private received = 0;
  private readonly queueLimit: number;
  private readonly queueBytes: number;
  private readonly queueMaxAgeMs: number;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    options: RedisBrokerOptions,
  ) {
    this.nodeId = options.nodeId ?? randomBytes(8).toString('hex');
    this.prefix = options.prefix ?? 'lc:';
    this.allChannel = `${this.prefix}all`;
    this.log = options.log ?? SILENT;
    this.queueLimit = options.queueLimit ?? 10_000;
    this.queueBytes = options.queueBytes ?? 32 * 1024 * 1024;
    this.queueMaxAgeMs = options.queueMaxAgeMs ?? 10_000;
  }

  /**
   * Connects both connections (publisher, subscriber) and subscribes to
   * `<prefix>all`; rejects, leaving nothing open, if Redis cannot be reached.
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
    const broker = new RedisBroker(publisher, subscriber, options);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.ssubscribe(broker.allChannel);
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

  /** Deliveries received from Redis and handed to subscribers (not this node's own). */
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
      if (!this.closed) this.subscriberLost = true;
    });
    this.subscriber.on('ready', () => void this.resubscribe());
    this.publisher.on('ready', () => void this.flush());
    this.publisher.on('error', (error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: publisher connection error'));
    this.subscriber.on('error', (error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: subscriber connection error'));
  }

  async publish(delivery: Delivery): Promise<void> {
    for (const handler of this.handlers) this.hand(handler, delivery);
    const channels = this.channelsOf(delivery);
    if (channels.length === 0) return;
    let bytes: Buffer;
    try {
      bytes = encodeDelivery(this.nodeId, delivery);
    } catch (error) {
      this.log.error({ err: { message: (error as Error).message } }, 'Redis broker: delivery not encodable, not published');
      return;
    }
    const item: Queued = { channels, bytes, at: Date.now() };
    // Behind queued ones, in order; or held while the link is down.
    if (this.closed) return;
    if (this.publisher.status !== 'ready' || this.flushing || this.queue.length > 0) {
      this.enqueue(item);
      return;
    }
    await this.send([item]);
  }

  subscribe(handler: (delivery: Delivery) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  follow(topic: Topic): void {
    const channel = this.channelOf(topic);
    if (this.followed.has(channel)) return;
    this.followed.set(channel, topic);
    // While disconnected, the resubscribe on ready includes it.
    if (this.subscriber.status === 'ready') {
      this.subscriber.ssubscribe(channel).catch((error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: SSUBSCRIBE failed'));
    }
  }

  unfollow(topic: Topic): void {
    const channel = this.channelOf(topic);
    if (!this.followed.delete(channel)) return;
    if (this.subscriber.status === 'ready') {
      this.subscriber.sunsubscribe(channel).catch((error: Error) => this.log.warn({ err: { message: error.message } }, 'Redis broker: SUNSUBSCRIBE failed'));
    }
  }

  onGap(handler: () => void): () => void {
    this.gapHandlers.add(handler);
    return () => this.gapHandlers.delete(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pinger);
    this.handlers.clear();
    this.gapHandlers.clear();
    this.queue.length = 0;
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  /** Something to answer on both connections, so socketTimeout notices a silent link. */
  private ping(): void {
    // A failed ping needs nothing more: the timeout already dropped the socket, and ioredis reconnects.
    for (const connection of [this.publisher, this.subscriber]) if (connection.status === 'ready') connection.ping().catch(() => {});
  }

  private channelOf(topic: Topic): string {
    return `${this.prefix}${topic.kind === 'client' ? 'c' : 'r'}:${appSegment(topic.appId)}:${topic.id}`;
  }

  private channelsOf(delivery: Delivery): string[] {
    if (delivery.conversationChanged !== undefined) return [this.allChannel];
    if (delivery.roomId !== undefined) return [this.channelOf({ kind: 'room', appId: delivery.appId, id: delivery.roomId })];
    // The app's part once per delivery, not per recipient.
    const base = `${this.prefix}c:${appSegment(delivery.appId)}:`;
    return [...new Set(delivery.clientIds)].map((id) => base + id);
  }

  private hand(handler: (delivery: Delivery) => void, delivery: Delivery): void {
    try {
      handler(delivery);
    } catch (error) {
      this.log.error({ err: { message: (error as Error).message } }, 'Redis broker: a delivery handler threw');
    }
  }

  /**
   * A delivery to many clients arrives as one copy of the same envelope per
   * client channel, back to back. The last one's bytes and decoding, and a
   * batch of clients to hand it to: the batch goes to the subscribers as
   * one delivery (encoded once for all the node's recipients, as a local
   * publish is) when something else arrives, or at the end of this read
   * from the socket (a microtask).
   */
  private lastBytes: Buffer | undefined;
  private lastEnvelope: ReturnType<typeof decodeEnvelope>;
  private batch: { bytes: Buffer; delivery: Delivery; clients: Set<string> } | undefined;

  private flushBatch = (): void => {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    const local = { ...batch.delivery, clientIds: [...batch.clients] };
    for (const handler of this.handlers) this.hand(handler, local);
  };

  /** Whether the last receive's bytes were those of the one before (decoded once, compared once). */
  private repeated = false;

  private decodeOnce(message: Buffer): ReturnType<typeof decodeEnvelope> {
    this.repeated = this.lastBytes !== undefined && this.lastBytes.equals(message);
    if (this.repeated) return this.lastEnvelope;
    this.lastBytes = message;
    this.lastEnvelope = decodeEnvelope(message);
    return this.lastEnvelope;
  }

  private receive(channel: string, message: Buffer): void {
    const topic = channel === this.allChannel ? 'all' : this.followed.get(channel);
    // In flight when it was unfollowed: the node has no session for it any more.
    if (topic === undefined) return;
    const envelope = this.decodeOnce(message);
    if (envelope === undefined) {
      this.log.warn({ channel, bytes: message.length }, 'Redis broker: malformed publication ignored');
      return;
    }
    if (envelope.origin === this.nodeId) return;
    if (envelope.kind === 'gap') {
      if (topic === 'all') this.announceGap();
      return;
    }
    const { delivery } = envelope;
    let local: Delivery;
    if (topic === 'all') {
      if (delivery.conversationChanged === undefined) return;
      local = { ...delivery, clientIds: [] };
    } else if (topic.kind === 'room') {
      if (delivery.appId !== topic.appId || delivery.roomId !== topic.id) return;
      local = { ...delivery, clientIds: [] };
    } else {
      if (delivery.appId !== topic.appId || delivery.roomId !== undefined) return;
      this.received++;
      const batch = this.batch;
      // The batch began with the bytes lastBytes holds, and nothing else came between.
      if (batch !== undefined && this.repeated && batch.bytes === this.lastBytes && !batch.clients.has(topic.id)) {
        batch.clients.add(topic.id);
        return;
      }
      this.flushBatch();
      this.batch = { bytes: this.lastBytes!, delivery: { ...delivery, clientIds: [] }, clients: new Set([topic.id]) };
      queueMicrotask(this.flushBatch);
      return;
    }
    this.received++;
    // In order: a batch received before this goes first.
    this.flushBatch();
    for (const handler of this.handlers) this.hand(handler, local);
  }

  /** The subscriber is back: subscribe to everything followed, then announce the gap once. */
  private async resubscribe(): Promise<void> {
    if (this.closed || !this.subscriberWasReady) return;
    const epoch = ++this.subscriberEpoch;
    const channels = [this.allChannel, ...this.followed.keys()];
    try {
      const replies: Array<Promise<unknown>> = [];
      for (let i = 0; i < channels.length; i += RESUBSCRIBE_BATCH) replies.push(this.subscriber.ssubscribe(...channels.slice(i, i + RESUBSCRIBE_BATCH)));
      await Promise.all(replies);
    } catch (error) {
      // Dropped again meanwhile: the next ready does it all over.
      this.log.warn({ err: { message: (error as Error).message } }, 'Redis broker: resubscribe failed');
      return;
    }
    if (epoch !== this.subscriberEpoch || !this.subscriberLost || this.closed) return;
    this.subscriberLost = false;
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

  private enqueue(item: Queued): void {
    this.queue.push(item);
    this.queuedBytes += item.bytes.length;
    this.trim(Date.now());
  }

  /** Drops what is over the count, byte or age bound, oldest first. */
  private trim(now: number): void {
    while (this.queue.length > 0 && (this.queue.length > this.queueLimit || this.queuedBytes > this.queueBytes || now - this.queue[0]!.at > this.queueMaxAgeMs)) {
      this.queuedBytes -= this.queue.shift()!.bytes.length;
      this.dropped = true;
    }
  }

  /** Sends the queue in order once the publisher is back, then the gap notice if anything was lost. */
  private async flush(): Promise<void> {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    try {
      this.trim(Date.now());
      while (this.queue.length > 0 && this.publisher.status === 'ready') {
        const batch = this.queue.splice(0, FLUSH_BATCH);
        for (const item of batch) this.queuedBytes -= item.bytes.length;
        await this.send(batch);
      }
      if (this.dropped && this.publisher.status === 'ready') await this.sendGapNotice();
    } finally {
      this.flushing = false;
    }
    // Publications that arrived during the last await of the loop.
    if (this.queue.length > 0 && this.publisher.status === 'ready') void this.flush();
  }

  /** One pipeline for all the items' channels; what fails is counted as dropped. */
  private async send(items: Queued[]): Promise<void> {
    const pipeline = this.publisher.pipeline();
    for (const item of items) {
      if (item.channels.length === 1) {
        pipeline.spublish(item.channels[0]!, item.bytes);
        continue;
      }
      for (let i = 0; i < item.channels.length; i += FANOUT_BATCH) {
        (pipeline as unknown as FanoutPipeline).lcFanout(item.bytes, ...item.channels.slice(i, i + FANOUT_BATCH));
      }
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      if (results.some(([error]) => error !== null)) this.dropped = true;
    } catch {
      this.dropped = true;
    }
    if (this.dropped && this.publisher.status === 'ready' && !this.flushing) await this.sendGapNotice();
  }

  private async sendGapNotice(): Promise<void> {
    try {
      await this.publisher.spublish(this.allChannel, encodeGapNotice(this.nodeId));
      this.dropped = false;
      this.log.warn({ nodeId: this.nodeId }, 'Redis broker: publications were dropped; told every node to catch up from the store');
    } catch {
      // Still owed: the next ready sends it.
    }
  }
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
