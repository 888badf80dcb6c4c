/**
 * Recalling and editing sent messages (protocol.md §4.3 "Recall / modify"):
 * the `patch` items the SDK sends, and the messages it builds from the
 * `patch` pushes it receives.
 */
import type { IPatchCommand } from '../protocol/index.js';
import { decodeDate } from './dates.js';
import { ProtocolError } from './errors.js';
import { Message, setMessageStatus } from './messages/message.js';
import { RecalledMessage } from './messages/recalled-message.js';
import { binaryMessage, binaryPayloadOf, encodePayload } from './messages/registry.js';
import { MessageStatus } from './messages/status.js';

/** A sent message to recall or edit: a Message, or just its id and server timestamp. */
export type MessageReference = Message | { id: string; timestamp: Date | number };

type PatchItem = NonNullable<IPatchCommand['patches']>[number];

/** The payload of a recalled message, for servers that send none (protocol.md §4.3). */
const RECALLED_PAYLOAD = '{"_lctype":-127}';

/**
 * Checks that `message` can be patched by `clientId` and builds its patch
 * item: `recall: true`, or the new payload.
 * @throws ProtocolError 4403 MESSAGE_OWNERSHIP_REQUIRED for someone else's message
 * @throws TypeError for a message that was never sent
 */
export function patchItemFor(cid: string, clientId: string, message: MessageReference, replacement: Message | undefined): PatchItem {
  if (message instanceof Message) {
    // Refused here rather than by the server so no round trip is wasted;
    // the server refuses it too (4403).
    if (message.from !== undefined && message.from !== clientId) {
      throw new ProtocolError(4403, { name: 'MESSAGE_OWNERSHIP_REQUIRED', message: 'only the sender may recall or edit a message' });
    }
    if (message.status !== MessageStatus.SENT && message.status !== MessageStatus.DELIVERED) {
      throw new TypeError(`message ${message.id} has not been sent`);
    }
  } else if (typeof message?.id !== 'string' || decodeDate(message.timestamp) === undefined) {
    throw new TypeError(`${String(message)} is neither a Message nor {id, timestamp}`);
  }
  return {
    cid,
    mid: message.id,
    timestamp: decodeDate(message.timestamp)!.getTime(),
    ...(replacement ? replacementPayload(replacement) : { recall: true }),
  };
}

/** An edit's new payload: bytes as binaryMsg (v4), anything else as data. */
function replacementPayload(replacement: Message): { data: string } | { binaryMsg: Uint8Array } {
  const bytes = binaryPayloadOf(replacement);
  return bytes ? { binaryMsg: bytes } : { data: encodePayload(replacement) };
}

/**
 * Gives `replacement` the identity of the patched message, as the official
 * SDK does: same id, conversation, sender, time and status.
 */
export function adoptIdentity<M extends Message>(replacement: M, original: MessageReference, cid: string, clientId: string, patchedAt: Date): M {
  replacement.id = original.id;
  replacement.cid = cid;
  replacement.from = original instanceof Message ? (original.from ?? clientId) : clientId;
  replacement.timestamp = decodeDate(original.timestamp)!;
  replacement.updatedAt = patchedAt;
  setMessageStatus(replacement, original instanceof Message ? original.status : MessageStatus.SENT);
  return replacement;
}

/** A patch pushed by the server, as the message it now is. */
export interface ReceivedPatch {
  cid: string;
  recall: boolean;
  message: Message;
  /** When the patch was made, ms: the next login's `lastPatchTime`. */
  patchTime: number;
  /** A reason given by a server hook (v4 `patchReason`), if any. */
  reason: string | undefined;
}

/** Builds the patched message of a pushed patch item; undefined for an item without cid or mid. */
export async function receivedPatch(item: PatchItem, parseMessage: (raw: string) => Promise<Message>): Promise<ReceivedPatch | undefined> {
  if (!item.cid || !item.mid) return undefined;
  const recall = Boolean(item.recall);
  const data = item.data || (recall ? RECALLED_PAYLOAD : '');
  const parsed = !recall && item.binaryMsg?.length ? binaryMessage(item.binaryMsg) : await parseMessage(data);
  // A recall is a RecalledMessage even if a plugin rewrote the payload.
  const message = recall && !(parsed instanceof RecalledMessage) ? new RecalledMessage() : parsed;
  message.id = item.mid;
  message.cid = item.cid;
  if (item.from) message.from = item.from;
  const timestamp = decodeDate(item.timestamp);
  if (timestamp) message.timestamp = timestamp;
  const patchedAt = decodeDate(item.patchTimestamp) ?? new Date();
  message.updatedAt = patchedAt;
  setMessageStatus(message, MessageStatus.SENT);
  return { cid: item.cid, recall, message, patchTime: patchedAt.getTime(), reason: item.patchReason || undefined };
}
