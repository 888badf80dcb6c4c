/**
 * Keeps the official JS SDKs (3.x, 4.x) from emitting a conversation's
 * messages out of order (docs/official-sdk-message-order.md). They handle each `direct` push
 * on its own: a push of a conversation not in their cache sends a `conv
 * query` and waits for the reply; once any reply is in, the conversation is
 * cached, and a push read after that is emitted at once, ahead of earlier
 * pushes whose queries are still unanswered. When the pushes after the
 * first reply are written does not decide it: a network that puts the last
 * reply and the next push in one read lets the push overtake too
 * (test/official-coalesced-pushes.test.ts). What does is the client's
 * `ack`: the SDK sends it for a message right before emitting it, so an
 * ack up to a message's timestamp means every message up to it was
 * emitted before the client reads anything more.
 *
 * So: per session of such an SDK, the timestamp of the last message pushed
 * per conversation and not yet acked. When the client first asks for a
 * conversation (conv query) while such a push is unacked, its cache may
 * hold the conversation from then on while those messages still wait:
 * further pushes of that conversation wait here until the client acks the
 * last one pushed before, or `maxHoldMs` passed (the SDK acks at most once
 * a second; a query that failed leaves its message unacked), or they hold
 * more than `maxHeldBytes`. Pushes of other conversations are not held.
 *
 * Not covered: messages sharing the timestamp of the last one pushed (an
 * ack of an earlier one of them opens the gate), and apps whose
 * `beforeMessageDispatch` plugins wait between the ack and the event.
 */
import { CommandType, decodeCommand } from '../../protocol/codec.js';

export interface AckGateLimits {
  /** The longest a push waits for the client's ack. */
  maxHoldMs: number;
  /** Past this many bytes held for the session, all its conversations together, everything held goes out at once. */
  maxHeldBytes: number;
}

/**
 * Conversations remembered as fetched per session. A conv query can name
 * any ids, so the set is bounded; past it, a conversation asked for again
 * may get a gate it did not need (its pushes wait for an ack, at most
 * `maxHoldMs`), never an unbounded set.
 */
const MAX_FETCHED = 4096;

interface Gate {
  /** Opens on an ack up to this timestamp. */
  readonly until: number;
  readonly held: Uint8Array[];
  bytes: number;
  readonly timer: NodeJS.Timeout;
}

export class AckGate {
  /** Per conversation: the timestamp of the last message pushed that the client will ack and has not. */
  private readonly unacked = new Map<string, number>();
  private readonly gates = new Map<string, Gate>();
  /** Conversations the client asked for on this session: in its cache from the first reply on. */
  private readonly fetched = new Set<string>();
  /** Bytes held in every gate of the session. */
  private heldBytes = 0;
  /** Pushes (and counts) that went out early because the client did not ack in time. */
  timedOut = 0;

  constructor(
    /** Sends a push that waited. */
    private readonly release: (bytes: Uint8Array) => void,
    private readonly limits: AckGateLimits,
  ) {}

  /** Whether a message pushed is still to be acked (else no query can need a gate). */
  get awaitsAcks(): boolean {
    return this.unacked.size > 0;
  }

  /** Whether pushes of `cid` wait now. */
  holds(cid: string): boolean {
    return this.gates.size > 0 && this.gates.has(cid);
  }

  /** A message of `cid` at `timestamp` is pushed (or held) for the client, which acks it. */
  pushed(cid: string, timestamp: number): void {
    const last = this.unacked.get(cid);
    if (last === undefined || timestamp > last) this.unacked.set(cid, timestamp);
  }

  /** Holds a push of a conversation that `holds`. */
  hold(cid: string, bytes: Uint8Array): void {
    const gate = this.gates.get(cid);
    if (!gate) return this.release(bytes);
    gate.held.push(bytes);
    gate.bytes += bytes.byteLength;
    this.heldBytes += bytes.byteLength;
    // One budget per session, however many conversations wait: a client in many busy groups that never acks holds no more.
    if (this.heldBytes > this.limits.maxHeldBytes) for (const waiting of [...this.gates.keys()]) this.open(waiting);
  }

  /**
   * The client asked for these conversations: its cache holds them from the
   * reply on. Called by the conv query handlers (handlers/conv.ts) before
   * the query runs for what it names (pushes published while it runs are
   * written after its reply: see Connection.holdPushesUntilReplied), and
   * with what its reply lists for queries naming none. Only the first time matters: the SDKs keep what they fetched
   * for the client's life, so a later query (an app's `fetch()`) changes
   * nothing about which pushes find it cached.
   */
  asked(cids: Iterable<string>): void {
    for (const cid of cids) {
      if (this.fetched.has(cid)) continue;
      if (this.fetched.size < MAX_FETCHED) this.fetched.add(cid);
      const until = this.unacked.get(cid);
      if (until === undefined) continue;
      const timer = setTimeout(() => {
        this.timedOut += 1;
        this.open(cid);
      }, this.limits.maxHoldMs);
      timer.unref();
      this.gates.set(cid, { until, held: [], bytes: 0, timer });
    }
  }

  /** The client acked the messages of `cid` up to `timestamp`. */
  acked(cid: string, timestamp: number): void {
    const last = this.unacked.get(cid);
    if (last !== undefined && timestamp >= last) this.unacked.delete(cid);
    const gate = this.gates.get(cid);
    if (gate && timestamp >= gate.until) this.open(cid);
  }

  /** Sends what waits for `cid`, in order. */
  private open(cid: string): void {
    const gate = this.gates.get(cid);
    if (!gate) return;
    this.gates.delete(cid);
    this.heldBytes -= gate.bytes;
    clearTimeout(gate.timer);
    for (const bytes of gate.held) this.release(bytes);
  }

  /** The session ended: nothing waits any more (its connection is gone or logged out). */
  close(): void {
    for (const gate of this.gates.values()) clearTimeout(gate.timer);
    this.gates.clear();
    this.heldBytes = 0;
    this.unacked.clear();
    this.fetched.clear();
  }
}

/** Whether the SDK that logged in is one of the official JS SDKs, whose pushes take a gate. */
export function takesAckGate(ua: string): boolean {
  return ua.startsWith('js/3') || ua.startsWith('js/4');
}

/**
 * The conversation ids a conv query's `where` names by `objectId` (what the
 * SDKs' getConversation and getConversations ask): `{"objectId": id}` or
 * `{"objectId": {"$in": [ids]}}`. Other queries name none.
 */
export function objectIdsOf(where: string | null | undefined): string[] {
  if (!where || !where.includes('objectId')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(where);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const objectId = (parsed as Record<string, unknown>).objectId;
  if (typeof objectId === 'string') return [objectId];
  const list = typeof objectId === 'object' && objectId !== null ? (objectId as Record<string, unknown>).$in : undefined;
  return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
}

/** What the gate needs of a pushed message; null for a push that is not a message. */
export interface PushedMessage {
  readonly cid: string;
  readonly timestamp: number;
  /** Whether the client acks it: not transient, and not its own (from another device). */
  readonly from: string;
  readonly transient: boolean;
}

/** Reads a push's message facts from its encoded command (once per delivery, only for a gated recipient). */
export function pushedMessageOf(payload: Uint8Array): PushedMessage | null {
  const command = decodeCommand(payload);
  const message = command.cmd === CommandType.direct ? command.directMessage : undefined;
  if (!message?.cid || message.timestamp == null) return null;
  return { cid: message.cid, timestamp: Number(message.timestamp), from: message.fromPeerId ?? '', transient: message.transient === true };
}

/**
 * Passes a push to a gated session through its gate: records what the
 * client will ack, and holds the push if its conversation waits. Returns
 * whether it was held (the caller sends it otherwise).
 */
export function heldByGate(gate: AckGate, clientId: string, message: PushedMessage | null, bytes: () => Uint8Array): boolean {
  if (message === null) return false;
  if (!message.transient && message.from !== clientId) gate.pushed(message.cid, message.timestamp);
  if (!gate.holds(message.cid)) return false;
  gate.hold(message.cid, bytes());
  return true;
}
