/**
 * What the `direct` path checks for every message (the conversation, its
 * members, whether the sender is muted) kept in this node's memory, so a
 * message costs no store reads before its append: in the persisted-path
 * profile these reads (getConversation, isShutup) were ~13% of the CPU.
 *
 * Only the direct path reads through it; every other handler reads the
 * store, so nothing else can see a cached record.
 *
 * How a stale entry is avoided, with several nodes on one database: every
 * handler that changes who may send to a conversation or who receives it
 * (members added or removed, joins and leaves, blocks, mutes: members.ts,
 * blacklist.ts, mute-members.ts) calls `conversationChanged` after the
 * store committed the change and before it pushes the events of it (a
 * member told it joined may send at once). Nothing else in a cached record
 * matters to the direct path: `transient` and `system` never change. That drops the entry here at once and publishes a broker
 * delivery (`Delivery.conversationChanged`) that makes every other node
 * drop it too (Gateway.deliver). A load that was reading the store while
 * an invalidation arrived is not kept (the `invalidations` count moved),
 * so an old read never overwrites a newer drop. The broker is lossy: in
 * case a node missed a drop, entries also expire after `ttlMs`, bounding
 * how long a missed change can be served. A temporary conversation's
 * entry is not used past its expiry.
 */
import type { Broker } from '../broker/types.js';
import type { ConversationRecord, Store } from '../store/types.js';

/** A cached conversation as the direct batch reads it (see `MembershipCache.peek`). */
export interface CachedConversation {
  readonly conversation: ConversationRecord;
  /** Whether each sender seen is muted (shutup) in it; absent: not known yet. */
  readonly shutup: ReadonlyMap<string, boolean>;
}

interface Entry {
  conversation: ConversationRecord;
  /** Whether each sender seen is muted (shutup) in it. */
  shutup: Map<string, boolean>;
  loadedAt: number;
}

const key = (appId: string, cid: string): string => `${appId}\u0000${cid}`;

export class MembershipCache {
  /** Insertion order is age order: the oldest goes first past `maxEntries`. */
  private readonly entries = new Map<string, Entry>();
  /** Reads in flight, shared by the callers that want the same answer meanwhile. */
  private readonly loading = new Map<string, Promise<ConversationRecord | undefined>>();
  private readonly loadingShutup = new Map<string, Promise<boolean>>();
  /** Counts every drop: a load that saw it change keeps nothing. */
  private invalidations = 0;

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The conversation as the store has it (undefined if none): cached, see
   * above. Reads of one conversation in flight together are one read: a
   * burst of messages to a conversation not cached yet costs one.
   */
  conversation(appId: string, cid: string): Promise<ConversationRecord | undefined> {
    const entry = this.fresh(appId, cid);
    if (entry) return Promise.resolve(entry.conversation);
    const k = key(appId, cid);
    let loading = this.loading.get(k);
    if (!loading) {
      loading = this.load(appId, cid).finally(() => this.loading.delete(k));
      this.loading.set(k, loading);
    }
    return loading;
  }

  private async load(appId: string, cid: string): Promise<ConversationRecord | undefined> {
    const seen = this.invalidations;
    const conversation = await this.store.getConversation(appId, cid);
    // Unknown conversations are not cached: one created later must be found.
    if (conversation && seen === this.invalidations) this.remember(appId, cid, { conversation, shutup: new Map(), loadedAt: this.now() });
    return conversation;
  }

  /** Whether `clientId` is muted in the conversation: cached with it, and read once for reads in flight together. */
  isShutup(appId: string, cid: string, clientId: string): Promise<boolean> {
    const entry = this.fresh(appId, cid);
    const known = entry?.shutup.get(clientId);
    if (known !== undefined) return Promise.resolve(known);
    const k = `${key(appId, cid)}\u0000${clientId}`;
    let loading = this.loadingShutup.get(k);
    if (!loading) {
      loading = this.loadShutup(appId, cid, clientId, entry).finally(() => this.loadingShutup.delete(k));
      this.loadingShutup.set(k, loading);
    }
    return loading;
  }

  private async loadShutup(appId: string, cid: string, clientId: string, entry: Entry | undefined): Promise<boolean> {
    const seen = this.invalidations;
    const shutup = await this.store.isShutup(appId, cid, clientId);
    // Members only reach this check, so an entry holds at most one flag per member.
    if (entry && seen === this.invalidations && this.entries.get(key(appId, cid)) === entry) entry.shutup.set(clientId, shutup);
    return shutup;
  }

  /**
   * What this node holds of the conversation, without reading the store:
   * undefined when nothing fresh is cached. The direct batch
   * (direct-batch.ts) answers from it synchronously, and leaves a miss to
   * the per-message path, which loads the entry.
   */
  peek(appId: string, cid: string): CachedConversation | undefined {
    return this.fresh(appId, cid);
  }

  /** Drops what this node knows of the conversation (Gateway.deliver, on another node's announcement). */
  invalidate(appId: string, cid: string): void {
    this.invalidations += 1;
    this.entries.delete(key(appId, cid));
  }

  private fresh(appId: string, cid: string): Entry | undefined {
    const entry = this.entries.get(key(appId, cid));
    if (!entry) return undefined;
    const now = this.now();
    const expiresAt = entry.conversation.expiresAt;
    if (now - entry.loadedAt > this.ttlMs || (expiresAt !== undefined && expiresAt <= now)) {
      this.entries.delete(key(appId, cid));
      return undefined;
    }
    return entry;
  }

  private remember(appId: string, cid: string, entry: Entry): void {
    const k = key(appId, cid);
    this.entries.delete(k);
    this.entries.set(k, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/**
 * A handler changed who may send to or receive from the conversation:
 * every node (this one at once) drops its cached view. Call it after the
 * store committed the change.
 */
export async function conversationChanged(ctx: { membership: MembershipCache; broker: Broker }, appId: string, cid: string): Promise<void> {
  ctx.membership.invalidate(appId, cid);
  await ctx.broker.publish({ appId, clientIds: [], payload: new Uint8Array(0), conversationChanged: cid });
}
