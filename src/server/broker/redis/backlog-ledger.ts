/**
 * The broker backlog in the store: what keeps a node's held publications
 * from dying with it unannounced.
 *
 * While its publisher connection to Redis is down, a node goes on acking
 * messages (they are in the store) and holds their publications for the
 * other nodes in memory (redis-broker.ts's queue), or has lost some and
 * owes the gap notice. If it is killed then, nobody else knows: members
 * online on other nodes never get those messages live. So while it holds
 * any, the node keeps a row in the store, the one thing it still reaches:
 *
 * - written when the backlog starts; the publication that started it
 *   resolves (and so its message is acked) only once the row is written;
 * - beaten every `beatMs` while the backlog lasts (by the store's clock,
 *   which the nodes share), so that the others can tell a node that is
 *   alive and cut off from Redis from a dead one without asking Redis;
 * - deleted once the queue is sent and any gap notice is out.
 *
 * No write while the link is up: one at the start of an outage, one per
 * `beatMs` while it lasts, one at its end.
 *
 * Whoever finds a dead node's row takes it (deletes it: one taker) and
 * publishes a gap notice on its behalf, which every node, the taker
 * included, answers by running its `onGap` handlers (its sessions catch up
 * from the store): the presence's sweep, when it claims a node dead
 * (`nodeDied`), and every node every `beatMs` for rows not beaten for
 * `deadMs` (a node that died while Redis itself was down and was never
 * swept, or that stopped with a backlog it could not send, which marks
 * its row stale at once).
 *
 * A node taken for dead while alive (cut off from Redis past `deadMs`)
 * has its row taken and the gap announced for what it held; its next beat
 * writes the row again (a new start) for what it holds after that.
 */
import type { BrokerBacklog } from '../../store/types.js';
import type { BrokerLog } from './redis-broker.js';

/** The part of the store the ledger uses (`Store` has it). */
export interface BacklogStore {
  holdBrokerBacklog(nodeId: string, stale?: boolean): Promise<void>;
  takeBrokerBacklog(nodeId: string): Promise<BrokerBacklog | undefined>;
  takeStaleBrokerBacklogs(deadMs: number, limit: number): Promise<BrokerBacklog[]>;
}

/** What publishes a gap notice for another node (the Redis broker). */
export interface GapAnnouncer {
  /** Whether a notice can be published now. */
  readonly connected: boolean;
  /** Publishes a gap notice as if from `nodeId`, which every node answers; resolves with whether Redis took it. */
  announceGapFor(nodeId: string): Promise<boolean>;
}

export interface BacklogLedgerOptions {
  store: BacklogStore;
  /** This node's id: its row's key. */
  nodeId: string;
  /** How often a held row is beaten, and stale rows looked for (the presence's heartbeat period). */
  beatMs: number;
  /** A row not beaten for this long belongs to a dead node (the presence's). */
  deadMs: number;
  log: BrokerLog;
}

/** Stale rows taken per look: the next look takes more. */
const STALE_PER_LOOK = 10;

/** One node's row in the store, and the look for other nodes' stale ones; see the module's comment. */
export class BacklogLedger {
  private readonly store: BacklogStore;
  private readonly nodeId: string;
  private readonly beatMs: number;
  private readonly deadMs: number;
  private readonly log: BrokerLog;
  private holding = false;
  /** The write of the row for the backlog held now. */
  private recorded: Promise<void> = Promise.resolve();
  /** This node's row writes, one after the other, so a delete never overtakes the write before it. */
  private writes: Promise<unknown> = Promise.resolve();
  private beater: NodeJS.Timeout | undefined;
  private looker: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;
  private announcer: GapAnnouncer | undefined;
  private closed = false;

  constructor(options: BacklogLedgerOptions) {
    this.store = options.store;
    this.nodeId = options.nodeId;
    this.beatMs = options.beatMs;
    this.deadMs = options.deadMs;
    this.log = options.log;
  }

  /**
   * The broker holds publications no other node has. Resolves once the
   * row is written, or its write failed (logged; the next beat writes it):
   * a publication is never refused for want of the row.
   */
  hold(): Promise<void> {
    if (this.holding || this.closed) return this.recorded;
    this.holding = true;
    this.recorded = this.write(() => this.store.holdBrokerBacklog(this.nodeId), 'recording this node\'s broker backlog failed');
    this.beater = setInterval(() => {
      // A node taken for dead meanwhile had its row taken: this writes it again.
      void this.write(() => this.store.holdBrokerBacklog(this.nodeId), 'beating this node\'s broker backlog failed');
    }, this.beatMs);
    this.beater.unref();
    return this.recorded;
  }

  /** The broker holds nothing any more: every publication reached Redis, and any gap notice too. */
  release(): void {
    if (!this.holding || this.closed) return;
    this.holding = false;
    clearInterval(this.beater);
    // Left behind, the row would be taken for a dead node's: one gap notice too many, nothing lost.
    void this.write(() => this.store.takeBrokerBacklog(this.nodeId), 'deleting this node\'s broker backlog failed');
  }

  /** Looks for stale rows now and every `beatMs`, and publishes their gap notices through `announcer`. */
  start(announcer: GapAnnouncer): void {
    if (this.closed || this.looker) return;
    this.announcer = announcer;
    // At once too: a node starting up finds what a node that died while Redis was down left.
    void this.look();
    this.looker = setInterval(() => void this.look(), this.beatMs);
    this.looker.unref();
  }

  /** The presence claimed `nodeId` dead: if it held a backlog, its gap is announced now. */
  async nodeDied(nodeId: string): Promise<void> {
    if (this.closed || nodeId === this.nodeId) return;
    let backlog: BrokerBacklog | undefined;
    try {
      backlog = await this.store.takeBrokerBacklog(nodeId);
    } catch (error) {
      // Its row stays, and becomes stale: a later look takes it.
      this.log.warn({ err: { message: (error as Error).message }, node: nodeId }, 'Redis broker: reading a dead node\'s broker backlog failed');
      return;
    }
    if (backlog) await this.announce(backlog, 'swept');
  }

  /**
   * Stops the timers. A backlog still held (a stop that could not send it)
   * is a loss like a death's: its row is marked stale, so that the next
   * look of any node announces the gap without waiting `deadMs`.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.beater);
    clearInterval(this.looker);
    if (this.holding) void this.write(() => this.store.holdBrokerBacklog(this.nodeId, true), 'marking this node\'s broker backlog stale failed');
    await Promise.all([this.writes, this.looking]);
  }

  private write(work: () => Promise<unknown>, failure: string): Promise<void> {
    const done = this.writes.then(work).then(
      () => undefined,
      (error: Error) => this.log.warn({ err: { message: error.message } }, `Redis broker: ${failure}`),
    );
    this.writes = done;
    return done;
  }

  private look(): Promise<void> {
    if (this.closed || this.looking || !this.announcer?.connected) return this.looking ?? Promise.resolve();
    this.looking = (async () => {
      try {
        for (const backlog of await this.store.takeStaleBrokerBacklogs(this.deadMs, STALE_PER_LOOK)) await this.announce(backlog, 'stale');
      } catch (error) {
        this.log.warn({ err: { message: (error as Error).message } }, 'Redis broker: looking for stale broker backlogs failed');
      }
    })().finally(() => (this.looking = undefined));
    return this.looking;
  }

  /** `found`: by the presence's sweep, or as a row not beaten in time; for the log. */
  private async announce(backlog: BrokerBacklog, found: 'swept' | 'stale'): Promise<void> {
    const announced = (await this.announcer?.announceGapFor(backlog.nodeId)) ?? false;
    if (announced) {
      this.log.warn(
        { node: backlog.nodeId, since: backlog.since, found },
        'Redis broker: a node gone (or cut off from Redis) held publications for the others; told every node to catch up from the store',
      );
      return;
    }
    // Redis did not take it: the row goes back, stale, for the next look (this node's or another's).
    await this.store.holdBrokerBacklog(backlog.nodeId, true).catch((error: Error) =>
      this.log.error({ err: { message: error.message }, node: backlog.nodeId }, 'Redis broker: a dead node\'s broker backlog could not be announced nor put back'),
    );
  }
}
