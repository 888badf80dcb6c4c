/**
 * The persisted `direct` path, one batch per tick: the `direct` commands
 * that arrive during one event-loop turn, on every connection, are
 * checked synchronously as they arrive, appended with one store call
 * (`Store.appendMessages`: one transaction on SQLite), then answered in
 * the order they arrived, and only then pushed: one promise per batch
 * rather than a chain of them per message, which the profile of the
 * persisted bench showed (dispatch → handler → append → publish → reply,
 * each with the reply-order scope's async context).
 *
 * What comes here: a persisted message (not transient, not a will) when
 * the app has no `messageReceived` hook (it may change or drop the
 * message: that takes an HTTP call). Most are decided as they arrive, from
 * this node's cache of the conversation and of the sender's muting
 * (membership-cache.ts); on a miss the batch reads them first (one read
 * for a burst, the cache coalesces them) and goes to the store after.
 * Everything else, chat rooms included (found after such a read too),
 * takes the per-message path (`sendMessage`), which shares its checks with
 * this one (`checkRequest`, `checkTarget`), so the client gets the same
 * answers either way.
 *
 * Unlike the per-message path, a failed publish does not fail the ack: a
 * message stored is acked even if its publish fails (the broker is lossy
 * by design; members catch up from the store by seq). The ack does wait
 * for the publish to settle (the Redis broker: Redis answered the fan-out
 * call, so a node killed right after an ack cannot take the push with it),
 * and for the batches submitted before its append returned (`hold`): a
 * sender's messages then come back together instead of in two groups that
 * each cost a commit, a fan-out call and a socket write per recipient.
 *
 * Order, as on the per-message path: a message is acked after the commit
 * holding it, and pushed after its ack, so a client never sees the effect
 * of its command (a push to another session on its socket) before the
 * answer to it. A retry with an earlier `dt` is acked with the first
 * message and not pushed again. The replies of one connection leave in
 * the order its commands came, refusals included.
 */
import type { DecodedCommand } from '../../protocol/codec.js';
import { notifyReceiversOffline } from '../hooks/message-hooks.js';
import { errorFields } from '../observability/logger.js';
import type { SessionConnection } from '../session/session-connection.js';
import type { Session } from '../session/session.js';
import type { AppendOutcome, AppendResult, ConversationRecord, NewMessage } from '../store/types.js';
import type { ServerContext } from './context.js';
import { checkRequest, checkTarget, mutedError, newMessageOf } from './direct.js';
import { encodeDirectAck, encodeDirectPush } from './direct-frames.js';
import { pushEncoded } from './push.js';

/** Answers a refused command (the gateway's `replyError`: counted, logged, `cmd:error` when it has an `i`). */
export type ReplyError<C extends SessionConnection> = (connection: C, i: number | undefined, peerId: string | undefined, error: unknown) => void;
/** Runs a command on the per-message path (the gateway's dispatch). */
export type Dispatch<C extends SessionConnection> = (connection: C, command: DecodedCommand) => void;
/**
 * Runs `publish` with the pushes it causes for `connection` itself (another
 * session on the sender's socket) held until `release`, called right after
 * the command's ack (the gateway's reply scope).
 */
export type HoldOwnPushes<C extends SessionConnection> = (connection: C, publish: () => Promise<void>) => { published: Promise<void>; release(): void };

interface Entry<C extends SessionConnection> {
  readonly connection: C;
  readonly session: Session;
  readonly i: number | undefined;
  /** The command's own `peerId`, for an error reply. */
  readonly peerId: string | undefined;
  readonly command: DecodedCommand;
  /** Known once the command was checked. */
  conversation: ConversationRecord | undefined;
  readonly pushData: string | null | undefined;
  /** What to store; undefined when the command was refused (`refusal`). */
  input: NewMessage | undefined;
  refusal: unknown;
  /** Set once stored (or found stored, for a retry). */
  result: AppendResult | undefined;
  /** Set on a cache miss: the read of the conversation and the sender's mute the batch waits for, then decides. */
  lookup: Lookup | undefined;
  /** Found to be a chat-room message: handed to the per-message path. */
  fallback?: boolean;
}

type DirectRequest = NonNullable<DecodedCommand['directMessage']>;

/**
 * What a cache miss reads for one sender in one conversation: shared by
 * that sender's commands to it in one batch (a burst of 50 costs one
 * lookup, not 50 async calls), then read synchronously by each.
 */
interface Lookup {
  readonly done: Promise<void>;
  conversation: ConversationRecord | undefined;
  shutup: boolean;
  failed: boolean;
  failure: unknown;
}

export class DirectBatch<C extends SessionConnection> {
  private entries: Entry<C>[] = [];
  /** The lookups of the batch being gathered, by app, conversation and sender. */
  private lookups = new Map<string, Lookup>();
  /** The connections with a command in `entries`. */
  private readonly connections = new Set<C>();
  /** Connections with commands in submitted batches not yet stored or dispatched: how many each. */
  private readonly unsent = new Map<C, number>();
  private scheduled = false;
  /** Batches waiting for their commit: the gateway waits for them at close. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The last batch still waiting for reads before its append, if any. */
  private waiting: Promise<void> | undefined;
  /** Number of the last batch submitted (1, 2, …). */
  private submitted = 0;
  /** Batches submitted whose append has not returned yet, by number. */
  private readonly uncommitted = new Set<number>();
  /** Batches stored and held before their pushes and acks, in the order they were submitted (see `hold`). */
  private held: Array<{ seq: number; waitFor: number; release: () => void }> = [];
  private readonly submitScheduled = (): void => {
    this.scheduled = false;
    this.submit();
  };

  constructor(
    private readonly ctx: ServerContext,
    private readonly replyError: ReplyError<C>,
    private readonly dispatch: Dispatch<C>,
    private readonly holdOwnPushes: HoldOwnPushes<C>,
  ) {}

  /**
   * Takes a `direct` command into this tick's batch; false: run it on the
   * per-message path. `i` and `peerId` are the command's own, as decoded
   * (undefined when absent).
   */
  offer(connection: C, session: Session, command: DecodedCommand, i: number | undefined, peerId: string | undefined): boolean {
    const request = command.directMessage;
    const { ctx } = this;
    const entry: Entry<C> = { connection, session, i, peerId, command, conversation: undefined, pushData: request?.pushData, input: undefined, refusal: undefined, result: undefined, lookup: undefined };
    const cached = request?.cid ? ctx.membership.peek(session.appId, request.cid) : undefined;
    if (!request || request.transient || request.will || !request.cid || ctx.hooks.wants(session.appId, 'messageReceived') || cached?.conversation.transient) {
      // Not for the batch; but while earlier commands of this connection
      // wait in one, this one waits behind them (say, chat-room messages
      // whose first ones missed the cache): one connection's messages go
      // out in the order they came.
      if (!this.connections.has(connection) && !this.unsent.has(connection)) return false;
      entry.fallback = true;
    } else {
      const shutup = cached?.shutup.get(session.clientId);
      // Not cached, or muting not known for a member who may write: read first, decide then.
      if (!cached || (shutup === undefined && !cached.conversation.system && cached.conversation.members.includes(session.clientId))) {
        entry.lookup = this.lookupFor(session, request.cid);
      } else {
        this.decide(entry, request, cached.conversation, shutup === true);
      }
    }
    this.entries.push(entry);
    this.connections.add(connection);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.submitScheduled);
    }
    return true;
  }

  /** The per-message path's checks, in its order; refusals are answered in the command's turn. */
  private decide(entry: Entry<C>, request: DirectRequest, conversation: ConversationRecord | undefined, shutup: boolean): void {
    const { ctx } = this;
    const { session } = entry;
    try {
      const checked = checkRequest(ctx, session, request);
      checkTarget(ctx, session, checked.cid, conversation);
      if (shutup) throw mutedError(session, checked.cid);
      entry.conversation = conversation;
      entry.input = newMessageOf(session, checked, checked.payload, conversation);
    } catch (error) {
      entry.refusal = error;
    }
  }

  /** A cache miss: the conversation and the sender's muting read (and cached) before the batch goes to the store; one read per sender and conversation in a batch. */
  private lookupFor(session: Session, cid: string): Lookup {
    const key = `${session.appId}\u0000${cid}\u0000${session.clientId}`;
    let lookup = this.lookups.get(key);
    if (!lookup) {
      const made: Lookup = { done: Promise.resolve(), conversation: undefined, shutup: false, failed: false, failure: undefined };
      (made as { done: Promise<void> }).done = this.read(made, session, cid);
      this.lookups.set(key, (lookup = made));
    }
    return lookup;
  }

  private async read(lookup: Lookup, session: Session, cid: string): Promise<void> {
    const { membership } = this.ctx;
    try {
      const conversation = await membership.conversation(session.appId, cid);
      lookup.conversation = conversation;
      // A chat room is sent to the room by the per-message path: its mute is not needed here.
      if (conversation?.transient) return;
      const mayWrite = conversation !== undefined && !conversation.system && conversation.members.includes(session.clientId);
      lookup.shutup = mayWrite && (await membership.isShutup(session.appId, cid, session.clientId));
    } catch (error) {
      lookup.failed = true;
      lookup.failure = error;
    }
  }

  /** Decides a command whose lookup is done, as the cached case does at once. */
  private decideLooked(entry: Entry<C>, lookup: Lookup): void {
    if (lookup.failed) {
      entry.refusal = lookup.failure;
      return;
    }
    // A chat room after all: the per-message path sends it to the room.
    if (lookup.conversation?.transient) {
      entry.fallback = true;
      return;
    }
    this.decide(entry, entry.command.directMessage!, lookup.conversation, lookup.shutup);
  }

  /**
   * Sends what is gathered to the store now. The gateway calls it before a
   * `direct` takes the per-message path, so that the messages of one
   * connection are stored in the order they came.
   */
  submit(): void {
    const entries = this.entries;
    if (entries.length === 0) return;
    this.entries = [];
    this.lookups = new Map();
    this.connections.clear();
    for (const { connection } of entries) this.unsent.set(connection, (this.unsent.get(connection) ?? 0) + 1);
    const seq = ++this.submitted;
    this.uncommitted.add(seq);
    const done = this.write(entries, seq).catch((error: unknown) => this.ctx.logger.error({ messages: entries.length, ...errorFields(error) }, 'a batch of direct messages failed'));
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  /** Whether a command of `connection` waits in the batch being gathered. */
  holds(connection: C): boolean {
    return this.connections.has(connection);
  }

  /** Resolves once every batch gathered so far was answered. */
  async drain(): Promise<void> {
    this.submit();
    await Promise.allSettled([...this.inFlight]);
  }

  private async write(entries: Entry<C>[], seq: number): Promise<void> {
    try {
      await this.store(entries, seq);
    } finally {
      // Normally done by `hold`; here too if the batch failed before it.
      this.committed(seq);
      for (const { connection } of entries) {
        const left = this.unsent.get(connection)! - 1;
        if (left === 0) this.unsent.delete(connection);
        else this.unsent.set(connection, left);
      }
    }
  }

  /**
   * Called once the batch's append returned: resolves when every batch
   * submitted before now has returned from its append too, so that batches
   * committed while others were in flight push and ack together, in one
   * turn (in submission order). Why: with several messages in flight from
   * one sender, its messages split into two groups (one appends while the
   * other is answered), a commit, a fan-out call and, on every recipient's
   * node, a socket write per recipient each; answered together, the
   * sender's next messages come back together and the groups merge (see
   * bench/cluster.ts group). A batch waits at most for batches already
   * submitted when its own append returned, never for later ones.
   */
  private hold(seq: number): Promise<void> {
    this.uncommitted.delete(seq);
    if (this.uncommitted.size === 0 && this.held.length === 0) return Promise.resolve();
    return new Promise((release) => {
      // In submission order, whatever order the appends returned in (two may be in flight on two connections).
      let at = this.held.length;
      while (at > 0 && this.held[at - 1]!.seq > seq) at--;
      this.held.splice(at, 0, { seq, waitFor: this.submitted, release });
      this.releaseHeld();
    });
  }

  /** A batch's append returned (or the batch failed before it): releases what waited for it. */
  private committed(seq: number): void {
    if (this.uncommitted.delete(seq)) this.releaseHeld();
  }

  private releaseHeld(): void {
    let oldest = Infinity;
    for (const seq of this.uncommitted) if (seq < oldest) oldest = seq;
    let n = 0;
    while (n < this.held.length && this.held[n]!.waitFor < oldest) this.held[n++]!.release();
    if (n > 0) this.held = this.held.slice(n);
  }

  /** Waits for the batch's reads (and the batches before it), dispatches what falls back, appends the rest, answers and pushes. */
  private async store(entries: Entry<C>[], seq: number): Promise<void> {
    let loads: Set<Promise<void>> | undefined;
    for (const entry of entries) if (entry.lookup) (loads ??= new Set()).add(entry.lookup.done);
    // A batch waiting for reads holds back the batches after it: a connection's messages reach the store in order.
    const before = this.waiting;
    if (loads || before) {
      const turn = Promise.all([before, ...(loads ?? [])]).then(() => {});
      this.waiting = turn;
      await turn;
      if (this.waiting === turn) this.waiting = undefined;
    }
    if (loads) for (const entry of entries) if (entry.lookup) this.decideLooked(entry, entry.lookup);
    const inputs: NewMessage[] = [];
    for (const entry of entries) {
      if (entry.input) inputs.push(entry.input);
      else if (entry.fallback) this.dispatch(entry.connection, entry.command);
    }
    let outcomes: AppendOutcome[] | undefined;
    let failure: unknown;
    if (inputs.length > 0) {
      try {
        outcomes = await this.ctx.store.appendMessages(inputs);
      } catch (error) {
        // Rolled back: nothing of the batch is stored, so nothing is acked.
        failure = error;
      }
    }
    let k = 0;
    for (const entry of entries) {
      if (entry.fallback || !entry.input) continue;
      const outcome = outcomes?.[k++];
      if (outcome?.ok) entry.result = outcome.result;
      else entry.refusal = outcome ? outcome.error : failure;
    }
    await this.hold(seq);
    // Published before the acks, as on the per-message path: an acked
    // message has left this node, so a node killed right after its ack
    // does not take the push with it (members that stay online on other
    // nodes would not catch up). Pushes to the sender's own socket wait
    // for the ack.
    const releases: Array<(() => void) | undefined> = [];
    const published: Promise<void>[] = [];
    // Whose push each of `published` is, for the log if it fails.
    const publishers: Session[] = [];
    // One stamp for the batch: its pushes are encoded in this one synchronous loop.
    const serverTs = this.ctx.pushClock.now();
    for (const entry of entries) {
      const result = entry.result;
      if (!result || result.duplicate) {
        releases.push(undefined);
        continue;
      }
      const { session } = entry;
      const conversation = entry.conversation!;
      const payload = encodeDirectPush(result.message, serverTs);
      // Bound rather than an arrow: tsx (esbuild's keepNames) names every arrow assigned to a const with
      // Object.defineProperty as it is made, once per message here (1.1 % of the persisted bench's server profile).
      const publish = pushEncoded.bind(undefined, this.ctx, conversation.appId, conversation.members, payload, { excludeSessionId: session.id });
      // Only a socket with several sessions can get a push of its own command.
      const held = entry.i !== undefined && entry.connection.sessions.size > 1 ? this.holdOwnPushes(entry.connection, publish) : undefined;
      releases.push(held?.release);
      published.push(held ? held.published : publish());
      publishers.push(session);
    }
    if (published.length > 0) {
      const settled = await Promise.allSettled(published);
      for (let n = 0; n < settled.length; n++) {
        const outcome = settled[n]!;
        if (outcome.status === 'fulfilled') continue;
        const { appId, clientId } = publishers[n]!;
        this.ctx.logger.error({ appId, clientId, ...errorFields(outcome.reason) }, 'push of a stored message failed');
      }
    }
    let stored = 0;
    for (let n = 0; n < entries.length; n++) {
      const entry = entries[n]!;
      if (entry.fallback) continue;
      const result = entry.result;
      if (!result) {
        this.replyError(entry.connection, entry.i, entry.peerId, entry.refusal);
        continue;
      }
      const { message } = result;
      if (entry.i !== undefined) entry.connection.sendEncoded(encodeDirectAck(entry.i, entry.session.clientId, message.id, message.timestamp));
      releases[n]?.();
      stored += 1;
      // As the per-message path does, a retry included.
      notifyReceiversOffline(this.ctx, entry.conversation!, message, entry.pushData);
    }
    if (stored > 0) this.ctx.metrics.countCommand('direct', 0, stored);
  }
}
