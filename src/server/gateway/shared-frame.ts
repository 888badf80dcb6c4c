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
import { peerIdField as encodePeerIdField } from '../../protocol/codec.js';

/**
 * The header of an unmasked, final, binary WebSocket frame (RFC 6455
 * §5.2) carrying `payloadLength` bytes, as a server sends it: written
 * followed by the payload, it is the frame ws's `send` would write
 * (test/server-shared-frames.test.ts compares the two byte for byte).
 * Built here rather than by ws's `Sender.frame`, which wants the payload
 * itself: the head was asked for with a zero-filled stand-in of the
 * frame's size, an ArrayBuffer allocated and cleared per push and peerId
 * length for a header of two to ten bytes.
 */
export function binaryFrameHeader(payloadLength: number): Buffer {
  if (payloadLength < 126) {
    const header = Buffer.allocUnsafe(2);
    header[0] = 0x82;
    header[1] = payloadLength;
    return header;
  }
  if (payloadLength < 65_536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x82;
    header[1] = 126;
    header.writeUInt16BE(payloadLength, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = 0x82;
  header[1] = 127;
  header.writeUInt32BE(0, 2);
  header.writeUIntBE(payloadLength, 4, 6);
  return header;
}

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
    if (!head) head = Buffer.concat([binaryFrameHeader(this.body.length + tailLength), this.body]);
    this.lastTailLength = tailLength;
    this.lastHead = head;
    return head;
  }

  /** The recipient's whole command, for a frame built per recipient (base64, or one held for later). */
  bytesFor(tail: Buffer): Uint8Array {
    return Buffer.concat([this.body, tail]);
  }
}
