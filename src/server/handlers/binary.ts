/**
 * Binary messages (v4 `binaryMsg`): the store keeps the bytes as base64 in
 * `data` with a `binary` flag. Pushes carry the bytes (`binaryMsg`);
 * history items and conversation JSON carry the base64 with `bin: true`
 * (protocol.md §4.3, §5).
 */
import { base64ToBytes, bytesToBase64 } from '../../protocol/codec.js';

/** A message's content as stored. */
export interface Payload {
  data: string;
  binary?: boolean | undefined;
}

/** `direct` and unread tuples: `{msg}` for text, `{binaryMsg}` for bytes (field names differ: `msg`/`data`). */
export function pushedPayload(message: Payload): { msg: string } | { binaryMsg: Uint8Array } {
  return message.binary ? { binaryMsg: base64ToBytes(message.data) } : { msg: message.data };
}

/** The stored form of a received payload. */
export function storedPayload(msg: string | null | undefined, binaryMsg: Uint8Array | null | undefined): Payload | undefined {
  const hasText = typeof msg === 'string' && msg !== '';
  const hasBytes = binaryMsg instanceof Uint8Array && binaryMsg.length > 0;
  if (hasText === hasBytes) return undefined;
  return hasBytes ? { data: bytesToBase64(binaryMsg!), binary: true } : { data: msg! };
}
