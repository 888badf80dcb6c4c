/**
 * One push written to many sockets without building its bytes once per
 * recipient.
 *
 * A push is a `GenericCommand` encoded once without `peerId`; each
 * recipient's frame is that body followed by its own `peerId` field (a
 * protobuf message may carry its fields in any order, and the SDKs route
 * pushes by it). On a binary subprotocol the bytes on the wire are then
 * `[WebSocket header + body][peerId field]`: the first part depends only on
 * the length of the second, so it is built once per distinct peerId length
 * (a handful per push) and shared by every recipient, and the second is
 * built once per session (`peerIdField`). The connection writes both parts
 * with one corked `writev`, copying nothing per recipient.
 *
 * Base64 subprotocols (WeChat) cannot share: the text of body + suffix is
 * not the text of each part unless the body's length is a multiple of 3.
 * Those few recipients get a frame of their own (`bytesFor`).
 */
import * as wsModule from 'ws';
import { peerIdField as encodePeerIdField } from '../../protocol/codec.js';

/**
 * ws's frame builder. It is exported by the package (`ws.Sender`) but not
 * declared by @types/ws; this is the one signature used here.
 */
const Sender = (wsModule as unknown as {
  Sender: { frame(data: Buffer, options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[] };
}).Sender;

/** The encoded `peerId` field of a recipient: append it to a push's body. */
export function peerIdField(peerId: string): Buffer {
  const encoded = encodePeerIdField(peerId);
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}

export class SharedPush {
  readonly body: Buffer;
  /**
   * WebSocket header + body for the peerId field length asked last: most
   * recipients' ids have the same length, and this is asked once per
   * recipient. Others are kept in `heads`, made only when a second length
   * comes up.
   */
  private lastTailLength = -1;
  private lastHead: Buffer | undefined;
  private heads: Map<number, Buffer> | undefined;

  constructor(body: Uint8Array) {
    this.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }

  /**
   * The start of the binary frame for a recipient whose `peerId` field
   * has `tailLength` bytes: the WebSocket header and the body. Written
   * followed by the field, it is one whole WebSocket frame.
   */
  head(tailLength: number): Buffer {
    if (tailLength === this.lastTailLength) return this.lastHead!;
    if (this.lastHead) (this.heads ??= new Map()).set(this.lastTailLength, this.lastHead);
    let head = this.heads?.get(tailLength);
    if (!head) {
      // ws builds the header (its frame builder, not a copy of RFC 6455 here):
      // unmasked, as a server sends, its output is [header, payload] and the
      // header depends on the payload's length only: the stand-in is never
      // read (unmasked, ws neither copies nor masks it), so it is not cleared.
      const [header] = Sender.frame(Buffer.allocUnsafe(this.body.length + tailLength), { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: true });
      head = Buffer.concat([header!, this.body]);
    }
    this.lastTailLength = tailLength;
    this.lastHead = head;
    return head;
  }

  /** The recipient's whole command, for a frame built per recipient (base64, or one held for later). */
  bytesFor(tail: Buffer): Uint8Array {
    return Buffer.concat([this.body, tail]);
  }
}
