/**
 * The widgets' view of a message: a plain, structured-cloneable record, so
 * the same shape comes from the network, from IndexedDB and from the outbox,
 * and can be handed to renderers and DOM events without exposing SDK
 * internals.
 */
import { Message, MessageStatus, TypedMessage } from '../../sdk/index.js';
import type { SendFailure } from '../cache/chat-cache.js';

/** Where a message is on its way; `queued` waits for the connection, `read` is known from read receipts. */
export type ChatMessageStatus = 'sending' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** A message as the widgets keep, cache and render it. */
export interface ChatMessage {
  /** The server's id; for a message not yet acknowledged, its local id (the `dt` token). */
  id: string;
  /** The local id it was sent with, when it was sent from this browser. */
  localId?: string;
  /** Conversation id. */
  cid: string;
  /** Sender's clientId. */
  from: string;
  /** Server time (ms); for a message not yet acknowledged, when it was written. */
  timestamp: number;
  /** `_lctype` of a typed message; null for a plain (untyped) payload. */
  type: number | null;
  /** `_lctext`, or the payload itself when it is a plain string. */
  text?: string;
  /** `_lcattrs`: the app's custom attributes. */
  attributes?: Record<string, unknown>;
  /** The whole payload: a parsed JSON object, or the raw string. */
  payload: unknown;
  status: ChatMessageStatus;
  /** When the receiver acknowledged delivery (ms). */
  deliveredAt?: number;
  /** When it was last edited or recalled (ms). */
  updatedAt?: number;
  /** Why it failed, for the retry affordance. */
  error?: string;
  /** Why it failed, when the widget can say it in the user's language; such a failure is not worth retrying. */
  failure?: SendFailure;
  /** A pending attachment whose file is not uploaded yet: how far its upload is (0 to 1; 0 while it waits). */
  upload?: { progress: number; name: string; size: number };
  /** Received from someone else and mentions the current user, by id (`mentionList`) or as everyone (`mentionedAll`). */
  mentioned?: boolean;
}

/** Type numbers of LeanCloud's built-in rich messages. */
export const MessageType = Object.freeze({
  TEXT: -1,
  IMAGE: -2,
  AUDIO: -3,
  VIDEO: -4,
  LOCATION: -5,
  FILE: -6,
  RECALLED: -127,
} as const);

/**
 * The typing indicator travels as a transient plain message with this key
 * (no `_lctype`), so other SDKs see an ordinary JSON payload and the widget
 * never shows it as a message.
 */
export const TYPING_KEY = '_lcchatTyping';

/** Whether a payload is a typing indicator; returns its state if so. */
export function typingState(payload: unknown): boolean | undefined {
  if (!isRecord(payload) || !(TYPING_KEY in payload)) return undefined;
  return payload[TYPING_KEY] === true;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const STATUS: Record<string, ChatMessageStatus> = {
  [MessageStatus.SENDING]: 'sending',
  [MessageStatus.SENT]: 'sent',
  [MessageStatus.DELIVERED]: 'delivered',
  [MessageStatus.FAILED]: 'failed',
  [MessageStatus.NONE]: 'sent',
};

/** Builds the view record of an SDK message. */
export function fromSdkMessage(message: Message, cid: string, fallbackFrom = ''): ChatMessage {
  const payload = message.toJSON();
  const typed = isRecord(payload) && typeof payload._lctype === 'number';
  const record: ChatMessage = {
    id: message.id,
    cid: message.cid ?? cid,
    from: message.from ?? fallbackFrom,
    timestamp: message.timestamp.getTime(),
    type: typed ? (payload._lctype as number) : null,
    payload,
    status: STATUS[message.status] ?? 'sent',
  };
  const text = message instanceof TypedMessage ? message.text : typed ? payload._lctext : payload;
  if (typeof text === 'string') record.text = text;
  const attributes = message instanceof TypedMessage ? message.attributes : typed ? payload._lcattrs : undefined;
  if (isRecord(attributes)) record.attributes = attributes;
  if (message.deliveredAt) record.deliveredAt = message.deliveredAt.getTime();
  if (message.mentioned) record.mentioned = true;
  if (message.updatedAt.getTime() !== message.timestamp.getTime()) record.updatedAt = message.updatedAt.getTime();
  return record;
}

/** Orders by time, then id: a total order, for cache keys and cursors. */
export function compareMessages(a: Pick<ChatMessage, 'timestamp' | 'id'>, b: Pick<ChatMessage, 'timestamp' | 'id'>): number {
  return a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Merges message lists by id, newer information winning (a later status,
 * an edit), sorted ascending by time. Messages of the same millisecond keep
 * the order they came in (the server's order), which ids (random) cannot
 * tell: `older` says the incoming ones precede the current ones (a page
 * loaded before them), otherwise they follow.
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[], options: { older?: boolean } = {}): ChatMessage[] {
  const known = new Map(current.map((message) => [message.id, message]));
  const fresh = new Map<string, ChatMessage>();
  for (const message of incoming) {
    const previous = known.get(message.id);
    if (previous) known.set(message.id, reconcileMessage(previous, message));
    else fresh.set(message.id, message);
  }
  const ordered = options.older ? [...fresh.values(), ...known.values()] : [...known.values(), ...fresh.values()];
  // Array#sort is stable: equal timestamps keep the order above.
  return ordered.sort((a, b) => a.timestamp - b.timestamp);
}

const STATUS_RANK: Record<ChatMessageStatus, number> = { failed: 0, queued: 1, sending: 2, sent: 3, delivered: 4, read: 5 };

/** Whether `status` is further along than `than` (a receipt status never goes back). */
export function statusAfter(status: ChatMessageStatus, than: ChatMessageStatus): boolean {
  return STATUS_RANK[status] > STATUS_RANK[than];
}

/**
 * Two versions of one message: the incoming one's fields, but never an
 * earlier status than the known one, and never an earlier content: what the
 * message says comes whole from the later edit (or recall).
 */
export function reconcileMessage(known: ChatMessage, incoming: ChatMessage): ChatMessage {
  const merged = { ...known, ...incoming };
  const [knownEdit, incomingEdit] = [known.updatedAt ?? 0, incoming.updatedAt ?? 0];
  // Recalled or edited since (incoming later): what it said before must not
  // survive in fields the new version lacks. A copy from before the edit
  // arriving late (known later: the delivery receipt, which carries the
  // message as it was sent; a page fetched before the edit) must not bring
  // the old text back.
  if (incomingEdit !== knownEdit) {
    const later = incomingEdit > knownEdit ? incoming : known;
    merged.type = later.type;
    merged.payload = later.payload;
    for (const key of ['text', 'attributes', 'mentioned', 'updatedAt'] as const) {
      if (key in later) Object.assign(merged, { [key]: later[key] });
      else delete merged[key];
    }
  }
  // Statuses only move forward: a history page saying "sent" must not undo
  // a receipt that already said "delivered".
  if (STATUS_RANK[known.status] > STATUS_RANK[incoming.status]) merged.status = known.status;
  if (known.deliveredAt && !incoming.deliveredAt) merged.deliveredAt = known.deliveredAt;
  if (known.localId && !incoming.localId) merged.localId = known.localId;
  return merged;
}
